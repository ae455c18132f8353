/**
 * The prover backend interface. Callers (the node, the demo, the benchmark) only see `ProverBackend`
 * and `Prover`; the CPU backend (snarkjs) is the default, and a GPU backend plugs in behind the same
 * interface: it receives the same witness and zkey and must return a proof that verifies with the same
 * verifying key. The two expensive phases are exposed as optional hooks so a backend can replace only
 * them (docs/PROVER.md §3).
 */
import type { Groth16Proof, WitnessInput } from "snarkjs";

/** Where a circuit instance's proving artifacts live. */
export interface CircuitArtifacts {
  /** Instance name (circuits/instances/<name>.circom). */
  name: string;
  /** Witness generator compiled by circom2. */
  wasm: string;
  /** Groth16 proving key. */
  zkey: string;
  /** snarkjs verifying key JSON. */
  vkey: string;
}

/** The stages of one proof, in order. */
export type ProofStage = "witness" | "qap" | "fft" | "msm" | "done";

/** A progress report; `fraction` is monotone in [0, 1] over one proof. */
export interface ProofProgress {
  stage: ProofStage;
  fraction: number;
  message: string;
  elapsedMs: number;
}

/** Callback receiving progress reports. */
export type ProgressListener = (p: ProofProgress) => void;

/** A proof with its public signals and how long each phase took. */
export interface ProofResult {
  proof: Groth16Proof;
  publicSignals: bigint[];
  witnessMs: number;
  proveMs: number;
  backend: string;
}

/**
 * A Groth16 proving backend. `witness` runs the circuit's witness generator; `prove` turns a witness
 * into a proof with the instance's zkey. Both must be deterministic in their result's validity: a
 * backend never returns a proof it has not produced from the given witness.
 */
export interface ProverBackend {
  /** Short name for reports ("cpu-snarkjs", "gpu-…"). */
  readonly name: string;
  /** Computes the witness (snarkjs .wtns bytes) for `input`; throws when a constraint fails. */
  witness(artifacts: CircuitArtifacts, input: WitnessInput): Promise<Uint8Array>;
  /** Proves a witness with the instance's zkey, reporting progress. */
  prove(
    artifacts: CircuitArtifacts,
    witness: Uint8Array,
    onProgress?: ProgressListener,
  ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
  /** Releases worker threads and other resources. */
  close(): Promise<void>;
}

/** Thrown when witness generation fails: the batch violates a circuit constraint. */
export class WitnessError extends Error {
  /** The circuit instance whose witness generator failed. */
  readonly instance: string;

  constructor(instance: string, cause: unknown) {
    super(`witness generation failed for ${instance}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.instance = instance;
    this.name = "WitnessError";
  }
}

/** Runs witness generation and proving on one backend, with timings and progress. */
export class Prover {
  /** The backend doing the work. */
  readonly backend: ProverBackend;

  constructor(backend: ProverBackend) {
    this.backend = backend;
  }

  /** Witness + proof for `input` on `artifacts`. */
  async prove(artifacts: CircuitArtifacts, input: WitnessInput, onProgress?: ProgressListener): Promise<ProofResult> {
    const t0 = Date.now();
    onProgress?.({ stage: "witness", fraction: 0, message: "computing witness", elapsedMs: 0 });
    let wtns: Uint8Array;
    try {
      wtns = await this.backend.witness(artifacts, input);
    } catch (e) {
      throw new WitnessError(artifacts.name, e);
    }
    const t1 = Date.now();
    const { proof, publicSignals } = await this.backend.prove(artifacts, wtns, (p) =>
      onProgress?.({ ...p, elapsedMs: Date.now() - t0 }),
    );
    const t2 = Date.now();
    onProgress?.({ stage: "done", fraction: 1, message: "proof ready", elapsedMs: t2 - t0 });
    return {
      proof,
      publicSignals: publicSignals.map((s) => BigInt(s)),
      witnessMs: t1 - t0,
      proveMs: t2 - t1,
      backend: this.backend.name,
    };
  }

  /** Releases the backend. */
  close(): Promise<void> {
    return this.backend.close();
  }
}
