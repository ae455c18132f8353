/**
 * Public API of the latency-optimal leader scheduler (docs/LATENCY.md): the two-network solver with its
 * optimality certificate, the checker mirroring `LeaderSchedule.propose`, the K-network heuristic with its
 * lower bound, the flow primitives, and `parseMatrix` for latency matrices in JSON or CSV.
 */
import { MISSING } from "./types.ts";

export { MISSING } from "./types.ts";
export type { Cut, Schedule, TwoNetworkInstance } from "./types.ts";
export {
  bruteForceOptimum,
  checkCut,
  checkSchedule,
  checkScheduleShape,
  cutBalance,
  cutToStruct,
  effectiveMaxShare,
  normalizeInstance,
  runCapacity,
} from "./certificate.ts";
export type { BruteForceResult, CheckResult, NormalizedInstance } from "./certificate.ts";
export { mulberry32, ScheduleInfeasibleError, solveTwoNetworks } from "./solver.ts";
export type { SolveOptions, SolveResult, SolveStats } from "./solver.ts";
export { bruteForceMultiOptimum, checkMultiSchedule, latencyFromMatrices, solveMultiNetwork } from "./multi.ts";
export type { MultiNetworkInstance, MultiOptions, MultiResult, MultiSchedule, PairBound } from "./multi.ts";
export { Circulation, FlowNetwork, INFINITE } from "./maxflow.ts";

const MISSING_WORDS = new Set(["", "-", "na", "n/a", "nan", "null", "missing"]);

function parseCell(raw: unknown, where: string): number {
  if (raw === null) return MISSING;
  if (typeof raw === "string") {
    const s = raw.trim();
    if (MISSING_WORDS.has(s.toLowerCase())) return MISSING;
    if (!/^\d+$/.test(s)) throw new Error(`${where}: "${raw}" is not a nonnegative integer`);
    raw = Number(s);
  }
  if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 0 || raw > MISSING) {
    throw new Error(`${where}: ${String(raw)} is not an integer latency in [0, ${MISSING}]`);
  }
  return raw;
}

function rectangular(rows: number[][]): number[][] {
  if (rows.length === 0) throw new Error("latency matrix is empty");
  const m = rows[0]!.length;
  if (m === 0) throw new Error("latency matrix has an empty row");
  rows.forEach((r, i) => {
    if (r.length !== m) throw new Error(`latency row ${i} has ${r.length} entries, expected ${m}`);
  });
  return rows;
}

/**
 * Reads a latency matrix (rows: nodes of A, columns: nodes of B; microseconds) from
 * - JSON: `{"latency": [[...], ...], ...}` (other keys ignored) or a bare 2-D array; cells are integers, or
 *   `null` / `"-"` / `"NA"` / `""` for MISSING (numeric strings are accepted);
 * - CSV: one row per line, cells separated by commas (or tabs, or semicolons); blank, `-`, `NA` (any case),
 *   `N/A`, `NaN`, `null`, `missing` mean MISSING. Empty lines and lines starting with `#` are skipped.
 * Throws on anything else (with the row and column), and on ragged rows.
 */
export function parseMatrix(text: string): number[][] {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch (err) {
      throw new Error(`invalid JSON: ${(err as Error).message}`);
    }
    const matrix = Array.isArray(doc) ? doc : (doc as { latency?: unknown })?.latency;
    if (!Array.isArray(matrix)) throw new Error('JSON must be a 2-D array or an object with a "latency" 2-D array');
    return rectangular(
      matrix.map((row: unknown, i) => {
        if (!Array.isArray(row)) throw new Error(`row ${i} is not an array`);
        return row.map((cell: unknown, j) => parseCell(cell, `row ${i}, column ${j}`));
      }),
    );
  }
  const rows: number[][] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, lineNo) => {
    if (line.trim() === "" || line.trimStart().startsWith("#")) return;
    const sep = line.includes(",") ? "," : line.includes("\t") ? "\t" : line.includes(";") ? ";" : ",";
    rows.push(line.split(sep).map((cell, j) => parseCell(cell, `line ${lineNo + 1}, column ${j + 1}`)));
  });
  return rectangular(rows);
}
