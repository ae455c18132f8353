/**
 * The account tree of docs/LEDGER.md §2: a dense binary Poseidon Merkle tree of depth D over leaves
 * `H_4(keyHash, tokenId, balance, nonce)`, stored sparsely (only nodes that differ from the empty tree's
 * `Z_l` are kept), so memory is O(accounts · D) and `set` costs D + 1 hashes.
 */
import type { LedgerCrypto } from "./crypto.ts";
import { FIELD_R, type Leaf } from "./types.ts";

/** The smallest supported tree depth. */
export const MIN_DEPTH = 1;
/** The largest supported tree depth (account indices are 32-bit in `w0`). */
export const MAX_DEPTH = 32;

/** A fresh empty leaf `(0, 0, 0, 0)`. */
export function emptyLeaf(): Leaf {
  return { keyHash: 0n, tokenId: 0n, balance: 0n, nonce: 0n };
}

/** Whether `leaf` is the empty leaf `(0, 0, 0, 0)`. */
export function isEmptyLeaf(leaf: Leaf): boolean {
  return leaf.keyHash === 0n && leaf.tokenId === 0n && leaf.balance === 0n && leaf.nonce === 0n;
}

/** A copy of `leaf`. */
export function copyLeaf(leaf: Leaf): Leaf {
  return { keyHash: leaf.keyHash, tokenId: leaf.tokenId, balance: leaf.balance, nonce: leaf.nonce };
}

/** `leafHash = H_4(keyHash, tokenId, balance, nonce)`. */
export function leafHash(crypto: LedgerCrypto, leaf: Leaf): bigint {
  return crypto.poseidon([leaf.keyHash, leaf.tokenId, leaf.balance, leaf.nonce]);
}

const zeroCache = new WeakMap<LedgerCrypto, bigint[]>();

/** `[Z_0, …, Z_32]`: `Z_0 = H_4(0, 0, 0, 0)`, `Z_{l+1} = H_2(Z_l, Z_l)` (cached per crypto instance). */
export function zeroHashes(crypto: LedgerCrypto): readonly bigint[] {
  let zeros = zeroCache.get(crypto);
  if (!zeros) {
    zeros = [crypto.poseidon([0n, 0n, 0n, 0n])];
    for (let l = 0; l < MAX_DEPTH; l++) zeros.push(crypto.poseidon([zeros[l]!, zeros[l]!]));
    zeroCache.set(crypto, zeros);
  }
  return zeros;
}

/** The index of the sibling of node `index` (safe for indices ≥ 2^31, unlike `index ^ 1`). */
function sibling(index: number): number {
  return index % 2 === 0 ? index + 1 : index - 1;
}

function checkDepth(D: number): void {
  if (!Number.isInteger(D) || D < MIN_DEPTH || D > MAX_DEPTH) {
    throw new RangeError(`tree depth D = ${D} must be an integer in [${MIN_DEPTH}, ${MAX_DEPTH}]`);
  }
}

/** The root of the empty account tree of depth D: `Z_D`. */
export function emptyRoot(crypto: LedgerCrypto, D: number): bigint {
  checkDepth(D);
  return zeroHashes(crypto)[D]!;
}

/** The genesis state root `H_4(emptyRoot(D), 0, 0, 0)` (§3), with which a chain is registered. */
export function genesisRoot(crypto: LedgerCrypto, D: number): bigint {
  return crypto.poseidon([emptyRoot(crypto, D), 0n, 0n, 0n]);
}

/** A dense Poseidon Merkle tree of depth D over account leaves, stored sparsely. */
export class AccountTree {
  /** The tree depth; slots are `0 … 2^D − 1`. */
  readonly D: number;
  /** The number of slots, `2^D`. */
  readonly size: number;
  private readonly crypto: LedgerCrypto;
  private readonly zeros: readonly bigint[];
  /** Non-empty leaves by slot index. */
  private leaves: Map<number, Leaf>;
  /** nodes[l]: the level-l nodes (level 0 = leaf hashes, level D = root) that differ from Z_l. */
  private nodes: Map<number, bigint>[];

  /** An empty tree of depth D (1 ≤ D ≤ 32). */
  constructor(crypto: LedgerCrypto, D: number) {
    checkDepth(D);
    this.crypto = crypto;
    this.D = D;
    this.size = 2 ** D;
    this.zeros = zeroHashes(crypto);
    this.leaves = new Map();
    this.nodes = Array.from({ length: D + 1 }, () => new Map<number, bigint>());
  }

  /** Throws a RangeError unless `i` is an integer slot index in [0, 2^D). */
  checkIndex(i: number): void {
    if (!Number.isSafeInteger(i) || i < 0 || i >= this.size) {
      throw new RangeError(`account index ${i} is out of range [0, ${this.size})`);
    }
  }

  private node(level: number, index: number): bigint {
    return this.nodes[level]!.get(index) ?? this.zeros[level]!;
  }

  private putNode(level: number, index: number, value: bigint): void {
    if (value === this.zeros[level]) this.nodes[level]!.delete(index);
    else this.nodes[level]!.set(index, value);
  }

  /** The root, `Z_D` for the empty tree. */
  root(): bigint {
    return this.node(this.D, 0);
  }

  /** A copy of the leaf at slot `i` (the empty leaf when unused). */
  leaf(i: number): Leaf {
    this.checkIndex(i);
    const leaf = this.leaves.get(i);
    return leaf ? copyLeaf(leaf) : emptyLeaf();
  }

  /** The Merkle path of slot `i`: `siblings[l]` at level l, leaf level first; length D. */
  siblings(i: number): bigint[] {
    this.checkIndex(i);
    const out: bigint[] = [];
    let index = i;
    for (let l = 0; l < this.D; l++) {
      out.push(this.node(l, sibling(index)));
      index = Math.floor(index / 2);
    }
    return out;
  }

  /** Sets slot `i` to `leaf` (every field in [0, r)) and updates the path to the root: D + 1 hashes. */
  set(i: number, leaf: Leaf): void {
    this.checkIndex(i);
    for (const [name, value] of Object.entries(leaf)) {
      if (typeof value !== "bigint" || value < 0n || value >= FIELD_R) {
        throw new RangeError(`leaf field ${name} = ${String(value)} is not a field element`);
      }
    }
    const empty = isEmptyLeaf(leaf);
    if (empty) this.leaves.delete(i);
    else this.leaves.set(i, copyLeaf(leaf));
    let h = empty ? this.zeros[0]! : leafHash(this.crypto, leaf);
    let index = i;
    this.putNode(0, index, h);
    for (let l = 0; l < this.D; l++) {
      const other = this.node(l, sibling(index));
      h = index % 2 === 0 ? this.crypto.poseidon([h, other]) : this.crypto.poseidon([other, h]);
      index = Math.floor(index / 2);
      this.putNode(l + 1, index, h);
    }
  }

  /** The non-empty slots in increasing index order, with copies of their leaves. */
  entries(): Array<{ index: number; leaf: Leaf }> {
    return [...this.leaves.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, leaf]) => ({ index, leaf: copyLeaf(leaf) }));
  }

  /** The number of non-empty slots. */
  get count(): number {
    return this.leaves.size;
  }

  /** An independent copy of this tree. */
  clone(): AccountTree {
    const copy = new AccountTree(this.crypto, this.D);
    copy.leaves = new Map(this.leaves);
    copy.nodes = this.nodes.map((level) => new Map(level));
    return copy;
  }
}
