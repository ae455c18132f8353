/**
 * Gas benchmark of LeaderSchedule (docs/LATENCY.md §4): `propose` with its optimality certificate for
 * n = m = 4, 8, 16, 32 (E = 4n), and `solveOnChain` on the seed instance (3 × 2) and on 8 × 8 (E = 32).
 *
 * Run: npx hardhat run scripts/bench-latency-gas.ts for this part alone (prints both tables and, as its
 * LAST line, a JSON object { certificate, solveOnChain }); `npm run bench:latency` runs it with the solver,
 * which imports `benchCertificateGas` and `benchSolveOnChainGas` from here.
 *
 * Method:
 * - One MockLatencyOracle (contracts/mocks: the matrix, node counts and current epoch are set directly, so
 *   the benchmark does not depend on reports and signatures; its matrix is stored as packed uint32, eight
 *   entries a slot, so the oracle call costs about what a packed oracle would) and one LeaderSchedule per
 *   instance, each on its own pair of network ids. Window 1: matrix of epoch E − 2, proposal in epoch E − 1.
 * - Instances: latencies uniform in [10 000, 250 000) µs from a fixed-seed PRNG; every node of A and of B
 *   leads 2 to 6 epochs of the window; runs of at most 2 epochs (hi' = min(6, ⌊2(E+1)/3⌋) = 6).
 * - Schedules and cuts come from the off-chain solver (`solveTwoNetworks`, src/scheduler); an instance
 *   whose optimal bottleneck could not be ordered (no certificate exists) is redrawn.
 * - Gas is the whole transaction's (receipt gasUsed: 21 000 intrinsic, calldata, the oracle call with cold
 *   storage, the checks, the storage of the schedule: one head word plus ⌈E/16⌉ words of leaders, all
 *   zero-to-nonzero). Every measured transaction is checked: ScheduleAccepted emitted, the stored
 *   threshold and sum equal the solver's.
 */
import { getBytes } from "ethers";
import { network } from "hardhat";

import { cutToStruct, mulberry32, solveTwoNetworks, type TwoNetworkInstance } from "../src/scheduler/index.ts";
import type { LeaderSchedule, MockLatencyOracle } from "../typechain-types/index.ts";

/** n = m for the certificate benchmark; E = 4n. */
export const CERTIFICATE_SIZES = [4, 8, 16, 32] as const;
/** The documented target: propose for n = m = 16 (E = 64), oracle call included. */
export const CERTIFICATE_TARGET = { n: 16, gas: 3_000_000 };

const SEED_MATRIX = [
  [32_000, 35_000],
  [27_000, 28_000],
  [40_000, 42_000],
];

interface Config {
  epochsPerWindow: number;
  minShareA: number;
  maxShareA: number;
  minShareB: number;
  maxShareB: number;
  maxRun: number;
}

interface Bench {
  oracle: MockLatencyOracle;
  nextNetwork: bigint;
}

function randomMatrix(n: number, m: number, seed: number): number[][] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => Array.from({ length: m }, () => 10_000 + Math.floor(rand() * 240_000)));
}

function uniformConfig(n: number): Config {
  return { epochsPerWindow: 4 * n, minShareA: 2, maxShareA: 6, minShareB: 2, maxShareB: 6, maxRun: 2 };
}

function instanceOf(latency: number[][], cfg: Config): TwoNetworkInstance {
  return {
    latency,
    epochs: cfg.epochsPerWindow,
    minShareA: cfg.minShareA,
    maxShareA: cfg.maxShareA,
    minShareB: cfg.minShareB,
    maxShareB: cfg.maxShareB,
    maxRun: cfg.maxRun,
  };
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error("bench-latency-gas: " + message);
}

async function newBench(): Promise<Bench> {
  const { ethers } = await network.getOrCreate();
  const oracle = (await ethers.deployContract("MockLatencyOracle")) as unknown as MockLatencyOracle;
  await oracle.waitForDeployment();
  return { oracle, nextNetwork: 1000n };
}

/**
 * Deploys a LeaderSchedule on two fresh network ids, writes the matrix of window 1's measurement epoch
 * (E − 2) and moves the oracle to the proposal epoch E − 1.
 */
async function deployInstance(bench: Bench, latency: number[][], cfg: Config): Promise<LeaderSchedule> {
  const { ethers } = await network.getOrCreate();
  const a = bench.nextNetwork;
  const b = a + 1n;
  bench.nextNetwork += 2n;
  const n = latency.length;
  const m = latency[0]!.length;
  await (await bench.oracle.setNodeCount(a, n)).wait();
  await (await bench.oracle.setNodeCount(b, m)).wait();
  const E = BigInt(cfg.epochsPerWindow);
  await (await bench.oracle.setMatrix(E - 2n, a, b, latency.flat())).wait();
  await (await bench.oracle.setCurrentEpoch(E - 1n)).wait();
  const schedule = (await ethers.deployContract("LeaderSchedule", [
    await bench.oracle.getAddress(),
    a,
    b,
    cfg,
  ])) as unknown as LeaderSchedule;
  await schedule.waitForDeployment();
  return schedule;
}

/** Sends a transaction and returns its gasUsed after checking that it stored (threshold, sum). */
async function measure(
  schedule: LeaderSchedule,
  send: () => Promise<{ wait: () => Promise<unknown> }>,
  threshold: number,
  sum: number,
  what: string,
): Promise<number> {
  const tx = await send();
  const receipt = (await tx.wait()) as { gasUsed: bigint; logs: { topics: readonly string[] }[] } | null;
  check(receipt !== null, `${what}: no receipt`);
  const topic = schedule.interface.getEvent("ScheduleAccepted").topicHash;
  check(
    receipt!.logs.some((l) => l.topics[0] === topic),
    `${what}: no ScheduleAccepted`,
  );
  const stored = await schedule.scheduleOf(1n);
  check(Number(stored.threshold) === threshold, `${what}: stored threshold ${stored.threshold} ≠ ${threshold}`);
  check(Number(stored.sum) === sum, `${what}: stored sum ${stored.sum} ≠ ${sum}`);
  return Number(receipt!.gasUsed);
}

/** Execution gas of the mock's `matrix` for `schedule`'s window 1, sent as its own transaction. */
async function oracleMatrixGas(bench: Bench, schedule: LeaderSchedule): Promise<number> {
  const [a, b] = await schedule.networks();
  const epoch = await schedule.measurementEpoch(1n);
  const data = bench.oracle.interface.encodeFunctionData("matrix", [epoch, a, b]);
  const tx = await bench.oracle.matrix.send(epoch, a, b);
  const receipt = await tx.wait();
  check(receipt !== null, "matrix: no receipt");
  const bytes = getBytes(data);
  const calldata = bytes.reduce((acc, byte) => acc + (byte === 0 ? 4 : 16), 0);
  return Number(receipt!.gasUsed) - 21_000 - calldata;
}

/**
 * Gas of `propose` (whole transaction) for n = m = 4, 8, 16, 32 with E = 4n; see the file header.
 * `oracleGas` is the execution gas of the mock oracle's `matrix` alone (cold storage, as inside `propose`):
 * `gas − oracleGas` is what LeaderSchedule itself costs.
 */
export async function benchCertificateGas(): Promise<Array<{ n: number; gas: number; oracleGas: number }>> {
  const bench = await newBench();
  const results: Array<{ n: number; gas: number; oracleGas: number }> = [];
  for (const n of CERTIFICATE_SIZES) {
    const cfg = uniformConfig(n);
    let solved: ReturnType<typeof solveTwoNetworks> | null = null;
    let latency: number[][] = [];
    for (let attempt = 0; attempt < 20 && solved === null; attempt++) {
      latency = randomMatrix(n, n, 7919 * n + attempt);
      const result = solveTwoNetworks(instanceOf(latency, cfg));
      if (result.stats.optimal) solved = result;
    }
    check(solved !== null, `n = ${n}: no certifiable instance in 20 draws`);
    const { schedule: s, cut } = solved!;
    const schedule = await deployInstance(bench, latency, cfg);
    const oracleGas = await oracleMatrixGas(bench, schedule);
    const gas = await measure(
      schedule,
      () => schedule.propose(1n, s.leadersA, s.leadersB, cutToStruct(cut)),
      s.threshold,
      s.sum,
      `propose n = ${n}`,
    );
    results.push({ n, gas, oracleGas });
  }
  return results;
}

/**
 * Gas of `solveOnChain` (whole transaction) on the seed instance (3 × 2, E = 4, no limits: T = 27000) and
 * on a random 8 × 8 instance (E = 32, shares 2..6, runs ≤ 2), whose stored threshold must equal the
 * off-chain solver's certified optimum.
 */
export async function benchSolveOnChainGas(): Promise<Array<{ instance: string; gas: number }>> {
  const bench = await newBench();
  const results: Array<{ instance: string; gas: number }> = [];

  const seedCfg: Config = { epochsPerWindow: 4, minShareA: 0, maxShareA: 4, minShareB: 0, maxShareB: 4, maxRun: 4 };
  const seed = await deployInstance(bench, SEED_MATRIX, seedCfg);
  const seedGas = await measure(seed, () => seed.solveOnChain(1n), 27_000, 108_000, "solveOnChain 3x2");
  results.push({ instance: "3x2 (seed, E = 4)", gas: seedGas });

  const cfg = uniformConfig(8);
  const latency = randomMatrix(8, 8, 8_008);
  const offChain = solveTwoNetworks(instanceOf(latency, cfg));
  check(offChain.stats.optimal, "8x8: the off-chain optimum is not certified");
  const schedule = await deployInstance(bench, latency, cfg);
  const tx = await schedule.solveOnChain(1n);
  const receipt = await tx.wait();
  check(receipt !== null, "solveOnChain 8x8: no receipt");
  const stored = await schedule.scheduleOf(1n);
  check(
    Number(stored.threshold) === offChain.schedule.threshold,
    `solveOnChain 8x8: threshold ${stored.threshold} ≠ certified optimum ${offChain.schedule.threshold}`,
  );
  results.push({ instance: "8x8 (E = 32)", gas: Number(receipt!.gasUsed) });
  return results;
}

if (process.argv.some((arg) => arg.endsWith("bench-latency-gas.ts"))) {
  const certificate = await benchCertificateGas();
  console.log("LeaderSchedule.propose (whole transaction, E = 4n, shares 2..6, runs <= 2)");
  console.log("| n = m | E | gas | of which the mock's matrix | LeaderSchedule |");
  console.log("|---:|---:|---:|---:|---:|");
  const fmt = (x: number) => x.toLocaleString("en-US");
  for (const r of certificate) {
    console.log(`| ${r.n} | ${4 * r.n} | ${fmt(r.gas)} | ${fmt(r.oracleGas)} | ${fmt(r.gas - r.oracleGas)} |`);
  }
  const target = certificate.find((r) => r.n === CERTIFICATE_TARGET.n);
  if (target !== undefined) {
    const verdict = target.gas < CERTIFICATE_TARGET.gas ? "under" : "OVER";
    console.log(`target: n = ${CERTIFICATE_TARGET.n} ${verdict} ${CERTIFICATE_TARGET.gas.toLocaleString("en-US")}`);
  }
  const solve = await benchSolveOnChainGas();
  console.log("\nLeaderSchedule.solveOnChain (whole transaction)");
  console.log("| instance | gas |");
  console.log("|---|---:|");
  for (const r of solve) console.log(`| ${r.instance} | ${r.gas.toLocaleString("en-US")} |`);
  console.log(JSON.stringify({ certificate, solveOnChain: solve }));
}
