/**
 * The node's on-disk state: one JSON file written atomically (temp file + rename), so a crash leaves
 * either the previous state or the new one. Bigints are decimal strings.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

import type { LedgerSnapshot } from "../ledger/ledger.ts";
import { OpType } from "../ledger/types.ts";
import type { Op, QueueItem, TransferOp, WithdrawOp } from "../ledger/types.ts";

/** A queue item the node has read from the settlement chain, with its 1-based position. */
export interface StoredQueueItem {
  position: string;
  w0: string;
  w1: string;
  w2: string;
}

/** A batch the node has settled. */
export interface SettledBatch {
  l2Block: string;
  commitmentIndex: number;
  prevRoot: string;
  newRoot: string;
  withdrawalRoot: string;
  queuePosition: string;
  ackBlock: string;
  txHash: string;
  gasUsed: string;
  witnessMs: number;
  proveMs: number;
  ops: { deposits: number; transfers: number; withdrawals: number; noops: number };
  /** The batch's user operations (transfers and withdrawals), in order: claims and escapes replay them. Absent in
   *  data directories written before they were recorded. */
  userOps?: SerializedOp[];
}

/** Everything the node persists. */
export interface NodeState {
  version: 1;
  ledger: LedgerSnapshot;
  queue: StoredQueueItem[];
  mempool: SerializedOp[];
  batches: SettledBatch[];
  /** Operations dropped from the mempool because they could not execute, with the reason. */
  rejected: Array<{ op: SerializedOp; reason: string }>;
}

/** A user operation in JSON form. */
export type SerializedOp = Record<string, string | number>;

/** Serializes a transfer or withdrawal (the only operations users submit to a node). */
export function serializeOp(op: TransferOp | WithdrawOp): SerializedOp {
  const common = {
    type: op.type,
    from: op.from,
    amount: op.amount.toString(),
    nonce: op.nonce.toString(),
    Ax: op.pubKey.Ax.toString(),
    Ay: op.pubKey.Ay.toString(),
    R8x: op.sig.R8x.toString(),
    R8y: op.sig.R8y.toString(),
    S: op.sig.S.toString(),
  };
  return op.type === OpType.Transfer ? { ...common, to: op.to } : { ...common, recipient: op.recipient.toString() };
}

/** Inverse of {@link serializeOp}; throws on a malformed record. */
export function deserializeOp(s: SerializedOp): TransferOp | WithdrawOp {
  const big = (k: string): bigint => {
    const v = s[k];
    if (typeof v !== "string" || !/^\d+$/.test(v)) throw new Error(`stored op: bad field ${k}`);
    return BigInt(v);
  };
  const num = (k: string): number => {
    const v = s[k];
    if (typeof v !== "number" || !Number.isInteger(v)) throw new Error(`stored op: bad field ${k}`);
    return v;
  };
  const pubKey = { Ax: big("Ax"), Ay: big("Ay") };
  const sig = { R8x: big("R8x"), R8y: big("R8y"), S: big("S") };
  if (s.type === OpType.Transfer) {
    return {
      type: OpType.Transfer,
      from: num("from"),
      to: num("to"),
      amount: big("amount"),
      nonce: big("nonce"),
      pubKey,
      sig,
    };
  }
  if (s.type === OpType.Withdraw) {
    return {
      type: OpType.Withdraw,
      from: num("from"),
      recipient: big("recipient"),
      amount: big("amount"),
      nonce: big("nonce"),
      pubKey,
      sig,
    };
  }
  throw new Error(`stored op: unknown type ${String(s.type)}`);
}

/** Converts a stored queue item to the ledger's form. */
export function queueItemOf(s: StoredQueueItem): QueueItem {
  return { w0: BigInt(s.w0), w1: BigInt(s.w1), w2: BigInt(s.w2) };
}

/** Reads the state file, or returns undefined when there is none. */
export function readState(path: string): NodeState | undefined {
  if (!existsSync(path)) return undefined;
  const s = JSON.parse(readFileSync(path, "utf8")) as NodeState;
  if (s.version !== 1) throw new Error(`${path}: unsupported node state version ${String(s.version)}`);
  return s;
}

/** Writes the state file atomically. */
export function writeState(path: string, state: NodeState): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 1));
  renameSync(tmp, path);
}

/** Counts the operations of a batch by type. */
export function opCounts(ops: readonly Op[]): SettledBatch["ops"] {
  const c = { deposits: 0, transfers: 0, withdrawals: 0, noops: 0 };
  for (const op of ops) {
    if (op.type === OpType.Deposit) c.deposits++;
    else if (op.type === OpType.Transfer) c.transfers++;
    else if (op.type === OpType.Withdraw) c.withdrawals++;
    else c.noops++;
  }
  return c;
}
