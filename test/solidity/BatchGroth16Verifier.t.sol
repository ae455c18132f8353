// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IBatchGroth16Verifier} from "../../contracts/interfaces/IBatchGroth16Verifier.sol";
import {IRequestQueue} from "../../contracts/interfaces/IRequestQueue.sol";
import {LedgerPublicSignals} from "../../contracts/libraries/LedgerPublicSignals.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";
import {UpdatePublicData} from "../../contracts/types/UpdatePublicData.sol";
import {BatchGroth16Verifier} from "../../contracts/verifiers/BatchGroth16Verifier.sol";

import {BatchGroth16Fixture as F} from "./utils/BatchGroth16Fixture.sol";
import {Test} from "./utils/Test.sol";

/// @notice A request queue whose points are (0, 0) and (p, keccak256(chainId, p) mod r) for 0 < p ≤ 1000.
contract StubRequestQueue {
    uint256 internal constant _R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    function hashAt(ChainId chainId, uint64 position) public pure returns (bytes32) {
        if (position == 0) return bytes32(0);
        return bytes32(uint256(keccak256(abi.encode(chainId, position))) % _R);
    }

    function isQueuePoint(ChainId chainId, uint64 position, bytes32 rollingHash) public pure returns (bool) {
        return position <= 1000 && hashAt(chainId, position) == rollingHash;
    }
}

/// @notice StubRequestQueue with `areQueuePoints` (the AND of its `isQueuePoint`), which the verifier's fast
///         path calls for two or more points; without it (StubRequestQueue) such a batch takes the slow path,
///         one call per update.
contract BatchStubRequestQueue is StubRequestQueue {
    function areQueuePoints(
        ChainId[] calldata chainIds,
        uint64[] calldata positions,
        bytes32[] calldata rollingHashes
    ) external pure returns (bool) {
        if (positions.length != chainIds.length || rollingHashes.length != chainIds.length) {
            revert IRequestQueue.RequestQueueLengthMismatch(chainIds.length, positions.length, rollingHashes.length);
        }
        for (uint256 i; i < chainIds.length; ++i) {
            if (!isQueuePoint(chainIds[i], positions[i], rollingHashes[i])) return false;
        }
        return true;
    }
}

/// @notice The update entry points of BatchGroth16Verifier as first written, for equivalence tests: per
///         update, in order, the proof length, `LedgerPublicSignals.derive`, the queue point (one
///         `isQueuePoint` call, none at position 0), with the compiler's calldata accessors and decoders;
///         then `verifyProofs` of the verifier under test for the batch check (its coordinate errors name
///         the same proof and word). The verifier must answer every input with the same result or the same
///         revert data.
contract ReferenceUpdateVerifier {
    BatchGroth16Verifier internal immutable _verifier;
    IRequestQueue internal immutable _queue;

    constructor(BatchGroth16Verifier verifier_, IRequestQueue queue_) {
        _verifier = verifier_;
        _queue = queue_;
    }

    function verifyBatch(UpdatePublicData[] calldata data, bytes[] calldata proofs) external view returns (bool) {
        uint256 n = proofs.length;
        _checkCount(n, data.length);
        uint256[8][] memory words = new uint256[8][](n);
        uint256[5][] memory signals = new uint256[5][](n);
        for (uint256 i; i < n; ++i) {
            bytes calldata proof = proofs[i];
            if (proof.length != 256) revert IBatchGroth16Verifier.BatchGroth16VerifierBadProofLength(i, proof.length);
            signals[i] = _checked(data[i], i);
            words[i] = abi.decode(proof, (uint256[8]));
        }
        return _batch(words, signals);
    }

    function verifyBatchWords(
        UpdatePublicData[] calldata data,
        uint256[8][] calldata proofs
    ) external view returns (bool) {
        uint256 n = proofs.length;
        _checkCount(n, data.length);
        uint256[8][] memory words = new uint256[8][](n);
        uint256[5][] memory signals = new uint256[5][](n);
        for (uint256 i; i < n; ++i) {
            signals[i] = _checked(data[i], i);
            words[i] = proofs[i];
        }
        return _batch(words, signals);
    }

    function verify(UpdatePublicData calldata data, bytes calldata proof) external view returns (bool) {
        if (proof.length != 256) revert IBatchGroth16Verifier.BatchGroth16VerifierBadProofLength(0, proof.length);
        uint256[8][] memory words = new uint256[8][](1);
        uint256[5][] memory signals = new uint256[5][](1);
        signals[0] = _checked(data, 0);
        words[0] = abi.decode(proof, (uint256[8]));
        return _batch(words, signals);
    }

    function _checkCount(uint256 n, uint256 inputs) internal pure {
        if (n != inputs) revert IBatchGroth16Verifier.BatchGroth16VerifierLengthMismatch(n, inputs);
        if (n == 0) revert IBatchGroth16Verifier.BatchGroth16VerifierEmptyBatch();
        if (n > 64) revert IBatchGroth16Verifier.BatchGroth16VerifierBatchTooLarge(n, 64);
    }

    function _checked(UpdatePublicData calldata d, uint256 i) internal view returns (uint256[5] memory s) {
        s = LedgerPublicSignals.derive(d);
        bool point =
            d.queuePosition == 0
                ? d.queueHash == bytes32(0)
                : _queue.isQueuePoint(d.chainId, d.queuePosition, d.queueHash);
        if (!point) revert IBatchGroth16Verifier.BatchGroth16VerifierQueueMismatch(i, d.queuePosition, d.queueHash);
    }

    function _batch(uint256[8][] memory words, uint256[5][] memory signals) internal view returns (bool) {
        try _verifier.verifyProofs(words, signals) returns (bool ok) {
            return ok;
        } catch (bytes memory err) {
            assembly ("memory-safe") {
                revert(add(err, 0x20), mload(err))
            }
        }
    }
}

/// @notice Unit and fuzz tests of BatchGroth16Verifier with the `test_five` toy circuit's key and proofs
///         (BatchGroth16Fixture, generated by scripts/gen-batch-groth16-fixture.ts). Valid batches of the
///         fixture proofs are accepted; random, altered or misplaced proofs and signals never are; hostile
///         input reverts only with the verifier's (or LedgerPublicSignals') custom errors.
contract BatchGroth16VerifierTest is Test {
    BatchGroth16Verifier internal verifier;
    BatchStubRequestQueue internal queue;
    /// @dev The same key with a queue that has no `areQueuePoints`: the slow path for every batch with two
    ///      or more queue points off position 0 (one goes to `isQueuePoint`).
    BatchGroth16Verifier internal slowVerifier;
    ReferenceUpdateVerifier internal refVerifier;

    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

    function setUp() public {
        queue = new BatchStubRequestQueue();
        verifier = new BatchGroth16Verifier(F.verifyingKey(), IRequestQueue(address(queue)));
        slowVerifier = new BatchGroth16Verifier(F.verifyingKey(), IRequestQueue(address(new StubRequestQueue())));
        refVerifier = new ReferenceUpdateVerifier(verifier, IRequestQueue(address(queue)));
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev n fixture proofs, proof i being fixture proof (first + i) mod PROOFS, with their signals.
    function _batch(
        uint256 n,
        uint256 first
    ) internal pure returns (uint256[8][] memory proofs, uint256[5][] memory signals) {
        proofs = new uint256[8][](n);
        signals = new uint256[5][](n);
        for (uint256 i; i < n; ++i) {
            proofs[i] = F.proof((first + i) % F.PROOFS);
            signals[i] = F.signals((first + i) % F.PROOFS);
        }
    }

    /// @dev The update the fixture's `updateProof` proves.
    function _update() internal pure returns (UpdatePublicData memory d) {
        d.chainId = ChainId.wrap(F.UPDATE_CHAIN_ID);
        d.l2Block = F.UPDATE_L2_BLOCK;
        d.queuePosition = F.UPDATE_QUEUE_POSITION;
        d.prevRoot = F.UPDATE_PREV_ROOT;
        d.newRoot = F.UPDATE_NEW_ROOT;
        d.queueHash = F.UPDATE_QUEUE_HASH;
        d.withdrawalRoot = F.UPDATE_WITHDRAWAL_ROOT;
    }

    function _bytes(uint256[8] memory w) internal pure returns (bytes memory) {
        return abi.encode([w[0], w[1]], [[w[2], w[3]], [w[4], w[5]]], [w[6], w[7]]);
    }

    /// @dev Whether `err` is one of the custom errors a rejection may carry.
    function _isCustomError(bytes memory err) internal pure returns (bool) {
        if (err.length < 4) return false;
        bytes4 s = bytes4(err);
        return
            s == IBatchGroth16Verifier.BatchGroth16VerifierEmptyBatch.selector ||
            s == IBatchGroth16Verifier.BatchGroth16VerifierBatchTooLarge.selector ||
            s == IBatchGroth16Verifier.BatchGroth16VerifierLengthMismatch.selector ||
            s == IBatchGroth16Verifier.BatchGroth16VerifierSignalNotInField.selector ||
            s == IBatchGroth16Verifier.BatchGroth16VerifierCoordinateNotInField.selector ||
            s == IBatchGroth16Verifier.BatchGroth16VerifierBadProofLength.selector ||
            s == IBatchGroth16Verifier.BatchGroth16VerifierQueueMismatch.selector ||
            s == LedgerPublicSignals.LedgerPublicSignalsNotInField.selector ||
            s == LedgerPublicSignals.LedgerPublicSignalsUnsupportedField.selector;
    }

    /// @dev verifyProofs must answer false or revert with a custom error.
    function _assertProofsRejected(uint256[8][] memory proofs, uint256[5][] memory signals) internal view {
        try verifier.verifyProofs(proofs, signals) returns (bool ok) {
            assertFalse(ok, "accepted");
        } catch (bytes memory err) {
            assertTrue(_isCustomError(err), "not a custom error");
        }
    }

    /// @dev verifyBatch must answer false or revert with a custom error.
    function _assertBatchRejected(UpdatePublicData[] memory data, bytes[] memory proofs) internal view {
        try verifier.verifyBatch(data, proofs) returns (bool ok) {
            assertFalse(ok, "accepted");
        } catch (bytes memory err) {
            assertTrue(_isCustomError(err), "not a custom error");
        }
    }

    /// @dev Element `element` of proof `i` (0..7: proof words, 8..12: signals 0..4), changed by `delta` ≠ 0
    ///      while staying in range (below q for words, below r for signals).
    function _alter(
        uint256[8][] memory proofs,
        uint256[5][] memory signals,
        uint256 i,
        uint256 element,
        uint256 delta
    ) internal pure {
        if (element < 8) {
            delta = bound(delta, 1, Q - 1);
            proofs[i][element] = addmod(proofs[i][element], delta, Q);
        } else {
            delta = bound(delta, 1, R - 1);
            signals[i][element - 8] = addmod(signals[i][element - 8], delta, R);
        }
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    function test_constructor_storesKeyAndQueue() public view {
        IBatchGroth16Verifier.VerifyingKey memory vk = verifier.verifyingKey();
        assertEq(keccak256(abi.encode(vk)), keccak256(abi.encode(F.verifyingKey())), "verifying key");
        assertEq(verifier.queue(), address(queue), "queue");
        assertEq(verifier.MAX_BATCH(), 64, "max batch");
    }

    function test_constructor_revertsOnZeroQueue() public {
        vm.expectRevert(IBatchGroth16Verifier.BatchGroth16VerifierZeroAddress.selector);
        new BatchGroth16Verifier(F.verifyingKey(), IRequestQueue(address(0)));
    }

    function test_constructor_revertsOnG2InSnarkjsOrder() public {
        IBatchGroth16Verifier.VerifyingKey memory vk = F.verifyingKey();
        (vk.delta2[0][0], vk.delta2[0][1]) = (vk.delta2[0][1], vk.delta2[0][0]);
        (vk.delta2[1][0], vk.delta2[1][1]) = (vk.delta2[1][1], vk.delta2[1][0]);
        vm.expectRevert(IBatchGroth16Verifier.BatchGroth16VerifierInvalidKey.selector);
        new BatchGroth16Verifier(vk, IRequestQueue(address(queue)));
    }

    function testFuzz_constructor_revertsOnAlteredKey(uint256 word, uint256 delta) public {
        // Words 0..1 alpha, 2..13 beta, gamma, delta, 14..25 IC: any change leaves its curve (or the range).
        word = bound(word, 0, 25);
        delta = bound(delta, 1, type(uint256).max);
        IBatchGroth16Verifier.VerifyingKey memory vk = F.verifyingKey();
        uint256[26] memory w = abi.decode(abi.encode(vk), (uint256[26]));
        unchecked {
            w[word] += delta;
        }
        vk = abi.decode(abi.encode(w), (IBatchGroth16Verifier.VerifyingKey));
        // A change to another point on the curve is possible in principle but has negligible probability.
        vm.expectRevert(IBatchGroth16Verifier.BatchGroth16VerifierInvalidKey.selector);
        new BatchGroth16Verifier(vk, IRequestQueue(address(queue)));
    }

    /*//////////////////////////////////////////////////////////////
                             VERIFY PROOFS
    //////////////////////////////////////////////////////////////*/

    function test_verifyProofs_acceptsFixtureBatches() public view {
        for (uint256 n = 1; n <= F.PROOFS; ++n) {
            (uint256[8][] memory p, uint256[5][] memory s) = _batch(n, n);
            assertTrue(verifier.verifyProofs(p, s), "fixture batch");
        }
        (uint256[8][] memory p64, uint256[5][] memory s64) = _batch(64, 0);
        assertTrue(verifier.verifyProofs(p64, s64), "batch of 64");
    }

    function test_verifyProofs_revertsOnEmptyBatch() public {
        vm.expectRevert(IBatchGroth16Verifier.BatchGroth16VerifierEmptyBatch.selector);
        verifier.verifyProofs(new uint256[8][](0), new uint256[5][](0));
    }

    function test_verifyProofs_revertsOnBatchTooLarge() public {
        (uint256[8][] memory p, uint256[5][] memory s) = _batch(65, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IBatchGroth16Verifier.BatchGroth16VerifierBatchTooLarge.selector, 65, 64)
        );
        verifier.verifyProofs(p, s);
    }

    function testFuzz_verifyProofs_lengths(uint256 proofCount, uint256 signalCount) public {
        proofCount = bound(proofCount, 0, 70);
        signalCount = bound(signalCount, 0, 70);
        (uint256[8][] memory p, ) = _batch(proofCount, 1);
        (, uint256[5][] memory s) = _batch(signalCount, 1);
        if (proofCount != signalCount) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IBatchGroth16Verifier.BatchGroth16VerifierLengthMismatch.selector,
                    proofCount,
                    signalCount
                )
            );
        } else if (proofCount == 0) {
            vm.expectRevert(IBatchGroth16Verifier.BatchGroth16VerifierEmptyBatch.selector);
        } else if (proofCount > 64) {
            vm.expectRevert(
                abi.encodeWithSelector(IBatchGroth16Verifier.BatchGroth16VerifierBatchTooLarge.selector, proofCount, 64)
            );
        }
        bool ok = verifier.verifyProofs(p, s);
        if (proofCount == signalCount && proofCount > 0 && proofCount <= 64) assertTrue(ok, "valid batch");
    }

    function testFuzz_verifyProofs_randomProofNeverAccepted(uint256[8] memory words, uint256[5] memory x) public view {
        uint256[8][] memory p = new uint256[8][](1);
        uint256[5][] memory s = new uint256[5][](1);
        p[0] = words;
        s[0] = x;
        _assertProofsRejected(p, s);
        // The same values brought into range must give a plain false.
        for (uint256 k; k < 8; ++k) p[0][k] = words[k] % Q;
        for (uint256 j; j < 5; ++j) s[0][j] = x[j] % R;
        assertFalse(verifier.verifyProofs(p, s), "random in-range proof");
    }

    function testFuzz_verifyProofs_randomProofInValidBatch(uint256 n, uint256 at, uint256[8] memory words) public view {
        n = bound(n, 1, 8);
        at = bound(at, 0, n - 1);
        (uint256[8][] memory p, uint256[5][] memory s) = _batch(n, at);
        for (uint256 k; k < 8; ++k) p[at][k] = words[k] % Q;
        assertFalse(verifier.verifyProofs(p, s), "random proof among valid ones");
    }

    function testFuzz_verifyProofs_alteredElementRejected(
        uint256 n,
        uint256 at,
        uint256 element,
        uint256 delta
    ) public view {
        n = bound(n, 1, 8);
        at = bound(at, 0, n - 1);
        element = bound(element, 0, 12);
        (uint256[8][] memory p, uint256[5][] memory s) = _batch(n, n + at);
        _alter(p, s, at, element, delta);
        assertFalse(verifier.verifyProofs(p, s), "altered element");
    }

    function testFuzz_verifyProofs_swappedSignalsRejected(uint256 n, uint256 a, uint256 b) public view {
        n = bound(n, 2, 8);
        a = bound(a, 0, n - 1);
        b = bound(b, 0, n - 1);
        (uint256[8][] memory p, uint256[5][] memory s) = _batch(n, 0);
        // Proofs a and b must be of different statements for the swap to matter.
        vm.assume(a % F.PROOFS != b % F.PROOFS);
        (s[a], s[b]) = (s[b], s[a]);
        assertFalse(verifier.verifyProofs(p, s), "signals swapped");
    }

    function testFuzz_verifyProofs_revertsOnOutOfRangeValue(
        uint256 n,
        uint256 at,
        uint256 element,
        uint256 value
    ) public {
        n = bound(n, 1, 8);
        at = bound(at, 0, n - 1);
        element = bound(element, 0, 12);
        (uint256[8][] memory p, uint256[5][] memory s) = _batch(n, 0);
        if (element < 8) {
            value = bound(value, Q, type(uint256).max);
            p[at][element] = value;
            vm.expectRevert(
                abi.encodeWithSelector(
                    IBatchGroth16Verifier.BatchGroth16VerifierCoordinateNotInField.selector,
                    at,
                    element,
                    value
                )
            );
        } else {
            value = bound(value, R, type(uint256).max);
            s[at][element - 8] = value;
            vm.expectRevert(
                abi.encodeWithSelector(
                    IBatchGroth16Verifier.BatchGroth16VerifierSignalNotInField.selector,
                    at,
                    element - 8,
                    value
                )
            );
        }
        verifier.verifyProofs(p, s);
    }

    /*//////////////////////////////////////////////////////////////
                          VERIFY AND VERIFY BATCH
    //////////////////////////////////////////////////////////////*/

    function test_verify_acceptsFixtureUpdate() public view {
        assertTrue(verifier.verify(_update(), _bytes(F.updateProof())), "verify");
        UpdatePublicData[] memory d = new UpdatePublicData[](3);
        bytes[] memory b = new bytes[](3);
        for (uint256 i; i < 3; ++i) (d[i], b[i]) = (_update(), _bytes(F.updateProof()));
        assertTrue(verifier.verifyBatch(d, b), "verifyBatch");
    }

    function test_verify_revertsOnQueueMismatch() public {
        UpdatePublicData memory d = _update();
        d.queueHash = bytes32(uint256(1));
        vm.expectRevert(
            abi.encodeWithSelector(
                IBatchGroth16Verifier.BatchGroth16VerifierQueueMismatch.selector,
                0,
                uint64(0),
                bytes32(uint256(1))
            )
        );
        verifier.verify(d, _bytes(F.updateProof()));
    }

    function testFuzz_verify_revertsOnBadProofLength(uint256 length) public {
        length = bound(length, 0, 600);
        vm.assume(length != 256);
        vm.expectRevert(
            abi.encodeWithSelector(IBatchGroth16Verifier.BatchGroth16VerifierBadProofLength.selector, 0, length)
        );
        verifier.verify(_update(), new bytes(length));
    }

    function testFuzz_verify_alteredUpdateRejected(uint256 field, uint256 value) public view {
        // Fields the proof binds (chainId, l2Block, roots, withdrawalRoot) changed to another value; the
        // queue point stays (0, 0), which holds for every chain.
        field = bound(field, 0, 4);
        UpdatePublicData memory d = _update();
        if (field == 0) {
            uint64 v = uint64(value);
            vm.assume(v != F.UPDATE_CHAIN_ID);
            d.chainId = ChainId.wrap(v);
        } else if (field == 1) {
            uint64 v = uint64(value);
            vm.assume(v != F.UPDATE_L2_BLOCK);
            d.l2Block = v;
        } else {
            vm.assume(
                value !=
                    uint256(
                        field == 2
                            ? F.UPDATE_PREV_ROOT
                            : field == 3
                                ? F.UPDATE_NEW_ROOT
                                : F.UPDATE_WITHDRAWAL_ROOT
                    )
            );
            if (field == 2) d.prevRoot = bytes32(value);
            if (field == 3) d.newRoot = bytes32(value);
            if (field == 4) d.withdrawalRoot = bytes32(value);
        }
        UpdatePublicData[] memory ds = new UpdatePublicData[](1);
        bytes[] memory bs = new bytes[](1);
        (ds[0], bs[0]) = (d, _bytes(F.updateProof()));
        _assertBatchRejected(ds, bs);
    }

    function testFuzz_verifyBatch_hostileUpdatesNeverAccepted(
        UpdatePublicData memory d,
        bytes memory proof,
        uint8 mode
    ) public view {
        // Bits of `mode` tame parts of the random input, so that every check is reached: bit 0 puts the
        // update on a queue point, bit 1 makes its fields acceptable to LedgerPublicSignals, bit 2 gives the
        // proof its exact length, bit 3 brings the proof's words below q (the batch check then runs).
        if (mode & 1 != 0) {
            d.queuePosition = uint64(bound(d.queuePosition, 0, 1000));
            d.queueHash = queue.hashAt(d.chainId, d.queuePosition);
        }
        if (mode & 2 != 0) {
            d.prevRoot = bytes32(uint256(d.prevRoot) % R);
            d.newRoot = bytes32(uint256(d.newRoot) % R);
            d.withdrawalRoot = bytes32(uint256(d.withdrawalRoot) % R);
            d.outboxRoot = bytes32(0);
            d.inboxRoot = bytes32(0);
        }
        if (mode & 4 != 0) {
            bytes memory exact = new bytes(256);
            for (uint256 k; k < proof.length && k < 256; ++k) exact[k] = proof[k];
            proof = exact;
            if (mode & 8 != 0) {
                uint256[8] memory w = abi.decode(proof, (uint256[8]));
                for (uint256 k; k < 8; ++k) w[k] %= Q;
                proof = _bytes(w);
            }
        }
        UpdatePublicData[] memory ds = new UpdatePublicData[](2);
        bytes[] memory bs = new bytes[](2);
        (ds[0], bs[0]) = (_update(), _bytes(F.updateProof()));
        (ds[1], bs[1]) = (d, proof);
        _assertBatchRejected(ds, bs);
    }

    function testFuzz_verifyBatch_randomProofForValidUpdateRejected(uint256[8] memory words, uint256 at) public view {
        at = bound(at, 0, 2);
        UpdatePublicData[] memory ds = new UpdatePublicData[](3);
        bytes[] memory bs = new bytes[](3);
        for (uint256 i; i < 3; ++i) (ds[i], bs[i]) = (_update(), _bytes(F.updateProof()));
        for (uint256 k; k < 8; ++k) words[k] %= Q;
        bs[at] = _bytes(words);
        assertFalse(verifier.verifyBatch(ds, bs), "random proof");
    }

    /*//////////////////////////////////////////////////////////////
                  FAST PATH: EQUIVALENCE WITH THE REFERENCE
    //////////////////////////////////////////////////////////////*/

    /// @dev Gas of each call of an equivalence check: a failing precompile call (a point off its curve)
    ///      consumes what it is given, and three calls follow one another.
    uint256 internal constant CALL_GAS = 8_000_000;

    /// @dev `callData` sent to the reference, the verifier (fast path) and the verifier without
    ///      `areQueuePoints` (slow path): the same success and the same return or revert data from all three.
    function _assertSameOutcome(
        bytes memory callData,
        string memory what
    ) internal view returns (bool ok, bytes memory ret) {
        (ok, ret) = address(refVerifier).staticcall{gas: CALL_GAS}(callData);
        (bool okFast, bytes memory retFast) = address(verifier).staticcall{gas: CALL_GAS}(callData);
        (bool okSlow, bytes memory retSlow) = address(slowVerifier).staticcall{gas: CALL_GAS}(callData);
        assertEq(okFast, ok, what);
        assertEq(retFast, ret, what);
        assertEq(okSlow, ok, what);
        assertEq(retSlow, ret, what);
    }

    /// @dev n updates: the fixture update (position 0, with its valid proof) or, with `points`, updates of the
    ///      fixture chain at queue points 1.. (real points, wrong proofs: the batch check fails).
    function _updates(
        uint256 n,
        bool points
    ) internal view returns (UpdatePublicData[] memory ds, uint256[8][] memory ws, bytes[] memory bs) {
        ds = new UpdatePublicData[](n);
        ws = new uint256[8][](n);
        bs = new bytes[](n);
        for (uint256 i; i < n; ++i) {
            ds[i] = _update();
            if (points) {
                ds[i].queuePosition = uint64(i + 1);
                ds[i].queueHash = queue.hashAt(ds[i].chainId, uint64(i + 1));
            }
            ws[i] = F.updateProof();
            bs[i] = _bytes(ws[i]);
        }
    }

    /// @dev The three update entry points' calldata for a batch (`verify` with its first update).
    function _calls(
        UpdatePublicData[] memory ds,
        uint256[8][] memory ws,
        bytes[] memory bs
    ) internal pure returns (bytes[3] memory c) {
        c[0] = abi.encodeCall(BatchGroth16Verifier.verifyBatch, (ds, bs));
        c[1] = abi.encodeCall(BatchGroth16Verifier.verifyBatchWords, (ds, ws));
        c[2] = abi.encodeCall(BatchGroth16Verifier.verify, (ds[0], bs[0]));
    }

    function test_fastPath_acceptsFixtureUpdatesAsReference() public view {
        for (uint256 n = 1; n <= 5; ++n) {
            (UpdatePublicData[] memory ds, uint256[8][] memory ws, bytes[] memory bs) = _updates(n, false);
            bytes[3] memory c = _calls(ds, ws, bs);
            for (uint256 k; k < 3; ++k) {
                (bool ok, bytes memory ret) = _assertSameOutcome(c[k], "fixture batch");
                assertTrue(ok && abi.decode(ret, (bool)), "fixture batch accepted");
            }
            assertTrue(verifier.verifyBatchWords(ds, ws), "verifyBatchWords");
        }
    }

    function test_fastPath_queuePointsAsReference() public view {
        // Real queue points with wrong proofs: one queue call (isQueuePoint for one point, areQueuePoints for
        // more), then a failed batch check (false).
        for (uint256 n = 1; n <= 4; ++n) {
            (UpdatePublicData[] memory ds, uint256[8][] memory ws, bytes[] memory bs) = _updates(n, true);
            bytes[3] memory c = _calls(ds, ws, bs);
            for (uint256 k; k < 3; ++k) {
                (bool ok, bytes memory ret) = _assertSameOutcome(c[k], "queue points");
                assertTrue(ok && !abi.decode(ret, (bool)), "false");
            }
            // One of them off the queue: QueueMismatch names it, wherever it is.
            for (uint256 at; at < n; ++at) {
                (ds, ws, bs) = _updates(n, true);
                ds[at].queueHash = bytes32(uint256(ds[at].queueHash) ^ 1);
                c = _calls(ds, ws, bs);
                for (uint256 k; k < 3; ++k) {
                    if (k == 2 && at != 0) continue;
                    (bool ok, bytes memory ret) = _assertSameOutcome(c[k], "off the queue");
                    assertFalse(ok, "off the queue: reverts");
                    assertEq(
                        ret,
                        abi.encodeWithSelector(
                            IBatchGroth16Verifier.BatchGroth16VerifierQueueMismatch.selector,
                            at,
                            ds[at].queuePosition,
                            ds[at].queueHash
                        ),
                        "QueueMismatch(at, position, hash)"
                    );
                }
            }
        }
    }

    function test_fastPath_oneQueueCallIsCheaper() public view {
        (UpdatePublicData[] memory ds, uint256[8][] memory ws, ) = _updates(8, true);
        uint256 g = gasleft();
        assertFalse(verifier.verifyBatchWords(ds, ws), "fast");
        uint256 fast = g - gasleft();
        g = gasleft();
        assertFalse(slowVerifier.verifyBatchWords(ds, ws), "slow");
        uint256 slow = g - gasleft();
        assertLt(fast, slow, "one areQueuePoints call instead of eight isQueuePoint calls");
    }

    function test_fastPath_uint64FieldsAboveRangeAsReference() public view {
        // Hand-made calldata with bit 64 set in a uint64 field of an update (no ABI encoder makes it): the
        // compiler's reads revert without data; ackBlock is never read, so the update is still accepted.
        for (uint256 field; field < 4; ++field) {
            for (uint256 at; at < 2; ++at) {
                (UpdatePublicData[] memory ds, uint256[8][] memory ws, bytes[] memory bs) = _updates(2, false);
                bytes[3] memory c = _calls(ds, ws, bs);
                for (uint256 k; k < 3; ++k) {
                    if (k == 2 && at == 1) continue;
                    // verifyBatch(Words): selector, two heads, the length, then 10 words per update; verify:
                    // selector, then the update's 10 words.
                    uint256 offset = k == 2 ? 4 : 4 + 0x60 + at * 0x140;
                    _orWord(c[k], offset + field * 0x20, 1 << 64);
                    (bool ok, bytes memory ret) = _assertSameOutcome(c[k], "uint64 field above range");
                    if (field == 1) {
                        assertTrue(ok && abi.decode(ret, (bool)), "ackBlock is not read");
                    } else {
                        assertFalse(ok, "reverts");
                        assertEq(ret.length, 0, "without data");
                    }
                }
            }
        }
    }

    function test_fastPath_coordinatesNotInFieldAsReference() public view {
        // Every word of every proof of a batch of three, just or far out of range, alone or after an error
        // of a later update (the updates are all checked first, as in the reference).
        uint256[3] memory values = [Q, Q + 1, type(uint256).max];
        for (uint256 i; i < 3; ++i) {
            for (uint256 k; k < 8; ++k) {
                for (uint256 m; m < 4; ++m) {
                    (UpdatePublicData[] memory ds, uint256[8][] memory ws, bytes[] memory bs) = _updates(3, m == 3);
                    ws[i][k] = values[m % 3];
                    bs[i] = _bytes(ws[i]);
                    if (m == 2) ds[(i + 1) % 3].outboxRoot = bytes32(uint256(1));
                    bytes[3] memory c = _calls(ds, ws, bs);
                    for (uint256 e; e < 2; ++e) {
                        (bool ok, bytes memory ret) = _assertSameOutcome(c[e], "coordinate not in field");
                        assertFalse(ok, "reverts");
                        if (m != 2) {
                            assertEq(
                                ret,
                                abi.encodeWithSelector(
                                    IBatchGroth16Verifier.BatchGroth16VerifierCoordinateNotInField.selector,
                                    i,
                                    k,
                                    values[m % 3]
                                ),
                                "CoordinateNotInField(i, k, value)"
                            );
                        }
                    }
                    if (i == 0) {
                        (bool ok, ) = _assertSameOutcome(c[2], "verify: coordinate not in field");
                        assertFalse(ok, "verify reverts");
                    }
                }
            }
        }
    }

    /// @dev Hostile updates and proofs in a batch of fixture updates: the fast path (assembly derive, one
    ///      queue call, range checks while loading) must give exactly the reference's result or error, for
    ///      every entry point. Bits of `mode` tame parts of the input so that every check is reached and
    ///      passed: 1 a queue point at a position > 0, 2 position 0 with hash 0, 4 fields derive accepts,
    ///      8 proof words below q, 16 the fixture proof, 32 the fixture update but for ackBlock, 64 a proof
    ///      of the wrong length, 128 the other updates at queue points > 0.
    function testFuzz_fastPath_hostileUpdatesMatchReference(
        UpdatePublicData memory d,
        uint256[8] memory words,
        uint256 n,
        uint256 at,
        uint16 mode,
        uint256 proofLength
    ) public view {
        n = bound(n, 1, 4);
        at = bound(at, 0, n - 1);
        if (mode & 1 != 0) {
            d.queuePosition = uint64(bound(d.queuePosition, 1, 1000));
            d.queueHash = queue.hashAt(d.chainId, d.queuePosition);
        }
        if (mode & 2 != 0) {
            d.queuePosition = 0;
            d.queueHash = bytes32(0);
        }
        if (mode & 4 != 0) {
            d.prevRoot = bytes32(uint256(d.prevRoot) % R);
            d.newRoot = bytes32(uint256(d.newRoot) % R);
            d.queueHash = bytes32(uint256(d.queueHash) % R);
            d.withdrawalRoot = bytes32(uint256(d.withdrawalRoot) % R);
            d.outboxRoot = bytes32(0);
            d.inboxRoot = bytes32(0);
        }
        if (mode & 8 != 0) for (uint256 k; k < 8; ++k) words[k] %= Q;
        if (mode & 16 != 0) words = F.updateProof();
        if (mode & 32 != 0) {
            uint64 ackBlock = d.ackBlock;
            d = _update();
            d.ackBlock = ackBlock;
        }
        (UpdatePublicData[] memory ds, uint256[8][] memory ws, bytes[] memory bs) = _updates(n, mode & 128 != 0);
        (ds[at], ws[at], bs[at]) = (d, words, _bytes(words));
        if (mode & 64 != 0) {
            bs[at] = new bytes(bound(proofLength, 0, 300));
            if (bs[at].length == 256) bs[at] = new bytes(257);
        }
        bytes[3] memory c = _calls(ds, ws, bs);
        _assertSameOutcome(c[0], "verifyBatch");
        _assertSameOutcome(c[1], "verifyBatchWords");
        _assertSameOutcome(abi.encodeCall(BatchGroth16Verifier.verify, (d, bs[at])), "verify");
    }

    /// @dev Any word of valid calldata (offsets, lengths, fields, proof words) replaced, or the calldata cut
    ///      short: the fast path's own calldata checks (a `bytes` proof's offset and length, a uint64 field's
    ///      range) must agree with the compiler's accessors and decoders, through the same result or error.
    function testFuzz_fastPath_mutatedCalldataMatchesReference(
        uint256 fn,
        uint256 n,
        bool points,
        uint256 where,
        uint256 value,
        uint8 kind
    ) public view {
        (UpdatePublicData[] memory ds, uint256[8][] memory ws, bytes[] memory bs) = _updates(bound(n, 1, 3), points);
        bytes memory c = _calls(ds, ws, bs)[bound(fn, 0, 2)];
        uint256 count = (c.length - 4) / 0x20;
        // Uniform over the words (the fuzzer favours small and extreme values of `where`).
        uint256 offset = 4 + (uint256(keccak256(abi.encode(where))) % count) * 0x20;
        uint256 old;
        assembly ("memory-safe") {
            old := mload(add(add(c, 0x20), offset))
        }
        kind %= 9;
        uint256 v = value;
        if (kind == 7) v = Q + (value % 3); // just not a coordinate
        if (kind == 8) v = R + (value % 3); // just not a field element
        if (kind == 1) v = old | (1 << (64 + (value % 192))); // above a uint64's range
        if (kind == 2) v = old ^ (1 << (value % 256)); // one bit off
        if (kind == 3) v = value % 0x800; // a small offset or length
        if (kind == 4) {
            unchecked {
                v = old + (value % 3) * 0x20 - 0x20; // an offset or length a word off (or wrapped around)
            }
        }
        if (kind == 5) v = old % R; // still a field element
        if (kind == 6) {
            uint256 cut = bound(value, 1, c.length - 4);
            assembly ("memory-safe") {
                mstore(c, sub(mload(c), cut))
            }
        } else {
            assembly ("memory-safe") {
                mstore(add(add(c, 0x20), offset), v)
            }
        }
        _assertSameOutcome(c, "mutated calldata");
    }

    /// @dev Sets bits in the 32-byte word at `offset` of `b`.
    function _orWord(bytes memory b, uint256 offset, uint256 bits) internal pure {
        assembly ("memory-safe") {
            let p := add(add(b, 0x20), offset)
            mstore(p, or(mload(p), bits))
        }
    }
}
