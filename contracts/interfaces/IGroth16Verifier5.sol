// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IGroth16Verifier5
/// @notice The interface of a snarkjs-generated Groth16 verifier with five public signals (the reference
///         ledger circuit's, docs/LEDGER.md §7).
interface IGroth16Verifier5 {
    /// @notice True iff (a, b, c) is a valid proof for `pubSignals` under the embedded verifying key.
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[5] calldata pubSignals
    ) external view returns (bool);
}
