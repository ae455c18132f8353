// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IAttestationVerifier} from "../../contracts/interfaces/IAttestationVerifier.sol";
import {ILatencyOracle} from "../../contracts/interfaces/ILatencyOracle.sol";
// solhint-disable-next-line max-line-length
import {ISignedMeasurementAttestationVerifier} from "../../contracts/interfaces/ISignedMeasurementAttestationVerifier.sol";
import {LatencyOracle} from "../../contracts/latency/LatencyOracle.sol";
import {SignedMeasurementAttestationVerifier} from "../../contracts/latency/SignedMeasurementAttestationVerifier.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";

import {Test} from "./utils/Test.sol";

/// @notice Fuzz tests of LatencyOracle and SignedMeasurementAttestationVerifier with hostile inputs: random
///         epochs, times, networks, nodes, vectors, keys, signatures and attestations. Each call either
///         reverts with the error its first failing check names, changing nothing, or succeeds and stores
///         exactly what was signed; the combined matrix matches the rule computed here.
/// @dev Set up (admin: this contract; genesis GENESIS, epochs of DURATION seconds, tolerance 20 %):
///        network A = 11: 3 nodes, B = 22: 2 nodes, C = 33: 1 node (no key: unregistered),
///        D = 44: 19 nodes (three words of RTTs: 8 + 8 + 3), E = 55: 9 nodes (8 + 1);
///      every node but C's has an enclave key with private key `_pk(network, node)`. Time: epoch 1.
contract LatencyOracleFuzzTest is Test {
    LatencyOracle internal oracle;
    SignedMeasurementAttestationVerifier internal verifier;

    uint64 internal constant GENESIS = 1_000_000;
    uint64 internal constant DURATION = 600;
    uint32 internal constant BPS = 2000;
    uint256 internal constant ATTESTER_PK = 0xA77E57;
    bytes32 internal constant MEASUREMENT = keccak256("clusterkit-sequencer-enclave v1");
    address internal constant STRANGER = address(0xBAD);

    /// @dev secp256k1 group order and half of it (OpenZeppelin rejects s above the half).
    uint256 internal constant N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    uint256 internal constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    uint64[5] internal _ids = [uint64(11), 22, 33, 44, 55];
    uint32[5] internal _sizes = [uint32(3), 2, 1, 19, 9];

    function setUp() public {
        verifier = new SignedMeasurementAttestationVerifier(address(this));
        oracle = new LatencyOracle(address(this), IAttestationVerifier(address(verifier)), GENESIS, DURATION, BPS);
        verifier.approveMeasurement(MEASUREMENT);
        verifier.approveAttestationKey(vm.addr(ATTESTER_PK));
        for (uint256 k; k < 5; ++k) {
            ChainId net = _id(_ids[k]);
            oracle.addNetwork(net);
            for (uint32 i; i < _sizes[k]; ++i) {
                oracle.addNode(net);
                if (_ids[k] != 33) {
                    address key = vm.addr(_pk(net, i));
                    oracle.registerEnclaveKey(net, i, key, _attest(ATTESTER_PK, net, i, key, MEASUREMENT));
                }
            }
        }
        vm.warp(GENESIS + DURATION);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _id(uint64 raw) internal pure returns (ChainId) {
        return ChainId.wrap(raw);
    }

    /// @dev The enclave private key of a node: a deterministic scalar in [1, N − 1].
    function _pk(ChainId net, uint32 node) internal pure returns (uint256) {
        return 1 + (uint256(keccak256(abi.encode("enclave", ChainId.unwrap(net), node))) % (N - 1));
    }

    function _sign(uint256 pk, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        return abi.encodePacked(r, s, v);
    }

    function _attest(
        uint256 attesterPk,
        ChainId net,
        uint32 node,
        address key,
        bytes32 measurement
    ) internal view returns (bytes memory) {
        return abi.encode(measurement, _sign(attesterPk, verifier.registrationDigest(net, node, key, measurement)));
    }

    /// @dev Who OpenZeppelin's tryRecover says signed `digest` (address(0) for any malformed signature).
    function _recover(bytes32 digest, bytes memory sig) internal pure returns (address) {
        if (sig.length != 65) return address(0);
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := mload(add(sig, 0x20))
            s := mload(add(sig, 0x40))
            v := byte(0, mload(add(sig, 0x60)))
        }
        if (uint256(s) > HALF_N) return address(0);
        return ecrecover(digest, v, r, s);
    }

    /// @dev A known network (k < 5 picks _ids[k]) or `raw`.
    function _pickNetwork(uint256 k, uint64 raw) internal view returns (ChainId) {
        return k < 5 ? _id(_ids[k]) : _id(raw);
    }

    function _known(ChainId net) internal view returns (bool known, uint32 size) {
        for (uint256 k; k < 5; ++k) if (_ids[k] == ChainId.unwrap(net)) return (true, _sizes[k]);
    }

    /// @dev A hash of everything the oracle and verifier expose for epochs 0 … 2: networks, node counts,
    ///      keys, reporter bitmaps and matrices of every pair, tolerance, approvals, roles.
    function _fingerprint() internal view returns (bytes32) {
        return _fingerprintAt(0);
    }

    /// @dev `_fingerprint` with epoch `extra` included too.
    function _fingerprintAt(uint64 extra) internal view returns (bytes32 h) {
        h = keccak256(
            abi.encode(
                oracle.networkCount(),
                oracle.disagreementBps(),
                verifier.isMeasurementApproved(MEASUREMENT),
                verifier.isAttestationKeyApproved(vm.addr(ATTESTER_PK)),
                oracle.hasRole(0, STRANGER),
                verifier.hasRole(0, STRANGER)
            )
        );
        for (uint256 k; k < 5; ++k) {
            ChainId net = _id(_ids[k]);
            uint32 n = oracle.nodeCount(net);
            h = keccak256(abi.encode(h, net, n));
            for (uint32 i; i < n; ++i) {
                h = keccak256(
                    abi.encode(h, oracle.enclaveKey(net, i), oracle.isKeyRetired(net, i, vm.addr(_pk(net, i))))
                );
            }
        }
        for (uint64 e; e < 4; ++e) h = _hashEpoch(h, e < 3 ? e : extra);
    }

    function _hashEpoch(bytes32 h, uint64 e) internal view returns (bytes32) {
        for (uint256 k; k < 5; ++k) {
            for (uint256 q = k + 1; q < 5; ++q) {
                (ChainId a, ChainId b) = (_id(_ids[k]), _id(_ids[q]));
                (uint32[] memory values, uint8[] memory flags) = oracle.matrix(e, a, b);
                h = keccak256(abi.encode(h, oracle.reporters(e, a, b), oracle.reporters(e, b, a), values, flags));
            }
        }
        return h;
    }

    /// @dev The combination rule, written out plainly.
    function _rule(uint32 x, uint32 y, uint32 bps) internal pure returns (uint32, uint8) {
        if (x != 0 && y != 0) {
            (uint256 hi, uint256 lo) = x > y ? (uint256(x), uint256(y)) : (uint256(y), uint256(x));
            return (uint32(hi), hi * 10_000 > lo * (10_000 + uint256(bps)) ? 1 : 0);
        }
        if (x != 0 || y != 0) return (x != 0 ? x : y, 2);
        return (type(uint32).max, 3);
    }

    /// @dev A random RTT vector of `m` entries: about a quarter zeros, the rest in [1, 4000] µs, so that
    ///      pairs agree, disagree, are one-sided or missing.
    function _vector(uint256 seed, uint256 m) internal pure returns (uint32[] memory rtts) {
        rtts = new uint32[](m);
        for (uint256 j; j < m; ++j) {
            uint256 h = uint256(keccak256(abi.encode(seed, j)));
            rtts[j] = h % 4 == 0 ? 0 : uint32(1 + ((h >> 8) % 4000));
        }
    }

    function _report(
        uint64 epoch,
        ChainId net,
        uint32 node,
        ChainId peer,
        uint32[] memory rtts
    ) internal pure returns (ILatencyOracle.LatencyReport memory r) {
        r = ILatencyOracle.LatencyReport({epoch: epoch, network: net, node: node, peerNetwork: peer, rtts: rtts});
    }

    function _submit(ILatencyOracle.LatencyReport memory r) internal {
        oracle.submitReport(r, _sign(_pk(r.network, r.node), oracle.reportDigest(r)));
    }

    /*//////////////////////////////////////////////////////////////
                                 EPOCHS
    //////////////////////////////////////////////////////////////*/

    function testFuzz_currentEpoch_followsTime(uint64 t) public {
        vm.warp(t);
        if (t < GENESIS) {
            vm.expectRevert(ILatencyOracle.OracleBeforeGenesis.selector);
            oracle.currentEpoch();
        } else {
            assertEq(oracle.currentEpoch(), (t - GENESIS) / DURATION, "epoch");
            assertLe(oracle.epochStart(oracle.currentEpoch()), t, "start");
        }
    }

    /*//////////////////////////////////////////////////////////////
                             SUBMIT REPORT
    //////////////////////////////////////////////////////////////*/

    /// @dev One hostile report and what must happen to it.
    struct ReportCase {
        ILatencyOracle.LatencyReport report;
        bytes signature;
        uint64 time;
        uint64 current;
        bool twice;
        bytes expected;
    }

    /// @dev Random network, node, peer, epoch, time, vector length, signer and signature bytes; the
    ///      expected outcome follows the documented check order. `picks` bytes: network, peer network,
    ///      epoch shift, vector length, signature mode (0 … 3 the node's key, 4 another node's key, 5 a
    ///      random key, 6 random signature bytes, 7 a signature over another report). A third of the valid
    ///      reports are submitted twice (the second must be refused).
    function testFuzz_submitReport_hostileReports(
        uint256 picks,
        uint64 rawNet,
        uint32 node,
        uint64 rawPeer,
        uint64 rawEpoch,
        uint64 time,
        uint256 seed,
        bytes calldata junk
    ) public {
        ReportCase memory c = _reportCase(picks, rawNet, node, rawPeer, rawEpoch, time, seed);
        c.signature = _reportSignature(c.report, uint8(picks >> 32) % 8, seed, junk);
        _expectReportOutcome(c);

        vm.warp(c.time);
        if (c.twice) oracle.submitReport(c.report, c.signature);
        bytes32 before = _fingerprintAt(c.report.epoch);
        if (c.expected.length != 0) {
            vm.expectRevert(c.expected);
            oracle.submitReport(c.report, c.signature);
            assertEq(_fingerprintAt(c.report.epoch), before, "state changed");
            return;
        }
        ILatencyOracle.LatencyReport memory r = c.report;
        vm.expectEmit(address(oracle));
        emit ILatencyOracle.ReportSubmitted(r.epoch, r.network, r.node, r.peerNetwork);
        oracle.submitReport(r, c.signature);
        assertEq(oracle.reporters(r.epoch, r.network, r.peerNetwork), uint256(1) << r.node, "reporters");
        for (uint32 j; j < r.rtts.length; ++j) {
            assertEq(oracle.rtt(r.epoch, r.network, r.node, r.peerNetwork, j), r.rtts[j], "rtt");
        }
    }

    /// @dev The report of `testFuzz_submitReport_hostileReports` (without its signature).
    function _reportCase(
        uint256 picks,
        uint64 rawNet,
        uint32 node,
        uint64 rawPeer,
        uint64 rawEpoch,
        uint64 time,
        uint256 seed
    ) internal view returns (ReportCase memory c) {
        c.report.network = _pickNetwork(uint8(picks) % 7, rawNet);
        c.report.peerNetwork = _pickNetwork(uint8(picks >> 8) % 7, rawPeer);
        (, uint32 n) = _known(c.report.network);
        (, uint32 m) = _known(c.report.peerNetwork);
        c.report.node = seed % 2 == 0 && n != 0 ? uint32(node % n) : node;
        // Time: mostly after genesis (epochs 0 … 10), sometimes before.
        c.time =
            seed % 8 == 1 ? uint64(bound(time, 0, GENESIS - 1)) : uint64(bound(time, GENESIS, GENESIS + 10 * DURATION));
        c.current = c.time >= GENESIS ? (c.time - GENESIS) / DURATION : 0;
        // Epoch: the current one, one or two off either way, or anything.
        int64 shift = seed % 3 == 0 ? int64(int8(uint8(picks >> 16)) % 3) : int64(0);
        c.report.epoch = seed % 5 == 0 ? rawEpoch : uint64(int64(c.current) + shift);
        c.report.rtts = _vector(seed, seed % 4 == 0 ? uint8(picks >> 24) % 24 : m);
    }

    function _reportSignature(
        ILatencyOracle.LatencyReport memory r,
        uint8 mode,
        uint256 seed,
        bytes calldata junk
    ) internal view returns (bytes memory) {
        bytes32 digest = oracle.reportDigest(r);
        if (mode < 4) return _sign(_pk(r.network, r.node), digest);
        if (mode == 4) return _sign(_pk(r.network, r.node ^ 1), digest);
        if (mode == 5) return _sign(1 + (seed % (N - 1)), digest);
        if (mode == 6) return junk;
        return _sign(_pk(r.network, r.node), keccak256(abi.encode(digest)));
    }

    /// @dev Fills `c.expected` (empty: success) and `c.twice`, following submitReport's check order.
    function _expectReportOutcome(ReportCase memory c) internal view {
        ILatencyOracle.LatencyReport memory r = c.report;
        (bool netKnown, uint32 n) = _known(r.network);
        (bool peerKnown, uint32 m) = _known(r.peerNetwork);
        if (!netKnown) {
            c.expected = abi.encodeWithSelector(ILatencyOracle.OracleUnknownNetwork.selector, r.network);
        } else if (r.node >= n) {
            c.expected = abi.encodeWithSelector(ILatencyOracle.OracleUnknownNode.selector, r.network, r.node);
        } else if (!peerKnown) {
            c.expected = abi.encodeWithSelector(ILatencyOracle.OracleUnknownNetwork.selector, r.peerNetwork);
        } else if (r.network == r.peerNetwork) {
            c.expected = abi.encodeWithSelector(ILatencyOracle.OracleSameNetwork.selector, r.network);
        } else if (c.time < GENESIS) {
            c.expected = abi.encodeWithSelector(ILatencyOracle.OracleBeforeGenesis.selector);
        } else if (r.epoch != c.current) {
            c.expected = abi.encodeWithSelector(ILatencyOracle.OracleWrongEpoch.selector, r.epoch, c.current);
        } else if (r.rtts.length != m) {
            c.expected = abi.encodeWithSelector(ILatencyOracle.OracleMalformedReport.selector, r.rtts.length, m);
        } else {
            address key = oracle.enclaveKey(r.network, r.node);
            address recovered = _recover(oracle.reportDigest(r), c.signature);
            if (key == address(0)) {
                c.expected = abi.encodeWithSelector(ILatencyOracle.OracleKeyNotRegistered.selector, r.network, r.node);
            } else if (recovered != key) {
                c.expected = abi.encodeWithSelector(ILatencyOracle.OracleBadSignature.selector, recovered, key);
            } else if (uint256(keccak256(abi.encode(r))) % 3 == 0) {
                // A third of the valid reports are replays: the same report was submitted first.
                c.twice = true;
                c.expected = abi.encodeWithSelector(
                    ILatencyOracle.OracleAlreadyReported.selector,
                    r.epoch,
                    r.network,
                    r.node,
                    r.peerNetwork
                );
            }
        }
    }

    /// @dev A calldata vector entry that does not fit uint32 is refused, even when the enclave key signed
    ///      the digest of exactly those (dirty) words: the decoder reverts (without data) when storing.
    function testFuzz_submitReport_rejectsDirtyVectorEntries(uint256 dirt, uint8 j) public {
        dirt = bound(dirt, 1, type(uint224).max);
        j = uint8(j % 2);
        ChainId a = _id(11);
        ChainId b = _id(22);
        ILatencyOracle.LatencyReport memory r = _report(1, a, 0, b, _vector(dirt, 2));
        // rtts[j] sits after the selector, the struct's five head words and the length word.
        bytes memory digestCall = abi.encodeCall(oracle.reportDigest, (r));
        _dirty(digestCall, 4 + 32 + 32 * 5 + 32 + 32 * uint256(j), dirt);
        (bool ok, bytes memory ret) = address(oracle).staticcall(digestCall);
        assertTrue(ok, "digest");
        bytes32 dirtyDigest = abi.decode(ret, (bytes32));
        assertTrue(dirtyDigest != oracle.reportDigest(r), "dirty words hash differently");

        bytes memory data = abi.encodeCall(oracle.submitReport, (r, _sign(_pk(a, 0), dirtyDigest)));
        _dirty(data, 4 + 32 * 2 + 32 * 5 + 32 + 32 * uint256(j), dirt);
        bytes32 before = _fingerprint();
        // solhint-disable-next-line avoid-low-level-calls
        (ok, ret) = address(oracle).call(data);
        assertFalse(ok, "dirty vector accepted");
        assertEq(ret.length, 0, "decoder revert");
        assertEq(_fingerprint(), before, "state changed");
    }

    /// @dev Sets bits above the low 32 of the calldata word at byte `at` of `data`.
    function _dirty(bytes memory data, uint256 at, uint256 dirt) internal pure {
        assembly ("memory-safe") {
            let p := add(add(data, 0x20), at)
            mstore(p, or(mload(p), shl(32, dirt)))
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 MATRIX
    //////////////////////////////////////////////////////////////*/

    /// @dev Random reports (random subsets of reporters, random vectors with zeros) between D (19 nodes)
    ///      and E (9 nodes) under a random tolerance: every matrix entry, in both orientations, equals the
    ///      rule applied to the raw RTTs and equals `latency`.
    function testFuzz_matrix_matchesRule(uint256 seed, uint32 bps, uint256 reportersD, uint256 reportersE) public {
        bps = uint32(bound(bps, 0, oracle.MAX_DISAGREEMENT_BPS()));
        oracle.setDisagreementBps(bps);
        (ChainId d, ChainId e) = (_id(44), _id(55));
        uint64 epoch = 1;
        for (uint32 i; i < 19; ++i) {
            if ((reportersD >> i) & 1 == 1) _submit(_report(epoch, d, i, e, _vector(seed ^ i, 9)));
        }
        for (uint32 j; j < 9; ++j) {
            if ((reportersE >> j) & 1 == 1) _submit(_report(epoch, e, j, d, _vector(~seed ^ j, 19)));
        }
        assertEq(oracle.reporters(epoch, d, e), reportersD & ((1 << 19) - 1), "reporters D");
        assertEq(oracle.reporters(epoch, e, d), reportersE & ((1 << 9) - 1), "reporters E");

        _assertMatrix(epoch, d, e, bps);
        // The other orientation swaps x and y: the transposed matrix, same flags.
        _assertMatrix(epoch, e, d, bps);
    }

    /// @dev A matrix read from the oracle, with what is needed to check it.
    struct MatrixView {
        uint64 epoch;
        ChainId a;
        ChainId b;
        uint32 bps;
        uint32 m;
        uint32[] values;
        uint8[] flags;
    }

    /// @dev Every entry of matrix(epoch, a, b) is the rule applied to the raw RTTs; some equal `latency`.
    function _assertMatrix(uint64 epoch, ChainId a, ChainId b, uint32 bps) internal view {
        MatrixView memory mv;
        (mv.epoch, mv.a, mv.b, mv.bps, mv.m) = (epoch, a, b, bps, oracle.nodeCount(b));
        (mv.values, mv.flags) = oracle.matrix(epoch, a, b);
        uint32 n = oracle.nodeCount(a);
        assertEq(mv.values.length, uint256(n) * mv.m, "length");
        assertEq(mv.flags.length, uint256(n) * mv.m, "flags length");
        for (uint32 i; i < n; ++i) {
            for (uint32 j; j < mv.m; ++j) _assertEntry(mv, i, j);
        }
    }

    function _assertEntry(MatrixView memory mv, uint32 i, uint32 j) internal view {
        uint256 k = uint256(i) * mv.m + j;
        uint32 x = oracle.rtt(mv.epoch, mv.a, i, mv.b, j);
        uint32 y = oracle.rtt(mv.epoch, mv.b, j, mv.a, i);
        (uint32 v, uint8 f) = _rule(x, y, mv.bps);
        assertEq(mv.values[k], v, "value");
        assertEq(mv.flags[k], f, "flag");
        if (k % 7 == 0) {
            (uint32 lv, ILatencyOracle.PairFlag lf) = oracle.latency(mv.epoch, mv.a, i, mv.b, j);
            assertEq(lv, v, "latency value");
            assertEq(uint8(lf), f, "latency flag");
        }
    }

    /// @dev Extreme values: 1 and 2³² − 1 in both directions, with the largest tolerance.
    function testFuzz_matrix_extremeValues(bool xMax, bool yMax, bool xZero, bool yZero) public {
        oracle.setDisagreementBps(oracle.MAX_DISAGREEMENT_BPS());
        (ChainId a, ChainId b) = (_id(11), _id(22));
        uint32 x = xZero ? 0 : (xMax ? type(uint32).max : 1);
        uint32 y = yZero ? 0 : (yMax ? type(uint32).max : 1);
        uint32[] memory ra = new uint32[](2);
        ra[1] = x;
        uint32[] memory rb = new uint32[](3);
        rb[2] = y;
        _submit(_report(1, a, 2, b, ra));
        _submit(_report(1, b, 1, a, rb));
        (uint32[] memory values, uint8[] memory flags) = oracle.matrix(1, a, b);
        (uint32 v, uint8 f) = _rule(x, y, oracle.MAX_DISAGREEMENT_BPS());
        assertEq(values[2 * 2 + 1], v, "value");
        assertEq(flags[2 * 2 + 1], f, "flag");
        assertEq(values[0], type(uint32).max, "untouched pair");
        assertEq(flags[0], 3, "untouched flag");
    }

    /*//////////////////////////////////////////////////////////////
                          REGISTER ENCLAVE KEY
    //////////////////////////////////////////////////////////////*/

    /// @dev One hostile registration and what must happen to it.
    struct RegistrationCase {
        ChainId network;
        uint32 node;
        address key;
        bytes attestation;
        bytes expected;
    }

    /// @dev Random network, node, key, measurement, attestation key and attestation bytes. `mode`: 0 a
    ///      proper attestation, 1 an unapproved measurement, 2 an unapproved attestation key, 3 an
    ///      attestation for another node, 4 random bytes, 5 a malformed signature inside a proper encoding.
    function testFuzz_registerEnclaveKey_hostileAttestations(
        uint8 netPick,
        uint64 rawNet,
        uint32 node,
        address key,
        uint8 mode,
        uint256 seed,
        bytes calldata junk
    ) public {
        RegistrationCase memory c;
        c.network = _pickNetwork(netPick % 7, rawNet);
        (bool known, uint32 n) = _known(c.network);
        c.node = seed % 2 == 0 && n != 0 ? uint32(node % n) : node;
        c.key = seed % 5 == 0 ? address(0) : key;
        c.attestation = _registrationAttestation(c, mode % 6, seed, junk);
        if (!known) {
            c.expected = abi.encodeWithSelector(ILatencyOracle.OracleUnknownNetwork.selector, c.network);
        } else if (c.node >= n) {
            c.expected = abi.encodeWithSelector(ILatencyOracle.OracleUnknownNode.selector, c.network, c.node);
        } else if (c.key == address(0)) {
            c.expected = abi.encodeWithSelector(ILatencyOracle.OracleZeroAddress.selector);
        } else if (oracle.isKeyRetired(c.network, c.node, c.key)) {
            c.expected = abi.encodeWithSelector(ILatencyOracle.OracleKeyRetired.selector, c.network, c.node, c.key);
        } else {
            c.expected = _expectedAttestationError(c.network, c.node, c.key, c.attestation);
        }

        bytes32 before = _fingerprint();
        if (c.expected.length != 0) {
            vm.expectRevert(c.expected);
            oracle.registerEnclaveKey(c.network, c.node, c.key, c.attestation);
            assertEq(_fingerprint(), before, "state changed");
            return;
        }
        address previous = oracle.enclaveKey(c.network, c.node);
        vm.prank(STRANGER); // anyone may submit
        oracle.registerEnclaveKey(c.network, c.node, c.key, c.attestation);
        assertEq(oracle.enclaveKey(c.network, c.node), c.key, "key");
        bool retired = previous != c.key && previous != address(0);
        assertEq(oracle.isKeyRetired(c.network, c.node, previous), retired, "retired");
    }

    function _registrationAttestation(
        RegistrationCase memory c,
        uint8 mode,
        uint256 seed,
        bytes calldata junk
    ) internal view returns (bytes memory) {
        if (mode == 4) return junk;
        bytes32 measurement = mode == 1 ? keccak256(abi.encode(seed)) : MEASUREMENT;
        if (mode == 5) return abi.encode(measurement, junk.length == 65 ? bytes("") : junk);
        uint256 attester = mode == 2 ? 1 + (seed % (N - 1)) : ATTESTER_PK;
        return _attest(attester, c.network, mode == 3 ? c.node ^ 1 : c.node, c.key, measurement);
    }

    /// @dev What the verifier must say about `att` for (net, node, key): the same checks, in order.
    function _expectedAttestationError(
        ChainId net,
        uint32 node,
        address key,
        bytes memory att
    ) internal view returns (bytes memory) {
        uint256 len = att.length;
        if (len < 96)
            return abi.encodeWithSelector(ISignedMeasurementAttestationVerifier.AttestationMalformed.selector);
        (bytes32 measurement, uint256 offset, uint256 sigLen) = abi.decode(att, (bytes32, uint256, uint256));
        if (offset != 0x40 || sigLen > len || len != 96 + ((sigLen + 31) / 32) * 32) {
            return abi.encodeWithSelector(ISignedMeasurementAttestationVerifier.AttestationMalformed.selector);
        }
        if (!verifier.isMeasurementApproved(measurement)) {
            return
                abi.encodeWithSelector(
                    ISignedMeasurementAttestationVerifier.AttestationMeasurementNotApproved.selector,
                    measurement
                );
        }
        bytes memory sig = new bytes(sigLen);
        for (uint256 i; i < sigLen; ++i) sig[i] = att[96 + i];
        address signer = _recover(verifier.registrationDigest(net, node, key, measurement), sig);
        if (signer == address(0)) {
            return abi.encodeWithSelector(ISignedMeasurementAttestationVerifier.AttestationInvalidSignature.selector);
        }
        if (!verifier.isAttestationKeyApproved(signer)) {
            return
                abi.encodeWithSelector(
                    ISignedMeasurementAttestationVerifier.AttestationKeyNotApproved.selector,
                    signer
                );
        }
        return "";
    }

    /*//////////////////////////////////////////////////////////////
                                 ROLES
    //////////////////////////////////////////////////////////////*/

    function testFuzz_adminActions_rejectRandomCaller(address caller, uint64 raw, bytes32 measurement) public {
        vm.assume(caller != address(this));
        bytes memory denied = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector,
            caller,
            bytes32(0)
        );
        bytes32 before = _fingerprint();
        vm.startPrank(caller);
        vm.expectRevert(denied);
        oracle.addNetwork(_id(raw));
        vm.expectRevert(denied);
        oracle.addNode(_id(11));
        vm.expectRevert(denied);
        oracle.setDisagreementBps(uint32(uint256(measurement) % 10_000));
        vm.expectRevert(denied);
        verifier.approveMeasurement(measurement);
        vm.expectRevert(denied);
        verifier.revokeMeasurement(MEASUREMENT);
        vm.expectRevert(denied);
        verifier.approveAttestationKey(caller);
        vm.expectRevert(denied);
        verifier.revokeAttestationKey(vm.addr(ATTESTER_PK));
        vm.stopPrank();
        assertEq(_fingerprint(), before, "state changed");
    }
}
