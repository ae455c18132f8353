// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChainId} from "../types/ChainId.sol";
import {ILatencyOracle} from "./ILatencyOracle.sol";

/// @title ILeaderSchedule
/// @notice Leader rotation for two networks that minimises the worst cross-network latency, accepted only
///         with a certificate of optimality checked against the oracle's matrix (docs/LATENCY.md §2–4).
interface ILeaderSchedule {
    /// @notice Window length, share bounds and maximum run length.
    struct Config {
        uint16 epochsPerWindow;
        uint16 minShareA;
        uint16 maxShareA;
        uint16 minShareB;
        uint16 maxShareB;
        uint16 maxRun;
    }

    /// @notice A vertex set S of the flow model: s ∈ S iff sourceIn, t ∈ S iff sinkIn, A_i ∈ S iff bit i of
    ///         maskA, B_j ∈ S iff bit j of maskB.
    struct Cut {
        bool sourceIn;
        bool sinkIn;
        uint256 maskA;
        uint256 maskB;
    }

    error ScheduleWrongLength(uint256 lengthA, uint256 lengthB, uint256 expected);
    error ScheduleNodeOutOfRange(uint256 epochOffset, uint256 node);
    error ScheduleMissingLatency(uint256 epochOffset);
    error ScheduleShareViolated(bool networkA, uint256 node, uint256 count);
    error ScheduleRunTooLong(bool networkA, uint256 epochOffset);
    error ScheduleCutCrossesEdge(uint256 nodeA, uint256 nodeB);
    error ScheduleCutNotViolated(uint256 lowerIn, uint256 upperOut);
    error ScheduleNotProposalTime(uint64 window, uint64 currentEpoch);
    error ScheduleNotBetter(uint32 threshold, uint64 sum, uint32 storedThreshold, uint64 storedSum);
    error ScheduleUnknownNetwork(ChainId network);
    error ScheduleInvalidConfig();
    error ScheduleInstanceTooLarge(uint256 n, uint256 m, uint256 epochs);
    error ScheduleInfeasible();
    /// @notice A cut mask has a bit at or above the node count of its network.
    error ScheduleCutOutOfRange(uint256 maskA, uint256 maskB);
    /// @notice Window `window` has no measurement epoch (window·E < 2, or window·E − 2 overflows uint64).
    error ScheduleNoMeasurementEpoch(uint64 window);
    /// @notice The oracle's matrix does not have nodeCount(A)·nodeCount(B) entries.
    error ScheduleMatrixMismatch(uint256 length, uint256 expected);
    /// @notice The round-robin fallback of a network without nodes.
    error ScheduleNoNodes(ChainId network);

    event ScheduleAccepted(uint64 indexed window, address indexed proposer, uint32 threshold, uint64 sum);

    /// @notice Proposes the schedule of window `window` with its optimality certificate.
    function propose(uint64 window, uint16[] calldata leadersA, uint16[] calldata leadersB, Cut calldata cut) external;

    /// @notice Computes the optimal schedule on chain and stores it (small instances only).
    function solveOnChain(uint64 window) external;

    /// @notice Who leads `network` in `epoch`; `scheduled` is false for the round-robin fallback.
    function leaderAt(ChainId network, uint64 epoch) external view returns (uint16 node, bool scheduled);

    /// @notice The stored schedule of `window` (empty arrays if none).
    function scheduleOf(
        uint64 window
    )
        external
        view
        returns (uint32 threshold, uint64 sum, address proposer, uint16[] memory leadersA, uint16[] memory leadersB);

    /// @notice The measurement epoch whose matrix window `window` uses: window·E − 2.
    function measurementEpoch(uint64 window) external view returns (uint64);

    /// @notice The two networks and the configuration.
    function networks() external view returns (ChainId a, ChainId b);

    /// @notice The configuration.
    function config() external view returns (Config memory);

    /// @notice The latency oracle whose matrices the schedules use.
    function oracle() external view returns (ILatencyOracle);

    /// @notice The effective upper share bounds hi' = min(max, ⌊R(E+1)/(R+1)⌋) the cut is checked with.
    function effectiveMaxShares() external view returns (uint256 a, uint256 b);
}
