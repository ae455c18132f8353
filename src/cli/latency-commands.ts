/**
 * The latency subsystem's operator actions as plain functions, shared by the CLI and the tests:
 * `schedule` (solve a matrix, print the schedule, optionally propose it on chain) and `report` (post a
 * node's signed RTT report). Each returns the lines it would print.
 */
import { readFileSync } from "node:fs";

import { Wallet } from "ethers";

import {
  MISSING,
  checkSchedule,
  cutToStruct,
  mulberry32,
  parseMatrix,
  solveTwoNetworks,
  type SolveResult,
  type TwoNetworkInstance,
} from "../scheduler/index.ts";
import { signReport } from "../sdk/latency.ts";
import type { LatencyOracle, LeaderSchedule } from "../../typechain-types/index.ts";
import { CliError } from "./registry-commands.ts";

type Options = Record<string, string | boolean | undefined>;

function str(o: Options, key: string): string | undefined {
  const v = o[key];
  return typeof v === "string" ? v : undefined;
}

function intArg(o: Options, key: string, fallback?: number): number {
  const v = str(o, key);
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw new CliError(`--${key} is required`);
  }
  if (!/^\d+$/.test(v)) throw new CliError(`--${key} must be a non-negative integer`);
  return Number(v);
}

const fmt = (us: number) => (us >= MISSING ? "missing" : `${(us / 1000).toFixed(3)} ms`);

/** Expected worst latency of a uniformly random rotation (mean over `trials` schedules), and the matrix max. */
export function randomRotation(latency: number[][], epochs: number, trials = 1000, seed = 1): { meanWorst: number } {
  const rand = mulberry32(seed);
  const n = latency.length;
  const m = latency[0]!.length;
  let total = 0;
  for (let k = 0; k < trials; k++) {
    let worst = 0;
    for (let e = 0; e < epochs; e++) {
      worst = Math.max(worst, latency[Math.floor(rand() * n)]![Math.floor(rand() * m)]!);
    }
    total += worst;
  }
  return { meanWorst: total / trials };
}

/** The schedule as a table: epoch, leaders, latency; then bottleneck, sum, what is proven, and a random baseline. */
export function describeSchedule(inst: TwoNetworkInstance, result: SolveResult, firstEpoch = 0): string[] {
  const { schedule, stats } = result;
  const lines = ["epoch   leader A   leader B   latency"];
  schedule.leadersA.forEach((a, e) => {
    const b = schedule.leadersB[e]!;
    lines.push(
      `${String(firstEpoch + e).padStart(5)}   ${String(a).padStart(8)}   ${String(b).padStart(8)}   ${fmt(inst.latency[a]![b]!)}`,
    );
  });
  const random = randomRotation(inst.latency, inst.epochs);
  lines.push(
    `bottleneck ${fmt(schedule.threshold)} (${stats.optimal ? "proven optimal by the cut" : "not proven optimal"}), ` +
      `sum ${fmt(schedule.sum)} (${stats.sumExact ? "minimal" : "heuristic"}), solved in ${stats.totalMs.toFixed(1)} ms`,
    `random rotation: expected worst latency ${fmt(random.meanWorst)} over ${inst.epochs} epochs`,
  );
  return lines;
}

/** The instance described by the CLI options around `latency`. */
export function instanceFrom(latency: number[][], o: Options): TwoNetworkInstance {
  const epochs = intArg(o, "epochs", 4 * Math.max(latency.length, latency[0]!.length));
  return {
    latency,
    epochs,
    minShareA: intArg(o, "min-share-a", 0),
    maxShareA: intArg(o, "max-share-a", epochs),
    minShareB: intArg(o, "min-share-b", 0),
    maxShareB: intArg(o, "max-share-b", epochs),
    maxRun: intArg(o, "max-run", epochs),
  };
}

/** `schedule --matrix FILE [bounds]`: solve an off-chain matrix (JSON or CSV) and print the schedule. */
export function scheduleFromFile(o: Options): string[] {
  const path = str(o, "matrix");
  if (!path) throw new CliError("--matrix FILE (JSON or CSV) is required, or --schedule ADDRESS --window K");
  let latency: number[][];
  try {
    latency = parseMatrix(readFileSync(path, "utf8"));
  } catch (e) {
    throw new CliError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const inst = instanceFrom(latency, o);
  return describeSchedule(inst, solveTwoNetworks(inst));
}

/**
 * `schedule --schedule ADDRESS --window K [--submit]`: read the LeaderSchedule's configuration and the
 * oracle's matrix of the window's measurement epoch, solve, print, and with --submit propose it.
 */
export async function scheduleFromChain(
  leaderSchedule: LeaderSchedule,
  oracle: LatencyOracle,
  o: Options,
): Promise<string[]> {
  const window = BigInt(intArg(o, "window"));
  const [netA, netB] = await leaderSchedule.networks();
  const cfg = await leaderSchedule.config();
  const epoch = await leaderSchedule.measurementEpoch(window);
  const n = Number(await oracle.nodeCount(netA));
  const m = Number(await oracle.nodeCount(netB));
  const [values] = await oracle.matrix(epoch, netA, netB);
  const latency = Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => Number(values[i * m + j])));
  const E = Number(cfg.epochsPerWindow);
  const inst: TwoNetworkInstance = {
    latency,
    epochs: E,
    minShareA: Number(cfg.minShareA),
    maxShareA: Number(cfg.maxShareA),
    minShareB: Number(cfg.minShareB),
    maxShareB: Number(cfg.maxShareB),
    maxRun: Number(cfg.maxRun),
  };
  const result = solveTwoNetworks(inst);
  const check = checkSchedule(inst, result.schedule, result.cut);
  if (!check.ok) throw new CliError(`the solver's certificate does not check: ${check.reason}`);
  const lines = [
    `window ${window}: epochs ${window * BigInt(E)}..${(window + 1n) * BigInt(E) - 1n}, matrix of epoch ${epoch} (${n}×${m})`,
    ...describeSchedule(inst, result, Number(window) * E),
  ];
  if (o.submit === true) {
    const { leadersA, leadersB } = result.schedule;
    const tx = await leaderSchedule.propose(window, leadersA, leadersB, cutToStruct(result.cut));
    const receipt = await tx.wait();
    lines.push(`proposed: tx ${receipt!.hash} in block ${receipt!.blockNumber}, gas ${receipt!.gasUsed}`);
  }
  return lines;
}

/**
 * `report --key-file FILE --peer-network ID --rtts a,b,...`: signs the node's RTT report for the current
 * epoch with its enclave key (from the key file: {"privateKey", "network", "node"}) and posts it.
 */
export async function report(oracle: LatencyOracle, o: Options): Promise<string[]> {
  const keyFile = str(o, "key-file");
  if (!keyFile) throw new CliError("--key-file is required");
  let key: { privateKey: string; network: number | string; node: number };
  try {
    key = JSON.parse(readFileSync(keyFile, "utf8")) as typeof key;
  } catch (e) {
    throw new CliError(`cannot read ${keyFile}: ${(e as Error).message}`);
  }
  const rttsText = str(o, "rtts");
  if (!rttsText) throw new CliError("--rtts a,b,... (microseconds, 0 = not measured) is required");
  const rtts = rttsText.split(",").map((s) => {
    if (!/^\s*\d+\s*$/.test(s)) throw new CliError(`--rtts: "${s}" is not a non-negative integer`);
    return Number(s);
  });
  const peerNetwork = BigInt(intArg(o, "peer-network"));
  const provider = oracle.runner?.provider;
  if (!provider) throw new CliError("the oracle contract has no provider");
  const { chainId } = await provider.getNetwork();
  const epoch = await oracle.currentEpoch();
  const enclave = new Wallet(key.privateKey);
  const r = { epoch, network: BigInt(key.network), node: key.node, peerNetwork, rtts };
  const signature = await signReport(enclave, await oracle.getAddress(), chainId, r);
  const tx = await oracle.submitReport(r, signature);
  const receipt = await tx.wait();
  return [
    `node ${key.node} of network ${key.network} reported ${rtts.length} RTTs to network ${peerNetwork} for epoch ${epoch}: ` +
      `tx ${receipt!.hash} in block ${receipt!.blockNumber}, gas ${receipt!.gasUsed}`,
  ];
}
