/**
 * Converts a snarkjs Groth16 verifying key (vkey.json) into the constructor argument of
 * `BatchGroth16Verifier` (`IBatchGroth16Verifier.VerifyingKey`): G1 points as [x, y] (affine, the
 * projective "1" dropped) and G2 points as [[x1, x0], [y1, y0]], imaginary part first, which is the
 * order the EVM pairing precompile takes and the reverse of snarkjs' JSON (the snarkjs Solidity template
 * performs the same swap).
 */

/** BN254 base field order q: every coordinate must be below it. */
export const BN254_Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/** Public signals of the circuits `BatchGroth16Verifier` serves (docs/LEDGER.md §7). */
export const BATCH_VERIFIER_SIGNALS = 5;

/** The parts of snarkjs' vkey.json this module reads. */
export interface SnarkjsVkey {
  protocol: string;
  curve: string;
  nPublic: number;
  vk_alpha_1: string[];
  vk_beta_2: string[][];
  vk_gamma_2: string[][];
  vk_delta_2: string[][];
  IC: string[][];
}

export type G1 = [bigint, bigint];
export type G2 = [[bigint, bigint], [bigint, bigint]];

/**
 * `IBatchGroth16Verifier.VerifyingKey`, ready for ethers / Ignition (a type alias rather than an interface,
 * so that it is assignable to Ignition's `ModuleParameters`).
 */
export type BatchVerifyingKey = {
  alpha1: G1;
  beta2: G2;
  gamma2: G2;
  delta2: G2;
  ic: [G1, G1, G1, G1, G1, G1];
};

/** The parameters of ignition/modules/BatchGroth16Verifier.ts (under the module id "BatchGroth16Verifier"). */
export type BatchVerifierParameters = { vkey: BatchVerifyingKey; queue: string };

function coordinate(value: string | undefined, what: string): bigint {
  if (value === undefined || !/^[0-9]+$/.test(value)) throw new Error(`vkey: ${what} is not a decimal number`);
  const v = BigInt(value);
  if (v >= BN254_Q) throw new Error(`vkey: ${what} is not below the base field order`);
  return v;
}

function g1(point: string[] | undefined, what: string): G1 {
  if (point === undefined || point.length !== 3 || point[2] !== "1") {
    throw new Error(`vkey: ${what} is not an affine G1 point [x, y, "1"]`);
  }
  return [coordinate(point[0], `${what}.x`), coordinate(point[1], `${what}.y`)];
}

function g2(point: string[][] | undefined, what: string): G2 {
  const z = point?.[2];
  if (point === undefined || point.length !== 3 || z?.[0] !== "1" || z[1] !== "0") {
    throw new Error(`vkey: ${what} is not an affine G2 point [[x0, x1], [y0, y1], ["1", "0"]]`);
  }
  const [x, y] = point as [string[], string[]];
  if (x.length !== 2 || y.length !== 2) throw new Error(`vkey: ${what} coordinates must have two limbs`);
  // snarkjs: [real, imaginary]; precompile: [imaginary, real].
  return [
    [coordinate(x[1], `${what}.x1`), coordinate(x[0], `${what}.x0`)],
    [coordinate(y[1], `${what}.y1`), coordinate(y[0], `${what}.y0`)],
  ];
}

/**
 * The `BatchGroth16Verifier` constructor's verifying key for a snarkjs vkey.json. Throws unless the key is
 * a BN254 Groth16 key with exactly five public signals and canonical affine coordinates (the contract
 * checks the points are on their curves).
 */
export function toBatchVerifyingKey(vkey: unknown): BatchVerifyingKey {
  const v = vkey as Partial<SnarkjsVkey>;
  if (v.protocol !== "groth16" || v.curve !== "bn128") throw new Error("vkey: not a BN254 (bn128) Groth16 key");
  if (v.nPublic !== BATCH_VERIFIER_SIGNALS || v.IC?.length !== BATCH_VERIFIER_SIGNALS + 1) {
    throw new Error(`vkey: expected ${BATCH_VERIFIER_SIGNALS} public signals, got ${String(v.nPublic)}`);
  }
  const ic = v.IC.map((p, j) => g1(p, `IC[${j}]`)) as BatchVerifyingKey["ic"];
  return {
    alpha1: g1(v.vk_alpha_1, "vk_alpha_1"),
    beta2: g2(v.vk_beta_2, "vk_beta_2"),
    gamma2: g2(v.vk_gamma_2, "vk_gamma_2"),
    delta2: g2(v.vk_delta_2, "vk_delta_2"),
    ic,
  };
}

/**
 * The parameters of ignition/modules/BatchGroth16Verifier.ts for a snarkjs vkey.json and a request queue:
 * `ignition.deploy(BatchGroth16VerifierModule, { parameters: { BatchGroth16Verifier: batchVerifierParameters(vkey, queue) } })`.
 */
export function batchVerifierParameters(vkey: unknown, queue: string): BatchVerifierParameters {
  return { vkey: toBatchVerifyingKey(vkey), queue };
}
