/**
 * CPU prover backend: snarkjs (WebAssembly witness generator, ffjavascript multi-threaded MSM/FFT).
 * Progress is derived from snarkjs' debug log: each phase of groth16.prove logs a known message.
 */
import * as snarkjs from "snarkjs";
import type { Groth16Proof, WitnessInput } from "snarkjs";

import type { CircuitArtifacts, ProgressListener, ProofStage, ProverBackend } from "./backend.ts";

/** snarkjs log message prefix → (stage, fraction of the whole proof when it appears). */
const PHASES: Array<[string, ProofStage, number]> = [
  ["Reading Wtns", "qap", 0.02],
  ["Reading Coeffs", "qap", 0.04],
  ["Building ABC", "qap", 0.08],
  ["IFFT_A", "fft", 0.14],
  ["FFT_A", "fft", 0.2],
  ["IFFT_B", "fft", 0.26],
  ["FFT_B", "fft", 0.32],
  ["IFFT_C", "fft", 0.38],
  ["FFT_C", "fft", 0.44],
  ["Join ABC", "fft", 0.5],
  ["Reading A Points", "msm", 0.52],
  ["Reading B1 Points", "msm", 0.6],
  ["Reading B2 Points", "msm", 0.66],
  ["Reading C Points", "msm", 0.78],
  ["Reading H Points", "msm", 0.84],
];

/** The default backend: snarkjs on the CPU. */
export class CpuBackend implements ProverBackend {
  readonly name = "cpu-snarkjs";

  async witness(artifacts: CircuitArtifacts, input: WitnessInput): Promise<Uint8Array> {
    const out: { type: "mem"; data?: Uint8Array } = { type: "mem" };
    await snarkjs.wtns.calculate(input, artifacts.wasm, out);
    if (!out.data) throw new Error("snarkjs returned no witness");
    return out.data;
  }

  async prove(
    artifacts: CircuitArtifacts,
    witness: Uint8Array,
    onProgress?: ProgressListener,
  ): Promise<{ proof: Groth16Proof; publicSignals: string[] }> {
    let last = 0;
    const report = (message: string) => {
      const phase = PHASES.find(([prefix]) => message.startsWith(prefix) || message.includes(prefix));
      if (!phase || phase[2] <= last) return;
      last = phase[2];
      onProgress?.({ stage: phase[1], fraction: phase[2], message, elapsedMs: 0 });
    };
    const logger = { debug: report, info: report, warn: () => {}, error: () => {} };
    return snarkjs.groth16.prove(artifacts.zkey, { type: "mem", data: witness }, logger);
  }

  async close(): Promise<void> {
    await releaseCurveWorkers();
  }
}

/**
 * Terminates the worker threads ffjavascript keeps for the cached BN254 curve (used by snarkjs for
 * proving, verifying and key export), which would otherwise keep the process alive. terminate() also
 * clears the cache, so the next use builds a fresh curve. Safe to call when no curve exists.
 */
export async function releaseCurveWorkers(): Promise<void> {
  const g = globalThis as { curve_bn128?: { terminate(): Promise<void> } | null };
  if (g.curve_bn128) await g.curve_bn128.terminate();
}
