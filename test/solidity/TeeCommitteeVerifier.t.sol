// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {ITeeCommitteeVerifier} from "../../contracts/interfaces/ITeeCommitteeVerifier.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";
import {UpdatePublicData} from "../../contracts/types/UpdatePublicData.sol";
import {TeeCommitteeVerifier} from "../../contracts/verifiers/TeeCommitteeVerifier.sol";

import {Test} from "./utils/Test.sol";

/// @notice Unit and fuzz tests of TeeCommitteeVerifier with hostile inputs: random proof bytes, random
///         signatures, valid prefixes followed by garbage, random signer subsets, permutations and duplicates,
///         signatures under another chain id, random policies and key operations. Every `verify` is compared
///         with a reference model written here (its own EIP-712 digest, plain `ecrecover`, the documented check
///         order): the same return value, or exactly the same revert data. Rejected admin calls change nothing.
/// @dev Set up (admin and key admin: this contract; policy 3 signers from ≥ 2 vendors): a pool of POOL keys
///      with private keys `_pk(i)`; keys 0 … 7 are registered, key i under vendor `_VENDORS[i % 3]` (Intel TDX:
///      0, 3, 6; AMD SEV-SNP: 1, 4, 7; AWS Nitro: 2, 5); keys 8 … 11 are not. The model mirrors which pool keys
///      are registered and under which vendor.
contract TeeCommitteeVerifierTest is Test {
    TeeCommitteeVerifier internal verifier;

    bytes32 internal constant INTEL = keccak256("intel-tdx");
    bytes32 internal constant AMD = keccak256("amd-sev-snp");
    bytes32 internal constant NITRO = keccak256("aws-nitro");
    bytes32 internal constant OTHER_VENDOR = keccak256("other-vendor");
    address internal constant STRANGER = address(0xBAD);

    uint256 internal constant POOL = 12;
    uint256 internal constant COMMITTEE = 8;
    uint16 internal constant THRESHOLD = 3;
    uint16 internal constant MIN_VENDORS = 2;
    uint256 internal constant MAX_KEYS = 64;

    /// @dev secp256k1 group order and half of it (OpenZeppelin rejects s above the half).
    uint256 internal constant N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    uint256 internal constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 internal constant UPDATE_TYPEHASH = keccak256(
        "UpdatePublicData(uint64 chainId,uint64 ackBlock,uint64 l2Block,uint64 queuePosition,bytes32 prevRoot,"
        "bytes32 newRoot,bytes32 queueHash,bytes32 outboxRoot,bytes32 inboxRoot,bytes32 withdrawalRoot)"
    );

    bytes32[4] internal _VENDORS = [INTEL, AMD, NITRO, OTHER_VENDOR];

    /// @dev The model: pool key addresses, whether registered, vendor; the policy.
    address[POOL] internal _addr;
    bool[POOL] internal _registered;
    bytes32[POOL] internal _vendorOf;
    uint16 internal _threshold;
    uint16 internal _minVendors;

    function setUp() public {
        verifier = new TeeCommitteeVerifier(address(this), THRESHOLD, MIN_VENDORS);
        (_threshold, _minVendors) = (THRESHOLD, MIN_VENDORS);
        for (uint256 i; i < POOL; ++i) {
            _addr[i] = vm.addr(_pk(i));
            if (i < COMMITTEE) _add(i, _VENDORS[i % 3]);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev The private key of pool key i: a deterministic scalar in [1, N − 1].
    function _pk(uint256 i) internal pure returns (uint256) {
        return 1 + (uint256(keccak256(abi.encode("tee enclave", i))) % (N - 1));
    }

    /// @dev Registers pool key i under `vendor` in the verifier and the model.
    function _add(uint256 i, bytes32 vendor) internal {
        verifier.addKey(_addr[i], vendor);
        _registered[i] = true;
        _vendorOf[i] = vendor;
    }

    function _remove(uint256 i) internal {
        verifier.removeKey(_addr[i]);
        _registered[i] = false;
        _vendorOf[i] = bytes32(0);
    }

    function _setPolicy(uint16 t, uint16 mv) internal {
        verifier.setPolicy(t, mv);
        (_threshold, _minVendors) = (t, mv);
    }

    /// @dev Update public data derived from `seed` (every field set).
    function _data(uint256 seed) internal pure returns (UpdatePublicData memory d) {
        d.chainId = ChainId.wrap(uint64(seed));
        d.ackBlock = uint64(seed >> 64);
        d.l2Block = uint64(seed >> 128);
        d.queuePosition = uint64(seed >> 192);
        d.prevRoot = keccak256(abi.encode(seed, "prev"));
        d.newRoot = keccak256(abi.encode(seed, "new"));
        d.queueHash = keccak256(abi.encode(seed, "queue"));
        d.outboxRoot = keccak256(abi.encode(seed, "outbox"));
        d.inboxRoot = keccak256(abi.encode(seed, "inbox"));
        d.withdrawalRoot = keccak256(abi.encode(seed, "withdrawal"));
    }

    /// @dev The EIP-712 digest, computed here from the type strings (independent of the contract).
    function _digest(UpdatePublicData memory d) internal view returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(
                DOMAIN_TYPEHASH,
                keccak256("ClusterKit TEE Committee"),
                keccak256("1"),
                block.chainid,
                address(verifier)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                UPDATE_TYPEHASH,
                ChainId.unwrap(d.chainId),
                d.ackBlock,
                d.l2Block,
                d.queuePosition,
                d.prevRoot,
                d.newRoot,
                d.queueHash,
                d.outboxRoot,
                d.inboxRoot,
                d.withdrawalRoot
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function _sign(uint256 pk, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev The pool keys whose bit is set in `mask` (bits 0 … POOL − 1), sorted by address.
    function _sorted(uint256 mask) internal view returns (uint256[] memory idx) {
        uint256 n;
        for (uint256 i; i < POOL; ++i) if ((mask >> i) & 1 != 0) ++n;
        idx = new uint256[](n);
        n = 0;
        for (uint256 i; i < POOL; ++i) {
            if ((mask >> i) & 1 == 0) continue;
            uint256 j = n++;
            for (; j > 0 && _addr[idx[j - 1]] > _addr[i]; --j) idx[j] = idx[j - 1];
            idx[j] = i;
        }
    }

    /// @dev The signatures of pool keys `idx` over `digest`, concatenated in the order given.
    function _proof(uint256[] memory idx, bytes32 digest) internal pure returns (bytes memory proof) {
        for (uint256 k; k < idx.length; ++k) proof = bytes.concat(proof, _sign(_pk(idx[k]), digest));
    }

    /// @dev Mask of the registered committee keys among the low POOL bits of `mask`.
    function _registeredMask(uint256 mask) internal view returns (uint256 out) {
        for (uint256 i; i < POOL; ++i) if (_registered[i] && (mask >> i) & 1 != 0) out |= uint256(1) << i;
    }

    /// @dev Signer count and distinct vendor count of pool keys `idx` (all registered).
    function _counts(uint256[] memory idx) internal view returns (uint256 signers, uint256 vendorCount) {
        uint256 seen;
        for (uint256 k; k < idx.length; ++k) {
            for (uint256 v; v < 4; ++v) {
                if (_vendorOf[idx[k]] == _VENDORS[v] && (seen >> v) & 1 == 0) {
                    seen |= uint256(1) << v;
                    ++vendorCount;
                }
            }
        }
        signers = idx.length;
    }

    /// @dev Whether `who` is a registered pool key, and its vendor.
    function _lookup(address who) internal view returns (bool known, bytes32 vendor) {
        for (uint256 i; i < POOL; ++i) if (_registered[i] && _addr[i] == who) return (true, _vendorOf[i]);
    }

    /// @dev Signature k of `proof`: r, s, v.
    function _split(bytes memory proof, uint256 k) internal pure returns (bytes32 r, bytes32 s, uint8 v) {
        assembly ("memory-safe") {
            let p := add(add(proof, 0x20), mul(k, 65))
            r := mload(p)
            s := mload(add(p, 0x20))
            v := byte(0, mload(add(p, 0x40)))
        }
    }

    /// @dev The reference model of `verify`: (return value, empty) or (false, exact revert data).
    function _expected(UpdatePublicData memory d, bytes memory proof) internal view returns (bool, bytes memory) {
        uint256 len = proof.length;
        if (len % 65 != 0 || len > MAX_KEYS * 65) {
            return (false, abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeMalformedProof.selector, len));
        }
        bytes32 digest = _digest(d);
        address previous;
        bytes32[] memory seen = new bytes32[](len / 65);
        uint256 vendorCount;
        for (uint256 k; k < len / 65; ++k) {
            (bytes32 r, bytes32 s, uint8 v) = _split(proof, k);
            address signer = uint256(s) > HALF_N ? address(0) : ecrecover(digest, v, r, s);
            if (signer == address(0)) {
                return (false, abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeInvalidSignature.selector, k));
            }
            (bool known, bytes32 vendor) = _lookup(signer);
            if (!known) {
                return (
                    false,
                    abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeUnknownSigner.selector, k, signer)
                );
            }
            if (signer <= previous) {
                return (
                    false,
                    abi.encodeWithSelector(
                        ITeeCommitteeVerifier.TeeCommitteeSignersNotSorted.selector,
                        k,
                        signer,
                        previous
                    )
                );
            }
            previous = signer;
            bool dup;
            for (uint256 q; q < vendorCount; ++q) if (seen[q] == vendor) dup = true;
            if (!dup) seen[vendorCount++] = vendor;
        }
        return (len / 65 >= _threshold && vendorCount >= _minVendors, "");
    }

    /// @dev Calls `verify` and asserts it behaves exactly as the model; returns the model's verdict.
    function _check(UpdatePublicData memory d, bytes memory proof) internal view returns (bool ok, bytes memory err) {
        (ok, err) = _expected(d, proof);
        try verifier.verify(d, proof) returns (bool got) {
            assertEq(err.length, 0, "verify returned where the model reverts");
            assertEq(got, ok, "verify result");
        } catch (bytes memory got) {
            assertEq(got, err, "verify revert data");
        }
    }

    /// @dev A hash of everything the verifier exposes about its keys, vendors, policy and roles.
    function _fingerprint() internal view returns (bytes32 h) {
        h = keccak256(
            abi.encode(
                verifier.threshold(),
                verifier.minVendors(),
                verifier.keys(),
                verifier.vendors(),
                verifier.keyCount(),
                verifier.vendorCount(),
                verifier.isSatisfiable(),
                verifier.hasRole(verifier.KEY_ADMIN_ROLE(), STRANGER)
            )
        );
        for (uint256 v; v < 4; ++v) h = keccak256(abi.encode(h, verifier.vendorKeyCount(_VENDORS[v])));
        for (uint256 i; i < POOL; ++i) h = keccak256(abi.encode(h, verifier.keyVendor(_addr[i])));
    }

    /// @dev Asserts the verifier's key views equal the model.
    function _assertModel() internal view {
        uint256 keys;
        for (uint256 i; i < POOL; ++i) {
            assertEq(verifier.isKey(_addr[i]), _registered[i], "isKey");
            assertEq(verifier.keyVendor(_addr[i]), _vendorOf[i], "keyVendor");
            if (_registered[i]) ++keys;
        }
        assertEq(verifier.keyCount(), keys, "keyCount");
        assertEq(verifier.keys().length, keys, "keys length");
        uint256 vendorCount;
        for (uint256 v; v < 4; ++v) {
            uint256 n;
            for (uint256 i; i < POOL; ++i) if (_registered[i] && _vendorOf[i] == _VENDORS[v]) ++n;
            assertEq(verifier.vendorKeyCount(_VENDORS[v]), n, "vendorKeyCount");
            if (n != 0) ++vendorCount;
        }
        assertEq(verifier.vendorCount(), vendorCount, "vendorCount");
        assertEq(verifier.vendors().length, vendorCount, "vendors length");
        assertEq(verifier.isSatisfiable(), keys >= _threshold && vendorCount >= _minVendors, "isSatisfiable");
    }

    /// @dev The AccessControl error for `caller` lacking KEY_ADMIN_ROLE (built before `vm.prank`: the view
    ///      call inside would use up the prank).
    function _unauthorized(address caller) internal view returns (bytes memory) {
        return
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                caller,
                verifier.KEY_ADMIN_ROLE()
            );
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    function test_constructor_setsPolicyRolesAndCommittee() public view {
        assertEq(verifier.threshold(), THRESHOLD, "threshold");
        assertEq(verifier.minVendors(), MIN_VENDORS, "minVendors");
        assertTrue(verifier.hasRole(verifier.DEFAULT_ADMIN_ROLE(), address(this)), "admin");
        assertTrue(verifier.hasRole(verifier.KEY_ADMIN_ROLE(), address(this)), "key admin");
        assertEq(verifier.KEY_ADMIN_ROLE(), keccak256("clusterkit.teeCommittee.KEY_ADMIN"), "role id");
        assertEq(verifier.UPDATE_TYPEHASH(), UPDATE_TYPEHASH, "typehash");
        assertEq(verifier.MAX_KEYS(), MAX_KEYS, "max keys");
        _assertModel();
    }

    function test_constructor_revertsOnZeroAdmin() public {
        vm.expectRevert(ITeeCommitteeVerifier.TeeCommitteeZeroAddress.selector);
        new TeeCommitteeVerifier(address(0), 2, 2);
    }

    function test_constructor_revertsOnMinVendorsOne() public {
        vm.expectRevert(abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeInvalidPolicy.selector, 3, 1));
        new TeeCommitteeVerifier(address(this), 3, 1);
    }

    /*//////////////////////////////////////////////////////////////
                                  KEYS
    //////////////////////////////////////////////////////////////*/

    function test_addKey_emitsAndRegisters() public {
        vm.expectEmit(address(verifier));
        emit ITeeCommitteeVerifier.KeyAdded(_addr[8], OTHER_VENDOR);
        _add(8, OTHER_VENDOR);
        _assertModel();
        assertEq(verifier.vendors()[3], OTHER_VENDOR, "new vendor listed last");
    }

    function test_addKey_revertsOnRegisteredKey() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeKeyExists.selector, _addr[4], AMD));
        verifier.addKey(_addr[4], NITRO);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_addKey_revertsWhenFull() public {
        for (uint256 i; i < MAX_KEYS - COMMITTEE; ++i) verifier.addKey(address(uint160(0x1000 + i)), bytes32(i + 1));
        assertEq(verifier.keyCount(), MAX_KEYS, "full");
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeTooManyKeys.selector, MAX_KEYS));
        verifier.addKey(_addr[9], INTEL);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_addKey_revertsForNonAdmin() public {
        bytes32 before = _fingerprint();
        bytes memory unauthorized = _unauthorized(STRANGER);
        vm.prank(STRANGER);
        vm.expectRevert(unauthorized);
        verifier.addKey(_addr[9], INTEL);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_removeKey_emitsAndFreesVendor() public {
        // Nitro has keys 2 and 5.
        vm.expectEmit(address(verifier));
        emit ITeeCommitteeVerifier.KeyRemoved(_addr[2], NITRO);
        _remove(2);
        _assertModel();
        _remove(5);
        _assertModel();
        assertEq(verifier.vendorCount(), 2, "nitro gone");
        // Its slot goes to the next new vendor.
        _add(9, OTHER_VENDOR);
        assertEq(verifier.vendors()[2], OTHER_VENDOR, "slot reused");
        _assertModel();
    }

    function test_removeKey_revertsOnUnknownKey() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeKeyNotRegistered.selector, _addr[10]));
        verifier.removeKey(_addr[10]);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_removeKey_revertsForNonAdmin() public {
        bytes32 before = _fingerprint();
        bytes memory unauthorized = _unauthorized(STRANGER);
        vm.prank(STRANGER);
        vm.expectRevert(unauthorized);
        verifier.removeKey(_addr[0]);
        assertEq(_fingerprint(), before, "state changed");
    }

    /*//////////////////////////////////////////////////////////////
                                 POLICY
    //////////////////////////////////////////////////////////////*/

    function test_setPolicy_emitsAndStores() public {
        vm.expectEmit(address(verifier));
        emit ITeeCommitteeVerifier.PolicyUpdated(5, 3);
        _setPolicy(5, 3);
        assertEq(verifier.threshold(), 5, "threshold");
        assertEq(verifier.minVendors(), 3, "minVendors");
        _assertModel();
    }

    function test_setPolicy_revertsForNonAdmin() public {
        bytes32 before = _fingerprint();
        bytes memory unauthorized = _unauthorized(STRANGER);
        vm.prank(STRANGER);
        vm.expectRevert(unauthorized);
        verifier.setPolicy(2, 2);
        assertEq(_fingerprint(), before, "state changed");
    }

    /*//////////////////////////////////////////////////////////////
                                 DIGEST
    //////////////////////////////////////////////////////////////*/

    function test_updateDigest_matchesEip712() public view {
        for (uint256 seed; seed < 4; ++seed) {
            UpdatePublicData memory d = _data(uint256(keccak256(abi.encode(seed))));
            assertEq(verifier.updateDigest(d), _digest(d), "digest");
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VERIFY
    //////////////////////////////////////////////////////////////*/

    function test_verify_acceptsThresholdFromTwoVendors() public view {
        UpdatePublicData memory d = _data(1);
        // Keys 0 (Intel), 3 (Intel), 1 (AMD).
        uint256[] memory idx = _sorted((1 << 0) | (1 << 3) | (1 << 1));
        (bool ok, ) = _check(d, _proof(idx, _digest(d)));
        assertTrue(ok, "accepted");
        assertTrue(verifier.verify(d, _proof(idx, _digest(d))), "verify");
    }

    function test_verify_returnsFalseForSameVendorPadding() public view {
        UpdatePublicData memory d = _data(2);
        // All three Intel keys: the threshold is met, the vendor count is not.
        bytes memory proof = _proof(_sorted((1 << 0) | (1 << 3) | (1 << 6)), _digest(d));
        assertFalse(verifier.verify(d, proof), "one vendor accepted");
        _check(d, proof);
    }

    function test_verify_returnsFalseBelowThreshold() public view {
        UpdatePublicData memory d = _data(3);
        assertFalse(verifier.verify(d, ""), "empty proof accepted");
        assertFalse(verifier.verify(d, _proof(_sorted((1 << 1) | (1 << 2)), _digest(d))), "two signers accepted");
    }

    function test_verify_revertsOnDuplicateSigner() public {
        UpdatePublicData memory d = _data(4);
        uint256[] memory idx = _sorted((1 << 1) | (1 << 2) | (1 << 3));
        uint256[] memory dup = new uint256[](4);
        (dup[0], dup[1], dup[2], dup[3]) = (idx[0], idx[1], idx[1], idx[2]);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITeeCommitteeVerifier.TeeCommitteeSignersNotSorted.selector,
                2,
                _addr[idx[1]],
                _addr[idx[1]]
            )
        );
        verifier.verify(d, _proof(dup, _digest(d)));
    }

    function test_verify_revertsOnUnsortedSigners() public {
        UpdatePublicData memory d = _data(5);
        uint256[] memory idx = _sorted((1 << 1) | (1 << 2) | (1 << 3));
        (idx[0], idx[2]) = (idx[2], idx[0]);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITeeCommitteeVerifier.TeeCommitteeSignersNotSorted.selector,
                1,
                _addr[idx[1]],
                _addr[idx[0]]
            )
        );
        verifier.verify(d, _proof(idx, _digest(d)));
    }

    function test_verify_revertsOnUnknownSigner() public {
        UpdatePublicData memory d = _data(6);
        uint256[] memory idx = new uint256[](1);
        idx[0] = 11;
        vm.expectRevert(abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeUnknownSigner.selector, 0, _addr[11]));
        verifier.verify(d, _proof(idx, _digest(d)));
    }

    function test_verify_revertsOnMalleableSignature() public {
        UpdatePublicData memory d = _data(7);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_pk(0), _digest(d));
        bytes32 highS = bytes32(N - uint256(s));
        uint8 flipped = v == 27 ? 28 : 27;
        assertEq(ecrecover(_digest(d), flipped, r, highS), _addr[0], "same signer through ecrecover");
        vm.expectRevert(abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeInvalidSignature.selector, 0));
        verifier.verify(d, abi.encodePacked(r, highS, flipped));
    }

    function test_verify_revertsOnWrongLength() public {
        UpdatePublicData memory d = _data(8);
        bytes memory proof = _proof(_sorted(7), _digest(d));
        vm.expectRevert(abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeMalformedProof.selector, 196));
        verifier.verify(d, bytes.concat(proof, hex"00"));
        vm.expectRevert(abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeMalformedProof.selector, 64));
        verifier.verify(d, new bytes(64));
        vm.expectRevert(abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeMalformedProof.selector, 65 * 65));
        verifier.verify(d, new bytes(65 * 65));
    }

    function test_verify_removedKeyNoLongerCounts() public {
        UpdatePublicData memory d = _data(9);
        bytes memory proof = _proof(_sorted((1 << 0) | (1 << 1) | (1 << 2)), _digest(d));
        assertTrue(verifier.verify(d, proof), "before");
        _remove(2);
        (bool ok, bytes memory err) = _check(d, proof);
        assertFalse(ok, "after");
        assertEq(bytes4(err), ITeeCommitteeVerifier.TeeCommitteeUnknownSigner.selector, "unknown signer");
    }

    /*//////////////////////////////////////////////////////////////
                               FUZZ: VERIFY
    //////////////////////////////////////////////////////////////*/

    /// @dev Random bytes are never accepted and revert only with the verifier's own errors, exactly as the
    ///      model says.
    function testFuzz_verify_randomBytesNeverAccepted(bytes calldata proof, uint256 seed) public view {
        (bool ok, bytes memory err) = _check(_data(seed), proof);
        assertFalse(ok, "random bytes accepted");
        if (proof.length != 0) assertGt(err.length, 0, "random bytes returned");
    }

    /// @dev 1 … 4 random signatures (sometimes with v ∈ {27, 28} and low s, so that ecrecover succeeds):
    ///      never accepted; InvalidSignature or UnknownSigner at the first one, as the model says.
    function testFuzz_verify_randomSignaturesNeverAccepted(
        bytes32[4] calldata rs,
        bytes32[4] calldata ss,
        uint8[4] calldata vs,
        uint8 count,
        bool wellFormed
    ) public view {
        bytes memory proof;
        for (uint256 k; k < 1 + (count % 4); ++k) {
            bytes32 s = wellFormed ? bytes32(uint256(ss[k]) % (HALF_N + 1)) : ss[k];
            uint8 v = wellFormed ? 27 + (vs[k] % 2) : vs[k];
            proof = bytes.concat(proof, abi.encodePacked(rs[k], s, v));
        }
        (bool ok, bytes memory err) = _check(_data(uint256(rs[0])), proof);
        assertFalse(ok, "random signatures accepted");
        bytes4 sel = bytes4(err);
        assertTrue(
            sel == ITeeCommitteeVerifier.TeeCommitteeInvalidSignature.selector ||
                sel == ITeeCommitteeVerifier.TeeCommitteeUnknownSigner.selector,
            "unexpected error"
        );
    }

    /// @dev A valid sorted subset followed by one hostile signature: random bytes, a random key's signature
    ///      of the right digest, a malleable copy of a member's signature, or a member's signature (a
    ///      duplicate, out of order, or a genuine extra signer). Outcome exactly as the model says; the
    ///      random and malleable cases are never accepted.
    function testFuzz_verify_validPrefixThenHostileSignature(
        uint256 mask,
        uint8 mode,
        bytes32 r,
        bytes32 s,
        uint8 v,
        uint256 pk
    ) public view {
        UpdatePublicData memory d = _data(mask);
        bytes32 digest = _digest(d);
        uint256[] memory idx = _sorted(mask & ((1 << COMMITTEE) - 1));
        bytes memory tail;
        mode %= 4;
        if (mode == 0) {
            tail = abi.encodePacked(r, s, v);
        } else if (mode == 1) {
            tail = _sign(bound(pk, 1, N - 1), digest);
        } else if (mode == 2) {
            (uint8 v0, bytes32 r0, bytes32 s0) = vm.sign(_pk(pk % COMMITTEE), digest);
            tail = abi.encodePacked(r0, bytes32(N - uint256(s0)), v0 == 27 ? uint8(28) : uint8(27));
        } else {
            tail = _sign(_pk(pk % COMMITTEE), digest);
        }
        (bool ok, bytes memory err) = _check(d, bytes.concat(_proof(idx, digest), tail));
        if (mode == 2) {
            assertEq(
                err,
                abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeInvalidSignature.selector, idx.length),
                "malleable"
            );
        }
        if (mode < 3 && !ok) return;
        if (mode < 3) {
            // Only a random key that happens to be a committee key could pass: never in practice.
            (bool known, ) = _lookup(vm.addr(bound(pk, 1, N - 1)));
            assertTrue(mode == 1 && known, "hostile signature accepted");
        }
    }

    /// @dev Any subset of the committee under any valid policy: accepted iff it has at least `threshold`
    ///      signers from at least `minVendors` vendors.
    function testFuzz_verify_randomSubsetMatchesPolicy(uint256 mask, uint16 t, uint16 mv, uint256 seed) public {
        t = uint16(bound(t, 2, COMMITTEE + 1));
        mv = uint16(bound(mv, 2, t));
        _setPolicy(t, mv);
        UpdatePublicData memory d = _data(seed);
        uint256[] memory idx = _sorted(mask & ((1 << COMMITTEE) - 1));
        (uint256 signers, uint256 vendorCount) = _counts(idx);
        (bool ok, bytes memory err) = _check(d, _proof(idx, _digest(d)));
        assertEq(err.length, 0, "reverted");
        assertEq(ok, signers >= t && vendorCount >= mv, "policy");
    }

    /// @dev A subset with two signatures swapped reverts with SignersNotSorted at the first position where
    ///      the order breaks.
    function testFuzz_verify_swappedSignersRevert(uint256 mask, uint256 i, uint256 j) public view {
        uint256[] memory idx = _sorted(mask & ((1 << COMMITTEE) - 1));
        vm.assume(idx.length >= 2);
        i = bound(i, 0, idx.length - 2);
        j = bound(j, i + 1, idx.length - 1);
        address high = _addr[idx[j]];
        address next = _addr[idx[i + 1]];
        if (j == i + 1) next = _addr[idx[i]];
        (idx[i], idx[j]) = (idx[j], idx[i]);
        UpdatePublicData memory d = _data(mask);
        (, bytes memory err) = _check(d, _proof(idx, _digest(d)));
        assertEq(
            err,
            abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeSignersNotSorted.selector, i + 1, next, high),
            "not sorted"
        );
    }

    /// @dev A signer repeated right after itself reverts with SignersNotSorted(itself, itself).
    function testFuzz_verify_duplicateSignerReverts(uint256 mask, uint256 which) public view {
        uint256[] memory idx = _sorted(mask & ((1 << COMMITTEE) - 1));
        vm.assume(idx.length >= 1);
        which = bound(which, 0, idx.length - 1);
        uint256[] memory dup = new uint256[](idx.length + 1);
        for (uint256 k; k <= idx.length; ++k) dup[k] = idx[k <= which ? k : k - 1];
        UpdatePublicData memory d = _data(which);
        (, bytes memory err) = _check(d, _proof(dup, _digest(d)));
        address a = _addr[idx[which]];
        assertEq(
            err,
            abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeSignersNotSorted.selector, which + 1, a, a),
            "duplicate"
        );
    }

    /// @dev Committee signatures made under another chain id never verify here.
    function testFuzz_verify_otherChainIdRejected(uint64 otherChain, uint256 mask) public {
        uint256 here = block.chainid;
        vm.assume(otherChain != here);
        uint256[] memory idx = _sorted(mask & ((1 << COMMITTEE) - 1));
        vm.assume(idx.length >= 1);
        UpdatePublicData memory d = _data(mask);
        vm.chainId(otherChain);
        bytes32 foreign = verifier.updateDigest(d);
        assertEq(foreign, _digest(d), "digest follows the chain id");
        vm.chainId(here);
        assertTrue(foreign != verifier.updateDigest(d), "same digest on another chain");
        (bool ok, bytes memory err) = _check(d, _proof(idx, foreign));
        assertFalse(ok, "foreign signatures accepted");
        assertEq(bytes4(err), ITeeCommitteeVerifier.TeeCommitteeUnknownSigner.selector, "unknown signer");
    }

    /*//////////////////////////////////////////////////////////////
                           FUZZ: ADMINISTRATION
    //////////////////////////////////////////////////////////////*/

    /// @dev Any policy: stored iff 2 ≤ minVendors ≤ threshold ≤ MAX_KEYS, else InvalidPolicy and no change.
    ///      Half the runs draw from [0, 70] so that both sides of every bound are hit.
    function testFuzz_setPolicy_boundsAndNoChangeOnRejection(uint16 t, uint16 mv, bool small) public {
        if (small) (t, mv) = (uint16(bound(t, 0, 70)), uint16(bound(mv, 0, 70)));
        bool valid = mv >= 2 && mv <= t && t <= MAX_KEYS;
        bytes32 before = _fingerprint();
        if (!valid) {
            vm.expectRevert(abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeInvalidPolicy.selector, t, mv));
            verifier.setPolicy(t, mv);
            assertEq(_fingerprint(), before, "state changed");
            return;
        }
        vm.expectEmit(address(verifier));
        emit ITeeCommitteeVerifier.PolicyUpdated(t, mv);
        _setPolicy(t, mv);
        assertEq(verifier.threshold(), t, "threshold");
        assertEq(verifier.minVendors(), mv, "minVendors");
        _assertModel();
    }

    /// @dev Anyone but the key admin is refused by every administrative function, with no change.
    function testFuzz_adminFunctions_rejectOthers(address caller, address key, bytes32 vendor, uint16 t) public {
        vm.assume(caller != address(this));
        bytes32 before = _fingerprint();
        bytes memory unauthorized = _unauthorized(caller);
        address member = _addr[t % COMMITTEE];
        vm.prank(caller);
        vm.expectRevert(unauthorized);
        verifier.addKey(key, vendor);
        vm.prank(caller);
        vm.expectRevert(unauthorized);
        verifier.removeKey(member);
        vm.prank(caller);
        vm.expectRevert(unauthorized);
        verifier.setPolicy(t, 2);
        assertEq(_fingerprint(), before, "state changed");
    }

    /// @dev addKey with a random, zero, registered or fresh key and a random or zero vendor: the first
    ///      failing check's error and no change, or registration.
    function testFuzz_addKey_hostileInputs(address key, bytes32 vendor, uint8 pick) public {
        if (pick % 4 == 0) key = _addr[pick % POOL];
        if (pick % 5 == 0) key = address(0);
        if (pick % 7 == 0) vendor = bytes32(0);
        bytes memory expected;
        (bool known, bytes32 current) = (verifier.isKey(key), verifier.keyVendor(key));
        if (key == address(0)) {
            expected = abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeZeroAddress.selector);
        } else if (vendor == bytes32(0)) {
            expected = abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeZeroVendor.selector);
        } else if (known) {
            expected = abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeKeyExists.selector, key, current);
        }
        bytes32 before = _fingerprint();
        if (expected.length != 0) {
            vm.expectRevert(expected);
            verifier.addKey(key, vendor);
            assertEq(_fingerprint(), before, "state changed");
            return;
        }
        vm.expectEmit(address(verifier));
        emit ITeeCommitteeVerifier.KeyAdded(key, vendor);
        verifier.addKey(key, vendor);
        assertTrue(verifier.isKey(key), "isKey");
        assertEq(verifier.keyVendor(key), vendor, "vendor");
        assertEq(verifier.keyCount(), COMMITTEE + 1, "keyCount");
        assertEq(verifier.keys()[COMMITTEE], key, "listed last");
    }

    /// @dev removeKey of anything but a registered key reverts with KeyNotRegistered and changes nothing.
    function testFuzz_removeKey_unknownKeyReverts(address key) public {
        vm.assume(!verifier.isKey(key));
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(ITeeCommitteeVerifier.TeeCommitteeKeyNotRegistered.selector, key));
        verifier.removeKey(key);
        assertEq(_fingerprint(), before, "state changed");
    }

    /// @dev 24 random adds and removes over the pool and four vendors: after each one every view matches the
    ///      model, and every fourth one a proof by all registered keys verifies exactly as the model says.
    function testFuzz_keys_addRemoveSequenceMatchesModel(uint256 seed) public {
        UpdatePublicData memory d = _data(seed);
        bytes32 digest = _digest(d);
        for (uint256 step; step < 24; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 i = r % POOL;
            if (_registered[i]) {
                vm.expectEmit(address(verifier));
                emit ITeeCommitteeVerifier.KeyRemoved(_addr[i], _vendorOf[i]);
                _remove(i);
            } else {
                bytes32 vendor = _VENDORS[(r >> 8) % 4];
                vm.expectEmit(address(verifier));
                emit ITeeCommitteeVerifier.KeyAdded(_addr[i], vendor);
                _add(i, vendor);
            }
            _assertModel();
            if (step % 4 == 3) {
                uint256[] memory idx = _sorted(_registeredMask(type(uint256).max));
                (uint256 signers, uint256 vendorCount) = _counts(idx);
                (bool ok, ) = _check(d, _proof(idx, digest));
                assertEq(ok, signers >= _threshold && vendorCount >= _minVendors, "all registered keys");
                // A proof by every pool key fails at the first unregistered one, if any.
                _check(d, _proof(_sorted((1 << POOL) - 1), digest));
            }
        }
    }
}
