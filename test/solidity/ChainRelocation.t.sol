// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ClusterConfig} from "../../contracts/governance/ClusterConfig.sol";
import {IChainRelocation} from "../../contracts/interfaces/IChainRelocation.sol";
import {IValidiumRegistry} from "../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../contracts/registry/ValidiumRegistry.sol";
import {ChainRelocation} from "../../contracts/security/ChainRelocation.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";

import {ConfigDefaults} from "./utils/ConfigDefaults.sol";
import {Test} from "./utils/Test.sol";
import {AcceptingVerifier} from "./utils/Verifiers.sol";

/// @title ChainRelocationTest
/// @notice Tests the consent rules of ChainRelocation against a real ValidiumRegistry (fan-out 3, depth 5), whose
///         RELOCATOR_ROLE it holds: request by the chain's governance, acceptance by the new parent's governance
///         (the root acceptor for the top level), cancellation, expiry, replacement, and every rejection with its
///         exact error and no state change (requests and the registry's tree, both fingerprinted). Hostile-input
///         fuzz tests cover each external function.
/// @dev Tree: top level 1 and 10; 1 → 2, 3; 2 → 4; 10 → 11. Chain `id`'s governance is `_gov(id)`.
contract ChainRelocationTest is Test {
    ClusterConfig internal config;
    ValidiumRegistry internal registry;
    ChainRelocation internal relocation;
    AcceptingVerifier internal verifier;

    address internal constant ROOT = address(0x7007);
    address internal constant STRANGER = address(0xBAD);
    uint64 internal constant TTL = 30 days;
    uint256 internal constant START = 1_700_000_000;
    /// @dev Requests of chain ids 0 .. MAX_ID are part of the fingerprint.
    uint64 internal constant MAX_ID = 12;

    function setUp() public {
        vm.warp(START);
        vm.roll(1000);
        config = ConfigDefaults.deploy(address(this), 3, 5, 0);
        registry = new ValidiumRegistry(address(this), config);
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.grantRole(registry.STATUS_ROLE(), address(this));
        registry.grantRole(registry.APPROVER_ROLE(), address(this));
        relocation = new ChainRelocation(registry, ROOT);
        registry.grantRole(registry.RELOCATOR_ROLE(), address(relocation));
        verifier = new AcceptingVerifier();
        _admit(1, 0);
        _admit(10, 0);
        _admit(2, 1);
        _admit(3, 1);
        _admit(4, 2);
        _admit(11, 10);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _id(uint64 raw) internal pure returns (ChainId) {
        return ChainId.wrap(raw);
    }

    function _gov(uint64 id) internal pure returns (address) {
        return address(uint160(0x6000 + id));
    }

    function _admit(uint64 id, uint64 parent) internal {
        registry.admitChain(
            IValidiumRegistry.Admission({
                chainId: _id(id),
                parent: _id(parent),
                governance: _gov(id),
                security: IValidiumRegistry.SecurityConfig({
                    operator: address(uint160(0x0900 + id)),
                    verifier: address(verifier),
                    escapeVerifier: address(0),
                    codeHash: bytes32(0),
                    configHash: bytes32(0)
                }),
                genesisRoot: keccak256(abi.encode(id))
            })
        );
    }

    function _request(uint64 id, uint64 newParent) internal {
        vm.prank(_gov(id));
        relocation.requestRelocation(_id(id), _id(newParent));
    }

    /// @dev The subtree of `id` in this file's fixed tree (BFS, siblings by id).
    function _subtree(uint64 id) internal pure returns (ChainId[] memory list, uint256[] memory pidx) {
        if (id == 1) {
            list = new ChainId[](4);
            (list[0], list[1], list[2], list[3]) = (_id(1), _id(2), _id(3), _id(4));
            pidx = new uint256[](4);
            (pidx[1], pidx[2], pidx[3]) = (0, 0, 1);
        } else if (id == 2) {
            list = new ChainId[](2);
            (list[0], list[1]) = (_id(2), _id(4));
            pidx = new uint256[](2);
        } else if (id == 10) {
            list = new ChainId[](2);
            (list[0], list[1]) = (_id(10), _id(11));
            pidx = new uint256[](2);
        } else {
            list = new ChainId[](1);
            list[0] = _id(id);
            pidx = new uint256[](1);
        }
    }

    function _accept(uint64 id, uint64 newParent, address acceptor) internal {
        (ChainId[] memory list, uint256[] memory pidx) = _subtree(id);
        vm.prank(acceptor);
        relocation.acceptRelocation(_id(id), _id(newParent), list, pidx);
    }

    function _req(uint64 id) internal view returns (IChainRelocation.Request memory) {
        return relocation.request(_id(id));
    }

    /// @dev Every request, and every chain's place in the registry's tree, hashed.
    function _fingerprint() internal view returns (bytes32 h) {
        for (uint64 id; id <= MAX_ID; ++id) {
            h = keccak256(abi.encode(h, relocation.request(_id(id))));
            if (registry.chainStatus(_id(id)) != IValidiumRegistry.ChainStatus.None) {
                h = keccak256(abi.encode(h, registry.chain(_id(id)), registry.chainGovernance(_id(id))));
            }
        }
    }

    /// @dev Expects an acceptance by `acceptor` to revert with `err` and change nothing.
    function _expectAcceptReject(uint64 id, uint64 newParent, address acceptor, bytes memory err) internal {
        (ChainId[] memory list, uint256[] memory pidx) = _subtree(id);
        bytes32 before = _fingerprint();
        vm.expectRevert(err);
        vm.prank(acceptor);
        relocation.acceptRelocation(_id(id), _id(newParent), list, pidx);
        assertEq(_fingerprint(), before, "a rejected acceptance changes nothing");
    }

    function _noRequest(uint64 id) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IChainRelocation.RelocationNoRequest.selector, _id(id));
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    function test_constructor_setsFields() public view {
        assertEq(address(relocation.registry()), address(registry), "registry");
        assertEq(relocation.rootAcceptor(), ROOT, "root acceptor");
        assertEq(relocation.REQUEST_TTL(), TTL, "30 days");
    }

    function test_constructor_revertsZeroAddress() public {
        vm.expectRevert(IChainRelocation.RelocationZeroAddress.selector);
        new ChainRelocation(IValidiumRegistry(address(0)), ROOT);
        vm.expectRevert(IChainRelocation.RelocationZeroAddress.selector);
        new ChainRelocation(registry, address(0));
    }

    /*//////////////////////////////////////////////////////////////
                                REQUEST
    //////////////////////////////////////////////////////////////*/

    function test_requestRelocation_storesAndEmits() public {
        vm.expectEmit(address(relocation));
        emit IChainRelocation.RelocationRequested(_id(2), _id(11), _gov(2), uint64(START) + TTL);
        _request(2, 11);
        IChainRelocation.Request memory r = _req(2);
        assertEq(ChainId.unwrap(r.newParent), 11, "new parent");
        assertEq(r.expiresAt, uint64(START) + TTL, "expires after the TTL");
        assertEq(r.requester, _gov(2), "requester");
        assertEq(registry.chain(_id(2)).parent == _id(1), true, "nothing moves before acceptance");
    }

    function test_requestRelocation_replacesPrevious() public {
        _request(2, 11);
        vm.warp(START + 100);
        vm.expectEmit(address(relocation));
        emit IChainRelocation.RelocationRequested(_id(2), _id(0), _gov(2), uint64(START) + 100 + TTL);
        _request(2, 0);
        assertEq(ChainId.unwrap(_req(2).newParent), 0, "replaced");
        assertEq(_req(2).expiresAt, uint64(START) + 100 + TTL, "new expiry");
    }

    function test_requestRelocation_revertsNotGovernance() public {
        bytes32 before = _fingerprint();
        address[3] memory callers = [STRANGER, _gov(1), ROOT];
        for (uint256 k; k < callers.length; ++k) {
            vm.expectRevert(
                abi.encodeWithSelector(IChainRelocation.RelocationNotChainGovernance.selector, _id(2), callers[k])
            );
            vm.prank(callers[k]);
            relocation.requestRelocation(_id(2), _id(11));
        }
        assertEq(_fingerprint(), before, "nothing changed");
    }

    function test_requestRelocation_revertsUnknownChain() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, _id(9)));
        vm.prank(_gov(9));
        relocation.requestRelocation(_id(9), _id(11));
        assertEq(_fingerprint(), before, "nothing changed");
    }

    /*//////////////////////////////////////////////////////////////
                                 CANCEL
    //////////////////////////////////////////////////////////////*/

    function test_cancelRelocation_deletesAndEmits() public {
        _request(2, 11);
        vm.expectEmit(address(relocation));
        emit IChainRelocation.RelocationCancelled(_id(2));
        vm.prank(_gov(2));
        relocation.cancelRelocation(_id(2));
        assertEq(_req(2).expiresAt, 0, "deleted");
        assertEq(_req(2).requester, address(0), "deleted");
    }

    function test_cancelRelocation_expiredRequest() public {
        _request(2, 11);
        vm.warp(START + TTL + 1);
        vm.expectEmit(address(relocation));
        emit IChainRelocation.RelocationCancelled(_id(2));
        vm.prank(_gov(2));
        relocation.cancelRelocation(_id(2));
        assertEq(_req(2).expiresAt, 0, "an expired request can be cleared");
    }

    function test_cancelRelocation_revertsNotGovernance() public {
        _request(2, 11);
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(IChainRelocation.RelocationNotChainGovernance.selector, _id(2), _gov(11))
        );
        vm.prank(_gov(11));
        relocation.cancelRelocation(_id(2));
        assertEq(_fingerprint(), before, "nothing changed");
    }

    function test_cancelRelocation_revertsNoRequest() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(_noRequest(2));
        vm.prank(_gov(2));
        relocation.cancelRelocation(_id(2));
        assertEq(_fingerprint(), before, "nothing changed");
    }

    /*//////////////////////////////////////////////////////////////
                                 ACCEPT
    //////////////////////////////////////////////////////////////*/

    function test_acceptRelocation_movesUnderNewParent() public {
        _request(2, 11);
        (ChainId[] memory list, uint256[] memory pidx) = _subtree(2);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.ChainRelocated(_id(2), _id(1), _id(11), 2, 2);
        vm.expectEmit(address(relocation));
        emit IChainRelocation.RelocationAccepted(_id(2), _id(11), _gov(11));
        vm.prank(_gov(11));
        relocation.acceptRelocation(_id(2), _id(11), list, pidx);
        assertEq(ChainId.unwrap(registry.chain(_id(2)).parent), 11, "moved");
        assertEq(registry.chain(_id(4)).depth, 4, "subtree moved along");
        assertEq(registry.chain(_id(10)).subtreeSize, 4, "b(10) = 10, 11, 2, 4");
        assertEq(registry.chain(_id(1)).subtreeSize, 2, "b(1) = 1, 3");
        assertEq(_req(2).expiresAt, 0, "request consumed");
    }

    function test_acceptRelocation_toTopLevelByRootAcceptor() public {
        _request(2, 0);
        _expectAcceptReject(
            2,
            0,
            _gov(1),
            abi.encodeWithSelector(IChainRelocation.RelocationNotAcceptor.selector, _id(0), _gov(1))
        );
        vm.expectEmit(address(relocation));
        emit IChainRelocation.RelocationAccepted(_id(2), _id(0), ROOT);
        _accept(2, 0, ROOT);
        assertEq(ChainId.unwrap(registry.chain(_id(2)).parent), 0, "top level");
        assertEq(registry.chain(_id(2)).depth, 1, "depth 1");
    }

    function test_acceptRelocation_fromTopLevelUnderChain() public {
        _request(10, 3);
        _accept(10, 3, _gov(3));
        assertEq(ChainId.unwrap(registry.chain(_id(10)).parent), 3, "under 3");
        assertEq(registry.chain(_id(11)).depth, 4, "11 at depth 4");
    }

    function test_acceptRelocation_revertsNotAcceptor() public {
        _request(2, 11);
        address[5] memory callers = [STRANGER, _gov(2), _gov(1), _gov(10), ROOT];
        for (uint256 k; k < callers.length; ++k) {
            _expectAcceptReject(
                2,
                11,
                callers[k],
                abi.encodeWithSelector(IChainRelocation.RelocationNotAcceptor.selector, _id(11), callers[k])
            );
        }
    }

    function test_acceptRelocation_revertsNoRequest() public {
        _expectAcceptReject(2, 11, _gov(11), _noRequest(2));
        _expectAcceptReject(9, 11, _gov(11), _noRequest(9));
    }

    function test_acceptRelocation_revertsExpired() public {
        _request(2, 11);
        uint64 expiresAt = _req(2).expiresAt;
        vm.warp(expiresAt + 1);
        _expectAcceptReject(2, 11, _gov(11), _noRequest(2));
        // Still live at the expiry second itself.
        vm.warp(expiresAt);
        _accept(2, 11, _gov(11));
        assertEq(ChainId.unwrap(registry.chain(_id(2)).parent), 11, "accepted at expiresAt");
    }

    function test_acceptRelocation_revertsParentMismatch() public {
        _request(2, 11);
        _expectAcceptReject(
            2,
            3,
            _gov(3),
            abi.encodeWithSelector(IChainRelocation.RelocationParentMismatch.selector, _id(2), _id(11), _id(3))
        );
    }

    function test_acceptRelocation_revertsReplacedRequest() public {
        _request(2, 11);
        _request(2, 3);
        _expectAcceptReject(
            2,
            11,
            _gov(11),
            abi.encodeWithSelector(IChainRelocation.RelocationParentMismatch.selector, _id(2), _id(3), _id(11))
        );
        _accept(2, 3, _gov(3));
        assertEq(ChainId.unwrap(registry.chain(_id(2)).parent), 3, "the replacing request executes");
    }

    function test_acceptRelocation_revertsCancelledRequest() public {
        _request(2, 11);
        vm.prank(_gov(2));
        relocation.cancelRelocation(_id(2));
        _expectAcceptReject(2, 11, _gov(11), _noRequest(2));
    }

    function test_acceptRelocation_revertsAfterGovernanceChange() public {
        _request(2, 11);
        registry.setChainGovernance(_id(2), STRANGER);
        _expectAcceptReject(2, 11, _gov(11), _noRequest(2));
        // The new governance may request again.
        vm.prank(STRANGER);
        relocation.requestRelocation(_id(2), _id(11));
        _accept(2, 11, _gov(11));
        assertEq(ChainId.unwrap(registry.chain(_id(2)).parent), 11, "moved on the new governance's request");
    }

    function test_acceptRelocation_consumesRequest() public {
        _request(3, 11);
        _accept(3, 11, _gov(11));
        _expectAcceptReject(3, 11, _gov(11), _noRequest(3));
    }

    function test_acceptRelocation_registryRejectionKeepsRequest() public {
        _request(2, 4);
        _expectAcceptReject(
            2,
            4,
            _gov(4),
            abi.encodeWithSelector(IValidiumRegistry.RegistryBadNewParent.selector, _id(2), _id(4))
        );
        _request(2, 11);
        ChainId[] memory list = new ChainId[](1);
        list[0] = _id(2);
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryBadSubtree.selector, _id(2)));
        vm.prank(_gov(11));
        relocation.acceptRelocation(_id(2), _id(11), list, new uint256[](1));
        assertEq(_fingerprint(), before, "request kept, tree unchanged");
        registry.setChainStatus(_id(2), IValidiumRegistry.ChainStatus.Frozen);
        _expectAcceptReject(
            2,
            11,
            _gov(11),
            abi.encodeWithSelector(
                IValidiumRegistry.RegistryChainNotActive.selector,
                _id(2),
                IValidiumRegistry.ChainStatus.Frozen
            )
        );
    }

    function test_acceptRelocation_revertsUnknownNewParent() public {
        _request(2, 9);
        _expectAcceptReject(
            2,
            9,
            _gov(9),
            abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, _id(9))
        );
    }

    /*//////////////////////////////////////////////////////////////
                                  FUZZ
    //////////////////////////////////////////////////////////////*/

    function testFuzz_request_anyChainId(uint64 chainId, uint64 newParent, uint256 delay) public {
        IChainRelocation.Request memory r = relocation.request(_id(chainId));
        assertEq(r.expiresAt, 0, "no request before any");
        assertEq(r.requester, address(0), "no requester");
        if (registry.chainStatus(_id(chainId)) == IValidiumRegistry.ChainStatus.None) return;
        _request(chainId, newParent);
        vm.warp(block.timestamp + bound(delay, 0, 10 * TTL));
        r = relocation.request(_id(chainId));
        assertEq(ChainId.unwrap(r.newParent), newParent, "the view returns the stored request, live or not");
        assertEq(r.expiresAt, uint64(START) + TTL, "expiry fixed at request time");
    }

    function testFuzz_requestRelocation_hostileInputs(address caller, uint64 chainId, uint64 newParent) public {
        chainId = uint64(bound(chainId, 0, MAX_ID));
        if (uint160(caller) % 2 == 0) caller = _gov(chainId);
        bool known = registry.chainStatus(_id(chainId)) != IValidiumRegistry.ChainStatus.None;
        bytes32 before = _fingerprint();
        if (!known) {
            vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, _id(chainId)));
        } else if (caller != _gov(chainId)) {
            vm.expectRevert(
                abi.encodeWithSelector(IChainRelocation.RelocationNotChainGovernance.selector, _id(chainId), caller)
            );
        }
        vm.prank(caller);
        relocation.requestRelocation(_id(chainId), _id(newParent));
        if (known && caller == _gov(chainId)) {
            assertEq(ChainId.unwrap(_req(chainId).newParent), newParent, "stored");
            assertEq(_req(chainId).requester, caller, "requester");
        } else {
            assertEq(_fingerprint(), before, "a rejected request changes nothing");
        }
    }

    function testFuzz_cancelRelocation_hostileInputs(address caller, uint64 chainId, bool pending) public {
        chainId = uint64(bound(chainId, 0, MAX_ID));
        bool known = registry.chainStatus(_id(chainId)) != IValidiumRegistry.ChainStatus.None;
        if (known && pending) _request(chainId, 0);
        if (uint160(caller) % 2 == 0) caller = _gov(chainId);
        bytes32 before = _fingerprint();
        bool ok = known && caller == _gov(chainId) && pending;
        if (!known) {
            vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, _id(chainId)));
        } else if (caller != _gov(chainId)) {
            vm.expectRevert(
                abi.encodeWithSelector(IChainRelocation.RelocationNotChainGovernance.selector, _id(chainId), caller)
            );
        } else if (!pending) {
            vm.expectRevert(_noRequest(chainId));
        }
        vm.prank(caller);
        relocation.cancelRelocation(_id(chainId));
        if (ok) assertEq(_req(chainId).expiresAt, 0, "cancelled");
        else assertEq(_fingerprint(), before, "a rejected cancellation changes nothing");
    }

    /// @dev Any caller, chain, parent, lists and delay: an acceptance succeeds only for a live request with the
    ///      same parent, by that parent's acceptor, with the registry agreeing; otherwise nothing changes.
    function testFuzz_acceptRelocation_hostileInputs(
        address caller,
        uint64 chainId,
        uint64 requested,
        uint64 given,
        uint64[] memory raw,
        uint256[] memory pidx,
        uint256 delay,
        bool exact
    ) public {
        chainId = uint64(bound(chainId, 0, MAX_ID));
        requested = uint64(bound(requested, 0, MAX_ID));
        given = uint64(given % 3 == 0 ? requested : bound(given, 0, MAX_ID));
        bool known = registry.chainStatus(_id(chainId)) != IValidiumRegistry.ChainStatus.None;
        if (known) _request(chainId, requested);
        vm.warp(block.timestamp + bound(delay, 0, 2 * TTL));
        if (uint160(caller) % 2 == 0) caller = given == 0 ? ROOT : _gov(given);
        ChainId[] memory list = new ChainId[](raw.length > 6 ? 6 : raw.length);
        for (uint256 i; i < list.length; ++i) list[i] = _id(uint64(bound(raw[i], 0, MAX_ID)));
        if (exact) (list, pidx) = _subtree(chainId);
        bytes32 before = _fingerprint();
        vm.prank(caller);
        try relocation.acceptRelocation(_id(chainId), _id(given), list, pidx) {
            assertTrue(known, "a request existed");
            assertLe(block.timestamp, START + TTL, "it was live");
            assertEq(given, requested, "for the requested parent");
            assertEq(caller, given == 0 ? ROOT : _gov(given), "by its acceptor");
            assertEq(ChainId.unwrap(registry.chain(_id(chainId)).parent), given, "moved");
            assertEq(_req(chainId).expiresAt, 0, "consumed");
        } catch {
            assertEq(_fingerprint(), before, "a rejected acceptance changes nothing");
        }
    }
}
