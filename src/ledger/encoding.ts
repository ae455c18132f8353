/**
 * Encodings of docs/LEDGER.md: queue items and their rolling hash (§4), signed messages (§5), withdrawal
 * entries and their Merkle root (§6), the state root (§3) and the packed `meta` public signal (§7).
 */
import type { LedgerCrypto } from "./crypto.ts";
import {
  FIELD_R,
  OpType,
  QueueKind,
  type DepositItem,
  type ForcedMessageItem,
  type ForcedWithdrawalItem,
  type QueueItem,
  type StateHeader,
} from "./types.ts";

/** 2^8: bound of a queue item's kind. */
export const TWO_8 = 1n << 8n;
/** 2^32: bound of token ids and account indices in `w0`. */
export const TWO_32 = 1n << 32n;
/** 2^64: bound of each field packed into `meta`. */
export const TWO_64 = 1n << 64n;
/** 2^128: bound of amounts and balances. */
export const TWO_128 = 1n << 128n;
/** 2^160: bound of settlement-chain (L1) addresses. */
export const TWO_160 = 1n << 160n;
/** 2^200: bound of `w0`. */
export const TWO_200 = 1n << 200n;

/** Bit offset of `tokenId` in `w0` (docs/LEDGER.md §4). */
export const W0_TOKEN_SHIFT = 8n;
/** Bit offset of `accountIndex` in `w0`. */
export const W0_INDEX_SHIFT = 40n;
/** Bit offset of `amount` in `w0`. */
export const W0_AMOUNT_SHIFT = 72n;

/** Thrown for a value outside the range an encoding allows. */
export class LedgerEncodingError extends Error {
  override name = "LedgerEncodingError";
}

/** The fields packed into a queue item's `w0`. */
export interface W0Fields {
  kind: bigint;
  tokenId: bigint;
  accountIndex: bigint;
  amount: bigint;
}

/**
 * Throws a `LedgerEncodingError` unless `value` is a bigint in [0, bound).
 * @param what the value's name, for the message.
 */
export function checkRange(what: string, value: bigint, bound: bigint): void {
  if (typeof value !== "bigint") throw new LedgerEncodingError(`${what} must be a bigint, got ${typeof value}`);
  if (value < 0n || value >= bound) {
    throw new LedgerEncodingError(`${what} = ${value} is out of range [0, ${bound})`);
  }
}

/** `w0 = kind + tokenId·2^8 + accountIndex·2^40 + amount·2^72`, with each field range-checked (§4). */
export function packW0({ kind, tokenId, accountIndex, amount }: W0Fields): bigint {
  checkRange("kind", kind, TWO_8);
  checkRange("tokenId", tokenId, TWO_32);
  checkRange("accountIndex", accountIndex, TWO_32);
  checkRange("amount", amount, TWO_128);
  return kind + (tokenId << W0_TOKEN_SHIFT) + (accountIndex << W0_INDEX_SHIFT) + (amount << W0_AMOUNT_SHIFT);
}

/** Splits `w0` (< 2^200) into its fields; the inverse of `packW0`. */
export function unpackW0(w0: bigint): W0Fields {
  checkRange("w0", w0, TWO_200);
  return {
    kind: w0 & (TWO_8 - 1n),
    tokenId: (w0 >> W0_TOKEN_SHIFT) & (TWO_32 - 1n),
    accountIndex: (w0 >> W0_INDEX_SHIFT) & (TWO_32 - 1n),
    amount: w0 >> W0_AMOUNT_SHIFT,
  };
}

/**
 * The queue item of a deposit (kind 1): `w0` packs the fields, `w1 = keyHash` (non-zero, < r),
 * `w2 = refund` (an L1 address, < 2^160).
 */
export function depositItem({ tokenId, accountIndex, amount, keyHash, refund }: DepositItem): QueueItem {
  const w0 = packW0({ kind: BigInt(QueueKind.Deposit), tokenId, accountIndex, amount });
  checkRange("keyHash", keyHash, FIELD_R);
  if (keyHash === 0n) throw new LedgerEncodingError("keyHash of a deposit must be non-zero");
  checkRange("refund", refund, TWO_160);
  return { w0, w1: keyHash, w2: refund };
}

/**
 * Decodes a deposit queue item (kind 1) and checks it is well formed (§4).
 * @throws LedgerEncodingError when the kind is not 1 or a word is out of range.
 */
export function decodeDepositItem(item: QueueItem): DepositItem {
  const { kind, tokenId, accountIndex, amount } = unpackW0(item.w0);
  if (kind !== BigInt(QueueKind.Deposit)) throw new LedgerEncodingError(`queue item kind ${kind} is not a deposit`);
  checkRange("keyHash", item.w1, FIELD_R);
  if (item.w1 === 0n) throw new LedgerEncodingError("keyHash of a deposit must be non-zero");
  checkRange("refund", item.w2, TWO_160);
  return { tokenId, accountIndex, amount, keyHash: item.w1, refund: item.w2 };
}

/**
 * The queue item of a forced withdrawal (kind 2), as the settlement queue encodes it: `w0` packs
 * `(2, tokenId, accountIndex = the slot, amount)`, `w1 = keyHash` of the owner's key (non-zero, < r; the
 * contract verified the owner's signature), `w2 = recipient` (an L1 address, < 2^160).
 */
export function forcedWithdrawalItem({
  tokenId,
  accountIndex,
  amount,
  keyHash,
  recipient,
}: ForcedWithdrawalItem): QueueItem {
  const w0 = packW0({ kind: BigInt(QueueKind.ForcedWithdrawal), tokenId, accountIndex, amount });
  checkRange("keyHash", keyHash, FIELD_R);
  if (keyHash === 0n) throw new LedgerEncodingError("keyHash of a forced withdrawal must be non-zero");
  checkRange("recipient", recipient, TWO_160);
  return { w0, w1: keyHash, w2: recipient };
}

/**
 * Decodes a forced withdrawal item (kind 2) and checks it is well formed (§4).
 * @throws LedgerEncodingError when the kind is not 2 or a word is out of range.
 */
export function decodeForcedWithdrawalItem(item: QueueItem): ForcedWithdrawalItem {
  const { kind, tokenId, accountIndex, amount } = unpackW0(item.w0);
  if (kind !== BigInt(QueueKind.ForcedWithdrawal)) {
    throw new LedgerEncodingError(`queue item kind ${kind} is not a forced withdrawal`);
  }
  checkRange("keyHash", item.w1, FIELD_R);
  if (item.w1 === 0n) throw new LedgerEncodingError("keyHash of a forced withdrawal must be non-zero");
  checkRange("recipient", item.w2, TWO_160);
  return { tokenId, accountIndex, amount, keyHash: item.w1, recipient: item.w2 };
}

/**
 * The queue item of a forced message (kind 3): `w0 = 3` (the other `w0` fields 0), `w1 = payloadHash`
 * (a field element, < r), `w2 = sender` (an L1 address, < 2^160).
 */
export function forcedMessageItem({ payloadHash, sender }: ForcedMessageItem): QueueItem {
  checkRange("payloadHash", payloadHash, FIELD_R);
  checkRange("sender", sender, TWO_160);
  return { w0: BigInt(QueueKind.ForcedMessage), w1: payloadHash, w2: sender };
}

/**
 * Decodes a forced message item (kind 3) and checks it is well formed (§4).
 * @throws LedgerEncodingError when `w0 ≠ 3` or a word is out of range.
 */
export function decodeForcedMessageItem(item: QueueItem): ForcedMessageItem {
  checkRange("w0", item.w0, TWO_200);
  if (item.w0 !== BigInt(QueueKind.ForcedMessage)) {
    throw new LedgerEncodingError(`queue item w0 = ${item.w0} is not a forced message (w0 = 3)`);
  }
  checkRange("payloadHash", item.w1, FIELD_R);
  checkRange("sender", item.w2, TWO_160);
  return { payloadHash: item.w1, sender: item.w2 };
}

/** One step of the queue's rolling hash: `H_4(h, w0, w1, w2)` (§4). */
export function queueStep(crypto: LedgerCrypto, h: bigint, item: QueueItem): bigint {
  return crypto.poseidon([h, item.w0, item.w1, item.w2]);
}

/** The rolling hash after `items`, starting from `h` (default `h_0 = 0`). */
export function queueHashOf(crypto: LedgerCrypto, items: readonly QueueItem[], h = 0n): bigint {
  return items.reduce((acc, item) => queueStep(crypto, acc, item), h);
}

/** `meta = chainId + l2Block·2^64 + queuePosition·2^128`, each below 2^64 (§7). */
export function packMeta(chainId: bigint, l2Block: bigint, queuePosition: bigint): bigint {
  checkRange("chainId", chainId, TWO_64);
  checkRange("l2Block", l2Block, TWO_64);
  checkRange("queuePosition", queuePosition, TWO_64);
  return chainId + (l2Block << 64n) + (queuePosition << 128n);
}

/** Splits `meta` (< 2^192) into `(chainId, l2Block, queuePosition)`; the inverse of `packMeta`. */
export function unpackMeta(meta: bigint): { chainId: bigint; l2Block: bigint; queuePosition: bigint } {
  checkRange("meta", meta, 1n << 192n);
  return { chainId: meta & (TWO_64 - 1n), l2Block: (meta >> 64n) & (TWO_64 - 1n), queuePosition: meta >> 128n };
}

/** The message a transfer's sender signs: `H_6(2, chainId, from, to, amount, nonce)` (§5). */
export function transferMessage(
  crypto: LedgerCrypto,
  chainId: bigint,
  from: number,
  to: number,
  amount: bigint,
  nonce: bigint,
): bigint {
  return crypto.poseidon([BigInt(OpType.Transfer), chainId, BigInt(from), BigInt(to), amount, nonce]);
}

/** The message a withdrawal's sender signs: `H_6(3, chainId, from, recipient, amount, nonce)` (§5). */
export function withdrawMessage(
  crypto: LedgerCrypto,
  chainId: bigint,
  from: number,
  recipient: bigint,
  amount: bigint,
  nonce: bigint,
): bigint {
  return crypto.poseidon([BigInt(OpType.Withdraw), chainId, BigInt(from), recipient, amount, nonce]);
}

/** A withdrawal entry `E_k = H_3(recipient, tokenId, amount)` (§6). */
export function withdrawalEntryHash(crypto: LedgerCrypto, recipient: bigint, tokenId: bigint, amount: bigint): bigint {
  return crypto.poseidon([recipient, tokenId, amount]);
}

/** Whether `n` is a positive power of two (a safe integer). */
export function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1 && 2 ** Math.round(Math.log2(n)) === n;
}

/**
 * The `H_2` Merkle root over `leaves` (a power of two of them; one leaf is its own root), as for the
 * withdrawal list (§6).
 */
export function merkleRootOf(crypto: LedgerCrypto, leaves: readonly bigint[]): bigint {
  if (!isPowerOfTwo(leaves.length)) {
    throw new LedgerEncodingError(`a Merkle root needs a power-of-two number of leaves, got ${leaves.length}`);
  }
  let level = [...leaves];
  while (level.length > 1) {
    const next: bigint[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(crypto.poseidon([level[i]!, level[i + 1]!]));
    level = next;
  }
  return level[0]!;
}

/** `stateRoot = H_4(accountsRoot, l2Block, queuePosition, queueHash)` (§3). */
export function stateRootOf(crypto: LedgerCrypto, header: StateHeader): bigint {
  return crypto.poseidon([header.accountsRoot, header.l2Block, header.queuePosition, header.queueHash]);
}
