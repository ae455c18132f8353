// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGroth16UpdateVerifier} from "../../contracts/interfaces/IGroth16UpdateVerifier.sol";
import {IGroth16Verifier5} from "../../contracts/interfaces/IGroth16Verifier5.sol";
import {IRequestQueue} from "../../contracts/interfaces/IRequestQueue.sol";
import {LedgerPublicSignals} from "../../contracts/libraries/LedgerPublicSignals.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";
import {UpdatePublicData} from "../../contracts/types/UpdatePublicData.sol";
import {Groth16UpdateVerifier} from "../../contracts/verifiers/Groth16UpdateVerifier.sol";

import {StubGroth16Verifier5, StubRequestQueue} from "./utils/LedgerStubs.sol";
import {Test} from "./utils/Test.sol";

/// @notice Unit and fuzz tests of Groth16UpdateVerifier (and LedgerPublicSignals through it) with a stub
///         Groth16 verifier and a stub queue: hostile `UpdatePublicData` (roots and hashes ≥ r, non-zero outbox
///         or inbox, cursors that are not queue points, dirty calldata), hostile proof lengths, and the exact
///         call the adapter makes: signals [prevRoot, newRoot, queueHash, withdrawalRoot, meta] with
///         meta = chainId | l2Block << 64 | queuePosition << 128 (docs/LEDGER.md §7) and the decoded (a, b, c).
///         Every outcome is compared with a reference model written here that follows the adapter's check
///         order: proof length; fields 4, 5, 6, 9 in field; fields 7, 8 zero; queue point; the verifier's answer.
contract Groth16UpdateVerifierTest is Test {
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    Groth16UpdateVerifier internal adapter;
    StubGroth16Verifier5 internal groth16;
    StubRequestQueue internal queue;

    function setUp() public {
        groth16 = new StubGroth16Verifier5();
        queue = new StubRequestQueue();
        adapter = new Groth16UpdateVerifier(IGroth16Verifier5(address(groth16)), IRequestQueue(address(queue)));
        groth16.setAnswer(true);
    }

    // ---------------------------------------------------------------- helpers

    /// @dev A valid update of chain 7 whose cursor (3, queueHash) is a queue point.
    function _data() internal returns (UpdatePublicData memory d) {
        d.chainId = ChainId.wrap(7);
        d.ackBlock = 11;
        d.l2Block = 5;
        d.queuePosition = 3;
        d.prevRoot = bytes32(uint256(101));
        d.newRoot = bytes32(uint256(102));
        d.queueHash = bytes32(uint256(103));
        d.withdrawalRoot = bytes32(uint256(104));
        queue.setPoint(d.chainId, d.queuePosition, d.queueHash, true);
    }

    /// @dev Makes `d` acceptable by the field checks (roots and hashes reduced mod r, outbox and inbox zero).
    function _sanitize(UpdatePublicData memory d) internal pure returns (UpdatePublicData memory) {
        d.prevRoot = bytes32(uint256(d.prevRoot) % R);
        d.newRoot = bytes32(uint256(d.newRoot) % R);
        d.queueHash = bytes32(uint256(d.queueHash) % R);
        d.withdrawalRoot = bytes32(uint256(d.withdrawalRoot) % R);
        d.outboxRoot = bytes32(0);
        d.inboxRoot = bytes32(0);
        return d;
    }

    function _proof(
        uint256[2] memory a,
        uint256[2][2] memory b,
        uint256[2] memory c
    ) internal pure returns (bytes memory) {
        return abi.encode(a, b, c);
    }

    function _proof() internal pure returns (bytes memory) {
        return abi.encode([uint256(1), 2], [[uint256(3), 4], [uint256(5), 6]], [uint256(7), 8]);
    }

    /// @dev The signals of docs/LEDGER.md §7, computed independently of LedgerPublicSignals.
    function _signals(UpdatePublicData memory d) internal pure returns (uint256[5] memory s) {
        s[0] = uint256(d.prevRoot);
        s[1] = uint256(d.newRoot);
        s[2] = uint256(d.queueHash);
        s[3] = uint256(d.withdrawalRoot);
        s[4] = uint256(ChainId.unwrap(d.chainId)) + uint256(d.l2Block) * 2 ** 64 + uint256(d.queuePosition) * 2 ** 128;
    }

    /// @dev The reference model: the revert data `verify(d, proof)` must produce, or empty if it must return.
    function _expectedRevert(UpdatePublicData memory d, uint256 proofLength) internal view returns (bytes memory) {
        if (proofLength != 256) {
            return
                abi.encodeWithSelector(
                    IGroth16UpdateVerifier.Groth16UpdateVerifierBadProofLength.selector,
                    proofLength
                );
        }
        uint256[4] memory idx = [uint256(4), 5, 6, 9];
        bytes32[4] memory vals = [d.prevRoot, d.newRoot, d.queueHash, d.withdrawalRoot];
        for (uint256 i; i < 4; ++i) {
            if (uint256(vals[i]) >= R) {
                return
                    abi.encodeWithSelector(
                        LedgerPublicSignals.LedgerPublicSignalsNotInField.selector,
                        idx[i],
                        uint256(vals[i])
                    );
            }
        }
        if (d.outboxRoot != bytes32(0)) {
            return abi.encodeWithSelector(LedgerPublicSignals.LedgerPublicSignalsUnsupportedField.selector, 7);
        }
        if (d.inboxRoot != bytes32(0)) {
            return abi.encodeWithSelector(LedgerPublicSignals.LedgerPublicSignalsUnsupportedField.selector, 8);
        }
        if (!queue.isQueuePoint(d.chainId, d.queuePosition, d.queueHash)) {
            return
                abi.encodeWithSelector(
                    IGroth16UpdateVerifier.Groth16UpdateVerifierQueueMismatch.selector,
                    d.queuePosition,
                    d.queueHash
                );
        }
        return "";
    }

    /// @dev Calls `verify` and returns (reverted, return value, revert data).
    function _try(
        UpdatePublicData memory d,
        bytes memory proof
    ) internal view returns (bool reverted, bool ok, bytes memory err) {
        try adapter.verify(d, proof) returns (bool r) {
            ok = r;
        } catch (bytes memory e) {
            reverted = true;
            err = e;
        }
    }

    /// @dev The revert data of the stub in echo mode for `d`: what the stub was called with.
    function _echo(UpdatePublicData memory d, bytes memory proof) internal view returns (bytes memory err) {
        bool reverted;
        (reverted, , err) = _try(d, proof);
        assertTrue(reverted, "echo mode reverts");
        assertEq(bytes4(err), StubGroth16Verifier5.StubGroth16Verifier5Called.selector, "echo selector");
    }

    // ---------------------------------------------------------------- constructor

    function test_constructor_storesAddresses() public view {
        assertEq(adapter.groth16(), address(groth16), "groth16");
        assertEq(adapter.queue(), address(queue), "queue");
    }

    function test_constructor_revertsOnZeroGroth16() public {
        vm.expectRevert(IGroth16UpdateVerifier.Groth16UpdateVerifierZeroAddress.selector);
        new Groth16UpdateVerifier(IGroth16Verifier5(address(0)), IRequestQueue(address(queue)));
    }

    function test_constructor_revertsOnZeroQueue() public {
        vm.expectRevert(IGroth16UpdateVerifier.Groth16UpdateVerifierZeroAddress.selector);
        new Groth16UpdateVerifier(IGroth16Verifier5(address(groth16)), IRequestQueue(address(0)));
    }

    function test_constructor_revertsOnBothZero() public {
        vm.expectRevert(IGroth16UpdateVerifier.Groth16UpdateVerifierZeroAddress.selector);
        new Groth16UpdateVerifier(IGroth16Verifier5(address(0)), IRequestQueue(address(0)));
    }

    function testFuzz_constructor_zeroAddressRejected(address g, address q) public {
        if (g == address(0) || q == address(0)) {
            vm.expectRevert(IGroth16UpdateVerifier.Groth16UpdateVerifierZeroAddress.selector);
            new Groth16UpdateVerifier(IGroth16Verifier5(g), IRequestQueue(q));
        } else {
            Groth16UpdateVerifier v = new Groth16UpdateVerifier(IGroth16Verifier5(g), IRequestQueue(q));
            assertEq(v.groth16(), g, "groth16");
            assertEq(v.queue(), q, "queue");
        }
    }

    // ---------------------------------------------------------------- verify: unit

    function test_verify_returnsTrueWhenStubAccepts() public {
        UpdatePublicData memory d = _data();
        assertTrue(adapter.verify(d, _proof()), "accepted");
    }

    function test_verify_returnsFalseWhenStubRejects() public {
        UpdatePublicData memory d = _data();
        groth16.setAnswer(false);
        assertFalse(adapter.verify(d, _proof()), "rejected");
    }

    function test_verify_passesSignalsAndProofInOrder() public {
        UpdatePublicData memory d = _data();
        groth16.setEcho(true);
        uint256 meta = 7 | (uint256(5) << 64) | (uint256(3) << 128);
        vm.expectRevert(
            abi.encodeWithSelector(
                StubGroth16Verifier5.StubGroth16Verifier5Called.selector,
                [uint256(1), 2],
                [[uint256(3), 4], [uint256(5), 6]],
                [uint256(7), 8],
                [uint256(101), 102, 103, 104, meta]
            )
        );
        adapter.verify(d, _proof());
    }

    function test_verify_worksUnderStaticcall() public {
        UpdatePublicData memory d = _data();
        (bool success, bytes memory ret) = address(adapter).staticcall(abi.encodeCall(adapter.verify, (d, _proof())));
        assertTrue(success, "staticcall succeeds");
        assertTrue(abi.decode(ret, (bool)), "accepted");
    }

    function test_verify_acceptsZeroRootsAndLargestFieldElements() public {
        UpdatePublicData memory d = _data();
        d.prevRoot = bytes32(0);
        d.newRoot = bytes32(R - 1);
        d.withdrawalRoot = bytes32(0);
        assertTrue(adapter.verify(d, _proof()), "0 and r - 1 are field elements");
        d.queueHash = bytes32(R - 1);
        queue.setPoint(d.chainId, d.queuePosition, d.queueHash, true);
        assertTrue(adapter.verify(d, _proof()), "queueHash r - 1");
    }

    function test_verify_revertsOnEachRootEqualToR() public {
        for (uint256 k; k < 4; ++k) {
            UpdatePublicData memory d = _data();
            uint256 index;
            if (k == 0) (d.prevRoot, index) = (bytes32(R), 4);
            if (k == 1) (d.newRoot, index) = (bytes32(R), 5);
            if (k == 2) (d.queueHash, index) = (bytes32(R), 6);
            if (k == 3) (d.withdrawalRoot, index) = (bytes32(R), 9);
            (bool reverted, , bytes memory err) = _try(d, _proof());
            assertTrue(reverted, "r is not a field element");
            assertEq(
                err,
                abi.encodeWithSelector(LedgerPublicSignals.LedgerPublicSignalsNotInField.selector, index, R),
                "NotInField(index, r)"
            );
        }
    }

    function test_verify_revertsOnOutboxRoot() public {
        UpdatePublicData memory d = _data();
        d.outboxRoot = bytes32(uint256(1));
        vm.expectRevert(abi.encodeWithSelector(LedgerPublicSignals.LedgerPublicSignalsUnsupportedField.selector, 7));
        adapter.verify(d, _proof());
    }

    function test_verify_revertsOnInboxRoot() public {
        UpdatePublicData memory d = _data();
        d.inboxRoot = bytes32(uint256(1));
        vm.expectRevert(abi.encodeWithSelector(LedgerPublicSignals.LedgerPublicSignalsUnsupportedField.selector, 8));
        adapter.verify(d, _proof());
    }

    function test_verify_revertsOnProofLengths() public {
        UpdatePublicData memory d = _data();
        uint256[6] memory lengths = [uint256(0), 1, 224, 255, 257, 512];
        for (uint256 i; i < lengths.length; ++i) {
            (bool reverted, , bytes memory err) = _try(d, new bytes(lengths[i]));
            assertTrue(reverted, "bad length reverts");
            assertEq(
                err,
                abi.encodeWithSelector(IGroth16UpdateVerifier.Groth16UpdateVerifierBadProofLength.selector, lengths[i]),
                "BadProofLength(length)"
            );
        }
    }

    function test_verify_revertsWhenCursorIsNotAQueuePoint() public {
        UpdatePublicData memory d = _data();
        queue.setPoint(d.chainId, d.queuePosition, d.queueHash, false);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGroth16UpdateVerifier.Groth16UpdateVerifierQueueMismatch.selector,
                d.queuePosition,
                d.queueHash
            )
        );
        adapter.verify(d, _proof());
    }

    function test_verify_queuePointOfAnotherChainDoesNotCount() public {
        UpdatePublicData memory d = _data();
        d.chainId = ChainId.wrap(8); // the point (3, 103) exists for chain 7 only
        vm.expectRevert(
            abi.encodeWithSelector(
                IGroth16UpdateVerifier.Groth16UpdateVerifierQueueMismatch.selector,
                d.queuePosition,
                d.queueHash
            )
        );
        adapter.verify(d, _proof());
    }

    function test_verify_stubNotCalledWhenQueueMismatches() public {
        UpdatePublicData memory d = _data();
        d.queuePosition = 4;
        groth16.setEcho(true); // would revert with StubGroth16Verifier5Called if it were reached
        vm.expectRevert(
            abi.encodeWithSelector(
                IGroth16UpdateVerifier.Groth16UpdateVerifierQueueMismatch.selector,
                uint64(4),
                d.queueHash
            )
        );
        adapter.verify(d, _proof());
    }

    function test_verify_revertsOnDirtyCalldata() public {
        UpdatePublicData memory d = _data();
        bytes memory call = abi.encodeCall(adapter.verify, (d, _proof()));
        // The struct is static, so it sits inline after the selector: word k is field k. A uint64 field the
        // adapter reads (chainId, l2Block, queuePosition) with bit 64 set must be rejected, not masked.
        for (uint256 k; k < 4; ++k) {
            bytes memory dirty = bytes.concat(call); // a copy
            uint256 offset = 4 + 32 * k;
            uint256 word;
            assembly {
                word := mload(add(add(dirty, 32), offset))
                mstore(add(add(dirty, 32), offset), or(word, shl(64, 1)))
            }
            (bool success, ) = address(adapter).staticcall(dirty);
            // ackBlock (k = 1) is never read by the adapter (it is not a signal), so it is not validated.
            assertEq(success, k == 1, "dirty chainId, l2Block, queuePosition rejected");
        }
        (bool clean, ) = address(adapter).staticcall(call);
        assertTrue(clean, "clean call succeeds");
    }

    // ---------------------------------------------------------------- verify: fuzz

    function testFuzz_verify_returnsStubAnswerForExactSignals(
        UpdatePublicData memory d,
        uint256[2] memory a,
        uint256[2][2] memory b,
        uint256[2] memory c,
        bool answer
    ) public {
        d = _sanitize(d);
        queue.setPoint(d.chainId, d.queuePosition, d.queueHash, true);
        groth16.setAnswer(answer);
        groth16.setExpected(a, b, c, _signals(d)); // any other call reverts with what the stub saw
        assertEq(adapter.verify(d, _proof(a, b, c)), answer, "the stub's answer");
    }

    function testFuzz_verify_stubSeesSignalsAndDecodedProof(
        UpdatePublicData memory d,
        uint256[2] memory a,
        uint256[2][2] memory b,
        uint256[2] memory c
    ) public {
        d = _sanitize(d);
        queue.setPoint(d.chainId, d.queuePosition, d.queueHash, true);
        groth16.setEcho(true);
        uint256 meta =
            uint256(ChainId.unwrap(d.chainId)) | (uint256(d.l2Block) << 64) | (uint256(d.queuePosition) << 128);
        uint256[5] memory s = [
            uint256(d.prevRoot),
            uint256(d.newRoot),
            uint256(d.queueHash),
            uint256(d.withdrawalRoot),
            meta
        ];
        vm.expectRevert(abi.encodeWithSelector(StubGroth16Verifier5.StubGroth16Verifier5Called.selector, a, b, c, s));
        adapter.verify(d, _proof(a, b, c));
    }

    function testFuzz_verify_rootOutOfFieldReverts(UpdatePublicData memory d, uint8 which, uint256 value) public {
        d = _sanitize(d);
        queue.setPoint(d.chainId, d.queuePosition, d.queueHash, true);
        value = bound(value, R, type(uint256).max);
        uint256 index;
        which %= 4;
        if (which == 0) (d.prevRoot, index) = (bytes32(value), 4);
        if (which == 1) (d.newRoot, index) = (bytes32(value), 5);
        if (which == 2) (d.queueHash, index) = (bytes32(value), 6);
        if (which == 3) (d.withdrawalRoot, index) = (bytes32(value), 9);
        queue.setPoint(d.chainId, d.queuePosition, d.queueHash, true); // even as a queue point
        vm.expectRevert(
            abi.encodeWithSelector(LedgerPublicSignals.LedgerPublicSignalsNotInField.selector, index, value)
        );
        adapter.verify(d, _proof());
    }

    function testFuzz_verify_nonZeroOutboxOrInboxReverts(
        UpdatePublicData memory d,
        bytes32 outbox,
        bytes32 inbox
    ) public {
        d = _sanitize(d);
        queue.setPoint(d.chainId, d.queuePosition, d.queueHash, true);
        if (outbox == bytes32(0) && inbox == bytes32(0)) inbox = bytes32(uint256(1));
        d.outboxRoot = outbox;
        d.inboxRoot = inbox;
        vm.expectRevert(
            abi.encodeWithSelector(
                LedgerPublicSignals.LedgerPublicSignalsUnsupportedField.selector,
                outbox != bytes32(0) ? 7 : 8
            )
        );
        adapter.verify(d, _proof());
    }

    function testFuzz_verify_badProofLengthReverts(UpdatePublicData memory d, bytes calldata proof) public {
        vm.assume(proof.length != 256);
        d = _sanitize(d);
        queue.setPoint(d.chainId, d.queuePosition, d.queueHash, true);
        vm.expectRevert(
            abi.encodeWithSelector(IGroth16UpdateVerifier.Groth16UpdateVerifierBadProofLength.selector, proof.length)
        );
        adapter.verify(d, proof);
    }

    function testFuzz_verify_missingQueuePointReverts(
        UpdatePublicData memory d,
        uint64 otherPosition,
        bytes32 otherHash,
        ChainId otherChain
    ) public {
        d = _sanitize(d);
        // A point that differs from the update's cursor in at least one coordinate.
        if (otherPosition == d.queuePosition && otherHash == d.queueHash && otherChain == d.chainId) {
            otherHash = bytes32(uint256(otherHash) ^ 1);
        }
        queue.setPoint(otherChain, otherPosition, otherHash, true);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGroth16UpdateVerifier.Groth16UpdateVerifierQueueMismatch.selector,
                d.queuePosition,
                d.queueHash
            )
        );
        adapter.verify(d, _proof());
    }

    /// @dev Fully hostile inputs: `valid` picks which parts are made acceptable (so every branch is reached);
    ///      the outcome must be the model's revert data, or the stub's answer.
    function testFuzz_verify_hostileInputsMatchModel(
        UpdatePublicData memory d,
        uint8 valid,
        bool setPoint,
        uint16 proofLength,
        bool answer
    ) public {
        if (valid & 1 != 0) d.prevRoot = bytes32(uint256(d.prevRoot) % R);
        if (valid & 2 != 0) d.newRoot = bytes32(uint256(d.newRoot) % R);
        if (valid & 4 != 0) d.queueHash = bytes32(uint256(d.queueHash) % R);
        if (valid & 8 != 0) d.withdrawalRoot = bytes32(uint256(d.withdrawalRoot) % R);
        if (valid & 16 != 0) d.outboxRoot = bytes32(0);
        if (valid & 32 != 0) d.inboxRoot = bytes32(0);
        uint256 len = valid & 64 != 0 ? 256 : bound(proofLength, 0, 600);
        if (setPoint) queue.setPoint(d.chainId, d.queuePosition, d.queueHash, true);
        groth16.setAnswer(answer);

        bytes memory expected = _expectedRevert(d, len);
        (bool reverted, bool ok, bytes memory err) = _try(d, new bytes(len));
        assertEq(reverted, expected.length != 0, "reverts iff the model says so");
        if (reverted) assertEq(err, expected, "revert data");
        else assertEq(ok, answer, "the stub's answer");
    }

    function testFuzz_verify_ackBlockDoesNotAffectSignals(UpdatePublicData memory d, uint64 otherAck) public {
        d = _sanitize(d);
        queue.setPoint(d.chainId, d.queuePosition, d.queueHash, true);
        groth16.setEcho(true);
        bytes memory first = _echo(d, _proof());
        d.ackBlock = otherAck;
        assertEq(_echo(d, _proof()), first, "same call to the Groth16 verifier");
        groth16.setEcho(false);
        assertTrue(adapter.verify(d, _proof()), "accepted with any ackBlock");
    }

    function testFuzz_verify_otherFieldsChangeSignals(UpdatePublicData memory d, uint8 which, uint64 delta) public {
        d = _sanitize(d);
        vm.assume(delta != 0);
        queue.setPoint(d.chainId, d.queuePosition, d.queueHash, true);
        groth16.setEcho(true);
        bytes memory first = _echo(d, _proof());
        which %= 7;
        // Change one bound field to another acceptable value (uint64 fields wrap, roots stay below r).
        unchecked {
            if (which == 0) d.chainId = ChainId.wrap(ChainId.unwrap(d.chainId) + delta);
            if (which == 1) d.l2Block += delta;
            if (which == 2) d.queuePosition += delta;
            if (which == 3) d.prevRoot = bytes32((uint256(d.prevRoot) + delta) % R);
            if (which == 4) d.newRoot = bytes32((uint256(d.newRoot) + delta) % R);
            if (which == 5) d.queueHash = bytes32((uint256(d.queueHash) + delta) % R);
            if (which == 6) d.withdrawalRoot = bytes32((uint256(d.withdrawalRoot) + delta) % R);
        }
        queue.setPoint(d.chainId, d.queuePosition, d.queueHash, true);
        bytes memory second = _echo(d, _proof());
        assertTrue(keccak256(second) != keccak256(first), "a bound field changes the signals");
    }
}
