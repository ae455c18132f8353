// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IUpdateVerifier} from "./IUpdateVerifier.sol";
import {UpdatePublicData} from "../types/UpdatePublicData.sol";

/// @title IBatchGroth16Verifier
/// @notice Verifies many Groth16 proofs of the reference ledger circuit (five public signals,
///         docs/LEDGER.md §7) with one pairing check of N + 3 pairs instead of N checks of 4 pairs, and
///         verifies registry updates with them the way `IGroth16UpdateVerifier` does for one update.
/// @dev Batch rule. For proofs (A_i, B_i, C_i) with signals x_i and scalars r_0 = 1, r_i (i > 0) derived
///      from a hash of every proof and every signal, the batch is accepted iff
///          Π_i e(r_i·A_i, B_i) · e(-(Σ r_i)·α, β) · e(-Σ r_i·L_i, γ) · e(-Σ r_i·C_i, δ) = 1,
///      L_i = IC_0 + Σ_j x_ij·IC_j. (This is the product Π e(-r_i·A_i, B_i)·e(Σ r_i·α, β)·... = 1 with
///      every factor inverted.) If every proof is valid this holds; if one is not, it holds with
///      probability about 1/r over the choice of the r_i, which the prover cannot choose: they are fixed
///      only after every proof and signal is.
///
///      Proof layout, as the snarkjs-generated single verifier takes it (`b` imaginary part first):
///      `[a.x, a.y, b.x1, b.x0, b.y1, b.y0, c.x, c.y]`; as bytes, `abi.encode(uint256[2] a,
///      uint256[2][2] b, uint256[2] c)`, 256 bytes.
///
///      Rejections. Malformed input reverts with the errors below: no proofs, more than MAX_BATCH,
///      lengths that differ, a signal ≥ r, a coordinate ≥ q, proof bytes that are not 256 long (and,
///      for updates, the errors of `LedgerPublicSignals` and a queue mismatch). Well-formed input
///      that is not a valid batch (a failed pairing, or a point off the curve or outside the subgroup,
///      which makes a precompile call fail) returns false, as the single verifier does. A failing
///      precompile call consumes all the gas passed to it (all but 1/64 of what is left), so a batch with
///      such a point costs its caller most of the gas limit, as with the snarkjs-generated verifier; a
///      batch of valid points costs the same whatever the pairing's outcome.
interface IBatchGroth16Verifier is IUpdateVerifier {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice A Groth16 verifying key for five public signals, in the EVM precompiles' encoding:
    ///         G1 points as [x, y]; G2 points as [[x1, x0], [y1, y0]] (imaginary part first, which is
    ///         the reverse of snarkjs' vkey.json). `ic[j]` is the point of signal j - 1; `ic[0]` is the
    ///         constant term.
    struct VerifyingKey {
        uint256[2] alpha1;
        uint256[2][2] beta2;
        uint256[2][2] gamma2;
        uint256[2][2] delta2;
        uint256[2][6] ic;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The batch has no proofs.
    error BatchGroth16VerifierEmptyBatch();
    /// @notice The batch has `count` proofs, more than `max` (MAX_BATCH).
    error BatchGroth16VerifierBatchTooLarge(uint256 count, uint256 max);
    /// @notice There are `proofs` proofs but `inputs` sets of signals (or updates).
    error BatchGroth16VerifierLengthMismatch(uint256 proofs, uint256 inputs);
    /// @notice Signal `position` of proof `index` is `value`, not below the scalar field order r.
    error BatchGroth16VerifierSignalNotInField(uint256 index, uint256 position, uint256 value);
    /// @notice Word `position` (0..7, proof layout) of proof `index` is `value`, not below the base
    ///         field order q.
    error BatchGroth16VerifierCoordinateNotInField(uint256 index, uint256 position, uint256 value);
    /// @notice The bytes of proof `index` are `length` long, not 256.
    error BatchGroth16VerifierBadProofLength(uint256 index, uint256 length);
    /// @notice `(queuePosition, queueHash)` of update `index` is not a point of the chain's request queue.
    error BatchGroth16VerifierQueueMismatch(uint256 index, uint64 queuePosition, bytes32 queueHash);
    /// @notice A point of the verifying key is not on its curve (or not in the G2 subgroup), or has a
    ///         coordinate not below q: for instance G2 coordinates given in snarkjs' order.
    error BatchGroth16VerifierInvalidKey();
    /// @notice The request queue address is zero.
    error BatchGroth16VerifierZeroAddress();

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The largest number of proofs one call accepts.
    function MAX_BATCH() external view returns (uint256);

    /// @notice Checks N proofs at once, each against its own five public signals.
    /// @param proofs N proofs, each `[a.x, a.y, b.x1, b.x0, b.y1, b.y0, c.x, c.y]`.
    /// @param signals N sets of five public signals; `signals[i]` belongs to `proofs[i]`.
    /// @return ok True iff every proof is valid for its signals (up to the batch rule's ~1/r error);
    ///         false if the batch check fails. Reverts on malformed input (see the errors).
    function verifyProofs(uint256[8][] calldata proofs, uint256[5][] calldata signals) external view returns (bool ok);

    /// @notice Checks N registry updates at once: derives each update's signals (`LedgerPublicSignals`),
    ///         requires each `(queuePosition, queueHash)` to be a point of its chain's request queue (for
    ///         position 0 without a call: the queue's hash there is always 0), and checks the proofs as one
    ///         batch. Updates are checked in order (proof length, signals, queue point), then every proof's
    ///         coordinates.
    /// @param data The updates' public data.
    /// @param proofs `proofs[i]` is `abi.encode(uint256[2] a, uint256[2][2] b, uint256[2] c)` for `data[i]`.
    /// @return ok True iff every proof is valid for its update; false if the batch check fails.
    function verifyBatch(UpdatePublicData[] calldata data, bytes[] calldata proofs) external view returns (bool ok);

    /// @notice `verifyBatch` with each proof as its eight words instead of 256 bytes: the same checks, in the
    ///         same order, with the same errors and results, less the proof length (which cannot be wrong).
    ///         The cheapest way to check a batch of updates: no offset and length word per proof in the
    ///         calldata, and nothing to decode.
    /// @param data The updates' public data.
    /// @param proofs `proofs[i]` is `[a.x, a.y, b.x1, b.x0, b.y1, b.y0, c.x, c.y]` for `data[i]` (the words
    ///        of the bytes `verifyBatch` takes, `proofWords` in src/prover/solidity.ts).
    /// @return ok True iff every proof is valid for its update; false if the batch check fails.
    function verifyBatchWords(
        UpdatePublicData[] calldata data,
        uint256[8][] calldata proofs
    ) external view returns (bool ok);

    /// @notice The verifying key this verifier checks against, in the precompiles' encoding.
    function verifyingKey() external view returns (VerifyingKey memory);

    /// @notice The request queue whose rolling hash updates must match.
    function queue() external view returns (address);
}
