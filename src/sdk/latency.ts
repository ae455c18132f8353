/**
 * TypeScript side of the latency oracle (docs/LATENCY.md §1): the EIP-712 domains and types that
 * enclave keys and attestation keys sign, signing helpers, the attestation encoding of
 * SignedMeasurementAttestationVerifier, and the combination rule as plain TypeScript (the same rule
 * LatencyOracle.matrix applies on chain).
 */
import { AbiCoder, TypedDataEncoder, type Signer, type TypedDataDomain, type TypedDataField } from "ethers";

import { MISSING } from "../scheduler/types.ts";

/** The value that stands for "no measurement in either direction": 2^32 − 1 (one definition, shared). */
export { MISSING };

/** ILatencyOracle.PairFlag, as numbered on chain. */
export const PairFlag = { Agree: 0, Disagree: 1, OneSided: 2, Missing: 3 } as const;
export type PairFlag = (typeof PairFlag)[keyof typeof PairFlag];

/** ILatencyOracle.LatencyReport. `rtts[j]`: microseconds to node j of `peerNetwork`, 0 = not measured. */
export interface LatencyReport {
  epoch: bigint | number;
  network: bigint | number;
  node: bigint | number;
  peerNetwork: bigint | number;
  rtts: ReadonlyArray<number | bigint>;
}

/** What an attestation key signs: `enclaveKey` runs `measurement` as node `node` of `network`. */
export interface EnclaveRegistration {
  network: bigint | number;
  node: bigint | number;
  enclaveKey: string;
  measurement: string;
}

/** Anything that signs EIP-712 typed data (an ethers Wallet, a Hardhat signer). */
export type TypedDataSigner = Pick<Signer, "signTypedData">;

export const ORACLE_DOMAIN_NAME = "ClusterKit LatencyOracle";
export const ATTESTATION_DOMAIN_NAME = "ClusterKit Attestation";
export const DOMAIN_VERSION = "1";

/** EIP-712 types of a report. ChainId is a uint64 on chain, so networks are uint64 here. */
export const LATENCY_REPORT_TYPES: Record<string, TypedDataField[]> = {
  LatencyReport: [
    { name: "epoch", type: "uint64" },
    { name: "network", type: "uint64" },
    { name: "node", type: "uint32" },
    { name: "peerNetwork", type: "uint64" },
    { name: "rtts", type: "uint32[]" },
  ],
};

/** EIP-712 types of an enclave registration (SignedMeasurementAttestationVerifier). */
export const ENCLAVE_REGISTRATION_TYPES: Record<string, TypedDataField[]> = {
  EnclaveRegistration: [
    { name: "network", type: "uint64" },
    { name: "node", type: "uint32" },
    { name: "enclaveKey", type: "address" },
    { name: "measurement", type: "bytes32" },
  ],
};

/** The oracle's EIP-712 domain on chain `chainId` at `oracleAddress`. */
export function latencyOracleDomain(oracleAddress: string, chainId: bigint | number): TypedDataDomain {
  return {
    name: ORACLE_DOMAIN_NAME,
    version: DOMAIN_VERSION,
    chainId: BigInt(chainId),
    verifyingContract: oracleAddress,
  };
}

/** The attestation verifier's EIP-712 domain on chain `chainId` at `verifierAddress`. */
export function attestationDomain(verifierAddress: string, chainId: bigint | number): TypedDataDomain {
  return {
    name: ATTESTATION_DOMAIN_NAME,
    version: DOMAIN_VERSION,
    chainId: BigInt(chainId),
    verifyingContract: verifierAddress,
  };
}

const UINT32_MAX = 0xffffffffn;

function checkUint32(value: number | bigint, what: string): bigint {
  const v = BigInt(value);
  if (v < 0n || v > UINT32_MAX) throw new RangeError(`${what} out of uint32 range: ${value}`);
  return v;
}

/** The report as the typed-data value (bigints, range-checked RTTs). */
export function reportValue(report: LatencyReport): Record<string, unknown> {
  return {
    epoch: BigInt(report.epoch),
    network: BigInt(report.network),
    node: checkUint32(report.node, "node"),
    peerNetwork: BigInt(report.peerNetwork),
    rtts: report.rtts.map((r, j) => checkUint32(r, `rtts[${j}]`)),
  };
}

/** The EIP-712 digest of `report` (equals `LatencyOracle.reportDigest`). */
export function reportDigest(oracleAddress: string, chainId: bigint | number, report: LatencyReport): string {
  return TypedDataEncoder.hash(latencyOracleDomain(oracleAddress, chainId), LATENCY_REPORT_TYPES, reportValue(report));
}

/** Signs `report` with a node's enclave key for the oracle at `oracleAddress` on chain `chainId`. */
export async function signReport(
  signer: TypedDataSigner,
  oracleAddress: string,
  chainId: bigint | number,
  report: LatencyReport,
): Promise<string> {
  return signer.signTypedData(latencyOracleDomain(oracleAddress, chainId), LATENCY_REPORT_TYPES, reportValue(report));
}

function registrationValue(registration: EnclaveRegistration): Record<string, unknown> {
  return {
    network: BigInt(registration.network),
    node: checkUint32(registration.node, "node"),
    enclaveKey: registration.enclaveKey,
    measurement: registration.measurement,
  };
}

/** The EIP-712 digest of a registration (equals `SignedMeasurementAttestationVerifier.registrationDigest`). */
export function registrationDigest(
  verifierAddress: string,
  chainId: bigint | number,
  registration: EnclaveRegistration,
): string {
  return TypedDataEncoder.hash(
    attestationDomain(verifierAddress, chainId),
    ENCLAVE_REGISTRATION_TYPES,
    registrationValue(registration),
  );
}

/** Signs a registration with an attestation (quoting-enclave) key. */
export async function signRegistration(
  signer: TypedDataSigner,
  verifierAddress: string,
  chainId: bigint | number,
  registration: EnclaveRegistration,
): Promise<string> {
  return signer.signTypedData(
    attestationDomain(verifierAddress, chainId),
    ENCLAVE_REGISTRATION_TYPES,
    registrationValue(registration),
  );
}

/** The attestation SignedMeasurementAttestationVerifier decodes: `abi.encode(bytes32, bytes)`. */
export function buildAttestation(measurement: string, signature: string): string {
  return AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes"], [measurement, signature]);
}

/** One combined latency and how it was obtained. */
export interface CombinedLatency {
  value: number;
  flag: PairFlag;
}

/**
 * The combination rule for one pair: `x` reported by the node of A, `y` by the node of B (0 = absent).
 * Both present: the maximum, Disagree iff max · 10⁴ > min · (10⁴ + bps); one present: it, OneSided;
 * none: MISSING, Missing.
 */
export function combinePair(x: number, y: number, disagreementBps: number): CombinedLatency {
  const hi = Math.max(x, y);
  const lo = Math.min(x, y);
  if (lo !== 0) {
    const disagree = BigInt(hi) * 10_000n > BigInt(lo) * (10_000n + BigInt(disagreementBps));
    return { value: hi, flag: disagree ? PairFlag.Disagree : PairFlag.Agree };
  }
  if (hi !== 0) return { value: hi, flag: PairFlag.OneSided };
  return { value: MISSING, flag: PairFlag.Missing };
}

/** A report vector of one node, or null/undefined if it did not report. */
export type ReportVector = ReadonlyArray<number> | null | undefined;

/** The combined n × m matrix and its flags, as `LatencyOracle.matrix` returns them (but two-dimensional). */
export interface CombinedMatrix {
  values: number[][];
  flags: PairFlag[][];
}

/**
 * Combines the reports of A's n nodes on B (`reportsA[i][j]`: node i of A to node j of B) with those of
 * B's m nodes on A (`reportsB[j][i]`), as the oracle does. n = reportsA.length, m = reportsB.length; a
 * missing report (null/undefined) or a short vector counts as 0 (not measured) for the missing entries.
 */
export function combineMatrix(
  reportsA: ReadonlyArray<ReportVector>,
  reportsB: ReadonlyArray<ReportVector>,
  disagreementBps: number,
): CombinedMatrix {
  const n = reportsA.length;
  const m = reportsB.length;
  const values: number[][] = [];
  const flags: PairFlag[][] = [];
  for (let i = 0; i < n; i++) {
    const rowV: number[] = [];
    const rowF: PairFlag[] = [];
    for (let j = 0; j < m; j++) {
      const c = combinePair(reportsA[i]?.[j] ?? 0, reportsB[j]?.[i] ?? 0, disagreementBps);
      rowV.push(c.value);
      rowF.push(c.flag);
    }
    values.push(rowV);
    flags.push(rowF);
  }
  return { values, flags };
}

/** Splits the row-major (values, flags) of `LatencyOracle.matrix` into n rows of m. */
export function unflattenMatrix(
  values: ReadonlyArray<number | bigint>,
  flags: ReadonlyArray<number | bigint>,
  m: number,
): CombinedMatrix {
  if (values.length !== flags.length || (m === 0 ? values.length !== 0 : values.length % m !== 0)) {
    throw new RangeError(`matrix of ${values.length} entries is not n × ${m}`);
  }
  const n = m === 0 ? 0 : values.length / m;
  const out: CombinedMatrix = { values: [], flags: [] };
  for (let i = 0; i < n; i++) {
    out.values.push(values.slice(i * m, (i + 1) * m).map(Number));
    out.flags.push(flags.slice(i * m, (i + 1) * m).map((f) => Number(f) as PairFlag));
  }
  return out;
}
