/**
 * Reproducible development powers of tau (phase 1).
 *
 * new accumulator (BN254, 2^power) -> one beacon contribution with a fixed,
 * published beacon hash -> prepare phase 2. Every step is deterministic, so the
 * same power always gives a byte-identical file (its BLAKE2b hash is recorded
 * in circuits/setup/manifest.json by setup.ts). This is a development setup:
 * whoever knows the beacon can forge proofs. See docs/PROVER.md for running a
 * real ceremony or plugging in a public ptau (e.g. the Hermez/Polygon one).
 *
 * Usage: node scripts/circuits/ptau.ts <power> <out.ptau>
 */
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import * as snarkjs from "snarkjs";

/** Fixed beacon: keccak256("clusterkit development setup v1"). */
export const PTAU_BEACON = "b8a8a0ef1bd7b1ca6e1e12b09cbc7c7ed1e1e2bb0a8e4ed38f6f2f5a7c1d5e21";
export const PTAU_BEACON_ITERATIONS = 10;

const logger = {
  debug: () => {},
  log: (m: string) => console.log(`  ptau: ${m}`),
  info: (m: string) => console.log(`  ptau: ${m}`),
  warn: (m: string) => console.warn(`  ptau: ${m}`),
  error: (m: string) => console.error(`  ptau: ${m}`),
};

/** Builds a prepared ptau file of size 2^power at `out` unless it exists. */
export async function buildPtau(power: number, out: string): Promise<void> {
  if (existsSync(out)) return;
  mkdirSync(dirname(out), { recursive: true });
  const curve = await snarkjs.curves.getCurveFromName("bn128");
  const p0 = `${out}.0`;
  const p1 = `${out}.1`;
  const tmp = `${out}.tmp`;
  const t0 = Date.now();
  await snarkjs.powersOfTau.newAccumulator(curve, power, p0, logger);
  await snarkjs.powersOfTau.beacon(p0, p1, "clusterkit dev beacon", PTAU_BEACON, PTAU_BEACON_ITERATIONS, logger);
  await snarkjs.powersOfTau.preparePhase2(p1, tmp, logger);
  rmSync(p0);
  rmSync(p1);
  renameSync(tmp, out);
  await curve.terminate();
  console.log(`  ptau: 2^${power} prepared in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const power = Number(process.argv[2] ?? "16");
  const out = process.argv[3] ?? `.cache/ptau/pot${power}.ptau`;
  await buildPtau(power, out);
  process.exit(0);
}
