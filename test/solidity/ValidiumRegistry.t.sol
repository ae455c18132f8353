// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {ClusterConfig} from "../../contracts/governance/ClusterConfig.sol";
import {IClusterConfig} from "../../contracts/interfaces/IClusterConfig.sol";
import {IDevelopmentVerifier} from "../../contracts/interfaces/IDevelopmentVerifier.sol";
import {IValidiumRegistry} from "../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../contracts/registry/ValidiumRegistry.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";
import {UpdatePublicData} from "../../contracts/types/UpdatePublicData.sol";
import {DevelopmentVerifier} from "../../contracts/verifiers/DevelopmentVerifier.sol";

import {ConfigDefaults} from "./utils/ConfigDefaults.sol";
import {Test} from "./utils/Test.sol";
import {AcceptingVerifier, RejectingVerifier, RevertingVerifier} from "./utils/Verifiers.sol";

/// @notice Shared deployment and helpers for the registry's unit, fuzz and gas tests.
abstract contract RegistryTestBase is Test {
    ValidiumRegistry internal registry;
    /// @dev The registry's limits live here; this test contract is its governance and guardian.
    ClusterConfig internal config;
    AcceptingVerifier internal verifier;

    address internal constant STRANGER = address(0xBAD);

    /// @dev The operator of chain `id`: a fixed address derived from the id.
    function _op(ChainId id) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("operator", ChainId.unwrap(id))))));
    }

    function _genesis(ChainId id) internal pure returns (bytes32) {
        return keccak256(abi.encode("genesis", ChainId.unwrap(id)));
    }

    function _id(uint64 raw) internal pure returns (ChainId) {
        return ChainId.wrap(raw);
    }

    function _deploy(uint16 maxFanOut, uint8 maxDepth, uint96 minStake) internal {
        config = ConfigDefaults.deploy(address(this), maxFanOut, maxDepth, minStake);
        registry = new ValidiumRegistry(address(this), config);
        verifier = new AcceptingVerifier();
        registry.grantRole(registry.REGISTRAR_ROLE(), address(this));
        registry.grantRole(registry.STATUS_ROLE(), address(this));
        vm.deal(address(this), 1 << 100);
    }

    function _register(ChainId id, ChainId parent) internal {
        registry.registerChain{value: registry.limits().minStake}(id, parent, _op(id), address(verifier), _genesis(id));
    }

    function _latestRoot(ChainId id) internal view returns (bytes32) {
        (, IValidiumRegistry.CommitmentInfo memory info) = registry.latestCommitment(id);
        return info.root;
    }

    function _data(
        ChainId id,
        uint64 ack,
        bytes32 prevRoot,
        bytes32 newRoot
    ) internal view returns (UpdatePublicData memory d) {
        d.chainId = id;
        d.ackBlock = ack;
        d.l2Block = uint64(block.number);
        d.prevRoot = prevRoot;
        d.newRoot = newRoot;
    }

    /// @dev The new root `_submit` uses for an update of `id` with `ack` in block `blockNumber`.
    function _rootOf(ChainId id, uint64 ack, uint256 blockNumber) internal pure returns (bytes32) {
        return keccak256(abi.encode(ChainId.unwrap(id), ack, blockNumber));
    }

    /// @dev The data `_submit` sends (read before any prank or expectation: it calls the registry).
    function _prepare(ChainId id, uint64 ack) internal view returns (UpdatePublicData memory) {
        return _data(id, ack, _latestRoot(id), _rootOf(id, ack, block.number));
    }

    /// @dev Submits an update of `id` on its latest commitment, as its operator.
    function _submit(ChainId id, uint64 ack) internal returns (uint32) {
        UpdatePublicData memory d = _prepare(id, ack);
        vm.prank(_op(id));
        return registry.submitUpdate(d, "");
    }

    function _status(ChainId id) internal view returns (IValidiumRegistry.ChainStatus) {
        return registry.chain(id).status;
    }

    /// @dev A hash of everything the registry exposes: limits (read from the config), balance, seat count,
    ///      every chain (with its governance, security configuration and seat) and every commitment (pruned
    ///      ones included). Equal fingerprints mean a call changed nothing visible.
    function _fingerprint() internal view returns (bytes32 h) {
        uint256 n = registry.chainCount();
        h = keccak256(abi.encode(registry.limits(), n, address(registry).balance, registry.seats().seatCount()));
        for (uint256 i; i < n; ++i) {
            ChainId id = registry.chainIdAt(i);
            IValidiumRegistry.ChainInfo memory info = registry.chain(id);
            h = keccak256(abi.encode(h, id, info, registry.ancestors(id)));
            h = keccak256(
                abi.encode(h, registry.chainGovernance(id), registry.securityConfig(id), registry.seats().hasSeat(id))
            );
            for (uint32 j; j <= info.latestIndex; ++j) {
                h = keccak256(abi.encode(h, registry.commitment(id, j)));
            }
        }
    }

    function _assertUnknown(ChainId id) internal view {
        try registry.chain(id) returns (IValidiumRegistry.ChainInfo memory) {
            assertTrue(false, "chain should be unknown");
        } catch (bytes memory err) {
            assertEq(
                err,
                abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, id),
                "unknown-chain error"
            );
        }
    }

    function _assertAcceptance(ChainId id, uint32 index, uint256 a, uint256 b) internal view {
        IValidiumRegistry.CommitmentInfo memory info = registry.commitment(id, index);
        assertEq(info.a, a, "a");
        assertEq(info.b, b, "b");
    }
}

/// @notice Unit and fuzz tests of ValidiumRegistry: every action's happy path, every rejection with its
///         exact error (and no state change), and the (a, b) finality rule on a small tree.
/// @dev Tree built in setUp (limits: fan-out 3, depth 8, min stake 1 ether):
///        A(1) ── B(2) ── D(4)
///           └─── C(3)
///      so b(A) = 4, b(B) = 2, b(C) = b(D) = 1. The current block is 10 after setUp.
contract ValidiumRegistryTest is RegistryTestBase {
    uint16 internal constant FAN_OUT = 3;
    uint8 internal constant DEPTH = 8;
    uint96 internal constant MIN_STAKE = 1 ether;

    ChainId internal constant A = ChainId.wrap(1);
    ChainId internal constant B = ChainId.wrap(2);
    ChainId internal constant C = ChainId.wrap(3);
    ChainId internal constant D = ChainId.wrap(4);
    ChainId internal constant ROOT = ChainId.wrap(0);

    RejectingVerifier internal rejecting;

    function setUp() public {
        _deploy(FAN_OUT, DEPTH, MIN_STAKE);
        rejecting = new RejectingVerifier();
        _register(A, ROOT);
        _register(B, A);
        _register(C, A);
        _register(D, B);
        vm.roll(10);
    }

    function _knownOrRandom(uint256 seed, uint64 raw) internal pure returns (ChainId) {
        uint256 k = seed % 6;
        if (k < 5) return ChainId.wrap(uint64(k)); // 0 (settlement chain), A, B, C, D
        return ChainId.wrap(raw);
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    function test_constructor_setsAdminAndLimits() public view {
        assertTrue(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), address(this)), "admin");
        assertEq(address(registry.clusterConfig()), address(config), "config");
        IValidiumRegistry.Limits memory lim = registry.limits();
        assertEq(lim.maxFanOut, FAN_OUT, "fan-out");
        assertEq(lim.maxDepth, DEPTH, "depth");
        assertEq(lim.minStake, MIN_STAKE, "min stake");
        assertEq(registry.MAX_PENDING(), 63, "MAX_PENDING");
    }

    function test_constructor_revertsOnZeroAdmin() public {
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        new ValidiumRegistry(address(0), config);
    }

    function test_constructor_revertsOnZeroConfig() public {
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        new ValidiumRegistry(address(this), IClusterConfig(address(0)));
    }

    /*//////////////////////////////////////////////////////////////
                             REGISTER CHAIN
    //////////////////////////////////////////////////////////////*/

    function test_registerChain_topLevel() public {
        ChainId e = _id(5);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.ChainRegistered(e, ROOT, _op(e), address(verifier), 1, MIN_STAKE, _genesis(e));
        registry.registerChain{value: MIN_STAKE}(e, ROOT, _op(e), address(verifier), _genesis(e));

        IValidiumRegistry.ChainInfo memory info = registry.chain(e);
        assertEq(ChainId.unwrap(info.parent), 0, "parent");
        assertEq(info.operator, _op(e), "operator");
        assertEq(info.verifier, address(verifier), "verifier");
        assertTrue(info.status == IValidiumRegistry.ChainStatus.Active, "status");
        assertEq(info.depth, 1, "depth");
        assertEq(info.childCount, 0, "children");
        assertEq(info.subtreeSize, 1, "b");
        assertEq(info.stake, MIN_STAKE, "stake");
        assertEq(info.latestAck, 0, "ack");
        assertEq(info.latestIndex, 0, "latest");
        assertEq(info.finalizedIndex, 0, "finalized");
        assertEq(registry.chainCount(), 5, "count");
        assertEq(ChainId.unwrap(registry.chainIdAt(4)), 5, "chainIdAt");
        assertEq(registry.ancestors(e).length, 0, "ancestors");
        assertEq(address(registry).balance, 5 * uint256(MIN_STAKE), "balance");

        IValidiumRegistry.CommitmentInfo memory g = registry.commitment(e, 0);
        assertEq(g.root, _genesis(e), "genesis root");
        assertEq(g.blockNumber, 10, "genesis block");
        assertTrue(g.status == IValidiumRegistry.CommitmentStatus.Finalized, "genesis final");
    }

    function test_registerChain_childJoinsEveryAncestorsB() public {
        ChainId e = _id(5);
        _register(e, D);
        assertEq(registry.subtreeSize(A), 5, "b(A)");
        assertEq(registry.subtreeSize(B), 3, "b(B)");
        assertEq(registry.subtreeSize(C), 1, "b(C)");
        assertEq(registry.subtreeSize(D), 2, "b(D)");
        assertEq(registry.subtreeSize(e), 1, "b(E)");
        assertEq(registry.chain(e).depth, 4, "depth");
        assertEq(registry.chain(D).childCount, 1, "children(D)");
        ChainId[] memory path = registry.ancestors(e);
        assertEq(path.length, 3, "path length");
        assertEq(ChainId.unwrap(path[0]), 4, "path[0]");
        assertEq(ChainId.unwrap(path[1]), 2, "path[1]");
        assertEq(ChainId.unwrap(path[2]), 1, "path[2]");
    }

    function test_registerChain_newChainDoesNotAcknowledge() public {
        _submit(A, 0); // A#1 at block 10
        vm.roll(11);
        _register(_id(5), A);
        _assertAcceptance(A, 1, 0, 5);
    }

    function test_registerChain_revertsOnZeroChainId() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(IValidiumRegistry.RegistryReservedChainId.selector);
        registry.registerChain{value: MIN_STAKE}(ROOT, ROOT, _op(ROOT), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
        _assertUnknown(ROOT);
    }

    function test_registerChain_revertsOnZeroOperator() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        registry.registerChain{value: MIN_STAKE}(_id(5), ROOT, address(0), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
        _assertUnknown(_id(5));
    }

    function test_registerChain_revertsOnZeroVerifier() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        registry.registerChain{value: MIN_STAKE}(_id(5), ROOT, _op(_id(5)), address(0), 0);
        assertEq(_fingerprint(), before, "state changed");
        _assertUnknown(_id(5));
    }

    function test_registerChain_revertsOnDuplicate() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryChainExists.selector, B));
        registry.registerChain{value: MIN_STAKE}(B, C, _op(_id(9)), address(rejecting), bytes32(uint256(1)));
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_registerChain_revertsOnInsufficientStake() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(
                IValidiumRegistry.RegistryInsufficientStake.selector,
                uint256(MIN_STAKE - 1),
                uint256(MIN_STAKE)
            )
        );
        registry.registerChain{value: MIN_STAKE - 1}(_id(5), A, _op(_id(5)), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
        _assertUnknown(_id(5));
    }

    function test_registerChain_revertsOnStakeTooLarge() public {
        uint256 stake = uint256(type(uint96).max) + 1;
        vm.deal(address(this), stake);
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryStakeTooLarge.selector, stake));
        registry.registerChain{value: stake}(_id(5), A, _op(_id(5)), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
        _assertUnknown(_id(5));
    }

    function test_registerChain_revertsOnUnknownParent() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, _id(77)));
        registry.registerChain{value: MIN_STAKE}(_id(5), _id(77), _op(_id(5)), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
        _assertUnknown(_id(5));
    }

    function test_registerChain_revertsOnFrozenParent() public {
        registry.setChainStatus(C, IValidiumRegistry.ChainStatus.Frozen);
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(
                IValidiumRegistry.RegistryChainNotActive.selector,
                C,
                IValidiumRegistry.ChainStatus.Frozen
            )
        );
        registry.registerChain{value: MIN_STAKE}(_id(5), C, _op(_id(5)), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
        _assertUnknown(_id(5));
    }

    function test_registerChain_revertsOnEjectedParent() public {
        registry.setChainStatus(C, IValidiumRegistry.ChainStatus.Ejected);
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(
                IValidiumRegistry.RegistryChainNotActive.selector,
                C,
                IValidiumRegistry.ChainStatus.Ejected
            )
        );
        registry.registerChain{value: MIN_STAKE}(_id(5), C, _op(_id(5)), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
        _assertUnknown(_id(5));
    }

    function test_registerChain_revertsOnFanOutExceeded() public {
        _register(_id(5), A); // A now has B, C, 5: full
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, A, FAN_OUT));
        registry.registerChain{value: MIN_STAKE}(_id(6), A, _op(_id(6)), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
        _assertUnknown(_id(6));
    }

    function test_registerChain_revertsOnRootFanOutExceeded() public {
        _register(_id(5), ROOT);
        _register(_id(6), ROOT); // the settlement chain now has A, 5, 6: full
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, ROOT, FAN_OUT));
        registry.registerChain{value: MIN_STAKE}(_id(7), ROOT, _op(_id(7)), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
        _assertUnknown(_id(7));
    }

    function test_registerChain_revertsOnDepthExceeded() public {
        // D is at depth 3: chains 5..9 take depths 4..8.
        ChainId parent = D;
        for (uint64 i = 5; i <= 9; ++i) {
            _register(_id(i), parent);
            parent = _id(i);
        }
        assertEq(registry.chain(parent).depth, DEPTH, "deepest");
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryDepthExceeded.selector, DEPTH + 1, DEPTH));
        registry.registerChain{value: MIN_STAKE}(_id(10), parent, _op(_id(10)), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
        _assertUnknown(_id(10));
    }

    function test_registerChain_revertsWithoutRegistrarRole() public {
        bytes32 role = registry.REGISTRAR_ROLE();
        vm.deal(STRANGER, MIN_STAKE);
        bytes32 before = _fingerprint();
        vm.prank(STRANGER);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, STRANGER, role)
        );
        registry.registerChain{value: MIN_STAKE}(_id(5), A, _op(_id(5)), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
        _assertUnknown(_id(5));
    }

    function testFuzz_registerChain_rejectsRandomCaller(address caller) public {
        vm.assume(caller != address(this));
        bytes32 role = registry.REGISTRAR_ROLE();
        bytes32 before = _fingerprint();
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role));
        registry.registerChain(_id(5), A, _op(_id(5)), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
    }

    /// @dev Random ids, parents (known, settlement or random), operators, verifiers and stakes: the
    ///      first failing check decides the error, and a rejection changes nothing.
    function testFuzz_registerChain_hostileArguments(
        uint64 rawId,
        uint256 parentSeed,
        uint64 rawParent,
        address operator,
        bool zeroVerifier,
        uint96 stake,
        bytes32 genesisRoot
    ) public {
        ChainId id = _knownOrRandom(parentSeed >> 8, rawId);
        ChainId parent = _knownOrRandom(parentSeed, rawParent);
        address v = zeroVerifier ? address(0) : address(verifier);
        uint64 pid = ChainId.unwrap(parent);

        bytes memory expected;
        if (ChainId.unwrap(id) == 0) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryReservedChainId.selector);
        } else if (operator == address(0) || v == address(0)) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryZeroAddress.selector);
        } else if (ChainId.unwrap(id) <= 4) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryChainExists.selector, id);
        } else if (stake < MIN_STAKE) {
            expected = abi.encodeWithSelector(
                IValidiumRegistry.RegistryInsufficientStake.selector,
                uint256(stake),
                uint256(MIN_STAKE)
            );
        } else if (pid > 4) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, parent);
        }
        // Known parents in setUp are all Active, shallow and below the fan-out limit.

        bytes32 before = _fingerprint();
        if (expected.length != 0) {
            vm.expectRevert(expected);
            registry.registerChain{value: stake}(id, parent, operator, v, genesisRoot);
            assertEq(_fingerprint(), before, "state changed");
            if (ChainId.unwrap(id) > 4) _assertUnknown(id);
            return;
        }
        uint32 parentB = pid == 0 ? 0 : registry.subtreeSize(parent);
        registry.registerChain{value: stake}(id, parent, operator, v, genesisRoot);
        IValidiumRegistry.ChainInfo memory info = registry.chain(id);
        assertEq(ChainId.unwrap(info.parent), pid, "parent");
        assertEq(info.operator, operator, "operator");
        assertEq(info.stake, stake, "stake");
        assertEq(info.subtreeSize, 1, "b");
        assertEq(info.depth, pid == 0 ? 1 : registry.chain(parent).depth + 1, "depth");
        assertEq(registry.commitment(id, 0).root, genesisRoot, "genesis");
        if (pid != 0) assertEq(registry.subtreeSize(parent), parentB + 1, "b(parent)");
    }

    /// @dev Chain ids anywhere in uint64 survive the packed parent field and the ancestor walk.
    function testFuzz_registerChain_extremeIds(uint64 rawParent, uint64 rawChild) public {
        rawParent = uint64(bound(rawParent, 5, type(uint64).max));
        rawChild = uint64(bound(rawChild, 5, type(uint64).max));
        vm.assume(rawParent != rawChild);
        ChainId parent = _id(rawParent);
        ChainId child = _id(rawChild);
        _register(parent, A);
        _register(child, parent);
        ChainId[] memory path = registry.ancestors(child);
        assertEq(path.length, 2, "path");
        assertEq(ChainId.unwrap(path[0]), rawParent, "path[0]");
        assertEq(ChainId.unwrap(path[1]), 1, "path[1]");
        assertEq(ChainId.unwrap(registry.chain(child).parent), rawParent, "parent");
        assertEq(registry.subtreeSize(parent), 2, "b(parent)");
        assertEq(registry.subtreeSize(A), 6, "b(A)");
        // An ack by the child reaches the parent's and A's commitments.
        _submit(parent, 0); // parent#1 at block 10
        vm.roll(11);
        _submit(child, 11);
        _assertAcceptance(parent, 1, 1, 2);
    }

    /*//////////////////////////////////////////////////////////////
                             SUBMIT UPDATE
    //////////////////////////////////////////////////////////////*/

    function test_submitUpdate_appendsPendingCommitment() public {
        bytes32 newRoot = keccak256("new");
        UpdatePublicData memory d = _data(C, 7, _genesis(C), newRoot);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.UpdateSubmitted(C, 1, newRoot, 7, 10);
        vm.prank(_op(C));
        uint32 index = registry.submitUpdate(d, "");
        assertEq(index, 1, "index");

        IValidiumRegistry.ChainInfo memory info = registry.chain(C);
        assertEq(info.latestAck, 7, "ack");
        assertEq(info.latestIndex, 1, "latest");
        assertEq(info.finalizedIndex, 0, "finalized");
        IValidiumRegistry.CommitmentInfo memory c1 = registry.commitment(C, 1);
        assertEq(c1.root, newRoot, "root");
        assertEq(c1.blockNumber, 10, "block");
        assertEq(c1.a, 0, "a");
        assertEq(c1.b, 1, "b");
        assertTrue(c1.status == IValidiumRegistry.CommitmentStatus.Pending, "pending");
        // C's ack 7 > genesis block 1: C acknowledges its own genesis and A's.
        _assertAcceptance(C, 0, 1, 1);
        _assertAcceptance(A, 0, 1, 4);
    }

    function test_submitUpdate_leafFinalizesOwnCommitmentWithNextAck() public {
        _submit(C, 0); // C#1 at block 10
        vm.roll(11);
        UpdatePublicData memory d = _prepare(C, 11);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.CommitmentFinalized(C, 1);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.CommitmentsPruned(C, 0, 1);
        vm.prank(_op(C));
        registry.submitUpdate(d, "");
        (uint32 fin, IValidiumRegistry.CommitmentInfo memory info) = registry.finalizedCommitment(C);
        assertEq(fin, 1, "finalized");
        assertEq(info.a, 1, "a");
        assertTrue(info.status == IValidiumRegistry.CommitmentStatus.Finalized, "status");
        assertTrue(registry.commitment(C, 0).status == IValidiumRegistry.CommitmentStatus.Pruned, "pruned");
        (uint32 a0, uint32 b0) = registry.acceptance(C, 0);
        assertEq(a0, 0, "pruned a");
        assertEq(b0, 1, "pruned b");
    }

    function test_submitUpdate_ackAtCommitmentBlockDoesNotAcknowledge() public {
        _submit(A, 0); // A#1 at block 10
        _submit(B, 10); // ack 10 is not > 10
        _assertAcceptance(A, 1, 0, 4);
        vm.roll(11);
        _submit(B, 11);
        _assertAcceptance(A, 1, 1, 4);
    }

    /// @dev a(A#1) needs 3 of 4 acknowledgements (2·a > b): B and C are not enough, D makes it final.
    function test_submitUpdate_finalizesOnStrictMajority() public {
        _submit(A, 0); // A#1 at block 10, (0, 4)
        vm.roll(11);
        _submit(B, 11);
        _submit(C, 11);
        _assertAcceptance(A, 1, 2, 4);
        assertEq(registry.chain(A).finalizedIndex, 0, "2 of 4 is not final");
        UpdatePublicData memory d = _prepare(D, 11);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.CommitmentFinalized(A, 1);
        vm.prank(_op(D));
        registry.submitUpdate(d, "");
        assertEq(registry.chain(A).finalizedIndex, 1, "3 of 4 is final");
        _assertAcceptance(A, 1, 3, 4);
        // D's ack also reaches B's genesis: (1 + 1) of b(B) = 2.
        _assertAcceptance(B, 0, 2, 2);
    }

    /// @dev One ack move finalizes the newest commitment that reaches a majority and prunes the rest.
    function test_submitUpdate_finalizesNewestMajorityAndPrunesOlder() public {
        _submit(B, 0); // B#1 at 10
        vm.roll(12);
        _submit(B, 0); // B#2 at 12
        vm.roll(14);
        _submit(B, 0); // B#3 at 14
        vm.roll(15);
        _submit(B, 13); // B acks 13: B#1, B#2 get 1 of 2
        _assertAcceptance(B, 1, 1, 2);
        _assertAcceptance(B, 2, 1, 2);
        _assertAcceptance(B, 3, 0, 2);
        // D acks 13: B#1 and B#2 reach 2 of 2; the newest, B#2, is final.
        UpdatePublicData memory d = _prepare(D, 13);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.CommitmentFinalized(B, 2);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.CommitmentsPruned(B, 0, 2);
        vm.prank(_op(D));
        registry.submitUpdate(d, "");
        assertEq(registry.chain(B).finalizedIndex, 2, "finalized");
        assertTrue(registry.commitment(B, 1).status == IValidiumRegistry.CommitmentStatus.Pruned, "B#1 pruned");
        _assertAcceptance(B, 2, 2, 2);
        _assertAcceptance(B, 3, 0, 2);
        assertTrue(registry.commitment(B, 3).status == IValidiumRegistry.CommitmentStatus.Pending, "B#3 pending");
    }

    function test_submitUpdate_sameAckDoesNotAcknowledge() public {
        _submit(A, 0); // A#1 at 10
        vm.roll(11);
        _submit(B, 5);
        _submit(B, 5); // no ack move
        _assertAcceptance(A, 1, 0, 4);
        assertEq(registry.chain(B).latestIndex, 2, "B appended twice");
    }

    function test_submitUpdate_revertsOnUnknownChain() public {
        UpdatePublicData memory d = _data(_id(77), 0, 0, keccak256("x"));
        bytes32 before = _fingerprint();
        vm.prank(_op(_id(77)));
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, _id(77)));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_submitUpdate_revertsOnWrongOperator() public {
        UpdatePublicData memory d = _data(C, 5, _genesis(C), keccak256("x"));
        address wrong = _op(B);
        bytes32 before = _fingerprint();
        vm.prank(wrong);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryNotOperator.selector, C, wrong));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_submitUpdate_revertsOnFrozenChain() public {
        registry.setChainStatus(C, IValidiumRegistry.ChainStatus.Frozen);
        UpdatePublicData memory d = _data(C, 5, _genesis(C), keccak256("x"));
        bytes32 before = _fingerprint();
        vm.prank(_op(C));
        vm.expectRevert(
            abi.encodeWithSelector(
                IValidiumRegistry.RegistryChainNotActive.selector,
                C,
                IValidiumRegistry.ChainStatus.Frozen
            )
        );
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_submitUpdate_revertsOnEjectedChain() public {
        registry.setChainStatus(C, IValidiumRegistry.ChainStatus.Ejected);
        UpdatePublicData memory d = _data(C, 5, _genesis(C), keccak256("x"));
        bytes32 before = _fingerprint();
        vm.prank(_op(C));
        vm.expectRevert(
            abi.encodeWithSelector(
                IValidiumRegistry.RegistryChainNotActive.selector,
                C,
                IValidiumRegistry.ChainStatus.Ejected
            )
        );
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_submitUpdate_revertsOnAckInFuture() public {
        UpdatePublicData memory d = _data(C, 11, _genesis(C), keccak256("x"));
        bytes32 before = _fingerprint();
        vm.prank(_op(C));
        vm.expectRevert(
            abi.encodeWithSelector(IValidiumRegistry.RegistryAckInFuture.selector, uint64(11), uint256(10))
        );
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_submitUpdate_revertsOnAckDecreasing() public {
        _submit(C, 8);
        UpdatePublicData memory d = _data(C, 7, _latestRoot(C), keccak256("x"));
        bytes32 before = _fingerprint();
        vm.prank(_op(C));
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryAckDecreasing.selector, uint64(7), uint64(8)));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_submitUpdate_revertsOnStaleRoot() public {
        _submit(C, 0); // C#1: genesis is no longer the latest
        bytes32 latest = _latestRoot(C);
        UpdatePublicData memory d = _data(C, 5, _genesis(C), keccak256("x"));
        bytes32 before = _fingerprint();
        vm.prank(_op(C));
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryNotOnLatest.selector, C, latest, _genesis(C)));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_submitUpdate_revertsWhenVerifierReturnsFalse() public {
        ChainId e = _id(5);
        registry.registerChain{value: MIN_STAKE}(e, C, _op(e), address(rejecting), _genesis(e));
        _submit(A, 0); // A#1 at 10
        vm.roll(11);
        // The ack would reach A#1 if accepted; rejected, it reaches nothing.
        UpdatePublicData memory d = _data(e, 11, _genesis(e), keccak256("x"));
        bytes32 before = _fingerprint();
        vm.prank(_op(e));
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryInvalidProof.selector, e, address(rejecting)));
        registry.submitUpdate(d, "proof");
        assertEq(_fingerprint(), before, "state changed");
        _assertAcceptance(A, 1, 0, 5);
    }

    function test_submitUpdate_bubblesVerifierRevert() public {
        RevertingVerifier reverting = new RevertingVerifier();
        ChainId e = _id(5);
        registry.registerChain{value: MIN_STAKE}(e, C, _op(e), address(reverting), _genesis(e));
        bytes32 newRoot = keccak256("x");
        UpdatePublicData memory d = _data(e, 5, _genesis(e), newRoot);
        bytes32 before = _fingerprint();
        vm.prank(_op(e));
        vm.expectRevert(abi.encodeWithSelector(RevertingVerifier.RevertingVerifierRejected.selector, newRoot));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_submitUpdate_revertsOnTooManyPending() public {
        // A's own ack can never finalize anything alone (b(A) = 4): 63 updates fill the window.
        for (uint256 i; i < 63; ++i) _submit(A, 0);
        assertEq(registry.chain(A).latestIndex, 63, "latest");
        UpdatePublicData memory d = _data(A, 0, _latestRoot(A), keccak256("x"));
        bytes32 before = _fingerprint();
        vm.prank(_op(A));
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryTooManyPending.selector, A, uint32(63)));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_submitUpdate_finalizingAckUnblocksPendingWindow() public {
        for (uint256 i; i < 63; ++i) _submit(D, 0); // leaf: b(D) = 1
        vm.roll(11);
        // D's own ack 11 finalizes D#63 (block 10) before the window is checked.
        uint32 index = _submit(D, 11);
        assertEq(index, 64, "index");
        assertEq(registry.chain(D).finalizedIndex, 63, "finalized");
        assertTrue(registry.commitment(D, 0).status == IValidiumRegistry.CommitmentStatus.Pruned, "D#0");
        assertTrue(registry.commitment(D, 62).status == IValidiumRegistry.CommitmentStatus.Pruned, "D#62");
        // The ring slot of index 0 now holds index 64.
        assertEq(registry.commitment(D, 64).root, _rootOf(D, 11, 11), "ring reuse");
    }

    function testFuzz_submitUpdate_rejectsRandomCaller(address caller) public {
        vm.assume(caller != _op(C));
        UpdatePublicData memory d = _data(C, 5, _genesis(C), keccak256("x"));
        bytes32 before = _fingerprint();
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryNotOperator.selector, C, caller));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    function testFuzz_submitUpdate_rejectsUnknownChain(uint64 rawId, address caller) public {
        vm.assume(rawId > 4);
        UpdatePublicData memory d = _data(_id(rawId), 0, 0, keccak256("x"));
        bytes32 before = _fingerprint();
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, _id(rawId)));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    function testFuzz_submitUpdate_rejectsFutureAck(uint64 ack, uint32 height) public {
        uint256 current = bound(height, 10, type(uint32).max);
        vm.roll(current);
        ack = uint64(bound(ack, current + 1, type(uint64).max));
        UpdatePublicData memory d = _data(C, ack, _genesis(C), keccak256("x"));
        bytes32 before = _fingerprint();
        vm.prank(_op(C));
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryAckInFuture.selector, ack, current));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    function testFuzz_submitUpdate_rejectsDecreasingAck(uint64 first, uint64 second) public {
        vm.roll(1_000_000);
        first = uint64(bound(first, 1, 1_000_000));
        second = uint64(bound(second, 0, first - 1));
        _submit(C, first);
        UpdatePublicData memory d = _data(C, second, _latestRoot(C), keccak256("x"));
        bytes32 before = _fingerprint();
        vm.prank(_op(C));
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryAckDecreasing.selector, second, first));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    function testFuzz_submitUpdate_rejectsWrongPrevRoot(bytes32 prevRoot, bool afterUpdate) public {
        if (afterUpdate) _submit(C, 0);
        bytes32 latest = _latestRoot(C);
        vm.assume(prevRoot != latest);
        UpdatePublicData memory d = _data(C, 5, prevRoot, keccak256("x"));
        bytes32 before = _fingerprint();
        vm.prank(_op(C));
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryNotOnLatest.selector, C, latest, prevRoot));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    /// @dev Every ack in [previous ack, current block] is accepted, with any roots and L2 block; the
    ///      commitment is appended at the current block with a = 0.
    function testFuzz_submitUpdate_acceptsAnyValidAck(
        uint64 firstAck,
        uint64 ack,
        uint32 height,
        bytes32 newRoot,
        uint64 l2Block
    ) public {
        uint256 current = bound(height, 10, type(uint32).max);
        firstAck = uint64(bound(firstAck, 0, 10));
        _submit(D, firstAck);
        vm.roll(current);
        ack = uint64(bound(ack, firstAck, current));
        UpdatePublicData memory d = _data(D, ack, _latestRoot(D), newRoot);
        d.l2Block = l2Block;
        vm.prank(_op(D));
        uint32 index = registry.submitUpdate(d, "");
        assertEq(index, 2, "index");
        IValidiumRegistry.ChainInfo memory info = registry.chain(D);
        assertEq(info.latestAck, ack, "ack");
        IValidiumRegistry.CommitmentInfo memory c2 = registry.commitment(D, 2);
        assertEq(c2.root, newRoot, "root");
        assertEq(c2.blockNumber, current, "block");
        assertEq(c2.a, 0, "a");
        // D#1 (block 10) is final iff D's own ack passed it.
        assertEq(info.finalizedIndex, ack > 10 ? 1 : 0, "D#1 final");
        // A's genesis (block 1) is acknowledged by D iff D's ack > 1.
        _assertAcceptance(A, 0, ack > 1 ? 1 : 0, 4);
    }

    /// @dev Random acks by every chain of the tree, in random order: a and b of A's commitments match a
    ///      count made from the acks directly.
    function testFuzz_submitUpdate_acceptanceMatchesDefinition(uint64[4] memory acks, uint8 order) public {
        _submit(A, 0); // A#1 at 10
        vm.roll(12);
        _submit(A, 0); // A#2 at 12
        vm.roll(20);
        ChainId[4] memory chains = [A, B, C, D];
        uint64[4] memory applied;
        for (uint256 k; k < 4; ++k) {
            uint256 i = (k + order) % 4;
            applied[i] = uint64(bound(acks[i], 0, 20));
            _submit(chains[i], applied[i]);
        }
        uint32 fin = registry.chain(A).finalizedIndex;
        uint256[3] memory blocks = [uint256(1), 10, 12];
        for (uint32 j = fin; j <= 2; ++j) {
            uint256 a;
            for (uint256 i; i < 4; ++i) if (applied[i] > blocks[j]) ++a;
            _assertAcceptance(A, j, a, 4);
            if (j > fin) assertLe(2 * a, 4, "pending has a majority");
        }
    }

    /// @dev A small model of the setUp tree: acks, Active flags, every commitment's block, and the
    ///      finalized index the (a, b) rule gives (newest commitment that ever had 2·a > b).
    struct Model {
        uint64[4] acks;
        bool[4] active;
        uint32[4] fin;
        uint32[4] count;
        uint64[160][4] blocks;
    }

    /// @dev subtree(u) as a bit mask over chain indices (A = 0, B = 1, C = 2, D = 3).
    function _subtreeMask(uint256 u) internal pure returns (uint256) {
        return [uint256(0xF), 0xA, 0x4, 0x8][u];
    }

    function _modelB(Model memory m, uint256 u) internal pure returns (uint256 b) {
        for (uint256 w; w < 4; ++w) if (m.active[w] && (_subtreeMask(u) >> w) & 1 == 1) ++b;
    }

    function _modelA(Model memory m, uint256 u, uint256 j) internal pure returns (uint256 a) {
        for (uint256 w; w < 4; ++w) {
            if (m.active[w] && (_subtreeMask(u) >> w) & 1 == 1 && m.acks[w] > m.blocks[u][j]) ++a;
        }
    }

    /// @dev The model's finalized index of chain `u` in the current state (never below the previous).
    function _modelFinal(Model memory m, uint256 u) internal pure returns (uint32) {
        uint256 b = _modelB(m, u);
        for (uint32 j = m.count[u] - 1; j > m.fin[u]; --j) {
            if (2 * _modelA(m, u, j) > b) return j;
        }
        return m.fin[u];
    }

    function _modelSettle(Model memory m) internal pure {
        for (uint256 u; u < 4; ++u) m.fin[u] = _modelFinal(m, u);
    }

    /// @dev One random step: an update of a random Active chain (A 7 times in 12, so its pending window
    ///      grows long and its indices wrap the 64-entry ring) with an ack in [previous, current block],
    ///      a freeze/unfreeze of B, C or D, or a few blocks forward.
    function _modelStep(Model memory m, ChainId[4] memory ids, uint256 r) internal {
        uint256 kind = r % 12;
        if (kind >= 10) {
            if (kind == 11) {
                uint256 i = 1 + ((r >> 8) % 3);
                // Leaving Active discards the chain's pending commitments first (its final state is then fixed).
                if (m.active[i]) m.count[i] = m.fin[i] + 1;
                m.active[i] = !m.active[i];
                registry.setChainStatus(
                    ids[i],
                    m.active[i] ? IValidiumRegistry.ChainStatus.Active : IValidiumRegistry.ChainStatus.Frozen
                );
                _modelSettle(m);
            } else {
                vm.roll(block.number + 1 + ((r >> 8) % 3));
            }
            return;
        }
        uint256 c = kind < 7 ? 0 : kind - 6; // A, or B, C, D
        if (!m.active[c]) return;
        uint64 ack = uint64(m.acks[c] + ((r >> 16) % (block.number - m.acks[c] + 1)));
        if ((r >> 8) % 4 == 0) ack = m.acks[c]; // no ack move: pending piles up
        // The ack applies before the window check: predict the pending count after it.
        uint64 old = m.acks[c];
        m.acks[c] = ack;
        uint256 pending = m.count[c] - 1 - _modelFinal(m, c);
        m.acks[c] = old;
        UpdatePublicData memory d = _prepare(ids[c], ack);
        if (pending >= 63) {
            vm.prank(_op(ids[c]));
            vm.expectRevert(
                abi.encodeWithSelector(IValidiumRegistry.RegistryTooManyPending.selector, ids[c], uint32(pending))
            );
            registry.submitUpdate(d, "");
            return;
        }
        vm.prank(_op(ids[c]));
        registry.submitUpdate(d, "");
        m.acks[c] = ack;
        _modelSettle(m);
        m.blocks[c][m.count[c]++] = uint64(block.number);
        if ((r >> 32) % 2 == 0) vm.roll(block.number + 1);
    }

    /// @dev 150 random steps on the setUp tree; after each, every chain's finalized index equals the
    ///      model's; at the end every live commitment's block, a and status match the model. A makes
    ///      ~85 commitments: long pending windows cross meta pages and indices wrap the ring.
    function testFuzz_submitUpdate_randomHistoryMatchesModel(uint256 seed) public {
        ChainId[4] memory ids = [A, B, C, D];
        Model memory m;
        for (uint256 u; u < 4; ++u) {
            m.active[u] = true;
            m.count[u] = 1;
            m.blocks[u][0] = 1; // registered in block 1
        }
        for (uint256 step; step < 150; ++step) {
            _modelStep(m, ids, uint256(keccak256(abi.encode(seed, step))));
            for (uint256 u; u < 4; ++u) assertEq(registry.chain(ids[u]).finalizedIndex, m.fin[u], "finalized");
        }
        for (uint256 u; u < 4; ++u) {
            IValidiumRegistry.ChainInfo memory info = registry.chain(ids[u]);
            assertEq(info.latestIndex, m.count[u] - 1, "latest");
            assertEq(info.subtreeSize, _modelB(m, u), "b");
            for (uint32 j = info.finalizedIndex; j <= info.latestIndex; ++j) {
                IValidiumRegistry.CommitmentInfo memory c = registry.commitment(ids[u], j);
                assertEq(c.blockNumber, m.blocks[u][j], "block");
                assertEq(c.a, _modelA(m, u, j), "a");
                if (j > info.finalizedIndex) assertLe(2 * uint256(c.a), c.b, "pending majority");
            }
        }
    }

    /*//////////////////////////////////////////////////////////////
                            SET CHAIN STATUS
    //////////////////////////////////////////////////////////////*/

    function test_setChainStatus_freezeLeavesBAlongPath() public {
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.ChainStatusChanged(
            D,
            IValidiumRegistry.ChainStatus.Active,
            IValidiumRegistry.ChainStatus.Frozen
        );
        registry.setChainStatus(D, IValidiumRegistry.ChainStatus.Frozen);
        assertTrue(_status(D) == IValidiumRegistry.ChainStatus.Frozen, "status");
        assertEq(registry.subtreeSize(D), 0, "b(D)");
        assertEq(registry.subtreeSize(B), 1, "b(B)");
        assertEq(registry.subtreeSize(A), 3, "b(A)");
        registry.setChainStatus(D, IValidiumRegistry.ChainStatus.Active);
        assertEq(registry.subtreeSize(D), 1, "b(D) back");
        assertEq(registry.subtreeSize(A), 4, "b(A) back");
    }

    function test_setChainStatus_freezeRemovesAcknowledgement() public {
        _submit(A, 0); // A#1 at 10
        vm.roll(11);
        _submit(B, 11);
        _submit(C, 11);
        _assertAcceptance(A, 1, 2, 4);
        registry.setChainStatus(C, IValidiumRegistry.ChainStatus.Frozen);
        // b(A) = 3, a(A#1) = 1 (C no longer counts): not final.
        _assertAcceptance(A, 1, 1, 3);
        assertEq(registry.chain(A).finalizedIndex, 0, "not final");
        registry.setChainStatus(C, IValidiumRegistry.ChainStatus.Active);
        _assertAcceptance(A, 1, 2, 4);
    }

    /// @dev Freezing a lagging chain lowers b: a commitment with 2 of 4 becomes 2 of 3, final.
    function test_setChainStatus_freezeFinalizesPending() public {
        _submit(A, 0); // A#1 at 10
        vm.roll(11);
        _submit(B, 11);
        _submit(C, 11);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.CommitmentFinalized(A, 1);
        registry.setChainStatus(D, IValidiumRegistry.ChainStatus.Frozen);
        assertEq(registry.chain(A).finalizedIndex, 1, "final");
        _assertAcceptance(A, 1, 2, 3);
        // Finality is sticky: unfreezing D makes it 2 of 4 again, still final.
        registry.setChainStatus(D, IValidiumRegistry.ChainStatus.Active);
        assertEq(registry.chain(A).finalizedIndex, 1, "still final");
        _assertAcceptance(A, 1, 2, 4);
    }

    /// @dev Re-activating a chain whose ack passed a commitment adds to a and b: 1 of 2 becomes 2 of 3.
    function test_setChainStatus_unfreezeFinalizesPending() public {
        _submit(A, 0); // A#1 at 10
        vm.roll(20);
        _submit(C, 20); // a(A#1) = 1
        registry.setChainStatus(C, IValidiumRegistry.ChainStatus.Frozen); // (0, 3)
        registry.setChainStatus(D, IValidiumRegistry.ChainStatus.Frozen); // (0, 2)
        _submit(B, 20); // (1, 2)
        _assertAcceptance(A, 1, 1, 2);
        registry.setChainStatus(C, IValidiumRegistry.ChainStatus.Active); // (2, 3): final
        assertEq(registry.chain(A).finalizedIndex, 1, "final");
        _assertAcceptance(A, 1, 2, 3);
    }

    function test_setChainStatus_ejectIsTerminal() public {
        registry.setChainStatus(C, IValidiumRegistry.ChainStatus.Ejected);
        assertEq(registry.subtreeSize(A), 3, "b(A)");
        IValidiumRegistry.ChainStatus[3] memory targets = [
            IValidiumRegistry.ChainStatus.Active,
            IValidiumRegistry.ChainStatus.Frozen,
            IValidiumRegistry.ChainStatus.Ejected
        ];
        bytes32 before = _fingerprint();
        for (uint256 i; i < 3; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IValidiumRegistry.RegistryInvalidStatusChange.selector,
                    C,
                    IValidiumRegistry.ChainStatus.Ejected,
                    targets[i]
                )
            );
            registry.setChainStatus(C, targets[i]);
        }
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_setChainStatus_frozenToEjectedKeepsB() public {
        registry.setChainStatus(C, IValidiumRegistry.ChainStatus.Frozen);
        registry.setChainStatus(C, IValidiumRegistry.ChainStatus.Ejected);
        assertEq(registry.subtreeSize(A), 3, "b(A)");
        assertEq(registry.subtreeSize(C), 0, "b(C)");
    }

    function test_setChainStatus_revertsOnNoneTarget() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(
                IValidiumRegistry.RegistryInvalidStatusChange.selector,
                B,
                IValidiumRegistry.ChainStatus.Active,
                IValidiumRegistry.ChainStatus.None
            )
        );
        registry.setChainStatus(B, IValidiumRegistry.ChainStatus.None);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_setChainStatus_revertsOnSameStatus() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(
                IValidiumRegistry.RegistryInvalidStatusChange.selector,
                B,
                IValidiumRegistry.ChainStatus.Active,
                IValidiumRegistry.ChainStatus.Active
            )
        );
        registry.setChainStatus(B, IValidiumRegistry.ChainStatus.Active);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_setChainStatus_revertsOnUnknownChain() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, _id(77)));
        registry.setChainStatus(_id(77), IValidiumRegistry.ChainStatus.Frozen);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_setChainStatus_revertsWithoutStatusRole() public {
        bytes32 role = registry.STATUS_ROLE();
        bytes32 before = _fingerprint();
        vm.prank(STRANGER);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, STRANGER, role)
        );
        registry.setChainStatus(B, IValidiumRegistry.ChainStatus.Frozen);
        assertEq(_fingerprint(), before, "state changed");
    }

    function testFuzz_setChainStatus_rejectsRandomCaller(address caller, uint8 to) public {
        vm.assume(caller != address(this));
        IValidiumRegistry.ChainStatus target = IValidiumRegistry.ChainStatus(bound(to, 0, 3));
        bytes32 role = registry.STATUS_ROLE();
        bytes32 before = _fingerprint();
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role));
        registry.setChainStatus(B, target);
        assertEq(_fingerprint(), before, "state changed");
    }

    /// @dev Any (from, to) pair: allowed moves change b along the path by the Active-membership delta,
    ///      forbidden ones revert with the exact error and change nothing.
    function testFuzz_setChainStatus_transitions(uint256 chainSeed, uint8 first, uint8 second) public {
        ChainId[4] memory chains = [A, B, C, D];
        ChainId id = chains[chainSeed % 4];
        IValidiumRegistry.ChainStatus s1 = IValidiumRegistry.ChainStatus(bound(first, 2, 3)); // Frozen | Ejected
        IValidiumRegistry.ChainStatus to = IValidiumRegistry.ChainStatus(bound(second, 0, 3));
        if (first % 3 != 0) registry.setChainStatus(id, s1); // else stay Active
        IValidiumRegistry.ChainStatus from = _status(id);

        uint32 bA = registry.subtreeSize(A);
        bool allowed =
            from != IValidiumRegistry.ChainStatus.Ejected && to != IValidiumRegistry.ChainStatus.None && to != from;
        if (!allowed) {
            bytes32 before = _fingerprint();
            vm.expectRevert(
                abi.encodeWithSelector(IValidiumRegistry.RegistryInvalidStatusChange.selector, id, from, to)
            );
            registry.setChainStatus(id, to);
            assertEq(_fingerprint(), before, "state changed");
            return;
        }
        registry.setChainStatus(id, to);
        assertTrue(_status(id) == to, "status");
        bool wasActive = from == IValidiumRegistry.ChainStatus.Active;
        bool isActive = to == IValidiumRegistry.ChainStatus.Active;
        uint256 expected = wasActive == isActive ? bA : (isActive ? bA + 1 : bA - 1);
        assertEq(registry.subtreeSize(A), expected, "b(A)");
    }

    /*//////////////////////////////////////////////////////////////
                  LIMITS (READ FROM THE CLUSTER CONFIG)
    //////////////////////////////////////////////////////////////*/

    uint256 internal constant FAN_OUT_PARAM = uint256(IClusterConfig.Param.MaxFanOut);
    uint256 internal constant DEPTH_PARAM = uint256(IClusterConfig.Param.MaxDepth);
    uint256 internal constant MIN_STAKE_PARAM = uint256(IClusterConfig.Param.MinStake);

    function _configFingerprint() internal view returns (bytes32) {
        return keccak256(abi.encode(config.params()));
    }

    function test_limits_followClusterConfig() public {
        vm.expectEmit(address(config));
        emit IClusterConfig.ParamSet(IClusterConfig.Param.MaxFanOut, FAN_OUT, 1024);
        config.setParam(FAN_OUT_PARAM, 1024);
        vm.expectEmit(address(config));
        emit IClusterConfig.ParamSet(IClusterConfig.Param.MaxDepth, DEPTH, 32);
        config.setParam(DEPTH_PARAM, 32);
        vm.expectEmit(address(config));
        emit IClusterConfig.ParamSet(IClusterConfig.Param.MinStake, MIN_STAKE, 5 ether);
        config.setParam(MIN_STAKE_PARAM, 5 ether);
        IValidiumRegistry.Limits memory got = registry.limits();
        assertEq(got.maxFanOut, 1024, "fan-out");
        assertEq(got.maxDepth, 32, "depth");
        assertEq(got.minStake, 5 ether, "min stake");
    }

    function test_limits_doNotAffectExistingChains() public {
        config.setParam(FAN_OUT_PARAM, 1);
        config.setParam(DEPTH_PARAM, 1);
        config.setParam(MIN_STAKE_PARAM, 0);
        assertEq(registry.chain(A).childCount, 2, "children kept");
        assertEq(registry.chain(D).depth, 3, "depth kept");
        assertEq(registry.chain(D).stake, MIN_STAKE, "stake kept");
        assertEq(registry.subtreeSize(A), 4, "b(A) kept");
        _submit(D, 5); // existing deep chains still update
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, ROOT, uint16(1)));
        registry.registerChain(_id(5), ROOT, _op(_id(5)), address(verifier), 0);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryDepthExceeded.selector, uint8(2), uint8(1)));
        registry.registerChain(_id(5), A, _op(_id(5)), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
        _assertUnknown(_id(5));
    }

    function test_registerChain_followsRaisedMinStake() public {
        config.setParam(MIN_STAKE_PARAM, 2 ether);
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(IValidiumRegistry.RegistryInsufficientStake.selector, uint256(1 ether), 2 ether)
        );
        registry.registerChain{value: MIN_STAKE}(_id(5), A, _op(_id(5)), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
        _assertUnknown(_id(5));
        registry.registerChain{value: 2 ether}(_id(5), A, _op(_id(5)), address(verifier), 0);
        assertEq(registry.chain(_id(5)).stake, 2 ether, "new stake");
        assertEq(registry.chain(B).stake, MIN_STAKE, "existing stake kept");
    }

    function test_registerChain_followsLoweredMinStake() public {
        config.setParam(MIN_STAKE_PARAM, 0);
        registry.registerChain(_id(5), A, _op(_id(5)), address(verifier), 0);
        assertEq(registry.chain(_id(5)).stake, 0, "no stake");
        assertEq(address(registry).balance, 4 * uint256(MIN_STAKE), "balance");
    }

    function test_registerChain_followsRaisedFanOut() public {
        _register(_id(5), A); // A now has B, C, 5: full at fan-out 3
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, A, FAN_OUT));
        registry.registerChain{value: MIN_STAKE}(_id(6), A, _op(_id(6)), address(verifier), 0);
        config.setParam(FAN_OUT_PARAM, FAN_OUT + 1);
        _register(_id(6), A);
        assertEq(registry.chain(A).childCount, 4, "children(A)");
        assertEq(registry.subtreeSize(A), 6, "b(A)");
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, A, FAN_OUT + 1));
        registry.registerChain{value: MIN_STAKE}(_id(7), A, _op(_id(7)), address(verifier), 0);
    }

    function test_registerChain_followsLoweredDepth() public {
        config.setParam(DEPTH_PARAM, 3); // D is at depth 3
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryDepthExceeded.selector, uint8(4), uint8(3)));
        registry.registerChain{value: MIN_STAKE}(_id(5), D, _op(_id(5)), address(verifier), 0);
        assertEq(_fingerprint(), before, "state changed");
        _register(_id(5), B); // depth 3: still allowed
        assertEq(registry.chain(_id(5)).depth, 3, "depth");
        config.setParam(DEPTH_PARAM, 4);
        _register(_id(6), D);
        assertEq(registry.chain(_id(6)).depth, 4, "raised depth");
    }

    function test_setParam_limitsRevertWithoutConfigAdmin() public {
        // The registry's own admin role does not reach the config: only the config's governance sets limits.
        registry.grantRole(registry.DEFAULT_ADMIN_ROLE(), STRANGER);
        bytes32 role = config.DEFAULT_ADMIN_ROLE();
        bytes32 before = _fingerprint();
        bytes32 configBefore = _configFingerprint();
        uint256[3] memory ps = [FAN_OUT_PARAM, DEPTH_PARAM, MIN_STAKE_PARAM];
        for (uint256 i; i < 3; ++i) {
            vm.prank(STRANGER);
            vm.expectRevert(
                abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, STRANGER, role)
            );
            config.setParam(ps[i], 2);
        }
        assertEq(_fingerprint(), before, "state changed");
        assertEq(_configFingerprint(), configBefore, "config changed");
    }

    /// @dev Sets `p` to `value` if it is within [min, max] (the hard bounds of docs/GOVERNANCE.md §4);
    ///      otherwise expects ConfigParamOutOfBounds and checks that neither the registry nor the config changed.
    function _setOrExpectOutOfBounds(
        IClusterConfig.Param p,
        uint256 value,
        uint256 min,
        uint256 max
    ) internal returns (bool accepted) {
        if (value >= min && value <= max) {
            config.setParam(uint256(p), value);
            assertEq(config.param(uint256(p)), value, "param");
            return true;
        }
        bytes32 before = _fingerprint();
        bytes32 configBefore = _configFingerprint();
        vm.expectRevert(abi.encodeWithSelector(IClusterConfig.ConfigParamOutOfBounds.selector, p, value, min, max));
        config.setParam(uint256(p), value);
        assertEq(_fingerprint(), before, "state changed");
        assertEq(_configFingerprint(), configBefore, "config changed");
        return false;
    }

    /// @dev Random limits: in-bounds values are taken and the registry's next registrations follow them
    ///      (stake, then depth under D, then fan-out of the settlement chain, which has one child);
    ///      out-of-bounds values revert and change nothing.
    function testFuzz_setParam_randomLimits(
        uint256 rawFanOut,
        uint256 rawDepth,
        uint96 stake,
        bool stakeOverflows
    ) public {
        // Ranges a little wider than the bounds on both sides, so both outcomes are frequent.
        uint256 fanOut = bound(rawFanOut, 0, 1100);
        uint256 depth = bound(rawDepth, 0, 40);
        uint256 minStake = stakeOverflows ? uint256(type(uint96).max) + 1 + stake : stake;
        IValidiumRegistry.Limits memory old = registry.limits();
        bool fanOutSet = _setOrExpectOutOfBounds(IClusterConfig.Param.MaxFanOut, fanOut, 1, 1024);
        bool depthSet = _setOrExpectOutOfBounds(IClusterConfig.Param.MaxDepth, depth, 1, 32);
        bool stakeSet = _setOrExpectOutOfBounds(IClusterConfig.Param.MinStake, minStake, 0, type(uint96).max);
        IValidiumRegistry.Limits memory got = registry.limits();
        assertEq(got.maxFanOut, fanOutSet ? fanOut : old.maxFanOut, "fan-out");
        assertEq(got.maxDepth, depthSet ? depth : old.maxDepth, "depth");
        assertEq(got.minStake, stakeSet ? minStake : old.minStake, "min stake");

        ChainId e = _id(5);
        if (got.minStake != 0) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IValidiumRegistry.RegistryInsufficientStake.selector,
                    uint256(got.minStake) - 1,
                    uint256(got.minStake)
                )
            );
            registry.registerChain{value: got.minStake - 1}(e, D, _op(e), address(verifier), 0);
        }
        if (got.maxDepth < 4) {
            vm.expectRevert(
                abi.encodeWithSelector(IValidiumRegistry.RegistryDepthExceeded.selector, uint8(4), got.maxDepth)
            );
            registry.registerChain{value: got.minStake}(e, D, _op(e), address(verifier), 0);
            _assertUnknown(e);
        } else {
            registry.registerChain{value: got.minStake}(e, D, _op(e), address(verifier), 0);
            assertEq(registry.chain(e).depth, 4, "depth(5)");
            assertEq(registry.chain(e).stake, got.minStake, "stake(5)");
        }
        ChainId f = _id(6);
        if (got.maxFanOut < 2) {
            vm.expectRevert(
                abi.encodeWithSelector(IValidiumRegistry.RegistryFanOutExceeded.selector, ROOT, got.maxFanOut)
            );
            registry.registerChain{value: got.minStake}(f, ROOT, _op(f), address(verifier), 0);
            _assertUnknown(f);
        } else {
            registry.registerChain{value: got.minStake}(f, ROOT, _op(f), address(verifier), 0);
            assertEq(registry.chain(f).depth, 1, "depth(6)");
        }
    }

    function testFuzz_setParam_rejectsRandomCaller(address caller, uint256 value) public {
        vm.assume(caller != address(this));
        bytes32 role = config.DEFAULT_ADMIN_ROLE();
        uint256[3] memory ps = [FAN_OUT_PARAM, DEPTH_PARAM, MIN_STAKE_PARAM];
        uint256 p = ps[value % 3];
        bytes32 before = _fingerprint();
        bytes32 configBefore = _configFingerprint();
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role));
        config.setParam(p, bound(value, 1, 32));
        assertEq(_fingerprint(), before, "state changed");
        assertEq(_configFingerprint(), configBefore, "config changed");
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function test_commitment_revertsOnUnknownIndex() public {
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownCommitment.selector, A, uint32(1)));
        registry.commitment(A, 1);
    }

    function test_commitment_revertsOnUnknownChain() public {
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, _id(77)));
        registry.commitment(_id(77), 0);
    }

    function testFuzz_commitment_rejectsUnknownIndex(uint32 index, uint8 updates) public {
        updates = uint8(bound(updates, 0, 5));
        for (uint256 i; i < updates; ++i) _submit(B, 0);
        index = uint32(bound(index, uint256(updates) + 1, type(uint32).max));
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownCommitment.selector, B, index));
        registry.commitment(B, index);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownCommitment.selector, B, index));
        registry.acceptance(B, index);
    }

    function testFuzz_views_rejectUnknownChain(uint64 rawId) public {
        vm.assume(rawId > 4);
        ChainId id = _id(rawId);
        bytes memory err = abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, id);
        vm.expectRevert(err);
        registry.chain(id);
        vm.expectRevert(err);
        registry.subtreeSize(id);
        vm.expectRevert(err);
        registry.ancestors(id);
        vm.expectRevert(err);
        registry.latestCommitment(id);
        vm.expectRevert(err);
        registry.finalizedCommitment(id);
        vm.expectRevert(err);
        registry.acceptance(id, 0);
    }

    function test_commitment_prunedHasOnlyStatus() public {
        _submit(C, 0); // C#1 at 10
        vm.roll(11);
        _submit(C, 11); // finalizes C#1, prunes C#0
        IValidiumRegistry.CommitmentInfo memory p = registry.commitment(C, 0);
        assertTrue(p.status == IValidiumRegistry.CommitmentStatus.Pruned, "status");
        assertEq(p.root, bytes32(0), "root");
        assertEq(p.blockNumber, 0, "block");
        assertEq(p.a, 0, "a");
        assertEq(p.b, 0, "b");
    }

    function test_chainIdAt_enumeratesInRegistrationOrder() public view {
        assertEq(registry.chainCount(), 4, "count");
        for (uint256 i; i < 4; ++i) assertEq(ChainId.unwrap(registry.chainIdAt(i)), i + 1, "id");
    }
}

/// @notice The development verifier exists only on local chain ids; the Solidity test runner uses 31337.
contract DevelopmentVerifierTest is Test {
    function test_constructor_deploysOnLocalChain() public {
        assertEq(block.chainid, 31337, "runner chain id");
        DevelopmentVerifier v = new DevelopmentVerifier();
        assertTrue(v.IS_DEVELOPMENT_VERIFIER(), "flag");
        UpdatePublicData memory d;
        assertTrue(v.verify(d, ""), "accepts");
    }

    function testFuzz_constructor_revertsOnOtherChains(uint64 chainId) public {
        vm.assume(chainId != 31337 && chainId != 1337 && chainId != 0);
        vm.chainId(chainId);
        vm.expectRevert(
            abi.encodeWithSelector(IDevelopmentVerifier.DevelopmentVerifierNotLocal.selector, uint256(chainId))
        );
        new DevelopmentVerifier();
    }
}

/// @notice Gas of the hot paths, isolated so `.gas-snapshot` tracks them: each test body is a single
///         registry call (data built in memory, no view calls that would warm slots) on a
///         steady-state tree built in setUp.
/// @dev Tree: a path P1 ── P2 ── … ── P8 (depth 1..8) and a separate top-level leaf L. Every chain has
///      one update (at block 10, ack 9) so ring slots are written; the tests run at block 20.
contract ValidiumRegistryGasTest is RegistryTestBase {
    ChainId internal constant LEAF = ChainId.wrap(100);
    ChainId internal constant DEEPEST = ChainId.wrap(8);

    function setUp() public {
        _deploy(16, 16, 0);
        ChainId parent = ChainId.wrap(0);
        for (uint64 i = 1; i <= 8; ++i) {
            _register(_id(i), parent);
            parent = _id(i);
        }
        _register(LEAF, ChainId.wrap(0));
        vm.roll(10);
        for (uint64 i = 1; i <= 8; ++i) _submit(_id(i), 9);
        _submit(LEAF, 9);
        vm.roll(20);
    }

    /// @dev Depth 1, ack moves past the chain's pending commitment: finalizes it.
    function test_submitUpdate_gasDepth1() public {
        UpdatePublicData memory d = _data(LEAF, 20, _rootOf(LEAF, 9, 10), keccak256("leaf"));
        vm.prank(_op(LEAF));
        registry.submitUpdate(d, "");
    }

    /// @dev Depth 8, ack moves past the latest commitment of the chain and all 7 ancestors.
    function test_submitUpdate_gasDepth8() public {
        UpdatePublicData memory d = _data(DEEPEST, 20, _rootOf(DEEPEST, 9, 10), keccak256("deep"));
        vm.prank(_op(DEEPEST));
        registry.submitUpdate(d, "");
    }

    /// @dev Depth 8, same ack as before: no ancestor is touched.
    function test_submitUpdate_gasDepth8SameAck() public {
        UpdatePublicData memory d = _data(DEEPEST, 9, _rootOf(DEEPEST, 9, 10), keccak256("deep-same"));
        vm.prank(_op(DEEPEST));
        registry.submitUpdate(d, "");
    }

    function test_registerChain_gasDepth8() public {
        registry.registerChain(_id(200), _id(7), address(0xB0B), address(verifier), bytes32(uint256(1)));
    }

    function test_setChainStatus_gasFreezeDepth8() public {
        registry.setChainStatus(DEEPEST, IValidiumRegistry.ChainStatus.Frozen);
    }
}
