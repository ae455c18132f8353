// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IRequestQueue} from "../../contracts/interfaces/IRequestQueue.sol";
import {IValidiumRegistry} from "../../contracts/interfaces/IValidiumRegistry.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";
import {UpdatePublicData} from "../../contracts/types/UpdatePublicData.sol";

import {RegistryTestBase} from "./ValidiumRegistry.t.sol";

/// @notice TEST-ONLY queue: `isQueuePoint(c, p, h)` is true exactly for the points set with `setPoint`, and for
///         (0, 0) like the real queue. Records how often it was asked.
contract MockQueuePoints {
    mapping(uint64 => mapping(uint64 => bytes32)) private _points;
    uint256 public asked;

    function setPoint(ChainId chainId, uint64 position, bytes32 hash) external {
        _points[ChainId.unwrap(chainId)][position] = hash;
    }

    function isQueuePoint(ChainId chainId, uint64 position, bytes32 hash) external view returns (bool) {
        if (position == 0) return hash == bytes32(0);
        bytes32 stored = _points[ChainId.unwrap(chainId)][position];
        return stored != bytes32(0) && stored == hash;
    }
}

/// @notice The registry's side of forced operations: binding the request queue once, the queue-point check on
///         every update whatever the verifier (no rewind, moved positions must be queue points), the queue
///         position recorded per commitment, withdrawal roots kept after pruning, `freeze` by the freezer role
///         only, and `operatorSince`.
contract RegistryQueueTest is RegistryTestBase {
    MockQueuePoints internal queue;
    ChainId internal constant A = ChainId.wrap(1);
    ChainId internal constant B = ChainId.wrap(2);

    function setUp() public {
        _deploy(16, 16, 0);
        queue = new MockQueuePoints();
        _register(A, ChainId.wrap(0));
        _register(B, A);
    }

    function _bind() internal {
        registry.bindRequestQueue(IRequestQueue(address(queue)));
    }

    function _point(uint64 position) internal pure returns (bytes32) {
        return keccak256(abi.encode("point", position));
    }

    /// @dev Submits an update of `id` consuming the queue up to `position` with hash `hash`.
    function _submitAt(ChainId id, uint64 position, bytes32 hash, bytes32 wroot) internal returns (uint32) {
        UpdatePublicData memory d = _prepare(id, uint64(block.number));
        d.queuePosition = position;
        d.queueHash = hash;
        d.withdrawalRoot = wroot;
        vm.prank(_op(id));
        return registry.submitUpdate(d, "");
    }

    function test_bindRequestQueue_once() public {
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.RequestQueueBound(address(queue));
        _bind();
        assertEq(address(registry.requestQueue()), address(queue), "bound");
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryQueueAlreadyBound.selector, address(queue)));
        registry.bindRequestQueue(IRequestQueue(address(0xBEEF)));
        assertEq(address(registry.requestQueue()), address(queue), "still bound");
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_bindRequestQueue_zero() public {
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        registry.bindRequestQueue(IRequestQueue(address(0)));
        assertEq(address(registry.requestQueue()), address(0), "unbound");
    }

    function test_bindRequestQueue_nonAdmin() public {
        bytes32 admin = registry.DEFAULT_ADMIN_ROLE();
        vm.prank(STRANGER);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, STRANGER, admin)
        );
        registry.bindRequestQueue(IRequestQueue(address(queue)));
        assertEq(address(registry.requestQueue()), address(0), "unbound");
    }

    function test_submitUpdate_unboundRecordsAnyPosition() public {
        vm.roll(10);
        uint32 i = _submitAt(A, 7, bytes32(uint256(1)), bytes32(0));
        assertEq(registry.queuePosition(A), 7, "recorded");
        assertEq(registry.commitmentQueuePosition(A, i), 7, "per commitment");
    }

    function test_submitUpdate_movedPositionMustBeQueuePoint() public {
        _bind();
        queue.setPoint(A, 3, _point(3));
        vm.roll(10);
        UpdatePublicData memory d = _prepare(A, 10);
        d.queuePosition = 3;
        d.queueHash = _point(4);
        bytes32 before = _fingerprint();
        vm.prank(_op(A));
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryBadQueuePoint.selector, A, 3, _point(4)));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
        assertEq(registry.queuePosition(A), 0, "position unchanged");

        uint32 i = _submitAt(A, 3, _point(3), bytes32(0));
        assertEq(registry.queuePosition(A), 3, "consumed up to 3");
        assertEq(registry.commitmentQueuePosition(A, i), 3, "per commitment");
        assertEq(registry.commitmentQueuePosition(A, 0), 0, "genesis");
    }

    function test_submitUpdate_rewindReverts() public {
        _bind();
        queue.setPoint(A, 2, _point(2));
        queue.setPoint(A, 5, _point(5));
        vm.roll(10);
        _submitAt(A, 5, _point(5), bytes32(0));
        vm.roll(11);
        UpdatePublicData memory d = _prepare(A, 11);
        d.queuePosition = 2;
        d.queueHash = _point(2);
        bytes32 before = _fingerprint();
        vm.prank(_op(A));
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryQueueRewind.selector, A, 5, 2));
        registry.submitUpdate(d, "");
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_submitUpdate_unmovedPositionNeedsNoQueueCall() public {
        _bind();
        queue.setPoint(A, 4, _point(4));
        vm.roll(10);
        _submitAt(A, 4, _point(4), bytes32(0));
        vm.roll(11);
        // The same position with any hash consumes nothing and is accepted.
        uint32 i = _submitAt(A, 4, bytes32(uint256(123)), bytes32(0));
        assertEq(registry.commitmentQueuePosition(A, i), 4, "unchanged position");
    }

    /// @notice Random sequences of positions: accepted exactly when non-decreasing and (when moved) a point.
    function testFuzz_submitUpdate_queuePositions(uint64[6] memory raw, uint8 badMask) public {
        _bind();
        uint64 latest;
        for (uint256 k; k < raw.length; ++k) {
            uint64 pos = uint64(bound(raw[k], 0, 20));
            bool bad = (badMask >> k) & 1 == 1;
            if (pos != 0) queue.setPoint(A, pos, _point(pos));
            vm.roll(block.number + 1);
            UpdatePublicData memory d = _prepare(A, uint64(block.number));
            d.queuePosition = pos;
            d.queueHash = bad ? bytes32(uint256(7)) : (pos == 0 ? bytes32(0) : _point(pos));
            bytes memory expected;
            if (pos < latest) {
                expected = abi.encodeWithSelector(IValidiumRegistry.RegistryQueueRewind.selector, A, latest, pos);
            } else if (pos != latest && bad) {
                expected = abi.encodeWithSelector(
                    IValidiumRegistry.RegistryBadQueuePoint.selector,
                    A,
                    pos,
                    bytes32(uint256(7))
                );
            }
            bytes32 before = _fingerprint();
            vm.prank(_op(A));
            if (expected.length != 0) {
                vm.expectRevert(expected);
                registry.submitUpdate(d, "");
                assertEq(_fingerprint(), before, "state changed");
            } else {
                registry.submitUpdate(d, "");
                latest = pos;
            }
            assertEq(registry.queuePosition(A), latest, "latest position");
        }
    }

    function test_withdrawalRoot_keptAfterPruning() public {
        vm.roll(10);
        uint32 i = _submitAt(B, 0, bytes32(0), bytes32(uint256(0xAB)));
        assertEq(registry.withdrawalRoot(B, i), bytes32(uint256(0xAB)), "recorded");
        assertEq(registry.withdrawalRoot(B, 0), bytes32(0), "genesis has none");
        // B's own later update acknowledges i; with A acknowledging too, i is final; a newer final prunes it.
        for (uint256 k; k < 4; ++k) {
            vm.roll(block.number + 1);
            _submit(A, uint64(block.number));
            _submit(B, uint64(block.number));
        }
        (uint32 fin, ) = registry.finalizedCommitment(B);
        assertGt(fin, i, "i pruned");
        assertEq(registry.withdrawalRoot(B, i), bytes32(uint256(0xAB)), "kept after pruning");
        uint32 last = registry.chain(B).latestIndex;
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownCommitment.selector, B, last + 1));
        registry.withdrawalRoot(B, last + 1);
    }

    function test_commitmentQueuePosition_rejectsPrunedAndFuture() public {
        vm.roll(10);
        _submit(B, 10);
        for (uint256 k; k < 3; ++k) {
            vm.roll(block.number + 1);
            _submit(A, uint64(block.number));
            _submit(B, uint64(block.number));
        }
        (uint32 fin, ) = registry.finalizedCommitment(B);
        assertGt(fin, 0, "genesis pruned");
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownCommitment.selector, B, 0));
        registry.commitmentQueuePosition(B, 0);
        uint32 last = registry.chain(B).latestIndex;
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownCommitment.selector, B, last + 1));
        registry.commitmentQueuePosition(B, last + 1);
    }

    function test_freeze_byFreezerRole() public {
        registry.grantRole(registry.FREEZER_ROLE(), address(this));
        uint32 bBefore = registry.subtreeSize(A);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.ChainStatusChanged(
            B,
            IValidiumRegistry.ChainStatus.Active,
            IValidiumRegistry.ChainStatus.Frozen
        );
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.ChainFrozen(B, address(this));
        registry.freeze(B);
        assertTrue(_status(B) == IValidiumRegistry.ChainStatus.Frozen, "frozen");
        assertEq(registry.subtreeSize(A), bBefore - 1, "left b of its ancestor");
        assertTrue(registry.seats().hasSeat(B), "keeps its seat");
        // A frozen chain accepts no update.
        UpdatePublicData memory d = _prepare(B, uint64(block.number));
        vm.prank(_op(B));
        vm.expectRevert(
            abi.encodeWithSelector(
                IValidiumRegistry.RegistryChainNotActive.selector,
                B,
                IValidiumRegistry.ChainStatus.Frozen
            )
        );
        registry.submitUpdate(d, "");
        // Freezing again is not a status change.
        bytes32 before = _fingerprint();
        vm.expectRevert(
            abi.encodeWithSelector(
                IValidiumRegistry.RegistryInvalidStatusChange.selector,
                B,
                IValidiumRegistry.ChainStatus.Frozen,
                IValidiumRegistry.ChainStatus.Frozen
            )
        );
        registry.freeze(B);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_freeze_withoutRole() public {
        bytes32 role = registry.FREEZER_ROLE();
        bytes32 before = _fingerprint();
        vm.prank(STRANGER);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, STRANGER, role)
        );
        registry.freeze(B);
        // The status role does not include freezing through `freeze`.
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, address(this), role)
        );
        registry.freeze(B);
        assertEq(_fingerprint(), before, "state changed");
    }

    function testFuzz_freeze_hostile(address caller, uint64 rawId) public {
        bytes32 role = registry.FREEZER_ROLE();
        registry.grantRole(role, address(this));
        bytes32 before = _fingerprint();
        if (caller != address(this)) {
            vm.prank(caller);
            vm.expectRevert(
                abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role)
            );
            registry.freeze(ChainId.wrap(rawId));
            assertEq(_fingerprint(), before, "state changed");
            return;
        }
        if (rawId != 1 && rawId != 2) {
            vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, rawId));
            registry.freeze(ChainId.wrap(rawId));
            assertEq(_fingerprint(), before, "state changed");
        }
    }

    function test_operatorSince_setOnAdmissionAndOperatorChange() public {
        assertEq(registry.operatorSince(A), block.timestamp, "admission time");
        registry.grantRole(registry.APPROVER_ROLE(), address(this));
        IValidiumRegistry.SecurityConfig memory sec = registry.securityConfig(A);
        // A change that keeps the operator leaves operatorSince alone.
        sec.codeHash = bytes32(uint256(1));
        vm.warp(block.timestamp + 100);
        _approveAndActivate(A, sec);
        assertEq(registry.operatorSince(A), 1, "unchanged without an operator change");
        sec.operator = address(0x0BE);
        _approveAndActivate(A, sec);
        assertEq(registry.operatorSince(A), block.timestamp, "moved with the operator");
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, ChainId.wrap(9)));
        registry.operatorSince(ChainId.wrap(9));
    }

    function _approveAndActivate(ChainId id, IValidiumRegistry.SecurityConfig memory sec) internal {
        vm.prank(registry.chainGovernance(id));
        bytes32 h = registry.announceSecurityChange(id, sec);
        registry.approveSecurityChange(id, h);
        vm.warp(registry.pendingSecurityChange(id).activatesAt);
        registry.activateSecurityChange(id);
    }
}
