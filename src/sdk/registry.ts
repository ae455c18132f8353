/**
 * Small helpers for talking to the ValidiumRegistry from TypeScript: public-data construction and
 * the enums as the contract numbers them.
 */
import { ZeroHash } from "ethers";

/** IValidiumRegistry.ChainStatus, as numbered on chain. */
export const ChainStatus = { None: 0, Active: 1, Frozen: 2, Ejected: 3 } as const;
export type ChainStatus = (typeof ChainStatus)[keyof typeof ChainStatus];

/** IValidiumRegistry.CommitmentStatus, as numbered on chain. */
export const CommitmentStatus = { Pending: 0, Finalized: 1, Pruned: 2 } as const;
export type CommitmentStatus = (typeof CommitmentStatus)[keyof typeof CommitmentStatus];

export const COMMITMENT_STATUS_NAME = ["pending", "final", "pruned"] as const;

/** The UpdatePublicData struct, in field order. */
export interface UpdatePublicData {
  chainId: bigint;
  ackBlock: bigint;
  l2Block: bigint;
  queuePosition: bigint;
  prevRoot: string;
  newRoot: string;
  queueHash: string;
  outboxRoot: string;
  inboxRoot: string;
  withdrawalRoot: string;
}

/** Public data for a plain state update: queue, bridge and withdrawal fields zero. */
export function updateData(
  chainId: bigint | number,
  prevRoot: string,
  newRoot: string,
  ackBlock: bigint | number,
  l2Block: bigint | number = 0n,
): UpdatePublicData {
  return {
    chainId: BigInt(chainId),
    ackBlock: BigInt(ackBlock),
    l2Block: BigInt(l2Block),
    queuePosition: 0n,
    prevRoot,
    newRoot,
    queueHash: ZeroHash,
    outboxRoot: ZeroHash,
    inboxRoot: ZeroHash,
    withdrawalRoot: ZeroHash,
  };
}

/** A deterministic, distinct 32-byte root for (chain, index): handy for demos and tests. */
export function demoRoot(chainId: bigint | number, index: number): string {
  return "0x" + BigInt(chainId).toString(16).padStart(16, "0") + index.toString(16).padStart(48, "0");
}

/** One commitment as seen through the registry's views. */
export interface CommitmentRow {
  chainId: bigint;
  index: number;
  root: string;
  blockNumber: bigint;
  a: number;
  b: number;
  status: "pending" | "final" | "pruned";
}

/** The subset of the registry's views that `readCommitments` needs (any ethers contract has it). */
export interface RegistryViews {
  chainCount(): Promise<bigint>;
  chainIdAt(i: bigint | number): Promise<bigint>;
  chain(id: bigint): Promise<{ latestIndex: bigint }>;
  commitment(
    id: bigint,
    index: number,
  ): Promise<{ root: string; blockNumber: bigint; a: bigint; b: bigint; status: bigint }>;
}

/** Every commitment of every chain, in registration order and index order. */
export async function readCommitments(registry: RegistryViews): Promise<CommitmentRow[]> {
  const rows: CommitmentRow[] = [];
  const n = await registry.chainCount();
  for (let i = 0n; i < n; i++) {
    const id = await registry.chainIdAt(i);
    const latest = Number((await registry.chain(id)).latestIndex);
    for (let j = 0; j <= latest; j++) {
      const c = await registry.commitment(id, j);
      rows.push({
        chainId: id,
        index: j,
        root: c.root,
        blockNumber: c.blockNumber,
        a: Number(c.a),
        b: Number(c.b),
        status: COMMITMENT_STATUS_NAME[Number(c.status)] ?? "pending",
      });
    }
  }
  return rows;
}

/** `name#index a/b status`, or `name#index pruned`: the compact form the demo and tests print. */
export function formatRow(row: CommitmentRow, names: ReadonlyMap<bigint, string> = new Map()): string {
  const name = names.get(row.chainId) ?? `chain${row.chainId}`;
  return row.status === "pruned"
    ? `${name}#${row.index} pruned`
    : `${name}#${row.index} ${row.a}/${row.b} ${row.status}`;
}
