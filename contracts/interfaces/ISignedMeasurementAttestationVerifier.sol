// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAttestationVerifier} from "./IAttestationVerifier.sol";
import {ChainId} from "../types/ChainId.sol";

/// @title ISignedMeasurementAttestationVerifier
/// @notice An `IAttestationVerifier` that models a TEE quoting enclave: governance approves enclave
///         measurements (the hash of the node software's enclave image) and attestation keys (the quoting
///         enclave's signing key); an attestation is a registration of an enclave key, for one node of one
///         network and one measurement, signed (EIP-712) by an approved attestation key.
/// @dev `attestation = abi.encode(bytes32 measurement, bytes signature)`, where `signature` is a 65-byte
///      ECDSA signature `r ‖ s ‖ v` (low s; EIP-2098 short signatures are rejected) over the EIP-712 digest of
///      `EnclaveRegistration(uint64 network,uint32 node,address enclaveKey,bytes32 measurement)` under the
///      domain `name = "ClusterKit Attestation"`, `version = "1"`, the chain id and this contract's address.
///      An on-chain DCAP quote verifier plugs into the same `IAttestationVerifier` interface instead.
interface ISignedMeasurementAttestationVerifier is IAttestationVerifier {
    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The admin address was zero.
    error AttestationZeroAddress();
    /// @notice A measurement of zero cannot be approved.
    error AttestationZeroMeasurement();
    /// @notice `measurement` is already (`approved` true) or already not (false) approved.
    error AttestationMeasurementUnchanged(bytes32 measurement, bool approved);
    /// @notice `key` is already (`approved` true) or already not (false) approved.
    error AttestationKeyUnchanged(address key, bool approved);
    /// @notice The attestation is not the canonical `abi.encode(bytes32, bytes)`.
    error AttestationMalformed();
    /// @notice The attested measurement is not approved.
    error AttestationMeasurementNotApproved(bytes32 measurement);
    /// @notice The signature is not a valid ECDSA signature (wrong length, high s, or no signer).
    error AttestationInvalidSignature();
    /// @notice The registration was signed by `signer`, which is not an approved attestation key.
    error AttestationKeyNotApproved(address signer);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice `measurement` is now accepted in attestations.
    event MeasurementApproved(bytes32 indexed measurement);
    /// @notice `measurement` is no longer accepted (keys already registered with it stay registered).
    event MeasurementRevoked(bytes32 indexed measurement);
    /// @notice Registrations signed by `key` are now accepted.
    event AttestationKeyApproved(address indexed key);
    /// @notice Registrations signed by `key` are no longer accepted.
    event AttestationKeyRevoked(address indexed key);

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Approves an enclave measurement (admin). Reverts if zero or already approved.
    function approveMeasurement(bytes32 measurement) external;

    /// @notice Revokes an enclave measurement (admin). Reverts if not approved.
    function revokeMeasurement(bytes32 measurement) external;

    /// @notice Approves an attestation (quoting-enclave) key (admin). Reverts if zero or already approved.
    function approveAttestationKey(address key) external;

    /// @notice Revokes an attestation key (admin). Reverts if not approved.
    function revokeAttestationKey(address key) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice Whether `measurement` is approved.
    function isMeasurementApproved(bytes32 measurement) external view returns (bool);

    /// @notice Whether `key` is an approved attestation key.
    function isAttestationKeyApproved(address key) external view returns (bool);

    /// @notice The EIP-712 digest an attestation key signs to register `enclaveKey` as node `node` of
    ///         `network` running `measurement`.
    function registrationDigest(
        ChainId network,
        uint32 node,
        address enclaveKey,
        bytes32 measurement
    ) external view returns (bytes32);

    /// @notice keccak256 of the `EnclaveRegistration` EIP-712 type string.
    function REGISTRATION_TYPEHASH() external view returns (bytes32);
}
