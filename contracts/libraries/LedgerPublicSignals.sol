// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChainId} from "../types/ChainId.sol";
import {UpdatePublicData} from "../types/UpdatePublicData.sol";

/// @title LedgerPublicSignals
/// @notice Derives the reference ledger circuit's five public signals from a registry update
///         (docs/LEDGER.md §7): [prevRoot, newRoot, queueHash, withdrawalRoot, meta] with
///         meta = chainId + l2Block·2^64 + queuePosition·2^128.
/// @dev Invariant: the map is injective on the updates it accepts. Field-valued inputs must be below the
///      BN254 scalar field order (otherwise x and x + r would give the same signal), and the fields the
///      circuit does not bind (`outboxRoot`, `inboxRoot`) must be zero. `ackBlock` is deliberately not a
///      signal: it is the operator's data-availability statement, checked by the registry.
library LedgerPublicSignals {
    /// @notice A root or hash of the update is not a field element; `index` is the field's position in
    ///         `UpdatePublicData` (4 prevRoot, 5 newRoot, 6 queueHash, 9 withdrawalRoot).
    error LedgerPublicSignalsNotInField(uint256 index, uint256 value);
    /// @notice The update sets a field this ledger does not support yet: `index` 7 (`outboxRoot`) or 8
    ///         (`inboxRoot`).
    error LedgerPublicSignalsUnsupportedField(uint256 index);

    /// @notice BN254 scalar field order r.
    uint256 internal constant FIELD_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @notice Number of public signals of the ledger circuit.
    uint256 internal constant COUNT = 5;

    /// @notice Returns the public signals of `data`, reverting when `data` cannot be an update of the
    ///         reference ledger.
    function derive(UpdatePublicData calldata data) internal pure returns (uint256[5] memory s) {
        s[0] = _field(4, uint256(data.prevRoot));
        s[1] = _field(5, uint256(data.newRoot));
        s[2] = _field(6, uint256(data.queueHash));
        s[3] = _field(9, uint256(data.withdrawalRoot));
        if (data.outboxRoot != bytes32(0)) revert LedgerPublicSignalsUnsupportedField(7);
        if (data.inboxRoot != bytes32(0)) revert LedgerPublicSignalsUnsupportedField(8);
        s[4] =
            uint256(ChainId.unwrap(data.chainId)) |
            (uint256(data.l2Block) << 64) |
            (uint256(data.queuePosition) << 128);
    }

    function _field(uint256 index, uint256 value) private pure returns (uint256) {
        if (value >= FIELD_R) revert LedgerPublicSignalsNotInField(index, value);
        return value;
    }
}
