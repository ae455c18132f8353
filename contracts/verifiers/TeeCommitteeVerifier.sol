// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ITeeCommitteeVerifier} from "../interfaces/ITeeCommitteeVerifier.sol";
import {IUpdateVerifier} from "../interfaces/IUpdateVerifier.sol";
import {UpdatePublicData} from "../types/UpdatePublicData.sol";

/// @title TeeCommitteeVerifier
/// @notice Accepts an update signed by at least `threshold` distinct registered TEE enclave keys that run on
///         at least `minVendors` distinct TEE vendors: the keys of one vendor are never enough, so one broken
///         vendor cannot accept an update alone (see ITeeCommitteeVerifier for the digest, the proof layout and
///         which rejections revert and which return false).
/// @dev Invariants:
///      I1  keyCount ≤ MAX_KEYS; every registered key has exactly one non-zero vendor; `vendorKeyCount(v)` is
///          the number of registered keys of v; `vendors()` lists exactly the vendors with at least one key,
///          so vendorCount ≤ keyCount.
///      I2  the policy always satisfies 2 ≤ minVendors ≤ threshold ≤ MAX_KEYS (from the constructor on).
///      I3  `verify` returns true only if the proof is k ≥ threshold signatures over `updateDigest(data)` by
///          k distinct keys registered at the time of the call, whose vendors number at least minVendors; it
///          never changes state and reads at most MAX_KEYS signatures.
///      I4  only KEY_ADMIN_ROLE changes the keys and the policy, and every change emits one event.
///
///      Storage. Each vendor with keys holds a slot 0 … MAX_KEYS − 1 (a bit of `_usedSlots`, its id in
///      `_slotVendors`); a slot is taken by the vendor's first key and freed with its last, so the active
///      vendors never need more than MAX_KEYS slots. Each key stores its vendor's slot next to its position
///      in `_keyList` (one word), so `verify` reads one storage word per signer and counts vendors with a
///      64-bit bitmap of slots.
contract TeeCommitteeVerifier is ITeeCommitteeVerifier, AccessControl, EIP712 {
    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev A registered key: its vendor's slot and 1 + its index in `_keyList` (0: not registered).
    struct Key {
        uint8 vendorSlot;
        uint8 position;
    }

    /// @dev A vendor: its slot and number of registered keys (0: inactive, `slot` meaningless).
    struct Vendor {
        uint8 slot;
        uint8 keyCount;
    }

    mapping(address key => Key) private _keys;
    address[] private _keyList;
    mapping(bytes32 vendor => Vendor) private _vendors;
    bytes32[64] private _slotVendors;
    /// @dev Policy and slot bitmap share one word: `verify` reads the policy with one SLOAD.
    uint16 private _threshold;
    uint16 private _minVendors;
    uint64 private _usedSlots;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ITeeCommitteeVerifier
    bytes32 public constant KEY_ADMIN_ROLE = keccak256("clusterkit.teeCommittee.KEY_ADMIN");
    /// @inheritdoc ITeeCommitteeVerifier
    uint256 public constant MAX_KEYS = 64;
    /// @inheritdoc ITeeCommitteeVerifier
    bytes32 public constant UPDATE_TYPEHASH = keccak256(
        "UpdatePublicData(uint64 chainId,uint64 ackBlock,uint64 l2Block,uint64 queuePosition,bytes32 prevRoot,"
        "bytes32 newRoot,bytes32 queueHash,bytes32 outboxRoot,bytes32 inboxRoot,bytes32 withdrawalRoot)"
    );

    /// @dev Bytes per signature in a proof: r ‖ s ‖ v.
    uint256 private constant _SIGNATURE_LENGTH = 65;
    /// @dev Smallest allowed minVendors: one vendor alone must never be enough.
    uint16 private constant _MIN_VENDORS_FLOOR = 2;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param admin Holder of DEFAULT_ADMIN_ROLE and KEY_ADMIN_ROLE (the timelock in production).
    /// @param initialThreshold Least number of distinct signers (see `setPolicy` for the bounds).
    /// @param initialMinVendors Least number of distinct vendors among the signers (≥ 2).
    constructor(
        address admin,
        uint16 initialThreshold,
        uint16 initialMinVendors
    ) EIP712("ClusterKit TEE Committee", "1") {
        if (admin == address(0)) revert TeeCommitteeZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(KEY_ADMIN_ROLE, admin);
        _setPolicy(initialThreshold, initialMinVendors);
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ITeeCommitteeVerifier
    function addKey(address key, bytes32 vendor) external onlyRole(KEY_ADMIN_ROLE) {
        if (key == address(0)) revert TeeCommitteeZeroAddress();
        if (vendor == bytes32(0)) revert TeeCommitteeZeroVendor();
        Key storage k = _keys[key];
        if (k.position != 0) revert TeeCommitteeKeyExists(key, _slotVendors[k.vendorSlot]);
        uint256 count = _keyList.length;
        if (count >= MAX_KEYS) revert TeeCommitteeTooManyKeys(MAX_KEYS);

        Vendor storage v = _vendors[vendor];
        uint8 slot;
        if (v.keyCount == 0) {
            // Fewer than MAX_KEYS keys, so fewer than MAX_KEYS active vendors: a free slot exists. The
            // lowest clear bit of `used` is the only set bit of ~used & (used + 1).
            uint256 used = _usedSlots;
            slot = uint8(Math.log2(~used & (used + 1)));
            _usedSlots = uint64(used | (uint256(1) << slot));
            _slotVendors[slot] = vendor;
            v.slot = slot;
        } else {
            slot = v.slot;
        }
        ++v.keyCount;
        _keyList.push(key);
        k.vendorSlot = slot;
        k.position = uint8(count + 1);
        emit KeyAdded(key, vendor);
    }

    /// @inheritdoc ITeeCommitteeVerifier
    function removeKey(address key) external onlyRole(KEY_ADMIN_ROLE) {
        Key memory k = _keys[key];
        if (k.position == 0) revert TeeCommitteeKeyNotRegistered(key);
        bytes32 vendor = _slotVendors[k.vendorSlot];

        uint256 index = k.position - 1;
        uint256 last = _keyList.length - 1;
        if (index != last) {
            address moved = _keyList[last];
            _keyList[index] = moved;
            _keys[moved].position = k.position;
        }
        _keyList.pop();
        delete _keys[key];

        Vendor storage v = _vendors[vendor];
        if (--v.keyCount == 0) {
            _usedSlots &= ~uint64(uint64(1) << k.vendorSlot);
            delete _slotVendors[k.vendorSlot];
            delete _vendors[vendor];
        }
        emit KeyRemoved(key, vendor);
    }

    /// @inheritdoc ITeeCommitteeVerifier
    function setPolicy(uint16 newThreshold, uint16 newMinVendors) external onlyRole(KEY_ADMIN_ROLE) {
        _setPolicy(newThreshold, newMinVendors);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IUpdateVerifier
    /// @dev Checks, in order: length; then for each signature i: a valid low-s signature, a registered
    ///      signer, above signature i − 1's signer. Then compares the counts with the policy.
    function verify(UpdatePublicData calldata data, bytes calldata proof) external view returns (bool) {
        uint256 length = proof.length;
        if (length % _SIGNATURE_LENGTH != 0 || length > MAX_KEYS * _SIGNATURE_LENGTH) {
            revert TeeCommitteeMalformedProof(length);
        }
        bytes32 digest = updateDigest(data);
        uint256 signers = length / _SIGNATURE_LENGTH;
        uint256 seenSlots;
        uint256 vendorsSeen;
        address previous;
        for (uint256 i; i < signers; ++i) {
            uint256 offset = i * _SIGNATURE_LENGTH;
            (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(
                digest,
                proof[offset:offset + _SIGNATURE_LENGTH]
            );
            if (err != ECDSA.RecoverError.NoError) revert TeeCommitteeInvalidSignature(i);
            Key memory k = _keys[signer];
            if (k.position == 0) revert TeeCommitteeUnknownSigner(i, signer);
            if (signer <= previous) revert TeeCommitteeSignersNotSorted(i, signer, previous);
            uint256 bit = uint256(1) << k.vendorSlot;
            if (seenSlots & bit == 0) {
                seenSlots |= bit;
                ++vendorsSeen;
            }
            previous = signer;
        }
        return signers >= _threshold && vendorsSeen >= _minVendors;
    }

    /// @inheritdoc ITeeCommitteeVerifier
    function updateDigest(UpdatePublicData calldata data) public view returns (bytes32) {
        // Every field is a static type, so abi.encode lays out the ten fields as ten words, exactly the
        // EIP-712 encodeData of the struct (ChainId as its uint64).
        return _hashTypedDataV4(keccak256(abi.encode(UPDATE_TYPEHASH, data)));
    }

    /// @inheritdoc ITeeCommitteeVerifier
    function threshold() external view returns (uint16) {
        return _threshold;
    }

    /// @inheritdoc ITeeCommitteeVerifier
    function minVendors() external view returns (uint16) {
        return _minVendors;
    }

    /// @inheritdoc ITeeCommitteeVerifier
    function isSatisfiable() external view returns (bool) {
        return _keyList.length >= _threshold && _popCount(_usedSlots) >= _minVendors;
    }

    /// @inheritdoc ITeeCommitteeVerifier
    function isKey(address key) external view returns (bool) {
        return _keys[key].position != 0;
    }

    /// @inheritdoc ITeeCommitteeVerifier
    function keyVendor(address key) external view returns (bytes32) {
        Key memory k = _keys[key];
        return k.position == 0 ? bytes32(0) : _slotVendors[k.vendorSlot];
    }

    /// @inheritdoc ITeeCommitteeVerifier
    function keyCount() external view returns (uint256) {
        return _keyList.length;
    }

    /// @inheritdoc ITeeCommitteeVerifier
    function keys() external view returns (address[] memory) {
        return _keyList;
    }

    /// @inheritdoc ITeeCommitteeVerifier
    function vendorCount() external view returns (uint256) {
        return _popCount(_usedSlots);
    }

    /// @inheritdoc ITeeCommitteeVerifier
    function vendors() external view returns (bytes32[] memory list) {
        uint256 used = _usedSlots;
        list = new bytes32[](_popCount(used));
        uint256 n;
        for (uint256 slot; used != 0; ++slot) {
            if (used & 1 != 0) list[n++] = _slotVendors[slot];
            used >>= 1;
        }
    }

    /// @inheritdoc ITeeCommitteeVerifier
    function vendorKeyCount(bytes32 vendor) external view returns (uint256) {
        return _vendors[vendor].keyCount;
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev Checks 2 ≤ minVendors ≤ threshold ≤ MAX_KEYS, stores the policy and emits PolicyUpdated.
    function _setPolicy(uint16 newThreshold, uint16 newMinVendors) private {
        if (newMinVendors < _MIN_VENDORS_FLOOR || newMinVendors > newThreshold || newThreshold > MAX_KEYS) {
            revert TeeCommitteeInvalidPolicy(newThreshold, newMinVendors);
        }
        _threshold = newThreshold;
        _minVendors = newMinVendors;
        emit PolicyUpdated(newThreshold, newMinVendors);
    }

    /// @dev Number of set bits of `x`.
    function _popCount(uint256 x) private pure returns (uint256 n) {
        for (; x != 0; ++n) x &= x - 1;
    }
}
