// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IValidiumRegistry} from "../../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../../contracts/registry/ValidiumRegistry.sol";
import {ChainId} from "../../../contracts/types/ChainId.sol";

import {Test} from "../utils/Test.sol";
import {AcceptingVerifier} from "../utils/Verifiers.sol";
import {RegistryHandler} from "./RegistryHandler.sol";

/// @title RegistryInvariants
/// @notice Stateful fuzzing of the registry through RegistryHandler (≤ 24 chains, depth ≤ 8, fan-out ≤ 3):
///         after every call of every run, the registry's views are checked against a brute-force recount
///         from the handler's ghost state.
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

    /// @notice (8) Every call the handler made had the predicted outcome: accepted when valid, rejected
    ///         with exactly the predicted custom error (and arguments) otherwise.
    function invariant_onlyPredictedOutcomes() public view {
        if (handler.unexpectedOutcomes() != 0) revert AssertionFailed(handler.lastUnexpected());
    }
}
