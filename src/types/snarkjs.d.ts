/** Minimal typings for the parts of snarkjs 0.7 that ClusterKit uses. */
declare module "snarkjs" {
  export interface Groth16Proof {
    pi_a: string[];
    pi_b: string[][];
    pi_c: string[];
    protocol: string;
    curve: string;
  }
  export interface SnarkjsLogger {
    debug: (m: string) => void;
    info: (m: string) => void;
    warn: (m: string) => void;
    error: (m: string) => void;
    log?: (m: string) => void;
  }
  export type WitnessInput = Record<string, unknown>;
  /** A file name or an in-memory buffer ({ type: "mem", data }). */
  export type FileRef = string | { type: "mem"; data?: Uint8Array };

  export const groth16: {
    fullProve(
      input: WitnessInput,
      wasm: FileRef,
      zkey: FileRef,
      logger?: SnarkjsLogger,
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    prove(
      zkey: FileRef,
      witness: FileRef,
      logger?: SnarkjsLogger,
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    verify(vkey: unknown, publicSignals: string[], proof: Groth16Proof, logger?: SnarkjsLogger): Promise<boolean>;
    exportSolidityCallData(proof: Groth16Proof, publicSignals: string[]): Promise<string>;
  };
  export const wtns: {
    calculate(input: WitnessInput, wasm: FileRef, out: FileRef, options?: unknown): Promise<void>;
    check?(r1cs: FileRef, wtns: FileRef, logger?: SnarkjsLogger): Promise<boolean>;
  };
  export const zKey: {
    newZKey(r1cs: FileRef, ptau: FileRef, zkey: FileRef, logger?: SnarkjsLogger): Promise<unknown>;
    beacon(
      oldZkey: FileRef,
      newZkey: FileRef,
      name: string,
      beaconHash: string,
      numIterationsExp: number,
      logger?: SnarkjsLogger,
    ): Promise<unknown>;
    exportVerificationKey(zkey: FileRef, logger?: SnarkjsLogger): Promise<Record<string, unknown>>;
    exportSolidityVerifier(zkey: FileRef, templates: Record<string, string>, logger?: SnarkjsLogger): Promise<string>;
  };
  export const r1cs: {
    info(
      r1cs: FileRef,
      logger?: SnarkjsLogger,
    ): Promise<{ nConstraints: number; nVars: number; nPubInputs: number; nOutputs: number; nPrvInputs: number }>;
  };
  export const powersOfTau: {
    newAccumulator(curve: unknown, power: number, out: string, logger?: SnarkjsLogger): Promise<unknown>;
    beacon(
      oldPtau: string,
      newPtau: string,
      name: string,
      beaconHash: string,
      numIterationsExp: number,
      logger?: SnarkjsLogger,
    ): Promise<unknown>;
    preparePhase2(oldPtau: string, newPtau: string, logger?: SnarkjsLogger): Promise<unknown>;
  };
  export const curves: {
    getCurveFromName(name: string): Promise<{ terminate(): Promise<void> }>;
  };
}
