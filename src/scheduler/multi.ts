/**
 * Leader rotation for K ≥ 2 networks (an extension of docs/LATENCY.md §2; not checked on chain).
 *
 * Model: network p has nodes 0 … sizes[p] − 1; `latency(p, i, q, j)` (symmetric, p ≠ q) is the combined
 * latency between node i of p and node j of q, MISSING when unknown (never usable). Every epoch of the window
 * has one leader per network; the epoch's cost is the WORST pairwise latency among its K leaders; minimise the
 * bottleneck (the largest epoch cost) subject to the per-network share bounds [lo, hi] and the runs ≤ R. The
 * sum of the epoch costs is reported, not optimised.
 *
 * `solveMultiNetwork` returns:
 * - a heuristic schedule: for a candidate threshold T (the distinct finite latencies, searched by bisection
 *   from the lower bound below), the window is built epoch by epoch; each epoch's leaders form a clique of the
 *   K-partite graph of pairs ≤ T, found by a bounded depth-first search over the networks (fewest usable
 *   nodes first), preferring nodes that still owe their minimum share, then nodes with more room left, then
 *   not the previous leader; a choice is kept only if every node's remaining minimum share still fits in the
 *   remaining epochs (with the run capacity r − ⌊r/(R+1)⌋) and the remaining room of every network still
 *   covers them. Deterministic restarts with seeded random tie-breaks. Feasibility of T is not monotone for a
 *   heuristic; bisection assumes it and the result is re-verified.
 * - a proven LOWER bound: the maximum over network pairs (p, q) of the two-network optimum bottleneck
 *   (`solveTwoNetworks` on the p × q matrix with the shares of p and q): any K-network schedule restricted to
 *   two networks is a two-network schedule, so its bottleneck is at least that pair's optimum. Where the
 *   two-network solver could not prove its threshold, its certified lower bound is used instead.
 * - the gap = heuristic bottleneck − lower bound (0: the heuristic is proven optimal).
 */
import { effectiveMaxShare, type CheckResult } from "./certificate.ts";
import { mulberry32, ScheduleInfeasibleError, solveTwoNetworks } from "./solver.ts";
import { MISSING } from "./types.ts";

export interface MultiNetworkInstance {
  /** Number of nodes of each network (K = sizes.length ≥ 2). */
  sizes: number[];
  /** Symmetric latency between node i of network p and node j of network q (p ≠ q); MISSING = unknown. */
  latency: (p: number, i: number, q: number, j: number) => number;
  /** E */
  epochs: number;
  /** A number for every node, or per network a number or per-node array. */
  minShare: number | (number | number[])[];
  maxShare: number | (number | number[])[];
  /** R ≥ 1 */
  maxRun: number;
}

export interface MultiSchedule {
  /** leaders[e][p]: the leader of network p in epoch e. */
  leaders: number[][];
  /** max over epochs of the worst pairwise latency among the epoch's leaders. */
  threshold: number;
  /** Σ over epochs of the worst pairwise latency among the epoch's leaders. */
  sum: number;
}

export interface PairBound {
  p: number;
  q: number;
  /** Proven lower bound on the bottleneck of any schedule of p and q alone. */
  bound: number;
  /** Whether the bound is that pair's exact optimum. */
  exact: boolean;
}

export interface MultiResult {
  schedule: MultiSchedule;
  /** max over pairs of PairBound.bound: no K-network schedule has a smaller bottleneck. */
  lowerBound: number;
  /** schedule.threshold − lowerBound (0: proven optimal). */
  gap: number;
  pairBounds: PairBound[];
  stats: { thresholdsTested: number; restartsUsed: number; boundMs: number; heuristicMs: number };
}

export interface MultiOptions {
  /** Construction attempts per threshold. Default 8. */
  restarts?: number;
  /** Depth-first search nodes per epoch. Default 5 000. */
  epochBudget?: number;
}

interface MultiNormalized {
  K: number;
  sizes: number[];
  E: number;
  R: number;
  lo: number[][];
  hi: number[][];
  eff: number[][];
  /** lat[p][q][i * sizes[q] + j] for p ≠ q */
  lat: Float64Array[][];
}

function expandShares(value: number | (number | number[])[], sizes: number[], name: string): number[][] {
  const K = sizes.length;
  const check = (x: number): number => {
    if (!(Number.isSafeInteger(x) && x >= 0)) throw new Error(`${name}: ${x} is not a nonnegative integer`);
    return x;
  };
  if (typeof value === "number") return sizes.map((n) => new Array<number>(n).fill(check(value)));
  if (!Array.isArray(value) || value.length !== K) throw new Error(`${name} must be a number or one entry per network`);
  return value.map((v, p) => {
    if (typeof v === "number") return new Array<number>(sizes[p]!).fill(check(v));
    if (!Array.isArray(v) || v.length !== sizes[p]) throw new Error(`${name}[${p}] must have ${sizes[p]} entries`);
    return v.map(check);
  });
}

function normalizeMulti(inst: MultiNetworkInstance): MultiNormalized {
  const { sizes } = inst;
  const K = sizes.length;
  if (K < 2) throw new Error("a multi-network instance needs at least two networks");
  for (const n of sizes) if (!(Number.isSafeInteger(n) && n >= 1)) throw new Error(`network size ${n} invalid`);
  const E = inst.epochs;
  const R = inst.maxRun;
  if (!(Number.isSafeInteger(E) && E >= 1)) throw new Error(`epochs must be a positive integer, got ${E}`);
  if (!(Number.isSafeInteger(R) && R >= 1)) throw new Error(`maxRun must be a positive integer, got ${R}`);
  const lo = expandShares(inst.minShare, sizes, "minShare");
  const hi = expandShares(inst.maxShare, sizes, "maxShare");
  const eff = hi.map((row) => row.map((h) => effectiveMaxShare(h, E, R)));
  const lat: Float64Array[][] = [];
  for (let p = 0; p < K; p++) {
    lat.push([]);
    for (let q = 0; q < K; q++) {
      const a = new Float64Array(p === q ? 0 : sizes[p]! * sizes[q]!);
      if (p !== q) {
        for (let i = 0; i < sizes[p]!; i++) {
          for (let j = 0; j < sizes[q]!; j++) {
            const x = inst.latency(p, i, q, j);
            if (!(Number.isInteger(x) && x >= 0 && x <= MISSING)) {
              throw new Error(`latency(${p}, ${i}, ${q}, ${j}) = ${x} is not an integer in [0, MISSING]`);
            }
            a[i * sizes[q]! + j] = x;
          }
        }
      }
      lat[p]!.push(a);
    }
  }
  for (let p = 0; p < K; p++) {
    for (let q = p + 1; q < K; q++) {
      for (let i = 0; i < sizes[p]!; i++) {
        for (let j = 0; j < sizes[q]!; j++) {
          if (lat[p]![q]![i * sizes[q]! + j] !== lat[q]![p]![j * sizes[p]! + i]) {
            throw new Error(`latency is not symmetric at (${p}, ${i}) – (${q}, ${j})`);
          }
        }
      }
    }
  }
  return { K, sizes: sizes.slice(), E, R, lo, hi, eff, lat };
}

/** A latency function from matrices: matrices[p][q] (p < q) is sizes[p] × sizes[q]; symmetric by construction. */
export function latencyFromMatrices(matrices: number[][][][]): MultiNetworkInstance["latency"] {
  return (p, i, q, j) => (p < q ? matrices[p]![q]![i]![j]! : matrices[q]![p]![j]![i]!);
}

function capFree(x: number, R: number): number {
  return x <= 0 ? 0 : x - Math.floor(x / (R + 1));
}

function capCont(x: number, run: number, R: number): number {
  if (x <= 0) return 0;
  const a = Math.min(R - run, x);
  return a + capFree(x - a - 1, R);
}

/** Bottleneck and sum of a list of epochs' leaders. */
function evaluate(g: MultiNormalized, leaders: number[][]): { threshold: number; sum: number } {
  let threshold = 0;
  let sum = 0;
  for (const row of leaders) {
    let worst = 0;
    for (let p = 0; p < g.K; p++) {
      for (let q = p + 1; q < g.K; q++) worst = Math.max(worst, g.lat[p]![q]![row[p]! * g.sizes[q]! + row[q]!]!);
    }
    threshold = Math.max(threshold, worst);
    sum += worst;
  }
  return { threshold, sum };
}

/** Checks a K-network schedule: shape, indices, finite latencies, claimed threshold and sum, shares, runs. */
export function checkMultiSchedule(inst: MultiNetworkInstance, schedule: MultiSchedule): CheckResult {
  const g = normalizeMulti(inst);
  const { leaders } = schedule;
  if (!Array.isArray(leaders) || leaders.length !== g.E) {
    return { ok: false, reason: `wrong length: ${leaders?.length} epochs, expected ${g.E}` };
  }
  for (let e = 0; e < g.E; e++) {
    const row = leaders[e]!;
    if (!Array.isArray(row) || row.length !== g.K) return { ok: false, reason: `epoch ${e}: expected ${g.K} leaders` };
    for (let p = 0; p < g.K; p++) {
      const x = row[p]!;
      if (!(Number.isInteger(x) && x >= 0 && x < g.sizes[p]!)) {
        return { ok: false, reason: `epoch ${e}: node ${x} of network ${p} out of range` };
      }
    }
    for (let p = 0; p < g.K; p++) {
      for (let q = p + 1; q < g.K; q++) {
        if (g.lat[p]![q]![row[p]! * g.sizes[q]! + row[q]!] === MISSING) {
          return { ok: false, reason: `epoch ${e}: networks ${p} and ${q} leaders have no latency` };
        }
      }
    }
  }
  const { threshold, sum } = evaluate(g, leaders);
  if (threshold !== schedule.threshold) {
    return { ok: false, reason: `threshold mismatch: claimed ${schedule.threshold}, actual ${threshold}` };
  }
  if (sum !== schedule.sum) return { ok: false, reason: `sum mismatch: claimed ${schedule.sum}, actual ${sum}` };
  for (let p = 0; p < g.K; p++) {
    const count = new Array<number>(g.sizes[p]!).fill(0);
    let run = 0;
    for (let e = 0; e < g.E; e++) {
      const x = leaders[e]![p]!;
      count[x]!++;
      run = e > 0 && leaders[e - 1]![p] === x ? run + 1 : 1;
      if (run > g.R) return { ok: false, reason: `network ${p}: node ${x} leads ${run} consecutive epochs` };
    }
    for (let i = 0; i < g.sizes[p]!; i++) {
      if (count[i]! < g.lo[p]![i]! || count[i]! > g.hi[p]![i]!) {
        return {
          ok: false,
          reason: `network ${p}: node ${i} leads ${count[i]} epochs, bounds [${g.lo[p]![i]}, ${g.hi[p]![i]}]`,
        };
      }
    }
  }
  return { ok: true };
}

/**
 * One construction attempt at threshold T (see the header); returns the leaders per epoch or null.
 */
function construct(g: MultiNormalized, T: number, attempt: number, epochBudget: number): number[][] | null {
  const { K, sizes, E, R, lo, eff, lat } = g;
  const rand = mulberry32(0xc1a55 + attempt * 104729);
  const cnt = sizes.map((n) => new Int32Array(n));
  const last = new Int32Array(K).fill(-1);
  const run = new Int32Array(K);
  // networks with fewer usable nodes first
  const usable = (p: number, i: number): boolean => {
    for (let q = 0; q < K; q++) {
      if (q === p) continue;
      let any = false;
      for (let j = 0; j < sizes[q]! && !any; j++) any = lat[p]![q]![i * sizes[q]! + j]! <= T;
      if (!any) return false;
    }
    return true;
  };
  const order = Array.from({ length: K }, (_, p) => p);
  const usableCount = order.map((p) => {
    let c = 0;
    for (let i = 0; i < sizes[p]!; i++) if (usable(p, i)) c++;
    return c;
  });
  order.sort((a, b) => usableCount[a]! - usableCount[b]! || a - b);
  const leaders: number[][] = [];
  const chosen = new Int32Array(K);
  for (let e = 0; e < E; e++) {
    const rest = E - e - 1;
    const free = capFree(rest, R);
    const candidates: number[][] = order.map((p) => {
      // is the state after choosing x still coverable? Every node's remaining minimum share must fit in its
      // run capacity, the remaining minimum shares in the remaining epochs, and the remaining room
      // (min(hi' − count, capacity) summed) must cover them; aggregates first, then O(1) per candidate.
      const c = cnt[p]!;
      let deficitBase = 0;
      let roomBase = 0;
      let top1 = -Infinity;
      let top1At = -1;
      let top2 = -Infinity;
      for (let i = 0; i < sizes[p]!; i++) {
        const d = lo[p]![i]! - c[i]!;
        if (d > 0) deficitBase += d;
        roomBase += Math.min(eff[p]![i]! - c[i]!, free);
        if (d > top1) {
          top2 = top1;
          top1 = d;
          top1At = i;
        } else if (d > top2) top2 = d;
      }
      const okAfter = (x: number): boolean => {
        const capX = capCont(rest, x === last[p] ? run[p]! + 1 : 1, R);
        if (lo[p]![x]! - c[x]! - 1 > capX) return false;
        if ((x === top1At ? top2 : top1) > free) return false;
        const deficit = deficitBase - (lo[p]![x]! > c[x]! ? 1 : 0);
        const room = roomBase - Math.min(eff[p]![x]! - c[x]!, free) + Math.min(eff[p]![x]! - c[x]! - 1, capX);
        return deficit <= rest && room >= rest;
      };
      const list: number[] = [];
      for (let x = 0; x < sizes[p]!; x++) {
        if (cnt[p]![x]! >= eff[p]![x]!) continue;
        if (x === last[p] && run[p]! >= R) continue;
        if (!okAfter(x)) continue;
        list.push(x);
      }
      const score = (x: number): number =>
        (Math.max(0, lo[p]![x]! - cnt[p]![x]!) * 4 + (eff[p]![x]! - cnt[p]![x]!)) / (E + 1) -
        (x === last[p] ? 1 : 0) +
        (attempt > 0 ? rand() * 0.5 * attempt : 0);
      const scored = list.map((x) => [score(x), x] as const);
      scored.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      return scored.map((s) => s[1]);
    });
    let nodes = 0;
    const dfs = (k: number): boolean => {
      if (k === K) return true;
      if (++nodes > epochBudget) return false;
      const p = order[k]!;
      for (const x of candidates[k]!) {
        let fits = true;
        for (let h = 0; h < k && fits; h++) {
          const q = order[h]!;
          fits = lat[p]![q]![x * sizes[q]! + chosen[q]!]! <= T;
        }
        if (!fits) continue;
        chosen[p] = x;
        if (dfs(k + 1)) return true;
      }
      return false;
    };
    if (!dfs(0)) return null;
    const row: number[] = [];
    for (let p = 0; p < K; p++) {
      const x = chosen[p]!;
      row.push(x);
      cnt[p]![x]!++;
      run[p] = x === last[p] ? run[p]! + 1 : 1;
      last[p] = x;
    }
    leaders.push(row);
  }
  return leaders;
}

/** Heuristic K-network schedule with a proven lower bound (see the header). */
export function solveMultiNetwork(inst: MultiNetworkInstance, options: MultiOptions = {}): MultiResult {
  const restarts = options.restarts ?? 8;
  const epochBudget = options.epochBudget ?? 5000;
  const g = normalizeMulti(inst);
  const t0 = performance.now();
  const pairBounds: PairBound[] = [];
  for (let p = 0; p < g.K; p++) {
    for (let q = p + 1; q < g.K; q++) {
      const latency = Array.from({ length: g.sizes[p]! }, (_, i) =>
        Array.from({ length: g.sizes[q]! }, (_, j) => g.lat[p]![q]![i * g.sizes[q]! + j]!),
      );
      try {
        const r = solveTwoNetworks({
          latency,
          epochs: g.E,
          maxRun: g.R,
          minShareA: g.lo[p]!,
          maxShareA: g.hi[p]!,
          minShareB: g.lo[q]!,
          maxShareB: g.hi[q]!,
        });
        const exact = r.stats.thresholdExact;
        pairBounds.push({ p, q, bound: exact ? r.schedule.threshold : r.stats.lowerBound, exact });
      } catch (err) {
        if (err instanceof ScheduleInfeasibleError) {
          throw new ScheduleInfeasibleError(
            `networks ${p} and ${q} alone admit no schedule${err.proven ? "" : " (not proven)"}: ${err.message}`,
            null,
            err.proven,
          );
        }
        throw err;
      }
    }
  }
  const lowerBound = Math.max(...pairBounds.map((b) => b.bound));
  const boundMs = performance.now() - t0;

  const values = new Set<number>();
  for (let p = 0; p < g.K; p++) {
    for (let q = p + 1; q < g.K; q++)
      for (const x of g.lat[p]![q]!) if (x !== MISSING && x >= lowerBound) values.add(x);
  }
  const candidates = [...values].sort((a, b) => a - b);
  let thresholdsTested = 0;
  let restartsUsed = 0;
  const attempt = (idx: number): number[][] | null => {
    thresholdsTested++;
    for (let a = 0; a < restarts; a++) {
      const r = construct(g, candidates[idx]!, a, epochBudget);
      if (r !== null) {
        restartsUsed = Math.max(restartsUsed, a + 1);
        return r;
      }
    }
    return null;
  };
  let best: number[][] | null = null;
  if (candidates.length > 0) {
    best = attempt(0);
    if (best === null) {
      let hiIdx = candidates.length - 1;
      best = attempt(hiIdx);
      if (best !== null) {
        let loIdx = 0;
        while (hiIdx - loIdx > 1) {
          const mid = (loIdx + hiIdx) >> 1;
          const r = attempt(mid);
          if (r !== null) {
            hiIdx = mid;
            best = r;
          } else loIdx = mid;
        }
      }
    }
  }
  if (best === null) {
    throw new ScheduleInfeasibleError("no K-network schedule found by the heuristic", null, false);
  }
  const { threshold, sum } = evaluate(g, best);
  const schedule: MultiSchedule = { leaders: best, threshold, sum };
  const check = checkMultiSchedule(inst, schedule);
  if (!check.ok) throw new Error(`solveMultiNetwork: constructed schedule fails the check: ${check.reason} (bug)`);
  return {
    schedule,
    lowerBound,
    gap: threshold - lowerBound,
    pairBounds,
    stats: { thresholdsTested, restartsUsed, boundMs, heuristicMs: performance.now() - t0 - boundMs },
  };
}

/**
 * The exact optimum (bottleneck, then sum of epoch costs) of a tiny K-network instance by exhaustive search;
 * null if no schedule exists. Meant for Π sizes ≤ 16 and E ≤ 5.
 */
export function bruteForceMultiOptimum(inst: MultiNetworkInstance): MultiSchedule | null {
  const g = normalizeMulti(inst);
  const { K, sizes, E, R } = g;
  const cliques: { nodes: number[]; cost: number }[] = [];
  const tuple = new Array<number>(K).fill(0);
  const enumerate = (p: number): void => {
    if (p === K) {
      let cost = 0;
      for (let a = 0; a < K; a++) {
        for (let b = a + 1; b < K; b++) cost = Math.max(cost, g.lat[a]![b]![tuple[a]! * sizes[b]! + tuple[b]!]!);
      }
      if (cost !== MISSING) cliques.push({ nodes: tuple.slice(), cost });
      return;
    }
    for (let x = 0; x < sizes[p]!; x++) {
      tuple[p] = x;
      enumerate(p + 1);
    }
  };
  enumerate(0);
  cliques.sort((a, b) => a.cost - b.cost);
  const cnt = sizes.map((n) => new Array<number>(n).fill(0));
  const seq: number[][] = [];
  let best: MultiSchedule | null = null;
  const dfs = (e: number, worst: number, sum: number): void => {
    if (best !== null && (worst > best.threshold || (worst === best.threshold && sum >= best.sum))) return;
    if (e === E) {
      for (let p = 0; p < K; p++) for (let i = 0; i < sizes[p]!; i++) if (cnt[p]![i]! < g.lo[p]![i]!) return;
      best = { leaders: seq.map((r) => r.slice()), threshold: worst, sum };
      return;
    }
    for (const c of cliques) {
      let ok = true;
      for (let p = 0; p < K && ok; p++) {
        const x = c.nodes[p]!;
        if (cnt[p]![x]! >= g.hi[p]![x]!) ok = false;
        let r = 0;
        for (let k = seq.length - 1; k >= 0 && seq[k]![p] === x; k--) r++;
        if (r >= R) ok = false;
      }
      if (!ok) continue;
      for (let p = 0; p < K; p++) cnt[p]![c.nodes[p]!]!++;
      seq.push(c.nodes);
      dfs(e + 1, Math.max(worst, c.cost), sum + c.cost);
      seq.pop();
      for (let p = 0; p < K; p++) cnt[p]![c.nodes[p]!]!--;
    }
  };
  dfs(0, 0, 0);
  return best;
}
