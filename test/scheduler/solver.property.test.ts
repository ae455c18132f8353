/**
 * Property tests of the two-network solver and of the certificate semantics against brute force, on random
 * tiny instances (n, m ≤ 3, E ≤ 6, random share bounds — numbers or per-node arrays, many infeasible —,
 * R ≤ 4, small latencies with ties, some MISSING entries). Fixed seed; SCHED_SEED / SCHED_RUNS override.
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

const SEED = Number(process.env.SCHED_SEED ?? 0x1a7e);
const RUNS = Number(process.env.SCHED_RUNS ?? 400);

const latencyArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 12 }) },
  { weight: 1, arbitrary: fc.constant(MISSING) },
);

/** A share bound: one number for the network or one per node, drawn from `value`. */
function shareArb(size: number, value: fc.Arbitrary<number>): fc.Arbitrary<number | number[]> {
  return fc.oneof(value, fc.array(value, { minLength: size, maxLength: size }));
}

/** Minimum shares: mostly 0, sometimes up to 2 (often infeasible with E ≤ 6). */
const loArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 2 }) },
);
/** Maximum shares: mostly 2..6, sometimes 0 or 1. */
const hiArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 2, max: 6 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 1 }) },
);

/** Network sizes 1..3, mostly 2 or 3 (one node alone cannot lead E > R epochs). */
const sizeArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(1) },
  { weight: 4, arbitrary: fc.integer({ min: 2, max: 3 }) },
);

const instanceArb: fc.Arbitrary<TwoNetworkInstance> = fc
  .record({ n: sizeArb, m: sizeArb, E: fc.integer({ min: 1, max: 6 }) })
  .chain(({ n, m, E }) =>
    fc.record({
      latency: fc.array(fc.array(latencyArb, { minLength: m, maxLength: m }), { minLength: n, maxLength: n }),
      epochs: fc.constant(E),
      minShareA: shareArb(n, loArb),
      maxShareA: shareArb(n, hiArb),
      minShareB: shareArb(m, loArb),
      maxShareB: shareArb(m, hiArb),
      maxRun: fc.integer({ min: 1, max: 4 }),
    }),
  );

function allCuts(n: number, m: number): Cut[] {
  const cuts: Cut[] = [];
  const bits = 2 + n + m;
  for (let mask = 0; mask < 1 << bits; mask++) {
    cuts.push({
      sourceIn: (mask & 1) !== 0,
      sinkIn: (mask & 2) !== 0,
      inA: Array.from({ length: n }, (_, i) => (mask & (1 << (2 + i))) !== 0),
      inB: Array.from({ length: m }, (_, j) => (mask & (1 << (2 + n + j))) !== 0),
    });
  }
  return cuts;
}

describe("scheduler: solver properties (fast-check, vs brute force)", function () {
  it("test_solveTwoNetworks_matchesBruteForceOnTinyInstances", function () {
    const tally = { infeasible: 0, optimal: 0, uncertified: 0, sumExact: 0, sumSearch: 0 };
    fc.assert(
      fc.property(instanceArb, (inst) => {
        const bf = bruteForceOptimum(inst);
        if (bf === null) {
          tally.infeasible++;
          let caught: unknown;
          try {
            solveTwoNetworks(inst);
          } catch (err) {
            caught = err;
          }
          expect(caught, "an infeasible instance must throw").to.be.instanceOf(ScheduleInfeasibleError);
          const err = caught as ScheduleInfeasibleError;
          expect(err.proven).to.equal(true);
          if (err.cut !== null) expect(checkCut(inst, err.cut, MISSING)).to.deep.equal({ ok: true });
          return;
        }
        const { schedule, cut, stats } = solveTwoNetworks(inst);
        expect(checkScheduleShape(inst, schedule)).to.deep.equal({ ok: true });
        expect(schedule.threshold, "bottleneck").to.equal(bf.threshold);
        expect(stats.thresholdExact).to.equal(true);
        // the cut always proves its lower bound; it certifies the schedule iff stats.optimal
        expect(checkCut(inst, cut, stats.lowerBound)).to.deep.equal({ ok: true });
        expect(stats.lowerBound <= schedule.threshold).to.equal(true);
        expect(checkSchedule(inst, schedule, cut).ok).to.equal(stats.optimal);
        if (stats.optimal) tally.optimal++;
        else tally.uncertified++;
        if (stats.sumExact) {
          tally.sumExact++;
          expect(schedule.sum, "sum").to.equal(bf.sum);
        } else expect(schedule.sum >= bf.sum).to.equal(true);
        if (stats.sumMethod === "search") tally.sumSearch++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`      tally over ${RUNS} instances: ${JSON.stringify(tally)}`);
    expect(tally.infeasible).to.be.greaterThan(RUNS / 20);
    expect(tally.optimal).to.be.greaterThan(RUNS / 4);
  });

  /*
   * Soundness of the certificate itself (docs/LATENCY.md §3, effective bounds hi' included): a cut that the
   * checker accepts at T proves that no schedule has all pairs < T. For every vertex set S (2^(2+n+m) of
   * them) and every T above the brute-force optimum, the checker must reject S.
   */
  it("test_checkCut_neverCertifiesAboveBruteForceOptimum", function () {
    fc.assert(
      fc.property(instanceArb, (inst) => {
        const bf = bruteForceOptimum(inst);
        const values = [...new Set(inst.latency.flat()), MISSING].sort((a, b) => a - b);
        const n = inst.latency.length;
        const m = inst.latency[0]!.length;
        for (const T of values) {
          // a valid cut at T claims: no schedule with all pairs < T
          const achievable = bf !== null && bf.threshold < T;
          if (!achievable) continue;
          for (const cut of allCuts(n, m)) {
            expect(checkCut(inst, cut, T).ok, `cut ${JSON.stringify(cut)} at ${T}`).to.equal(false);
          }
        }
      }),
      { seed: SEED + 1, numRuns: Math.ceil(RUNS / 4) },
    );
  });
});
