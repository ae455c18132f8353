/**
 * The reference ledger of docs/LEDGER.md: account state, batch execution (§5) and the trace that the
 * circuit's witness builder consumes (types.ts `BatchTrace`).
 */
import { getCrypto, type LedgerCrypto } from "./crypto.ts";
import {
  isPowerOfTwo,
  merkleRootOf,
  packMeta,
  queueStep,
  stateRootOf,
  transferMessage,
  TWO_128,
  TWO_160,
  TWO_200,
  TWO_32,
  TWO_64,
  TWO_8,
  W0_AMOUNT_SHIFT,
  W0_INDEX_SHIFT,
  W0_TOKEN_SHIFT,
  withdrawalEntryHash,
  withdrawMessage,
} from "./encoding.ts";
import { AccountTree, copyLeaf } from "./tree.ts";
import {
  FIELD_R,
  OpType,
  QueueKind,
  type BatchTrace,
  type Leaf,
  type LeafUpdate,
  type Op,
  type PublicSignals,
  type QueueItemOp,
  type SlotTrace,
  type StateHeader,
  type TransferOp,
  type WithdrawOp,
} from "./types.ts";

/**
 * Why a batch (or a snapshot) was rejected:
 *  - `TooManyOps`: more operations than the batch has slots (K);
 *  - `BadOp`: not an operation of types.ts (unknown type, missing or mistyped field);
 *  - `QueueKindUnsupported`: a queue item whose kind is not 1, 2 or 3 — the queue never holds one (§4);
 *  - `BadQueueItem`: a queue item that the settlement queue cannot hold (§4: `w0 ≥ 2^200`, `w1` not below r
 *    or, for a deposit, zero, `w2 ≥ 2^160`);
 *  - `IndexRange`: a `from`/`to` slot outside [0, 2^D);
 *  - `AmountRange`: an amount outside [0, 2^128);
 *  - `RecipientRange`: a withdrawal recipient outside [0, 2^160);
 *  - `UnknownSender`: the sender slot is empty;
 *  - `KeyMismatch`: `H_2(Ax, Ay)` differs from the sender slot's key hash;
 *  - `BadNonce`: the op's nonce is not the sender slot's nonce;
 *  - `BadSignature`: the EdDSA-Poseidon signature does not verify;
 *  - `Overspend`: amount above the sender's balance;
 *  - `RecipientEmpty`: the transfer's `to` slot is empty;
 *  - `TokenMismatch`: `to` holds another token than `from`;
 *  - `BalanceOverflow`: `to`'s balance would reach 2^128;
 *  - `BadSnapshot`: `Ledger.fromJSON` got a malformed or inconsistent snapshot.
 */
export type LedgerErrorCode =
  | "TooManyOps"
  | "BadOp"
  | "QueueKindUnsupported"
  | "BadQueueItem"
  | "IndexRange"
  | "AmountRange"
  | "RecipientRange"
  | "UnknownSender"
  | "KeyMismatch"
  | "BadNonce"
  | "BadSignature"
  | "Overspend"
  | "RecipientEmpty"
  | "TokenMismatch"
  | "BalanceOverflow"
  | "BadSnapshot";

/** An invalid batch or snapshot. After a throwing `executeBatch` the ledger is unchanged. */
export class LedgerError extends Error {
  override name = "LedgerError";
  /** The machine-readable reason. */
  readonly code: LedgerErrorCode;
  /** The batch slot (0 … K − 1) of the offending operation, when there is one. */
  readonly slot: number | undefined;

  /** A `LedgerError` with `code`, a human-readable `message` and the offending batch `slot`. */
  constructor(code: LedgerErrorCode, message: string, slot?: number) {
    super(slot === undefined ? `${code}: ${message}` : `${code} (slot ${slot}): ${message}`);
    this.code = code;
    this.slot = slot;
  }
}

/** The parameters of a ledger instance. */
export interface LedgerParams {
  /** The registry chain id (< 2^64), bound into signatures and `meta`. */
  chainId: bigint;
  /** Operation slots per batch, a power of two. */
  K: number;
  /** Account tree depth, 1 … 32. */
  D: number;
}

/** One non-empty account as persisted: bigints as decimal strings. */
export interface AccountSnapshot {
  index: number;
  keyHash: string;
  tokenId: string;
  balance: string;
  nonce: string;
}

/** A ledger's JSON form (`Ledger.toJSON`), bigints as decimal strings. */
export interface LedgerSnapshot {
  version: 1;
  chainId: string;
  K: number;
  D: number;
  l2Block: string;
  queuePosition: string;
  queueHash: string;
  /** The state root, checked by `Ledger.fromJSON` against the accounts and counters. */
  stateRoot: string;
  /** The non-empty slots in increasing index order. */
  accounts: AccountSnapshot[];
}

/** The queue cursor while a batch executes. */
interface Cursor {
  position: bigint;
  hash: bigint;
}

/** The queue-item fields of a SlotTrace for a slot that consumes none. */
const NO_QUEUE_ITEM = { credited: false, queueKind: null, forcedExecuted: false } as const;

function isUint(x: unknown, bound: bigint): x is bigint {
  return typeof x === "bigint" && x >= 0n && x < bound;
}

function checkParams({ chainId, K, D }: LedgerParams): void {
  if (!isUint(chainId, TWO_64)) throw new RangeError(`chainId ${String(chainId)} must be a bigint in [0, 2^64)`);
  if (!isPowerOfTwo(K)) throw new RangeError(`K = ${K} must be a power of two`);
  if (!Number.isInteger(D) || D < 1 || D > 32) throw new RangeError(`D = ${D} must be an integer in [1, 32]`);
}

/**
 * The reference validium ledger: the account tree, `l2Block` and the queue cursor. `executeBatch`
 * applies exactly K operation slots atomically and returns the trace a proof needs.
 */
export class Ledger {
  /** The registry chain id. */
  readonly chainId: bigint;
  /** Operation slots per batch. */
  readonly K: number;
  /** Account tree depth. */
  readonly D: number;
  /** The crypto instance the ledger hashes and verifies with. */
  readonly crypto: LedgerCrypto;
  private tree: AccountTree;
  private l2Block = 0n;
  private queuePosition = 0n;
  private queueHash = 0n;

  private constructor(crypto: LedgerCrypto, params: LedgerParams, tree?: AccountTree) {
    checkParams(params);
    this.crypto = crypto;
    this.chainId = params.chainId;
    this.K = params.K;
    this.D = params.D;
    this.tree = tree ?? new AccountTree(crypto, params.D);
  }

  /** A ledger in its genesis state (empty tree, all counters zero). */
  static async create(params: LedgerParams): Promise<Ledger> {
    return Ledger.withCrypto(await getCrypto(), params);
  }

  /** `create` for callers that already hold the crypto (synchronous). */
  static withCrypto(crypto: LedgerCrypto, params: LedgerParams): Ledger {
    return new Ledger(crypto, params);
  }

  /** The state summary of §3. */
  header(): StateHeader {
    return {
      accountsRoot: this.tree.root(),
      l2Block: this.l2Block,
      queuePosition: this.queuePosition,
      queueHash: this.queueHash,
    };
  }

  /** `H_4(accountsRoot, l2Block, queuePosition, queueHash)`. */
  stateRoot(): bigint {
    return stateRootOf(this.crypto, this.header());
  }

  /** A copy of slot `i`'s leaf (the empty leaf when unused). */
  leaf(i: number): Leaf {
    return this.tree.leaf(i);
  }

  /** The Merkle path of slot `i` in the current tree, leaf level first. */
  siblings(i: number): bigint[] {
    return this.tree.siblings(i);
  }

  /** The non-empty slots in increasing index order. */
  accounts(): Array<{ index: number; leaf: Leaf }> {
    return this.tree.entries();
  }

  /** The lowest slot holding `(keyHash, tokenId)`, if any. */
  findAccount(keyHash: bigint, tokenId: bigint): number | undefined {
    return this.tree.entries().find(({ leaf }) => leaf.keyHash === keyHash && leaf.tokenId === tokenId)?.index;
  }

  /** The lowest empty slot, or undefined when all 2^D slots are used. */
  freeIndex(): number | undefined {
    let expected = 0;
    for (const { index } of this.tree.entries()) {
      if (index !== expected) return expected;
      expected++;
    }
    return expected < this.tree.size ? expected : undefined;
  }

  /**
   * Executes one batch: `ops` (at most K) followed by no-ops up to K slots (§5). Returns the trace of every
   * slot and the public data. Throws a `LedgerError` for an invalid transfer or withdrawal, a queue item
   * of kind ∉ {1, 2, 3} or a malformed op, and then leaves the ledger unchanged. Queue items never fail:
   * deposits are credited or refunded, forced withdrawals executed or consumed as no-ops, forced messages
   * consumed.
   */
  executeBatch(ops: readonly Op[]): BatchTrace {
    if (!Array.isArray(ops)) throw new LedgerError("BadOp", "ops must be an array");
    if (ops.length > this.K) {
      throw new LedgerError("TooManyOps", `${ops.length} operations do not fit in a batch of K = ${this.K}`);
    }
    const before = this.header();
    const prevRoot = stateRootOf(this.crypto, before);
    const journal: Array<{ index: number; leaf: Leaf }> = [];
    const cursor: Cursor = { position: this.queuePosition, hash: this.queueHash };
    try {
      const slots: SlotTrace[] = [];
      for (let k = 0; k < this.K; k++) {
        const op: Op = k < ops.length ? ops[k]! : { type: OpType.Noop };
        slots.push(this.executeSlot(op, k, journal, cursor));
      }
      const withdrawalRoot = merkleRootOf(
        this.crypto,
        slots.map((s) => s.entryHash),
      );
      const l2Block = this.l2Block + 1n;
      const meta = packMeta(this.chainId, l2Block, cursor.position);
      const after: StateHeader = {
        accountsRoot: this.tree.root(),
        l2Block,
        queuePosition: cursor.position,
        queueHash: cursor.hash,
      };
      const newRoot = stateRootOf(this.crypto, after);
      this.l2Block = after.l2Block;
      this.queuePosition = after.queuePosition;
      this.queueHash = after.queueHash;
      return {
        chainId: this.chainId,
        K: this.K,
        D: this.D,
        before,
        after,
        prevRoot,
        newRoot,
        withdrawalRoot,
        meta,
        slots,
      };
    } catch (err) {
      for (let j = journal.length - 1; j >= 0; j--) this.tree.set(journal[j]!.index, journal[j]!.leaf);
      throw err;
    }
  }

  private executeSlot(op: Op, k: number, journal: Array<{ index: number; leaf: Leaf }>, cursor: Cursor): SlotTrace {
    if (typeof op !== "object" || op === null) throw new LedgerError("BadOp", "an operation must be an object", k);
    switch (op.type) {
      case OpType.Noop: {
        const a = this.unchanged(0);
        return { op, a, b: this.unchanged(0), ...NO_QUEUE_ITEM, withdrawal: null, entryHash: 0n };
      }
      case OpType.QueueItem:
        return this.queueItem(op, k, journal, cursor);
      case OpType.Transfer:
        return this.transfer(op, k, journal);
      case OpType.Withdraw:
        return this.withdraw(op, k, journal);
      default:
        throw new LedgerError("BadOp", `unknown operation type ${String((op as { type: unknown }).type)}`, k);
    }
  }

  /** A LeafUpdate of slot `i` that leaves it as it is. */
  private unchanged(i: number): LeafUpdate {
    const leaf = this.tree.leaf(i);
    return { index: i, before: leaf, after: copyLeaf(leaf), siblings: this.tree.siblings(i) };
  }

  /** Sets slot `i` to `after`, journaling the old leaf; siblings are read before the update. */
  private update(i: number, after: Leaf, journal: Array<{ index: number; leaf: Leaf }>): LeafUpdate {
    const before = this.tree.leaf(i);
    const siblings = this.tree.siblings(i);
    journal.push({ index: i, leaf: copyLeaf(before) });
    this.tree.set(i, after);
    return { index: i, before, after: copyLeaf(after), siblings };
  }

  /** Op type 1: consumes the next queue item and dispatches on its kind (§4, §5). */
  private queueItem(
    op: QueueItemOp,
    k: number,
    journal: Array<{ index: number; leaf: Leaf }>,
    cursor: Cursor,
  ): SlotTrace {
    const item = op.item as Partial<QueueItemOp["item"]> | undefined;
    if (typeof item !== "object" || item === null) throw new LedgerError("BadOp", "op type 1 needs a queue item", k);
    const { w0, w1, w2 } = item;
    if (!isUint(w0, TWO_200)) throw new LedgerError("BadQueueItem", `w0 = ${String(w0)} is not below 2^200`, k);
    const kind = Number(w0 & (TWO_8 - 1n));
    if (kind !== QueueKind.Deposit && kind !== QueueKind.ForcedWithdrawal && kind !== QueueKind.ForcedMessage) {
      throw new LedgerError("QueueKindUnsupported", `queue item kind ${kind} is not 1, 2 or 3`, k);
    }
    if (!isUint(w1, FIELD_R) || (kind === QueueKind.Deposit && w1 === 0n)) {
      throw new LedgerError(
        "BadQueueItem",
        `w1 = ${String(w1)} must be ${kind === QueueKind.Deposit ? "in (0, r)" : "below r"}`,
        k,
      );
    }
    if (!isUint(w2, TWO_160)) {
      throw new LedgerError("BadQueueItem", `w2 = ${String(w2)} must be an L1 address (below 2^160)`, k);
    }
    const tokenId = (w0 >> W0_TOKEN_SHIFT) & (TWO_32 - 1n);
    const accountIndex = (w0 >> W0_INDEX_SHIFT) & (TWO_32 - 1n);
    const amount = w0 >> W0_AMOUNT_SHIFT;
    const index = Number(accountIndex % BigInt(this.tree.size));
    const current = this.tree.leaf(index);
    const inRange = accountIndex < BigInt(this.tree.size);
    cursor.hash = queueStep(this.crypto, cursor.hash, { w0, w1, w2 });
    cursor.position += 1n;
    // Update b (unused by queue items) is read after update a, as the circuit reads it.
    const b = (): LeafUpdate => this.unchanged(0);

    if (kind === QueueKind.ForcedMessage) {
      // Forced message: consumed, no state change (routed by the bridge later).
      const a = this.unchanged(index);
      return { op, a, b: b(), credited: false, queueKind: 3, forcedExecuted: false, withdrawal: null, entryHash: 0n };
    }
    if (kind === QueueKind.ForcedWithdrawal) {
      // Forced withdrawal (w1 = the owner's key hash, w2 = the L1 recipient): executed iff the slot exists,
      // is owned by w1 and holds tokenId, and 0 < amount ≤ balance; otherwise a no-op.
      const executed =
        inRange &&
        current.keyHash !== 0n &&
        current.keyHash === w1 &&
        current.tokenId === tokenId &&
        amount > 0n &&
        amount <= current.balance;
      if (!executed) {
        const a = this.unchanged(index);
        return { op, a, b: b(), credited: false, queueKind: 2, forcedExecuted: false, withdrawal: null, entryHash: 0n };
      }
      const a = this.update(index, { ...current, balance: current.balance - amount }, journal);
      const withdrawal = { recipient: w2, tokenId, amount };
      const entryHash = withdrawalEntryHash(this.crypto, w2, tokenId, amount);
      return { op, a, b: b(), credited: false, queueKind: 2, forcedExecuted: true, withdrawal, entryHash };
    }

    // Deposit (w1 = the recipient's key hash, w2 = the refund address): credited or refunded.
    const keyHash = w1;
    const credited =
      inRange &&
      (current.keyHash === 0n || (current.keyHash === keyHash && current.tokenId === tokenId)) &&
      current.balance + amount < TWO_128;
    const a = credited
      ? this.update(index, { keyHash, tokenId, balance: current.balance + amount, nonce: current.nonce }, journal)
      : this.unchanged(index);
    const deposit = { op, a, b: b(), credited, queueKind: 1, forcedExecuted: false } as const;
    if (credited) return { ...deposit, withdrawal: null, entryHash: 0n };
    const withdrawal = { recipient: w2, tokenId, amount };
    return { ...deposit, withdrawal, entryHash: withdrawalEntryHash(this.crypto, w2, tokenId, amount) };
  }

  /** The checks shared by transfers and withdrawals on the sender (§5); returns the sender's leaf. */
  private checkSender(op: TransferOp | WithdrawOp, k: number, msgOf: () => bigint): Leaf {
    const { from, amount, nonce, pubKey, sig } = op;
    if (!Number.isSafeInteger(from) || from < 0 || from >= this.tree.size) {
      throw new LedgerError("IndexRange", `from = ${String(from)} is not a slot in [0, ${this.tree.size})`, k);
    }
    if (!isUint(amount, TWO_128))
      throw new LedgerError("AmountRange", `amount ${String(amount)} is not below 2^128`, k);
    if (typeof pubKey !== "object" || pubKey === null || typeof sig !== "object" || sig === null) {
      throw new LedgerError("BadOp", "a signed operation needs pubKey and sig", k);
    }
    const sender = this.tree.leaf(from);
    if (sender.keyHash === 0n) throw new LedgerError("UnknownSender", `slot ${from} is empty`, k);
    if (!isUint(pubKey.Ax, FIELD_R) || !isUint(pubKey.Ay, FIELD_R)) {
      throw new LedgerError("BadSignature", "public key coordinates must be field elements", k);
    }
    if (this.crypto.keyHash(pubKey) !== sender.keyHash) {
      throw new LedgerError("KeyMismatch", `the public key does not own slot ${from}`, k);
    }
    if (nonce !== sender.nonce) {
      throw new LedgerError("BadNonce", `nonce ${String(nonce)} differs from slot ${from}'s nonce ${sender.nonce}`, k);
    }
    if (!this.crypto.verify(pubKey, msgOf(), sig)) {
      throw new LedgerError("BadSignature", `the signature of slot ${from}'s operation does not verify`, k);
    }
    if (amount > sender.balance) {
      throw new LedgerError("Overspend", `amount ${amount} exceeds slot ${from}'s balance ${sender.balance}`, k);
    }
    return sender;
  }

  private transfer(op: TransferOp, k: number, journal: Array<{ index: number; leaf: Leaf }>): SlotTrace {
    const { from, to, amount, nonce } = op;
    if (!Number.isSafeInteger(to) || to < 0 || to >= this.tree.size) {
      throw new LedgerError("IndexRange", `to = ${String(to)} is not a slot in [0, ${this.tree.size})`, k);
    }
    const sender = this.checkSender(op, k, () => transferMessage(this.crypto, this.chainId, from, to, amount, nonce));
    const a = this.update(from, { ...sender, balance: sender.balance - amount, nonce: sender.nonce + 1n }, journal);
    const recipient = this.tree.leaf(to);
    if (recipient.keyHash === 0n) throw new LedgerError("RecipientEmpty", `recipient slot ${to} is empty`, k);
    if (recipient.tokenId !== sender.tokenId) {
      throw new LedgerError(
        "TokenMismatch",
        `slot ${to} holds token ${recipient.tokenId}, slot ${from} token ${sender.tokenId}`,
        k,
      );
    }
    if (recipient.balance + amount >= TWO_128) {
      throw new LedgerError("BalanceOverflow", `slot ${to}'s balance would reach 2^128`, k);
    }
    const b = this.update(to, { ...recipient, balance: recipient.balance + amount }, journal);
    return { op, a, b, ...NO_QUEUE_ITEM, withdrawal: null, entryHash: 0n };
  }

  private withdraw(op: WithdrawOp, k: number, journal: Array<{ index: number; leaf: Leaf }>): SlotTrace {
    const { from, recipient, amount, nonce } = op;
    if (!isUint(recipient, TWO_160)) {
      throw new LedgerError("RecipientRange", `recipient ${String(recipient)} is not an L1 address (< 2^160)`, k);
    }
    const sender = this.checkSender(op, k, () =>
      withdrawMessage(this.crypto, this.chainId, from, recipient, amount, nonce),
    );
    const a = this.update(from, { ...sender, balance: sender.balance - amount, nonce: sender.nonce + 1n }, journal);
    const b = this.unchanged(0);
    const withdrawal = { recipient, tokenId: sender.tokenId, amount };
    const entryHash = withdrawalEntryHash(this.crypto, recipient, sender.tokenId, amount);
    return { op, a, b, ...NO_QUEUE_ITEM, withdrawal, entryHash };
  }

  /** An independent copy of this ledger. */
  clone(): Ledger {
    const copy = new Ledger(this.crypto, { chainId: this.chainId, K: this.K, D: this.D }, this.tree.clone());
    copy.l2Block = this.l2Block;
    copy.queuePosition = this.queuePosition;
    copy.queueHash = this.queueHash;
    return copy;
  }

  /** The ledger's JSON form; `JSON.stringify(ledger)` uses it. */
  toJSON(): LedgerSnapshot {
    return {
      version: 1,
      chainId: this.chainId.toString(),
      K: this.K,
      D: this.D,
      l2Block: this.l2Block.toString(),
      queuePosition: this.queuePosition.toString(),
      queueHash: this.queueHash.toString(),
      stateRoot: this.stateRoot().toString(),
      accounts: this.tree.entries().map(({ index, leaf }) => ({
        index,
        keyHash: leaf.keyHash.toString(),
        tokenId: leaf.tokenId.toString(),
        balance: leaf.balance.toString(),
        nonce: leaf.nonce.toString(),
      })),
    };
  }

  /**
   * Rebuilds a ledger from `toJSON`'s output (an object, or its JSON text).
   * @throws LedgerError `BadSnapshot` when the snapshot is malformed or its state root does not match.
   */
  static async fromJSON(snapshot: LedgerSnapshot | string): Promise<Ledger> {
    return Ledger.fromJSONWithCrypto(await getCrypto(), snapshot);
  }

  /** `fromJSON` for callers that already hold the crypto (synchronous). */
  static fromJSONWithCrypto(crypto: LedgerCrypto, snapshot: LedgerSnapshot | string): Ledger {
    const bad = (what: string): never => {
      throw new LedgerError("BadSnapshot", what);
    };
    let s: LedgerSnapshot;
    try {
      s = typeof snapshot === "string" ? (JSON.parse(snapshot) as LedgerSnapshot) : snapshot;
    } catch (err) {
      return bad(`not JSON: ${(err as Error).message}`);
    }
    if (typeof s !== "object" || s === null || s.version !== 1) return bad("unsupported snapshot version");
    const num = (what: string, v: unknown, bound: bigint): bigint => {
      if (typeof v !== "string" || !/^(0|[1-9][0-9]*)$/.test(v)) return bad(`${what} must be a decimal string`);
      const x = BigInt(v);
      return x < bound ? x : bad(`${what} = ${v} is out of range`);
    };
    const params = { chainId: num("chainId", s.chainId, TWO_64), K: s.K, D: s.D };
    try {
      checkParams(params);
    } catch (err) {
      return bad((err as Error).message);
    }
    const ledger = new Ledger(crypto, params);
    ledger.l2Block = num("l2Block", s.l2Block, TWO_64);
    ledger.queuePosition = num("queuePosition", s.queuePosition, TWO_64);
    ledger.queueHash = num("queueHash", s.queueHash, FIELD_R);
    if (!Array.isArray(s.accounts)) return bad("accounts must be an array");
    let last = -1;
    for (const account of s.accounts) {
      const { index } = account;
      if (!Number.isSafeInteger(index) || index <= last || index >= ledger.tree.size) {
        return bad(`account index ${String(index)} is out of range or out of order`);
      }
      last = index;
      const leaf: Leaf = {
        keyHash: num(`accounts[${index}].keyHash`, account.keyHash, FIELD_R),
        tokenId: num(`accounts[${index}].tokenId`, account.tokenId, TWO_32),
        balance: num(`accounts[${index}].balance`, account.balance, TWO_128),
        nonce: num(`accounts[${index}].nonce`, account.nonce, FIELD_R),
      };
      if (leaf.keyHash === 0n) return bad(`account ${index} has a zero keyHash`);
      ledger.tree.set(index, leaf);
    }
    if (num("stateRoot", s.stateRoot, FIELD_R) !== ledger.stateRoot()) {
      return bad("the state root does not match the accounts and counters");
    }
    return ledger;
  }
}

/** The five public signals of §7 in circuit order: prevRoot, newRoot, queueHash, withdrawalRoot, meta. */
export function publicSignalsOf(trace: BatchTrace): PublicSignals {
  return [trace.prevRoot, trace.newRoot, trace.after.queueHash, trace.withdrawalRoot, trace.meta];
}
