// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {ILatencyOracle} from "../interfaces/ILatencyOracle.sol";
import {ChainId} from "../types/ChainId.sol";

/// @title LatencyOracle
/// @notice Round-trip times measured by the sequencer candidates of cluster networks from inside their
///         TEEs, signed by attested enclave keys, one report per (epoch, node, peer network), combined into
///         one latency matrix per epoch and pair of networks (docs/LATENCY.md §1).
/// @dev Invariants:
///      I1  networks are never removed; node indices are 0 … nodeCount − 1 in order of addition and
///          nodeCount ≤ MAX_NODES (256); node counts never decrease.
///      I2  a stored report was signed (EIP-712) by the reporting node's enclave key registered at the time,
///          for this chain id and this contract, and was submitted during its own epoch; at most one
///          report exists per (epoch, network, node, peerNetwork) and it is never changed.
///      I3  an enclave key is registered only with an attestation accepted by the attestation verifier for
///          exactly that (network, node, key); a key replaced on a node is retired for that node for good.
///      I4  `matrix`, `latency` and `rtt` agree: entry i·m + j of `matrix(e, a, b)` equals
///          `latency(e, a, i, b, j)`, which is the combination rule applied to `rtt(e, a, i, b, j)` and
///          `rtt(e, b, j, a, i)`: max of the present directions (Agree / Disagree / OneSided), or MISSING.
///
///      Storage. The reports of (epoch, network X → peer network Y) form one ReportSet: a 256-bit bitmap of
///      the nodes of X that reported, and per node a row of up to 32 words, each packing eight uint32 RTTs
///      (RTT j in word j / 8, bits 32·(j mod 8) …). All-zero words are not written. `matrix` reads the two
///      bitmaps, then each reported row exactly once (⌈m/8⌉ words per node of X, ⌈n/8⌉ per node of Y),
///      and skips the rows of nodes that did not report.
///
///      Node counts are read when a matrix is read: a node added during or after an epoch appears in that
///      epoch's matrices with whatever the earlier reports said about it (nothing: 0 = not measured).
///      `disagreementBps` is likewise read at view time; it only affects flags, never values.
contract LatencyOracle is ILatencyOracle, AccessControl, EIP712 {
    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev A network: known flag and node count share one slot; keys by node; retired keys by node.
    struct Network {
        bool known;
        uint32 nodeCount;
        mapping(uint32 node => address) keys;
        mapping(uint32 node => mapping(address key => bool)) retired;
    }

    /// @dev The reports of one (epoch, network, peer network): bit i of `reporters` iff node i reported;
    ///      `rows[i][w]` packs its RTTs 8w … 8w + 7.
    struct ReportSet {
        uint256 reporters;
        uint256[32][256] rows;
    }

    mapping(ChainId network => Network) private _networks;
    ChainId[] private _networkIds;
    mapping(uint64 epoch => mapping(ChainId network => mapping(ChainId peer => ReportSet))) private _reports;
    uint32 private _disagreementBps;

    IAttestationVerifier private immutable _verifier;
    uint64 private immutable _genesisTime;
    uint64 private immutable _epochDuration;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILatencyOracle
    uint32 public constant MISSING = type(uint32).max;
    /// @notice Most nodes a network may have.
    uint32 public constant MAX_NODES = 256;
    /// @notice Largest disagreement tolerance: 1000 % (one direction more than 11 times the other).
    uint32 public constant MAX_DISAGREEMENT_BPS = 100_000;
    /// @notice keccak256 of the `LatencyReport` EIP-712 type string.
    bytes32 public constant REPORT_TYPEHASH = keccak256(
        "LatencyReport(uint64 epoch,uint64 network,uint32 node,uint64 peerNetwork,uint32[] rtts)"
    );

    uint256 private constant _BPS = 10_000;
    /// @dev PairFlag values as numbers (the assembly in `_returnMatrixFrom` computes the same numbers).
    uint8 private constant _AGREE = 0;
    uint8 private constant _DISAGREE = 1;
    uint8 private constant _ONE_SIDED = 2;
    uint8 private constant _MISSING_FLAG = 3;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin Holder of DEFAULT_ADMIN_ROLE: adds networks and nodes, sets the tolerance.
    /// @param verifier The attestation verifier: decides which enclave keys may report for which node.
    /// @param genesis Start of epoch 0 (unix seconds, `genesisTime`); reports are refused before it.
    /// @param duration Seconds per epoch (`epochDuration`, > 0).
    /// @param initialDisagreementBps Initial tolerance (≤ MAX_DISAGREEMENT_BPS).
    constructor(
        address admin,
        IAttestationVerifier verifier,
        uint64 genesis,
        uint64 duration,
        uint32 initialDisagreementBps
    ) EIP712("ClusterKit LatencyOracle", "1") {
        if (admin == address(0) || address(verifier) == address(0)) revert OracleZeroAddress();
        if (duration == 0) revert OracleInvalidParameters();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _verifier = verifier;
        _genesisTime = genesis;
        _epochDuration = duration;
        _setDisagreementBps(initialDisagreementBps);
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILatencyOracle
    function addNetwork(ChainId network) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Network storage net = _networks[network];
        if (net.known) revert OracleNetworkExists(network);
        net.known = true;
        _networkIds.push(network);
        emit NetworkAdded(network);
    }

    /// @inheritdoc ILatencyOracle
    function addNode(ChainId network) external onlyRole(DEFAULT_ADMIN_ROLE) returns (uint32 node) {
        Network storage net = _known(network);
        node = net.nodeCount;
        if (node >= MAX_NODES) revert OracleTooManyNodes(network);
        net.nodeCount = node + 1;
        emit NodeAdded(network, node);
    }

    /// @inheritdoc ILatencyOracle
    /// @dev Checks, in order: known network and node, non-zero key, key not retired for this node, the
    ///      verifier accepts the attestation (its own errors bubble up). The replaced key is retired.
    function registerEnclaveKey(ChainId network, uint32 node, address key, bytes calldata attestation) external {
        Network storage net = _knownNode(network, node);
        if (key == address(0)) revert OracleZeroAddress();
        if (net.retired[node][key]) revert OracleKeyRetired(network, node, key);
        bytes32 measurement = _verifier.verifyAttestation(network, node, key, attestation);
        address previous = net.keys[node];
        if (previous != key) {
            if (previous != address(0)) net.retired[node][previous] = true;
            net.keys[node] = key;
        }
        emit EnclaveKeyRegistered(network, node, key, measurement);
    }

    /// @inheritdoc ILatencyOracle
    /// @dev Checks, in order: known network and node, known peer network, different networks, the
    ///      current epoch (OracleBeforeGenesis before genesis), one RTT per peer node, a registered key,
    ///      the signature by that key, first report for (epoch, network, node, peerNetwork).
    function submitReport(LatencyReport calldata report, bytes calldata signature) external {
        uint64 epoch = _checkReport(report, signature);
        ChainId network = report.network;
        ChainId peer = report.peerNetwork;
        uint32 node = report.node;

        ReportSet storage set = _reports[epoch][network][peer];
        uint256 reported = set.reporters;
        uint256 bit = uint256(1) << node;
        if (reported & bit != 0) revert OracleAlreadyReported(epoch, network, node, peer);
        set.reporters = reported | bit;
        _storeRow(set.rows[node], report.rtts);
        emit ReportSubmitted(epoch, network, node, peer);
    }

    /// @inheritdoc ILatencyOracle
    function setDisagreementBps(uint32 bps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setDisagreementBps(bps);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILatencyOracle
    /// @dev Reverts with OracleBeforeGenesis before `genesisTime`.
    function currentEpoch() public view returns (uint64) {
        if (block.timestamp < _genesisTime) revert OracleBeforeGenesis();
        return uint64((block.timestamp - _genesisTime) / _epochDuration);
    }

    /// @inheritdoc ILatencyOracle
    function nodeCount(ChainId network) external view returns (uint32) {
        return _known(network).nodeCount;
    }

    /// @inheritdoc ILatencyOracle
    function enclaveKey(ChainId network, uint32 node) external view returns (address) {
        return _knownNode(network, node).keys[node];
    }

    /// @inheritdoc ILatencyOracle
    function rtt(
        uint64 epoch,
        ChainId network,
        uint32 node,
        ChainId peerNetwork,
        uint32 peerNode
    ) external view returns (uint32) {
        _knownPair(network, node, peerNetwork, peerNode);
        return _rtt(epoch, network, node, peerNetwork, peerNode);
    }

    /// @inheritdoc ILatencyOracle
    function latency(
        uint64 epoch,
        ChainId a,
        uint32 i,
        ChainId b,
        uint32 j
    ) external view returns (uint32 value, PairFlag flag) {
        _knownPair(a, i, b, j);
        uint8 f;
        (value, f) = _combine(_rtt(epoch, a, i, b, j), _rtt(epoch, b, j, a, i), _disagreementBps);
        flag = PairFlag(f);
    }

    /// @inheritdoc ILatencyOracle
    /// @dev Reverts on an unknown network or a = b. Reads both reporter bitmaps, then every reported row
    ///      once; the ABI-encoded result is written in place and returned from assembly.
    function matrix(uint64 epoch, ChainId a, ChainId b) external view returns (uint32[] memory, uint8[] memory) {
        uint256 n = _known(a).nodeCount;
        uint256 m = _known(b).nodeCount;
        if (a == b) revert OracleSameNetwork(a);
        // Ends the call with the encoded (values, flags).
        _returnMatrix(_reports[epoch][a][b], _reports[epoch][b][a], n, m, _BPS + _disagreementBps);
    }

    /// @inheritdoc ILatencyOracle
    function reportDigest(LatencyReport calldata report) public view returns (bytes32) {
        // EIP-712 encodes uint32[] as the keccak of its elements as 32-byte words: exactly their ABI
        // encoding in calldata. (Elements with dirty high bits hash differently from any signed report,
        // and are rejected by the decoder when stored.)
        uint32[] calldata rtts = report.rtts;
        bytes32 rttsHash;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let len := shl(5, rtts.length)
            calldatacopy(ptr, rtts.offset, len)
            rttsHash := keccak256(ptr, len)
        }
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        REPORT_TYPEHASH,
                        report.epoch,
                        ChainId.unwrap(report.network),
                        report.node,
                        ChainId.unwrap(report.peerNetwork),
                        rttsHash
                    )
                )
            );
    }

    /*//////////////////////////////////////////////////////////////
                             MORE VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILatencyOracle
    function genesisTime() external view returns (uint64) {
        return _genesisTime;
    }

    /// @inheritdoc ILatencyOracle
    function epochDuration() external view returns (uint64) {
        return _epochDuration;
    }

    /// @inheritdoc ILatencyOracle
    function epochStart(uint64 epoch) external view returns (uint256) {
        return uint256(_genesisTime) + uint256(epoch) * _epochDuration;
    }

    /// @inheritdoc ILatencyOracle
    function disagreementBps() external view returns (uint32) {
        return _disagreementBps;
    }

    /// @inheritdoc ILatencyOracle
    function attestationVerifier() external view returns (IAttestationVerifier) {
        return _verifier;
    }

    /// @inheritdoc ILatencyOracle
    function isNetwork(ChainId network) external view returns (bool) {
        return _networks[network].known;
    }

    /// @inheritdoc ILatencyOracle
    function networkCount() external view returns (uint256) {
        return _networkIds.length;
    }

    /// @inheritdoc ILatencyOracle
    function networkAt(uint256 i) external view returns (ChainId) {
        return _networkIds[i];
    }

    /// @inheritdoc ILatencyOracle
    function isKeyRetired(ChainId network, uint32 node, address key) external view returns (bool) {
        return _networks[network].retired[node][key];
    }

    /// @inheritdoc ILatencyOracle
    function reporters(uint64 epoch, ChainId network, ChainId peerNetwork) external view returns (uint256) {
        return _reports[epoch][network][peerNetwork].reporters;
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev The combination rule of docs/LATENCY.md §1 (the assembly in `matrix` is the same rule).
    function _combine(uint256 x, uint256 y, uint256 bps) private pure returns (uint32 value, uint8 flag) {
        (uint256 hi, uint256 lo) = x < y ? (y, x) : (x, y);
        if (lo != 0) return (uint32(hi), hi * _BPS > lo * (_BPS + bps) ? _DISAGREE : _AGREE);
        if (hi != 0) return (uint32(hi), _ONE_SIDED);
        return (MISSING, _MISSING_FLAG);
    }

    /// @dev Writes `abi.encode(uint32[] values, uint8[] flags)` of the n × m matrix after free memory and
    ///      returns it, ending the call. `ab`: reports of A's nodes on B (rows over j); `ba`: B's on A.
    ///      The arguments go through memory (five words at the free memory pointer) to keep the stack
    ///      shallow. First B's reported rows are copied to memory (⌈n/8⌉ words each, zeros for silent
    ///      nodes); then for each node i of A its row is read word by word (not at all if it did not
    ///      report), and entry (i, j) combines lane j of A's row i with lane i of B's row j, branch-free:
    ///        hi = max(x, y), lo = min(x, y), c = (hi·10⁴ > lo·(10⁴ + bps));
    ///        value = hi == 0 ? MISSING : hi;   flag = lo == 0 ? c xor 3 : c
    ///      which is Agree (0) / Disagree (1) when lo > 0; when lo = 0, c = (hi > 0), so the flag is
    ///      OneSided (2) if hi > 0 and Missing (3) if not.
    // solhint-disable-next-line function-max-lines
    function _returnMatrix(
        ReportSet storage ab,
        ReportSet storage ba,
        uint256 n,
        uint256 m,
        uint256 tolerance
    ) private view {
        assembly ("memory-safe") {
            let args := mload(0x40)
            mstore(args, ab.slot)
            mstore(add(args, 0x20), ba.slot)
            mstore(add(args, 0x40), n)
            mstore(add(args, 0x60), m)
            mstore(add(args, 0x80), tolerance)
        }
        _returnMatrixFrom();
    }

    /// @dev The body of `_returnMatrix`, with its arguments at the free memory pointer: ab.slot, ba.slot,
    ///      n, m, 10⁴ + bps.
    // solhint-disable-next-line function-max-lines
    function _returnMatrixFrom() private view {
        assembly ("memory-safe") {
            let args := mload(0x40)
            let m := mload(add(args, 0x60))
            let tolerance := mload(add(args, 0x80))
            let rowBytesB := shl(5, shr(3, add(mload(add(args, 0x40)), 7)))
            let col := add(args, 0xa0)
            {
                let baSlot := mload(add(args, 0x20))
                let repB := sload(baSlot)
                for {
                    let j := 0
                } lt(j, m) {
                    j := add(j, 1)
                } {
                    let dst := add(col, mul(j, rowBytesB))
                    let src := add(baSlot, add(1, shl(5, j)))
                    let has := and(shr(j, repB), 1)
                    for {
                        let off := 0
                    } lt(off, rowBytesB) {
                        off := add(off, 0x20)
                    } {
                        let word := 0
                        if has {
                            word := sload(add(src, shr(5, off)))
                        }
                        mstore(add(dst, off), word)
                    }
                }
            }
            let flagOffset := add(0x20, shl(5, mul(mload(add(args, 0x40)), m)))
            let vPtr := add(col, mul(m, rowBytesB))
            {
                let nm := mul(mload(add(args, 0x40)), m)
                mstore(vPtr, 0x40)
                mstore(add(vPtr, 0x20), add(0x40, flagOffset))
                mstore(add(vPtr, 0x40), nm)
                vPtr := add(vPtr, 0x60)
                mstore(add(vPtr, sub(flagOffset, 0x20)), nm)
            }
            for {
                let i := 0
            } lt(i, mload(add(args, 0x40))) {
                i := add(i, 1)
            } {
                // wSlot: the next word of A's row i, or 0 if node i did not report (its row is all zero).
                let wSlot := mul(and(shr(i, sload(mload(args))), 1), add(mload(args), add(1, shl(5, i))))
                // Word ⌊i/8⌋ of B's row j is at colPtr + j · rowBytesB; i's lane is at bit 32 · (i mod 8).
                let colPtr := add(col, shl(5, shr(3, i)))
                let si := shl(5, and(i, 7))
                for {
                    let j := 0
                } lt(j, m) {
                    j := add(j, 8)
                } {
                    // The next word of A's row: RTTs j … j + 7 (fewer in the last word).
                    let word := 0
                    if wSlot {
                        word := sload(wSlot)
                        wSlot := add(wSlot, 1)
                    }
                    let wordEnd := add(vPtr, shl(5, sub(m, j)))
                    if gt(sub(m, j), 8) {
                        wordEnd := add(vPtr, 0x100)
                    }
                    for {} lt(vPtr, wordEnd) {
                        vPtr := add(vPtr, 0x20)
                    } {
                        let x := and(word, 0xffffffff)
                        word := shr(32, word)
                        let y := and(shr(si, mload(colPtr)), 0xffffffff)
                        colPtr := add(colPtr, rowBytesB)
                        let hi := xor(x, mul(xor(x, y), lt(x, y)))
                        y := xor(xor(x, y), hi) // lo
                        // MISSING (2³² − 1) if both are absent.
                        mstore(vPtr, and(sub(hi, iszero(hi)), 0xffffffff))
                        // c = hi·10⁴ > lo·(10⁴ + bps); flag = c if lo > 0, else 3 − c = c xor 3.
                        mstore(add(vPtr, flagOffset), xor(gt(mul(hi, 10000), mul(y, tolerance)), mul(iszero(y), 3)))
                    }
                }
            }
            let ret := sub(vPtr, add(0x60, shl(5, mul(mload(add(args, 0x40)), m))))
            return(ret, add(sub(vPtr, ret), flagOffset))
        }
    }

    /// @dev Raw RTT of (node of network → peerNode of peerNetwork) in `epoch`; 0 if none. No checks.
    function _rtt(
        uint64 epoch,
        ChainId network,
        uint32 node,
        ChainId peerNetwork,
        uint32 peerNode
    ) private view returns (uint32) {
        uint256 word = _reports[epoch][network][peerNetwork].rows[node][peerNode >> 3];
        return uint32(word >> ((peerNode & 7) << 5));
    }

    /// @dev Every check of `submitReport` but the replay check, in its order; returns the current epoch.
    function _checkReport(LatencyReport calldata report, bytes calldata signature) private view returns (uint64 epoch) {
        ChainId network = report.network;
        uint32 node = report.node;
        Network storage net = _knownNode(network, node);
        uint256 m = _known(report.peerNetwork).nodeCount;
        if (network == report.peerNetwork) revert OracleSameNetwork(network);
        epoch = currentEpoch();
        if (report.epoch != epoch) revert OracleWrongEpoch(report.epoch, epoch);
        if (report.rtts.length != m) revert OracleMalformedReport(report.rtts.length, m);
        address key = net.keys[node];
        if (key == address(0)) revert OracleKeyNotRegistered(network, node);
        // A malformed signature recovers address(0), which is never a registered key.
        (address signer, , ) = ECDSA.tryRecoverCalldata(reportDigest(report), signature);
        if (signer != key) revert OracleBadSignature(signer, key);
    }

    /// @dev Packs `rtts` eight to a word into `row`, skipping all-zero words.
    function _storeRow(uint256[32] storage row, uint32[] calldata rtts) private {
        uint256 m = rtts.length;
        unchecked {
            for (uint256 w; w << 3 < m; ++w) {
                uint256 j = w << 3;
                uint256 end = j + 8 < m ? j + 8 : m;
                uint256 word;
                for (; j < end; ++j) word |= uint256(rtts[j]) << ((j & 7) << 5);
                if (word != 0) row[w] = word;
            }
        }
    }

    function _setDisagreementBps(uint32 bps) private {
        if (bps > MAX_DISAGREEMENT_BPS) revert OracleInvalidParameters();
        _disagreementBps = bps;
        emit DisagreementToleranceUpdated(bps);
    }

    function _known(ChainId network) private view returns (Network storage net) {
        net = _networks[network];
        if (!net.known) revert OracleUnknownNetwork(network);
    }

    function _knownNode(ChainId network, uint32 node) private view returns (Network storage net) {
        net = _known(network);
        if (node >= net.nodeCount) revert OracleUnknownNode(network, node);
    }

    /// @dev Both nodes exist and the networks differ.
    function _knownPair(ChainId a, uint32 i, ChainId b, uint32 j) private view {
        _knownNode(a, i);
        _knownNode(b, j);
        if (a == b) revert OracleSameNetwork(a);
    }
}
