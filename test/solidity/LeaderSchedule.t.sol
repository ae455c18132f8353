// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILatencyOracle} from "../../contracts/interfaces/ILatencyOracle.sol";
import {ILeaderSchedule} from "../../contracts/interfaces/ILeaderSchedule.sol";
import {LeaderSchedule} from "../../contracts/latency/LeaderSchedule.sol";
import {MockLatencyOracle} from "../../contracts/mocks/MockLatencyOracle.sol";
import {ChainId} from "../../contracts/types/ChainId.sol";

import {Test} from "./utils/Test.sol";

/// @notice An oracle whose matrix has one entry too few (for ScheduleMatrixMismatch).
contract ShortMatrixOracle is MockLatencyOracle {
    function matrix(
        uint64 epoch,
        ChainId a,
        ChainId b
    ) external view override returns (uint32[] memory values, uint8[] memory flags) {
        (values, flags) = this.matrixOf(epoch, a, b);
        assembly ("memory-safe") {
            mstore(values, sub(mload(values), 1))
        }
    }

    function matrixOf(uint64, ChainId, ChainId) external pure returns (uint32[] memory values, uint8[] memory flags) {
        values = new uint32[](6);
        flags = new uint8[](6);
    }
}

/// @notice Shared deployment, instances and helpers of the LeaderSchedule tests. The schedule always reads
///         networks A = 1 and B = 2 of a MockLatencyOracle whose matrix and current epoch are set directly.
abstract contract LeaderScheduleTestBase is Test {
    ChainId internal constant NET_A = ChainId.wrap(1);
    ChainId internal constant NET_B = ChainId.wrap(2);
    ChainId internal constant NET_C = ChainId.wrap(3);
    uint32 internal constant MISSING = type(uint32).max;

    MockLatencyOracle internal oracle;
    LeaderSchedule internal schedule;

    function _cfg(
        uint256 e,
        uint256 minA,
        uint256 maxA,
        uint256 minB,
        uint256 maxB,
        uint256 run
    ) internal pure returns (ILeaderSchedule.Config memory) {
        return
            ILeaderSchedule.Config({
                epochsPerWindow: uint16(e),
                minShareA: uint16(minA),
                maxShareA: uint16(maxA),
                minShareB: uint16(minB),
                maxShareB: uint16(maxB),
                maxRun: uint16(run)
            });
    }

    function _deploy(ILeaderSchedule.Config memory cfg) internal {
        if (address(oracle) == address(0)) oracle = new MockLatencyOracle();
        schedule = new LeaderSchedule(oracle, NET_A, NET_B, cfg);
    }

    /// @dev Sets n, m, the matrix of `window`'s measurement epoch and the current epoch to its proposal
    ///      epoch window·E − 1.
    function _instance(uint64 window, uint256 n, uint256 m, uint32[] memory values) internal {
        uint64 e = schedule.config().epochsPerWindow;
        oracle.setNodeCount(NET_A, uint32(n));
        oracle.setNodeCount(NET_B, uint32(m));
        oracle.setMatrix(window * e - 2, NET_A, NET_B, values);
        oracle.setCurrentEpoch(window * e - 1);
    }

    /// @dev The seed matrix (×1000 µs): A0 [32, 35], A1 [27, 28], A2 [40, 42].
    function _seed() internal pure returns (uint32[] memory v) {
        v = new uint32[](6);
        v[0] = 32_000;
        v[1] = 35_000;
        v[2] = 27_000;
        v[3] = 28_000;
        v[4] = 40_000;
        v[5] = 42_000;
    }

    function _seedInstance(ILeaderSchedule.Config memory cfg) internal {
        _deploy(cfg);
        _instance(1, 3, 2, _seed());
    }

    function _seq(uint16 x0, uint16 x1, uint16 x2, uint16 x3) internal pure returns (uint16[] memory s) {
        s = new uint16[](4);
        s[0] = x0;
        s[1] = x1;
        s[2] = x2;
        s[3] = x3;
    }

    function _cut(
        bool sourceIn,
        bool sinkIn,
        uint256 maskA,
        uint256 maskB
    ) internal pure returns (ILeaderSchedule.Cut memory) {
        return ILeaderSchedule.Cut({sourceIn: sourceIn, sinkIn: sinkIn, maskA: maskA, maskB: maskB});
    }

    function _assertStored(
        LeaderSchedule s,
        uint64 window,
        uint256 threshold,
        uint256 sum,
        uint16[] memory leadersA,
        uint16[] memory leadersB
    ) internal view {
        (uint32 t, uint64 total, address proposer, uint16[] memory la, uint16[] memory lb) = s.scheduleOf(window);
        assertEq(t, threshold, "threshold");
        assertEq(total, sum, "sum");
        assertEq(proposer, address(this), "proposer");
        assertEq(abi.encode(la), abi.encode(leadersA), "leadersA");
        assertEq(abi.encode(lb), abi.encode(leadersB), "leadersB");
    }

    /// @dev Schedule of the stored window (threshold, sum, leaders).
    function _stored(
        LeaderSchedule s,
        uint64 window
    ) internal view returns (uint256 t, uint256 sum, uint16[] memory la, uint16[] memory lb) {
        (uint32 t32, uint64 sum64, , uint16[] memory a, uint16[] memory b) = s.scheduleOf(window);
        return (t32, sum64, a, b);
    }
}

/// @notice Unit tests: configuration, acceptance of optimal schedules with hand-derived cuts, rejection of
///         every tampered schedule and certificate with its exact error, better-replaces-worse, leaderAt
///         (scheduled and fallback) and solveOnChain on the known optima.
/// @dev Hand-derived cuts on the seed matrix L = [[32, 35], [27, 28], [40, 42]] (×1000), E = 4:
///      - no limits (min 0, max 4, R 4): optimum (A1, B0) every epoch, T = 27000, sum 108000. At T = 27000
///        no edge is < T, so S = {s} ∪ A: lowerIn = E = 4 (t → s enters), upperOut = 0.
///      - R = 2 (raw max 4): hi' = min(4, ⌊2·5/3⌋) = 3. Below 32000 only A1 has edges and leads ≤ 3 < 4
///        epochs: S = {s, A0, A2}: lowerIn = 4, upperOut = hi'(A1) = 3. Optimum T = 32000, sum 114000
///        (A1B0 ×2, A1B1, A0B0); 115000 and 116000 are the other multisets at T = 32000.
///      - max share 2 (R 4): same S = {s, A0, A2}: lowerIn = 4 > upperOut = 2. Optimum A0B0 ×2, A1B1 ×2:
///        T = 32000, sum 120000 (unique).
///      - min share of B 1 (R 4): below 28000 only A1B0 exists, B1 cannot lead: S = everything but B1
///        (sourceIn, sinkIn, A all, B0): B1 → t enters with lower 1, nothing leaves (A_i → B1 are ≥ 28000).
///        Optimum A1B0 ×3, A1B1: T = 28000, sum 109000.
///      - n = m = 16, E = 64, L(i, j) = 1000(i + 1) + j, every share exactly 4, R = 1: A15 must lead 4 epochs
///        and its cheapest edge is 16000: S = {A15}: lowerIn = lo = 4 (s → A15 enters), upperOut = 0.
contract LeaderScheduleTest is LeaderScheduleTestBase {
    function setUp() public {
        oracle = new MockLatencyOracle();
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    function test_constructor_storesConfig() public {
        _deploy(_cfg(4, 1, 3, 0, 4, 2));
        (ChainId a, ChainId b) = schedule.networks();
        assertEq(ChainId.unwrap(a), 1, "network A");
        assertEq(ChainId.unwrap(b), 2, "network B");
        ILeaderSchedule.Config memory c = schedule.config();
        assertEq(c.epochsPerWindow, 4, "E");
        assertEq(c.minShareA, 1, "minA");
        assertEq(c.maxShareA, 3, "maxA");
        assertEq(c.minShareB, 0, "minB");
        assertEq(c.maxShareB, 4, "maxB");
        assertEq(c.maxRun, 2, "R");
        assertEq(address(schedule.oracle()), address(oracle), "oracle");
        (uint256 effA, uint256 effB) = schedule.effectiveMaxShares();
        assertEq(effA, 3, "hi'A = min(3, 10/3)");
        assertEq(effB, 3, "hi'B = min(4, 10/3)");
    }

    function test_constructor_revertsOnInvalidConfig() public {
        ILeaderSchedule.Config[8] memory bad = [
            _cfg(0, 0, 0, 0, 0, 1), // E = 0
            _cfg(4, 3, 2, 0, 4, 1), // minA > maxA
            _cfg(4, 0, 5, 0, 4, 1), // maxA > E
            _cfg(4, 0, 4, 2, 1, 1), // minB > maxB
            _cfg(4, 0, 4, 0, 5, 1), // maxB > E
            _cfg(4, 0, 4, 0, 4, 0), // R = 0
            _cfg(4, 3, 4, 0, 4, 1), // minA 3 > hi'A = ⌊1·5/2⌋ = 2
            _cfg(4, 0, 4, 3, 4, 1) // minB 3 > hi'B = 2
        ];
        for (uint256 k; k < bad.length; ++k) {
            vm.expectRevert(ILeaderSchedule.ScheduleInvalidConfig.selector);
            new LeaderSchedule(oracle, NET_A, NET_B, bad[k]);
        }
        vm.expectRevert(ILeaderSchedule.ScheduleInvalidConfig.selector);
        new LeaderSchedule(oracle, NET_A, NET_A, _cfg(4, 0, 4, 0, 4, 1));
        vm.expectRevert(ILeaderSchedule.ScheduleInvalidConfig.selector);
        new LeaderSchedule(ILatencyOracle(address(0)), NET_A, NET_B, _cfg(4, 0, 4, 0, 4, 1));
    }

    function test_constructor_acceptsBoundaryConfig() public {
        _deploy(_cfg(1, 0, 1, 1, 1, 1));
        (uint256 effA, uint256 effB) = schedule.effectiveMaxShares();
        assertEq(effA, 1, "hi'A = min(1, 2/2)");
        assertEq(effB, 1, "hi'B");
    }

    function test_measurementEpoch() public {
        _deploy(_cfg(4, 0, 4, 0, 4, 4));
        assertEq(schedule.measurementEpoch(1), 2, "window 1");
        assertEq(schedule.measurementEpoch(10), 38, "window 10");
        vm.expectRevert(abi.encodeWithSelector(ILeaderSchedule.ScheduleNoMeasurementEpoch.selector, uint64(0)));
        schedule.measurementEpoch(0);

        _deploy(_cfg(1, 0, 1, 0, 1, 1));
        vm.expectRevert(abi.encodeWithSelector(ILeaderSchedule.ScheduleNoMeasurementEpoch.selector, uint64(1)));
        schedule.measurementEpoch(1);
        assertEq(schedule.measurementEpoch(2), 0, "E = 1, window 2");

        _deploy(_cfg(65_535, 0, 1, 0, 1, 1));
        uint64 huge = type(uint64).max;
        vm.expectRevert(abi.encodeWithSelector(ILeaderSchedule.ScheduleNoMeasurementEpoch.selector, huge));
        schedule.measurementEpoch(huge);
    }

    /*//////////////////////////////////////////////////////////////
                          PROPOSE: ACCEPTANCE
    //////////////////////////////////////////////////////////////*/

    function test_propose_seedOptimum() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 4));
        uint16[] memory la = _seq(1, 1, 1, 1);
        uint16[] memory lb = _seq(0, 0, 0, 0);
        vm.expectEmit(address(schedule));
        emit ILeaderSchedule.ScheduleAccepted(1, address(this), 27_000, 108_000);
        schedule.propose(1, la, lb, _cut(true, false, 7, 0));
        _assertStored(schedule, 1, 27_000, 108_000, la, lb);
    }

    function test_propose_runBoundNeedsEffectiveUpperBound() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 2));
        uint16[] memory la = _seq(1, 1, 0, 1);
        uint16[] memory lb = _seq(0, 1, 0, 0);
        vm.expectEmit(address(schedule));
        emit ILeaderSchedule.ScheduleAccepted(1, address(this), 32_000, 114_000);
        schedule.propose(1, la, lb, _cut(true, false, 5, 0));
        _assertStored(schedule, 1, 32_000, 114_000, la, lb);
    }

    function test_propose_rawShareBound() public {
        _seedInstance(_cfg(4, 0, 2, 0, 2, 4));
        uint16[] memory la = _seq(0, 1, 0, 1);
        uint16[] memory lb = _seq(0, 1, 0, 1);
        schedule.propose(1, la, lb, _cut(true, false, 5, 0));
        _assertStored(schedule, 1, 32_000, 120_000, la, lb);
    }

    function test_propose_sinkSideCut() public {
        _seedInstance(_cfg(4, 0, 4, 1, 4, 4));
        uint16[] memory la = _seq(1, 1, 1, 1);
        uint16[] memory lb = _seq(0, 0, 0, 1);
        schedule.propose(1, la, lb, _cut(true, true, 7, 1));
        _assertStored(schedule, 1, 28_000, 109_000, la, lb);
    }

    function test_propose_lowerBoundCutN16() public {
        (uint16[] memory la, uint16[] memory lb) = _n16Instance();
        schedule.propose(1, la, lb, _cut(false, false, 1 << 15, 0));
        _assertStored(schedule, 1, 16_000, 544_480, la, lb);
        // {s, A15} is valid too: t → s enters (64) and s → A_0..14 leave (15 · 4 = 60).
        LeaderSchedule other = new LeaderSchedule(oracle, NET_A, NET_B, schedule.config());
        other.propose(1, la, lb, _cut(true, false, 1 << 15, 0));
        // Packing across words: every epoch of the window reads back.
        for (uint64 k; k < 64; ++k) {
            (uint16 a, bool sa) = schedule.leaderAt(NET_A, 64 + k);
            (uint16 b, bool sb) = schedule.leaderAt(NET_B, 64 + k);
            assertTrue(sa && sb, "scheduled");
            assertEq(a, la[k], "leader A");
            assertEq(b, lb[k], "leader B");
        }
    }

    /// @dev n = m = 16, E = 64, L(i, j) = 1000(i + 1) + j, shares exactly 4, R = 1; the optimum pairs A15
    ///      with B0 and A_i with B_{i+1}, cycling A0..A15 four times: T = 16000, sum 4·(16000 + 1001·120).
    function _n16Instance() internal returns (uint16[] memory la, uint16[] memory lb) {
        _deploy(_cfg(64, 4, 4, 4, 4, 1));
        uint32[] memory v = new uint32[](256);
        for (uint256 i; i < 16; ++i) {
            for (uint256 j; j < 16; ++j) v[i * 16 + j] = uint32(1000 * (i + 1) + j);
        }
        _instance(1, 16, 16, v);
        la = new uint16[](64);
        lb = new uint16[](64);
        for (uint256 k; k < 64; ++k) {
            la[k] = uint16(k % 16);
            lb[k] = uint16((k + 1) % 16);
        }
    }

    /*//////////////////////////////////////////////////////////////
                     PROPOSE: TAMPERED CERTIFICATES
    //////////////////////////////////////////////////////////////*/

    function _expectProposeRevert(
        uint16[] memory la,
        uint16[] memory lb,
        ILeaderSchedule.Cut memory cut,
        bytes memory err
    ) internal {
        vm.expectRevert(err);
        schedule.propose(1, la, lb, cut);
    }

    function _notViolated(uint256 lowerIn, uint256 upperOut) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ILeaderSchedule.ScheduleCutNotViolated.selector, lowerIn, upperOut);
    }

    function test_propose_revertsOnTamperedCutSeed() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 4));
        uint16[] memory la = _seq(1, 1, 1, 1);
        uint16[] memory lb = _seq(0, 0, 0, 0);
        _expectProposeRevert(la, lb, _cut(true, false, 7, 1), _notViolated(4, 4)); // B0 → t leaves
        _expectProposeRevert(la, lb, _cut(true, false, 3, 0), _notViolated(4, 4)); // s → A2 leaves
        _expectProposeRevert(la, lb, _cut(false, false, 7, 0), _notViolated(0, 0)); // no t → s
        _expectProposeRevert(la, lb, _cut(true, true, 7, 0), _notViolated(0, 0)); // t inside
        bytes memory range = abi.encodeWithSelector(ILeaderSchedule.ScheduleCutOutOfRange.selector, 15, 0);
        _expectProposeRevert(la, lb, _cut(true, false, 15, 0), range);
        range = abi.encodeWithSelector(ILeaderSchedule.ScheduleCutOutOfRange.selector, 7, 4);
        _expectProposeRevert(la, lb, _cut(true, false, 7, 4), range);
    }

    function test_propose_revertsOnEveryFlippedBitRunBound() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 2));
        uint16[] memory la = _seq(1, 1, 0, 1);
        uint16[] memory lb = _seq(0, 1, 0, 0);
        bytes memory crosses = abi.encodeWithSelector(ILeaderSchedule.ScheduleCutCrossesEdge.selector, 1, 0);
        _expectProposeRevert(la, lb, _cut(true, false, 7, 0), crosses); // + A1: A1 → B0 (27000) leaves
        _expectProposeRevert(la, lb, _cut(true, false, 4, 0), _notViolated(4, 6)); // − A0
        _expectProposeRevert(la, lb, _cut(true, false, 1, 0), _notViolated(4, 6)); // − A2
        _expectProposeRevert(la, lb, _cut(false, false, 5, 0), _notViolated(0, 0)); // − s
        _expectProposeRevert(la, lb, _cut(true, true, 5, 0), _notViolated(0, 3)); // + t
        _expectProposeRevert(la, lb, _cut(true, false, 5, 1), _notViolated(4, 6)); // + B0
        _expectProposeRevert(la, lb, _cut(true, false, 5, 2), _notViolated(4, 6)); // + B1
        // The cut holds only through the effective bound: with the raw max share 4 for s → A1, upperOut
        // would be 4 = lowerIn.
        (uint256 effA, ) = schedule.effectiveMaxShares();
        assertEq(effA, 3, "hi' = min(4, 10/3)");
        schedule.propose(1, la, lb, _cut(true, false, 5, 0));
    }

    function test_propose_revertsOnFlippedSinkBit() public {
        _seedInstance(_cfg(4, 0, 4, 1, 4, 4));
        uint16[] memory la = _seq(1, 1, 1, 1);
        uint16[] memory lb = _seq(0, 0, 0, 1);
        _expectProposeRevert(la, lb, _cut(true, false, 7, 1), _notViolated(4, 4)); // − t
        bytes memory crosses = abi.encodeWithSelector(ILeaderSchedule.ScheduleCutCrossesEdge.selector, 1, 0);
        _expectProposeRevert(la, lb, _cut(true, true, 7, 0), crosses); // − B0: A1 → B0 (27000) leaves
    }

    function test_propose_revertsOnChangedLeader() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 4));
        // One epoch with (A0, B0) = 32000: the cut {s} ∪ A no longer holds at 32000.
        bytes memory crosses = abi.encodeWithSelector(ILeaderSchedule.ScheduleCutCrossesEdge.selector, 1, 0);
        _expectProposeRevert(_seq(1, 1, 0, 1), _seq(0, 0, 0, 0), _cut(true, false, 7, 0), crosses);
        // (A1, B1) = 28000: same.
        _expectProposeRevert(_seq(1, 1, 1, 1), _seq(0, 1, 0, 0), _cut(true, false, 7, 0), crosses);
    }

    /*//////////////////////////////////////////////////////////////
                      PROPOSE: INVALID SCHEDULES
    //////////////////////////////////////////////////////////////*/

    function test_propose_revertsOnWrongLength() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 4));
        uint16[] memory three = new uint16[](3);
        three[0] = 1;
        three[1] = 1;
        three[2] = 1;
        ILeaderSchedule.Cut memory cut = _cut(true, false, 7, 0);
        bytes memory err = abi.encodeWithSelector(ILeaderSchedule.ScheduleWrongLength.selector, 3, 4, 4);
        _expectProposeRevert(three, _seq(0, 0, 0, 0), cut, err);
        err = abi.encodeWithSelector(ILeaderSchedule.ScheduleWrongLength.selector, 4, 3, 4);
        _expectProposeRevert(_seq(1, 1, 1, 1), three, cut, err);
        err = abi.encodeWithSelector(ILeaderSchedule.ScheduleWrongLength.selector, 0, 0, 4);
        _expectProposeRevert(new uint16[](0), new uint16[](0), cut, err);
    }

    function test_propose_revertsOnNodeOutOfRange() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 4));
        ILeaderSchedule.Cut memory cut = _cut(true, false, 7, 0);
        bytes memory err = abi.encodeWithSelector(ILeaderSchedule.ScheduleNodeOutOfRange.selector, 0, 3);
        _expectProposeRevert(_seq(3, 1, 1, 1), _seq(0, 0, 0, 0), cut, err);
        err = abi.encodeWithSelector(ILeaderSchedule.ScheduleNodeOutOfRange.selector, 2, 2);
        _expectProposeRevert(_seq(1, 1, 1, 1), _seq(0, 0, 2, 0), cut, err);
        err = abi.encodeWithSelector(ILeaderSchedule.ScheduleNodeOutOfRange.selector, 3, 65_535);
        _expectProposeRevert(_seq(1, 1, 1, 65_535), _seq(0, 0, 0, 0), cut, err);
    }

    function test_propose_revertsOnMissingLatency() public {
        _deploy(_cfg(4, 0, 4, 0, 4, 4));
        uint32[] memory v = _seed();
        v[5] = MISSING; // (A2, B1)
        _instance(1, 3, 2, v);
        bytes memory err = abi.encodeWithSelector(ILeaderSchedule.ScheduleMissingLatency.selector, 3);
        _expectProposeRevert(_seq(1, 1, 1, 2), _seq(0, 0, 0, 1), _cut(true, false, 7, 0), err);
        // A window whose matrix was never reported is all MISSING.
        oracle.setCurrentEpoch(7);
        err = abi.encodeWithSelector(ILeaderSchedule.ScheduleMissingLatency.selector, 0);
        vm.expectRevert(err);
        schedule.propose(2, _seq(1, 1, 1, 1), _seq(0, 0, 0, 0), _cut(true, false, 7, 0));
    }

    function test_propose_revertsOnShareViolation() public {
        _seedInstance(_cfg(4, 0, 2, 0, 2, 4));
        bytes memory err = abi.encodeWithSelector(ILeaderSchedule.ScheduleShareViolated.selector, true, 1, 3);
        _expectProposeRevert(_seq(1, 1, 0, 1), _seq(0, 1, 0, 1), _cut(true, false, 5, 0), err);
        err = abi.encodeWithSelector(ILeaderSchedule.ScheduleShareViolated.selector, false, 0, 3);
        _expectProposeRevert(_seq(0, 1, 0, 1), _seq(0, 0, 0, 1), _cut(true, false, 5, 0), err);

        _seedInstance(_cfg(4, 0, 4, 1, 4, 4));
        err = abi.encodeWithSelector(ILeaderSchedule.ScheduleShareViolated.selector, false, 1, 0);
        _expectProposeRevert(_seq(1, 1, 1, 1), _seq(0, 0, 0, 0), _cut(true, true, 7, 1), err);

        _seedInstance(_cfg(4, 1, 4, 0, 4, 4));
        err = abi.encodeWithSelector(ILeaderSchedule.ScheduleShareViolated.selector, true, 0, 0);
        _expectProposeRevert(_seq(1, 1, 1, 1), _seq(0, 0, 0, 0), _cut(true, false, 7, 0), err);
    }

    function test_propose_revertsOnRunTooLong() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 2));
        ILeaderSchedule.Cut memory cut = _cut(true, false, 5, 0);
        bytes memory err = abi.encodeWithSelector(ILeaderSchedule.ScheduleRunTooLong.selector, true, 2);
        _expectProposeRevert(_seq(1, 1, 1, 0), _seq(0, 1, 0, 0), cut, err);
        err = abi.encodeWithSelector(ILeaderSchedule.ScheduleRunTooLong.selector, false, 2);
        _expectProposeRevert(_seq(1, 0, 1, 1), _seq(0, 0, 0, 1), cut, err);
    }

    function test_propose_revertsOutsideProposalEpoch() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 4));
        uint16[] memory la = _seq(1, 1, 1, 1);
        uint16[] memory lb = _seq(0, 0, 0, 0);
        ILeaderSchedule.Cut memory cut = _cut(true, false, 7, 0);
        uint64[3] memory epochs = [uint64(2), 4, 0];
        for (uint256 k; k < epochs.length; ++k) {
            oracle.setCurrentEpoch(epochs[k]);
            vm.expectRevert(
                abi.encodeWithSelector(ILeaderSchedule.ScheduleNotProposalTime.selector, uint64(1), epochs[k])
            );
            schedule.propose(1, la, lb, cut);
        }
        oracle.setCurrentEpoch(3);
        vm.expectRevert(abi.encodeWithSelector(ILeaderSchedule.ScheduleNotProposalTime.selector, uint64(0), 3));
        schedule.propose(0, la, lb, cut);
        vm.expectRevert(abi.encodeWithSelector(ILeaderSchedule.ScheduleNotProposalTime.selector, uint64(2), 3));
        schedule.propose(2, la, lb, cut);
        // E = 1: window 1 would be measured in epoch −1.
        _deploy(_cfg(1, 0, 1, 0, 1, 1));
        oracle.setCurrentEpoch(0);
        vm.expectRevert(abi.encodeWithSelector(ILeaderSchedule.ScheduleNotProposalTime.selector, uint64(1), 0));
        schedule.propose(1, _seq(1, 1, 1, 1), _seq(0, 0, 0, 0), cut);
    }

    function test_propose_revertsOnOversizedOrMisshapenMatrix() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 4));
        oracle.setNodeCount(NET_A, 257);
        vm.expectRevert(abi.encodeWithSelector(ILeaderSchedule.ScheduleInstanceTooLarge.selector, 257, 2, 4));
        schedule.propose(1, _seq(1, 1, 1, 1), _seq(0, 0, 0, 0), _cut(true, false, 7, 0));

        ShortMatrixOracle short = new ShortMatrixOracle();
        short.setNodeCount(NET_A, 3);
        short.setNodeCount(NET_B, 2);
        short.setCurrentEpoch(3);
        LeaderSchedule s = new LeaderSchedule(short, NET_A, NET_B, _cfg(4, 0, 4, 0, 4, 4));
        vm.expectRevert(abi.encodeWithSelector(ILeaderSchedule.ScheduleMatrixMismatch.selector, 5, 6));
        s.propose(1, _seq(1, 1, 1, 1), _seq(0, 0, 0, 0), _cut(true, false, 7, 0));
    }

    /*//////////////////////////////////////////////////////////////
                       PROPOSE: BETTER REPLACES WORSE
    //////////////////////////////////////////////////////////////*/

    function test_propose_betterReplacesWorse() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 2));
        ILeaderSchedule.Cut memory cut = _cut(true, false, 5, 0);
        // 116000: A1B1 ×3, A0B0.
        schedule.propose(1, _seq(1, 1, 0, 1), _seq(1, 1, 0, 1), cut);
        _assertStored(schedule, 1, 32_000, 116_000, _seq(1, 1, 0, 1), _seq(1, 1, 0, 1));
        // 115000: A1B1 ×2, A1B0, A0B0.
        schedule.propose(1, _seq(1, 1, 0, 1), _seq(1, 0, 0, 1), cut);
        _assertStored(schedule, 1, 32_000, 115_000, _seq(1, 1, 0, 1), _seq(1, 0, 0, 1));
        // 114000: the optimum.
        vm.expectEmit(address(schedule));
        emit ILeaderSchedule.ScheduleAccepted(1, address(this), 32_000, 114_000);
        schedule.propose(1, _seq(1, 1, 0, 1), _seq(0, 1, 0, 0), cut);
        _assertStored(schedule, 1, 32_000, 114_000, _seq(1, 1, 0, 1), _seq(0, 1, 0, 0));
        (uint16 b, bool scheduled) = schedule.leaderAt(NET_B, 5);
        assertEq(b, 1, "replaced leader");
        assertTrue(scheduled, "scheduled");
    }

    function test_propose_revertsOnWorseAfterBetter() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 2));
        ILeaderSchedule.Cut memory cut = _cut(true, false, 5, 0);
        schedule.propose(1, _seq(1, 1, 0, 1), _seq(0, 1, 0, 0), cut);
        // Equal threshold, higher sum.
        bytes memory err = abi.encodeWithSelector(
            ILeaderSchedule.ScheduleNotBetter.selector,
            32_000,
            115_000,
            32_000,
            114_000
        );
        _expectProposeRevert(_seq(1, 1, 0, 1), _seq(1, 0, 0, 1), cut, err);
        // Equal threshold and sum (a different order of the same pairs).
        err = abi.encodeWithSelector(ILeaderSchedule.ScheduleNotBetter.selector, 32_000, 114_000, 32_000, 114_000);
        _expectProposeRevert(_seq(1, 0, 1, 1), _seq(0, 0, 1, 0), cut, err);
        // Higher threshold (35000: A0B1): rejected before the cut is even looked at.
        err = abi.encodeWithSelector(ILeaderSchedule.ScheduleNotBetter.selector, 35_000, 117_000, 32_000, 114_000);
        _expectProposeRevert(_seq(1, 1, 0, 1), _seq(0, 1, 1, 0), cut, err);
        // The same schedule again.
        err = abi.encodeWithSelector(ILeaderSchedule.ScheduleNotBetter.selector, 32_000, 114_000, 32_000, 114_000);
        _expectProposeRevert(_seq(1, 1, 0, 1), _seq(0, 1, 0, 0), cut, err);
    }

    function test_propose_windowsAreIndependent() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 4));
        schedule.propose(1, _seq(1, 1, 1, 1), _seq(0, 0, 0, 0), _cut(true, false, 7, 0));
        // Window 2: measured in epoch 6 with another matrix (A0B1 cheapest).
        uint32[] memory v = _seed();
        v[1] = 10_000;
        _instance(2, 3, 2, v);
        schedule.propose(2, _seq(0, 0, 0, 0), _seq(1, 1, 1, 1), _cut(true, false, 7, 0));
        _assertStored(schedule, 1, 27_000, 108_000, _seq(1, 1, 1, 1), _seq(0, 0, 0, 0));
        _assertStored(schedule, 2, 10_000, 40_000, _seq(0, 0, 0, 0), _seq(1, 1, 1, 1));
    }

    /*//////////////////////////////////////////////////////////////
                                LEADER AT
    //////////////////////////////////////////////////////////////*/

    function test_leaderAt_scheduledAndFallback() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 2));
        schedule.propose(1, _seq(1, 1, 0, 1), _seq(0, 1, 0, 0), _cut(true, false, 5, 0));
        uint16[4] memory wantA = [uint16(1), 1, 0, 1];
        uint16[4] memory wantB = [uint16(0), 1, 0, 0];
        for (uint64 k; k < 4; ++k) {
            (uint16 a, bool sa) = schedule.leaderAt(NET_A, 4 + k);
            (uint16 b, bool sb) = schedule.leaderAt(NET_B, 4 + k);
            assertEq(a, wantA[k], "A");
            assertEq(b, wantB[k], "B");
            assertTrue(sa && sb, "scheduled");
        }
        // Windows 0 and 2 have no schedule: epoch mod n.
        for (uint64 epoch; epoch < 12; epoch += 1) {
            if (epoch >= 4 && epoch < 8) continue;
            (uint16 a, bool sa) = schedule.leaderAt(NET_A, epoch);
            (uint16 b, bool sb) = schedule.leaderAt(NET_B, epoch);
            assertEq(a, epoch % 3, "fallback A");
            assertEq(b, epoch % 2, "fallback B");
            assertFalse(sa || sb, "fallback");
        }
        (uint16 far, bool farScheduled) = schedule.leaderAt(NET_A, type(uint64).max);
        assertEq(far, type(uint64).max % 3, "fallback at the last epoch");
        assertFalse(farScheduled, "not scheduled");
    }

    function test_leaderAt_revertsOnUnknownNetworkOrNoNodes() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 4));
        vm.expectRevert(abi.encodeWithSelector(ILeaderSchedule.ScheduleUnknownNetwork.selector, NET_C));
        schedule.leaderAt(NET_C, 5);
        oracle.setNodeCount(NET_B, 0);
        vm.expectRevert(abi.encodeWithSelector(ILeaderSchedule.ScheduleNoNodes.selector, NET_B));
        schedule.leaderAt(NET_B, 5);
    }

    function test_scheduleOf_emptyWithoutSchedule() public {
        _deploy(_cfg(4, 0, 4, 0, 4, 4));
        (uint32 t, uint64 sum, address proposer, uint16[] memory la, uint16[] memory lb) = schedule.scheduleOf(1);
        assertEq(t, 0, "threshold");
        assertEq(sum, 0, "sum");
        assertEq(proposer, address(0), "proposer");
        assertEq(la.length + lb.length, 0, "empty");
    }

    /*//////////////////////////////////////////////////////////////
                              SOLVE ON CHAIN
    //////////////////////////////////////////////////////////////*/

    function test_solveOnChain_seedOptimum() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 4));
        vm.expectEmit(address(schedule));
        emit ILeaderSchedule.ScheduleAccepted(1, address(this), 27_000, 108_000);
        schedule.solveOnChain(1);
        _assertStored(schedule, 1, 27_000, 108_000, _seq(1, 1, 1, 1), _seq(0, 0, 0, 0));
    }

    /// @dev The first ordering tried (A1B0, A1B0, …) dead-ends: the search backtracks.
    function test_solveOnChain_runBound() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 2));
        schedule.solveOnChain(1);
        (uint256 t, uint256 sum, , ) = _stored(schedule, 1);
        assertEq(t, 32_000, "threshold");
        assertEq(sum, 114_000, "sum");
    }

    function test_solveOnChain_rawShareBound() public {
        _seedInstance(_cfg(4, 0, 2, 0, 2, 4));
        schedule.solveOnChain(1);
        (uint256 t, uint256 sum, , ) = _stored(schedule, 1);
        assertEq(t, 32_000, "threshold");
        assertEq(sum, 120_000, "sum");
    }

    function test_solveOnChain_sinkSide() public {
        _seedInstance(_cfg(4, 0, 4, 1, 4, 4));
        schedule.solveOnChain(1);
        (uint256 t, uint256 sum, , ) = _stored(schedule, 1);
        assertEq(t, 28_000, "threshold");
        assertEq(sum, 109_000, "sum");
    }

    function test_solveOnChain_revertsWhenNotBetter() public {
        _seedInstance(_cfg(4, 0, 4, 0, 4, 4));
        schedule.propose(1, _seq(1, 1, 1, 1), _seq(0, 0, 0, 0), _cut(true, false, 7, 0));
        vm.expectRevert(
            abi.encodeWithSelector(ILeaderSchedule.ScheduleNotBetter.selector, 27_000, 108_000, 27_000, 108_000)
        );
        schedule.solveOnChain(1);
    }

    function test_solveOnChain_revertsOnInfeasible() public {
        // Every pair MISSING.
        _deploy(_cfg(4, 0, 4, 0, 4, 4));
        oracle.setNodeCount(NET_A, 3);
        oracle.setNodeCount(NET_B, 2);
        oracle.setCurrentEpoch(3);
        vm.expectRevert(ILeaderSchedule.ScheduleInfeasible.selector);
        schedule.solveOnChain(1);
        // Three nodes of A must lead twice each in four epochs.
        _seedInstance(_cfg(4, 2, 4, 0, 4, 4));
        vm.expectRevert(ILeaderSchedule.ScheduleInfeasible.selector);
        schedule.solveOnChain(1);
        // Only A1 has finite latencies but may lead at most 2 epochs.
        _deploy(_cfg(4, 0, 2, 0, 4, 4));
        uint32[] memory v = _seed();
        v[0] = MISSING;
        v[1] = MISSING;
        v[4] = MISSING;
        v[5] = MISSING;
        _instance(1, 3, 2, v);
        vm.expectRevert(ILeaderSchedule.ScheduleInfeasible.selector);
        schedule.solveOnChain(1);
    }

    function test_solveOnChain_revertsOnLargeInstanceOrWrongTime() public {
        _deploy(_cfg(4, 0, 4, 0, 4, 4));
        _instance(1, 9, 2, new uint32[](18));
        vm.expectRevert(abi.encodeWithSelector(ILeaderSchedule.ScheduleInstanceTooLarge.selector, 9, 2, 4));
        schedule.solveOnChain(1);
        _deploy(_cfg(33, 0, 33, 0, 33, 33));
        _instance(1, 2, 2, new uint32[](4));
        vm.expectRevert(abi.encodeWithSelector(ILeaderSchedule.ScheduleInstanceTooLarge.selector, 2, 2, 33));
        schedule.solveOnChain(1);
        _seedInstance(_cfg(4, 0, 4, 0, 4, 4));
        oracle.setCurrentEpoch(4);
        vm.expectRevert(abi.encodeWithSelector(ILeaderSchedule.ScheduleNotProposalTime.selector, uint64(1), 4));
        schedule.solveOnChain(1);
    }

    function test_solveOnChain_offDiagonal() public {
        // n = m = 2, E = 2, no limits: L = [[5, 1], [1, 9]]: T = 1 with the off-diagonal pairs, sum 2.
        _deploy(_cfg(2, 0, 2, 0, 2, 2));
        uint32[] memory v = new uint32[](4);
        v[0] = 5;
        v[1] = 1;
        v[2] = 1;
        v[3] = 9;
        _instance(1, 2, 2, v);
        schedule.solveOnChain(1);
        (uint256 t, uint256 sum, , ) = _stored(schedule, 1);
        assertEq(t, 1, "threshold");
        assertEq(sum, 2, "sum");
    }
}

/// @notice Property tests of solveOnChain and the certificate check against brute force on small random
///         instances.
contract LeaderScheduleFuzzTest is LeaderScheduleTestBase {
    struct Instance {
        uint256 n;
        uint256 m;
        uint32[] lat;
        ILeaderSchedule.Config cfg;
    }

    function setUp() public {
        oracle = new MockLatencyOracle();
    }

    function _rand(uint256 seed, uint256 k) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, k)));
    }

    /// @dev n, m in [1, maxNodes], E in [2, maxEpochs], latencies in {1, …, 5}·1000 or MISSING (1 in 8),
    ///      share bounds in [0, E], maxRun in [1, E] (E itself when `unlimitedRuns`).
    function _randomInstance(
        uint256 seed,
        uint256 maxNodes,
        uint256 maxEpochs,
        bool unlimitedRuns
    ) internal returns (Instance memory inst) {
        inst.n = 1 + (_rand(seed, 0) % maxNodes);
        inst.m = 1 + (_rand(seed, 1) % maxNodes);
        uint256 e = 2 + (_rand(seed, 2) % (maxEpochs - 1));
        uint256 minA = _rand(seed, 3) % (e / inst.n + 2);
        uint256 minB = _rand(seed, 4) % (e / inst.m + 2);
        if (minA > e) minA = e;
        if (minB > e) minB = e;
        uint256 maxA = minA + (_rand(seed, 5) % (e - minA + 1));
        uint256 maxB = minB + (_rand(seed, 6) % (e - minB + 1));
        uint256 run = unlimitedRuns ? e : 1 + (_rand(seed, 7) % e);
        // The constructor refuses a minimum share above the run-limited cap ⌊R(E+1)/(R+1)⌋.
        uint256 cap = (run * (e + 1)) / (run + 1);
        if (minA > cap) minA = cap;
        if (minB > cap) minB = cap;
        if (maxA < minA) maxA = minA;
        if (maxB < minB) maxB = minB;
        inst.cfg = _cfg(e, minA, maxA, minB, maxB, run);
        inst.lat = new uint32[](inst.n * inst.m);
        for (uint256 p; p < inst.lat.length; ++p) {
            uint256 r = _rand(seed, 100 + p);
            inst.lat[p] = r % 8 == 0 ? MISSING : uint32(1000 * (1 + ((r >> 8) % 5)));
        }
        _deploy(inst.cfg);
        _instance(1, inst.n, inst.m, inst.lat);
    }

    /// @dev Brute force over all 2^(n+m+2) vertex sets: the first S valid at `threshold`.
    function _findCut(
        Instance memory inst,
        uint256 threshold
    ) internal pure returns (bool found, ILeaderSchedule.Cut memory cut) {
        for (uint256 s; s < 1 << (inst.n + inst.m + 2); ++s) {
            if (_cutValid(inst, threshold, s)) {
                return (true, _cut(s & 1 != 0, s & 2 != 0, (s >> 2) & ((1 << inst.n) - 1), s >> (2 + inst.n)));
            }
        }
    }

    /// @dev Whether S (bit 0: s, bit 1: t, then A_0 … A_{n−1}, then B_0 … B_{m−1}) is a cut valid at
    ///      `threshold`, evaluated edge by edge from the flow model's table (docs/LATENCY.md §3).
    function _cutValid(Instance memory inst, uint256 threshold, uint256 s) internal pure returns (bool) {
        if (_crossesEdge(inst, threshold, s)) return false;
        ILeaderSchedule.Config memory c = inst.cfg;
        uint256 runCap = (uint256(c.maxRun) * (uint256(c.epochsPerWindow) + 1)) / (uint256(c.maxRun) + 1);
        uint256 lowerIn;
        uint256 upperOut;
        bool sIn = s & 1 != 0;
        bool tIn = s & 2 != 0;
        for (uint256 i; i < inst.n; ++i) {
            bool aIn = (s >> (2 + i)) & 1 != 0;
            if (!sIn && aIn) lowerIn += c.minShareA; // s → A_i enters
            if (sIn && !aIn) upperOut += c.maxShareA < runCap ? c.maxShareA : runCap; // s → A_i leaves
        }
        for (uint256 j; j < inst.m; ++j) {
            bool bIn = (s >> (2 + inst.n + j)) & 1 != 0;
            if (!bIn && tIn) lowerIn += c.minShareB; // B_j → t enters
            if (bIn && !tIn) upperOut += c.maxShareB < runCap ? c.maxShareB : runCap; // B_j → t leaves
        }
        if (!tIn && sIn) lowerIn += c.epochsPerWindow; // t → s enters
        if (tIn && !sIn) upperOut += c.epochsPerWindow; // t → s leaves
        return lowerIn > upperOut;
    }

    /// @dev Whether an edge A_i → B_j with L(i, j) < threshold (upper bound ∞) leaves S.
    function _crossesEdge(Instance memory inst, uint256 threshold, uint256 s) internal pure returns (bool) {
        for (uint256 i; i < inst.n; ++i) {
            if ((s >> (2 + i)) & 1 == 0) continue;
            for (uint256 j; j < inst.m; ++j) {
                bool bIn = (s >> (2 + inst.n + j)) & 1 != 0;
                if (!bIn && inst.lat[i * inst.m + j] < threshold) return true;
            }
        }
        return false;
    }

    /// @dev Brute force over all (n·m)^E sequences of pairs: whether a schedule exists, and the least
    ///      (T, sum) lexicographically.
    function _bruteForce(Instance memory inst) internal pure returns (bool exists, uint256 bestT, uint256 bestSum) {
        uint256 e = inst.cfg.epochsPerWindow;
        uint256 pairs = inst.n * inst.m;
        uint256 total = pairs ** e;
        bestT = type(uint256).max;
        // Buffers reused by every evaluation: leaders of A and B, then counts.
        uint256[][4] memory buf = [new uint256[](e), new uint256[](e), new uint256[](inst.n), new uint256[](inst.m)];
        for (uint256 code; code < total; ++code) {
            (bool ok, uint256 t, uint256 sum) = _evaluate(inst, code, pairs, buf);
            if (ok && (t < bestT || (t == bestT && sum < bestSum))) {
                exists = true;
                bestT = t;
                bestSum = sum;
            }
        }
    }

    function _evaluate(
        Instance memory inst,
        uint256 code,
        uint256 pairs,
        uint256[][4] memory buf
    ) internal pure returns (bool ok, uint256 t, uint256 sum) {
        ILeaderSchedule.Config memory c = inst.cfg;
        for (uint256 k; k < c.epochsPerWindow; ++k) {
            uint256 p = code % pairs;
            code /= pairs;
            buf[0][k] = p / inst.m;
            buf[1][k] = p % inst.m;
            uint256 cost = inst.lat[p];
            if (cost == MISSING) return (false, 0, 0);
            if (cost > t) t = cost;
            sum += cost;
        }
        ok =
            _sequenceOk(buf[0], buf[2], c.minShareA, c.maxShareA, c.maxRun) &&
            _sequenceOk(buf[1], buf[3], c.minShareB, c.maxShareB, c.maxRun);
    }

    function _sequenceOk(
        uint256[] memory seq,
        uint256[] memory counts,
        uint256 lo,
        uint256 hi,
        uint256 maxRun
    ) internal pure returns (bool) {
        for (uint256 i; i < counts.length; ++i) counts[i] = 0;
        uint256 run;
        for (uint256 k; k < seq.length; ++k) {
            run = k > 0 && seq[k] == seq[k - 1] ? run + 1 : 1;
            if (run > maxRun) return false;
            ++counts[seq[k]];
        }
        for (uint256 i; i < counts.length; ++i) {
            if (counts[i] < lo || counts[i] > hi) return false;
        }
        return true;
    }

    /// @dev Without run limits the flow relaxation is exact: solveOnChain's threshold has a cut (found by
    ///      brute force, accepted by `propose` of a second instance), or, if it reports infeasible, a cut
    ///      exists even with every finite edge.
    function testFuzz_solveOnChain_certifiedWithoutRunLimit(uint256 seed) public {
        Instance memory inst = _randomInstance(seed, 3, 6, true);
        try schedule.solveOnChain(1) {
            (uint256 t, , uint16[] memory la, uint16[] memory lb) = _stored(schedule, 1);
            (bool found, ILeaderSchedule.Cut memory cut) = _findCut(inst, t);
            assertTrue(found, "optimal threshold has a cut");
            LeaderSchedule other = new LeaderSchedule(oracle, NET_A, NET_B, inst.cfg);
            other.propose(1, la, lb, cut);
        } catch (bytes memory err) {
            assertEq(err, abi.encodeWithSelector(ILeaderSchedule.ScheduleInfeasible.selector), "infeasible");
            (bool found, ) = _findCut(inst, MISSING);
            assertTrue(found, "infeasibility has a cut");
        }
    }

    /// @dev With run limits, on instances small enough to enumerate every schedule: solveOnChain finds a
    ///      schedule iff one exists, and its threshold is the optimum.
    function testFuzz_solveOnChain_matchesBruteForce(uint256 seed) public {
        Instance memory inst = _randomInstance(seed, 2, 5, false);
        (bool exists, uint256 bestT, ) = _bruteForce(inst);
        try schedule.solveOnChain(1) {
            (uint256 t, , , ) = _stored(schedule, 1);
            assertTrue(exists, "brute force finds a schedule");
            assertEq(t, bestT, "optimal threshold");
        } catch (bytes memory err) {
            assertEq(err, abi.encodeWithSelector(ILeaderSchedule.ScheduleInfeasible.selector), "infeasible");
            assertFalse(exists, "no schedule exists");
        }
    }

    /// @dev Every proposal accepted with a brute-forced cut has the brute-force optimal threshold, and no
    ///      cut is valid at any larger threshold (a certificate cannot lie about a worse schedule).
    function testFuzz_propose_cutOnlyAtOptimum(uint256 seed) public {
        Instance memory inst = _randomInstance(seed, 2, 5, false);
        (bool exists, uint256 bestT, ) = _bruteForce(inst);
        if (!exists) return;
        (bool atOptimum, ) = _findCut(inst, bestT);
        bool feasibleRelaxation = true;
        for (uint256 p; p < inst.lat.length; ++p) {
            uint256 cost = inst.lat[p];
            if (cost == MISSING || cost <= bestT) continue;
            (bool above, ) = _findCut(inst, cost);
            if (above) feasibleRelaxation = false;
        }
        assertTrue(feasibleRelaxation, "no cut above the optimum");
        // The cut may be absent at the optimum only when run limits make the flow relaxation loose.
        if (inst.cfg.maxRun >= inst.cfg.epochsPerWindow) assertTrue(atOptimum, "cut at the optimum");
    }
}

/// @notice Gas of propose and solveOnChain, isolated so `.gas-snapshot` tracks them: each instance is set
///         up in setUp (own pair of networks on one mock oracle, current epoch 63 = the proposal epoch of
///         every instance's window) and each test body is one call plus building its calldata in memory.
contract LeaderScheduleGasTest is Test {
    MockLatencyOracle internal oracle;
    LeaderSchedule internal n16;
    LeaderSchedule internal n16Full;
    LeaderSchedule internal seed;
    LeaderSchedule internal n8;

    uint256 internal constant PROPOSE_BUDGET = 3_000_000;

    function setUp() public {
        oracle = new MockLatencyOracle();
        oracle.setCurrentEpoch(63);
        // n = m = 16, E = 64 (window 1), L(i, j) = 1000(i + 1) + j, shares exactly 4, R = 1.
        n16 = _make(1, 2, ILeaderSchedule.Config(64, 4, 4, 4, 4, 1), 16, 16, 62, 0);
        // n = m = 16, E = 64, L(i, j) = 1000 + 100·((j − i) mod 16) (the diagonal is the minimum), no limits:
        // T = 1000, and the cut {s} ∪ A scans all 256 entries.
        n16Full = _make(3, 4, ILeaderSchedule.Config(64, 0, 64, 0, 64, 64), 16, 16, 62, 1);
        // Seed, E = 4 (window 16).
        seed = _make(5, 6, ILeaderSchedule.Config(4, 0, 4, 0, 4, 4), 3, 2, 62, 2);
        // n = m = 8, E = 32 (window 2), pseudo-random latencies, shares in [2, 6], R = 2.
        n8 = _make(7, 8, ILeaderSchedule.Config(32, 2, 6, 2, 6, 2), 8, 8, 62, 3);
    }

    function _make(
        uint64 a,
        uint64 b,
        ILeaderSchedule.Config memory cfg,
        uint256 n,
        uint256 m,
        uint64 measured,
        uint256 kind
    ) internal returns (LeaderSchedule s) {
        ChainId na = ChainId.wrap(a);
        ChainId nb = ChainId.wrap(b);
        oracle.setNodeCount(na, uint32(n));
        oracle.setNodeCount(nb, uint32(m));
        uint32[] memory v = new uint32[](n * m);
        for (uint256 i; i < n; ++i) {
            for (uint256 j; j < m; ++j) {
                uint256 cost;
                if (kind == 0) cost = 1000 * (i + 1) + j;
                else if (kind == 1) cost = 1000 + 100 * ((j + 16 - i) % 16);
                else if (kind == 2) cost = [uint256(32_000), 35_000, 27_000, 28_000, 40_000, 42_000][i * m + j];
                else cost = 10_000 + (uint256(keccak256(abi.encode(i, j))) % 90_000);
                v[i * m + j] = uint32(cost);
            }
        }
        oracle.setMatrix(measured, na, nb, v);
        s = new LeaderSchedule(oracle, na, nb, cfg);
    }

    function test_propose_gasN16() public {
        uint16[] memory la = new uint16[](64);
        uint16[] memory lb = new uint16[](64);
        for (uint256 k; k < 64; ++k) {
            la[k] = uint16(k % 16);
            lb[k] = uint16((k + 1) % 16);
        }
        ILeaderSchedule.Cut memory cut = ILeaderSchedule.Cut(false, false, 1 << 15, 0);
        uint256 before = gasleft();
        n16.propose(1, la, lb, cut);
        assertLt(before - gasleft(), PROPOSE_BUDGET, "propose n = 16");
    }

    function test_propose_gasN16FullCut() public {
        uint16[] memory la = new uint16[](64);
        uint16[] memory lb = new uint16[](64);
        for (uint256 k; k < 64; ++k) {
            la[k] = uint16(k % 16);
            lb[k] = uint16(k % 16);
        }
        ILeaderSchedule.Cut memory cut = ILeaderSchedule.Cut(true, false, type(uint16).max, 0);
        uint256 before = gasleft();
        n16Full.propose(1, la, lb, cut);
        assertLt(before - gasleft(), PROPOSE_BUDGET, "propose n = 16, full cut");
    }

    function test_propose_gasSeed() public {
        uint16[] memory la = new uint16[](4);
        uint16[] memory lb = new uint16[](4);
        for (uint256 k; k < 4; ++k) la[k] = 1;
        seed.propose(16, la, lb, ILeaderSchedule.Cut(true, false, 7, 0));
    }

    function test_solveOnChain_gasSeed() public {
        seed.solveOnChain(16);
    }

    function test_solveOnChain_gasN8() public {
        n8.solveOnChain(2);
    }
}
