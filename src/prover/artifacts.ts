/**
 * Locates the committed proving artifacts (circuits/artifacts/<instance>/, produced by
 * scripts/circuits/setup.ts) and the manifest that records their hashes.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import type { CircuitArtifacts } from "./backend.ts";

/** Repository root (this file is src/prover/artifacts.ts). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The ledger instance the demo, the node and the Ignition module use by default. */
export const SHIPPED_INSTANCE = "ledger_k4_d8";

/** One instance's entry in circuits/artifacts/manifest.json. */
export interface ManifestEntry {
  name: string;
  contract: string;
  ptauPower: number;
  constraints: number;
  publicSignals: number;
  [hash: string]: string | number;
}

/** Paths of an instance's committed artifacts; throws when they are missing. */
export function instanceArtifacts(name: string = SHIPPED_INSTANCE): CircuitArtifacts {
  const dir = join(REPO_ROOT, "circuits", "artifacts", name);
  const a = { name, wasm: join(dir, "circuit.wasm"), zkey: join(dir, "circuit.zkey"), vkey: join(dir, "vkey.json") };
  for (const f of [a.wasm, a.zkey, a.vkey]) {
    if (!existsSync(f)) throw new Error(`missing circuit artifact ${f}: run node scripts/circuits/setup.ts ${name}`);
  }
  return a;
}

/** The manifest entry of `name`. */
export function manifestEntry(name: string = SHIPPED_INSTANCE): ManifestEntry {
  const m = JSON.parse(readFileSync(join(REPO_ROOT, "circuits", "artifacts", "manifest.json"), "utf8")) as Record<
    string,
    ManifestEntry
  >;
  const e = m[name];
  if (!e) throw new Error(`instance ${name} is not in circuits/artifacts/manifest.json`);
  return e;
}

/** The verifying key JSON of an instance. */
export function loadVkey(name: string = SHIPPED_INSTANCE): Record<string, unknown> {
  return JSON.parse(readFileSync(instanceArtifacts(name).vkey, "utf8")) as Record<string, unknown>;
}
