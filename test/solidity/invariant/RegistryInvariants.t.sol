// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IValidiumRegistry} from "../../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../../contracts/registry/ValidiumRegistry.sol";
import {ChainId} from "../../../contracts/types/ChainId.sol";

import {Test} from "../utils/Test.sol";
import {AcceptingVerifier} from "../utils/Verifiers.sol";
import {RegistryHandler} from "./RegistryHandler.sol";

/// @title RegistryInvariants
/// @notice Stateful fuzzing of the registry through RegistryHandler (≤ 24 chains, depth ≤ 8, fan-out ≤ 3;
///         registrations, updates, status changes that discard pending commitments on leaving Active,
///         emergency elections with rollbacks, subtree relocations):
///         after every call of every run, the registry's views are checked against a brute-force recount
///         from the handler's ghost state. Elections keep the finalized index (they roll back to it), so
///         invariants (2) and (6) hold across rollbacks; relocations reset the subtree's acks to 0 in the
///         ghost, from which (1) and (4) recount a and b on both the old and the new path.
contract RegistryInvariantsTest is Test {
    ValidiumRegistry internal registry;
    RegistryHandler internal handler;

    function setUp() public {
        handler = new RegistryHandler(address(new AcceptingVerifier()));
        registry = handler.registry();
        // Only the handler's actions are called; its view functions (ghost state) are not fuzzed.
        targetContract(address(handler));
    }

    /// @notice (1) a(c) of every live commitment (finalized one included) equals the number of Active
    ///         chains in subtree(u) whose latest ack is later than c's block; blocks and roots match.
    function invariant_acceptanceMatchesBruteForce() public view {
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            uint64 u = ids[i];
            IValidiumRegistry.ChainInfo memory info = registry.chain(ChainId.wrap(u));
            uint64[] memory acks = handler.activeAcksInSubtree(u);
            uint64[] memory blocks = handler.commitmentBlocks(u);
            bytes32[] memory roots = handler.commitmentRoots(u);
            assertEq(info.latestIndex, blocks.length - 1, "latest index");
            for (uint32 j = info.finalizedIndex; j <= info.latestIndex; ++j) {
                IValidiumRegistry.CommitmentInfo memory c = registry.commitment(ChainId.wrap(u), j);
                assertEq(c.a, handler.countAbove(acks, blocks[j]), "a(c) != brute force");
                assertEq(c.blockNumber, blocks[j], "commitment block");
                assertEq(c.root, roots[j], "commitment root");
            }
        }
    }

    /// @notice (2) A chain's finalized index never decreases (checked by the handler after every action,
    ///         and here against the highest value seen).
    function invariant_finalizedIndexNeverDecreases() public view {
        assertEq(handler.finalizedDecreases(), 0, "finalized index decreased");
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            uint64 u = ids[i];
            assertGe(
                registry.chain(ChainId.wrap(u)).finalizedIndex,
                handler.ghostMaxFinalizedSeen(u),
                "finalized below the highest seen"
            );
        }
    }

    /// @notice (3) The finalized commitment reports Finalized (never Pruned) and every index below it
    ///         reports Pruned with no data and (a, b) = (0, b); at most MAX_PENDING commitments are pending.
    function invariant_prunedBelowFinalized() public view {
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            ChainId u = ChainId.wrap(ids[i]);
            IValidiumRegistry.ChainInfo memory info = registry.chain(u);
            (uint32 finIndex, IValidiumRegistry.CommitmentInfo memory fin) = registry.finalizedCommitment(u);
            assertEq(finIndex, info.finalizedIndex, "finalizedCommitment index");
            assertTrue(fin.status == IValidiumRegistry.CommitmentStatus.Finalized, "finalized is not Finalized");
            assertLe(info.latestIndex - info.finalizedIndex, registry.MAX_PENDING(), "too many pending");
            for (uint32 j; j < info.finalizedIndex; ++j) {
                IValidiumRegistry.CommitmentInfo memory c = registry.commitment(u, j);
                assertTrue(c.status == IValidiumRegistry.CommitmentStatus.Pruned, "below finalized is not Pruned");
                assertEq(c.root, bytes32(0), "pruned root");
                assertEq(c.blockNumber, 0, "pruned block");
                assertEq(c.a, 0, "pruned a");
                (uint32 a, uint32 b) = registry.acceptance(u, j);
                assertEq(a, 0, "pruned acceptance a");
                assertEq(b, info.subtreeSize, "pruned acceptance b");
            }
        }
    }

    /// @notice (4) b(u) equals the number of Active chains in subtree(u), u included, in every view.
    function invariant_subtreeSizeMatchesBruteForce() public view {
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            ChainId u = ChainId.wrap(ids[i]);
            uint256 expected = handler.activeAcksInSubtree(ids[i]).length;
            assertEq(registry.subtreeSize(u), expected, "b(u) != brute force");
            assertEq(registry.chain(u).subtreeSize, expected, "chain().subtreeSize");
            (, IValidiumRegistry.CommitmentInfo memory latest) = registry.latestCommitment(u);
            assertEq(latest.b, expected, "commitment b");
        }
    }

    /// @notice (5) Every pending commitment (index above the finalized one) reports Pending and has
    ///         2·a ≤ b: a majority is always finalized at once.
    function invariant_pendingHasNoMajority() public view {
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            ChainId u = ChainId.wrap(ids[i]);
            IValidiumRegistry.ChainInfo memory info = registry.chain(u);
            for (uint32 j = info.finalizedIndex + 1; j <= info.latestIndex; ++j) {
                IValidiumRegistry.CommitmentInfo memory c = registry.commitment(u, j);
                assertTrue(c.status == IValidiumRegistry.CommitmentStatus.Pending, "above finalized is not Pending");
                assertLe(2 * uint256(c.a), c.b, "pending commitment has a majority");
            }
        }
    }

    /// @notice (6) The finalized index is exactly the newest commitment that ever had a brute-force
    ///         majority (2·a > b) after some action: finality is neither late nor early.
    function invariant_finalizedIsNewestMajority() public view {
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            assertEq(
                registry.chain(ChainId.wrap(ids[i])).finalizedIndex,
                handler.ghostNewestMajority(ids[i]),
                "finalized != newest majority"
            );
        }
    }

    /// @notice (7) Chain enumeration and every chain's fields (parent, operator, status, depth, children,
    ///         ack, latest index, ancestors) match the ghost.
    function invariant_chainViewsMatchGhost() public view {
        uint64[] memory ids = handler.chainIds();
        assertEq(registry.chainCount(), ids.length, "chainCount");
        for (uint256 i; i < ids.length; ++i) {
            uint64 u = ids[i];
            assertEq(ChainId.unwrap(registry.chainIdAt(i)), u, "chainIdAt");
            IValidiumRegistry.ChainInfo memory info = registry.chain(ChainId.wrap(u));
            assertEq(ChainId.unwrap(info.parent), handler.ghostParent(u), "parent");
            assertEq(info.operator, handler.operatorOf(u), "operator");
            assertEq(uint8(info.status), handler.ghostStatus(u), "status");
            assertEq(info.depth, handler.ghostDepth(u), "depth");
            assertEq(info.childCount, handler.ghostChildCount(u), "childCount");
            assertEq(info.latestAck, handler.ghostAck(u), "latestAck");
            ChainId[] memory path = registry.ancestors(ChainId.wrap(u));
            assertEq(path.length + 1, info.depth, "ancestors length");
            uint64 x = handler.ghostParent(u);
            for (uint256 k; k < path.length; ++k) {
                assertEq(ChainId.unwrap(path[k]), x, "ancestor");
                x = handler.ghostParent(x);
            }
            assertEq(x, 0, "ancestors end at the settlement chain");
        }
    }

    /// @notice (9) A chain that is not Active (Frozen or Ejected) never accepts an update: the handler predicts
    ///         `RegistryChainNotActive` for every update of such a chain (by its operator), so an accepted one is
    ///         an unexpected outcome (also caught by (8)), counted here separately; and every such chain's latest
    ///         index equals the ghost's, which only accepted updates (and elections) move.
    function invariant_frozenChainsNeverAcceptUpdates() public view {
        assertEq(handler.nonActiveUpdatesAccepted(), 0, "update accepted on a chain that is not Active");
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            if (handler.ghostStatus(ids[i]) == uint8(IValidiumRegistry.ChainStatus.Active)) continue;
            assertEq(
                registry.chain(ChainId.wrap(ids[i])).latestIndex + 1,
                handler.commitmentBlocks(ids[i]).length,
                "non-Active chain's latest index moved"
            );
        }
    }

    /// @notice (10) Every chain's depth is 1 + the number of its ghost ancestors (recounted by walking the ghost
    ///         parents, not read from the ghost depth), its child count is the number of ghost chains whose parent
    ///         it is, and the handler's count of top-level chains matches: relocations rewrite all three.
    function invariant_depthMatchesTree() public view {
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            uint64 u = ids[i];
            uint256 depth = 1;
            for (uint64 x = handler.ghostParent(u); x != 0; x = handler.ghostParent(x)) ++depth;
            IValidiumRegistry.ChainInfo memory info = registry.chain(ChainId.wrap(u));
            assertEq(info.depth, depth, "depth != ancestors + 1");
            assertEq(info.childCount, handler.childrenOf(u).length, "childCount != ghost children");
            assertLe(info.depth, handler.MAX_DEPTH(), "deeper than the maximum");
        }
        assertEq(handler.ghostRootChildCount(), handler.childrenOf(0).length, "top-level chains");
    }

    /// @notice (11) A chain that is not Active has no pending commitment (leaving Active discarded them: its final
    ///         state is fixed), and every commitment's withdrawal root, pruned ones included, is the one it was
    ///         submitted with: a discarded commitment's root was deleted, so an index reused by an update without
    ///         a withdrawal root reads zero.
    function invariant_leavingActiveDiscardsPending() public view {
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            ChainId u = ChainId.wrap(ids[i]);
            IValidiumRegistry.ChainInfo memory info = registry.chain(u);
            if (info.status != IValidiumRegistry.ChainStatus.Active) {
                assertEq(info.latestIndex, info.finalizedIndex, "non-Active chain has pending commitments");
            }
            bytes32[] memory w = handler.commitmentWithdrawalRoots(ids[i]);
            assertEq(w.length, uint256(info.latestIndex) + 1, "withdrawal roots length");
            for (uint32 j; j <= info.latestIndex; ++j) {
                assertEq(registry.withdrawalRoot(u, j), w[j], "withdrawal root");
            }
        }
    }

    /// @notice (8) Every call the handler made had the predicted outcome: accepted when valid, rejected
    ///         with exactly the predicted custom error (and arguments) otherwise.
    function invariant_onlyPredictedOutcomes() public view {
        if (handler.unexpectedOutcomes() != 0) revert AssertionFailed(handler.lastUnexpected());
    }
}
