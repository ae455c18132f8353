// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LibBit} from "solady/src/utils/LibBit.sol";
import {LibSort} from "solady/src/utils/LibSort.sol";

import {ILatencyOracle} from "../interfaces/ILatencyOracle.sol";
import {ILeaderSchedule} from "../interfaces/ILeaderSchedule.sol";
import {ChainId} from "../types/ChainId.sol";

/// @title LeaderSchedule
/// @notice Latency-optimal leader rotation for two networks A and B (docs/LATENCY.md §2–4). Anyone proposes
///         the schedule of a window together with a Hoffman cut proving that no schedule has a lower
///         bottleneck; the contract checks both against the oracle's matrix and keeps the best proposal.
/// @dev Invariants:
///      S1  a stored schedule of window k has exactly E epochs, node indices below the oracle's node counts
///          when it was stored, every pair's latency (matrix of epoch k·E − 2) ≤ its threshold T < MISSING,
///          every node's count within the raw share bounds [min, max], and no run longer than R, in either
///          network.
///      S2  T of a stored schedule is the maximum and `sum` the sum of its pairs' latencies.
///      S3  a schedule stored by `propose` came with a cut valid at T with the effective upper bounds
///          hi' = min(max, ⌊R(E+1)/(R+1)⌋): no schedule has all its pairs < T, so T is optimal.
///      S4  the stored (T, sum) of a window only decreases lexicographically; the proposer is non-zero
///          iff a schedule is stored.
///      S5  proposals (and on-chain solving) for window k happen only while the oracle's current epoch is
///          k·E − 1, with k·E ≥ 2.
///
///      Cost model. `propose` makes four oracle calls (currentEpoch, two nodeCounts, and the matrix of the
///      measurement epoch, whose values are read in place from the returned data, not re-decoded) and then
///      works in memory: O(E) for the schedule, |S∩A|·|B∖S| lookups for the cut's edge condition and O(1)
///      for its bound condition (popcounts). A schedule is one head word (T, sum, proposer) plus ⌈E/16⌉
///      words of leaders: 16 epochs a word, 16 bits an epoch (A's node in the high byte, B's in the low
///      byte; nodes are < 256 by the oracle's limit). A better proposal overwrites the same words.
///
///      `solveOnChain` (n, m ≤ 8, E ≤ 32) scans the distinct finite latencies in ascending order with an
///      incremental max-flow (Edmonds–Karp over bitmask adjacency, ≤ 20 vertices) on the lower-bound
///      transform of the flow model: the first value v at which it saturates is the optimal bottleneck of
///      the flow relaxation (a cut exists below v). The flow's pairs are then put in order by a depth-first
///      search (most remaining first, pruned by the run rule and each network's single-sequence condition);
///      if they cannot be ordered, a second depth-first search over every pair ≤ v (counts free) is tried,
///      and then the flow is rebuilt at the next value. Both searches share 4·E + 64 steps; when they are
///      spent it gives up with ScheduleInfeasible (an off-chain solver may still find and propose one).
///      Measured for n = m = 8, E = 32: about 1–1.3M gas when the first ordering succeeds, about 7M when
///      every search fails. The stored schedule is checked like a proposal but carries no certificate (its
///      T exceeds v only when the ordering forced it); the sum is not minimised: a certified or cheaper
///      proposal replaces it.
contract LeaderSchedule is ILeaderSchedule {
    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One window's schedule: `head` packs threshold (bits 0–31), sum (32–95) and proposer (96–255);
    ///      `leaders[w]` holds epochs 16w … 16w + 15, epoch offset e in bits 16(e mod 16) … +15.
    struct Window {
        uint256 head;
        mapping(uint256 word => uint256) leaders;
    }

    mapping(uint64 window => Window) private _windows;

    /*//////////////////////////////////////////////////////////////
                               IMMUTABLES
    //////////////////////////////////////////////////////////////*/

    ILatencyOracle private immutable _oracle;
    ChainId private immutable _networkA;
    ChainId private immutable _networkB;
    uint256 private immutable _epochs;
    uint256 private immutable _minShareA;
    uint256 private immutable _maxShareA;
    uint256 private immutable _minShareB;
    uint256 private immutable _maxShareB;
    uint256 private immutable _maxRun;
    /// @dev Effective upper bounds hi' = min(max, ⌊R(E+1)/(R+1)⌋) (docs/LATENCY.md §2).
    uint256 private immutable _effMaxA;
    uint256 private immutable _effMaxB;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    /// @dev The oracle's MISSING (2^32 − 1): never below any finite threshold.
    uint256 private constant _MISSING = type(uint32).max;
    /// @dev Node indices are stored in one byte: the oracle allows at most 256 nodes per network.
    uint256 private constant _MAX_NODES = 256;
    /// @dev Epochs per storage word of leaders.
    uint256 private constant _PER_WORD = 16;
    /// @dev `solveOnChain` limits.
    uint256 private constant _SOLVE_MAX_NODES = 8;
    uint256 private constant _SOLVE_MAX_EPOCHS = 32;
    /// @dev Capacity standing for ∞ on A→B edges: above any flow through one node (≤ E).
    uint256 private constant _INF = type(uint64).max;
    /// @dev Depth-first search steps of `solveOnChain` (all thresholds together): 4·E + 64.
    uint256 private constant _SEARCH_STEPS_PER_EPOCH = 4;
    uint256 private constant _SEARCH_STEPS = 64;
    /// @dev "No node" (before the first epoch) and "no bound" (first candidate at a depth).
    uint256 private constant _NONE = type(uint256).max;

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @param latencyOracle The latency oracle whose matrices the schedules use.
    /// @param networkA Network A (rows of the matrix).
    /// @param networkB Network B (columns); must differ from A.
    /// @param cfg E ≥ 1, 0 ≤ min ≤ max ≤ E for both networks, maxRun ≥ 1.
    constructor(ILatencyOracle latencyOracle, ChainId networkA, ChainId networkB, Config memory cfg) {
        uint256 e = cfg.epochsPerWindow;
        if (
            address(latencyOracle) == address(0) ||
            networkA == networkB ||
            e == 0 ||
            cfg.minShareA > cfg.maxShareA ||
            cfg.maxShareA > e ||
            cfg.minShareB > cfg.maxShareB ||
            cfg.maxShareB > e ||
            cfg.maxRun == 0
        ) revert ScheduleInvalidConfig();
        _oracle = latencyOracle;
        _networkA = networkA;
        _networkB = networkB;
        _epochs = e;
        _minShareA = cfg.minShareA;
        _maxShareA = cfg.maxShareA;
        _minShareB = cfg.minShareB;
        _maxShareB = cfg.maxShareB;
        _maxRun = cfg.maxRun;
        uint256 runCap = (uint256(cfg.maxRun) * (e + 1)) / (uint256(cfg.maxRun) + 1);
        _effMaxA = cfg.maxShareA < runCap ? cfg.maxShareA : runCap;
        _effMaxB = cfg.maxShareB < runCap ? cfg.maxShareB : runCap;
        // Every edge of the flow model needs lower ≤ upper (Hoffman's theorem assumes it): a minimum share
        // above the run-limited cap could never be met, and no certificate could ever prove anything.
        if (cfg.minShareA > _effMaxA || cfg.minShareB > _effMaxB) revert ScheduleInvalidConfig();
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILeaderSchedule
    function propose(uint64 window, uint16[] calldata leadersA, uint16[] calldata leadersB, Cut calldata cut) external {
        (uint256[] memory lat, uint256 n, uint256 m) = _loadInstance(window);
        (uint256 threshold, uint256 sum) = _checkSchedule(lat, n, m, leadersA, leadersB);
        _checkBetter(window, threshold, sum);
        _checkCut(lat, n, m, threshold, cut);
        _store(window, leadersA, leadersB, threshold, sum);
    }

    /// @inheritdoc ILeaderSchedule
    function solveOnChain(uint64 window) external {
        (uint256[] memory lat, uint256 n, uint256 m) = _loadInstance(window);
        if (n > _SOLVE_MAX_NODES || m > _SOLVE_MAX_NODES || _epochs > _SOLVE_MAX_EPOCHS) {
            revert ScheduleInstanceTooLarge(n, m, _epochs);
        }
        (uint16[] memory leadersA, uint16[] memory leadersB) = _solve(lat, n, m);
        (uint256 threshold, uint256 sum) = _checkSchedule(lat, n, m, leadersA, leadersB);
        _checkBetter(window, threshold, sum);
        _store(window, leadersA, leadersB, threshold, sum);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILeaderSchedule
    function leaderAt(ChainId network, uint64 epoch) external view returns (uint16 node, bool scheduled) {
        bool isA = network == _networkA;
        if (!isA && network != _networkB) revert ScheduleUnknownNetwork(network);
        Window storage w = _windows[uint64(epoch / _epochs)];
        if (w.head != 0) {
            uint256 offset = epoch % _epochs;
            uint256 lane = (w.leaders[offset / _PER_WORD] >> ((offset % _PER_WORD) * 16)) & 0xffff;
            return (uint16(isA ? lane >> 8 : lane & 0xff), true);
        }
        uint256 count = _oracle.nodeCount(network);
        if (count == 0) revert ScheduleNoNodes(network);
        return (uint16(epoch % count), false);
    }

    /// @inheritdoc ILeaderSchedule
    function scheduleOf(
        uint64 window
    )
        external
        view
        returns (uint32 threshold, uint64 sum, address proposer, uint16[] memory leadersA, uint16[] memory leadersB)
    {
        Window storage w = _windows[window];
        uint256 head = w.head;
        if (head == 0) return (0, 0, address(0), leadersA, leadersB);
        threshold = uint32(head);
        sum = uint64(head >> 32);
        proposer = address(uint160(head >> 96));
        uint256 e = _epochs;
        leadersA = new uint16[](e);
        leadersB = new uint16[](e);
        uint256 word;
        for (uint256 k; k < e; ++k) {
            if (k % _PER_WORD == 0) word = w.leaders[k / _PER_WORD];
            uint256 lane = (word >> ((k % _PER_WORD) * 16)) & 0xffff;
            leadersA[k] = uint16(lane >> 8);
            leadersB[k] = uint16(lane & 0xff);
        }
    }

    /// @inheritdoc ILeaderSchedule
    function measurementEpoch(uint64 window) public view returns (uint64) {
        uint256 start = uint256(window) * _epochs;
        if (start < 2 || start - 2 > type(uint64).max) revert ScheduleNoMeasurementEpoch(window);
        return uint64(start - 2);
    }

    /// @inheritdoc ILeaderSchedule
    function networks() external view returns (ChainId a, ChainId b) {
        return (_networkA, _networkB);
    }

    /// @inheritdoc ILeaderSchedule
    function config() external view returns (Config memory) {
        return
            Config({
                epochsPerWindow: uint16(_epochs),
                minShareA: uint16(_minShareA),
                maxShareA: uint16(_maxShareA),
                minShareB: uint16(_minShareB),
                maxShareB: uint16(_maxShareB),
                maxRun: uint16(_maxRun)
            });
    }

    /// @inheritdoc ILeaderSchedule
    function oracle() external view returns (ILatencyOracle) {
        return _oracle;
    }

    /// @inheritdoc ILeaderSchedule
    function effectiveMaxShares() external view returns (uint256 a, uint256 b) {
        return (_effMaxA, _effMaxB);
    }

    /*//////////////////////////////////////////////////////////////
                           INSTANCE AND CHECKS
    //////////////////////////////////////////////////////////////*/

    /// @dev Checks the timing rule (current epoch = window·E − 1) and reads the matrix of the measurement
    ///      epoch window·E − 2 with its dimensions (node counts of A and B, each at most 256).
    function _loadInstance(uint64 window) private view returns (uint256[] memory lat, uint256 n, uint256 m) {
        uint64 current = _oracle.currentEpoch();
        uint256 start = uint256(window) * _epochs;
        if (start < 2 || uint256(current) + 1 != start) revert ScheduleNotProposalTime(window, current);
        n = _oracle.nodeCount(_networkA);
        m = _oracle.nodeCount(_networkB);
        if (n > _MAX_NODES || m > _MAX_NODES) revert ScheduleInstanceTooLarge(n, m, _epochs);
        lat = _fetchMatrix(uint64(start - 2), n * m);
    }

    /// @dev `oracle.matrix(epoch, A, B).values`, read in place from the returned data: the words are not
    ///      re-encoded or range-checked one by one (a word ≥ MISSING counts as MISSING), and the flags are
    ///      ignored. Reverts with ScheduleMatrixMismatch unless the values array lies inside the returned
    ///      data and has `expected` entries; bubbles the oracle's revert.
    function _fetchMatrix(uint64 epoch, uint256 expected) private view returns (uint256[] memory lat) {
        (bool ok, bytes memory ret) = address(_oracle).staticcall(
            abi.encodeCall(ILatencyOracle.matrix, (epoch, _networkA, _networkB))
        );
        assembly ("memory-safe") {
            if iszero(ok) {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        uint256 size = ret.length;
        uint256 offset;
        uint256 length;
        assembly ("memory-safe") {
            offset := mload(add(ret, 0x20))
        }
        if (size < 64 || offset > size - 32) revert ScheduleMatrixMismatch(0, expected);
        assembly ("memory-safe") {
            lat := add(add(ret, 0x20), offset)
            length := mload(lat)
        }
        if (length != expected || length > (size - 32 - offset) / 32) revert ScheduleMatrixMismatch(length, expected);
    }

    /// @dev Lengths, node ranges, runs and raw share bounds of each network, then MISSING pairs; returns
    ///      (T, sum).
    function _checkSchedule(
        uint256[] memory lat,
        uint256 n,
        uint256 m,
        uint16[] memory leadersA,
        uint16[] memory leadersB
    ) private view returns (uint256 threshold, uint256 sum) {
        uint256 e = _epochs;
        if (leadersA.length != e || leadersB.length != e) {
            revert ScheduleWrongLength(leadersA.length, leadersB.length, e);
        }
        _checkSequence(leadersA, n, _minShareA, _maxShareA, true);
        _checkSequence(leadersB, m, _minShareB, _maxShareB, false);
        // Indices are in range (checked above) and every added cost is < 2^32: no overflow.
        unchecked {
            for (uint256 k; k < e; ++k) {
                uint256 cost = lat[uint256(leadersA[k]) * m + leadersB[k]];
                if (cost >= _MISSING) revert ScheduleMissingLatency(k);
                if (cost > threshold) threshold = cost;
                sum += cost;
            }
        }
    }

    /// @dev One network's leaders: every index below `count`, no run longer than R, every node's count
    ///      within [lo, hi].
    function _checkSequence(
        uint16[] memory leaders,
        uint256 count,
        uint256 lo,
        uint256 hi,
        bool networkA
    ) private view {
        unchecked {
            uint256 maxRun = _maxRun;
            uint256[] memory counts = new uint256[](count);
            uint256 prev = _NONE;
            uint256 run;
            for (uint256 k; k < leaders.length; ++k) {
                uint256 x = leaders[k];
                if (x >= count) revert ScheduleNodeOutOfRange(k, x);
                run = x == prev ? run + 1 : 1;
                if (run > maxRun) revert ScheduleRunTooLong(networkA, k);
                prev = x;
                ++counts[x];
            }
            for (uint256 i; i < count; ++i) {
                uint256 c = counts[i];
                if (c < lo || c > hi) revert ScheduleShareViolated(networkA, i, c);
            }
        }
    }

    /// @dev Reverts unless (threshold, sum) beats the stored schedule of `window` (or none is stored).
    function _checkBetter(uint64 window, uint256 threshold, uint256 sum) private view {
        uint256 head = _windows[window].head;
        if (head == 0) return;
        uint256 storedThreshold = uint32(head);
        uint256 storedSum = uint64(head >> 32);
        if (threshold < storedThreshold || (threshold == storedThreshold && sum < storedSum)) return;
        revert ScheduleNotBetter(uint32(threshold), uint64(sum), uint32(storedThreshold), uint64(storedSum));
    }

    /// @dev The cut is valid at `threshold` (docs/LATENCY.md §3): no edge A_i → B_j with L(i, j) < T leaves
    ///      S, and lowerIn(S) > upperOut(S) with the effective upper bounds.
    function _checkCut(uint256[] memory lat, uint256 n, uint256 m, uint256 threshold, Cut calldata cut) private view {
        uint256 maskA = cut.maskA;
        uint256 maskB = cut.maskB;
        if ((n < 256 && maskA >> n != 0) || (m < 256 && maskB >> m != 0)) {
            revert ScheduleCutOutOfRange(maskA, maskB);
        }
        _checkCutEdges(lat, m, threshold, maskA, maskB);

        // Bound condition over s → A_i, B_j → t and t → s.
        uint256 inA = LibBit.popCount(maskA);
        uint256 inB = LibBit.popCount(maskB);
        uint256 lowerIn;
        uint256 upperOut;
        bool sourceIn = cut.sourceIn;
        bool sinkIn = cut.sinkIn;
        if (sourceIn) upperOut += _effMaxA * (n - inA);
        else lowerIn += _minShareA * inA;
        if (sinkIn) lowerIn += _minShareB * (m - inB);
        else upperOut += _effMaxB * inB;
        if (sourceIn && !sinkIn) lowerIn += _epochs;
        if (sinkIn && !sourceIn) upperOut += _epochs;
        if (lowerIn <= upperOut) revert ScheduleCutNotViolated(lowerIn, upperOut);
    }

    /// @dev Edge condition: A_i ∈ S and B_j ∉ S imply L(i, j) ≥ T. Lists B ∖ S once, then scans the rows of
    ///      S ∩ A (masks already checked to lie below n and m).
    function _checkCutEdges(
        uint256[] memory lat,
        uint256 m,
        uint256 threshold,
        uint256 maskA,
        uint256 maskB
    ) private pure {
        unchecked {
            uint256[] memory outB = new uint256[](m);
            uint256 outCount;
            for (uint256 j; j < m; ++j) {
                if ((maskB >> j) & 1 == 0) outB[outCount++] = j;
            }
            if (outCount == 0) return;
            for (uint256 rest = maskA; rest != 0; rest &= rest - 1) {
                uint256 i = LibBit.ffs(rest);
                uint256 row = i * m;
                for (uint256 q; q < outCount; ++q) {
                    uint256 j = outB[q];
                    if (lat[row + j] < threshold) revert ScheduleCutCrossesEdge(i, j);
                }
            }
        }
    }

    /// @dev Writes the schedule (head word and packed leaders) and emits ScheduleAccepted.
    function _store(
        uint64 window,
        uint16[] memory leadersA,
        uint16[] memory leadersB,
        uint256 threshold,
        uint256 sum
    ) private {
        unchecked {
            Window storage w = _windows[window];
            w.head = threshold | (sum << 32) | (uint256(uint160(msg.sender)) << 96);
            uint256 e = leadersA.length;
            uint256 word;
            for (uint256 k; k < e; ++k) {
                word |= ((uint256(leadersA[k]) << 8) | leadersB[k]) << ((k % _PER_WORD) * 16);
                if (k % _PER_WORD == _PER_WORD - 1 || k == e - 1) {
                    w.leaders[k / _PER_WORD] = word;
                    word = 0;
                }
            }
            emit ScheduleAccepted(window, msg.sender, uint32(threshold), uint64(sum));
        }
    }

    /*//////////////////////////////////////////////////////////////
                            ON-CHAIN SOLVER
    //////////////////////////////////////////////////////////////*/

    /// @dev Residual network of the lower-bound transform: vertices s = 0, t = 1, A_i = 2 + i,
    ///      B_j = 2 + n + j, S' = v − 2, T' = v − 1; `cap` is v × v row-major, `adj[u]` has bit x set iff
    ///      cap(u, x) > 0.
    struct Flow {
        uint256 v;
        uint256[] cap;
        uint256[] adj;
        uint256[] parent;
        uint256[] queue;
        uint256 flow;
        uint256 need;
        /// @dev Search steps left to `_order` and `_search`, shared by every threshold.
        uint256 budget;
    }

    /// @dev The optimal bottleneck of the flow relaxation and an ordering of its pairs (see the header).
    function _solve(
        uint256[] memory lat,
        uint256 n,
        uint256 m
    ) private view returns (uint16[] memory leadersA, uint16[] memory leadersB) {
        if (_minShareA > _effMaxA || _minShareB > _effMaxB) revert ScheduleInfeasible();
        // Finite entries as (latency << 16 | index), ascending.
        uint256 size = n * m;
        uint256[] memory keys = new uint256[](size);
        uint256 finite;
        for (uint256 p; p < size; ++p) {
            uint256 cost = lat[p];
            if (cost < _MISSING) keys[finite++] = (cost << 16) | p;
        }
        assembly ("memory-safe") {
            mstore(keys, finite)
        }
        LibSort.sort(keys);

        Flow memory f = _newFlow(n, m);
        _initFlow(f, n, m);
        f.budget = _SEARCH_STEPS_PER_EPOCH * _epochs + _SEARCH_STEPS;
        bool rebuild;
        uint256 q;
        while (q < finite) {
            uint256 value = keys[q] >> 16;
            if (rebuild) {
                _initFlow(f, n, m);
                for (uint256 r; r < q; ++r) _addEdge(f, n, m, keys[r] & 0xffff);
                rebuild = false;
            }
            for (; q < finite && keys[q] >> 16 == value; ++q) _addEdge(f, n, m, keys[q] & 0xffff);
            _augment(f);
            if (f.flow == f.need) {
                bool ok;
                (ok, leadersA, leadersB) = _order(f, n, m);
                if (!ok) (ok, leadersA, leadersB) = _search(f, lat, m, value);
                if (ok) return (leadersA, leadersB);
                if (f.budget == 0) break; // out of search steps: give up
                rebuild = true;
            }
        }
        revert ScheduleInfeasible();
    }

    /// @dev Allocates the residual network of n + m + 4 vertices (filled by `_initFlow`).
    function _newFlow(uint256 n, uint256 m) private pure returns (Flow memory f) {
        uint256 v = n + m + 4;
        f.v = v;
        f.cap = new uint256[](v * v);
        f.adj = new uint256[](v);
        f.parent = new uint256[](v);
        f.queue = new uint256[](v);
    }

    /// @dev (Re)sets `f` to the transformed network without A → B edges: s → A_i (hi' − lo), B_j → t
    ///      (hi' − lo), the lower bounds moved to S' and T', and t → s (lower = upper = E) reduced to its
    ///      excesses; zero flow.
    function _initFlow(Flow memory f, uint256 n, uint256 m) private view {
        uint256 v = f.v;
        uint256[] memory cap = f.cap;
        uint256[] memory adj = f.adj;
        for (uint256 x; x < cap.length; ++x) cap[x] = 0;
        for (uint256 x; x < v; ++x) adj[x] = 0;
        f.flow = 0;
        uint256 src = v - 2;
        uint256 snk = v - 1;
        uint256 loA = _minShareA;
        uint256 loB = _minShareB;
        uint256 e = _epochs;
        for (uint256 i; i < n; ++i) {
            _addCap(f, 0, 2 + i, _effMaxA - loA);
            _addCap(f, src, 2 + i, loA);
        }
        for (uint256 j; j < m; ++j) {
            _addCap(f, 2 + n + j, 1, _effMaxB - loB);
            _addCap(f, 2 + n + j, snk, loB);
        }
        // Excess of s: E (from t → s) − n·loA (to the A's); excess of t: m·loB − E.
        uint256 outA = n * loA;
        uint256 inB = m * loB;
        uint256 need = outA;
        if (e > outA) {
            _addCap(f, src, 0, e - outA);
            need += e - outA;
        } else {
            _addCap(f, 0, snk, outA - e);
        }
        if (inB > e) {
            _addCap(f, src, 1, inB - e);
            need += inB - e;
        } else {
            _addCap(f, 1, snk, e - inB);
        }
        f.need = need;
    }

    function _addCap(Flow memory f, uint256 u, uint256 x, uint256 c) private pure {
        if (c == 0) return;
        f.cap[u * f.v + x] += c;
        f.adj[u] |= 1 << x;
    }

    /// @dev Adds A_i → B_j (∞) for matrix entry p = i·m + j.
    function _addEdge(Flow memory f, uint256 n, uint256 m, uint256 p) private pure {
        _addCap(f, 2 + p / m, 2 + n + (p % m), _INF);
    }

    /// @dev Edmonds–Karp from S' to T' until saturation or no augmenting path.
    function _augment(Flow memory f) private pure {
        unchecked {
            while (f.flow < f.need && _bfs(f)) {
                uint256 v = f.v;
                uint256 src = v - 2;
                uint256[] memory cap = f.cap;
                uint256[] memory adj = f.adj;
                uint256[] memory parent = f.parent;
                uint256 b = f.need - f.flow;
                for (uint256 x = v - 1; x != src; x = parent[x]) {
                    uint256 c = cap[parent[x] * v + x];
                    if (c < b) b = c;
                }
                for (uint256 x = v - 1; x != src; x = parent[x]) {
                    uint256 u = parent[x];
                    uint256 fwd = u * v + x;
                    uint256 c = cap[fwd] - b;
                    cap[fwd] = c;
                    if (c == 0) adj[u] &= ~(1 << x);
                    cap[x * v + u] += b;
                    adj[x] |= 1 << u;
                }
                f.flow += b;
            }
        }
    }

    /// @dev Breadth-first search from S' over residual edges; fills `f.parent`; true iff T' is reached.
    function _bfs(Flow memory f) private pure returns (bool) {
        unchecked {
            uint256 v = f.v;
            uint256 snk = v - 1;
            uint256[] memory adj = f.adj;
            uint256[] memory parent = f.parent;
            uint256[] memory queue = f.queue;
            uint256 visited = 1 << (v - 2);
            queue[0] = v - 2;
            uint256 tail = 1;
            for (uint256 head; head < tail; ++head) {
                uint256 u = queue[head];
                for (uint256 nb = adj[u] & ~visited; nb != 0; nb &= nb - 1) {
                    uint256 x = LibBit.ffs(nb);
                    visited |= 1 << x;
                    parent[x] = u;
                    if (x == snk) return true;
                    queue[tail++] = x;
                }
            }
            return false;
        }
    }

    /// @dev Search state of `_order`: remaining pairs (and per A node the bitmask of B nodes it still has
    ///      pairs with), remaining counts with the bitmasks of nodes that have some left, the partial
    ///      schedule, the run length before each depth, and per depth the key of the choice made there.
    struct Order {
        uint256[] pairs;
        uint256[] rows;
        uint256[] remA;
        uint256[] remB;
        uint256 liveA;
        uint256 liveB;
        uint16[] leadersA;
        uint16[] leadersB;
        uint256[] runA;
        uint256[] runB;
        uint256[] tried;
    }

    /// @dev Orders the flow's pairs (the flow on A_i → B_j is the residual of B_j → A_i) so that no run
    ///      exceeds R: depth-first, candidates by descending remA + remB (then ascending index), pruned by
    ///      the run rule and each network's single-sequence condition; spends `f.budget`.
    function _order(
        Flow memory f,
        uint256 n,
        uint256 m
    ) private view returns (bool ok, uint16[] memory leadersA, uint16[] memory leadersB) {
        unchecked {
            uint256 e = _epochs;
            Order memory o = _newOrder(f, n, m);
            uint256 k;
            o.tried[0] = _NONE;
            while (k < e) {
                if (f.budget == 0) return (false, leadersA, leadersB);
                --f.budget;
                (uint256 p, uint256 key) = _nextCandidate(o, m, k);
                if (key == 0) {
                    // Dead end: undo the choice at depth k − 1 and try its next candidate.
                    if (k == 0) return (false, leadersA, leadersB);
                    --k;
                    uint256 a = o.leadersA[k];
                    uint256 b = o.leadersB[k];
                    ++o.pairs[a * m + b];
                    o.rows[a] |= 1 << b;
                    if (o.remA[a]++ == 0) o.liveA |= 1 << a;
                    if (o.remB[b]++ == 0) o.liveB |= 1 << b;
                    continue;
                }
                o.tried[k] = key;
                uint256 ca = p / m;
                uint256 cb = p % m;
                o.leadersA[k] = uint16(ca);
                o.leadersB[k] = uint16(cb);
                o.runA[k + 1] = k != 0 && o.leadersA[k - 1] == ca ? o.runA[k] + 1 : 1;
                o.runB[k + 1] = k != 0 && o.leadersB[k - 1] == cb ? o.runB[k] + 1 : 1;
                if (--o.pairs[p] == 0) o.rows[ca] &= ~(1 << cb);
                if (--o.remA[ca] == 0) o.liveA &= ~(1 << ca);
                if (--o.remB[cb] == 0) o.liveB &= ~(1 << cb);
                ++k;
                if (k < e) o.tried[k] = _NONE;
            }
            return (true, o.leadersA, o.leadersB);
        }
    }

    /// @dev The search state of `_order` for the flow's pairs.
    function _newOrder(Flow memory f, uint256 n, uint256 m) private view returns (Order memory o) {
        unchecked {
            uint256 e = _epochs;
            o.pairs = new uint256[](n * m);
            o.rows = new uint256[](n);
            o.remA = new uint256[](n);
            o.remB = new uint256[](m);
            o.leadersA = new uint16[](e);
            o.leadersB = new uint16[](e);
            o.runA = new uint256[](e + 1);
            o.runB = new uint256[](e + 1);
            o.tried = new uint256[](e);
            for (uint256 i; i < n; ++i) {
                for (uint256 j; j < m; ++j) {
                    uint256 x = f.cap[(2 + n + j) * f.v + 2 + i];
                    if (x == 0) continue;
                    o.pairs[i * m + j] = x;
                    o.rows[i] |= 1 << j;
                    o.remA[i] += x;
                    o.remB[j] += x;
                    o.liveA |= 1 << i;
                    o.liveB |= 1 << j;
                }
            }
        }
    }

    /// @dev The best candidate at depth k whose key is below `o.tried[k]`; key 0 if none. The key of pair
    ///      p is (remA + remB) · 2^16 + (2^16 − 1 − p), so higher is better and keys are distinct.
    function _nextCandidate(Order memory o, uint256 m, uint256 k) private view returns (uint256 best, uint256 bestKey) {
        unchecked {
            uint256 bound = o.tried[k];
            (uint256 allowedA, uint256 allowedB) = _allowedBoth(o, k);
            for (; allowedA != 0; allowedA &= allowedA - 1) {
                uint256 i = LibBit.ffs(allowedA);
                uint256 remA = o.remA[i];
                for (uint256 rest = allowedB & o.rows[i]; rest != 0; rest &= rest - 1) {
                    uint256 j = LibBit.ffs(rest);
                    uint256 p = i * m + j;
                    uint256 key = ((remA + o.remB[j]) << 16) | (0xffff - p);
                    if (key < bound && key > bestKey) {
                        best = p;
                        bestKey = key;
                    }
                }
            }
        }
    }

    /// @dev `_allowed` for A and for B at depth k of `_order`.
    function _allowedBoth(Order memory o, uint256 k) private view returns (uint256 allowedA, uint256 allowedB) {
        uint256 left = _epochs - k - 1; // epochs after this one
        allowedA = _allowed(o.remA, o.liveA, left, k == 0 ? _NONE : o.leadersA[k - 1], o.runA[k]);
        allowedB = _allowed(o.remB, o.liveB, left, k == 0 ? _NONE : o.leadersB[k - 1], o.runB[k]);
    }

    /// @dev The nodes of one network that may lead epoch k, given the previous leader `prev` and its run
    ///      `run`: some left (`live`), the run stays ≤ R, and the network's remaining epochs stay orderable:
    ///      with `left` epochs after this one, the chosen node's c − 1 remaining need c − 1 ≤ R·(left −
    ///      (c − 1)) + (R − newRun), and every other node's c need c ≤ R·(left − c + 1) (separators).
    function _allowed(
        uint256[] memory rem,
        uint256 live,
        uint256 left,
        uint256 prev,
        uint256 run
    ) private view returns (uint256 mask) {
        unchecked {
            uint256 r = _maxRun;
            for (uint256 rest = live & _othersFit(rem, live, left); rest != 0; rest &= rest - 1) {
                uint256 x = LibBit.ffs(rest);
                uint256 newRun = x == prev ? run + 1 : 1;
                if (newRun > r) continue;
                uint256 own = rem[x] - 1;
                if (own <= r * (left - own) + (r - newRun)) mask |= 1 << x;
            }
        }
    }

    /// @dev The live nodes x for which every OTHER node's count c satisfies c ≤ R·(left − c + 1): only the
    ///      largest count (or, for its owner, the second largest) matters. Counts are ≤ left + 1.
    function _othersFit(uint256[] memory rem, uint256 live, uint256 left) private view returns (uint256) {
        unchecked {
            uint256 top;
            uint256 second;
            uint256 arg;
            for (uint256 rest = live; rest != 0; rest &= rest - 1) {
                uint256 x = LibBit.ffs(rest);
                uint256 c = rem[x];
                if (c > top) {
                    second = top;
                    top = c;
                    arg = x;
                } else if (c > second) {
                    second = c;
                }
            }
            uint256 r = _maxRun;
            bool topOk = top <= r * (left + 1 - top);
            bool secondOk = second <= r * (left + 1 - second);
            if (topOk) return secondOk ? type(uint256).max : ~(uint256(1) << arg);
            return secondOk ? uint256(1) << arg : 0;
        }
    }

    /// @dev Search state of `_search`: counts so far, the partial schedule, the run length before each
    ///      depth, per depth the key of the choice made there, and the threshold.
    struct Free {
        uint256[] countA;
        uint256[] countB;
        uint16[] leadersA;
        uint16[] leadersB;
        uint256[] runA;
        uint256[] runB;
        uint256[] tried;
        uint256 threshold;
        /// @dev Per A node, the bitmask of B nodes it has a pair ≤ threshold with.
        uint256[] edges;
    }

    /// @dev Fallback when the flow's pairs cannot be ordered: depth-first over every pair with latency ≤ T
    ///      (the counts are free), candidates by descending unmet lower bounds, then ascending latency;
    ///      pruned by the run rule, hi', the unmet lower bounds fitting in the epochs left (in sum and
    ///      per node with runs) and the capacity left; spends `f.budget`.
    function _search(
        Flow memory f,
        uint256[] memory lat,
        uint256 m,
        uint256 threshold
    ) private view returns (bool ok, uint16[] memory leadersA, uint16[] memory leadersB) {
        unchecked {
            uint256 e = _epochs;
            Free memory o;
            o.countA = new uint256[](lat.length / m);
            o.countB = new uint256[](m);
            o.leadersA = new uint16[](e);
            o.leadersB = new uint16[](e);
            o.runA = new uint256[](e + 1);
            o.runB = new uint256[](e + 1);
            o.tried = new uint256[](e);
            o.threshold = threshold;
            o.edges = new uint256[](o.countA.length);
            for (uint256 p; p < lat.length; ++p) {
                if (lat[p] <= threshold) o.edges[p / m] |= 1 << (p % m);
            }
            uint256 k;
            o.tried[0] = _NONE;
            while (k < e) {
                if (f.budget == 0) return (false, leadersA, leadersB);
                --f.budget;
                (uint256 p, uint256 key) = _nextFree(o, lat, m, k);
                if (key == 0) {
                    if (k == 0) return (false, leadersA, leadersB);
                    --k;
                    --o.countA[o.leadersA[k]];
                    --o.countB[o.leadersB[k]];
                    continue;
                }
                o.tried[k] = key;
                uint256 a = p / m;
                uint256 b = p % m;
                o.leadersA[k] = uint16(a);
                o.leadersB[k] = uint16(b);
                o.runA[k + 1] = k != 0 && o.leadersA[k - 1] == a ? o.runA[k] + 1 : 1;
                o.runB[k + 1] = k != 0 && o.leadersB[k - 1] == b ? o.runB[k] + 1 : 1;
                ++o.countA[a];
                ++o.countB[b];
                ++k;
                if (k < e) o.tried[k] = _NONE;
            }
            return (true, o.leadersA, o.leadersB);
        }
    }

    /// @dev The best pair at depth k of `_search` whose key is below `o.tried[k]`; key 0 if none. Key:
    ///      (unmet lower bounds of both nodes + 1) · 2^48 + (2^32 − 1 − latency) · 2^16 + (2^16 − 1 − p).
    function _nextFree(
        Free memory o,
        uint256[] memory lat,
        uint256 m,
        uint256 k
    ) private view returns (uint256 best, uint256 bestKey) {
        unchecked {
            uint256 bound = o.tried[k];
            (uint256 allowedA, uint256 allowedB) = _allowedFreeBoth(o, k);
            for (; allowedA != 0; allowedA &= allowedA - 1) {
                uint256 i = LibBit.ffs(allowedA);
                uint256 urgentA = o.countA[i] < _minShareA ? _minShareA - o.countA[i] : 0;
                for (uint256 rest = allowedB & o.edges[i]; rest != 0; rest &= rest - 1) {
                    uint256 j = LibBit.ffs(rest);
                    uint256 cost = lat[i * m + j];
                    uint256 cb = o.countB[j];
                    uint256 urgent = urgentA + (cb < _minShareB ? _minShareB - cb : 0) + 1;
                    uint256 key = (urgent << 48) | ((_MISSING - cost) << 16) | (0xffff - (i * m + j));
                    if (key < bound && key > bestKey) {
                        best = i * m + j;
                        bestKey = key;
                    }
                }
            }
        }
    }

    /// @dev `_allowedFree` for A and for B at depth k of `_search`.
    function _allowedFreeBoth(Free memory o, uint256 k) private view returns (uint256 allowedA, uint256 allowedB) {
        uint256 left = _epochs - k - 1; // epochs after this one
        uint256 prevA = k == 0 ? _NONE : o.leadersA[k - 1];
        uint256 prevB = k == 0 ? _NONE : o.leadersB[k - 1];
        allowedA = _allowedFree(o.countA, _minShareA, _effMaxA, left, prevA, o.runA[k]);
        allowedB = _allowedFree(o.countB, _minShareB, _effMaxB, left, prevB, o.runB[k]);
    }

    /// @dev The nodes of one network that may lead this epoch in `_search`: room below hi', the run stays
    ///      ≤ R, the unmet lower bounds (deficits) still fit in the `left` epochs after this one (in sum, and
    ///      per node with runs as in `_allowed`), and enough room remains for every later epoch.
    function _allowedFree(
        uint256[] memory counts,
        uint256 lo,
        uint256 hi,
        uint256 left,
        uint256 prev,
        uint256 run
    ) private view returns (uint256 mask) {
        unchecked {
            (uint256 unmet, uint256 fit) = _deficitStats(counts, lo, hi, left);
            uint256 r = _maxRun;
            for (; fit != 0; fit &= fit - 1) {
                uint256 x = LibBit.ffs(fit);
                uint256 c = counts[x];
                if (c >= hi) continue;
                uint256 own = c < lo ? lo - c - 1 : 0; // this node's deficit after leading now
                if (unmet - (c < lo ? 1 : 0) > left) continue;
                uint256 newRun = x == prev ? run + 1 : 1;
                if (newRun > r) continue;
                if (own <= r * (left - own) + (r - newRun)) mask |= 1 << x;
            }
        }
    }

    /// @dev The sum of the deficits max(lo − c, 0), and the nodes x for which every other node's deficit d
    ///      fits with separators (d ≤ R·(left − d + 1)); no node at all when the room below hi' cannot fill
    ///      this epoch and the `left` after it.
    function _deficitStats(
        uint256[] memory counts,
        uint256 lo,
        uint256 hi,
        uint256 left
    ) private view returns (uint256 unmet, uint256 fit) {
        unchecked {
            uint256 room;
            uint256 top;
            uint256 second;
            uint256 arg;
            for (uint256 x; x < counts.length; ++x) {
                uint256 c = counts[x];
                room += hi - c;
                if (c >= lo) continue;
                uint256 d = lo - c;
                unmet += d;
                if (d > top) {
                    second = top;
                    top = d;
                    arg = x;
                } else if (d > second) {
                    second = d;
                }
            }
            if (room <= left || unmet > left + 1) return (unmet, 0);
            uint256 r = _maxRun;
            bool topOk = top <= r * (left + 1 - top);
            bool secondOk = second <= r * (left + 1 - second);
            uint256 all = (uint256(1) << counts.length) - 1;
            if (topOk) fit = secondOk ? all : all & ~(uint256(1) << arg);
            else fit = secondOk ? uint256(1) << arg : 0;
        }
    }
}
