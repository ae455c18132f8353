/**
 * The checker of a two-network schedule and its optimality certificate: the exact TypeScript mirror of
 * what `LeaderSchedule.propose` checks on chain (docs/LATENCY.md §3–4), plus a brute-force reference
 * optimum for tiny instances (used by the tests).
 *
 * Order of the checks (the first failure is reported; the reason starts with the on-chain error name where
 * there is one):
 * 1. `ScheduleWrongLength` — both leader arrays have length E;
 * 2. `ScheduleNodeOutOfRange` — every index is an integer in range;
 * 3. `ScheduleMissingLatency` — no pair has latency MISSING (so the bottleneck T is < MISSING);
 * 4. (TypeScript only: the contract computes them) the claimed `threshold` is the maximum pair latency and
 *    the claimed `sum` is the sum of the pair latencies;
 * 5. `ScheduleShareViolated` — every node's count is within [lo, hi] (the RAW hi: the runs check implies hi');
 * 6. `ScheduleRunTooLong` — no node leads more than R consecutive epochs;
 * 7. the cut at T (`checkCut`): its masks have lengths n and m (TypeScript only: on chain they are uint256
 *    bit masks), `ScheduleCutCrossesEdge` — no edge A_i → B_j with L(i, j) < T leaves S,
 *    `ScheduleCutNotViolated` — lowerIn(S) > upperOut(S), with the effective bounds hi' on the source and
 *    sink edges.
 */
import { MISSING, type Cut, type Schedule, type TwoNetworkInstance } from "./types.ts";

export type CheckResult = { ok: true } | { ok: false; reason: string };

/** An instance with validated fields and per-node share bounds. */
export interface NormalizedInstance {
  n: number;
  m: number;
  /** E */
  epochs: number;
  /** R */
  maxRun: number;
  latency: number[][];
  loA: number[];
  /** raw upper bounds */
  hiA: number[];
  /** effective upper bounds hi' = min(hi, ⌊R(E+1)/(R+1)⌋) */
  effA: number[];
  loB: number[];
  hiB: number[];
  effB: number[];
}

/** ⌊R(E+1)/(R+1)⌋: the most epochs of E a node can lead with runs of at most R (docs/LATENCY.md §2). */
export function runCapacity(epochs: number, maxRun: number): number {
  return Math.floor((maxRun * (epochs + 1)) / (maxRun + 1));
}

/** hi' = min(hi, ⌊R(E+1)/(R+1)⌋). */
export function effectiveMaxShare(hi: number, epochs: number, maxRun: number): number {
  return Math.min(hi, runCapacity(epochs, maxRun));
}

function isCount(x: unknown): x is number {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
}

function shareArray(value: number | number[], size: number, name: string): number[] {
  if (typeof value === "number") {
    if (!isCount(value)) throw new Error(`${name} must be a nonnegative integer, got ${value}`);
    return new Array<number>(size).fill(value);
  }
  if (!Array.isArray(value) || value.length !== size) {
    throw new Error(`${name} must be a number or an array of ${size} numbers`);
  }
  for (const x of value) if (!isCount(x)) throw new Error(`${name} must hold nonnegative integers, got ${x}`);
  return value.slice();
}

/** Validates an instance (shape, integer latencies in [0, MISSING], E ≥ 1, R ≥ 1) and expands share bounds. */
export function normalizeInstance(inst: TwoNetworkInstance): NormalizedInstance {
  const latency = inst.latency;
  if (!Array.isArray(latency) || latency.length === 0) throw new Error("latency must be a non-empty matrix");
  const n = latency.length;
  const m = latency[0]!.length;
  if (m === 0) throw new Error("latency rows must be non-empty");
  for (let i = 0; i < n; i++) {
    const row = latency[i]!;
    if (!Array.isArray(row) || row.length !== m) throw new Error(`latency row ${i} does not have ${m} entries`);
    for (let j = 0; j < m; j++) {
      const x = row[j]!;
      if (!(Number.isInteger(x) && x >= 0 && x <= MISSING)) {
        throw new Error(`latency[${i}][${j}] = ${x} is not an integer in [0, ${MISSING}]`);
      }
    }
  }
  const E = inst.epochs;
  const R = inst.maxRun;
  if (!(Number.isSafeInteger(E) && E >= 1)) throw new Error(`epochs must be a positive integer, got ${E}`);
  if (!(Number.isSafeInteger(R) && R >= 1)) throw new Error(`maxRun must be a positive integer, got ${R}`);
  const loA = shareArray(inst.minShareA, n, "minShareA");
  const hiA = shareArray(inst.maxShareA, n, "maxShareA");
  const loB = shareArray(inst.minShareB, m, "minShareB");
  const hiB = shareArray(inst.maxShareB, m, "maxShareB");
  return {
    n,
    m,
    epochs: E,
    maxRun: R,
    latency,
    loA,
    hiA,
    effA: hiA.map((h) => effectiveMaxShare(h, E, R)),
    loB,
    hiB,
    effB: hiB.map((h) => effectiveMaxShare(h, E, R)),
  };
}

function norm(inst: TwoNetworkInstance | NormalizedInstance): NormalizedInstance {
  return "effA" in inst ? inst : normalizeInstance(inst);
}

/** lowerIn(S) and upperOut(S) of a cut in the flow model (crossing A → B edges are not looked at). */
export function cutBalance(
  inst: TwoNetworkInstance | NormalizedInstance,
  cut: Cut,
): { lowerIn: number; upperOut: number } {
  const p = norm(inst);
  let lowerIn = 0;
  let upperOut = 0;
  // t → s, bounds [E, E]
  if (cut.sourceIn && !cut.sinkIn) lowerIn += p.epochs;
  if (cut.sinkIn && !cut.sourceIn) upperOut += p.epochs;
  // s → A_i, bounds [loA, hiA']
  for (let i = 0; i < p.n; i++) {
    if (cut.sourceIn && !cut.inA[i]) upperOut += p.effA[i]!;
    if (!cut.sourceIn && cut.inA[i]) lowerIn += p.loA[i]!;
  }
  // B_j → t, bounds [loB, hiB']
  for (let j = 0; j < p.m; j++) {
    if (cut.inB[j] && !cut.sinkIn) upperOut += p.effB[j]!;
    if (!cut.inB[j] && cut.sinkIn) lowerIn += p.loB[j]!;
  }
  return { lowerIn, upperOut };
}

/**
 * Whether `cut` proves that no multiset of E pairs, all with latency < T, respects the effective share
 * bounds (docs/LATENCY.md §3).
 */
export function checkCut(inst: TwoNetworkInstance | NormalizedInstance, cut: Cut, threshold: number): CheckResult {
  const p = norm(inst);
  if (!Array.isArray(cut.inA) || cut.inA.length !== p.n || !Array.isArray(cut.inB) || cut.inB.length !== p.m) {
    return {
      ok: false,
      reason: `cut masks have lengths ${cut.inA?.length}, ${cut.inB?.length}; expected ${p.n}, ${p.m}`,
    };
  }
  for (let i = 0; i < p.n; i++) {
    if (!cut.inA[i]) continue;
    const row = p.latency[i]!;
    for (let j = 0; j < p.m; j++) {
      if (!cut.inB[j] && row[j]! < threshold) {
        return {
          ok: false,
          reason: `ScheduleCutCrossesEdge: edge A_${i} -> B_${j} (latency ${row[j]} < ${threshold}) leaves S`,
        };
      }
    }
  }
  const { lowerIn, upperOut } = cutBalance(p, cut);
  if (!(lowerIn > upperOut)) {
    return { ok: false, reason: `ScheduleCutNotViolated: lowerIn ${lowerIn} <= upperOut ${upperOut}` };
  }
  return { ok: true };
}

/** Checks a schedule and its certificate exactly as the contract does (see the header for the order). */
export function checkSchedule(inst: TwoNetworkInstance, schedule: Schedule, cut: Cut): CheckResult {
  const p = normalizeInstance(inst);
  const shape = checkScheduleShape(p, schedule);
  if (!shape.ok) return shape;
  return checkCut(p, cut, schedule.threshold);
}

/**
 * Checks 1–6 of the header (everything but the cut): the schedule is valid, whatever its optimality. The
 * claimed threshold is the one the cut must be checked at.
 */
export function checkScheduleShape(inst: TwoNetworkInstance | NormalizedInstance, schedule: Schedule): CheckResult {
  const p = norm(inst);
  const E = p.epochs;
  const { leadersA, leadersB } = schedule;
  if (!Array.isArray(leadersA) || !Array.isArray(leadersB) || leadersA.length !== E || leadersB.length !== E) {
    return {
      ok: false,
      reason: `ScheduleWrongLength: leadersA ${leadersA?.length}, leadersB ${leadersB?.length}, expected ${E}`,
    };
  }
  for (let e = 0; e < E; e++) {
    const a = leadersA[e]!;
    const b = leadersB[e]!;
    if (!(Number.isInteger(a) && a >= 0 && a < p.n)) {
      return { ok: false, reason: `ScheduleNodeOutOfRange: epoch ${e}, A node ${a} (n = ${p.n})` };
    }
    if (!(Number.isInteger(b) && b >= 0 && b < p.m)) {
      return { ok: false, reason: `ScheduleNodeOutOfRange: epoch ${e}, B node ${b} (m = ${p.m})` };
    }
  }
  let T = 0;
  let sum = 0;
  for (let e = 0; e < E; e++) {
    const l = p.latency[leadersA[e]!]![leadersB[e]!]!;
    if (l === MISSING) return { ok: false, reason: `ScheduleMissingLatency: epoch ${e} pairs nodes without a latency` };
    if (l > schedule.threshold) {
      return {
        ok: false,
        reason: `pair above the claimed threshold: epoch ${e} has latency ${l} > threshold ${schedule.threshold}`,
      };
    }
    if (l > T) T = l;
    sum += l;
  }
  if (schedule.threshold !== T) {
    return { ok: false, reason: `threshold mismatch: claimed ${schedule.threshold}, maximum pair latency ${T}` };
  }
  if (schedule.sum !== sum) return { ok: false, reason: `sum mismatch: claimed ${schedule.sum}, actual ${sum}` };
  const countA = new Array<number>(p.n).fill(0);
  const countB = new Array<number>(p.m).fill(0);
  for (let e = 0; e < E; e++) {
    countA[leadersA[e]!]!++;
    countB[leadersB[e]!]!++;
  }
  for (let i = 0; i < p.n; i++) {
    const c = countA[i]!;
    if (c < p.loA[i]! || c > p.hiA[i]!) {
      return {
        ok: false,
        reason: `ScheduleShareViolated: A node ${i} leads ${c} epochs, bounds [${p.loA[i]}, ${p.hiA[i]}]`,
      };
    }
  }
  for (let j = 0; j < p.m; j++) {
    const c = countB[j]!;
    if (c < p.loB[j]! || c > p.hiB[j]!) {
      return {
        ok: false,
        reason: `ScheduleShareViolated: B node ${j} leads ${c} epochs, bounds [${p.loB[j]}, ${p.hiB[j]}]`,
      };
    }
  }
  for (const [name, leaders] of [
    ["A", leadersA],
    ["B", leadersB],
  ] as const) {
    let run = 0;
    for (let e = 0; e < E; e++) {
      run = e > 0 && leaders[e] === leaders[e - 1] ? run + 1 : 1;
      if (run > p.maxRun) {
        return {
          ok: false,
          reason: `ScheduleRunTooLong: ${name} node ${leaders[e]} leads ${run} consecutive epochs ending at epoch ${e} (R = ${p.maxRun})`,
        };
      }
    }
  }
  return { ok: true };
}

/** The optimum of a tiny instance, by exhaustive search. */
export interface BruteForceResult {
  threshold: number;
  sum: number;
  leadersA: number[];
  leadersB: number[];
}

/**
 * The lexicographic optimum (bottleneck, then sum) over ALL sequences of E pairs with finite latency that
 * respect the raw share bounds and the runs, by depth-first enumeration (pairs in increasing latency, with
 * branch-and-bound on (bottleneck, sum) and the obvious "remaining epochs cannot cover the remaining minimum
 * shares" cut). Independent of the flow model. `null` if there is no schedule. Meant for tiny instances
 * (n·m ≤ 16, E ≤ 8).
 */
export function bruteForceOptimum(inst: TwoNetworkInstance): BruteForceResult | null {
  const p = normalizeInstance(inst);
  const { n, m, epochs: E, maxRun: R } = p;
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const l = p.latency[i]![j]!;
      if (l !== MISSING) pairs.push([l, i, j]);
    }
  }
  pairs.sort((x, y) => x[0] - y[0]);
  const countA = new Array<number>(n).fill(0);
  const countB = new Array<number>(m).fill(0);
  const seqA: number[] = [];
  const seqB: number[] = [];
  let best: BruteForceResult | null = null;
  const deficit = (count: number[], lo: number[]): number => {
    let d = 0;
    for (let k = 0; k < count.length; k++) d += Math.max(0, lo[k]! - count[k]!);
    return d;
  };
  const runOf = (seq: number[], x: number): number => {
    let r = 0;
    for (let k = seq.length - 1; k >= 0 && seq[k] === x; k--) r++;
    return r;
  };
  const dfs = (e: number, curMax: number, curSum: number): void => {
    if (best !== null && (curMax > best.threshold || (curMax === best.threshold && curSum >= best.sum))) return;
    const remaining = E - e;
    if (deficit(countA, p.loA) > remaining || deficit(countB, p.loB) > remaining) return;
    if (e === E) {
      best = { threshold: curMax, sum: curSum, leadersA: seqA.slice(), leadersB: seqB.slice() };
      return;
    }
    for (const [l, i, j] of pairs) {
      if (countA[i]! >= p.hiA[i]! || countB[j]! >= p.hiB[j]!) continue;
      if (runOf(seqA, i) >= R || runOf(seqB, j) >= R) continue;
      countA[i]!++;
      countB[j]!++;
      seqA.push(i);
      seqB.push(j);
      dfs(e + 1, Math.max(curMax, l), curSum + l);
      seqA.pop();
      seqB.pop();
      countA[i]!--;
      countB[j]!--;
    }
  };
  dfs(0, 0, 0);
  return best;
}

/** The cut as `ILeaderSchedule.Cut` takes it: bit i of maskA (maskB) set iff A_i (B_i) ∈ S. */
export function cutToStruct(cut: Cut): { sourceIn: boolean; sinkIn: boolean; maskA: bigint; maskB: bigint } {
  const mask = (bits: boolean[]) => bits.reduce((acc, inS, i) => (inS ? acc | (1n << BigInt(i)) : acc), 0n);
  return { sourceIn: cut.sourceIn, sinkIn: cut.sinkIn, maskA: mask(cut.inA), maskB: mask(cut.inB) };
}
