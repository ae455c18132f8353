/**
 * The two-network solver on the seed's matrix (docs/LATENCY.md), with hand-derived optima.
 *
 * Seed matrix: A = nodes 1..3 (indices 0..2), B = nodes 4..5 (indices 0..1); reported RTTs (µs) combined by
 * the maximum of both directions:
 *
 *        B0 (node 4)      B1 (node 5)
 *   A0   max(30, 32) = 32 max(35, 34) = 35
 *   A1   max(25, 27) = 27 max(28, 26) = 28
 *   A2   max(40, 40) = 40 max(42, 42) = 42
 *
 * Effective bound hi' = min(hi, ⌊R(E+1)/(R+1)⌋).
 */
import { expect } from "chai";
import fc from "fast-check";

import {
  bruteForceOptimum,
  checkCut,
  checkSchedule,
  checkScheduleShape,
  MISSING,
  ScheduleInfeasibleError,
  solveTwoNetworks,
  type Cut,
  type TwoNetworkInstance,
} from "../../src/scheduler/index.ts";
import { mulberry32 } from "../../src/scheduler/solver.ts";

const RTT_A_TO_B = [
  [30, 35],
  [25, 28],
  [40, 42],
];
const RTT_B_TO_A = [
  [32, 27, 40],
  [34, 26, 42],
];
const L = RTT_A_TO_B.map((row, i) => row.map((x, j) => Math.max(x, RTT_B_TO_A[j]![i]!)));

function instance(over: Partial<TwoNetworkInstance>): TwoNetworkInstance {
  return { latency: L, epochs: 6, minShareA: 0, maxShareA: 6, minShareB: 0, maxShareB: 6, maxRun: 6, ...over };
}

function counts(leaders: number[], size: number): number[] {
  const c = new Array<number>(size).fill(0);
  for (const x of leaders) c[x]!++;
  return c;
}

describe("scheduler: solveTwoNetworks on the seed matrix", function () {
  it("test_combinedMatrix_seedReports", function () {
    expect(L).to.deep.equal([
      [32, 35],
      [27, 28],
      [40, 42],
    ]);
  });

  /*
   * (a) No share bounds: E = 6, lo = 0, hi = 6, R = 6 (hi' = min(6, ⌊6·7/7⌋) = 6).
   * The smallest entry is L(1, 0) = 27 (node 2 with node 4); using it every epoch respects every bound,
   * so T* = 27 and the sum 6 · 27 = 162 is minimal. Certificate at T = 27: no edge is < 27, and
   * S = {s} ∪ A has lowerIn = E = 6 (t → s enters S) > upperOut = 0.
   */
  it("test_solveTwoNetworks_noShareBounds", function () {
    const inst = instance({});
    const { schedule, cut, stats } = solveTwoNetworks(inst);
    expect(schedule).to.deep.equal({
      leadersA: [1, 1, 1, 1, 1, 1],
      leadersB: [0, 0, 0, 0, 0, 0],
      threshold: 27,
      sum: 162,
    });
    expect(cut).to.deep.equal({ sourceIn: true, sinkIn: false, inA: [true, true, true], inB: [false, false] });
    expect(stats.optimal && stats.sumExact).to.equal(true);
    expect(checkSchedule(inst, schedule, cut)).to.deep.equal({ ok: true });
  });

  /*
   * (b) E = 6, every A node at most 2 epochs, every B node at most 3, R = 2, no minimum shares.
   * hi' = min(hi, ⌊2·7/3⌋ = 4): A 2, B 3. Three A nodes with at most 2 epochs each must cover 6 epochs,
   * so every A node leads exactly 2 — node 3 (A2) included, whose latencies are 40 and 42: T ≥ 40.
   * T = 40 is reached with A2 paired twice with B0. B then needs B0 once more and B1 three times, from
   * A0 (2 epochs) and A1 (2 epochs): giving B0 to A0 costs 32 + 35 + 28 + 28 = 123, giving it to A1
   * costs 35 + 35 + 27 + 28 = 125. Optimum: T* = 40, sum 2·40 + 123 = 203, pairs
   * {(2,0) ×2, (0,0), (0,1), (1,1) ×2}; it can be ordered with runs ≤ 2 (e.g. the B leaders alternate).
   * Certificate at T = 40: S = {s, A2}: t → s enters S (lowerIn 6), s → A0 and s → A1 leave it
   * (upperOut 2 + 2 = 4), A2 has no edge < 40: 6 > 4.
   */
  it("test_solveTwoNetworks_shareBoundsForceNode3", function () {
    const inst = instance({ maxShareA: 2, maxShareB: 3, maxRun: 2 });
    const { schedule, cut, stats } = solveTwoNetworks(inst);
    expect(schedule.threshold).to.equal(40);
    expect(schedule.sum).to.equal(203);
    expect(counts(schedule.leadersA, 3)).to.deep.equal([2, 2, 2]);
    expect(counts(schedule.leadersB, 2)).to.deep.equal([3, 3]);
    expect(cut).to.deep.equal({ sourceIn: true, sinkIn: false, inA: [false, false, true], inB: [false, false] });
    expect(stats.optimal && stats.sumExact).to.equal(true);
    expect(checkSchedule(inst, schedule, cut)).to.deep.equal({ ok: true });
    expect(bruteForceOptimum(inst)).to.include({ threshold: 40, sum: 203 });
  });

  /*
   * (c) E = 4, every node at least 1 epoch, hi = 4, R = 1: hi' = min(4, ⌊1·5/2⌋) = 2 for every node.
   * A2 must lead, so T ≥ 40 (its cheapest pair is (2,0) = 40). B has 2 nodes with hi' = 2 and 4 epochs:
   * B0 and B1 lead exactly 2 each. B1's partners must be ≤ 40: A1 (28) or A0 (35). B0's two epochs: A2
   * (40) and one of A1 (27) / A0 (32). A0 must lead at least once:
   *   (2,0) + (0,0) + (1,1) ×2 = 40 + 32 + 56 = 128;  (2,0) + (1,0) + (0,1) + (1,1) = 40 + 27 + 35 + 28 = 130;
   *   (2,0) + (1,0) + (0,1) ×2 = 137.  Optimum: T* = 40, sum 128, e.g. (2,0) (1,1) (0,0) (1,1).
   * Certificate at T = 40: S = {A2}: s → A2 enters S with lower bound 1, nothing leaves (A2 has no edge
   * < 40): 1 > 0.
   */
  it("test_solveTwoNetworks_minimumSharesAndRunOne", function () {
    const inst = instance({ epochs: 4, minShareA: 1, maxShareA: 4, minShareB: 1, maxShareB: 4, maxRun: 1 });
    const { schedule, cut, stats } = solveTwoNetworks(inst);
    expect(schedule.threshold).to.equal(40);
    expect(schedule.sum).to.equal(128);
    expect(cut).to.deep.equal({ sourceIn: false, sinkIn: false, inA: [false, false, true], inB: [false, false] });
    expect(stats.optimal && stats.sumExact).to.equal(true);
    expect(checkSchedule(inst, schedule, cut)).to.deep.equal({ ok: true });
    expect(bruteForceOptimum(inst)).to.include({ threshold: 40, sum: 128 });
  });

  /*
   * (d) E = 3, no share bounds (hi = 3), R = 1: hi' = ⌊1·4/2⌋ = 2 for every node.
   * Below 32 only A1 has edges (27, 28), and A1 leads at most 2 of the 3 epochs: T* = 32 (edge (0,0)).
   * Certificate at T = 32: S = {s, A0, A2}: lowerIn = 3 (t → s), upperOut = hi'(A1) = 2; A0 and A2 have
   * no edge < 32.
   * With pairs ≤ 32 ((0,0) 32, (1,0) 27, (1,1) 28): the min-cost multiset {(0,0), (1,0), (1,1)} (sum 87)
   * respects hi' but cannot be ORDERED with runs ≤ 1: A1 leads twice, so the A order is 1, 0, 1, and the
   * B leaders of epochs 0 and 2 are 0 and 1 around B0 in epoch 1 — B0 leads two epochs in a row. The
   * other multisets: {(0,0), (1,1) ×2} = 88 (A 1,0,1 / B 1,0,1: valid), {(0,0) ×2, (1,1)} = 92, and
   * {(0,0), (1,0) ×2} violates hi'(B0). Optimum: T* = 32, sum 88 — the flow model's minimum sum (87) is
   * only a lower bound when the runs couple A and B.
   */
  it("test_solveTwoNetworks_minCostMultisetNotOrderable", function () {
    const inst = instance({ epochs: 3, maxShareA: 3, maxShareB: 3, maxRun: 1 });
    const { schedule, cut, stats } = solveTwoNetworks(inst);
    expect(schedule).to.deep.equal({ leadersA: [1, 0, 1], leadersB: [1, 0, 1], threshold: 32, sum: 88 });
    expect(cut).to.deep.equal({ sourceIn: true, sinkIn: false, inA: [true, false, true], inB: [false, false] });
    expect(stats.optimal).to.equal(true);
    expect(stats.sumExact).to.equal(true);
    expect(stats.sumMethod).to.equal("search");
    expect(checkSchedule(inst, schedule, cut)).to.deep.equal({ ok: true });
    expect(bruteForceOptimum(inst)).to.include({ threshold: 32, sum: 88 });
  });

  /*
   * Case (d) again, with the greedy ordering disabled and a search budget of 4 nodes: at T* = 32 the search
   * needs to backtrack (its first choice (1,0) is a dead end) and runs out of budget; at the next candidate
   * 35 it finds (1,0) (0,1) (1,0) at once. The schedule is valid but not certified: the cut proves only 32.
   * With 3 nodes nothing is found at any threshold: an unproven ScheduleInfeasibleError.
   */
  it("test_solveTwoNetworks_orderingFailureMovesToNextThreshold", function () {
    const inst = instance({ epochs: 3, maxShareA: 3, maxShareB: 3, maxRun: 1 });
    const { schedule, cut, stats } = solveTwoNetworks(inst, { orderRestarts: 0, searchBudget: 4 });
    expect(schedule).to.deep.equal({ leadersA: [1, 0, 1], leadersB: [0, 1, 0], threshold: 35, sum: 89 });
    expect(stats).to.include({ optimal: false, thresholdExact: false, lowerBound: 32, thresholdsTried: 2 });
    expect(stats).to.include({ sumExact: false, sumMethod: "search", orderMethod: "search" });
    expect(stats.note).to.match(/proves only the lower bound 32/);
    expect(checkScheduleShape(inst, schedule)).to.deep.equal({ ok: true });
    expect(checkCut(inst, cut, 32)).to.deep.equal({ ok: true });
    expect(checkSchedule(inst, schedule, cut)).to.deep.equal({
      ok: false,
      reason: "ScheduleCutCrossesEdge: edge A_0 -> B_0 (latency 32 < 35) leaves S",
    });
    let caught: unknown;
    try {
      solveTwoNetworks(inst, { orderRestarts: 0, searchBudget: 3 });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(ScheduleInfeasibleError);
    expect((caught as ScheduleInfeasibleError).proven).to.equal(false);
  });

  it("test_solveTwoNetworks_perNodeShareArrays", function () {
    // A1 (the fast node) excluded, A0 at most once: A2 must lead the rest
    const inst = instance({ epochs: 4, maxShareA: [1, 0, 4], maxRun: 4 });
    const { schedule, cut } = solveTwoNetworks(inst);
    // (0,0) 32 once, then (2,0) 40 three times
    expect(schedule.threshold).to.equal(40);
    expect(schedule.sum).to.equal(32 + 3 * 40);
    expect(checkSchedule(inst, schedule, cut)).to.deep.equal({ ok: true });
  });

  it("test_solveTwoNetworks_infeasibleSharesThrowWithCut", function () {
    // 3 A nodes with at most 1 epoch each cannot cover 4 epochs
    const inst = instance({ epochs: 4, maxShareA: 1 });
    let caught: unknown;
    try {
      solveTwoNetworks(inst);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(ScheduleInfeasibleError);
    const err = caught as ScheduleInfeasibleError;
    expect(err.proven).to.equal(true);
    expect(checkCut(inst, err.cut as Cut, MISSING)).to.deep.equal({ ok: true });
  });

  it("test_solveTwoNetworks_minimumAboveEffectiveMaximumThrows", function () {
    // R = 1, E = 4: hi' = 2 < lo = 3
    const inst = instance({ epochs: 4, minShareA: [3, 0, 0], maxRun: 1 });
    expect(() => solveTwoNetworks(inst)).to.throw(ScheduleInfeasibleError, /at least 3 epochs but may lead at most 2/);
  });

  it("test_solveTwoNetworks_missingEntriesNeverUsed", function () {
    const latency = [
      [MISSING, 50],
      [10, MISSING],
    ];
    const inst: TwoNetworkInstance = {
      latency,
      epochs: 4,
      minShareA: 1,
      maxShareA: 4,
      minShareB: 0,
      maxShareB: 4,
      maxRun: 4,
    };
    const { schedule, cut } = solveTwoNetworks(inst);
    expect(schedule.threshold).to.equal(50);
    expect(schedule.sum).to.equal(50 + 3 * 10);
    expect(checkSchedule(inst, schedule, cut)).to.deep.equal({ ok: true });
    // a node with only MISSING entries and a positive minimum share: infeasible at every finite threshold
    const none: TwoNetworkInstance = {
      ...inst,
      latency: [
        [MISSING, MISSING],
        [10, 20],
      ],
    };
    expect(() => solveTwoNetworks(none)).to.throw(ScheduleInfeasibleError);
  });

  it("test_solveTwoNetworks_rotatesLeadersOnLargerInstance", function () {
    // 8 × 8 random-ish matrix, E = 32, shares [2, 6], R = 2: checker passes, leaders rotate
    const latency = Array.from({ length: 8 }, (_, i) =>
      Array.from({ length: 8 }, (_, j) => 1 + ((i * 37 + j * 91) % 53)),
    );
    const inst: TwoNetworkInstance = {
      latency,
      epochs: 32,
      minShareA: 2,
      maxShareA: 6,
      minShareB: 2,
      maxShareB: 6,
      maxRun: 2,
    };
    const { schedule, cut, stats } = solveTwoNetworks(inst);
    expect(checkSchedule(inst, schedule, cut)).to.deep.equal({ ok: true });
    expect(stats.optimal).to.equal(true);
    expect(stats.repeatsA + stats.repeatsB).to.equal(0);
  });

  it("test_solveTwoNetworks_pricingMatchesFullMinCost", function () {
    // no candidate edges but the max-flow solution, then pricing, must give the same (proven) minimum sum as a
    // candidate set holding every edge
    let priced = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = mulberry32(seed);
      const n = 6 + (seed % 7);
      const m = 5 + (seed % 5);
      const latency = Array.from({ length: n }, () => Array.from({ length: m }, () => 1 + Math.floor(rnd() * 1000)));
      const E = 3 * Math.max(n, m);
      const inst: TwoNetworkInstance = {
        latency,
        epochs: E,
        minShareA: seed % 2,
        maxShareA: Math.ceil((2 * E) / n),
        minShareB: 1,
        maxShareB: Math.ceil((3 * E) / m),
        maxRun: 1 + (seed % 3),
      };
      const sparse = solveTwoNetworks(inst, { candidatesPerNode: 0 });
      const full = solveTwoNetworks(inst, { candidatesPerNode: 1_000 });
      expect(sparse.schedule.threshold).to.equal(full.schedule.threshold);
      expect(full.stats.sumExact).to.equal(true);
      expect(full.stats.pricingRounds).to.equal(1);
      expect(sparse.stats.sumExact).to.equal(true);
      expect(sparse.schedule.sum).to.equal(full.schedule.sum);
      expect(checkSchedule(inst, sparse.schedule, sparse.cut)).to.deep.equal({ ok: true });
      if (sparse.stats.pricingRounds > 1) priced++;
    }
    expect(priced).to.be.greaterThan(5);
  });

  it("test_solveTwoNetworks_pricingCapFallsBackToHeuristic", function () {
    let heuristic = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = mulberry32(seed);
      const latency = Array.from({ length: 12 }, () => Array.from({ length: 12 }, () => 1 + Math.floor(rnd() * 1000)));
      const inst: TwoNetworkInstance = {
        latency,
        epochs: 48,
        minShareA: 1,
        maxShareA: 8,
        minShareB: 1,
        maxShareB: 8,
        maxRun: 3,
      };
      const capped = solveTwoNetworks(inst, { candidatesPerNode: 0, pricingRounds: 1 });
      const exact = solveTwoNetworks(inst);
      expect(checkSchedule(inst, capped.schedule, capped.cut)).to.deep.equal({ ok: true });
      expect(capped.schedule.threshold).to.equal(exact.schedule.threshold);
      expect(capped.schedule.sum >= exact.schedule.sum).to.equal(true);
      if (!capped.stats.sumExact) {
        heuristic++;
        expect(capped.stats.sumMethod).to.equal("restricted-min-cost");
        expect(capped.stats.note).to.match(/not proven minimal/);
      } else expect(capped.schedule.sum).to.equal(exact.schedule.sum);
    }
    expect(heuristic).to.be.greaterThan(0);
  });

  it("test_solveTwoNetworks_mediumRandomInstancesAreCertified", function () {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 2, max: 12 }),
          m: fc.integer({ min: 2, max: 12 }),
          seed: fc.nat(),
          E: fc.integer({ min: 4, max: 40 }),
          R: fc.integer({ min: 1, max: 4 }),
          lo: fc.integer({ min: 0, max: 2 }),
        }),
        ({ n, m, seed, E, R, lo }) => {
          const rnd = mulberry32(seed);
          const latency = Array.from({ length: n }, () =>
            Array.from({ length: m }, () => (rnd() < 0.1 ? MISSING : 1 + Math.floor(rnd() * 500))),
          );
          const inst: TwoNetworkInstance = {
            latency,
            epochs: E,
            minShareA: lo,
            maxShareA: Math.ceil((2 * E) / n),
            minShareB: lo,
            maxShareB: Math.ceil((2 * E) / m),
            maxRun: R,
          };
          let result: ReturnType<typeof solveTwoNetworks>;
          try {
            result = solveTwoNetworks(inst);
          } catch (err) {
            expect(err).to.be.instanceOf(ScheduleInfeasibleError);
            const e = err as ScheduleInfeasibleError;
            if (e.cut !== null) expect(checkCut(inst, e.cut, MISSING)).to.deep.equal({ ok: true });
            return;
          }
          expect(result.stats.optimal).to.equal(true);
          expect(checkSchedule(inst, result.schedule, result.cut)).to.deep.equal({ ok: true });
        },
      ),
      { seed: 0x5ca1e, numRuns: 150 },
    );
  });
});
