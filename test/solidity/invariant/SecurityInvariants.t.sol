// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEmergencyElection} from "../../../contracts/interfaces/IEmergencyElection.sol";
import {IValidiumRegistry} from "../../../contracts/interfaces/IValidiumRegistry.sol";
import {ValidiumRegistry} from "../../../contracts/registry/ValidiumRegistry.sol";
import {EmergencyElection} from "../../../contracts/security/EmergencyElection.sol";
import {RequestQueue} from "../../../contracts/settlement/RequestQueue.sol";
import {ChainId} from "../../../contracts/types/ChainId.sol";

import {Test} from "../utils/Test.sol";
import {SecurityHandler} from "./SecurityHandler.sol";

/// @title SecurityInvariants
/// @notice Stateful fuzzing of settlement security through SecurityHandler (five chains P(1) ── A(2) ── G(4),
///         P ── B(3), Q(5); deposits, forced messages, updates with withdrawal roots, freezes, reclaims, claims,
///         fee claims, unfreeze attempts, emergency elections, relocations): after every call of every run, the
///         queue's escrow and balance, the payouts, the statuses, b and the election contract's balance are
///         checked against the handler's ghost state:
///         (1) a chain never pays out more ETH than was deposited into it, and its escrow is the difference;
///         (2) the queue's ETH balance is Σ escrow + unclaimed forced fees;
///         (3) no update is accepted on a chain that is not Active;
///         (4) each reclaimed deposit is paid exactly once, to its refund address;
///         (5) an election succeeds only with a strict majority of the brute-force recount made before `finalize`;
///         (6) a chain whose escape hatch has paid is never Active;
///         (7) b of every chain is the number of Active chains in its ghost subtree;
///         (8) the election contract holds exactly the bonds of Open elections plus what it owes;
///         (9) every call had its predicted outcome.
contract SecurityInvariantsTest is Test {
    SecurityHandler internal handler;
    RequestQueue internal queue;
    ValidiumRegistry internal registry;
    EmergencyElection internal election;

    function setUp() public {
        handler = new SecurityHandler();
        queue = handler.queue();
        registry = handler.registry();
        election = handler.election();
        // Only the handler's actions are called; its view functions (ghost state) are not fuzzed.
        targetContract(address(handler));
    }

    /// @notice (1) Per chain: ETH paid out (withdrawal claims + deposit reclaims) ≤ ETH deposited, and
    ///         `escrowed(chain, 0)` = deposited − paid.
    function invariant_escrowNeverPaysMoreThanDeposited() public view {
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            uint256 deposited = handler.ghostDeposited(ids[i]);
            uint256 paid = handler.ghostPaid(ids[i]);
            assertLe(paid, deposited, "paid more than deposited");
            assertEq(queue.escrowed(ChainId.wrap(ids[i]), 0), deposited - paid, "escrow != deposited - paid");
        }
        uint256 claimed;
        for (uint256 k; k < handler.POOL(); ++k) claimed += handler.withdrawalRecipient(k).balance;
        assertEq(claimed, handler.ghostClaimedTotal(), "withdrawal recipients paid != claims");
    }

    /// @notice (2) The queue's ETH balance = Σ escrow + Σ (forced fees paid − fees claimed), and each chain's
    ///         `forcedFees` matches the ghost; FEE_SINK received exactly the claimed fees.
    function invariant_queueBalanceCoversEscrowAndFees() public view {
        uint64[] memory ids = handler.chainIds();
        uint256 expected;
        for (uint256 i; i < ids.length; ++i) {
            ChainId c = ChainId.wrap(ids[i]);
            (uint256 paid, uint256 claimed) = queue.forcedFees(c);
            assertEq(paid, handler.ghostFeesPaid(ids[i]), "fees paid");
            assertEq(claimed, handler.ghostFeesClaimed(ids[i]), "fees claimed");
            assertLe(claimed, paid, "claimed more fees than paid");
            expected += queue.escrowed(c, 0) + paid - claimed;
        }
        assertEq(address(queue).balance, expected, "queue balance != escrow + unclaimed fees");
        assertEq(handler.FEE_SINK().balance, handler.ghostFeeSinkTotal(), "fee sink");
    }

    /// @notice (3) No update was ever accepted on a chain that is not Active (every such attempt is predicted to
    ///         fail `RegistryChainNotActive`), and a non-Active chain has no pending commitment.
    function invariant_frozenChainsNeverAcceptUpdates() public view {
        assertEq(handler.nonActiveUpdatesAccepted(), 0, "update accepted on a chain that is not Active");
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            IValidiumRegistry.ChainInfo memory info = registry.chain(ChainId.wrap(ids[i]));
            if (info.status == IValidiumRegistry.ChainStatus.Active) continue;
            assertEq(info.latestIndex, info.finalizedIndex, "non-Active chain has pending commitments");
        }
    }

    /// @notice (4) Each deposit position is paid by `reclaimDeposit` at most once, the queue's reclaimed flags are
    ///         exactly the ghost's, and the refund addresses received exactly the reclaimed amounts.
    function invariant_eachReclaimPaidOnce() public view {
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            uint64 id = ids[i];
            uint256 n = handler.itemCount(id);
            for (uint64 p = 1; p <= n; ++p) {
                uint256 times = handler.reclaimPayments(id, p);
                assertLe(times, 1, "deposit reclaimed twice");
                assertEq(queue.isDepositReclaimed(ChainId.wrap(id), p), times == 1, "reclaimed flag");
            }
        }
        uint256 refunded;
        for (uint256 k; k < handler.POOL(); ++k) refunded += handler.refundAddress(k).balance;
        assertEq(refunded, handler.ghostReclaimedTotal(), "refunds != reclaimed amounts");
    }

    /// @notice (5) Every successful `finalize` had 2·votes > electorate in the handler's brute-force recount
    ///         (votes still cast for it by Active strict descendants; electorate the Active strict descendants)
    ///         made before the call; the epochs count the successes.
    function invariant_electionsSucceedOnlyWithStrictMajority() public view {
        assertEq(handler.successesWithoutMajority(), 0, "election succeeded without a strict majority");
        assertEq(handler.successesWithMajority(), handler.electionsSucceeded(), "successes");
        uint64[] memory ids = handler.chainIds();
        uint256 epochs;
        for (uint256 i; i < ids.length; ++i) {
            uint64 e = election.epochOf(ChainId.wrap(ids[i]));
            assertEq(e, handler.ghostEpoch(ids[i]), "epoch");
            epochs += e;
        }
        assertEq(epochs, handler.electionsSucceeded(), "epochs != successes");
    }

    /// @notice (6) A chain whose hatch has paid (`hatchUsed`) is never Active; the queue's flag matches the ghost.
    function invariant_hatchUsedChainsNeverActive() public view {
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            ChainId c = ChainId.wrap(ids[i]);
            bool used = queue.hatchUsed(c);
            assertEq(used, handler.ghostHatchUsed(ids[i]), "hatchUsed != ghost");
            if (used) assertTrue(registry.chainStatus(c) != IValidiumRegistry.ChainStatus.Active, "hatch used, Active");
        }
    }

    /// @notice (7) b of every chain = the brute-force count of Active chains in its subtree (ghost tree, itself
    ///         included); statuses, parents and depths match the ghost.
    function invariant_bMatchesTree() public view {
        uint64[] memory ids = handler.chainIds();
        for (uint256 i; i < ids.length; ++i) {
            uint64 u = ids[i];
            IValidiumRegistry.ChainInfo memory info = registry.chain(ChainId.wrap(u));
            assertEq(info.subtreeSize, handler.activeInSubtree(u), "b != brute-force Active subtree count");
            assertEq(uint8(info.status), handler.ghostStatus(u), "status");
            assertEq(ChainId.unwrap(info.parent), handler.ghostParent(u), "parent");
            uint256 depth = 1;
            for (uint64 x = handler.ghostParent(u); x != 0; x = handler.ghostParent(x)) ++depth;
            assertEq(info.depth, depth, "depth");
            assertEq(info.operator, handler.ghostOperator(u), "operator");
        }
    }

    /// @notice (8) The election contract's balance = Σ bonds of Open elections + Σ owed; every election's state
    ///         matches the ghost; the treasury received exactly the forfeited bonds and slashed shares.
    function invariant_electionBalanceIsOpenBonds() public view {
        uint256 n = election.electionCount();
        assertEq(n, handler.electionCount(), "election count");
        uint256 open;
        for (uint256 id = 1; id <= n; ++id) {
            IEmergencyElection.Election memory e = election.election(id);
            assertEq(uint8(e.state), handler.ghostElectionState(id), "election state");
            if (e.state == IEmergencyElection.ElectionState.Open) open += e.bond;
        }
        uint256 owed;
        for (uint256 k; k < 4; ++k) {
            address a = handler.initiatorAddress(k);
            owed += election.owed(a);
            assertEq(election.owed(a), handler.ghostOwed(a), "owed");
        }
        owed += election.owed(handler.TREASURY());
        assertEq(address(election).balance, open + owed, "election balance != open bonds + owed");
        assertEq(handler.TREASURY().balance, handler.ghostTreasury(), "treasury");
    }

    /// @notice (9) Every call the handler made had the predicted outcome: accepted when valid, rejected with
    ///         exactly the predicted custom error (and arguments) otherwise.
    function invariant_onlyPredictedOutcomes() public view {
        if (handler.unexpectedOutcomes() != 0) revert AssertionFailed(handler.lastUnexpected());
    }
}
