// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEscapeVerifier} from "../interfaces/IEscapeVerifier.sol";
import {IPoseidon2} from "../interfaces/IPoseidon2.sol";
import {IPoseidon4} from "../interfaces/IPoseidon4.sol";
import {IPoseidon5} from "../interfaces/IPoseidon5.sol";
import {BabyJubJub} from "../libraries/BabyJubJub.sol";
import {ChainId} from "../types/ChainId.sol";

/// @title LedgerEscapeVerifier
/// @notice The escape verifier of the reference ledger (docs/LEDGER.md §9): proves that account slot `slot` of a
///         depth-`D` account tree held `balance` of `tokenId` in a state root, and that the slot's owner signed
///         the escape message `M = H_4(4, chainId, slot, recipient)` with their Baby Jubjub key
///         (EdDSA-Poseidon). Returns `(slot, tokenId, balance)`; the escrow pays each slot at most once.
/// @dev Proof encoding: `abi.encode(EscapeProof)`, exactly `32·(17 + D)` bytes: the tuple offset `0x20`, the
///      fourteen static fields in declaration order, the offset of `siblings` (`0x1e0`), `D`, the `D` siblings.
///      Any other encoding (other length, offsets or array length) is rejected with {EscapeMalformedProof}.
///
///      Checks, in this order (the first that fails names the error): encoding; `slot < 2^D`
///      ({EscapeAccountOutOfRange}); every field element of the proof below r ({EscapeNonCanonicalField}): the
///      circomlibjs Poseidon contracts compute mod r, so `x` and `x + r` would hash alike; `s` below the
///      subgroup order; a non-empty slot (`keyHash ≠ 0`) with a non-zero balance; `A` and `R8` on the curve; `A`
///      not of small order; `H_2(Ax, Ay) = keyHash`; `H_4(accountsRoot, l2Block, queuePosition, queueHash) =
///      stateRoot`; the Merkle path from `H_4(keyHash, tokenId, balance, nonce)` to `accountsRoot` (index bits
///      least significant first, `node = H_2(left, right)`); and circomlib's equation
///      `s·B8 = R8 + 8·H_5(R8x, R8y, Ax, Ay, M)·A` ({EscapeInvalidSignature}). Gas: see docs/LEDGER.md §9.
///
///      Invariants: stateless, callable under STATICCALL; never returns a zero amount; the returned account id
///      is below 2^D; all configuration is immutable.
contract LedgerEscapeVerifier is IEscapeVerifier {
    /// @notice An escape proof (docs/LEDGER.md §9); every field except `slot` and `s` is a field element < r.
    struct EscapeProof {
        /// @dev The account slot, < 2^D.
        uint256 slot;
        /// @dev The slot's leaf `(keyHash, tokenId, balance, nonce)`.
        uint256 keyHash;
        uint256 tokenId;
        uint256 balance;
        uint256 nonce;
        /// @dev The state header: `stateRoot = H_4(accountsRoot, l2Block, queuePosition, queueHash)`.
        uint256 accountsRoot;
        uint256 l2Block;
        uint256 queuePosition;
        uint256 queueHash;
        /// @dev The owner's Baby Jubjub public key; `H_2(ax, ay) = keyHash`.
        uint256 ax;
        uint256 ay;
        /// @dev The EdDSA-Poseidon signature of the escape message; `s` below the subgroup order.
        uint256 r8x;
        uint256 r8y;
        uint256 s;
        /// @dev `siblings[l]` is the sibling at level l, leaf level first; exactly D of them.
        uint256[] siblings;
    }

    /// @notice The tree depth is outside [1, 32].
    error LedgerEscapeVerifierInvalidDepth(uint256 depth);
    /// @notice A Poseidon contract address is zero.
    error LedgerEscapeVerifierZeroAddress();

    /// @notice The operation type of an escape in the signed message (docs/LEDGER.md §5 uses 2 and 3; the
    ///         circuit never accepts 4, so an escape signature cannot authorise a transfer or withdrawal).
    uint256 public constant ESCAPE_OP = 4;

    uint256 private constant _FIELD_R = BabyJubJub.P;
    /// @dev Words of `abi.encode(EscapeProof)` besides the siblings: tuple offset, 15 head words, array length.
    uint256 private constant _FIXED_WORDS = 17;
    /// @dev Byte offset of `siblings` inside the tuple (15 head words).
    uint256 private constant _SIBLINGS_OFFSET = 15 * 32;

    /// @dev The account tree depth D.
    uint256 private immutable _depth;
    /// @dev H_2 (t = 3), H_4 (t = 5), H_5 (t = 6): circomlibjs-generated.
    IPoseidon2 private immutable _poseidon2;
    IPoseidon4 private immutable _poseidon4;
    IPoseidon5 private immutable _poseidon5;

    /// @param depth_ The account tree depth D of the chains this verifier serves, 1 ≤ D ≤ 32.
    /// @param poseidon2_ The circomlibjs Poseidon contract with 2 inputs (PoseidonT3).
    /// @param poseidon4_ The circomlibjs Poseidon contract with 4 inputs (PoseidonT5).
    /// @param poseidon5_ The circomlibjs Poseidon contract with 5 inputs (PoseidonT6).
    constructor(uint256 depth_, IPoseidon2 poseidon2_, IPoseidon4 poseidon4_, IPoseidon5 poseidon5_) {
        if (depth_ == 0 || depth_ > 32) revert LedgerEscapeVerifierInvalidDepth(depth_);
        if (address(poseidon2_) == address(0) || address(poseidon4_) == address(0)) {
            revert LedgerEscapeVerifierZeroAddress();
        }
        if (address(poseidon5_) == address(0)) revert LedgerEscapeVerifierZeroAddress();
        _depth = depth_;
        _poseidon2 = poseidon2_;
        _poseidon4 = poseidon4_;
        _poseidon5 = poseidon5_;
    }

    /// @inheritdoc IEscapeVerifier
    /// @dev `accountId` is the slot index. See the contract notes for the encoding and the order of the checks.
    function verifyEscape(
        ChainId chainId,
        bytes32 stateRoot,
        address recipient,
        bytes calldata proof
    ) external view returns (uint256 accountId, uint256 tokenId, uint256 amount) {
        EscapeProof memory p = _decode(proof);
        _checkRanges(p);
        if (p.keyHash == 0) revert EscapeEmptyAccount(p.slot);
        if (p.balance == 0) revert EscapeZeroBalance(p.slot);
        _checkPoints(p);
        uint256 keyHash = _h2(p.ax, p.ay);
        if (keyHash != p.keyHash) revert EscapeKeyMismatch(p.keyHash, keyHash);
        bytes32 root = bytes32(_h4(p.accountsRoot, p.l2Block, p.queuePosition, p.queueHash));
        if (root != stateRoot) revert EscapeStateRootMismatch(stateRoot, root);
        bytes32 accountsRoot = bytes32(_merkleRoot(p));
        if (accountsRoot != bytes32(p.accountsRoot)) {
            revert EscapeAccountNotInState(bytes32(p.accountsRoot), accountsRoot);
        }
        uint256 message = escapeMessage(chainId, p.slot, recipient);
        uint256 hm = _poseidon5.poseidon([p.r8x, p.r8y, p.ax, p.ay, message]);
        if (!BabyJubJub.verifyEquation(p.s, hm, p.ax, p.ay, p.r8x, p.r8y)) revert EscapeInvalidSignature();
        return (p.slot, p.tokenId, p.balance);
    }

    /// @notice The message the owner of `slot` signs to escape to `recipient`:
    ///         `H_4(ESCAPE_OP, chainId, slot, uint160(recipient))`.
    /// @dev `slot` must be a field element (any slot < 2^D is).
    function escapeMessage(ChainId chainId, uint256 slot, address recipient) public view returns (uint256) {
        return _h4(ESCAPE_OP, ChainId.unwrap(chainId), slot, uint256(uint160(recipient)));
    }

    /// @notice The account tree depth D.
    function depth() external view returns (uint256) {
        return _depth;
    }

    /// @notice The length in bytes of every valid proof: `32·(17 + D)`.
    function proofLength() external view returns (uint256) {
        return 32 * (_FIXED_WORDS + _depth);
    }

    /// @notice The Poseidon contract with 2 inputs (H_2).
    function poseidon2() external view returns (address) {
        return address(_poseidon2);
    }

    /// @notice The Poseidon contract with 4 inputs (H_4).
    function poseidon4() external view returns (address) {
        return address(_poseidon4);
    }

    /// @notice The Poseidon contract with 5 inputs (H_5).
    function poseidon5() external view returns (address) {
        return address(_poseidon5);
    }

    /// @dev Checks that `proof` is exactly `abi.encode(EscapeProof)` with D siblings, then decodes it (which
    ///      cannot fail then: every field is a uint256).
    function _decode(bytes calldata proof) private view returns (EscapeProof memory p) {
        uint256 d = _depth;
        if (proof.length != 32 * (_FIXED_WORDS + d)) revert EscapeMalformedProof(proof.length);
        uint256 tupleOffset;
        uint256 siblingsOffset;
        uint256 siblingsLength;
        assembly ("memory-safe") {
            tupleOffset := calldataload(proof.offset)
            siblingsOffset := calldataload(add(proof.offset, 0x1e0))
            siblingsLength := calldataload(add(proof.offset, 0x200))
        }
        if (tupleOffset != 0x20 || siblingsOffset != _SIBLINGS_OFFSET || siblingsLength != d) {
            revert EscapeMalformedProof(proof.length);
        }
        p = abi.decode(proof, (EscapeProof));
    }

    /// @dev `slot < 2^D`, every field element below r, `s` below the subgroup order.
    function _checkRanges(EscapeProof memory p) private view {
        if (p.slot >> _depth != 0) revert EscapeAccountOutOfRange(p.slot);
        _field(p.keyHash);
        _field(p.tokenId);
        _field(p.balance);
        _field(p.nonce);
        _field(p.accountsRoot);
        _field(p.l2Block);
        _field(p.queuePosition);
        _field(p.queueHash);
        _field(p.ax);
        _field(p.ay);
        _field(p.r8x);
        _field(p.r8y);
        uint256[] memory siblings = p.siblings;
        for (uint256 level; level < siblings.length; ++level) {
            _field(siblings[level]);
        }
        if (p.s >= BabyJubJub.ORDER) revert EscapeSignatureScalarOutOfRange(p.s);
    }

    /// @dev `A` and `R8` on the curve, `8·A` not the identity (docs/LEDGER.md §5).
    function _checkPoints(EscapeProof memory p) private pure {
        if (!BabyJubJub.isOnCurve(p.ax, p.ay)) revert EscapePointNotOnCurve(p.ax, p.ay);
        if (!BabyJubJub.isOnCurve(p.r8x, p.r8y)) revert EscapePointNotOnCurve(p.r8x, p.r8y);
        if (BabyJubJub.isSmallOrder(p.ax, p.ay)) revert EscapeSmallOrderKey(p.ax, p.ay);
    }

    /// @dev The accounts root that the slot's leaf and siblings lead to.
    function _merkleRoot(EscapeProof memory p) private view returns (uint256 node) {
        node = _h4(p.keyHash, p.tokenId, p.balance, p.nonce);
        uint256 index = p.slot;
        uint256[] memory siblings = p.siblings;
        for (uint256 level; level < siblings.length; ++level) {
            node = index & 1 == 0 ? _h2(node, siblings[level]) : _h2(siblings[level], node);
            index >>= 1;
        }
    }

    function _field(uint256 x) private pure {
        if (x >= _FIELD_R) revert EscapeNonCanonicalField(x);
    }

    function _h2(uint256 a, uint256 b) private view returns (uint256) {
        return _poseidon2.poseidon([a, b]);
    }

    function _h4(uint256 a, uint256 b, uint256 c, uint256 d) private view returns (uint256) {
        return _poseidon4.poseidon([a, b, c, d]);
    }
}
