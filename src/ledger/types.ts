/**
 * Types shared by the reference ledger (ledger.ts), the circuit witness builder (witness.ts),
 * the prover and the node. docs/LEDGER.md is the normative definition; field names follow it.
 * Every numeric value is a bigint field element (< r) unless stated otherwise.
 */

/** BN254 scalar field order. */
export const FIELD_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/**
 * Operation slot types (docs/LEDGER.md §5). A const object rather than an `enum`, so plain Node
 * (type stripping, no transform) can run every file that imports it. Type 1 consumes the next queue item
 * of any kind (`QueueItem`); `Deposit` is its older name, kept as an alias (same value).
 */
export const OpType = { Noop: 0, QueueItem: 1, Deposit: 1, Transfer: 2, Withdraw: 3 } as const;
/** One of the {@link OpType} values. */
export type OpType = (typeof OpType)[keyof typeof OpType];

/** Queue item kinds (docs/LEDGER.md §4). */
export const QueueKind = { Deposit: 1, ForcedWithdrawal: 2, ForcedMessage: 3 } as const;
/** One of the {@link QueueKind} values. */
export type QueueKind = (typeof QueueKind)[keyof typeof QueueKind];

/** One account slot's leaf. */
export interface Leaf {
  keyHash: bigint;
  tokenId: bigint;
  balance: bigint;
  nonce: bigint;
}

/** A Baby Jubjub public key (affine coordinates). */
export interface PubKey {
  Ax: bigint;
  Ay: bigint;
}

/** An EdDSA-Poseidon signature. */
export interface Signature {
  R8x: bigint;
  R8y: bigint;
  S: bigint;
}

/** A queue item as stored on the settlement chain: three field elements. */
export interface QueueItem {
  w0: bigint;
  w1: bigint;
  w2: bigint;
}

/** Decoded deposit item (kind 1). */
export interface DepositItem {
  tokenId: bigint;
  accountIndex: bigint;
  amount: bigint;
  keyHash: bigint;
  refund: bigint;
}

/**
 * Decoded forced withdrawal item (kind 2): the settlement contract verified the owner's signature before
 * queueing it; `keyHash = H_2(Ax, Ay)` of the owner's key, `recipient` the L1 address (< 2^160).
 */
export interface ForcedWithdrawalItem {
  tokenId: bigint;
  accountIndex: bigint;
  amount: bigint;
  keyHash: bigint;
  recipient: bigint;
}

/** Decoded forced message item (kind 3): a payload hash (field element) and its L1 sender (< 2^160). */
export interface ForcedMessageItem {
  payloadHash: bigint;
  sender: bigint;
}

export interface TransferOp {
  type: typeof OpType.Transfer;
  from: number;
  to: number;
  amount: bigint;
  nonce: bigint;
  pubKey: PubKey;
  sig: Signature;
}

export interface WithdrawOp {
  type: typeof OpType.Withdraw;
  from: number;
  recipient: bigint;
  amount: bigint;
  nonce: bigint;
  pubKey: PubKey;
  sig: Signature;
}

/** Op type 1: consumes the next queue item, whatever its kind (deposit, forced withdrawal, forced message). */
export interface QueueItemOp {
  type: typeof OpType.QueueItem;
  item: QueueItem;
}

/** The older name of {@link QueueItemOp}. */
export type DepositOp = QueueItemOp;

export interface NoopOp {
  type: typeof OpType.Noop;
}

/** A user operation or queue item as it enters a batch. */
export type Op = TransferOp | WithdrawOp | QueueItemOp | NoopOp;

/** The ledger's state summary (docs/LEDGER.md §3). */
export interface StateHeader {
  accountsRoot: bigint;
  l2Block: bigint;
  queuePosition: bigint;
  queueHash: bigint;
}

/** One leaf update in a slot: the slot index, the leaf before and after, and its siblings. */
export interface LeafUpdate {
  index: number;
  before: Leaf;
  after: Leaf;
  /** siblings[l] at level l, leaf level first; length D. Taken from the tree before this update. */
  siblings: bigint[];
}

/**
 * Everything the witness builder needs about one executed slot. Update `a` is applied first and
 * update `b` is read from the tree after `a` (docs/LEDGER.md §5: `to` is read after `from`).
 *  - no-op:    a = b = unchanged leaf 0
 *  - queue item: a = the item's slot (index = accountIndex mod 2^D; changed by a credited deposit or an
 *              executed forced withdrawal, else unchanged), b = unchanged leaf 0
 *  - transfer: a = from, b = to
 *  - withdraw: a = from, b = unchanged leaf 0
 */
export interface SlotTrace {
  op: Op;
  a: LeafUpdate;
  b: LeafUpdate;
  /** For deposits: whether the deposit was credited (false: refunded). */
  credited: boolean;
  /** For queue items: the item's kind (1, 2 or 3); null for other slots. */
  queueKind: QueueKind | null;
  /** For forced withdrawals: whether it was executed (false: consumed as a no-op). */
  forcedExecuted: boolean;
  /** The slot's withdrawal entry fields, or null when E_k = 0. */
  withdrawal: { recipient: bigint; tokenId: bigint; amount: bigint } | null;
  /** The withdrawal entry hash E_k (0n when `withdrawal` is null). */
  entryHash: bigint;
}

/** The result of executing one batch. */
export interface BatchTrace {
  chainId: bigint;
  K: number;
  D: number;
  before: StateHeader;
  after: StateHeader;
  prevRoot: bigint;
  newRoot: bigint;
  withdrawalRoot: bigint;
  /** chainId + l2Block·2^64 + queuePosition·2^128 with the *new* l2Block and queuePosition. */
  meta: bigint;
  slots: SlotTrace[];
}

/** The five public signals in circuit order (docs/LEDGER.md §7). */
export type PublicSignals = [bigint, bigint, bigint, bigint, bigint];
