// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IUpdateVerifier} from "./IUpdateVerifier.sol";

/// @title IGroth16UpdateVerifier
/// @notice Verifies a registry update of the reference ledger with one Groth16 proof: derives the
///         circuit's five public signals from the update (`LedgerPublicSignals`), checks that the update's
///         queue cursor is a point of the chain's request queue, and calls the generated verifier.
interface IGroth16UpdateVerifier is IUpdateVerifier {
    /// @notice The proof is not `abi.encode(uint256[2] a, uint256[2][2] b, uint256[2] c)` (256 bytes).
    error Groth16UpdateVerifierBadProofLength(uint256 length);
    /// @notice `(queuePosition, queueHash)` of the update is not a point of the chain's request queue.
    error Groth16UpdateVerifierQueueMismatch(uint64 queuePosition, bytes32 queueHash);
    /// @notice A constructor argument is the zero address.
    error Groth16UpdateVerifierZeroAddress();

    /// @notice The snarkjs-generated Groth16 verifier holding the verifying key.
    function groth16() external view returns (address);

    /// @notice The request queue whose rolling hash updates must match.
    function queue() external view returns (address);
}
