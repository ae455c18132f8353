// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChainId} from "../types/ChainId.sol";
import {IValidiumRegistry} from "./IValidiumRegistry.sol";

/// @title IEmergencyElection
/// @notice Emergency-control elections (DESIGN.md §4, docs/PROTOCOL.md "Emergency elections"): the strict
///         descendants of a chain, one vote per Active chain cast by its operator, replace the chain's operator.
///         Anyone starts an election for a candidate with the `ElectionBond`; it is open for
///         `ElectionVotingPeriod` seconds. Each voter has one vote per (chain, epoch) that it may move between
///         the chain's open elections, so at most one of them holds a majority at any time. An election
///         succeeds as soon as, recounted at `finalize`, strictly more than half of the chain's *current*
///         Active strict descendants vote for it (votes of chains that left the subtree or are no longer
///         Active do not count). Success installs the candidate through the registry (rollback to the
///         finalized commitment, deadlines restart, unfreeze, old stake slashed), refunds the bond, and pays
///         `INITIATOR_SHARE_BPS` of the slashed stake to the initiator, the rest to the treasury; the chain's
///         epoch advances, so competing elections become Superseded (bond refunded). An election that reaches
///         its deadline without a majority is Expired and its bond goes to the treasury.
///         Payments are pushed; one that fails (a recipient that rejects ETH) is credited to the recipient, who
///         pulls it with `withdrawOwed`, so no recipient can block a finalization.
interface IEmergencyElection {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Lifecycle of an election.
    enum ElectionState {
        /// @dev No election with this id.
        None,
        /// @dev Accepting votes until its deadline.
        Open,
        /// @dev Won: the candidate was installed.
        Succeeded,
        /// @dev Reached its deadline without a majority: bond forfeited to the treasury.
        Expired,
        /// @dev A competing election on the same chain succeeded first: bond refunded.
        Superseded
    }

    /// @notice One election.
    struct Election {
        ChainId chainId;
        address candidate;
        address initiator;
        uint64 epoch;
        uint64 deadline;
        uint96 bond;
        ElectionState state;
    }

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A zero address was given for a required address.
    error ElectionZeroAddress();
    /// @notice The chain is not a member (unknown, Ejected, or the settlement chain).
    error ElectionNotMember(ChainId chainId);
    /// @notice The chain has no Active strict descendant: nobody could vote (the root of the tree, or a leaf).
    error ElectionNoElectorate(ChainId chainId);
    /// @notice The candidate is already the chain's operator.
    error ElectionSameOperator(ChainId chainId, address candidate);
    /// @notice `msg.value` is not the `ElectionBond` in force.
    error ElectionWrongBond(uint256 sent, uint256 required);
    /// @notice The chain's escape hatch has paid: it cannot be revived by an election.
    error ElectionHatchUsed(ChainId chainId);
    /// @notice No election with this id.
    error ElectionUnknown(uint256 electionId);
    /// @notice The election is not Open.
    error ElectionNotOpen(uint256 electionId, ElectionState state);
    /// @notice The election's voting period is over.
    error ElectionVotingClosed(uint256 electionId, uint64 deadline);
    /// @notice The caller is not the operator of the voting chain.
    error ElectionNotVoterOperator(ChainId voter, address caller);
    /// @notice The voting chain is not Active.
    error ElectionVoterNotActive(ChainId voter);
    /// @notice The voting chain is not a strict descendant of the election's chain.
    error ElectionNotDescendant(ChainId voter, ChainId chainId);
    /// @notice The voting chain already votes for this election.
    error ElectionAlreadyVoted(uint256 electionId, ChainId voter);
    /// @notice The election has no strict majority yet and its voting period is not over.
    error ElectionNoMajority(uint256 electionId, uint256 votes, uint256 electorate);
    /// @notice Only the registry may send ETH here (the slashed stake).
    error ElectionUnexpectedPayment(address from);
    /// @notice An ETH transfer failed.
    error ElectionTransferFailed(address to, uint256 amount);
    /// @notice `account` is owed nothing (`withdrawOwed`).
    error ElectionNothingOwed(address account);

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice `initiator` started election `electionId` on `chainId` for `candidate`, open until `deadline`.
    event ElectionStarted(
        uint256 indexed electionId,
        ChainId indexed chainId,
        address indexed candidate,
        address initiator,
        uint64 epoch,
        uint64 deadline,
        uint256 bond
    );
    /// @notice `voter` (a strict descendant, through its operator) now votes for `electionId`; `previous` is the
    ///         election of the same chain and epoch it voted for before (0 if none).
    event ElectionVoteCast(uint256 indexed electionId, ChainId indexed voter, uint256 previous);
    /// @notice The election won with `votes` of `electorate`: its candidate was installed.
    event ElectionSucceeded(
        uint256 indexed electionId,
        ChainId indexed chainId,
        address indexed operator,
        uint256 votes,
        uint256 electorate,
        uint32 rolledBackTo,
        uint256 slashed,
        uint256 initiatorReward
    );
    /// @notice The election reached its deadline without a majority; its bond went to the treasury.
    event ElectionExpired(uint256 indexed electionId, uint256 votes, uint256 electorate, uint256 bondForfeited);
    /// @notice A competing election on the same chain succeeded first; the bond was refunded.
    event ElectionSuperseded(uint256 indexed electionId, uint256 bondRefunded);
    /// @notice A payment of `amount` to `to` failed (it rejected ETH or ran out of the forwarded gas); it was
    ///         credited to `to` instead, to be pulled with `withdrawOwed`.
    event ElectionPaymentDeferred(address indexed to, uint256 amount);
    /// @notice `to` pulled the `amount` it was owed.
    event ElectionOwedWithdrawn(address indexed to, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @notice Starts an election on `chainId` for `candidate`, bonding exactly `ElectionBond` wei.
    /// @param chainId A member chain (Active, or Frozen with an unused escape hatch) with at least one Active
    ///        strict descendant.
    /// @param candidate The proposed operator (non-zero, not the current operator).
    /// @return electionId The new election's id (from 1).
    function startElection(ChainId chainId, address candidate) external payable returns (uint256 electionId);

    /// @notice Casts (or moves) the vote of `voter` for `electionId`. The caller must be `voter`'s operator;
    ///         `voter` must be Active and a strict descendant of the election's chain; the election Open and
    ///         before its deadline.
    /// @param electionId The election.
    /// @param voter The voting chain.
    function vote(uint256 electionId, ChainId voter) external;

    /// @notice Settles an Open election. Anyone. If a competing election of the same chain already succeeded:
    ///         Superseded (bond refunded). Else, if a strict majority of the chain's current Active strict
    ///         descendants votes for it: Succeeded (candidate installed, bond refunded, slash shared). Else, after
    ///         the deadline: Expired (bond to the treasury). Else reverts `ElectionNoMajority`.
    /// @param electionId The election.
    /// @return state The election's new state.
    function finalize(uint256 electionId) external returns (ElectionState state);

    /// @notice Pays the caller everything it is owed: payments (bonds, rewards, treasury shares) that `finalize`
    ///         could not push to it. Reverts `ElectionNothingOwed` when that is zero, and `ElectionTransferFailed`
    ///         when the transfer fails (the amount then stays owed). It forwards all remaining gas.
    /// @return amount The amount paid.
    function withdrawOwed() external returns (uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice An election (state None if unknown).
    function election(uint256 electionId) external view returns (Election memory);

    /// @notice Current valid votes for `electionId` and the chain's current electorate (Active strict
    ///         descendants), counted as `finalize` would.
    function tally(uint256 electionId) external view returns (uint256 votes, uint256 electorate);

    /// @notice The election `voter` votes for on `chainId` in `epoch` (0 if none).
    function voteOf(ChainId chainId, uint64 epoch, ChainId voter) external view returns (uint256);

    /// @notice The chain's election epoch: the number of elections it has lost its operator to.
    function epochOf(ChainId chainId) external view returns (uint64);

    /// @notice Number of elections started.
    function electionCount() external view returns (uint256);

    /// @notice Whether `descendant` is a strict descendant of `ancestor` in the registry's current tree.
    function isStrictDescendant(ChainId descendant, ChainId ancestor) external view returns (bool);

    /// @notice What `account` is owed: payments to it that failed and wait for `withdrawOwed`.
    function owed(address account) external view returns (uint256);

    /// @notice The registry.
    function registry() external view returns (IValidiumRegistry);

    /// @notice Where forfeited bonds and the non-initiator part of slashed stakes go (the cluster timelock).
    function treasury() external view returns (address);

    /// @notice Share of a slashed stake paid to the election's initiator, in basis points.
    function INITIATOR_SHARE_BPS() external view returns (uint256);
}
