/**
 * A ledger account owner's key: a Baby Jubjub EdDSA key that signs transfers and withdrawals
 * (docs/LEDGER.md §5).
 */
import { createHash } from "node:crypto";

import { getCryptoSync, type LedgerCrypto } from "./crypto.ts";
import { checkRange, TWO_128, TWO_160, transferMessage, withdrawMessage } from "./encoding.ts";
import { FIELD_R, OpType, type PubKey, type Signature, type TransferOp, type WithdrawOp } from "./types.ts";

/** The parameters of a transfer to sign. */
export interface TransferParams {
  chainId: bigint;
  from: number;
  to: number;
  amount: bigint;
  /** The sender slot's nonce before the operation. */
  nonce: bigint;
}

/** The parameters of a withdrawal to sign. */
export interface WithdrawParams {
  chainId: bigint;
  from: number;
  /** The L1 recipient address, < 2^160. */
  recipient: bigint;
  amount: bigint;
  /** The sender slot's nonce before the operation. */
  nonce: bigint;
}

function checkSlot(what: string, i: number): void {
  if (!Number.isSafeInteger(i) || i < 0 || i >= 2 ** 32) {
    throw new RangeError(`${what} = ${i} is not an account index in [0, 2^32)`);
  }
}

/**
 * An EdDSA-Poseidon key pair. Construction is synchronous: pass the `LedgerCrypto` from `await getCrypto()`,
 * or omit it once `getCrypto()` has resolved (it then uses `getCryptoSync()`).
 */
export class Wallet {
  /** The Baby Jubjub public key. */
  readonly pubKey: PubKey;
  /** `H_2(Ax, Ay)`, the key hash that account leaves and deposits name. */
  readonly keyHash: bigint;
  private readonly privateKey: Uint8Array;
  private readonly crypto: LedgerCrypto;

  /** A wallet for a 32-byte private key (copied). */
  constructor(privateKey: Uint8Array, crypto: LedgerCrypto = getCryptoSync()) {
    if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) {
      throw new TypeError("a wallet private key must be a 32-byte Uint8Array");
    }
    this.crypto = crypto;
    this.privateKey = Uint8Array.from(privateKey);
    this.pubKey = crypto.pubKeyOf(this.privateKey);
    this.keyHash = crypto.keyHash(this.pubKey);
  }

  /** A deterministic wallet whose private key is the SHA-256 of the UTF-8 `seed` (for tests and demos). */
  static fromSeed(seed: string, crypto?: LedgerCrypto): Wallet {
    const key = new Uint8Array(createHash("sha256").update(seed, "utf8").digest());
    return new Wallet(key, crypto);
  }

  /** Signs `H_6(2, chainId, from, to, amount, nonce)` and returns the transfer operation. */
  transfer({ chainId, from, to, amount, nonce }: TransferParams): TransferOp {
    checkSlot("from", from);
    checkSlot("to", to);
    checkRange("amount", amount, TWO_128);
    checkRange("nonce", nonce, FIELD_R);
    checkRange("chainId", chainId, FIELD_R);
    const msg = transferMessage(this.crypto, chainId, from, to, amount, nonce);
    return {
      type: OpType.Transfer,
      from,
      to,
      amount,
      nonce,
      pubKey: { ...this.pubKey },
      sig: this.crypto.sign(this.privateKey, msg),
    };
  }

  /** Signs `H_6(3, chainId, from, recipient, amount, nonce)` and returns the withdrawal operation. */
  withdraw({ chainId, from, recipient, amount, nonce }: WithdrawParams): WithdrawOp {
    checkSlot("from", from);
    checkRange("recipient", recipient, TWO_160);
    checkRange("amount", amount, TWO_128);
    checkRange("nonce", nonce, FIELD_R);
    checkRange("chainId", chainId, FIELD_R);
    const msg = withdrawMessage(this.crypto, chainId, from, recipient, amount, nonce);
    return {
      type: OpType.Withdraw,
      from,
      recipient,
      amount,
      nonce,
      pubKey: { ...this.pubKey },
      sig: this.crypto.sign(this.privateKey, msg),
    };
  }

  /** Signs an arbitrary field element (for tests of invalid signatures and custom messages). */
  sign(msg: bigint): Signature {
    return this.crypto.sign(this.privateKey, msg);
  }
}
