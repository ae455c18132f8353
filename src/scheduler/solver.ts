/**
 * Latency-optimal leader rotation for two networks (docs/LATENCY.md §2–3).
 *
 * `solveTwoNetworks(inst)` returns a schedule, a cut certificate and statistics:
 *
 * 1. **Bottleneck (first objective), exact in the flow model.** feasible(T) = "some multiset of E pairs, all
 *    with latency ≤ T, respects the effective share bounds" is tested with a lower-bounded circulation
 *    (maxflow.ts; edges A_i → B_j gated by their latency). The optimum T* is the smallest distinct finite
 *    matrix value with feasible(T*), found by galloping from a lower bound (the largest row/column minimum
 *    over nodes with a positive minimum share) and then bisecting; the flow of the largest infeasible
 *    candidate is kept and augmented, so every test starts from a valid flow. The certificate is the
 *    residual cut of the largest infeasible candidate (edges < T*), translated to a vertex set S of the
 *    original network and checked with `checkCut` before it is returned.
 * 2. **Sum (second objective).** Among multisets with all pairs ≤ T*, minimise Σ latency: a min-cost
 *    circulation (primal–dual successive shortest paths, maxflow.ts) on a RESTRICTED candidate set of edges —
 *    the `candidatesPerNode` (default 6) cheapest edges ≤ T* of every A node and of every B node, plus the
 *    edges of the max-flow solution (so the restricted problem is feasible) — followed by pricing: with the
 *    final potentials π (a dual solution of the restricted problem), every left-out edge ≤ T* with reduced
 *    cost L(i, j) + π(A_i) − π(B_j) < 0 is added and the restricted problem is solved again. When no left-out
 *    edge has a negative reduced cost, every residual edge of the FULL problem has a nonnegative reduced cost,
 *    so the flow is a min-cost circulation of the full problem: the sum is proven minimal (`sumMethod
 *    "min-cost-flow"`). On the benchmark (n = m = 1024, E = 4096) one round suffices, also when T* is high and
 *    70 % of the 10^6 edges are ≤ T* (the min-cost pass on all of them took ~18 s, on the candidates ~1 s; see
 *    benchmarks/latency.md). If `pricingRounds` rounds or `sumBudgetMs` milliseconds are spent first, the
 *    last restricted optimum is kept as a heuristic solution (`"restricted-min-cost"`, `sumExact` false).
 * 3. **Ordering.** The multiset is put in epoch order by a greedy: at every epoch take, among the pairs whose
 *    leaders would not exceed R consecutive epochs and after which every node still fits in the remaining
 *    epochs (a node with c epochs left to lead in r epochs needs c ≤ r − ⌊r/(R+1)⌋, or the continuation bound
 *    of its current run), the pair with the most remaining epochs of its two leaders, avoiding the previous
 *    leaders when possible; deterministic restarts (no repeat penalty, seeded random tie-breaks). The runs
 *    of A and of B are coupled through the pairs, so a multiset that respects the effective bounds can still
 *    be impossible to order (test/scheduler/solver.test.ts, case (d): E = 3, R = 1, pairs {(0,0), (1,0),
 *    (1,1)}). If no restart succeeds: an exhaustive depth-first search over epoch sequences with pairs ≤ T
 *    (branch-and-bound on the sum, at most `searchBudget` nodes and `searchWork` steps); when it completes,
 *    its schedule is the exact optimum at T (sum included) and "none" proves that nothing exists at T;
 *    otherwise the better of its best find and the greedily ordered max-flow multiset. If nothing can be
 *    ordered at T*, the next candidate threshold is tried; the schedule's bottleneck is then above the
 *    certified lower bound, `stats.optimal` is false and the cut proves only `stats.lowerBound` (it is not a
 *    valid certificate for the schedule's threshold, and no such certificate exists in the flow model: the
 *    contract cannot accept a proposal for that window). This never happened in the tests' random instances;
 *    the options can force it (test_solveTwoNetworks_orderingFailureMovesToNextThreshold).
 *
 * Errors: `ScheduleInfeasibleError` when no schedule with finite latencies exists (its `cut`, when present,
 * is a valid cut at T = MISSING, i.e. it proves that even all finite pairs do not suffice), or when nothing
 * could be ordered at any threshold.
 */
import { checkCut, normalizeInstance, type NormalizedInstance } from "./certificate.ts";
import { Circulation, INFINITE } from "./maxflow.ts";
import { MISSING, type Cut, type Schedule, type TwoNetworkInstance } from "./types.ts";

/** No schedule exists (or, with `proven` false, none could be found). */
export class ScheduleInfeasibleError extends Error {
  /** A cut valid at T = MISSING (no multiset of finite pairs respects the share bounds), when one exists. */
  readonly cut: Cut | null;
  /** True when infeasibility is proven (by the cut, by bounds, or by exhaustive search). */
  readonly proven: boolean;
  constructor(message: string, cut: Cut | null, proven = true) {
    super(message);
    this.name = "ScheduleInfeasibleError";
    this.cut = cut;
    this.proven = proven;
  }
}

export interface SolveOptions {
  /** Cheapest edges ≤ T per node (A rows and B columns) in the initial candidate set of the sum pass (0: only
   * the max-flow solution's edges). Default 6. */
  candidatesPerNode?: number;
  /** Pricing rounds of the sum pass before it settles for the restricted optimum. Default 50. */
  pricingRounds?: number;
  /** Time budget of the sum pass (ms) per threshold, checked between pricing rounds. Default 10 000. */
  sumBudgetMs?: number;
  /** Nodes of the exhaustive ordering search per threshold. Default 200 000. */
  searchBudget?: number;
  /** Work of the exhaustive ordering search per threshold (pairs examined + n + m per share check). Default 2e7. */
  searchWork?: number;
  /** Greedy ordering attempts per multiset. Default 6. */
  orderRestarts?: number;
}

export interface SolveStats {
  /** The cut certifies the schedule's threshold (the schedule would be accepted on chain). */
  optimal: boolean;
  /** The threshold is proven minimal: by the cut, or by the cut plus exhaustive searches above it. */
  thresholdExact: boolean;
  /** What the cut proves: no schedule has all pairs < lowerBound. */
  lowerBound: number;
  /** The sum is proven minimal among schedules with this threshold. */
  sumExact: boolean;
  /**
   * "min-cost-flow": restricted min-cost circulation proven optimal by pricing; "restricted-min-cost": the
   * pricing stopped early (heuristic); "search": exhaustive search (when the min-cost multiset could not be
   * ordered).
   */
  sumMethod: "min-cost-flow" | "restricted-min-cost" | "search";
  /** Pricing rounds of the sum pass (all thresholds tried). */
  pricingRounds: number;
  orderMethod: "greedy" | "search";
  /** Greedy attempts used on the multiset that was ordered (0 when the search ordered it). */
  orderAttempts: number;
  /** Distinct finite latencies. */
  candidates: number;
  /** Feasibility tests of the threshold search. */
  flowTests: number;
  /** Thresholds at which an ordering was attempted (1 when T* could be ordered). */
  thresholdsTried: number;
  /** Edges with latency ≤ the schedule's threshold. */
  usableEdges: number;
  /** Epochs whose A (B) leader is the previous epoch's. */
  repeatsA: number;
  repeatsB: number;
  thresholdMs: number;
  sumMs: number;
  orderMs: number;
  totalMs: number;
  /** Human-readable summary of what is proven. */
  note: string;
}

export interface SolveResult {
  schedule: Schedule;
  cut: Cut;
  stats: SolveStats;
}

const DEFAULTS = {
  candidatesPerNode: 6,
  pricingRounds: 50,
  sumBudgetMs: 10_000,
  searchBudget: 200_000,
  searchWork: 2e7,
  orderRestarts: 6,
} satisfies Required<SolveOptions>;

/** Most epochs a free node can lead among x epochs with runs ≤ R. */
function capFree(x: number, R: number): number {
  return x <= 0 ? 0 : x - Math.floor(x / (R + 1));
}

/** Most epochs among x a node can lead when it has just led `run` consecutive epochs (and may go on). */
function capCont(x: number, run: number, R: number): number {
  if (x <= 0) return 0;
  const a = Math.min(R - run, x);
  return a + capFree(x - a - 1, R);
}

/** A deterministic PRNG (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PairCount {
  i: number;
  j: number;
  count: number;
  /** Index of the edge in the row-major list of finite edges sorted by latency within each row. */
  edge?: number;
}

/**
 * Greedy ordering of a multiset of pairs (see the header). Attempt 0: avoid repeating the previous leaders
 * whenever another pair is safe; attempt 1: no repeat penalty; later attempts: seeded random tie-breaks.
 */
export function orderPairs(
  p: NormalizedInstance,
  pairs: PairCount[],
  attempt: number,
): { leadersA: number[]; leadersB: number[] } | null {
  const { n, m, epochs: E, maxRun: R } = p;
  const remA = new Int32Array(n);
  const remB = new Int32Array(m);
  const cnt = new Int32Array(pairs.length);
  let total = 0;
  pairs.forEach((q, k) => {
    remA[q.i]! += q.count;
    remB[q.j]! += q.count;
    cnt[k] = q.count;
    total += q.count;
  });
  if (total !== E) throw new Error(`orderPairs: multiset has ${total} pairs, expected ${E}`);
  const rand = mulberry32(0x5eed + attempt * 7919);
  const penalty = attempt === 0 ? 1e9 : attempt === 1 ? 0 : rand() * 2;
  const jitter = attempt >= 2 ? 1 + attempt : 0;
  const leadersA: number[] = [];
  const leadersB: number[] = [];
  let lastA = -1;
  let runA = 0;
  let lastB = -1;
  let runB = 0;
  const top2 = (rem: Int32Array): [number, number, number] => {
    let b1 = -1;
    let v1 = -1;
    let v2 = -1;
    for (let x = 0; x < rem.length; x++) {
      const v = rem[x]!;
      if (v > v1) {
        v2 = v1;
        v1 = v;
        b1 = x;
      } else if (v > v2) v2 = v;
    }
    return [b1, v1, v2];
  };
  for (let e = 0; e < E; e++) {
    const rest = E - e - 1;
    const freeCap = capFree(rest, R);
    const [topA, topAv, secondAv] = top2(remA);
    const [topB, topBv, secondBv] = top2(remB);
    let best = -1;
    let bestScore = -Infinity;
    for (let k = 0; k < pairs.length; k++) {
      if (cnt[k] === 0) continue;
      const { i, j } = pairs[k]!;
      if (i === lastA && runA >= R) continue;
      if (j === lastB && runB >= R) continue;
      const newRunA = i === lastA ? runA + 1 : 1;
      const newRunB = j === lastB ? runB + 1 : 1;
      if (remA[i]! - 1 > capCont(rest, newRunA, R)) continue;
      if (remB[j]! - 1 > capCont(rest, newRunB, R)) continue;
      if ((i === topA ? secondAv : topAv) > freeCap) continue;
      if ((j === topB ? secondBv : topBv) > freeCap) continue;
      let score = remA[i]! + remB[j]! + cnt[k]! / (E + 1);
      if (i === lastA) score -= penalty;
      if (j === lastB) score -= penalty;
      if (jitter > 0) score += rand() * jitter;
      if (score > bestScore) {
        bestScore = score;
        best = k;
      }
    }
    if (best < 0) return null;
    const { i, j } = pairs[best]!;
    cnt[best]!--;
    remA[i]!--;
    remB[j]!--;
    runA = i === lastA ? runA + 1 : 1;
    runB = j === lastB ? runB + 1 : 1;
    lastA = i;
    lastB = j;
    leadersA.push(i);
    leadersB.push(j);
  }
  return { leadersA, leadersB };
}

/**
 * Exhaustive search over epoch sequences with every pair ≤ T (branch-and-bound on the sum), within `budget`
 * nodes and `work` steps (one per pair examined, n + m per share check). Returns the best schedule found and whether the search completed (then it is the minimum sum, and
 * `null` proves that no schedule with all pairs ≤ T exists).
 */
export function searchSchedule(
  p: NormalizedInstance,
  T: number,
  budget: number,
  work = Infinity,
): { best: { leadersA: number[]; leadersB: number[]; sum: number } | null; complete: boolean } {
  const { n, m, epochs: E, maxRun: R } = p;
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const l = p.latency[i]![j]!;
      if (l !== MISSING && l <= T) pairs.push([l, i, j]);
    }
  }
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
  const minL = pairs.length > 0 ? pairs[0]![0] : 0;
  const cntA = new Int32Array(n);
  const cntB = new Int32Array(m);
  let defA = p.loA.reduce((s, x) => s + x, 0);
  let defB = p.loB.reduce((s, x) => s + x, 0);
  const seqA: number[] = [];
  const seqB: number[] = [];
  let best: { leadersA: number[]; leadersB: number[]; sum: number } | null = null;
  let nodes = 0;
  let steps = 0;
  let complete = true;
  // per-node feasibility of the minimum shares in the remaining epochs
  const sharesReachable = (rest: number, lastA: number, runA: number, lastB: number, runB: number): boolean => {
    if (defA > rest || defB > rest) return false;
    for (let i = 0; i < n; i++) {
      const d = p.loA[i]! - cntA[i]!;
      if (d > 0 && d > (i === lastA ? capCont(rest, runA, R) : capFree(rest, R))) return false;
    }
    for (let j = 0; j < m; j++) {
      const d = p.loB[j]! - cntB[j]!;
      if (d > 0 && d > (j === lastB ? capCont(rest, runB, R) : capFree(rest, R))) return false;
    }
    return true;
  };
  const dfs = (e: number, sum: number, lastA: number, runA: number, lastB: number, runB: number): void => {
    if (++nodes > budget) {
      complete = false;
      return;
    }
    if (best !== null && sum + (E - e) * minL >= best.sum) return;
    if (e === E) {
      best = { leadersA: seqA.slice(), leadersB: seqB.slice(), sum };
      return;
    }
    for (const [l, i, j] of pairs) {
      if (!complete) return;
      if (++steps > work) {
        complete = false;
        return;
      }
      if (cntA[i]! >= p.effA[i]! || cntB[j]! >= p.effB[j]!) continue;
      const nRunA = i === lastA ? runA + 1 : 1;
      const nRunB = j === lastB ? runB + 1 : 1;
      if (nRunA > R || nRunB > R) continue;
      if (cntA[i]! < p.loA[i]!) defA--;
      if (cntB[j]! < p.loB[j]!) defB--;
      cntA[i]!++;
      cntB[j]!++;
      steps += n + m;
      if (sharesReachable(E - e - 1, i, nRunA, j, nRunB)) {
        seqA.push(i);
        seqB.push(j);
        dfs(e + 1, sum + l, i, nRunA, j, nRunB);
        seqA.pop();
        seqB.pop();
      }
      cntA[i]!--;
      cntB[j]!--;
      if (cntA[i]! < p.loA[i]!) defA++;
      if (cntB[j]! < p.loB[j]!) defB++;
    }
  };
  if (sharesReachable(E, -1, 0, -1, 0)) dfs(0, 0, -1, 0, -1, 0);
  return { best, complete };
}

function now(): number {
  return performance.now();
}

function countRepeats(leaders: number[]): number {
  let r = 0;
  for (let e = 1; e < leaders.length; e++) if (leaders[e] === leaders[e - 1]) r++;
  return r;
}

/** Solves a two-network instance; see the file header. */
export function solveTwoNetworks(inst: TwoNetworkInstance, options: SolveOptions = {}): SolveResult {
  const opt = { ...DEFAULTS, ...options };
  const t0 = now();
  const p = normalizeInstance(inst);
  const { n, m, epochs: E, latency } = p;
  for (const [name, lo, hi, eff] of [
    ["A", p.loA, p.hiA, p.effA],
    ["B", p.loB, p.hiB, p.effB],
  ] as const) {
    for (let k = 0; k < lo.length; k++) {
      if (lo[k]! > eff[k]!) {
        throw new ScheduleInfeasibleError(
          `${name} node ${k} must lead at least ${lo[k]} epochs but may lead at most ${eff[k]} ` +
            `(maxShare ${hi[k]}, run capacity ⌊R(E+1)/(R+1)⌋ = ${Math.floor((p.maxRun * (E + 1)) / (p.maxRun + 1))})`,
          null,
        );
      }
    }
  }

  // ---- rows sorted by latency, distinct finite values
  const finite: number[] = [];
  const rowOrder: Int32Array[] = [];
  let finiteCount = 0;
  for (let i = 0; i < n; i++) {
    const row = latency[i]!;
    const keys = new Float64Array(m);
    let c = 0;
    for (let j = 0; j < m; j++) if (row[j] !== MISSING) keys[c++] = row[j]! * m + j;
    const sorted = keys.subarray(0, c).sort();
    const order = new Int32Array(c);
    for (let k = 0; k < c; k++) order[k] = sorted[k]! % m;
    rowOrder.push(order);
    finiteCount += c;
  }
  const all = new Uint32Array(finiteCount);
  {
    let c = 0;
    for (let i = 0; i < n; i++) for (const j of rowOrder[i]!) all[c++] = latency[i]![j]!;
  }
  all.sort();
  for (let k = 0; k < all.length; k++) if (k === 0 || all[k] !== all[k - 1]) finite.push(all[k]!);
  const K = finite.length;

  // ---- the flow model. Edge c (row-major, by latency within a row: c = rowOff[i] + k) is A_i's k-th
  // cheapest finite edge. The model holds the edges ≤ `limit`: first a prefix (≥ 16·(n + m) edges, at least
  // up to the lower bound), which usually contains T*; the full model is built only when a test needs more.
  const s = 0;
  const t = 1;
  const vA = (i: number) => 2 + i;
  const vB = (j: number) => 2 + n + j;
  const rowOff = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) rowOff[i + 1] = rowOff[i]! + rowOrder[i]!.length;
  const pairI = new Int32Array(finiteCount);
  const pairJ = new Int32Array(finiteCount);
  for (let i = 0; i < n; i++) {
    const o = rowOrder[i]!;
    for (let k = 0; k < o.length; k++) {
      pairI[rowOff[i]! + k] = i;
      pairJ[rowOff[i]! + k] = o[k]!;
    }
  }
  /** Number of edges of row i with latency ≤ T. */
  const rowPrefix = (i: number, T: number): number => {
    const o = rowOrder[i]!;
    const row = latency[i]!;
    let lo = 0;
    let hi = o.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (row[o[mid]!]! <= T) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  interface Model {
    circ: Circulation;
    pairBase: number;
    /** edgeC[k]: the edge c of the model's k-th pair edge. */
    edgeC: Int32Array;
    limit: number;
  }
  const buildModel = (limit: number): Model => {
    let count = 0;
    const prefix = new Int32Array(n);
    for (let i = 0; i < n; i++) count += prefix[i] = limit === Infinity ? rowOrder[i]!.length : rowPrefix(i, limit);
    const circ = new Circulation(2 + n + m, count + n + m + 1);
    circ.addEdge(t, s, E, E);
    for (let i = 0; i < n; i++) circ.addEdge(s, vA(i), p.loA[i]!, p.effA[i]!);
    for (let j = 0; j < m; j++) circ.addEdge(vB(j), t, p.loB[j]!, p.effB[j]!);
    const pairBase = circ.edgeCount;
    const edgeC = new Int32Array(count);
    let k = 0;
    for (let i = 0; i < n; i++) {
      for (let c = rowOff[i]!; c < rowOff[i]! + prefix[i]!; c++) {
        const l = latency[i]![pairJ[c]!]!;
        circ.addEdge(vA(i), vB(pairJ[c]!), 0, INFINITE, l, l);
        edgeC[k++] = c;
      }
    }
    circ.build();
    return { circ, pairBase, edgeC, limit };
  };
  let model: Model | null = null;
  let loSnap: Float64Array | null = null;
  /** The model, rebuilt in full if it lacks edges ≤ `value` (flow snapshots of the old one are dropped). */
  const modelFor = (value: number): Model => {
    if (model === null || value > model.limit) {
      model = buildModel(Infinity);
      loSnap = null;
    }
    return model;
  };

  const toCut = (inS: Uint8Array): Cut => ({
    sourceIn: inS[s] === 1,
    sinkIn: inS[t] === 1,
    inA: Array.from({ length: n }, (_, i) => inS[vA(i)] === 1),
    inB: Array.from({ length: m }, (_, j) => inS[vB(j)] === 1),
  });
  /** The residual cut of the model at its current gate (infeasible), verified with the checker. */
  const verifiedCut = (circ: Circulation, threshold: number): Cut => {
    const cut = toCut(circ.violatingSet());
    const check = checkCut(p, cut, threshold);
    if (!check.ok)
      throw new Error(`solver: translated cut fails the checker at T = ${threshold}: ${check.reason} (bug)`);
    return cut;
  };

  // ---- threshold search
  let flowTests = 0;
  let loIdx = -1;
  /** Max flow of the model at gate `value`, from the snapshot of the largest infeasible gate when there is one. */
  const flowAt = (value: number): Model => {
    const mod = modelFor(value);
    if (loSnap) mod.circ.net.restoreFlow(loSnap);
    else mod.circ.net.resetFlow();
    mod.circ.setGate(value);
    mod.circ.feasible();
    return mod;
  };
  const test = (idx: number): boolean => {
    const { circ } = flowAt(finite[idx]!);
    flowTests++;
    const ok = circ.feasible();
    if (!ok) {
      loIdx = idx;
      loSnap = circ.net.saveFlow();
    }
    return ok;
  };
  const gateAt = (idx: number): number => (idx < 0 ? -Infinity : finite[idx]!);
  // lower bound: every node with a positive minimum share needs one of its edges
  let lbValue = K > 0 ? finite[0]! : MISSING;
  for (let i = 0; i < n; i++) {
    if (p.loA[i]! > 0) {
      const o = rowOrder[i]!;
      lbValue = Math.max(lbValue, o.length > 0 ? latency[i]![o[0]!]! : MISSING);
    }
  }
  for (let j = 0; j < m; j++) {
    if (p.loB[j]! > 0) {
      let c = MISSING;
      for (let i = 0; i < n; i++) c = Math.min(c, latency[i]![j]!);
      lbValue = Math.max(lbValue, c);
    }
  }
  const infeasibleEverywhere = (): never => {
    // the gate of the largest candidate (or none) is infeasible: cut at T = MISSING
    const { circ } = flowAt(K > 0 ? finite[K - 1]! : -Infinity);
    if (circ.feasible()) throw new Error("solver: expected an infeasible flow at the largest candidate (bug)");
    const cut = verifiedCut(circ, MISSING);
    throw new ScheduleInfeasibleError(
      "no schedule exists: even with every finite latency allowed, the share bounds cannot be met (see cut)",
      cut,
    );
  };
  if (lbValue === MISSING || K === 0) infeasibleEverywhere();
  let lbIdx = 0;
  while (finite[lbIdx]! < lbValue) lbIdx++;
  {
    const k = Math.min(finiteCount - 1, 16 * (n + m));
    model = finiteCount <= 32 * (n + m) ? buildModel(Infinity) : buildModel(Math.max(lbValue, all[k]!));
  }
  let hiIdx = -1;
  if (lbIdx > 0) test(lbIdx - 1);
  {
    let probe = lbIdx;
    let step = 1;
    for (;;) {
      if (probe > loIdx && test(probe)) {
        hiIdx = probe;
        break;
      }
      if (probe >= K - 1) break;
      probe = Math.min(K - 1, probe + step);
      step *= 2;
    }
  }
  if (hiIdx < 0) infeasibleEverywhere();
  while (hiIdx - loIdx > 1) {
    const mid = (loIdx + hiIdx) >> 1;
    if (test(mid)) hiIdx = mid;
  }
  const tStar = finite[hiIdx]!;
  // certificate: the residual cut at the largest infeasible candidate (edges < T*)
  const cut = verifiedCut(flowAt(gateAt(loIdx)).circ, tStar);
  const thresholdMs = now() - t0;

  // ---- second objective and ordering, from T* upwards
  let sumMs = 0;
  let orderMs = 0;
  let provenNoneBelow = true;
  const multiset = (mod: Model): PairCount[] => {
    const out: PairCount[] = [];
    for (let k = 0; k < mod.edgeC.length; k++) {
      const id = mod.pairBase + k;
      if (!mod.circ.isUsable(id)) continue;
      const f = mod.circ.flowOf(id);
      const c = mod.edgeC[k]!;
      if (f > 0) out.push({ i: pairI[c]!, j: pairJ[c]!, count: f, edge: c });
    }
    return out;
  };
  const sumOf = (pairs: PairCount[]): number => pairs.reduce((acc, q) => acc + q.count * latency[q.i]![q.j]!, 0);
  let pricingRounds = 0;
  /** Min-cost multiset of pairs ≤ T: restricted candidate set + pricing (see the header). */
  const minCostMultiset = (
    T: number,
    maxflowPairs: PairCount[],
    deadline: number,
  ): { pairs: PairCount[]; proven: boolean; rounds: number } => {
    const len = new Int32Array(n);
    for (let i = 0; i < n; i++) len[i] = rowPrefix(i, T);
    const inSet = new Uint8Array(finiteCount);
    for (let i = 0; i < n; i++) {
      const k = opt.candidatesPerNode;
      for (let c = 0; c < Math.min(k, len[i]!); c++) inSet[rowOff[i]! + c] = 1;
    }
    // every B node's cheapest edges ≤ T too (column lists by a counting pass, then a numeric sort per column)
    {
      const colCount = new Int32Array(m + 1);
      for (let i = 0; i < n; i++) for (let c = rowOff[i]!; c < rowOff[i]! + len[i]!; c++) colCount[pairJ[c]! + 1]!++;
      for (let j = 0; j < m; j++) colCount[j + 1]! += colCount[j]!;
      const fill = colCount.slice(0, m);
      const keys = new Float64Array(colCount[m]!);
      const composite = finiteCount * 2 ** 32 < 2 ** 53;
      const cols: number[][] = composite ? [] : Array.from({ length: m }, () => []);
      for (let i = 0; i < n; i++) {
        for (let c = rowOff[i]!; c < rowOff[i]! + len[i]!; c++) {
          const j = pairJ[c]!;
          if (composite) keys[fill[j]!++] = latency[i]![j]! * finiteCount + c;
          else cols[j]!.push(c);
        }
      }
      for (let j = 0; j < m; j++) {
        const k = opt.candidatesPerNode;
        if (composite) {
          const col = keys.subarray(colCount[j]!, colCount[j + 1]!).sort();
          for (let r = 0; r < Math.min(k, col.length); r++) inSet[col[r]! % finiteCount] = 1;
        } else {
          const col = cols[j]!.sort((x, y) => latency[pairI[x]!]![j]! - latency[pairI[y]!]![j]! || x - y);
          for (let r = 0; r < Math.min(k, col.length); r++) inSet[col[r]!] = 1;
        }
      }
    }
    for (const q of maxflowPairs) inSet[q.edge!] = 1;
    for (let round = 1; ; round++) {
      const sub = new Circulation(2 + n + m, 1024);
      sub.addEdge(t, s, E, E);
      for (let i = 0; i < n; i++) sub.addEdge(s, vA(i), p.loA[i]!, p.effA[i]!);
      for (let j = 0; j < m; j++) sub.addEdge(vB(j), t, p.loB[j]!, p.effB[j]!);
      const base = sub.edgeCount;
      const edgeOf: number[] = [];
      for (let i = 0; i < n; i++) {
        for (let c = rowOff[i]!; c < rowOff[i]! + len[i]!; c++) {
          if (!inSet[c]) continue;
          sub.addEdge(vA(i), vB(pairJ[c]!), 0, INFINITE, latency[i]![pairJ[c]!]!);
          edgeOf.push(c);
        }
      }
      const r = sub.minCostCirculation();
      if (!r.feasible) throw new Error("solver: restricted min-cost circulation infeasible (bug)");
      const pairs: PairCount[] = [];
      edgeOf.forEach((c, k) => {
        const f = sub.flowOf(base + k);
        if (f > 0) pairs.push({ i: pairI[c]!, j: pairJ[c]!, count: f, edge: c });
      });
      const pot = r.potential;
      let added = 0;
      for (let i = 0; i < n; i++) {
        const pa = pot[vA(i)]!;
        for (let c = rowOff[i]!; c < rowOff[i]! + len[i]!; c++) {
          if (inSet[c]) continue;
          const j = pairJ[c]!;
          if (latency[i]![j]! + pa - pot[vB(j)]! < 0) {
            inSet[c] = 1;
            added++;
          }
        }
      }
      if (added === 0) return { pairs, proven: true, rounds: round };
      if (round >= opt.pricingRounds || now() > deadline) return { pairs, proven: false, rounds: round };
    }
  };
  for (let idx = hiIdx, tried = 1; idx < K; idx++, tried++) {
    const T = finite[idx]!;
    const ts = now();
    // max-flow multiset (from the infeasible snapshot below T*, or from scratch above it)
    if (idx > hiIdx) loSnap = null; // the snapshot below T* is not a max flow above it: start from scratch
    const mod = flowAt(T);
    if (!mod.circ.feasible()) throw new Error("solver: flow infeasible at a threshold above T* (bug)");
    const maxflowPairs = multiset(mod);
    let usableEdges = 0;
    for (let i = 0; i < n; i++) usableEdges += rowPrefix(i, T);
    const ms = minCostMultiset(T, maxflowPairs, ts + opt.sumBudgetMs);
    const sumPairs = ms.pairs;
    let sumMethod: SolveStats["sumMethod"] = ms.proven ? "min-cost-flow" : "restricted-min-cost";
    const sumProven = ms.proven;
    pricingRounds += ms.rounds;
    const minSum = sumOf(sumPairs);
    const tm = now();
    sumMs += tm - ts;

    let order: { leadersA: number[]; leadersB: number[] } | null = null;
    let orderMethod: SolveStats["orderMethod"] = "greedy";
    let attempts = 0;
    let sumExact = false;
    const greedy = (pairs: PairCount[]): { leadersA: number[]; leadersB: number[] } | null => {
      for (let a = 0; a < opt.orderRestarts; a++) {
        const o = orderPairs(p, pairs, a);
        if (o !== null) {
          attempts = a + 1;
          return o;
        }
      }
      return null;
    };
    // 1. the min-cost multiset, greedily ordered
    order = greedy(sumPairs);
    if (order !== null) sumExact = sumProven;
    let searchComplete = false;
    if (order === null) {
      // 2. exhaustive search (exact when it completes), 3. else the better of its best find and the
      //    greedily ordered max-flow multiset
      const r = searchSchedule(p, T, opt.searchBudget, opt.searchWork);
      searchComplete = r.complete;
      const alt = r.complete ? null : greedy(maxflowPairs);
      const altSum = alt === null ? Infinity : sumOf(maxflowPairs);
      if (r.best !== null && r.best.sum <= altSum) {
        order = { leadersA: r.best.leadersA, leadersB: r.best.leadersB };
        orderMethod = "search";
        attempts = 0;
        sumMethod = "search";
        sumExact = r.complete || (sumProven && r.best.sum === minSum);
      } else if (alt !== null) {
        order = alt;
        sumExact = sumProven && altSum === minSum;
      }
    }
    orderMs += now() - tm;
    if (order === null) {
      provenNoneBelow = provenNoneBelow && searchComplete;
      continue;
    }
    let threshold = 0;
    let sum = 0;
    for (let e = 0; e < E; e++) {
      const l = latency[order.leadersA[e]!]![order.leadersB[e]!]!;
      if (l > threshold) threshold = l;
      sum += l;
    }
    const optimal = threshold === tStar;
    const thresholdExact = optimal || provenNoneBelow;
    const note = optimal
      ? `optimal: the cut proves that no schedule has all pairs < ${tStar}; sum ${sum} ` +
        (sumExact ? `proven minimal (${sumMethod})` : `not proven minimal (${sumMethod})`)
      : `no schedule with all pairs < ${threshold} was found (the multisets of pairs that the flow model allows ` +
        `could not be ordered with runs <= R); the cut proves only the lower bound ${tStar}` +
        (thresholdExact ? " (exhaustive search proves the threshold optimal nevertheless)" : "") +
        "; the contract cannot accept this schedule (no cut exists at its threshold)";
    return {
      schedule: { leadersA: order.leadersA, leadersB: order.leadersB, threshold, sum },
      cut,
      stats: {
        optimal,
        thresholdExact,
        lowerBound: tStar,
        sumExact,
        sumMethod,
        pricingRounds,
        orderMethod,
        orderAttempts: attempts,
        candidates: K,
        flowTests,
        thresholdsTried: tried,
        usableEdges,
        repeatsA: countRepeats(order.leadersA),
        repeatsB: countRepeats(order.leadersB),
        thresholdMs,
        sumMs,
        orderMs,
        totalMs: now() - t0,
        note,
      },
    };
  }
  throw new ScheduleInfeasibleError(
    provenNoneBelow
      ? "no schedule exists: the flow model is feasible but no multiset of pairs can be ordered with runs <= R"
      : "no schedule found: no multiset of pairs could be ordered with runs <= R (search budget exhausted)",
    null,
    provenNoneBelow,
  );
}
