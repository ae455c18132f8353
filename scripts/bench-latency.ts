/**
 * Benchmark of the latency-optimal leader scheduler (docs/LATENCY.md). Writes benchmarks/latency.md and
 * benchmarks/latency.json and prints, as its LAST line, a JSON object of headline numbers
 * (`solve_n16_ms`, …).
 *
 * Run: node --disable-warning=ExperimentalWarning scripts/bench-latency.ts
 *
 * Sections. The report is a list of sections, each `{ name, run(): Promise<rows>, markdown(rows), summary(rows) }`;
 * `main` runs them in order, writes one markdown file (the sections' markdown, concatenated), one JSON file
 * (`{ [name]: rows }`) and the merged summaries. This file has the solver section (`benchSolver`); a second
 * one (on-chain gas) is added by appending an entry to SECTIONS.
 *
 * Solver section, method: for n = m = 16, 64, 256, 1024: a random matrix (mulberry32 seeded with n, integer
 * latencies uniform in 1 … 200 000 µs, no MISSING), E = 4·max(n, m), minShare = 1, maxShare = ⌈2E/n⌉,
 * maxRun = 3. Per case one warm-up solve, then REPEATS solves; the solve with the median total is reported
 * with its phase times: threshold search (row sorting, distinct values, flow model, search, certificate),
 * second objective (min-cost multiset on candidates, with pricing), ordering, and the total
 * (solveTwoNetworks alone; the matrix is built before). Every result is checked with checkSchedule (it must
 * be certified optimal). One stress row ("far"): the same n = 1024 matrix with every tenth B node
 * 150 000 µs farther, which raises T* to ≈ 150 000 µs so that ~70 % of all edges are ≤ T* (a min-cost pass
 * over all of them took ~18 s in development; the candidate set + pricing of src/scheduler/solver.ts needs
 * one round).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { format, resolveConfig } from "prettier";

import { checkSchedule } from "../src/scheduler/certificate.ts";
import { mulberry32, solveTwoNetworks } from "../src/scheduler/solver.ts";
import type { TwoNetworkInstance } from "../src/scheduler/types.ts";

import { CERTIFICATE_TARGET, benchCertificateGas, benchSolveOnChainGas } from "./bench-latency-gas.ts";

const SIZES = [16, 64, 256, 1024] as const;
const REPEATS = 5;
const TARGET_MS_1024 = 5000;

export interface SolverRow {
  case: string;
  n: number;
  m: number;
  epochs: number;
  minShare: number;
  maxShare: number;
  maxRun: number;
  threshold: number;
  sum: number;
  optimal: boolean;
  sumExact: boolean;
  sumMethod: string;
  pricingRounds: number;
  candidates: number;
  flowTests: number;
  usableEdges: number;
  repeatsA: number;
  repeatsB: number;
  thresholdMs: number;
  sumMs: number;
  orderMs: number;
  totalMs: number;
}

function randomInstance(n: number, far = false): TwoNetworkInstance {
  const rnd = mulberry32(n);
  const latency = Array.from({ length: n }, () =>
    Array.from({ length: n }, (_, j) => 1 + Math.floor(rnd() * 200_000) + (far && j % 10 === 0 ? 150_000 : 0)),
  );
  const E = 4 * n;
  const maxShare = Math.ceil((2 * E) / n);
  return { latency, epochs: E, minShareA: 1, maxShareA: maxShare, minShareB: 1, maxShareB: maxShare, maxRun: 3 };
}

function measure(name: string, inst: TwoNetworkInstance): SolverRow {
  solveTwoNetworks(inst); // warm-up
  const runs = [];
  for (let k = 0; k < REPEATS; k++) {
    const r = solveTwoNetworks(inst);
    const check = checkSchedule(inst, r.schedule, r.cut);
    if (!check.ok || !r.stats.optimal) throw new Error(`${name}: result not certified: ${JSON.stringify(check)}`);
    runs.push(r);
  }
  // the run with the median total, with its own phase times
  runs.sort((a, b) => a.stats.totalMs - b.stats.totalMs);
  const last = runs[Math.floor(runs.length / 2)]!;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    case: name,
    n: inst.latency.length,
    m: inst.latency[0]!.length,
    epochs: inst.epochs,
    minShare: inst.minShareA as number,
    maxShare: inst.maxShareA as number,
    maxRun: inst.maxRun,
    threshold: last.schedule.threshold,
    sum: last.schedule.sum,
    optimal: last.stats.optimal,
    sumExact: last.stats.sumExact,
    sumMethod: last.stats.sumMethod,
    pricingRounds: last.stats.pricingRounds,
    candidates: last.stats.candidates,
    flowTests: last.stats.flowTests,
    usableEdges: last.stats.usableEdges,
    repeatsA: last.stats.repeatsA,
    repeatsB: last.stats.repeatsB,
    thresholdMs: round(last.stats.thresholdMs),
    sumMs: round(last.stats.sumMs),
    orderMs: round(last.stats.orderMs),
    totalMs: round(last.stats.totalMs),
  };
}

/** The solver section: one row per size, plus the "far" stress row. */
export async function benchSolver(): Promise<SolverRow[]> {
  const rows: SolverRow[] = [];
  for (const n of SIZES) {
    rows.push(measure(`n${n}`, randomInstance(n)));
    console.error(`solver n = ${n}: ${rows[rows.length - 1]!.totalMs} ms`);
  }
  rows.push(measure("n1024_far", randomInstance(1024, true)));
  console.error(`solver n = 1024 (far): ${rows[rows.length - 1]!.totalMs} ms`);
  return rows;
}

function solverMarkdown(rows: SolverRow[]): string {
  const lines = [
    "## Solver (`solveTwoNetworks`)",
    "",
    `Machine: ${process.platform}/${process.arch}, ${os.cpus().length} cores, Node ${process.version}, load average ` +
      `${os.loadavg()[0]!.toFixed(1)} at the end of the run (other processes share the cores); per case one ` +
      `warm-up solve, then ${REPEATS} solves: the one with the median total is shown with its phase times. ` +
      "Random matrices (mulberry32 seeded with n), integer latencies uniform in 1 … 200 000 µs, E = 4·n, " +
      "minShare 1, maxShare ⌈2E/n⌉, maxRun 3. `n1024_far`: the n = 1024 matrix with every tenth B node " +
      "150 000 µs farther (T* ≈ 150 000 µs, most edges usable). Every schedule is certified optimal " +
      "(checkSchedule passes) and its sum is proven minimal (min-cost circulation on a candidate set, " +
      "proven by pricing every other edge ≤ T*).",
    "",
    "| case | n × m | E | T* (µs) | sum (µs) | edges ≤ T* | flow tests | pricing rounds | threshold ms | sum ms | order ms | total ms |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.case} | ${r.n} × ${r.m} | ${r.epochs} | ${r.threshold} | ${r.sum} | ${r.usableEdges} | ${r.flowTests} | ` +
        `${r.pricingRounds} | ${r.thresholdMs} | ${r.sumMs} | ${r.orderMs} | ${r.totalMs} |`,
    ),
    "",
    `Target: n = m = 1024 under ${TARGET_MS_1024} ms — ${
      rows.find((r) => r.case === "n1024")!.totalMs < TARGET_MS_1024 ? "met" : "NOT met"
    }. "threshold" includes sorting the rows and the distinct values and building the flow model; ` +
      "leaders never repeat in consecutive epochs in these runs (repeats A/B: " +
      rows.map((r) => `${r.repeatsA}/${r.repeatsB}`).join(", ") +
      ").",
    "",
  ];
  return lines.join("\n");
}

function solverSummary(rows: SolverRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    out[`solve_${r.case}_ms`] = r.totalMs;
    if (r.n === 1024) {
      out[`threshold_${r.case}_ms`] = r.thresholdMs;
      out[`sum_${r.case}_ms`] = r.sumMs;
      out[`order_${r.case}_ms`] = r.orderMs;
    }
  }
  return out;
}

/** A report section; see the header. */
export interface Section<Row> {
  name: string;
  run: () => Promise<Row[]>;
  markdown: (rows: Row[]) => string;
  summary: (rows: Row[]) => Record<string, number>;
}

/** Erases a section's row type so that sections of different rows share one list. */
export function defineSection<Row>(section: Section<Row>): Section<unknown> {
  return section as unknown as Section<unknown>;
}

const fmtGas = (x: number) => x.toLocaleString("en-US");

export const SECTIONS: Section<unknown>[] = [
  defineSection({ name: "solver", run: benchSolver, markdown: solverMarkdown, summary: solverSummary }),
  defineSection({
    name: "certificate",
    run: benchCertificateGas,
    markdown: (rows) =>
      [
        "## On-chain certificate verification: `LeaderSchedule.propose`",
        "",
        "Whole transaction (receipt gasUsed), E = 4n, every node leads 2..6 epochs, runs <= 2; the matrix comes",
        "from `MockLatencyOracle` (packed like the real oracle; see `scripts/bench-latency-gas.ts`).",
        `Target: n = m = ${CERTIFICATE_TARGET.n} under ${fmtGas(CERTIFICATE_TARGET.gas)} gas.`,
        "",
        "| n = m | E | propose gas | of which the oracle's matrix call | LeaderSchedule's own checks and storage |",
        "|---:|---:|---:|---:|---:|",
        ...rows.map(
          (r) => `| ${r.n} | ${4 * r.n} | ${fmtGas(r.gas)} | ${fmtGas(r.oracleGas)} | ${fmtGas(r.gas - r.oracleGas)} |`,
        ),
        "",
      ].join("\n"),
    summary: (rows) => Object.fromEntries(rows.map((r) => [`certificate_n${r.n}_gas`, r.gas])),
  }),
  defineSection({
    name: "solveOnChain",
    run: benchSolveOnChainGas,
    markdown: (rows) =>
      [
        "## On-chain optimum for small instances: `LeaderSchedule.solveOnChain`",
        "",
        "| instance | gas |",
        "|---|---:|",
        ...rows.map((r) => `| ${r.instance} | ${fmtGas(r.gas)} |`),
        "",
      ].join("\n"),
    summary: (rows) => Object.fromEntries(rows.map((r) => [`solveOnChain_${r.instance.split(" ")[0]}_gas`, r.gas])),
  }),
];

async function writeFormatted(file: string, text: string, parser: string): Promise<void> {
  const formatted = await format(text, { ...((await resolveConfig(file)) ?? {}), parser });
  writeFileSync(file, formatted);
}

export async function main(sections = SECTIONS): Promise<void> {
  const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "benchmarks");
  mkdirSync(outDir, { recursive: true });
  const json: Record<string, unknown> = {};
  const markdown = ["# Latency scheduler benchmarks", "", "Generated by `scripts/bench-latency.ts`.", ""];
  let summary: Record<string, number> = {};
  for (const s of sections) {
    const rows = await s.run();
    json[s.name] = rows;
    markdown.push(s.markdown(rows));
    summary = { ...summary, ...s.summary(rows) };
  }
  await writeFormatted(path.join(outDir, "latency.md"), markdown.join("\n"), "markdown");
  writeFileSync(path.join(outDir, "latency.json"), JSON.stringify(json, null, 2) + "\n");
  console.log(JSON.stringify(summary));
}

// Run through `npx hardhat run scripts/bench-latency.ts` (the gas sections need the in-process network).
if (process.argv.some((arg) => arg.endsWith("bench-latency.ts"))) await main();
