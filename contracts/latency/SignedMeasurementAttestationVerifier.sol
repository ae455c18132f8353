// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {ISignedMeasurementAttestationVerifier} from "../interfaces/ISignedMeasurementAttestationVerifier.sol";
import {ChainId} from "../types/ChainId.sol";

/// @title SignedMeasurementAttestationVerifier
/// @notice Attestation by signed measurement: a model of a TEE quoting enclave. Governance approves the
///         enclave measurements it trusts and the attestation keys of the quoting enclaves it trusts; a node
///         proves that its enclave key lives in an approved enclave by a registration
///         `(network, node, enclaveKey, measurement)` signed by an approved attestation key.
/// @dev Invariants:
///      I1  `verifyAttestation` returns `m` only if `m` is approved now and an approved attestation key
///          signed exactly `(network, node, enclaveKey, m)` under this contract's EIP-712 domain (so a
///          registration cannot be replayed for another node, network, key, chain or verifier).
///      I2  only DEFAULT_ADMIN_ROLE changes the approved sets; every change emits one event, and a no-op
///          change reverts.
///      I3  the zero measurement and the zero address are never approved.
///
///      Trust model. An attestation key stands for a quoting enclave's attestation key (Intel's QE, or an
///      attestation service that checked a DCAP quote off chain). An on-chain DCAP quote verifier is a
///      drop-in replacement behind the same `IAttestationVerifier` interface: the oracle only needs "this
///      key belongs to an approved enclave running as this node". Revoking a measurement or a key stops new
///      registrations; keys already registered in the oracle stay until rotated.
contract SignedMeasurementAttestationVerifier is ISignedMeasurementAttestationVerifier, AccessControl, EIP712 {
    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    mapping(bytes32 measurement => bool) private _measurements;
    mapping(address key => bool) private _attestationKeys;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISignedMeasurementAttestationVerifier
    bytes32 public constant REGISTRATION_TYPEHASH = keccak256(
        "EnclaveRegistration(uint64 network,uint32 node,address enclaveKey,bytes32 measurement)"
    );

    /// @dev The canonical head of `abi.encode(bytes32, bytes)`: measurement, offset (0x40), length.
    uint256 private constant _HEAD = 0x60;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin Holder of DEFAULT_ADMIN_ROLE: approves and revokes measurements and attestation keys.
    constructor(address admin) EIP712("ClusterKit Attestation", "1") {
        if (admin == address(0)) revert AttestationZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISignedMeasurementAttestationVerifier
    function approveMeasurement(bytes32 measurement) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (measurement == bytes32(0)) revert AttestationZeroMeasurement();
        if (_measurements[measurement]) revert AttestationMeasurementUnchanged(measurement, true);
        _measurements[measurement] = true;
        emit MeasurementApproved(measurement);
    }

    /// @inheritdoc ISignedMeasurementAttestationVerifier
    function revokeMeasurement(bytes32 measurement) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!_measurements[measurement]) revert AttestationMeasurementUnchanged(measurement, false);
        _measurements[measurement] = false;
        emit MeasurementRevoked(measurement);
    }

    /// @inheritdoc ISignedMeasurementAttestationVerifier
    function approveAttestationKey(address key) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (key == address(0)) revert AttestationZeroAddress();
        if (_attestationKeys[key]) revert AttestationKeyUnchanged(key, true);
        _attestationKeys[key] = true;
        emit AttestationKeyApproved(key);
    }

    /// @inheritdoc ISignedMeasurementAttestationVerifier
    function revokeAttestationKey(address key) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!_attestationKeys[key]) revert AttestationKeyUnchanged(key, false);
        _attestationKeys[key] = false;
        emit AttestationKeyRevoked(key);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAttestationVerifier
    /// @dev Checks, in order: canonical encoding, approved measurement, well-formed signature, approved
    ///      signer.
    function verifyAttestation(
        ChainId network,
        uint32 node,
        address enclaveKey,
        bytes calldata attestation
    ) external view returns (bytes32 measurement) {
        bytes calldata signature;
        (measurement, signature) = _decode(attestation);
        if (!_measurements[measurement]) revert AttestationMeasurementNotApproved(measurement);
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(
            registrationDigest(network, node, enclaveKey, measurement),
            signature
        );
        if (err != ECDSA.RecoverError.NoError) revert AttestationInvalidSignature();
        if (!_attestationKeys[signer]) revert AttestationKeyNotApproved(signer);
    }

    /// @inheritdoc ISignedMeasurementAttestationVerifier
    function isMeasurementApproved(bytes32 measurement) external view returns (bool) {
        return _measurements[measurement];
    }

    /// @inheritdoc ISignedMeasurementAttestationVerifier
    function isAttestationKeyApproved(address key) external view returns (bool) {
        return _attestationKeys[key];
    }

    /// @inheritdoc ISignedMeasurementAttestationVerifier
    function registrationDigest(
        ChainId network,
        uint32 node,
        address enclaveKey,
        bytes32 measurement
    ) public view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(abi.encode(REGISTRATION_TYPEHASH, ChainId.unwrap(network), node, enclaveKey, measurement))
            );
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev Splits the canonical `abi.encode(bytes32 measurement, bytes signature)` without copying;
    ///      anything else (short, other offset, length past the end, trailing bytes beyond the padding)
    ///      reverts with AttestationMalformed.
    function _decode(bytes calldata attestation) private pure returns (bytes32 measurement, bytes calldata signature) {
        if (attestation.length < _HEAD) revert AttestationMalformed();
        measurement = bytes32(attestation[0:32]);
        uint256 offset = uint256(bytes32(attestation[32:64]));
        uint256 length = uint256(bytes32(attestation[64:96]));
        // Padded to whole words, as abi.encode writes it; `length` is bounded first so nothing overflows.
        if (
            offset != 0x40 ||
            length > attestation.length ||
            attestation.length != _HEAD + ((length + 31) & ~uint256(31))
        ) {
            revert AttestationMalformed();
        }
        signature = attestation[_HEAD:_HEAD + length];
    }
}
