/**
 * The K-network heuristic: its value is never below its proven lower bound, and on three tiny networks it
 * is compared with brute force (fast-check, fixed seed; SCHED_SEED / SCHED_RUNS override).
 */
import { expect } from "chai";
import fc from "fast-check";

import {
  bruteForceMultiOptimum,
  checkMultiSchedule,
  latencyFromMatrices,
  MISSING,
  ScheduleInfeasibleError,
  solveMultiNetwork,
  type MultiNetworkInstance,
} from "../../src/scheduler/index.ts";

const SEED = Number(process.env.SCHED_SEED ?? 0x3e7);
const RUNS = Number(process.env.SCHED_RUNS ?? 300);

describe("scheduler: solveMultiNetwork", function () {
  /*
   * Three networks of two nodes; node x of every network is "close" to node x of the others:
   *   P0–P1 [[10, 50], [50, 20]], P0–P2 [[15, 60], [60, 25]], P1–P2 [[12, 70], [70, 18]].
   * E = 4, every node at most 2 epochs (R = 2): every node leads exactly 2. Cliques (0,0,0) (cost 15) and
   * (1,1,1) (cost 25) twice each: bottleneck 25, sum 80; any mixed clique costs ≥ 50. The pairwise optima
   * are 20 (P0–P1: (0,0) ×2, (1,1) ×2), 25 (P0–P2), 18 (P1–P2): lower bound 25, gap 0.
   */
  it("test_solveMultiNetwork_clustersReachTheLowerBound", function () {
    const inst: MultiNetworkInstance = {
      sizes: [2, 2, 2],
      latency: latencyFromMatrices([
        [
          [],
          [
            [10, 50],
            [50, 20],
          ],
          [
            [15, 60],
            [60, 25],
          ],
        ],
        [
          [],
          [],
          [
            [12, 70],
            [70, 18],
          ],
        ],
      ]),
      epochs: 4,
      minShare: 0,
      maxShare: 2,
      maxRun: 2,
    };
    const r = solveMultiNetwork(inst);
    expect(r.schedule.threshold).to.equal(25);
    expect(r.schedule.sum).to.equal(80);
    expect(r.pairBounds.map((b) => b.bound)).to.deep.equal([20, 25, 18]);
    expect(r.lowerBound).to.equal(25);
    expect(r.gap).to.equal(0);
    expect(checkMultiSchedule(inst, r.schedule)).to.deep.equal({ ok: true });
    expect(bruteForceMultiOptimum(inst)).to.include({ threshold: 25, sum: 80 });
  });

  /*
   * The pairwise bound is not tight: P0–P1 and P1–P2 are cheap (1) on the "diagonal", P0–P2 on the
   * anti-diagonal; E = 2, every node exactly once (hi = 1, R = 1). Every pair alone has optimum 1, but every
   * clique (a_x, b_y, c_z) has a 9 among its three pairs: the optimum is 9, the lower bound 1, gap 8.
   */
  it("test_solveMultiNetwork_pairwiseBoundNotTight", function () {
    const diag = [
      [1, 9],
      [9, 1],
    ];
    const anti = [
      [9, 1],
      [1, 9],
    ];
    const inst: MultiNetworkInstance = {
      sizes: [2, 2, 2],
      latency: latencyFromMatrices([
        [[], diag, anti],
        [[], [], diag],
      ]),
      epochs: 2,
      minShare: 1,
      maxShare: 1,
      maxRun: 1,
    };
    const r = solveMultiNetwork(inst);
    expect(r.lowerBound).to.equal(1);
    expect(r.schedule.threshold).to.equal(9);
    expect(r.gap).to.equal(8);
    expect(bruteForceMultiOptimum(inst)?.threshold).to.equal(9);
  });

  it("test_solveMultiNetwork_infeasiblePairThrows", function () {
    const inst: MultiNetworkInstance = {
      sizes: [1, 2, 2],
      latency: () => 5,
      epochs: 3,
      minShare: 0,
      maxShare: 3,
      maxRun: 1, // network 0 has one node: it cannot lead 3 epochs with runs of 1
    };
    expect(() => solveMultiNetwork(inst)).to.throw(ScheduleInfeasibleError, /networks 0 and 1 alone admit no schedule/);
  });

  it("test_solveMultiNetwork_boundedByBruteForceOnThreeTinyNetworks", function () {
    const tally = { infeasible: 0, equal: 0, above: 0, heuristicFailed: 0 };
    const arb = fc
      .record({
        sizes: fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant(2) }, { weight: 1, arbitrary: fc.constant(1) }), {
          minLength: 3,
          maxLength: 3,
        }),
        E: fc.integer({ min: 1, max: 4 }),
      })
      .chain(({ sizes, E }) =>
        fc.record({
          sizes: fc.constant(sizes),
          epochs: fc.constant(E),
          maxRun: fc.integer({ min: 1, max: 3 }),
          minShare: fc.integer({ min: 0, max: 1 }),
          maxShare: fc.integer({ min: 2, max: 4 }),
          // matrices[p][q] for p < q
          matrices: fc.tuple(
            ...[0, 1, 2].flatMap((p) =>
              [0, 1, 2]
                .filter((q) => q > p)
                .map(() =>
                  fc.array(
                    fc.array(
                      fc.oneof(
                        { weight: 8, arbitrary: fc.integer({ min: 1, max: 9 }) },
                        { weight: 1, arbitrary: fc.constant(MISSING) },
                      ),
                      { minLength: 2, maxLength: 2 },
                    ),
                    { minLength: 2, maxLength: 2 },
                  ),
                ),
            ),
          ),
        }),
      );
    fc.assert(
      fc.property(arb, (x) => {
        const [m01, m02, m12] = x.matrices;
        const matrices = [
          [[], m01, m02],
          [[], [], m12],
        ];
        const inst: MultiNetworkInstance = {
          sizes: x.sizes,
          latency: latencyFromMatrices(matrices as number[][][][]),
          epochs: x.epochs,
          minShare: x.minShare,
          maxShare: x.maxShare,
          maxRun: x.maxRun,
        };
        const bf = bruteForceMultiOptimum(inst);
        let result: ReturnType<typeof solveMultiNetwork> | null = null;
        try {
          result = solveMultiNetwork(inst);
        } catch (err) {
          expect(err).to.be.instanceOf(ScheduleInfeasibleError);
          if (bf === null) tally.infeasible++;
          else tally.heuristicFailed++;
          return;
        }
        expect(bf, "the heuristic found a schedule, so one exists").to.not.equal(null);
        expect(checkMultiSchedule(inst, result.schedule)).to.deep.equal({ ok: true });
        expect(result.lowerBound <= bf!.threshold, "lower bound <= optimum").to.equal(true);
        expect(bf!.threshold <= result.schedule.threshold, "optimum <= heuristic").to.equal(true);
        expect(result.gap).to.equal(result.schedule.threshold - result.lowerBound);
        if (result.schedule.threshold === bf!.threshold) tally.equal++;
        else tally.above++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`      tally over ${RUNS} instances: ${JSON.stringify(tally)}`);
    expect(tally.equal).to.be.greaterThan(RUNS / 4);
    expect(tally.heuristicFailed).to.be.at.most(RUNS / 50);
  });
});
