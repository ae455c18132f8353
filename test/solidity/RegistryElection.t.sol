// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IRequestQueue} from "../../contracts/interfaces/IRequestQueue.sol";
import {IValidiumRegistry} from "../../contracts/interfaces/IValidiumRegistry.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";
import {UpdatePublicData} from "../../contracts/types/UpdatePublicData.sol";

import {RegistryTestBase} from "./ValidiumRegistry.t.sol";

/// @notice TEST-ONLY request queue: every `(position, hash)` is a queue point, and `hatchUsed` is settable per chain.
contract MockHatchQueue {
    mapping(uint64 => bool) private _hatch;

    function setHatchUsed(ChainId chainId, bool used) external {
        _hatch[ChainId.unwrap(chainId)] = used;
    }

    function hatchUsed(ChainId chainId) external view returns (bool) {
        return _hatch[ChainId.unwrap(chainId)];
    }

    function isQueuePoint(ChainId, uint64, bytes32) external pure returns (bool) {
        return true;
    }
}

/// @notice The log-recording cheatcodes (standard signatures; not in the shared `Vm` interface), used to show that
///         a call emitted exactly the expected events and no other.
interface IVmLogs {
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function recordLogs() external;

    function getRecordedLogs() external returns (Log[] memory);
}

/// @title RegistryElectionTest
/// @notice Unit and fuzz tests of `ValidiumRegistry.installElectedOperator`, called directly by this contract
///         (which holds ELECTION_ROLE), and of the discard of pending commitments when a chain leaves Active
///         (`setChainStatus`, `freeze`). Invariants checked after every successful election:
///         - an Active chain with pending commitments emits `PendingCommitmentsDiscarded` first, any other
///           (a Frozen one discarded them when it left Active) emits none, and `OperatorElected` comes last;
///         - the chain's latest index equals its finalized index (everything after it is discarded), the
///           finalized index is unchanged, the discarded indices are beyond the latest (their withdrawal roots
///           deleted: a new commitment there without a withdrawal root reads 0), and `queuePosition` is the
///           finalized commitment's;
///         - (a, b) of every live commitment of every chain equal a brute-force recount from the registry's
///           raw facts (status, parent, latest ack, commitment block);
///         - the chain is Active with the elected operator, `operatorSince` = now, no pending security change,
///           stake 0, and the whole former stake is paid to the caller;
///         - every rejection reverts with its exact custom error and leaves every view unchanged.
///         Leaving Active (to Frozen or Ejected) discards the chain's pending commitments before the chain leaves b
///         along its path (latest = finalized, discarded withdrawal roots deleted, `PendingCommitmentsDiscarded`
///         before any finalization and `ChainStatusChanged`): the removal, a descendant's later acknowledgement
///         and the unfreeze finalize nothing of the chain's own; Frozen → Ejected discards nothing more.
///         Also holds the regression test of `relocate` judging a common ancestor of the old and new parent on its
///         final counts (this contract holds RELOCATOR_ROLE there, on a registry of its own).
/// @dev Tree built in setUp (limits: fan-out 8, depth 8, min stake 1 ether):
///        P(1) ── X(2) ── Y(3)
///                   └─── Z(4)
///        L(5)   (a leaf: its own ack alone finalizes, an unchanged ack leaves commitments pending)
///      The current block is 10 after setUp.
contract RegistryElectionTest is RegistryTestBase {
    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    error EthRejected();

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    MockHatchQueue internal queue;
    bool internal _rejectEth;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint96 internal constant MIN_STAKE = 1 ether;
    ChainId internal constant ROOT = ChainId.wrap(0);
    ChainId internal constant P = ChainId.wrap(1);
    ChainId internal constant X = ChainId.wrap(2);
    ChainId internal constant Y = ChainId.wrap(3);
    ChainId internal constant Z = ChainId.wrap(4);
    ChainId internal constant L = ChainId.wrap(5);
    address internal constant ELECTED = address(0xE1EC7ED);

    /*//////////////////////////////////////////////////////////////
                               FUNCTIONS
    //////////////////////////////////////////////////////////////*/

    function setUp() public {
        _deploy(8, 8, MIN_STAKE);
        registry.grantRole(registry.ELECTION_ROLE(), address(this));
        registry.grantRole(registry.FREEZER_ROLE(), address(this));
        queue = new MockHatchQueue();
        _register(P, ROOT);
        _register(X, P);
        _register(Y, X);
        _register(Z, X);
        _register(L, ROOT);
        vm.roll(10);
    }

    /// @dev The slashed stake arrives here, unless `_rejectEth` is set.
    receive() external payable {
        if (_rejectEth) revert EthRejected();
    }

    /* ------------------------------------------------------------------ helpers */

    /// @dev Submits an update of `id` (as its operator) with ack `ack`, queue position `position` and
    ///      withdrawal root `wroot`; returns its index.
    function _submitFull(ChainId id, uint64 ack, uint64 position, bytes32 wroot) internal returns (uint32) {
        UpdatePublicData memory d = _prepare(id, ack);
        d.queuePosition = position;
        d.queueHash = keccak256(abi.encode("queue", position));
        d.withdrawalRoot = wroot;
        vm.prank(_op(id));
        return registry.submitUpdate(d, "");
    }

    function _wroot(ChainId id, uint256 index) internal pure returns (bytes32) {
        return keccak256(abi.encode("withdrawals", ChainId.unwrap(id), index));
    }

    /// @dev Leaf L, one block apart: `finals` + 1 updates acknowledging the current block (each finalizes the
    ///      previous latest), then `pendings` - 1 keeping that ack (they stay pending). Afterwards (pendings ≥ 1)
    ///      finalizedIndex = finals and latestIndex = finals + pendings. Each carries a withdrawal root, and its
    ///      index as queue position.
    function _grow(uint256 finals, uint256 pendings) internal {
        for (uint256 k; k < finals + pendings; ++k) {
            vm.roll(block.number + 1);
            uint64 ack = k <= finals ? uint64(block.number) : registry.chain(L).latestAck;
            uint32 next = registry.chain(L).latestIndex + 1;
            _submitFull(L, ack, next, _wroot(L, next));
        }
    }

    /// @dev `_fingerprint` plus what it does not cover for `id`: pending change, operatorSince, queue position,
    ///      withdrawal roots of every commitment, this contract's balance.
    function _fullFingerprint(ChainId id) internal view returns (bytes32 h) {
        h = keccak256(
            abi.encode(
                _fingerprint(),
                address(this).balance,
                registry.pendingSecurityChange(id),
                registry.operatorSince(id),
                registry.queuePosition(id)
            )
        );
        uint32 last = registry.chain(id).latestIndex;
        for (uint32 j; j <= last; ++j) h = keccak256(abi.encode(h, registry.withdrawalRoot(id, j)));
    }

    function _inSubtree(ChainId w, ChainId u) internal view returns (bool) {
        for (ChainId x = w; ChainId.unwrap(x) != 0; x = registry.chain(x).parent) {
            if (ChainId.unwrap(x) == ChainId.unwrap(u)) return true;
        }
        return false;
    }

    /// @dev (a, b) of every live commitment of every chain against a brute-force recount.
    function _assertBruteForce() internal view {
        uint256 n = registry.chainCount();
        for (uint256 i; i < n; ++i) {
            ChainId u = registry.chainIdAt(i);
            IValidiumRegistry.ChainInfo memory info = registry.chain(u);
            uint256 b;
            for (uint256 k; k < n; ++k) {
                ChainId w = registry.chainIdAt(k);
                if (_status(w) == IValidiumRegistry.ChainStatus.Active && _inSubtree(w, u)) ++b;
            }
            assertEq(info.subtreeSize, b, "b != brute force");
            for (uint32 j = info.finalizedIndex; j <= info.latestIndex; ++j) {
                IValidiumRegistry.CommitmentInfo memory c = registry.commitment(u, j);
                uint256 a;
                for (uint256 k; k < n; ++k) {
                    ChainId w = registry.chainIdAt(k);
                    IValidiumRegistry.ChainInfo memory wi = registry.chain(w);
                    if (
                        wi.status == IValidiumRegistry.ChainStatus.Active &&
                        wi.latestAck > c.blockNumber &&
                        _inSubtree(w, u)
                    ) ++a;
                }
                assertEq(c.a, a, "a != brute force");
                assertEq(c.b, b, "commitment b != brute force");
                if (j > info.finalizedIndex) assertLe(2 * a, b, "pending commitment has a majority");
            }
        }
    }

    /// @dev Elects ELECTED on `id` and checks the common post-conditions; returns (rolledBackTo, slashed).
    function _electAndCheck(ChainId id) internal returns (uint32 rolledBackTo, uint256 slashed) {
        IValidiumRegistry.ChainInfo memory before = registry.chain(id);
        uint256 balance = address(this).balance;
        _vmLogs().recordLogs();
        (rolledBackTo, slashed) = registry.installElectedOperator(id, ELECTED);
        IVmLogs.Log[] memory got = _registryLogs();
        // Only an Active chain can have pending commitments (a Frozen one discarded them when it left Active).
        bool discards = before.latestIndex > before.finalizedIndex;
        assertTrue(!discards || before.status == IValidiumRegistry.ChainStatus.Active, "pending on a Frozen chain");
        assertEq(_countOf(got, IValidiumRegistry.PendingCommitmentsDiscarded.selector), discards ? 1 : 0, "discards");
        if (discards) {
            assertEq(_hash(got[0]), _evDiscarded(id, before.finalizedIndex, before.latestIndex), "discarded first");
        }
        assertEq(
            _hash(got[got.length - 1]),
            _evElected(id, before.operator, before.finalizedIndex, before.latestIndex, before.stake),
            "OperatorElected last"
        );
        IValidiumRegistry.ChainInfo memory info = registry.chain(id);
        assertEq(rolledBackTo, before.finalizedIndex, "rolledBackTo");
        assertEq(slashed, before.stake, "slashed");
        assertEq(address(this).balance, balance + before.stake, "stake paid to the caller");
        assertEq(info.stake, 0, "stake zeroed");
        assertEq(info.latestIndex, before.finalizedIndex, "rolled back to finalized");
        assertEq(info.finalizedIndex, before.finalizedIndex, "finalized index unchanged");
        assertEq(info.operator, ELECTED, "operator");
        assertEq(info.latestAck, before.latestAck, "ack kept");
        assertTrue(info.status == IValidiumRegistry.ChainStatus.Active, "Active");
        assertEq(registry.operatorSince(id), block.timestamp, "operatorSince");
        assertEq(registry.pendingSecurityChange(id).changeHash, bytes32(0), "no pending change");
        _assertBruteForce();
    }

    /* ------------------------------------------------------------------ recorded events */

    function _vmLogs() internal pure returns (IVmLogs) {
        return IVmLogs(address(vm));
    }

    /// @dev The logs recorded since `recordLogs` that the registry emitted (the seats' burn logs left out).
    function _registryLogs() internal returns (IVmLogs.Log[] memory out) {
        IVmLogs.Log[] memory all = _vmLogs().getRecordedLogs();
        uint256 n;
        for (uint256 i; i < all.length; ++i) if (all[i].emitter == address(registry)) ++n;
        out = new IVmLogs.Log[](n);
        n = 0;
        for (uint256 i; i < all.length; ++i) if (all[i].emitter == address(registry)) out[n++] = all[i];
    }

    /// @dev Asserts the registry emitted exactly `expected` (event hashes, `_ev*`), in this order.
    function _assertEvents(IVmLogs.Log[] memory got, bytes32[] memory expected) internal pure {
        assertEq(got.length, expected.length, "number of registry events");
        for (uint256 i; i < expected.length; ++i) assertEq(_hash(got[i]), expected[i], "registry event");
    }

    function _countOf(IVmLogs.Log[] memory got, bytes32 selector) internal pure returns (uint256 n) {
        for (uint256 i; i < got.length; ++i) if (got[i].topics[0] == selector) ++n;
    }

    function _hash(IVmLogs.Log memory log) internal pure returns (bytes32) {
        return keccak256(abi.encode(log.topics, log.data));
    }

    function _topics(bytes32 selector, ChainId id) internal pure returns (bytes32[] memory t) {
        t = new bytes32[](2);
        t[0] = selector;
        t[1] = bytes32(uint256(ChainId.unwrap(id)));
    }

    function _evDiscarded(ChainId id, uint32 fin, uint32 last) internal pure returns (bytes32) {
        bytes32[] memory t = _topics(IValidiumRegistry.PendingCommitmentsDiscarded.selector, id);
        return keccak256(abi.encode(t, abi.encode(fin, last)));
    }

    function _evStatus(
        ChainId id,
        IValidiumRegistry.ChainStatus from,
        IValidiumRegistry.ChainStatus to
    ) internal pure returns (bytes32) {
        bytes32[] memory t = _topics(IValidiumRegistry.ChainStatusChanged.selector, id);
        return keccak256(abi.encode(t, abi.encode(from, to)));
    }

    function _evFinalized(ChainId id, uint32 index) internal pure returns (bytes32) {
        bytes32[] memory t = new bytes32[](3);
        (t[0], t[1], t[2]) = (
            IValidiumRegistry.CommitmentFinalized.selector,
            bytes32(uint256(ChainId.unwrap(id))),
            bytes32(uint256(index))
        );
        return keccak256(abi.encode(t, ""));
    }

    function _evPruned(ChainId id, uint32 from, uint32 to) internal pure returns (bytes32) {
        bytes32[] memory t = _topics(IValidiumRegistry.CommitmentsPruned.selector, id);
        return keccak256(abi.encode(t, abi.encode(from, to)));
    }

    function _evFrozen(ChainId id, address by) internal pure returns (bytes32) {
        bytes32[] memory t = new bytes32[](3);
        (t[0], t[1], t[2]) = (
            IValidiumRegistry.ChainFrozen.selector,
            bytes32(uint256(ChainId.unwrap(id))),
            bytes32(uint256(uint160(by)))
        );
        return keccak256(abi.encode(t, ""));
    }

    /// @dev OperatorElected(id, previous, ELECTED, rolledBackTo, discardedTo, slashed).
    function _evElected(
        ChainId id,
        address previous,
        uint32 rolledBackTo,
        uint32 discardedTo,
        uint256 slashed
    ) internal pure returns (bytes32) {
        bytes32[] memory t = new bytes32[](4);
        (t[0], t[1], t[2], t[3]) = (
            IValidiumRegistry.OperatorElected.selector,
            bytes32(uint256(ChainId.unwrap(id))),
            bytes32(uint256(uint160(previous))),
            bytes32(uint256(uint160(ELECTED)))
        );
        return keccak256(abi.encode(t, abi.encode(rolledBackTo, discardedTo, slashed)));
    }

    function _list(bytes32 e0) internal pure returns (bytes32[] memory list) {
        list = new bytes32[](1);
        list[0] = e0;
    }

    function _list(bytes32 e0, bytes32 e1) internal pure returns (bytes32[] memory list) {
        list = new bytes32[](2);
        (list[0], list[1]) = (e0, e1);
    }

    function _list(bytes32 e0, bytes32 e1, bytes32 e2) internal pure returns (bytes32[] memory list) {
        list = new bytes32[](3);
        (list[0], list[1], list[2]) = (e0, e1, e2);
    }

    function _list(bytes32 e0, bytes32 e1, bytes32 e2, bytes32 e3) internal pure returns (bytes32[] memory list) {
        list = new bytes32[](4);
        (list[0], list[1], list[2], list[3]) = (e0, e1, e2, e3);
    }

    /* ------------------------------------------------------------------ rollback */

    function test_installElectedOperator_nothingToDiscard() public {
        // X commits x1; Y and Z acknowledge it: a = 2, b = 3, final. X's latest is its finalized commitment.
        vm.roll(11);
        _submitFull(X, 0, 0, _wroot(X, 1));
        vm.roll(12);
        _submitFull(Y, 12, 0, bytes32(0));
        _submitFull(Z, 12, 0, bytes32(0));
        assertEq(registry.chain(X).finalizedIndex, 1, "x1 final");
        assertEq(registry.chain(X).latestIndex, 1, "x1 latest");
        (uint32 rolled, ) = _electAndCheck(X);
        assertEq(rolled, 1, "rolled back to x1");
        assertEq(registry.withdrawalRoot(X, 1), _wroot(X, 1), "finalized withdrawal root kept");
        // A chain with its genesis only.
        (rolled, ) = _electAndCheck(P);
        assertEq(rolled, 0, "P rolled back to genesis");
    }

    function test_installElectedOperator_oneDiscarded() public {
        _grow(2, 1);
        IValidiumRegistry.ChainInfo memory before = registry.chain(L);
        assertEq(before.latestIndex, 3, "latest");
        assertEq(before.finalizedIndex, 2, "finalized");
        assertEq(registry.withdrawalRoot(L, 3), _wroot(L, 3), "root before");
        (uint32 rolled, uint256 slashed) = _electAndCheck(L);
        assertEq(rolled, 2, "rolled back to 2");
        assertEq(slashed, MIN_STAKE, "slashed");
        assertEq(registry.withdrawalRoot(L, 2), _wroot(L, 2), "finalized withdrawal root kept");
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownCommitment.selector, L, 3));
        registry.withdrawalRoot(L, 3);
        assertEq(registry.queuePosition(L), 2, "queue position of the finalized commitment");

        // The next commitment gets index 3 again, without a withdrawal root: it reads 0.
        vm.roll(block.number + 1);
        UpdatePublicData memory d = _prepare(L, registry.chain(L).latestAck);
        assertEq(d.prevRoot, registry.commitment(L, 2).root, "builds on the finalized root");
        vm.prank(ELECTED);
        uint32 index = registry.submitUpdate(d, "");
        assertEq(index, 3, "discarded index reused");
        assertEq(registry.withdrawalRoot(L, 3), bytes32(0), "deleted withdrawal root reads 0");
        assertEq(registry.commitment(L, 3).root, d.newRoot, "new root");
        assertEq(registry.commitment(L, 3).blockNumber, block.number, "new block");
        _assertBruteForce();
    }

    function test_installElectedOperator_manyDiscardedAcrossRingWords() public {
        _grow(2, 11); // finalized 2, pending 3..13: ring words 0..3
        assertEq(registry.chain(L).latestIndex, 13, "latest");
        assertEq(registry.chain(L).finalizedIndex, 2, "finalized");
        (uint32 rolled, ) = _electAndCheck(L);
        assertEq(rolled, 2, "rolled back");
        _resubmitAndCheck(3, 13);
    }

    function test_installElectedOperator_acrossRingWrap() public {
        _grow(60, 8); // finalized 60, pending 61..68: the ring wraps at 64
        assertEq(registry.chain(L).latestIndex, 68, "latest");
        assertEq(registry.chain(L).finalizedIndex, 60, "finalized");
        (uint32 rolled, ) = _electAndCheck(L);
        assertEq(rolled, 60, "rolled back");
        assertEq(registry.commitment(L, 60).root, _rootAt60(), "finalized root kept");
        _resubmitAndCheck(61, 68);
        // Past the old window and a full ring: more updates keep matching the recount.
        vm.roll(block.number + 1);
        UpdatePublicData memory d = _prepare(L, uint64(block.number));
        vm.prank(ELECTED);
        assertEq(registry.submitUpdate(d, ""), 69, "next index");
        assertEq(registry.chain(L).finalizedIndex, 68, "finalizes the previous one");
        _assertBruteForce();
    }

    function _rootAt60() internal view returns (bytes32) {
        return registry.commitment(L, 60).root;
    }

    /// @dev After a rollback of L: every discarded index is beyond the latest; new commitments (by the elected
    ///      operator, no withdrawal root, ack kept) get indices `from..to` again and read withdrawal root 0.
    function _resubmitAndCheck(uint32 from, uint32 to) internal {
        for (uint32 j = from; j <= to; ++j) {
            vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownCommitment.selector, L, j));
            registry.withdrawalRoot(L, j);
        }
        for (uint32 j = from; j <= to; ++j) {
            vm.roll(block.number + 1);
            UpdatePublicData memory d = _prepare(L, registry.chain(L).latestAck);
            d.newRoot = keccak256(abi.encode("after election", j));
            vm.prank(ELECTED);
            assertEq(registry.submitUpdate(d, ""), j, "discarded index reused");
            assertEq(registry.withdrawalRoot(L, j), bytes32(0), "deleted withdrawal root reads 0");
            assertEq(registry.commitment(L, j).root, d.newRoot, "new root");
        }
        _assertBruteForce();
    }

    function test_installElectedOperator_queuePositionIsFinalizedOne() public {
        registry.bindRequestQueue(IRequestQueue(address(queue)));
        _grow(3, 6); // finalized 3 (position 3), pending 4..9 (positions 4..9)
        uint64 finPos = registry.commitmentQueuePosition(L, 3);
        assertEq(finPos, 3, "finalized position");
        assertEq(registry.queuePosition(L), 9, "latest position before");
        _electAndCheck(L);
        assertEq(registry.queuePosition(L), finPos, "queue position rolled back");
        assertEq(registry.commitmentQueuePosition(L, 3), finPos, "finalized commitment position");
        // A position below the discarded ones (but not below the finalized one) is no rewind any more.
        vm.roll(block.number + 1);
        UpdatePublicData memory d = _prepare(L, registry.chain(L).latestAck);
        d.queuePosition = 5;
        d.queueHash = keccak256("p5");
        vm.prank(ELECTED);
        assertEq(registry.submitUpdate(d, ""), 4, "index 4 again");
        assertEq(registry.queuePosition(L), 5, "new position");
        // Below the finalized one is still a rewind.
        vm.roll(block.number + 1);
        d = _prepare(L, registry.chain(L).latestAck);
        d.queuePosition = 2;
        vm.prank(ELECTED);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryQueueRewind.selector, L, 5, 2));
        registry.submitUpdate(d, "");
    }

    /// @dev X has children Y, Z. X commits x1 (block 11, withdrawal root) and x2 (block 12, ack 12: X acknowledges
    ///      x1), so a(x1) = 1, b(X) = 3: both pending.
    function _pendingOnX() internal {
        vm.roll(11);
        _submitFull(X, 11, 0, _wroot(X, 1));
        vm.roll(12);
        _submitFull(X, 12, 0, _wroot(X, 2));
        assertEq(registry.chain(X).finalizedIndex, 0, "x1, x2 pending");
        _assertAcceptance(X, 1, 1, 3);
        _assertAcceptance(X, 2, 0, 3);
    }

    /// @dev After `_pendingOnX`, X leaves Active (`viaQueue`: the freezer's `freeze`, else `setChainStatus`):
    ///      exactly PendingCommitmentsDiscarded(X, 0, 2), ChainStatusChanged(X, Active, Frozen) (and ChainFrozen),
    ///      nothing finalized (P has only its genesis). X is back on its genesis, block restored, x1 and x2 gone.
    function _freezePendingX(bool viaQueue) internal {
        IValidiumRegistry.CommitmentInfo memory genesis = registry.commitment(X, 0);
        _vmLogs().recordLogs();
        if (viaQueue) registry.freeze(X);
        else registry.setChainStatus(X, IValidiumRegistry.ChainStatus.Frozen);
        bytes32 discarded = _evDiscarded(X, 0, 2);
        bytes32 changed = _evStatus(X, IValidiumRegistry.ChainStatus.Active, IValidiumRegistry.ChainStatus.Frozen);
        _assertEvents(
            _registryLogs(),
            viaQueue ? _list(discarded, changed, _evFrozen(X, address(this))) : _list(discarded, changed)
        );
        IValidiumRegistry.ChainInfo memory info = registry.chain(X);
        assertEq(info.latestIndex, 0, "latest = finalized");
        assertEq(info.finalizedIndex, 0, "finalized unchanged");
        assertEq(registry.commitment(X, 0).blockNumber, genesis.blockNumber, "finalized block restored");
        assertEq(registry.commitment(X, 0).root, genesis.root, "finalized root kept");
        for (uint32 j = 1; j <= 2; ++j) {
            vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownCommitment.selector, X, j));
            registry.withdrawalRoot(X, j);
            vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownCommitment.selector, X, j));
            registry.commitment(X, j);
        }
        // b(X) = 2 (Y, Z; X left), and X's ack 12 no longer counts: a(genesis) = 0 (Y and Z ack 0).
        _assertAcceptance(X, 0, 0, 2);
        assertEq(registry.chain(P).subtreeSize, 3, "b(P) without X");
        _assertBruteForce();
    }

    /// @dev `_pendingOnX`, then frozen (by the status role), then Y acknowledges everything of X (block 13).
    ///      Under the old rule x1 survived the freeze and this acknowledgement (a = 1 of b = 2) plus the unfreeze
    ///      (a = 2 of b = 3: X, Y) finalized it, though X's hatch may have paid out meanwhile.
    function _pendingOnFrozenX() internal {
        _pendingOnX();
        _freezePendingX(false);
        vm.roll(13);
        _vmLogs().recordLogs();
        _submitFull(Y, 13, 0, bytes32(0));
        IVmLogs.Log[] memory got = _registryLogs();
        assertEq(got.length, 1, "only UpdateSubmitted: nothing finalized on the frozen chain");
        assertEq(got[0].topics[0], IValidiumRegistry.UpdateSubmitted.selector, "UpdateSubmitted");
        assertEq(registry.chain(X).finalizedIndex, 0, "nothing final while frozen");
        assertEq(registry.chain(X).latestIndex, 0, "nothing pending while frozen");
        _assertAcceptance(X, 0, 1, 2); // Y (ack 13) acknowledges X's genesis; Z (ack 0) does not
        _assertBruteForce();
    }

    function test_setChainStatus_freezeDiscardsPending() public {
        _pendingOnFrozenX();
        // The unfreeze finalizes nothing of X's own (nothing is pending) and re-adds X (ack 12) to b and a.
        _vmLogs().recordLogs();
        registry.setChainStatus(X, IValidiumRegistry.ChainStatus.Active);
        _assertEvents(
            _registryLogs(),
            _list(_evStatus(X, IValidiumRegistry.ChainStatus.Frozen, IValidiumRegistry.ChainStatus.Active))
        );
        assertEq(registry.chain(X).finalizedIndex, 0, "unfreezing finalizes no discarded commitment");
        assertEq(registry.chain(X).latestIndex, 0, "latest is genesis");
        _assertAcceptance(X, 0, 2, 3);
        _assertBruteForce();
        // The discarded index 1 is reused; without a withdrawal root it reads 0 (the discarded root was deleted).
        vm.roll(14);
        assertEq(_submitFull(X, 12, 0, bytes32(0)), 1, "index 1 reused");
        assertEq(registry.withdrawalRoot(X, 1), bytes32(0), "deleted withdrawal root reads 0");
        _assertBruteForce();
    }

    function test_freeze_discardsPending() public {
        _pendingOnX();
        _freezePendingX(true);
        // Frozen → Ejected discards nothing more.
        _vmLogs().recordLogs();
        registry.setChainStatus(X, IValidiumRegistry.ChainStatus.Ejected);
        _assertEvents(
            _registryLogs(),
            _list(_evStatus(X, IValidiumRegistry.ChainStatus.Frozen, IValidiumRegistry.ChainStatus.Ejected))
        );
        assertEq(registry.chain(X).latestIndex, 0, "latest");
        _assertBruteForce();
    }

    /// @dev L: finalized 2, pending 3..5 (each with a withdrawal root). Ejecting it (Active → Ejected) discards them
    ///      first; its finalized commitment keeps its block, root and withdrawal root. L is top level, so the
    ///      removal finalizes nothing: exactly PendingCommitmentsDiscarded(L, 2, 5), ChainStatusChanged.
    function test_setChainStatus_ejectDiscardsPending() public {
        _grow(2, 3);
        IValidiumRegistry.CommitmentInfo memory fin = registry.commitment(L, 2);
        assertEq(registry.chain(L).latestIndex, 5, "latest before");
        _vmLogs().recordLogs();
        registry.setChainStatus(L, IValidiumRegistry.ChainStatus.Ejected);
        _assertEvents(
            _registryLogs(),
            _list(
                _evDiscarded(L, 2, 5),
                _evStatus(L, IValidiumRegistry.ChainStatus.Active, IValidiumRegistry.ChainStatus.Ejected)
            )
        );
        IValidiumRegistry.ChainInfo memory info = registry.chain(L);
        assertEq(info.latestIndex, 2, "latest = finalized");
        assertEq(info.finalizedIndex, 2, "finalized unchanged");
        (uint32 latestIndex, IValidiumRegistry.CommitmentInfo memory latest) = registry.latestCommitment(L);
        assertEq(latestIndex, 2, "latestCommitment index");
        assertEq(latest.blockNumber, fin.blockNumber, "finalized block restored");
        assertEq(latest.root, fin.root, "finalized root");
        assertTrue(latest.status == IValidiumRegistry.CommitmentStatus.Finalized, "Finalized");
        assertEq(registry.withdrawalRoot(L, 2), _wroot(L, 2), "finalized withdrawal root kept");
        for (uint32 j = 3; j <= 5; ++j) {
            vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownCommitment.selector, L, j));
            registry.withdrawalRoot(L, j);
        }
        _assertAcceptance(L, 2, 0, 0); // L is not Active: b = 0, a = 0
        _assertBruteForce();
    }

    /// @dev P: p1 (block 12, ack 0), p2 (block 13, P acknowledges p1); X: x1 (block 11, ack 0); Y acknowledges at 13:
    ///      a(p1) = 2 (P, Y), b(P) = 4; a(x1) = 1 (Y), b(X) = 3. Freezing X (ack 0: no a moves) discards x1 first,
    ///      then b(P) = 3 finalizes p1 (an ancestor still may): exactly PendingCommitmentsDiscarded(X, 0, 1),
    ///      CommitmentFinalized(P, 1), CommitmentsPruned(P, 0, 1), ChainStatusChanged(X, Active, Frozen).
    function test_setChainStatus_freezeDiscardsBeforeAncestorFinalizes() public {
        vm.roll(11);
        _submitFull(X, 0, 0, _wroot(X, 1));
        vm.roll(12);
        _submitFull(P, 0, 0, bytes32(0));
        vm.roll(13);
        _submitFull(P, 13, 0, bytes32(0));
        _submitFull(Y, 13, 0, bytes32(0));
        _assertAcceptance(P, 1, 2, 4);
        _assertAcceptance(X, 1, 1, 3);
        _vmLogs().recordLogs();
        registry.setChainStatus(X, IValidiumRegistry.ChainStatus.Frozen);
        _assertEvents(
            _registryLogs(),
            _list(
                _evDiscarded(X, 0, 1),
                _evFinalized(P, 1),
                _evPruned(P, 0, 1),
                _evStatus(X, IValidiumRegistry.ChainStatus.Active, IValidiumRegistry.ChainStatus.Frozen)
            )
        );
        assertEq(registry.chain(P).finalizedIndex, 1, "p1 final");
        assertEq(registry.chain(X).latestIndex, 0, "x1 discarded");
        assertEq(registry.chain(X).finalizedIndex, 0, "X finalized unchanged");
        _assertBruteForce();
    }

    function test_installElectedOperator_frozenDiscardsNothingMore() public {
        _pendingOnFrozenX();
        uint32 bP = registry.chain(P).subtreeSize;
        assertEq(bP, 3, "b(P) without X");
        // `_electAndCheck` asserts no PendingCommitmentsDiscarded; the unfreeze comes before OperatorElected.
        _vmLogs().recordLogs();
        (uint32 rolled, ) = registry.installElectedOperator(X, ELECTED);
        _assertEvents(
            _registryLogs(),
            _list(
                _evStatus(X, IValidiumRegistry.ChainStatus.Frozen, IValidiumRegistry.ChainStatus.Active),
                _evElected(X, _op(X), 0, 0, MIN_STAKE)
            )
        );
        assertEq(rolled, 0, "rolled back to genesis (at the freeze)");
        assertEq(registry.chain(X).finalizedIndex, 0, "no discarded commitment finalized");
        assertEq(registry.chain(X).latestIndex, 0, "latest is genesis");
        assertEq(registry.chain(X).subtreeSize, 3, "b(X) restored");
        assertEq(registry.chain(P).subtreeSize, bP + 1, "b(P) restored");
        _assertAcceptance(X, 0, 2, 3); // X (ack 12) and Y (ack 13) acknowledge genesis; Z (ack 0) does not
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownCommitment.selector, X, 1));
        registry.withdrawalRoot(X, 1);
        _assertBruteForce();
        // A second election on the now Active chain, with nothing pending: nothing discarded, nothing slashed.
        (rolled, ) = _electAndCheck(X);
        assertEq(rolled, 0, "still genesis");
    }

    /// @dev P commits p1 (block 11); X commits x1 acknowledging p1 (ack 12); X and Z are frozen; P acknowledges p1:
    ///      b(P) = 2 (P, Y), a(p1) = 1 (P), pending. The freeze discarded x1; electing X unfreezes X, whose ack 12
    ///      counts again: b(P) = 3, a(p1) = 2, so p1 becomes final (an ancestor may finalize; X itself has nothing
    ///      pending).
    function test_installElectedOperator_unfreezeFinalizesAncestor() public {
        vm.roll(11);
        _submitFull(P, 0, 0, bytes32(0));
        vm.roll(12);
        _submitFull(X, 12, 0, _wroot(X, 1));
        registry.freeze(X);
        registry.freeze(Z);
        vm.roll(13);
        _submitFull(P, 13, 0, bytes32(0));
        assertEq(registry.chain(P).finalizedIndex, 0, "p1 pending");
        _assertAcceptance(P, 1, 1, 2);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.CommitmentFinalized(P, 1);
        registry.installElectedOperator(X, ELECTED);
        assertEq(registry.chain(P).finalizedIndex, 1, "p1 final");
        assertEq(registry.chain(X).latestIndex, 0, "x1 discarded");
        assertEq(registry.chain(X).finalizedIndex, 0, "X finalized unchanged");
        assertEq(registry.chain(P).subtreeSize, 3, "b(P)");
        _assertBruteForce();
    }

    /* ------------------------------------------------------------------ hatch, stake, pending change */

    function test_installElectedOperator_hatchUsedReverts() public {
        registry.bindRequestQueue(IRequestQueue(address(queue)));
        _pendingOnFrozenX(); // x1, x2 were discarded by the freeze, before the hatch could pay
        queue.setHatchUsed(X, true);
        bytes32 before = _fullFingerprint(X);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryHatchUsed.selector, X));
        registry.installElectedOperator(X, ELECTED);
        assertEq(_fullFingerprint(X), before, "state changed");
        assertTrue(_status(X) == IValidiumRegistry.ChainStatus.Frozen, "still Frozen");
        assertEq(registry.chain(X).operator, _op(X), "operator kept");
        assertEq(registry.chain(X).latestIndex, 0, "final state: the finalized genesis");
        assertEq(registry.chain(X).finalizedIndex, 0, "finalized unchanged");
        _assertBruteForce();
    }

    function test_installElectedOperator_hatchUsedIgnoredWhenActive() public {
        registry.bindRequestQueue(IRequestQueue(address(queue)));
        queue.setHatchUsed(L, true);
        _grow(1, 2);
        _electAndCheck(L);
    }

    function test_setChainStatus_hatchUsedReverts() public {
        registry.bindRequestQueue(IRequestQueue(address(queue)));
        registry.freeze(L);
        queue.setHatchUsed(L, true);
        bytes32 before = _fullFingerprint(L);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryHatchUsed.selector, L));
        registry.setChainStatus(L, IValidiumRegistry.ChainStatus.Active);
        assertEq(_fullFingerprint(L), before, "state changed");
        // Ejecting stays possible; an unused hatch lets another chain come back.
        registry.freeze(Y);
        registry.setChainStatus(Y, IValidiumRegistry.ChainStatus.Active);
        registry.setChainStatus(L, IValidiumRegistry.ChainStatus.Ejected);
        assertTrue(_status(L) == IValidiumRegistry.ChainStatus.Ejected, "ejected");
    }

    function test_installElectedOperator_secondElectionSlashesNothing() public {
        _electAndCheck(L);
        uint256 balance = address(this).balance;
        (, uint256 slashed) = _electAndCheck(L);
        assertEq(slashed, 0, "nothing left to slash");
        assertEq(address(this).balance, balance, "no transfer");
    }

    function test_installElectedOperator_callerRejectsEth() public {
        _grow(1, 5);
        _rejectEth = true;
        bytes32 before = _fullFingerprint(L);
        vm.expectRevert(
            abi.encodeWithSelector(IValidiumRegistry.RegistryTransferFailed.selector, address(this), MIN_STAKE)
        );
        registry.installElectedOperator(L, ELECTED);
        assertEq(_fullFingerprint(L), before, "state changed");
        assertEq(registry.chain(L).latestIndex, 6, "not rolled back");
    }

    function test_installElectedOperator_dropsPendingChange() public {
        IValidiumRegistry.SecurityConfig memory sec = registry.securityConfig(L);
        sec.operator = address(0x1234);
        vm.prank(_op(L));
        bytes32 changeHash = registry.announceSecurityChange(L, sec);
        registry.grantRole(registry.APPROVER_ROLE(), address(this));
        registry.approveSecurityChange(L, changeHash);
        address previous = _op(L);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.SecurityChangeCancelled(L, changeHash);
        vm.expectEmit(address(registry));
        emit IValidiumRegistry.OperatorElected(L, previous, ELECTED, 0, 0, MIN_STAKE);
        registry.installElectedOperator(L, ELECTED);
        assertEq(registry.pendingSecurityChange(L).changeHash, bytes32(0), "no pending change");
        vm.warp(block.timestamp + 30 days);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryNoPendingChange.selector, L));
        registry.activateSecurityChange(L);
        assertEq(registry.chain(L).operator, ELECTED, "elected operator stays");
    }

    function test_installElectedOperator_restartsOperatorSince() public {
        vm.warp(block.timestamp + 5 days);
        _electAndCheck(L);
        assertEq(registry.operatorSince(L), block.timestamp, "now");
        // The previous operator can no longer submit.
        UpdatePublicData memory d = _prepare(L, 0);
        vm.prank(_op(L));
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryNotOperator.selector, L, _op(L)));
        registry.submitUpdate(d, "");
    }

    /* ------------------------------------------------------------------ rejections */

    function test_installElectedOperator_noRole() public {
        bytes32 role = registry.ELECTION_ROLE();
        bytes32 before = _fullFingerprint(L);
        vm.prank(STRANGER);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, STRANGER, role)
        );
        registry.installElectedOperator(L, ELECTED);
        assertEq(_fullFingerprint(L), before, "state changed");
    }

    function test_installElectedOperator_zeroOperator() public {
        _grow(1, 2);
        bytes32 before = _fullFingerprint(L);
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        registry.installElectedOperator(L, address(0));
        assertEq(_fullFingerprint(L), before, "state changed");
        // Zero operator is checked before the chain.
        vm.expectRevert(IValidiumRegistry.RegistryZeroAddress.selector);
        registry.installElectedOperator(_id(99), address(0));
    }

    function test_installElectedOperator_unknownChain() public {
        bytes32 before = _fingerprint();
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, _id(99)));
        registry.installElectedOperator(_id(99), ELECTED);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, ROOT));
        registry.installElectedOperator(ROOT, ELECTED);
        assertEq(_fingerprint(), before, "state changed");
    }

    function test_installElectedOperator_ejectedChain() public {
        _grow(1, 2);
        registry.setChainStatus(L, IValidiumRegistry.ChainStatus.Ejected);
        bytes32 before = _fullFingerprint(L);
        vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryNotMember.selector, L));
        registry.installElectedOperator(L, ELECTED);
        assertEq(_fullFingerprint(L), before, "state changed");
    }

    /* ------------------------------------------------------------------ relocation regression */

    /// @dev Regression (a registry bug, fixed): on a registry of its own (limits fan-out 3, depth 3, min stake 0):
    ///        A(1) ── B(2) ── C(3)
    ///           └─── E(4)
    ///      Block 10: A submits c1 (ack 0). Block 11: A and B acknowledge it (ack 11): a(c1) = 2, b(A) = 4, pending.
    ///      Moving C (ack 0) from B to A once judged A between the old-path removal and the new-path addition, on
    ///      b(A) = 3, and finalized c1 (2·2 > 3). A is an ancestor before and after: its counts end where they
    ///      were, a(c1) = 2 and b(A) = 4, so c1 must stay pending and the move emits only ChainRelocated.
    function test_relocate_commonAncestorJudgedOnFinalCounts() public {
        (ChainId a, ChainId b, ChainId c, ChainId e) = (_id(1), _id(2), _id(3), _id(4));
        _deploy(3, 3, 0);
        registry.grantRole(registry.RELOCATOR_ROLE(), address(this));
        _register(a, ROOT);
        _register(b, a);
        _register(c, b);
        _register(e, a);
        vm.roll(10);
        assertEq(_submit(a, 0), 1, "c1");
        vm.roll(11);
        _submit(a, 11);
        _submit(b, 11);
        assertEq(registry.chain(a).finalizedIndex, 0, "c1 pending before");
        _assertAcceptance(a, 1, 2, 4);
        _assertBruteForce();

        ChainId[] memory list = new ChainId[](1);
        list[0] = c;
        IVmLogs logs = IVmLogs(address(vm));
        logs.recordLogs();
        registry.relocate(c, a, list, new uint256[](1));
        IVmLogs.Log[] memory got = logs.getRecordedLogs();
        assertEq(got.length, 1, "one event: no CommitmentFinalized, no CommitmentsPruned");
        assertEq(got[0].emitter, address(registry), "emitter");
        assertEq(got[0].topics.length, 4, "topics");
        assertEq(got[0].topics[0], IValidiumRegistry.ChainRelocated.selector, "ChainRelocated");
        assertEq(got[0].topics[1], bytes32(uint256(ChainId.unwrap(c))), "chainId");
        assertEq(got[0].topics[2], bytes32(uint256(ChainId.unwrap(b))), "from");
        assertEq(got[0].topics[3], bytes32(uint256(ChainId.unwrap(a))), "to");
        assertEq(got[0].data, abi.encode(uint32(1), uint32(1)), "size, active");

        IValidiumRegistry.ChainInfo memory info = registry.chain(a);
        assertEq(info.finalizedIndex, 0, "c1 not finalized");
        assertEq(info.latestIndex, 2, "A's latest");
        assertEq(info.subtreeSize, 4, "b(A)");
        assertEq(info.childCount, 3, "A's children");
        _assertAcceptance(a, 1, 2, 4);
        assertEq(ChainId.unwrap(registry.chain(c).parent), ChainId.unwrap(a), "C under A");
        assertEq(registry.chain(c).depth, 2, "C's depth");
        assertEq(registry.chain(b).subtreeSize, 1, "b(B)");
        _assertBruteForce();
    }

    /* ------------------------------------------------------------------ fuzz */

    /// @dev Hostile inputs: any chain id (known ones, 0, random), any operator (0 included), any number of
    ///      pending commitments on the chain (0..63), any prior status; the outcome is predicted.
    function testFuzz_installElectedOperator_hostileInputs(
        uint64 rawId,
        address operator,
        uint256 pendingSeed,
        uint8 statusSeed
    ) public {
        ChainId id = rawId % 4 == 0 ? _id(rawId) : _id(1 + (rawId % 5));
        uint256 pendings = bound(pendingSeed, 0, 63);
        ChainId grower = ChainId.unwrap(id) >= 1 && ChainId.unwrap(id) <= 5 ? id : L;
        for (uint256 k; k < pendings; ++k) {
            vm.roll(block.number + 1);
            _submitFull(grower, uint64(block.number - 1), uint64(k), _wroot(grower, k + 1));
        }
        bool known = ChainId.unwrap(id) >= 1 && ChainId.unwrap(id) <= 5;
        if (known && statusSeed % 4 == 1) registry.freeze(id);
        if (known && statusSeed % 4 == 2) registry.setChainStatus(id, IValidiumRegistry.ChainStatus.Ejected);
        if (known && _status(id) != IValidiumRegistry.ChainStatus.Active) {
            assertEq(registry.chain(id).latestIndex, registry.chain(id).finalizedIndex, "left Active: discarded");
        }
        _assertBruteForce();

        bytes memory expected;
        if (operator == address(0)) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryZeroAddress.selector);
        } else if (!known) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownChain.selector, id);
        } else if (_status(id) == IValidiumRegistry.ChainStatus.Ejected) {
            expected = abi.encodeWithSelector(IValidiumRegistry.RegistryNotMember.selector, id);
        }
        if (expected.length != 0) {
            bytes32 before = _fingerprint();
            vm.expectRevert(expected);
            registry.installElectedOperator(id, operator);
            assertEq(_fingerprint(), before, "state changed");
            return;
        }
        IValidiumRegistry.ChainInfo memory info = registry.chain(id);
        uint256 balance = address(this).balance;
        (uint32 rolled, uint256 slashed) = registry.installElectedOperator(id, operator);
        assertEq(rolled, info.finalizedIndex, "rolledBackTo");
        assertEq(slashed, info.stake, "slashed");
        assertEq(address(this).balance, balance + slashed, "paid");
        IValidiumRegistry.ChainInfo memory afterInfo = registry.chain(id);
        assertEq(afterInfo.latestIndex, info.finalizedIndex, "rolled back");
        assertEq(afterInfo.finalizedIndex, info.finalizedIndex, "finalized unchanged");
        assertEq(afterInfo.operator, operator, "operator");
        assertTrue(afterInfo.status == IValidiumRegistry.ChainStatus.Active, "Active");
        for (uint32 j = info.finalizedIndex + 1; j <= info.latestIndex; ++j) {
            vm.expectRevert(abi.encodeWithSelector(IValidiumRegistry.RegistryUnknownCommitment.selector, id, j));
            registry.withdrawalRoot(id, j);
        }
        _assertBruteForce();
    }
}
