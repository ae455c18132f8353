/**
 * Shared helpers for the ValidiumRegistry unit tests: a small tree fixture (built on the Ignition
 * deployment), a full snapshot of the registry's views for "no state change" checks, update helpers
 * and an exact event list of a transaction.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import type { ContractTransactionResponse, Result } from "ethers";

import { ChainStatus, demoRoot, readCommitments, updateData } from "../../src/sdk/registry.ts";
import type { ValidiumRegistry } from "../../typechain-types/index.ts";
import { deployRegistry, ethers, registryFixture, type RegistryFixture } from "./fixtures.ts";

/**
 * The test tree (ids in registration order):
 *
 *     settlement (0)
 *     ├── R (1)            b = 5
 *     │   ├── A (2)        b = 3
 *     │   │   ├── A1 (4)   b = 1
 *     │   │   └── A2 (5)   b = 1
 *     │   └── B (3)        b = 1
 *     └── S (6)            b = 1 (a lone top-level leaf)
 */
export const R = 1n,
  A = 2n,
  B = 3n,
  A1 = 4n,
  A2 = 5n,
  S = 6n;
export const TREE: ReadonlyArray<readonly [bigint, bigint]> = [
  [R, 0n],
  [A, R],
  [B, R],
  [A1, A],
  [A2, A],
  [S, 0n],
];
/** Stake each tree chain registers with: 1000 wei × id. */
export const stakeOf = (id: bigint): bigint => 1000n * id;

export interface TreeFixture extends RegistryFixture {
  /** Operator of each tree chain. */
  op: ReadonlyMap<bigint, HardhatEthersSigner>;
  /** Block at which each tree chain was registered (its genesis block). */
  registeredAt: ReadonlyMap<bigint, number>;
}

/** The registry from the Ignition modules with the tree above registered. */
export async function treeFixture(): Promise<TreeFixture> {
  const f = await registryFixture();
  const op = new Map<bigint, HardhatEthersSigner>();
  const registeredAt = new Map<bigint, number>();
  for (const [i, [id, parent]] of TREE.entries()) {
    const signer = f.operators[i]!;
    const tx = await f.registry.registerChain(id, parent, signer.address, f.verifierAddress, demoRoot(id, 0), {
      value: stakeOf(id),
    });
    const receipt = await tx.wait();
    op.set(id, signer);
    registeredAt.set(id, receipt!.blockNumber);
  }
  return { ...f, op, registeredAt };
}

/** Tight limits for the registration-bound tests: fan-out 2, depth 3, minimum stake 100 wei. */
export const SMALL_LIMITS = { maxFanOut: 2, maxDepth: 3, minStake: 100n };

/** The registry from the Ignition modules with SMALL_LIMITS. */
export async function smallLimitsFixture(): Promise<RegistryFixture> {
  return deployRegistry(SMALL_LIMITS);
}

/** The block the next automined transaction lands in: an ack of it covers everything mined so far. */
export async function nextBlock(): Promise<bigint> {
  return BigInt(await ethers.provider.getBlockNumber()) + 1n;
}

/**
 * Submits the next update of `id` (roots follow `demoRoot(id, index)`), with ack block `ack` or,
 * when omitted, the chain's current ack (unchanged). Returns the transaction.
 */
export async function commit(
  registry: ValidiumRegistry,
  signer: HardhatEthersSigner,
  id: bigint,
  ack?: bigint | number,
): Promise<ContractTransactionResponse> {
  const info = await registry.chain(id);
  const j = Number(info.latestIndex);
  const data = updateData(id, demoRoot(id, j), demoRoot(id, j + 1), ack ?? info.latestAck, j + 1);
  return registry.connect(signer).submitUpdate(data, "0x");
}

/** Like `commit`, waiting for the receipt and returning the block it was mined in. */
export async function commitAt(
  registry: ValidiumRegistry,
  signer: HardhatEthersSigner,
  id: bigint,
  ack?: bigint | number,
): Promise<number> {
  const receipt = await (await commit(registry, signer, id, ack)).wait();
  return receipt!.blockNumber;
}

/** Plain object of an ethers struct result. */
function plain(r: unknown): Record<string, unknown> {
  return (r as Result).toObject();
}

/**
 * Everything the registry's views expose, for before/after comparisons: chains (with their governance,
 * security configuration, pending change and seat), commitments, limits (read from the cluster
 * configuration), the seat count and the balance.
 */
export async function registryState(registry: ValidiumRegistry): Promise<unknown> {
  const seats = await ethers.getContractAt("ClusterSeats", await registry.seats());
  const chains = [];
  const n = await registry.chainCount();
  for (let i = 0n; i < n; i++) {
    const id = await registry.chainIdAt(i);
    chains.push({
      id,
      info: plain(await registry.chain(id)),
      governance: await registry.chainGovernance(id),
      security: plain(await registry.securityConfig(id)),
      pending: plain(await registry.pendingSecurityChange(id)),
      hasSeat: await seats.hasSeat(id),
      subtreeSize: await registry.subtreeSize(id),
      ancestors: [...(await registry.ancestors(id))],
      latest: plain(await registry.latestCommitment(id)),
      finalized: plain(await registry.finalizedCommitment(id)),
    });
  }
  return {
    chains,
    commitments: await readCommitments(registry),
    limits: plain(await registry.limits()),
    seatCount: await seats.seatCount(),
    balance: await ethers.provider.getBalance(await registry.getAddress()),
  };
}

/** Runs `action` (an expectation of a revert) and checks that no view of the registry changed. */
export async function expectNoStateChange(registry: ValidiumRegistry, action: () => Promise<unknown>): Promise<void> {
  const before = await registryState(registry);
  await action();
  expect(await registryState(registry)).to.deep.equal(before);
}

/** The registry's events in `tx`, in order, as `Name(arg,arg,...)` strings. */
export async function registryEvents(
  registry: ValidiumRegistry,
  tx: ContractTransactionResponse | Promise<ContractTransactionResponse>,
): Promise<string[]> {
  const receipt = await (await tx).wait();
  const address = (await registry.getAddress()).toLowerCase();
  return receipt!.logs
    .filter((log) => log.address.toLowerCase() === address)
    .map((log) => {
      const parsed = registry.interface.parseLog(log)!;
      return `${parsed.name}(${parsed.args.map((x: unknown) => String(x)).join(",")})`;
    });
}

/** (a, b, status) of commitment `index` of `id`, with status as the CommitmentStatus number. */
export async function abs(registry: ValidiumRegistry, id: bigint, index: number): Promise<[number, number, number]> {
  const c = await registry.commitment(id, index);
  return [Number(c.a), Number(c.b), Number(c.status)];
}

export { ChainStatus };
