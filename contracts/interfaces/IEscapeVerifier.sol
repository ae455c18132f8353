// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChainId} from "../types/ChainId.sol";

/// @title IEscapeVerifier
/// @notice Checks a user's escape claim against a frozen chain's last final state root: the proof shows that an
///         account of the chain's state held `amount` of `tokenId` and that its owner authorised paying it to
///         `recipient` on the settlement chain. The settlement-side escrow calls the verifier that the chain
///         registered for its state layout and pays the claim from the chain's escrowed funds.
/// @dev Contract with the escrow (the verifier keeps no state, so replay protection is the escrow's):
///      - `stateRoot` is the chain's last final state root, taken from the registry by the escrow, never from
///        the claimant;
///      - `accountId` names the account the claim drains: the escrow pays each `(chainId, accountId)` at most
///        once, which is what makes an account escape at most once (a second proof for the same account, e.g.
///        with another recipient, must be refused by the escrow);
///      - a successful return always has `amount > 0`: an empty or zero-balance account reverts, never returns
///        zero.
///      Every rejection reverts with one of the errors below (a verifier may add its own, e.g. for its
///      constructor); none returns a partial result.
interface IEscapeVerifier {
    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The proof bytes are not the canonical encoding the verifier expects (wrong length, offsets or
    ///         array length); `length` is the length received.
    error EscapeMalformedProof(uint256 length);
    /// @notice A field element of the proof is not canonical (not below the field order), so two encodings
    ///         could name one value.
    error EscapeNonCanonicalField(uint256 value);
    /// @notice The account index is outside the chain's account space.
    error EscapeAccountOutOfRange(uint256 accountId);
    /// @notice The state header in the proof does not hash to the given state root.
    error EscapeStateRootMismatch(bytes32 stateRoot, bytes32 computed);
    /// @notice The account and its Merkle path do not lead to the accounts root of the state header.
    error EscapeAccountNotInState(bytes32 accountsRoot, bytes32 computed);
    /// @notice The account is empty: it has no owner to authorise an escape.
    error EscapeEmptyAccount(uint256 accountId);
    /// @notice The account's balance is zero: nothing to escape.
    error EscapeZeroBalance(uint256 accountId);
    /// @notice The public key in the proof is not the account owner's (its hash differs from the account's).
    error EscapeKeyMismatch(uint256 keyHash, uint256 computed);
    /// @notice A point of the proof (public key or signature nonce) is not on the curve.
    error EscapePointNotOnCurve(uint256 x, uint256 y);
    /// @notice The public key has small order (its cofactor multiple is the identity): it cannot authorise.
    error EscapeSmallOrderKey(uint256 x, uint256 y);
    /// @notice The signature's scalar is not below the subgroup order.
    error EscapeSignatureScalarOutOfRange(uint256 s);
    /// @notice The signature does not verify for this chain, account and recipient under the owner's key.
    error EscapeInvalidSignature();

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice Verifies an escape claim from `chainId`'s state `stateRoot` to `recipient`; reverts with one of
    ///         the errors above unless the proof is valid.
    /// @param chainId The frozen chain, bound into what the owner signs (a proof is valid for one chain only).
    /// @param stateRoot The chain's last final state root (from the registry).
    /// @param recipient The settlement-chain address to pay, bound into what the owner signs.
    /// @param proof The verifier-specific encoding of the account, its inclusion proof and the owner's
    ///        authorisation.
    /// @return accountId The account the claim drains; the escrow pays each `(chainId, accountId)` at most once.
    /// @return tokenId The token the account holds.
    /// @return amount The account's balance in `stateRoot`, always non-zero.
    function verifyEscape(
        ChainId chainId,
        bytes32 stateRoot,
        address recipient,
        bytes calldata proof
    ) external view returns (uint256 accountId, uint256 tokenId, uint256 amount);
}
