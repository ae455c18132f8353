// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChainId} from "../types/ChainId.sol";

/// @title ILedgerSignatureVerifier
/// @notice Checks EdDSA-Poseidon signatures of the reference ledger's account owners on the settlement chain
///         (docs/LEDGER.md §4 "Forced withdrawals", §5), for the request queue's forced withdrawals.
/// @dev Invariants: stateless, callable under STATICCALL; `verifyForcedWithdrawal` returns only for a valid
///      signature, and then returns `H_2(ax, ay)`, which is never zero for a key on the curve in practice.
interface ILedgerSignatureVerifier {
    /// @notice A forced withdrawal signed by the owner of account slot `slot` (docs/LEDGER.md §4).
    struct ForcedWithdrawal {
        /// @dev The account slot.
        uint32 slot;
        /// @dev The token of the slot (0 = ETH).
        uint32 tokenId;
        /// @dev The amount to withdraw; the queue requires it in (0, 2^128).
        uint256 amount;
        /// @dev The settlement-chain address that receives it.
        address recipient;
        /// @dev Any field element chosen by the owner, so that equal withdrawals get distinct messages.
        uint256 salt;
        /// @dev The owner's Baby Jubjub public key.
        uint256 ax;
        uint256 ay;
        /// @dev The EdDSA-Poseidon signature of `forcedWithdrawalMessage`.
        uint256 r8x;
        uint256 r8y;
        uint256 s;
    }

    /// @notice A field of the withdrawal or signature is not below r (the Poseidon contracts compute mod r,
    ///         so `x` and `x + r` would hash alike).
    error SignatureNonCanonicalField(uint256 value);
    /// @notice The signature scalar `s` is not below the subgroup order l.
    error SignatureScalarOutOfRange(uint256 s);
    /// @notice A point (the key A or the signature's R8) is not on Baby Jubjub.
    error SignaturePointNotOnCurve(uint256 x, uint256 y);
    /// @notice The public key has small order (8·A is the identity): anyone could sign for it.
    error SignatureSmallOrderKey(uint256 x, uint256 y);
    /// @notice The EdDSA-Poseidon equation `s·B8 = R8 + 8·H_5(R8x, R8y, Ax, Ay, M)·A` does not hold.
    error SignatureInvalid();

    /// @notice The message the owner signs: `H_4(5, chainId, slot, H_4(uint160(recipient), tokenId, amount,
    ///         salt))`. `amount` and `salt` must be field elements (`verifyForcedWithdrawal` checks it).
    function forcedWithdrawalMessage(ChainId chainId, ForcedWithdrawal calldata w) external view returns (uint256);

    /// @notice Verifies the owner's signature of `w` for `chainId`; reverts with one of the errors above unless
    ///         it is valid. Checks, in order: every field (`amount`, `salt`, `ax`, `ay`, `r8x`, `r8y`) below r;
    ///         `s < l`; A and R8 on the curve; A not of small order; the EdDSA-Poseidon equation.
    /// @return keyHash `H_2(ax, ay)`, the key hash that the queue item carries (w1).
    function verifyForcedWithdrawal(
        ChainId chainId,
        ForcedWithdrawal calldata w
    ) external view returns (uint256 keyHash);
}
