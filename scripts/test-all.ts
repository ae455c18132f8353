/**
 * Runs every check and every test suite of the project, in order, and ends with one line
 * `N passed, N failed` summing all of them (CI reads that line).
 *
 * - each static check (compile, prettier, solhint, eslint, tsc, circuit artifacts) counts as one test;
 * - the Solidity suite (unit, fuzz, invariant: Hardhat 3's runner) and the TypeScript suite
 *   (mocha: unit, worked example, model-based) count their own tests; the Solidity run also checks
 *   the committed gas snapshot (`.gas-snapshot`), and a mismatch counts as a failure.
 *
 * Run through `npm test`, which first makes sure Node >= 22.13 and the dependencies are present.
 * Exit code: 0 iff nothing failed.
 */
import { spawnSync } from "node:child_process";

interface Step {
  name: string;
  cmd: string[];
  /** "check": one test, passed iff exit code 0. "suite": counts parsed from the runner's summary. */
  kind: "check" | "suite";
}

const npx = (...args: string[]) => ["npx", "--no-install", ...args];

const steps: Step[] = [
  { name: "compile (solc, typechain)", cmd: npx("hardhat", "build"), kind: "check" },
  { name: "prettier", cmd: npx("prettier", "--check", "."), kind: "check" },
  {
    name: "solhint",
    cmd: npx("solhint", "--max-warnings", "0", "contracts/**/*.sol", "test/solidity/**/*.sol"),
    kind: "check",
  },
  { name: "eslint", cmd: npx("eslint", "."), kind: "check" },
  { name: "tsc --noEmit", cmd: npx("tsc", "--noEmit"), kind: "check" },
  // The committed circuit artifacts (wasm, zkey, vkey, generated Solidity verifiers) still follow from
  // the circuit sources: recompiles every instance and compares hashes (docs/PROVER.md §2).
  {
    name: "circuit artifacts match the circuits",
    cmd: ["node", "--disable-warning=ExperimentalWarning", "scripts/circuits/check.ts"],
    kind: "check",
  },
  // One run: the tests, and the comparison of their gas with the committed .gas-snapshot (a mismatch
  // beyond the tolerance fails the run and counts as one failure).
  {
    name: "solidity tests (unit, fuzz, invariant) + gas snapshot",
    // 0.5 % tolerance: the medians of a few fuzz tests whose gas spans millions (LeaderSchedule's
    // brute-force comparisons) drift by up to ~0.05 % between runs of the same code; plain tests are
    // deterministic, and exact gas is tracked by the benchmarks.
    cmd: npx("hardhat", "test", "solidity", "--snapshot-check", "--tolerance", "0.5"),
    kind: "suite",
  },
  { name: "typescript tests (unit, example, model)", cmd: npx("hardhat", "test", "mocha"), kind: "suite" },
];

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

function count(output: string, word: string): number {
  let total = 0;
  for (const m of output.replace(ANSI, "").matchAll(new RegExp(`^\\s*(\\d+) ${word}\\b`, "gm"))) {
    total += Number(m[1]);
  }
  return total;
}

interface Result {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
}

const results: Result[] = [];
for (const step of steps) {
  console.log(`\n=== ${step.name}: ${step.cmd.join(" ")}`);
  const started = Date.now();
  const run = spawnSync(step.cmd[0]!, step.cmd.slice(1), {
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    maxBuffer: 256 * 1024 * 1024,
  });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}`;
  process.stdout.write(output.replace(/^npm warn Unknown user config.*\n/gm, ""));
  const seconds = (Date.now() - started) / 1000;
  const ok = run.status === 0;
  if (step.kind === "check") {
    results.push({ name: step.name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, seconds });
  } else {
    const passed = count(output, "passing");
    let failed = count(output, "failing");
    // A runner that crashed before reporting, or reported nothing, is a failure, never a pass.
    if (!ok && failed === 0) failed = 1;
    if (ok && passed === 0) failed += 1;
    results.push({ name: step.name, passed, failed, skipped: count(output, "(?:pending|skipped)"), seconds });
  }
}

console.log("\n=== summary");
for (const r of results) {
  console.log(
    `  ${r.name.padEnd(42)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed` +
      `${r.skipped ? ` ${r.skipped} skipped` : ""}  (${r.seconds.toFixed(1)} s)`,
  );
}
const passed = results.reduce((s, r) => s + r.passed, 0);
const failed = results.reduce((s, r) => s + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
