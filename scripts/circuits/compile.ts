/**
 * Compiles a circuit instance with circom 2 (the `circom2` npm package: circom compiled to WebAssembly, so
 * nothing is downloaded) and reports its constraint count.
 *
 *   circuits/instances/<name>.circom  →  circuits/build/<name>/<name>.r1cs, <name>.sym,
 *                                         <name>_js/<name>.wasm
 *
 * Flags: `--O2` (full linear simplification: about half the constraints of the default `--O1`),
 * `--r1cs --wasm --sym`, `-l node_modules` (circomlib). The generated JavaScript witness helpers in
 * `<name>_js/` are deleted: snarkjs computes witnesses from the wasm alone, and the folder is not linted.
 *
 * Usage: node scripts/circuits/compile.ts <instance>   (e.g. ledger_k2_d4)
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as snarkjs from "snarkjs";

/** The repository root. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The circom optimisation flag used for every instance. */
export const CIRCOM_FLAGS = ["--O2", "--r1cs", "--wasm", "--sym"] as const;

/** Paths and measurements of a compiled instance. */
export interface CompiledInstance {
  /** Absolute path of `circuits/build/<name>/<name>.r1cs`. */
  r1cs: string;
  /** Absolute path of `circuits/build/<name>/<name>_js/<name>.wasm`. */
  wasm: string;
  /** Absolute path of `circuits/build/<name>/<name>.sym`. */
  sym: string;
  /** The number of R1CS constraints. */
  constraints: number;
  /** Wall-clock seconds the compiler took. */
  seconds: number;
}

/** The build paths of instance `name` (whether or not it has been compiled). */
export function buildPaths(name: string): { dir: string; r1cs: string; wasm: string; sym: string } {
  const dir = join(ROOT, "circuits", "build", name);
  return {
    dir,
    r1cs: join(dir, `${name}.r1cs`),
    wasm: join(dir, `${name}_js`, `${name}.wasm`),
    sym: join(dir, `${name}.sym`),
  };
}

function runCircom(args: string[]): Promise<string> {
  const cli = createRequire(import.meta.url).resolve("circom2/cli.js");
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => {
      if (code === 0) ok(output);
      else fail(new Error(`circom exited with ${String(code)}:\n${output}`));
    });
  });
}

/**
 * Compiles `circuits/instances/<name>.circom` into `circuits/build/<name>/` and returns the artifact paths,
 * the constraint count (from the r1cs header) and the compile time.
 * @throws Error when the instance does not exist or circom fails (its output is in the message).
 */
export async function compileInstance(name: string): Promise<CompiledInstance> {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`bad instance name ${JSON.stringify(name)}`);
  const source = join("circuits", "instances", `${name}.circom`);
  if (!existsSync(join(ROOT, source))) throw new Error(`no circuit instance ${source}`);
  const paths = buildPaths(name);
  rmSync(paths.dir, { recursive: true, force: true });
  mkdirSync(paths.dir, { recursive: true });
  const t0 = performance.now();
  await runCircom([source, ...CIRCOM_FLAGS, "-o", join("circuits", "build", name), "-l", "node_modules"]);
  const seconds = (performance.now() - t0) / 1000;
  for (const helper of ["generate_witness.js", "witness_calculator.js"]) {
    rmSync(join(dirname(paths.wasm), helper), { force: true });
  }
  const info = await snarkjs.r1cs.info(paths.r1cs);
  return { r1cs: paths.r1cs, wasm: paths.wasm, sym: paths.sym, constraints: info.nConstraints, seconds };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const name = process.argv[2];
  if (!name) {
    console.error("usage: node scripts/circuits/compile.ts <instance>");
    process.exit(2);
  }
  const out = await compileInstance(name);
  console.log(`${name}: ${out.constraints} constraints, compiled in ${out.seconds.toFixed(1)} s`);
  console.log(`  r1cs ${out.r1cs}`);
  console.log(`  wasm ${out.wasm}`);
  process.exit(0);
}
