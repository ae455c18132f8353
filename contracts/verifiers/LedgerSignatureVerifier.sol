// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILedgerSignatureVerifier} from "../interfaces/ILedgerSignatureVerifier.sol";
import {IPoseidon2} from "../interfaces/IPoseidon2.sol";
import {IPoseidon4} from "../interfaces/IPoseidon4.sol";
import {IPoseidon5} from "../interfaces/IPoseidon5.sol";
import {BabyJubJub} from "../libraries/BabyJubJub.sol";
import {ChainId} from "../types/ChainId.sol";

/// @title LedgerSignatureVerifier
/// @notice The on-chain check of a reference-ledger owner's EdDSA-Poseidon signature of a forced withdrawal
///         (docs/LEDGER.md §4), with the circomlibjs Poseidon contracts H_2, H_4, H_5 and the rules of
///         LedgerEscapeVerifier / circomlib's `EdDSAPoseidonVerifier`: fields below r, `s` below l, A and R8 on
///         the curve, A not of small order, `s·B8 = R8 + 8·H_5(R8x, R8y, Ax, Ay, M)·A`.
/// @dev Invariants: stateless (all configuration immutable), callable under STATICCALL. The operation type 5
///      is neither a circuit operation (0 … 3) nor the escape (4), so no other signed message can be replayed
///      as a forced withdrawal or the converse.
contract LedgerSignatureVerifier is ILedgerSignatureVerifier {
    /// @notice A Poseidon contract address is zero.
    error LedgerSignatureVerifierZeroAddress();

    /// @notice The operation type of a forced withdrawal in its signed message.
    uint256 public constant FORCED_WITHDRAWAL_OP = 5;

    /// @dev H_2 (t = 3), H_4 (t = 5), H_5 (t = 6): circomlibjs-generated.
    IPoseidon2 private immutable _poseidon2;
    IPoseidon4 private immutable _poseidon4;
    IPoseidon5 private immutable _poseidon5;

    /// @param poseidon2_ The circomlibjs Poseidon contract with 2 inputs (PoseidonT3).
    /// @param poseidon4_ The circomlibjs Poseidon contract with 4 inputs (PoseidonT5).
    /// @param poseidon5_ The circomlibjs Poseidon contract with 5 inputs (PoseidonT6).
    constructor(IPoseidon2 poseidon2_, IPoseidon4 poseidon4_, IPoseidon5 poseidon5_) {
        if (address(poseidon2_) == address(0) || address(poseidon4_) == address(0)) {
            revert LedgerSignatureVerifierZeroAddress();
        }
        if (address(poseidon5_) == address(0)) revert LedgerSignatureVerifierZeroAddress();
        _poseidon2 = poseidon2_;
        _poseidon4 = poseidon4_;
        _poseidon5 = poseidon5_;
    }

    /// @inheritdoc ILedgerSignatureVerifier
    function forcedWithdrawalMessage(ChainId chainId, ForcedWithdrawal calldata w) public view returns (uint256) {
        uint256 inner = _poseidon4.poseidon([uint256(uint160(w.recipient)), w.tokenId, w.amount, w.salt]);
        return _poseidon4.poseidon([FORCED_WITHDRAWAL_OP, ChainId.unwrap(chainId), w.slot, inner]);
    }

    /// @inheritdoc ILedgerSignatureVerifier
    function verifyForcedWithdrawal(
        ChainId chainId,
        ForcedWithdrawal calldata w
    ) external view returns (uint256 keyHash) {
        _field(w.amount);
        _field(w.salt);
        _field(w.ax);
        _field(w.ay);
        _field(w.r8x);
        _field(w.r8y);
        if (w.s >= BabyJubJub.ORDER) revert SignatureScalarOutOfRange(w.s);
        if (!BabyJubJub.isOnCurve(w.ax, w.ay)) revert SignaturePointNotOnCurve(w.ax, w.ay);
        if (!BabyJubJub.isOnCurve(w.r8x, w.r8y)) revert SignaturePointNotOnCurve(w.r8x, w.r8y);
        if (BabyJubJub.isSmallOrder(w.ax, w.ay)) revert SignatureSmallOrderKey(w.ax, w.ay);
        uint256 message = forcedWithdrawalMessage(chainId, w);
        uint256 hm = _poseidon5.poseidon([w.r8x, w.r8y, w.ax, w.ay, message]);
        if (!BabyJubJub.verifyEquation(w.s, hm, w.ax, w.ay, w.r8x, w.r8y)) revert SignatureInvalid();
        return _poseidon2.poseidon([w.ax, w.ay]);
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

    function _field(uint256 x) private pure {
        if (x >= BabyJubJub.P) revert SignatureNonCanonicalField(x);
    }
}
