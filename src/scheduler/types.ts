/**
 * Types shared by the scheduler, its certificate checker, the CLI and the on-chain LeaderSchedule
 * (docs/LATENCY.md §2–3). Node indices are 0-based; latencies are integers (microseconds on chain).
 */

/** The on-chain stand-in for "no measurement in either direction": 2^32 − 1. */
export const MISSING = 4294967295;

/** A two-network instance: latency[i][j] between node i of A and node j of B. */
export interface TwoNetworkInstance {
  latency: number[][];
  /** E: epochs in the window. */
  epochs: number;
  /** Share bounds per node (a number applies to every node of that network). */
  minShareA: number | number[];
  maxShareA: number | number[];
  minShareB: number | number[];
  maxShareB: number | number[];
  /** Maximum consecutive epochs a node may lead (>= 1). */
  maxRun: number;
}

/** Leaders per epoch, with the schedule's bottleneck and sum. */
export interface Schedule {
  leadersA: number[];
  leadersB: number[];
  /** max over epochs of latency[leadersA[e]][leadersB[e]]. */
  threshold: number;
  /** sum over epochs of latency[leadersA[e]][leadersB[e]]. */
  sum: number;
}

/** A vertex set S of the flow model at the schedule's threshold, proving nothing exists below it. */
export interface Cut {
  sourceIn: boolean;
  sinkIn: boolean;
  /** inA[i] iff A_i ∈ S. */
  inA: boolean[];
  /** inB[j] iff B_j ∈ S. */
  inB: boolean[];
}
