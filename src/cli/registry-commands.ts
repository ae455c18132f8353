/**
 * The registry's operator actions as plain functions over an ethers contract, shared by the CLI
 * (`src/cli/clusterkit.ts`) and the tests. Each returns the lines it would print.
 */
import { type ContractTransactionResponse, ZeroHash, isHexString } from "ethers";

import type { ValidiumRegistry } from "../../typechain-types/index.ts";
import { ChainStatus, formatRow, readCommitments, updateData } from "../sdk/registry.ts";

export class CliError extends Error {}

const STATUS_BY_NAME: Record<string, number> = {
  active: ChainStatus.Active,
  frozen: ChainStatus.Frozen,
  ejected: ChainStatus.Ejected,
};
const STATUS_NAME = ["none", "active", "frozen", "ejected"];

/** Parses a non-negative integer option (decimal or 0x hex); `fallback` when absent, else required. */
export function bigintArg(name: string, value: string | undefined, fallback?: bigint): bigint {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new CliError(`--${name} is required`);
  }
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(value)) throw new CliError(`--${name} must be a non-negative integer`);
  return BigInt(value);
}

function bytes32Arg(name: string, value: string | undefined, fallback?: string): string {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new CliError(`--${name} is required`);
  }
  if (!isHexString(value, 32)) throw new CliError(`--${name} must be 32 bytes of hex (0x + 64 digits)`);
  return value;
}

async function mined(tx: ContractTransactionResponse): Promise<string> {
  const r = await tx.wait();
  if (r === null) throw new CliError(`transaction ${tx.hash} was not mined`);
  return `tx ${r.hash} in block ${r.blockNumber}, gas ${r.gasUsed}`;
}

/** `register`: adds a chain under a parent (registrar role). */
export async function register(registry: ValidiumRegistry, o: Record<string, string | undefined>): Promise<string[]> {
  const chainId = bigintArg("chain", o.chain);
  const parent = bigintArg("parent", o.parent, 0n);
  const operator = o.operator;
  const verifier = o.verifier;
  if (!operator || !verifier) throw new CliError("--operator and --verifier are required");
  const genesis = bytes32Arg("genesis", o.genesis, ZeroHash);
  const stake = bigintArg("stake", o.stake, 0n);
  const tx = await registry.registerChain(chainId, parent, operator, verifier, genesis, { value: stake });
  return [`registered chain ${chainId} under ${parent}: ${await mined(tx)}`];
}

/** `update`: submits an update for a chain (its operator). Defaults: prev root = latest, ack = latest block + 1. */
export async function update(registry: ValidiumRegistry, o: Record<string, string | undefined>): Promise<string[]> {
  const chainId = bigintArg("chain", o.chain);
  const [, latest] = await registry.latestCommitment(chainId);
  const prevRoot = bytes32Arg("prev-root", o["prev-root"], latest.root);
  const newRoot = bytes32Arg("new-root", o["new-root"]);
  const provider = registry.runner?.provider;
  if (!provider) throw new CliError("the registry contract has no provider");
  // The update lands in the next block at the earliest, so latest + 1 is always a valid ack: it
  // acknowledges every ancestor commitment made up to the latest block.
  const ack = bigintArg("ack", o.ack, BigInt(await provider.getBlockNumber()) + 1n);
  const l2Block = bigintArg("l2-block", o["l2-block"], 0n);
  const proof = o.proof ?? "0x";
  if (!isHexString(proof)) throw new CliError("--proof must be hex");
  const tx = await registry.submitUpdate(updateData(chainId, prevRoot, newRoot, ack, l2Block), proof);
  const receipt = await mined(tx);
  const [index] = await registry.latestCommitment(chainId);
  return [`chain ${chainId} commitment #${index} (ack ${ack}): ${receipt}`];
}

/** `set-status`: freezes, unfreezes or ejects a chain (status role). */
export async function setStatus(registry: ValidiumRegistry, o: Record<string, string | undefined>): Promise<string[]> {
  const chainId = bigintArg("chain", o.chain);
  const status = STATUS_BY_NAME[(o.status ?? "").toLowerCase()];
  if (status === undefined) throw new CliError("--status must be active, frozen or ejected");
  const tx = await registry.setChainStatus(chainId, status);
  return [`chain ${chainId} is now ${STATUS_NAME[status]}: ${await mined(tx)}`];
}

/** `show`: the tree with b per chain, and every commitment with its (a, b) and status. */
export async function show(registry: ValidiumRegistry): Promise<string[]> {
  const lines: string[] = [];
  const n = await registry.chainCount();
  const ids: bigint[] = [];
  for (let i = 0n; i < n; i++) ids.push(await registry.chainIdAt(i));
  lines.push(`${n} chains`);
  for (const id of ids) {
    const c = await registry.chain(id);
    lines.push(
      `${"  ".repeat(Number(c.depth))}chain ${id} parent ${c.parent} ${STATUS_NAME[Number(c.status)]} b=${c.subtreeSize} ` +
        `ack ${c.latestAck} latest #${c.latestIndex} final #${c.finalizedIndex} operator ${c.operator}`,
    );
  }
  lines.push("commitments:");
  for (const row of await readCommitments(registry)) lines.push(`  ${formatRow(row)}`);
  return lines;
}
