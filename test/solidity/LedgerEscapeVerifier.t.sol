// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEscapeVerifier} from "../../contracts/interfaces/IEscapeVerifier.sol";
import {IPoseidon2} from "../../contracts/interfaces/IPoseidon2.sol";
import {IPoseidon4} from "../../contracts/interfaces/IPoseidon4.sol";
import {IPoseidon5} from "../../contracts/interfaces/IPoseidon5.sol";
import {BabyJubJub} from "../../contracts/libraries/BabyJubJub.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";
import {LedgerEscapeVerifier} from "../../contracts/verifiers/LedgerEscapeVerifier.sol";

import {MockPoseidon4} from "./utils/MockPoseidon4.sol";
import {KeccakPoseidon2 as MockPoseidon2, KeccakPoseidon5 as MockPoseidon5} from "./utils/MockPoseidons.sol";
import {Test} from "./utils/Test.sol";

/// @notice Fuzz tests of LedgerEscapeVerifier (depth 8) with MOCK Poseidon contracts (keccak mod r), so that
///         valid proofs can be built here for random accounts, paths, headers and keys, signed the way circomlibjs
///         signs (s = k + 8·h·a mod l for the key A = a·B8). Valid proofs are accepted with (slot, tokenId,
///         balance); hostile bytes (a valid proof with one word replaced or one byte flipped, truncations, random
///         bytes, random well-formed structs, another recipient or chain) are never accepted and always revert
///         with one of IEscapeVerifier's custom errors, never a panic or empty revert data.
contract LedgerEscapeVerifierTest is Test {
    uint256 internal constant R = BabyJubJub.P;
    uint256 internal constant L = BabyJubJub.ORDER;
    uint256 internal constant DEPTH = 8;
    /// @dev Words of a depth-8 proof: 17 + D.
    uint256 internal constant WORDS = 17 + DEPTH;

    MockPoseidon2 internal p2;
    MockPoseidon4 internal p4;
    MockPoseidon5 internal p5;
    LedgerEscapeVerifier internal verifier;

    /// @dev A valid claim: the arguments of verifyEscape and the expected result.
    struct Claim {
        ChainId chainId;
        bytes32 stateRoot;
        address recipient;
        bytes proof;
        uint256 slot;
        uint256 tokenId;
        uint256 balance;
    }

    function setUp() public {
        p2 = new MockPoseidon2();
        p4 = new MockPoseidon4();
        p5 = new MockPoseidon5();
        verifier = new LedgerEscapeVerifier(DEPTH, p2, IPoseidon4(address(p4)), p5);
    }

    // ---------------------------------------------------------------- helpers

    /// @dev A field element derived from `seed` and `tag`.
    function _fe(uint256 seed, uint256 tag) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, tag))) % R;
    }

    /// @dev Fills the account, path and header of `p` from `seed` and returns the state root.
    function _account(uint256 seed, LedgerEscapeVerifier.EscapeProof memory p) internal view returns (bytes32) {
        p.slot = _fe(seed, 1) % (1 << DEPTH);
        p.tokenId = _fe(seed, 2) % (1 << 32);
        p.balance = bound(_fe(seed, 3), 1, (1 << 128) - 1);
        p.nonce = _fe(seed, 4) % (1 << 64);
        p.siblings = new uint256[](DEPTH);
        uint256 node = p4.hash([p.keyHash, p.tokenId, p.balance, p.nonce]);
        for (uint256 level; level < DEPTH; ++level) {
            uint256 sibling = _fe(seed, 100 + level);
            p.siblings[level] = sibling;
            node = (p.slot >> level) & 1 == 0 ? p2.hash([node, sibling]) : p2.hash([sibling, node]);
        }
        p.accountsRoot = node;
        p.l2Block = _fe(seed, 5) % (1 << 64);
        p.queuePosition = _fe(seed, 6) % (1 << 64);
        p.queueHash = _fe(seed, 7);
        return bytes32(p4.hash([p.accountsRoot, p.l2Block, p.queuePosition, p.queueHash]));
    }

    /// @dev Signs `message` with the key a·B8 as circomlibjs does, into `p`.
    function _sign(uint256 a, uint256 k, uint256 message, LedgerEscapeVerifier.EscapeProof memory p) internal view {
        (p.r8x, p.r8y) = BabyJubJub.mul(BabyJubJub.B8_X, BabyJubJub.B8_Y, k);
        uint256 hm = p5.hash([p.r8x, p.r8y, p.ax, p.ay, message]);
        p.s = addmod(k, mulmod(8 * (hm % L), a, L), L);
    }

    /// @dev A valid claim derived from `seed`.
    function _claim(uint256 seed) internal view returns (Claim memory c) {
        LedgerEscapeVerifier.EscapeProof memory p;
        uint256 a = bound(_fe(seed, 8), 1, L - 1);
        (p.ax, p.ay) = BabyJubJub.mul(BabyJubJub.B8_X, BabyJubJub.B8_Y, a);
        p.keyHash = p2.hash([p.ax, p.ay]);
        c.stateRoot = _account(seed, p);
        c.chainId = ChainId.wrap(uint64(_fe(seed, 9)));
        c.recipient = address(uint160(_fe(seed, 10)));
        _sign(a, bound(_fe(seed, 11), 1, L - 1), verifier.escapeMessage(c.chainId, p.slot, c.recipient), p);
        c.proof = abi.encode(p);
        (c.slot, c.tokenId, c.balance) = (p.slot, p.tokenId, p.balance);
    }

    function _call(Claim memory c) internal view returns (bool ok, bytes memory ret) {
        (ok, ret) = address(verifier).staticcall(
            abi.encodeCall(IEscapeVerifier.verifyEscape, (c.chainId, c.stateRoot, c.recipient, c.proof))
        );
    }

    /// @dev Whether `ret` is the revert data of one of IEscapeVerifier's errors.
    function _isEscapeError(bytes memory ret) internal pure returns (bool) {
        if (ret.length < 4) return false;
        bytes4 sel = bytes4(ret);
        return
            sel == IEscapeVerifier.EscapeMalformedProof.selector ||
            sel == IEscapeVerifier.EscapeNonCanonicalField.selector ||
            sel == IEscapeVerifier.EscapeAccountOutOfRange.selector ||
            sel == IEscapeVerifier.EscapeStateRootMismatch.selector ||
            sel == IEscapeVerifier.EscapeAccountNotInState.selector ||
            sel == IEscapeVerifier.EscapeEmptyAccount.selector ||
            sel == IEscapeVerifier.EscapeZeroBalance.selector ||
            sel == IEscapeVerifier.EscapeKeyMismatch.selector ||
            sel == IEscapeVerifier.EscapePointNotOnCurve.selector ||
            sel == IEscapeVerifier.EscapeSmallOrderKey.selector ||
            sel == IEscapeVerifier.EscapeSignatureScalarOutOfRange.selector ||
            sel == IEscapeVerifier.EscapeInvalidSignature.selector;
    }

    /// @dev Asserts that `c` is rejected with an IEscapeVerifier error.
    function _assertRejected(Claim memory c, string memory what) internal view {
        (bool ok, bytes memory ret) = _call(c);
        assertFalse(ok, what);
        assertTrue(_isEscapeError(ret), what);
    }

    function _word(bytes memory data, uint256 index) internal pure returns (uint256 w) {
        assembly ("memory-safe") {
            w := mload(add(add(data, 0x20), mul(index, 0x20)))
        }
    }

    function _setWord(bytes memory data, uint256 index, uint256 w) internal pure {
        assembly ("memory-safe") {
            mstore(add(add(data, 0x20), mul(index, 0x20)), w)
        }
    }

    // ---------------------------------------------------------------- valid proofs

    function testFuzz_validProof_accepted(uint256 seed) public view {
        Claim memory c = _claim(seed);
        assertEq(c.proof.length, verifier.proofLength(), "length");
        (uint256 slot, uint256 tokenId, uint256 amount) = verifier.verifyEscape(
            c.chainId,
            c.stateRoot,
            c.recipient,
            c.proof
        );
        assertEq(slot, c.slot, "slot");
        assertEq(tokenId, c.tokenId, "tokenId");
        assertEq(amount, c.balance, "balance");
        assertGt(amount, 0, "non-zero");
    }

    // ---------------------------------------------------------------- hostile bytes

    function testFuzz_oneWordReplaced_rejected(uint256 seed, uint256 index, uint256 value) public view {
        Claim memory c = _claim(seed);
        index = bound(index, 0, WORDS - 1);
        // Half the runs use small values (offsets, lengths, slots), the others any 256-bit word.
        if (value & 1 == 0) value = (value >> 1) % 1024;
        vm.assume(_word(c.proof, index) != value);
        _setWord(c.proof, index, value);
        _assertRejected(c, "one word replaced");
    }

    function testFuzz_oneByteFlipped_rejected(uint256 seed, uint256 position, uint8 mask) public view {
        Claim memory c = _claim(seed);
        position = bound(position, 0, c.proof.length - 1);
        vm.assume(mask != 0);
        c.proof[position] ^= bytes1(mask);
        _assertRejected(c, "one byte flipped");
    }

    function testFuzz_truncatedOrExtended_malformed(uint256 seed, uint256 length) public view {
        Claim memory c = _claim(seed);
        length = bound(length, 0, 2 * c.proof.length);
        vm.assume(length != c.proof.length);
        bytes memory proof = new bytes(length);
        for (uint256 i; i < length && i < c.proof.length; ++i) proof[i] = c.proof[i];
        c.proof = proof;
        (bool ok, bytes memory ret) = _call(c);
        assertFalse(ok, "accepted");
        assertEq(ret, abi.encodeWithSelector(IEscapeVerifier.EscapeMalformedProof.selector, length), "error");
    }

    function testFuzz_randomBytes_rejected(bytes calldata data, bytes32 root, address recipient) public view {
        Claim memory c;
        c.proof = data;
        c.stateRoot = root;
        c.recipient = recipient;
        _assertRejected(c, "random bytes");
    }

    function testFuzz_randomWellFormedProof_rejected(
        uint256[14] calldata words,
        uint256[8] calldata siblings,
        bytes32 root
    ) public view {
        LedgerEscapeVerifier.EscapeProof memory p = LedgerEscapeVerifier.EscapeProof(
            words[0],
            words[1],
            words[2],
            words[3],
            words[4],
            words[5],
            words[6],
            words[7],
            words[8],
            words[9],
            words[10],
            words[11],
            words[12],
            words[13],
            new uint256[](DEPTH)
        );
        for (uint256 level; level < DEPTH; ++level) p.siblings[level] = siblings[level];
        Claim memory c;
        c.proof = abi.encode(p);
        c.stateRoot = root;
        _assertRejected(c, "random struct");
    }

    function testFuzz_otherRoot_stateRootMismatch(uint256 seed, bytes32 root) public view {
        // A valid proof against another root: everything before the state-root check passes.
        Claim memory c = _claim(seed);
        vm.assume(root != c.stateRoot);
        c.stateRoot = root;
        (bool ok, bytes memory ret) = _call(c);
        assertFalse(ok, "accepted");
        assertEq(bytes4(ret), IEscapeVerifier.EscapeStateRootMismatch.selector, "error");
    }

    function testFuzz_otherRecipientOrChain_invalidSignature(
        uint256 seed,
        address recipient,
        uint64 chain
    ) public view {
        Claim memory c = _claim(seed);
        address original = c.recipient;
        if (recipient != original) {
            c.recipient = recipient;
            (bool ok, bytes memory ret) = _call(c);
            assertFalse(ok, "other recipient accepted");
            assertEq(ret, abi.encodeWithSelector(IEscapeVerifier.EscapeInvalidSignature.selector), "recipient");
            c.recipient = original;
        }
        if (chain != ChainId.unwrap(c.chainId)) {
            c.chainId = ChainId.wrap(chain);
            (bool ok, bytes memory ret) = _call(c);
            assertFalse(ok, "other chain accepted");
            assertEq(ret, abi.encodeWithSelector(IEscapeVerifier.EscapeInvalidSignature.selector), "chain");
        }
    }

    function testFuzz_nonCanonicalField_rejected(uint256 seed, uint256 field) public view {
        // Words 2 … 13 of the encoding are keyHash … r8y, words 17 … 24 the siblings.
        Claim memory c = _claim(seed);
        field = bound(field, 0, 19);
        uint256 index = field < 12 ? 2 + field : 17 + (field - 12);
        uint256 value = _word(c.proof, index) + R;
        _setWord(c.proof, index, value);
        (bool ok, bytes memory ret) = _call(c);
        assertFalse(ok, "accepted");
        assertEq(ret, abi.encodeWithSelector(IEscapeVerifier.EscapeNonCanonicalField.selector, value), "error");
    }

    function test_constructor_rejectsBadConfiguration() public {
        vm.expectRevert(abi.encodeWithSelector(LedgerEscapeVerifier.LedgerEscapeVerifierInvalidDepth.selector, 0));
        new LedgerEscapeVerifier(0, p2, IPoseidon4(address(p4)), p5);
        vm.expectRevert(abi.encodeWithSelector(LedgerEscapeVerifier.LedgerEscapeVerifierInvalidDepth.selector, 33));
        new LedgerEscapeVerifier(33, p2, IPoseidon4(address(p4)), p5);
        vm.expectRevert(LedgerEscapeVerifier.LedgerEscapeVerifierZeroAddress.selector);
        new LedgerEscapeVerifier(8, IPoseidon2(address(0)), IPoseidon4(address(p4)), p5);
        vm.expectRevert(LedgerEscapeVerifier.LedgerEscapeVerifierZeroAddress.selector);
        new LedgerEscapeVerifier(8, p2, IPoseidon4(address(0)), p5);
        vm.expectRevert(LedgerEscapeVerifier.LedgerEscapeVerifierZeroAddress.selector);
        new LedgerEscapeVerifier(8, p2, IPoseidon4(address(p4)), IPoseidon5(address(0)));
    }
}
