// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChainId} from "../types/ChainId.sol";
import {IAttestationVerifier} from "./IAttestationVerifier.sol";

/// @title ILatencyOracle
/// @notice Attested round-trip-time reports between the sequencer candidates of cluster networks, one
///         matrix per epoch and pair of networks (docs/LATENCY.md §1).
interface ILatencyOracle {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice One node's RTTs (microseconds, 0 = not measured) to every node of `peerNetwork` in `epoch`.
    struct LatencyReport {
        uint64 epoch;
        ChainId network;
        uint32 node;
        ChainId peerNetwork;
        uint32[] rtts;
    }

    /// @notice How a combined latency was obtained.
    enum PairFlag {
        /// @dev Both directions reported and within the tolerance.
        Agree,
        /// @dev Both reported, but they differ by more than `disagreementBps`.
        Disagree,
        /// @dev Only one direction reported.
        OneSided,
        /// @dev Neither direction reported: latency MISSING.
        Missing
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    error OracleUnknownNetwork(ChainId network);
    error OracleNetworkExists(ChainId network);
    error OracleUnknownNode(ChainId network, uint32 node);
    error OracleTooManyNodes(ChainId network);
    error OracleSameNetwork(ChainId network);
    error OracleKeyNotRegistered(ChainId network, uint32 node);
    error OracleZeroAddress();
    error OracleWrongEpoch(uint64 epoch, uint64 currentEpoch);
    error OracleAlreadyReported(uint64 epoch, ChainId network, uint32 node, ChainId peerNetwork);
    error OracleMalformedReport(uint256 length, uint256 expected);
    error OracleBadSignature(address recovered, address expected);
    error OracleInvalidParameters();
    error OracleBeforeGenesis();
    /// @notice `enclaveKey` was replaced as the key of this node and cannot be registered for it again (an
    ///         old attestation replayed by anyone must not bring back a retired, possibly leaked, key).
    error OracleKeyRetired(ChainId network, uint32 node, address enclaveKey);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    event NetworkAdded(ChainId indexed network);
    event NodeAdded(ChainId indexed network, uint32 indexed node);
    event EnclaveKeyRegistered(ChainId indexed network, uint32 indexed node, address enclaveKey, bytes32 measurement);
    event ReportSubmitted(uint64 indexed epoch, ChainId indexed network, uint32 indexed node, ChainId peerNetwork);
    event DisagreementToleranceUpdated(uint32 disagreementBps);

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Adds a network (admin).
    function addNetwork(ChainId network) external;

    /// @notice Adds a candidate node to `network` (admin); returns its index.
    function addNode(ChainId network) external returns (uint32 node);

    /// @notice Registers (or rotates) the enclave key of a node, proven by `attestation` through the
    ///         attestation verifier. Anyone may submit it: the attestation is the authority.
    function registerEnclaveKey(ChainId network, uint32 node, address enclaveKey, bytes calldata attestation) external;

    /// @notice Posts a report signed (EIP-712) by the reporting node's enclave key.
    function submitReport(LatencyReport calldata report, bytes calldata signature) external;

    /// @notice Sets the disagreement tolerance in basis points (admin).
    function setDisagreementBps(uint32 disagreementBps) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The epoch at the current block's timestamp.
    function currentEpoch() external view returns (uint64);

    /// @notice Number of nodes of `network`.
    function nodeCount(ChainId network) external view returns (uint32);

    /// @notice The registered enclave key of a node (zero if none).
    function enclaveKey(ChainId network, uint32 node) external view returns (address);

    /// @notice Raw RTT reported by node `node` of `network` for node `peerNode` of `peerNetwork` (0 = none).
    function rtt(
        uint64 epoch,
        ChainId network,
        uint32 node,
        ChainId peerNetwork,
        uint32 peerNode
    ) external view returns (uint32);

    /// @notice Combined latency of (node i of a, node j of b) in `epoch`, and how it was obtained.
    function latency(
        uint64 epoch,
        ChainId a,
        uint32 i,
        ChainId b,
        uint32 j
    ) external view returns (uint32 value, PairFlag flag);

    /// @notice The combined matrix for networks (a, b) in `epoch`, row-major: entry i·m + j for node i of a
    ///         and node j of b; MISSING where neither direction was reported.
    function matrix(
        uint64 epoch,
        ChainId a,
        ChainId b
    ) external view returns (uint32[] memory values, uint8[] memory flags);

    /// @notice The value that stands for a missing latency: 2^32 − 1.
    function MISSING() external view returns (uint32);

    /// @notice EIP-712 digest a node signs for `report`.
    function reportDigest(LatencyReport calldata report) external view returns (bytes32);

    /// @notice Start of epoch 0 (unix seconds).
    function genesisTime() external view returns (uint64);

    /// @notice Seconds per epoch.
    function epochDuration() external view returns (uint64);

    /// @notice First second of `epoch`.
    function epochStart(uint64 epoch) external view returns (uint256);

    /// @notice The disagreement tolerance in basis points.
    function disagreementBps() external view returns (uint32);

    /// @notice The attestation verifier that admits enclave keys.
    function attestationVerifier() external view returns (IAttestationVerifier);

    /// @notice Whether `network` was added.
    function isNetwork(ChainId network) external view returns (bool);

    /// @notice Number of networks added.
    function networkCount() external view returns (uint256);

    /// @notice The `i`-th network, in order of addition.
    function networkAt(uint256 i) external view returns (ChainId);

    /// @notice Whether `key` was replaced on node `node` of `network` (and so can never return).
    function isKeyRetired(ChainId network, uint32 node, address key) external view returns (bool);

    /// @notice Bitmap of the nodes of `network` that reported on `peerNetwork` in `epoch` (bit i: node i).
    function reporters(uint64 epoch, ChainId network, ChainId peerNetwork) external view returns (uint256);
}
