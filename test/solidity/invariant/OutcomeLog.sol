// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Shared bookkeeping of the invariant handlers: every call's outcome is predicted; a rejection that
///         matches the prediction is counted in `rejected`, anything else in `unexpectedOutcomes` (with the last
///         one described in `lastUnexpected`), which the invariant suites require to stay zero.
abstract contract OutcomeLog {
    /// @dev Calls whose outcome differed from the prediction, and the last one's description.
    uint256 public unexpectedOutcomes;
    string public lastUnexpected;
    /// @dev Calls rejected exactly as predicted.
    uint256 public rejected;

    function _checkRejection(string memory what, bytes memory err, bytes memory expected) internal {
        if (expected.length == 0 || keccak256(err) != keccak256(expected)) {
            _unexpected(string.concat(what, " rejected unexpectedly"), err);
        } else {
            ++rejected;
        }
    }

    function _unexpected(string memory what, bytes memory data) internal {
        ++unexpectedOutcomes;
        lastUnexpected = string.concat(what, ": ", _hex(data));
    }

    function _hex(bytes memory data) internal pure returns (string memory) {
        bytes memory digits = "0123456789abcdef";
        bytes memory out = new bytes(2 + data.length * 2);
        out[0] = "0";
        out[1] = "x";
        for (uint256 i; i < data.length; ++i) {
            out[2 + 2 * i] = digits[uint8(data[i]) >> 4];
            out[3 + 2 * i] = digits[uint8(data[i]) & 15];
        }
        return string(out);
    }
}
