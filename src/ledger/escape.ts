/**
 * Escape proofs (docs/LEDGER.md §9): when a chain is frozen, the owner of an account slot proves the slot's
 * leaf against the chain's last final state root and signs `M = H_4(4, chainId, slot, recipient)`; the
 * settlement chain's `LedgerEscapeVerifier` checks the proof and the escrow pays the balance to `recipient`,
 * once per slot.
 */
import { AbiCoder, getAddress, hexlify, isAddress } from "ethers";

import type { LedgerCrypto } from "./crypto.ts";
import { checkRange, TWO_160, TWO_32 } from "./encoding.ts";
import type { Ledger } from "./ledger.ts";
import type { Leaf, PubKey, Signature, StateHeader } from "./types.ts";
import type { Wallet } from "./wallet.ts";

/** The operation type of an escape in its signed message; the circuit accepts only 0 … 3 (§5). */
export const ESCAPE_OP = 4n;

/**
 * The ABI type of an encoded escape proof: `abi.encode(EscapeProof)` of contracts/verifiers/LedgerEscapeVerifier.sol,
 * `32·(17 + D)` bytes.
 */
export const ESCAPE_PROOF_ABI =
  "tuple(uint256 slot, uint256 keyHash, uint256 tokenId, uint256 balance, uint256 nonce, uint256 accountsRoot, " +
  "uint256 l2Block, uint256 queuePosition, uint256 queueHash, uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, " +
  "uint256 s, uint256[] siblings)";

/** An escape proof in structured form. */
export interface EscapeProof {
  /** The account slot, < 2^D. */
  slot: number;
  /** The slot's leaf in the state being escaped from. */
  leaf: Leaf;
  /** The Merkle path of the slot: `siblings[l]` at level l, leaf level first; length D. */
  siblings: bigint[];
  /** The state header whose `H_4` is the state root (§3). */
  header: StateHeader;
  /** The owner's public key; `H_2(Ax, Ay)` is the leaf's `keyHash`. */
  pubKey: PubKey;
  /** The owner's signature of `escapeMessage(chainId, slot, recipient)`. */
  sig: Signature;
}

/** `buildEscapeProof`'s result. */
export interface BuiltEscapeProof {
  /** The structured proof. */
  proof: EscapeProof;
  /** `abi.encode(EscapeProof)`: the `proof` argument of `verifyEscape`. */
  encoded: string;
  /** The signed message `H_4(4, chainId, slot, recipient)`. */
  message: bigint;
  /** The state root the proof is against (the ledger's current one). */
  stateRoot: bigint;
  /** The recipient as a checksummed address. */
  recipient: string;
}

/** Thrown when an escape proof cannot be built: an empty slot, a zero balance or another owner's wallet. */
export class EscapeProofError extends Error {
  override name = "EscapeProofError";
}

/** A settlement-chain address (hex string or its uint160 value) as a bigint < 2^160. */
function recipientValue(recipient: bigint | string): bigint {
  if (typeof recipient === "string") {
    if (!isAddress(recipient)) throw new EscapeProofError(`recipient ${recipient} is not an address`);
    return BigInt(getAddress(recipient));
  }
  checkRange("recipient", recipient, TWO_160);
  return recipient;
}

/**
 * The message the owner of `slot` signs to escape to `recipient`: `H_4(4, chainId, slot, recipient)` (§9),
 * `recipient` being the uint160 of the settlement-chain address.
 */
export function escapeMessage(crypto: LedgerCrypto, chainId: bigint, slot: number, recipient: bigint | string): bigint {
  if (!Number.isSafeInteger(slot) || slot < 0 || BigInt(slot) >= TWO_32) {
    throw new EscapeProofError(`slot ${slot} is not an account index in [0, 2^32)`);
  }
  checkRange("chainId", chainId, 1n << 64n);
  return crypto.poseidon([ESCAPE_OP, chainId, BigInt(slot), recipientValue(recipient)]);
}

/** `abi.encode(EscapeProof)` of a structured proof (no validity checks: tests encode invalid ones too). */
export function encodeEscapeProof(proof: EscapeProof): string {
  const { slot, leaf, siblings, header, pubKey, sig } = proof;
  return AbiCoder.defaultAbiCoder().encode(
    [ESCAPE_PROOF_ABI],
    [
      {
        slot: BigInt(slot),
        keyHash: leaf.keyHash,
        tokenId: leaf.tokenId,
        balance: leaf.balance,
        nonce: leaf.nonce,
        accountsRoot: header.accountsRoot,
        l2Block: header.l2Block,
        queuePosition: header.queuePosition,
        queueHash: header.queueHash,
        ax: pubKey.Ax,
        ay: pubKey.Ay,
        r8x: sig.R8x,
        r8y: sig.R8y,
        s: sig.S,
        siblings,
      },
    ],
  );
}

/** The fields of `ESCAPE_PROOF_ABI`, as ethers decodes them. */
interface EncodedEscapeProof {
  slot: bigint;
  keyHash: bigint;
  tokenId: bigint;
  balance: bigint;
  nonce: bigint;
  accountsRoot: bigint;
  l2Block: bigint;
  queuePosition: bigint;
  queueHash: bigint;
  ax: bigint;
  ay: bigint;
  r8x: bigint;
  r8y: bigint;
  s: bigint;
  siblings: bigint[];
}

/** Decodes `encodeEscapeProof`'s output (bytes or hex). */
export function decodeEscapeProof(encoded: string | Uint8Array): EscapeProof {
  const [t] = AbiCoder.defaultAbiCoder().decode([ESCAPE_PROOF_ABI], hexlify(encoded));
  const p = t as EncodedEscapeProof;
  return {
    slot: Number(p.slot),
    leaf: { keyHash: p.keyHash, tokenId: p.tokenId, balance: p.balance, nonce: p.nonce },
    siblings: [...p.siblings],
    header: {
      accountsRoot: p.accountsRoot,
      l2Block: p.l2Block,
      queuePosition: p.queuePosition,
      queueHash: p.queueHash,
    },
    pubKey: { Ax: p.ax, Ay: p.ay },
    sig: { R8x: p.r8x, R8y: p.r8y, S: p.s },
  };
}

/**
 * The escape proof of `slot` against `ledger`'s current state (its header and the slot's Merkle path), signed
 * by `wallet` for `recipient`. The ledger's state should be the chain's last final state: that is the root
 * the escrow checks against.
 * @throws EscapeProofError when the slot is empty, its balance is zero or `wallet` does not own it (the
 *   verifier would reject the proof), or the recipient is not an address.
 */
export function buildEscapeProof(
  ledger: Ledger,
  wallet: Wallet,
  slot: number,
  recipient: bigint | string,
): BuiltEscapeProof {
  const leaf = ledger.leaf(slot);
  if (leaf.keyHash === 0n) throw new EscapeProofError(`slot ${slot} is empty`);
  if (leaf.balance === 0n) throw new EscapeProofError(`slot ${slot} has a zero balance: nothing to escape`);
  if (wallet.keyHash !== leaf.keyHash) throw new EscapeProofError(`the wallet does not own slot ${slot}`);
  const to = recipientValue(recipient);
  const message = escapeMessage(ledger.crypto, ledger.chainId, slot, to);
  const proof: EscapeProof = {
    slot,
    leaf,
    siblings: ledger.siblings(slot),
    header: ledger.header(),
    pubKey: { ...wallet.pubKey },
    sig: wallet.sign(message),
  };
  return {
    proof,
    encoded: encodeEscapeProof(proof),
    message,
    stateRoot: ledger.stateRoot(),
    recipient: getAddress("0x" + to.toString(16).padStart(40, "0")),
  };
}
