// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChainId} from "../types/ChainId.sol";

/// @title IAttestationVerifier
/// @notice Decides whether an enclave signing key belongs to an approved TEE running as node `node` of
///         `network`. The shipped implementation checks a governance-approved enclave measurement and a
///         registration signed by an approved attestation key; an on-chain DCAP adapter can implement the
///         same interface later (attest once, then plain ECDSA: Espresso's pattern).
interface IAttestationVerifier {
    /// @notice Verifies `attestation` for `enclaveKey` as node `node` of `network`; reverts if it fails.
    /// @param network The node's network (a cluster chain).
    /// @param node The node's index in its network.
    /// @param enclaveKey The ECDSA address whose signatures the oracle will accept for this node.
    /// @param attestation Verifier-specific evidence.
    /// @return measurement The attested enclave measurement.
    function verifyAttestation(
        ChainId network,
        uint32 node,
        address enclaveKey,
        bytes calldata attestation
    ) external view returns (bytes32 measurement);
}
