// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {ILatencyOracle} from "../interfaces/ILatencyOracle.sol";
import {ChainId} from "../types/ChainId.sol";

/// @title MockLatencyOracle
/// @notice Test and benchmark stand-in for the latency oracle: the matrix, node counts and current epoch
///         are set directly, without reports, signatures or enclave keys. NOT for deployment.
/// @dev Only the views LeaderSchedule reads (currentEpoch, nodeCount, matrix, latency, MISSING) are real;
///      every action and the report views revert with MockUnsupported. A matrix that was never set reads as
///      all MISSING, like an epoch without reports. Matrices are stored as uint32[] (eight entries a slot),
///      so reading one costs about what a packed oracle would.
contract MockLatencyOracle is ILatencyOracle {
    error MockUnsupported();
    error MockMatrixSize(uint256 length, uint256 expected);

    /// @inheritdoc ILatencyOracle
    uint32 public constant MISSING = type(uint32).max;

    uint64 private _currentEpoch;
    mapping(ChainId network => uint32) private _nodeCounts;
    mapping(uint64 epoch => mapping(ChainId a => mapping(ChainId b => uint32[]))) private _matrices;

    /*//////////////////////////////////////////////////////////////
                                SETTERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Sets the epoch `currentEpoch()` returns.
    function setCurrentEpoch(uint64 epoch) external {
        _currentEpoch = epoch;
    }

    /// @notice Sets the number of nodes of `network`.
    function setNodeCount(ChainId network, uint32 count) external {
        _nodeCounts[network] = count;
    }

    /// @notice Sets the combined matrix of (a, b) in `epoch`, row-major, nodeCount(a)·nodeCount(b) entries.
    function setMatrix(uint64 epoch, ChainId a, ChainId b, uint32[] calldata values) external {
        uint256 expected = uint256(_nodeCounts[a]) * _nodeCounts[b];
        if (values.length != expected) revert MockMatrixSize(values.length, expected);
        _matrices[epoch][a][b] = values;
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILatencyOracle
    function currentEpoch() external view returns (uint64) {
        return _currentEpoch;
    }

    /// @inheritdoc ILatencyOracle
    function nodeCount(ChainId network) external view returns (uint32) {
        return _nodeCounts[network];
    }

    /// @inheritdoc ILatencyOracle
    function matrix(
        uint64 epoch,
        ChainId a,
        ChainId b
    ) external view virtual returns (uint32[] memory values, uint8[] memory flags) {
        uint256 size = uint256(_nodeCounts[a]) * _nodeCounts[b];
        uint32[] storage stored = _matrices[epoch][a][b];
        if (stored.length == size && size != 0) {
            values = stored; // one SLOAD per eight entries
        } else {
            values = new uint32[](size);
            for (uint256 k; k < size; ++k) values[k] = MISSING;
        }
        flags = new uint8[](size);
        for (uint256 k; k < size; ++k) {
            if (values[k] == MISSING) flags[k] = uint8(PairFlag.Missing);
        }
    }

    /// @inheritdoc ILatencyOracle
    function latency(
        uint64 epoch,
        ChainId a,
        uint32 i,
        ChainId b,
        uint32 j
    ) external view returns (uint32 value, PairFlag flag) {
        uint256 na = _nodeCounts[a];
        uint256 nb = _nodeCounts[b];
        if (i >= na) revert OracleUnknownNode(a, i);
        if (j >= nb) revert OracleUnknownNode(b, j);
        uint32[] storage stored = _matrices[epoch][a][b];
        value = stored.length == na * nb ? stored[uint256(i) * nb + j] : MISSING;
        flag = value == MISSING ? PairFlag.Missing : PairFlag.Agree;
    }

    /*//////////////////////////////////////////////////////////////
                              UNSUPPORTED
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILatencyOracle
    function addNetwork(ChainId) external pure {
        revert MockUnsupported();
    }

    /// @inheritdoc ILatencyOracle
    function addNode(ChainId) external pure returns (uint32) {
        revert MockUnsupported();
    }

    /// @inheritdoc ILatencyOracle
    function registerEnclaveKey(ChainId, uint32, address, bytes calldata) external pure {
        revert MockUnsupported();
    }

    /// @inheritdoc ILatencyOracle
    function submitReport(LatencyReport calldata, bytes calldata) external pure {
        revert MockUnsupported();
    }

    /// @inheritdoc ILatencyOracle
    function setDisagreementBps(uint32) external pure {
        revert MockUnsupported();
    }

    /// @inheritdoc ILatencyOracle
    function enclaveKey(ChainId, uint32) external pure returns (address) {
        revert MockUnsupported();
    }

    /// @inheritdoc ILatencyOracle
    function rtt(uint64, ChainId, uint32, ChainId, uint32) external pure returns (uint32) {
        revert MockUnsupported();
    }

    /// @inheritdoc ILatencyOracle
    function reportDigest(LatencyReport calldata) external pure returns (bytes32) {
        revert MockUnsupported();
    }

    function genesisTime() external pure returns (uint64) {
        revert MockUnsupported();
    }

    function epochDuration() external pure returns (uint64) {
        revert MockUnsupported();
    }

    function epochStart(uint64) external pure returns (uint256) {
        revert MockUnsupported();
    }

    function disagreementBps() external pure returns (uint32) {
        revert MockUnsupported();
    }

    function attestationVerifier() external pure returns (IAttestationVerifier) {
        revert MockUnsupported();
    }

    function isNetwork(ChainId) external pure returns (bool) {
        revert MockUnsupported();
    }

    function networkCount() external pure returns (uint256) {
        revert MockUnsupported();
    }

    function networkAt(uint256) external pure returns (ChainId) {
        revert MockUnsupported();
    }

    function isKeyRetired(ChainId, uint32, address) external pure returns (bool) {
        revert MockUnsupported();
    }

    function reporters(uint64, ChainId, ChainId) external pure returns (uint256) {
        revert MockUnsupported();
    }
}
