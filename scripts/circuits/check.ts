/**
 * Fails when the committed circuit artifacts no longer match the circuits (run by `npm test`).
 *
 * For every instance in circuits/instances.json:
 *  1. the hash of its circom sources (and circomlib/circom2 versions) equals the manifest's;
 *  2. recompiling gives the r1cs recorded in the manifest, and the committed wasm is the compiled one;
 *  3. the committed zkey is the manifest's, and its header (nVars, nPublic, domain) matches that r1cs;
 *  4. the committed verifying key is exactly the one exported from the zkey;
 *  5. the committed Solidity verifier is exactly the one rendered from the zkey.
 * Together: sources -> r1cs -> zkey -> (vkey, verifier) are one chain. The end-to-end tests add the
 * functional check (proofs from the committed wasm + zkey verify on chain).
 *
 * Usage: node scripts/circuits/check.ts [--no-compile]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";

import * as snarkjs from "snarkjs";

import { ARTIFACTS, GENERATED, loadInstances, readManifest, renderVerifier, sha256File, sourcesHash } from "./setup.ts";
import { releaseCurveWorkers } from "../../src/prover/cpu-backend.ts";

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: (m: string) => console.error(m) };

/** Reads nVars, nPublic and domainSize from a Groth16 zkey's header section (type 2). */
export function zkeyHeader(path: string): { nVars: number; nPublic: number; domainSize: number } {
  const buf = readFileSync(path);
  if (buf.toString("ascii", 0, 4) !== "zkey") throw new Error(`${path} is not a zkey`);
  const nSections = buf.readUInt32LE(8);
  let p = 12;
  for (let i = 0; i < nSections; i++) {
    const type = buf.readUInt32LE(p);
    const size = Number(buf.readBigUInt64LE(p + 4));
    const start = p + 12;
    if (type === 2) {
      const n8q = buf.readUInt32LE(start);
      const n8r = buf.readUInt32LE(start + 4 + n8q);
      const q = start + 4 + n8q + 4 + n8r;
      return { nVars: buf.readUInt32LE(q), nPublic: buf.readUInt32LE(q + 4), domainSize: buf.readUInt32LE(q + 8) };
    }
    p = start + size;
  }
  throw new Error(`${path} has no Groth16 header`);
}

async function main(): Promise<number> {
  const compile = !process.argv.includes("--no-compile");
  const manifest = readManifest();
  const failures: string[] = [];
  const fail = (m: string) => failures.push(m);
  for (const cfg of loadInstances()) {
    const before = failures.length;
    const m = manifest[cfg.name];
    if (!m) {
      fail(`${cfg.name}: not in circuits/artifacts/manifest.json (run node scripts/circuits/setup.ts ${cfg.name})`);
      continue;
    }
    const dir = join(ARTIFACTS, cfg.name);
    const zkey = join(dir, "circuit.zkey");
    const verifier = join(GENERATED, `${cfg.contract}.sol`);
    if (sourcesHash(cfg) !== m.sourcesSha256) fail(`${cfg.name}: circuit sources changed since the setup`);
    if (sha256File(zkey) !== m.zkeySha256) fail(`${cfg.name}: circuit.zkey is not the one the setup produced`);
    if (sha256File(join(dir, "circuit.wasm")) !== m.wasmSha256) fail(`${cfg.name}: circuit.wasm differs from manifest`);
    if (sha256File(verifier) !== m.verifierSha256) fail(`${cfg.name}: ${cfg.contract}.sol differs from manifest`);

    const vkey = await snarkjs.zKey.exportVerificationKey(zkey, quiet);
    const committed = JSON.parse(readFileSync(join(dir, "vkey.json"), "utf8")) as unknown;
    if (!isDeepStrictEqual(vkey, committed)) fail(`${cfg.name}: vkey.json is not the zkey's verifying key`);
    if ((await renderVerifier(zkey, cfg.contract)) !== readFileSync(verifier, "utf8")) {
      fail(`${cfg.name}: ${cfg.contract}.sol is not the verifier of the committed zkey`);
    }

    if (compile) {
      const { compileInstance } = await import("./compile.ts");
      const c = await compileInstance(cfg.name);
      if (sha256File(c.r1cs) !== m.r1csSha256) fail(`${cfg.name}: compiled r1cs differs from the setup's`);
      if (sha256File(c.wasm) !== m.wasmSha256) fail(`${cfg.name}: compiled wasm differs from the committed one`);
      const info = await snarkjs.r1cs.info(c.r1cs, quiet);
      const h = zkeyHeader(zkey);
      const domain = 2 ** Math.ceil(Math.log2(info.nConstraints + info.nPubInputs + info.nOutputs + 1));
      if (h.nVars !== info.nVars || h.nPublic !== info.nPubInputs + info.nOutputs || h.domainSize !== domain) {
        fail(`${cfg.name}: zkey header (${JSON.stringify(h)}) does not match the r1cs`);
      }
    }
    console.log(`  ${cfg.name}: ${failures.length === before ? "ok" : "MISMATCH"}`);
  }
  await releaseCurveWorkers();
  for (const f of failures) console.error(`circuit check: ${f}`);
  return failures.length === 0 ? 0 : 1;
}

process.exit(await main());
