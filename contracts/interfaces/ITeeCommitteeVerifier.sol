// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IUpdateVerifier} from "./IUpdateVerifier.sol";
import {UpdatePublicData} from "../types/UpdatePublicData.sol";

/// @title ITeeCommitteeVerifier
/// @notice An `IUpdateVerifier` backed by a committee of TEE enclave keys from several vendors (Intel TDX,
///         AMD SEV-SNP, AWS Nitro, ...). An update is accepted when at least `threshold` distinct registered
///         keys signed it AND those signers run on at least `minVendors` distinct vendors, so that one broken
///         TEE vendor (a leaked attestation root, a side channel that extracts enclave keys) can never
///         accept an update alone, however many of the committee's keys it runs.
/// @dev What is signed: the EIP-712 digest (`updateDigest`) of
///      `UpdatePublicData(uint64 chainId,uint64 ackBlock,uint64 l2Block,uint64 queuePosition,bytes32 prevRoot,
///      bytes32 newRoot,bytes32 queueHash,bytes32 outboxRoot,bytes32 inboxRoot,bytes32 withdrawalRoot)`
///      under the domain `name = "ClusterKit TEE Committee"`, `version = "1"`, the chain id and this
///      contract's address: a signature is bound to all ten fields, this chain and this verifier.
///
///      Proof: `sig_0 ‖ sig_1 ‖ … ‖ sig_{k−1}`, each a 65-byte ECDSA signature `r ‖ s ‖ v` (low s,
///      v ∈ {27, 28}; EIP-2098 short signatures are not accepted), ordered by strictly increasing signer
///      address, so a duplicate signer is an ordering error. 0 ≤ k ≤ MAX_KEYS.
///
///      Error or `false`. `verify` reverts when the proof is malformed or contains anything that is not a
///      valid signature of a distinct registered key over this exact update: wrong length
///      (TeeCommitteeMalformedProof), an unusable signature (TeeCommitteeInvalidSignature), a signer that is
///      not a registered key, which is what a signature over another update, chain or verifier, or by a
///      removed key, recovers to (TeeCommitteeUnknownSigner), or a signer not above the previous one
///      (TeeCommitteeSignersNotSorted). Such a proof is a prover bug or an attack and the error says which
///      signature is wrong. `verify` returns `false` only for a well-formed proof of valid committee
///      signatures that is not enough: fewer than `threshold` signers, or fewer than `minVendors` vendors
///      among them (the empty proof included). The registry turns `false` into RegistryInvalidProof.
interface ITeeCommitteeVerifier is IUpdateVerifier {
    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The admin or a key was the zero address.
    error TeeCommitteeZeroAddress();
    /// @notice A vendor id of zero cannot be used (zero stands for "not a key" in `keyVendor`).
    error TeeCommitteeZeroVendor();
    /// @notice `key` is already registered (under `vendor`); to move it to another vendor, remove it first.
    error TeeCommitteeKeyExists(address key, bytes32 vendor);
    /// @notice `key` is not registered.
    error TeeCommitteeKeyNotRegistered(address key);
    /// @notice The committee already has `maxKeys` keys.
    error TeeCommitteeTooManyKeys(uint256 maxKeys);
    /// @notice The policy is out of bounds: it needs 2 ≤ minVendors ≤ threshold ≤ MAX_KEYS.
    error TeeCommitteeInvalidPolicy(uint16 threshold, uint16 minVendors);
    /// @notice The proof is not a whole number of 65-byte signatures, at most MAX_KEYS of them.
    error TeeCommitteeMalformedProof(uint256 length);
    /// @notice Signature `index` of the proof is not a valid low-s ECDSA signature (bad v, high s, or no
    ///         signer recovers from it).
    error TeeCommitteeInvalidSignature(uint256 index);
    /// @notice Signature `index` recovers to `signer`, which is not a registered key (also what a signature
    ///         over another update, chain or verifier, or by a removed key, gives).
    error TeeCommitteeUnknownSigner(uint256 index, address signer);
    /// @notice Signature `index` is by `signer`, which is not above the previous signer `previous`: the
    ///         signatures are out of order, or one key signed twice.
    error TeeCommitteeSignersNotSorted(uint256 index, address signer, address previous);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice `key` joined the committee as an enclave key of `vendor`.
    event KeyAdded(address indexed key, bytes32 indexed vendor);
    /// @notice `key` (of `vendor`) left the committee; its signatures no longer verify.
    event KeyRemoved(address indexed key, bytes32 indexed vendor);
    /// @notice The acceptance policy is now `threshold` signers from `minVendors` vendors.
    event PolicyUpdated(uint16 threshold, uint16 minVendors);

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Registers `key`, an enclave signing key running on TEE vendor `vendor` (KEY_ADMIN_ROLE).
    /// @dev Reverts on a zero key or vendor, a key already registered, or a full committee (MAX_KEYS).
    /// @param key The enclave key's address (secp256k1).
    /// @param vendor The vendor id, by convention keccak256 of its name ("intel-tdx", "amd-sev-snp", ...).
    function addKey(address key, bytes32 vendor) external;

    /// @notice Removes `key` from the committee (KEY_ADMIN_ROLE). Reverts if it is not registered.
    /// @dev Allowed even when the policy becomes unsatisfiable (a compromised key must be removable at
    ///      once); `isSatisfiable` tells whether the committee can still accept updates.
    /// @param key The enclave key's address.
    function removeKey(address key) external;

    /// @notice Sets the acceptance policy (KEY_ADMIN_ROLE): `threshold` distinct signers from at least
    ///         `minVendors` distinct vendors.
    /// @dev Bounds: 2 ≤ minVendors ≤ threshold ≤ MAX_KEYS. minVendors = 1 is refused: it would let the keys
    ///      of a single vendor accept updates, so one broken vendor (a leaked attestation root or an
    ///      extractable enclave key) would break every chain that uses this verifier, which is the failure
    ///      this committee exists to prevent. minVendors > threshold could never be met. The policy may exceed
    ///      what the current keys can meet (keys are usually added after deployment); `isSatisfiable`,
    ///      `keyCount`, `vendorCount` and `vendorKeyCount` expose that.
    /// @param threshold Least number of distinct registered signers.
    /// @param minVendors Least number of distinct vendors among the signers.
    function setPolicy(uint16 threshold, uint16 minVendors) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The EIP-712 digest that committee keys sign for `data` (see the interface notes).
    function updateDigest(UpdatePublicData calldata data) external view returns (bytes32);

    /// @notice Least number of distinct registered signers an update needs.
    function threshold() external view returns (uint16);

    /// @notice Least number of distinct vendors among an update's signers.
    function minVendors() external view returns (uint16);

    /// @notice Whether the registered keys can meet the policy now: keyCount ≥ threshold and
    ///         vendorCount ≥ minVendors (then one key of each of minVendors vendors, topped up with any other
    ///         keys, is an accepted set, since minVendors ≤ threshold).
    function isSatisfiable() external view returns (bool);

    /// @notice Whether `key` is a registered committee key.
    function isKey(address key) external view returns (bool);

    /// @notice The vendor of `key`, or zero if it is not registered.
    function keyVendor(address key) external view returns (bytes32);

    /// @notice Number of registered keys (≤ MAX_KEYS).
    function keyCount() external view returns (uint256);

    /// @notice The registered keys, in no particular order (removal moves the last key into the gap).
    function keys() external view returns (address[] memory);

    /// @notice Number of vendors with at least one registered key.
    function vendorCount() external view returns (uint256);

    /// @notice The vendors with at least one registered key, in no particular order.
    function vendors() external view returns (bytes32[] memory);

    /// @notice Number of registered keys of `vendor`.
    function vendorKeyCount(bytes32 vendor) external view returns (uint256);

    /// @notice Most keys the committee may have; bounds `verify` to MAX_KEYS signatures.
    function MAX_KEYS() external view returns (uint256);

    /// @notice keccak256 of the `UpdatePublicData` EIP-712 type string.
    function UPDATE_TYPEHASH() external view returns (bytes32);

    /// @notice Role that adds and removes keys and sets the policy.
    function KEY_ADMIN_ROLE() external view returns (bytes32);
}
