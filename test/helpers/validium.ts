/**
 * Fixture for the reference validium: the ReferenceValidium Ignition module (registry, Poseidon,
 * request queue, generated Groth16 verifier and adapter) and chains registered with the adapter and the
 * ledger's genesis root.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { toBeHex } from "ethers";

import ReferenceValidiumModule from "../../ignition/modules/ReferenceValidium.ts";
import { genesisRoot, getCrypto } from "../../src/ledger/index.ts";
import { ValidiumNode } from "../../src/node/node.ts";
import { instanceArtifacts, SHIPPED_INSTANCE } from "../../src/prover/artifacts.ts";
import type {
  ClusterConfig,
  Groth16UpdateVerifier,
  RequestQueue,
  ValidiumRegistry,
} from "../../typechain-types/index.ts";
import { ethers, ignition } from "./fixtures.ts";

/** The shipped instance's parameters. */
export const LEDGER_K = 4;
export const LEDGER_D = 8;

export interface ValidiumFixture {
  registry: ValidiumRegistry;
  /** The registry's (and the queue's) cluster configuration; `admin` is its governance and guardian. */
  clusterConfig: ClusterConfig;
  queue: RequestQueue;
  adapter: Groth16UpdateVerifier;
  adapterAddress: string;
  admin: HardhatEthersSigner;
  operators: HardhatEthersSigner[];
  users: HardhatEthersSigner[];
  genesis: string;
}

/** Deploys the module and registers chains 1 and 2 (top level) run by operators[0] and operators[1]. */
export async function validiumFixture(): Promise<ValidiumFixture> {
  const { registry, requestQueue, groth16UpdateVerifier } = await ignition.deploy(ReferenceValidiumModule, {
    parameters: { ClusterConfig: { maxFanOut: 16, maxDepth: 16, minStake: 0n } },
  });
  const [admin, ...rest] = (await ethers.getSigners()) as [HardhatEthersSigner, ...HardhatEthersSigner[]];
  const operators = rest.slice(0, 3);
  const users = rest.slice(3, 8);
  const r = registry as unknown as ValidiumRegistry;
  const adapterAddress = await groth16UpdateVerifier.getAddress();
  const genesis = toBeHex(genesisRoot(await getCrypto(), LEDGER_D), 32);
  for (const [i, id] of [1n, 2n].entries()) {
    await r.registerChain(id, 0n, operators[i]!.address, adapterAddress, genesis);
  }
  return {
    registry: r,
    clusterConfig: (await ethers.getContractAt("ClusterConfig", await r.clusterConfig())) as unknown as ClusterConfig,
    queue: requestQueue as unknown as RequestQueue,
    adapter: groth16UpdateVerifier as unknown as Groth16UpdateVerifier,
    adapterAddress,
    admin,
    operators,
    users,
    genesis,
  };
}

/** Opens a node for `chainId` operated by `operator`, with a fresh data directory unless given. */
export async function openNode(
  f: ValidiumFixture,
  chainId: bigint,
  operator: HardhatEthersSigner,
  dataDir = mkdtempSync(join(tmpdir(), "clusterkit-node-")),
): Promise<ValidiumNode> {
  return ValidiumNode.open(
    { chainId, K: LEDGER_K, D: LEDGER_D, dataDir, artifacts: instanceArtifacts(SHIPPED_INSTANCE) },
    { registry: f.registry, queue: f.queue, operator },
  );
}
