/**
 * Fixtures and helpers for the latency oracle tests: deployment through the Latency Ignition module,
 * the seed example's two networks, deterministic enclave and attestation keys, report submission, and
 * a snapshot of everything the oracle and the verifier expose (for "no state change" checks).
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { id as keccakId, Wallet } from "ethers";

import LatencyModule from "../../ignition/modules/Latency.ts";
import {
  buildAttestation,
  signRegistration,
  signReport,
  type LatencyReport,
  type TypedDataSigner,
} from "../../src/sdk/latency.ts";
import type { LatencyOracle, SignedMeasurementAttestationVerifier } from "../../typechain-types/index.ts";
import type { ILatencyOracle } from "../../typechain-types/latency/LatencyOracle.ts";
import { ethers, ignition, networkHelpers } from "./fixtures.ts";

/** Network ids of the seed example: A has 3 candidate nodes (seed nodes 1..3), B has 2 (seed nodes 4..5). */
export const NET_A = 11n;
export const NET_B = 22n;
/** A third network with one node, for reports on a network that is neither A nor B. */
export const NET_C = 33n;
export const NODES = new Map<bigint, number>([
  [NET_A, 3],
  [NET_B, 2],
  [NET_C, 1],
]);
export const EPOCH_DURATION = 600n;
export const DISAGREEMENT_BPS = 2000;
/** Genesis is this far after the fixture's deployment block: tests start before genesis. */
export const GENESIS_DELAY = 3600n;

export const MEASUREMENT = keccakId("clusterkit-sequencer-enclave v1");
export const OTHER_MEASUREMENT = keccakId("clusterkit-sequencer-enclave v0 (unapproved)");

/** A fixed wallet per label (the private key is keccak256 of the label). */
export function wallet(label: string): Wallet {
  return new Wallet(keccakId(label));
}

/** The attestation (quoting-enclave) key the fixture approves. */
export const ATTESTER = wallet("attester");
/** An attestation key nobody approved. */
export const ROGUE_ATTESTER = wallet("rogue attester");

/** The enclave key of node `node` of `network` (generation `gen` for rotations). */
export function enclaveWallet(network: bigint, node: number, gen = 0): Wallet {
  return wallet(`enclave ${network}/${node}/${gen}`);
}

/**
 * The seed example, in microseconds (ms × 1000). Each node measured its own direction; the combined
 * matrix (max of both directions) is [[32, 35], [27, 28], [40, 42]] ms, every pair within 20 %.
 * SEED_A[i][j]: node i of A to node j of B; SEED_B[j][i]: node j of B to node i of A.
 */
export const SEED_A = [
  [32_000, 35_000],
  [27_000, 28_000],
  [40_000, 41_000],
];
export const SEED_B = [
  [31_000, 26_000, 40_000],
  [35_000, 28_000, 42_000],
];
export const SEED_COMBINED_MS = [
  [32, 35],
  [27, 28],
  [40, 42],
];

export interface LatencyFixture {
  oracle: LatencyOracle;
  verifier: SignedMeasurementAttestationVerifier;
  oracleAddress: string;
  verifierAddress: string;
  chainId: bigint;
  genesisTime: bigint;
  admin: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
}

/** Deploys the verifier and the oracle through the Latency Ignition module. */
export async function deployLatency(
  genesisTime: bigint,
  epochDuration = EPOCH_DURATION,
  disagreementBps = DISAGREEMENT_BPS,
): Promise<LatencyFixture> {
  const { attestationVerifier, latencyOracle } = await ignition.deploy(LatencyModule, {
    parameters: { Latency: { genesisTime, epochDuration, disagreementBps } },
  });
  const [admin, outsider] = (await ethers.getSigners()) as [HardhatEthersSigner, HardhatEthersSigner];
  const oracle = latencyOracle as unknown as LatencyOracle;
  const verifier = attestationVerifier as unknown as SignedMeasurementAttestationVerifier;
  return {
    oracle,
    verifier,
    oracleAddress: await oracle.getAddress(),
    verifierAddress: await verifier.getAddress(),
    chainId: (await ethers.provider.getNetwork()).chainId,
    genesisTime,
    admin,
    outsider,
  };
}

/** Just deployed: genesis GENESIS_DELAY after the latest block, nothing configured. */
export async function deployedFixture(): Promise<LatencyFixture> {
  return deployLatency(BigInt(await networkHelpers.time.latest()) + GENESIS_DELAY);
}

/** Deployed, with MEASUREMENT and ATTESTER approved and networks A, B, C with their nodes; before genesis. */
export async function networksFixture(): Promise<LatencyFixture> {
  const f = await deployedFixture();
  await f.verifier.approveMeasurement(MEASUREMENT);
  await f.verifier.approveAttestationKey(ATTESTER.address);
  for (const [network, count] of NODES) {
    await f.oracle.addNetwork(network);
    for (let i = 0; i < count; i++) await f.oracle.addNode(network);
  }
  return f;
}

/** `networksFixture` with every node's enclave key registered, at the start of epoch 0. */
export async function registeredFixture(): Promise<LatencyFixture> {
  const f = await networksFixture();
  for (const [network, count] of NODES) {
    for (let i = 0; i < count; i++) await registerKey(f, network, i);
  }
  await networkHelpers.time.increaseTo(f.genesisTime);
  return f;
}

/** An attestation of `enclaveKey` as node `node` of `network`, signed by `attester` for `measurement`. */
export async function attestation(
  f: LatencyFixture,
  network: bigint,
  node: number,
  enclaveKey: string,
  opts: { measurement?: string; attester?: TypedDataSigner; verifierAddress?: string; chainId?: bigint } = {},
): Promise<string> {
  const measurement = opts.measurement ?? MEASUREMENT;
  const signature = await signRegistration(
    opts.attester ?? ATTESTER,
    opts.verifierAddress ?? f.verifierAddress,
    opts.chainId ?? f.chainId,
    { network, node, enclaveKey, measurement },
  );
  return buildAttestation(measurement, signature);
}

/** Registers enclave key generation `gen` of a node (anyone may send it: here the outsider). */
export async function registerKey(f: LatencyFixture, network: bigint, node: number, gen = 0): Promise<Wallet> {
  const key = enclaveWallet(network, node, gen);
  await f.oracle
    .connect(f.outsider)
    .registerEnclaveKey(network, node, key.address, await attestation(f, network, node, key.address));
  return key;
}

/** A report of node `node` of `network` on `peerNetwork` in `epoch`. */
export function report(
  epoch: bigint | number,
  network: bigint,
  node: number,
  peerNetwork: bigint,
  rtts: ReadonlyArray<number>,
): LatencyReport {
  return { epoch: BigInt(epoch), network, node, peerNetwork, rtts: [...rtts] };
}

/** The report as the contract's calldata struct. */
export function reportArg(r: LatencyReport): ILatencyOracle.LatencyReportStruct {
  return {
    epoch: r.epoch,
    network: r.network,
    node: r.node,
    peerNetwork: r.peerNetwork,
    rtts: r.rtts.map((x) => BigInt(x)),
  };
}

/** Signs `r` with the node's registered enclave key (or `signer`) and submits it from the outsider. */
export async function submit(f: LatencyFixture, r: LatencyReport, signer?: TypedDataSigner) {
  const key = signer ?? enclaveWallet(BigInt(r.network), Number(r.node));
  const signature = await signReport(key, f.oracleAddress, f.chainId, r);
  return f.oracle.connect(f.outsider).submitReport(reportArg(r), signature);
}

/** Moves the chain's time to the first second of `epoch` (the next block is mined then). */
export async function goToEpoch(f: LatencyFixture, epoch: bigint | number): Promise<void> {
  await networkHelpers.time.increaseTo(f.genesisTime + BigInt(epoch) * EPOCH_DURATION);
}

/** Submits the seed example's reports (A ↔ B) in epoch `epoch`, which must be current. */
export async function submitSeed(f: LatencyFixture, epoch: bigint | number): Promise<void> {
  for (const [i, rtts] of SEED_A.entries()) await submit(f, report(epoch, NET_A, i, NET_B, rtts));
  for (const [j, rtts] of SEED_B.entries()) await submit(f, report(epoch, NET_B, j, NET_A, rtts));
}

/** Everything the oracle and the verifier expose, for epochs 0..`epochs` − 1. */
export async function latencyState(f: LatencyFixture, epochs = 3): Promise<unknown> {
  const { oracle, verifier } = f;
  const networks = [];
  const count = await oracle.networkCount();
  for (let k = 0n; k < count; k++) {
    const network = await oracle.networkAt(k);
    const n = Number(await oracle.nodeCount(network));
    const keys = [];
    for (let i = 0; i < n; i++) keys.push(await oracle.enclaveKey(network, i));
    networks.push({ network, n, keys });
  }
  const ids = networks.map((x) => x.network);
  const reports = [];
  for (let e = 0; e < epochs; e++) {
    for (const a of ids) {
      for (const b of ids) {
        if (a === b) continue;
        const [values, flags] = await oracle.matrix(e, a, b);
        reports.push({ e, a, b, reporters: await oracle.reporters(e, a, b), values: [...values], flags: [...flags] });
      }
    }
  }
  const watchedKeys = [ATTESTER.address, ROGUE_ATTESTER.address];
  const retired = [];
  for (const { network, n } of networks) {
    for (let i = 0; i < n; i++) {
      for (let gen = 0; gen < 3; gen++) {
        retired.push(await oracle.isKeyRetired(network, i, enclaveWallet(network, i, gen).address));
      }
    }
  }
  return {
    networks,
    reports,
    retired,
    disagreementBps: await oracle.disagreementBps(),
    measurements: [
      await verifier.isMeasurementApproved(MEASUREMENT),
      await verifier.isMeasurementApproved(OTHER_MEASUREMENT),
    ],
    attestationKeys: await Promise.all(watchedKeys.map((k) => verifier.isAttestationKeyApproved(k))),
    roles: [
      await oracle.hasRole(await oracle.DEFAULT_ADMIN_ROLE(), f.admin.address),
      await oracle.hasRole(await oracle.DEFAULT_ADMIN_ROLE(), f.outsider.address),
      await verifier.hasRole(await verifier.DEFAULT_ADMIN_ROLE(), f.admin.address),
      await verifier.hasRole(await verifier.DEFAULT_ADMIN_ROLE(), f.outsider.address),
    ],
  };
}

/** Runs `action` (an expectation of a revert) and checks that no view of the oracle or verifier changed. */
export async function expectNoLatencyChange(f: LatencyFixture, action: () => Promise<unknown>): Promise<void> {
  const before = await latencyState(f);
  await action();
  expect(await latencyState(f)).to.deep.equal(before);
}
