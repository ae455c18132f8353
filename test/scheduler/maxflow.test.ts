/**
 * Flow primitives (src/scheduler/maxflow.ts): Dinic max-flow against brute-force min cuts, gates, and
 * circulations with lower bounds and costs against exhaustive enumeration of integral flows.
 */
import { expect } from "chai";
import fc from "fast-check";

import { Circulation, FlowNetwork, INFINITE } from "../../src/scheduler/index.ts";

const SEED = Number(process.env.SCHED_SEED ?? 0xf10);

describe("scheduler: maxflow", function () {
  it("test_maxflow_textbookNetwork", function () {
    // CLRS figure 26.1: value 23
    const net = new FlowNetwork(6);
    for (const [u, v, c] of [
      [0, 1, 16],
      [0, 2, 13],
      [1, 3, 12],
      [2, 1, 4],
      [2, 4, 14],
      [3, 2, 9],
      [3, 5, 20],
      [4, 3, 7],
      [4, 5, 4],
    ] as const) {
      net.addEdge(u, v, c);
    }
    expect(net.maxflow(0, 5)).to.equal(23);
    expect(net.maxflow(0, 5)).to.equal(0); // already maximal
    const side = net.reachable(0);
    // the min cut {s, v1, v2, v4} | {v3, t}: 12 + 7 + 4 = 23
    expect(Array.from(side)).to.deep.equal([1, 1, 1, 0, 1, 0]);
  });

  it("test_setGate_addsEdgesInKeyOrderAndGuardsLowering", function () {
    // s -> a (gate 5), s -> a (gate 1), a -> t: raising the gate adds capacity
    const net = new FlowNetwork(3);
    net.addEdge(0, 1, 2, 0, 5);
    net.addEdge(0, 1, 3, 0, 1);
    net.addEdge(1, 2, 10);
    net.setGate(0);
    expect(net.maxflow(0, 2)).to.equal(0);
    net.setGate(1);
    expect(net.maxflow(0, 2)).to.equal(3);
    const snapshot = net.saveFlow();
    net.setGate(5);
    expect(net.maxflow(0, 2)).to.equal(2);
    expect(() => net.setGate(1)).to.throw(/carries flow/);
    net.restoreFlow(snapshot);
    net.setGate(1);
    expect(net.usableEdgeCount()).to.equal(2);
  });

  it("test_maxflow_equalsBruteForceMinCut", function () {
    const arb = fc.integer({ min: 2, max: 6 }).chain((V) =>
      fc.record({
        V: fc.constant(V),
        edges: fc.array(
          fc.tuple(fc.nat({ max: V - 1 }), fc.nat({ max: V - 1 }), fc.integer({ min: 0, max: 9 }), fc.nat({ max: 3 })),
          { maxLength: 14 },
        ),
        gate: fc.nat({ max: 3 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ V, edges, gate }) => {
        const net = new FlowNetwork(V);
        for (const [u, v, c, g] of edges) net.addEdge(u, v, c, 0, g);
        net.setGate(gate);
        const flow = net.maxflow(0, V - 1);
        let best = Infinity;
        for (let mask = 0; mask < 1 << V; mask++) {
          if (!(mask & 1) || mask & (1 << (V - 1))) continue;
          let cut = 0;
          for (const [u, v, c, g] of edges) if (g <= gate && mask & (1 << u) && !(mask & (1 << v))) cut += c;
          best = Math.min(best, cut);
        }
        expect(flow).to.equal(best);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("test_circulation_lowerBoundsAndCostsMatchEnumeration", function () {
    const arb = fc.integer({ min: 2, max: 4 }).chain((V) =>
      fc.record({
        V: fc.constant(V),
        edges: fc.array(
          fc
            .tuple(
              fc.nat({ max: V - 1 }),
              fc.nat({ max: V - 1 }),
              fc.nat({ max: 2 }),
              fc.nat({ max: 2 }),
              fc.integer({ min: 0, max: 5 }),
            )
            .map(([u, v, l, extra, cost]) => ({ u, v, lower: l, upper: l + extra, cost })),
          { minLength: 1, maxLength: 6 },
        ),
      }),
    );
    fc.assert(
      fc.property(arb, ({ V, edges }) => {
        // exhaustive: every integral flow within the bounds, conserved at every vertex
        let bestCost = Infinity;
        const f = new Array<number>(edges.length).fill(0);
        const enumerate = (k: number): void => {
          if (k === edges.length) {
            const bal = new Array<number>(V).fill(0);
            edges.forEach((e, idx) => {
              bal[e.u]! -= f[idx]!;
              bal[e.v]! += f[idx]!;
            });
            if (bal.every((b) => b === 0)) {
              bestCost = Math.min(
                bestCost,
                edges.reduce((s, e, idx) => s + e.cost * f[idx]!, 0),
              );
            }
            return;
          }
          for (let x = edges[k]!.lower; x <= edges[k]!.upper; x++) {
            f[k] = x;
            enumerate(k + 1);
          }
        };
        enumerate(0);
        const circ = new Circulation(V);
        const ids = edges.map((e) => circ.addEdge(e.u, e.v, e.lower, e.upper, e.cost));
        const feasible = circ.feasible();
        expect(feasible).to.equal(bestCost < Infinity);
        if (!feasible) {
          // the residual cut violates Hoffman's condition (violatingSet re-checks it and throws otherwise)
          const S = circ.violatingSet();
          expect(circ.hoffman(S).violated).to.equal(true);
          return;
        }
        // the max-flow circulation respects the bounds and conservation
        const bal = new Array<number>(V).fill(0);
        ids.forEach((id, k) => {
          const x = circ.flowOf(id);
          expect(x >= edges[k]!.lower && x <= edges[k]!.upper).to.equal(true);
          bal[edges[k]!.u]! -= x;
          bal[edges[k]!.v]! += x;
        });
        expect(bal.every((b) => b === 0)).to.equal(true);
        const r = circ.minCostCirculation();
        expect(r.feasible).to.equal(true);
        expect(r.cost).to.equal(bestCost);
        expect(ids.reduce((s, id, k) => s + circ.flowOf(id) * edges[k]!.cost, 0)).to.equal(bestCost);
      }),
      { seed: SEED + 1, numRuns: 300 },
    );
  });

  it("test_circulation_unboundedEdgeNeverLeavesTheCut", function () {
    // s -> a [3, 3], a -> b [0, ∞], b -> s [0, 1]: infeasible; S = {a, b} has lowerIn 3 > upperOut 1
    const circ = new Circulation(3);
    circ.addEdge(0, 1, 3, 3);
    circ.addEdge(1, 2, 0, INFINITE);
    circ.addEdge(2, 0, 0, 1);
    expect(circ.feasible()).to.equal(false);
    const S = circ.violatingSet();
    expect(circ.hoffman(S)).to.include({ violated: true, lowerIn: 3, upperOut: 1 });
    expect(Array.from(S)).to.deep.equal([0, 1, 1]);
  });
});
