/**
 * Test harness of the ledger circuit (circuits/ledger/ledger.circom): witness computation from the committed
 * wasm (circuits/artifacts/<instance>/circuit.wasm), the witness's public signals, and a "forging executor"
 * that re-derives every derived input of a (possibly tampered) circuit input the way the circuit computes it,
 * without any of its checks. Tampering one primary field (amount, nonce, opType, a queue word…) and
 * re-deriving the rest gives an input that breaks exactly the rule under test, so a failing witness shows that
 * this rule is constrained, not that some unrelated root stopped matching.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import * as snarkjs from "snarkjs";

import {
  AccountTree,
  FIELD_R,
  merkleRootOf,
  TWO_128,
  type Ledger,
  type LedgerCrypto,
  type Wallet,
} from "../../src/ledger/index.ts";
import type { CircuitInput } from "../../src/ledger/witness.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The smallest instance used by the negative tests and the model test: K = 2 slots, depth D = 4. */
export const TEST_INSTANCE = { name: "ledger_k2_d4", K: 2, D: 4 } as const;

/** The shipped instance (src/prover/artifacts.ts SHIPPED_INSTANCE). */
export const SHIPPED = { name: "ledger_k4_d8", K: 4, D: 8 } as const;

/** The committed witness wasm of `instance`, or undefined when it has not been built. */
export function circuitWasm(instance: string): string | undefined {
  const path = join(ROOT, "circuits", "artifacts", instance, "circuit.wasm");
  return existsSync(path) ? path : undefined;
}

/** `circuitWasm`, throwing with the command that builds it when it is missing. */
export function requireWasm(instance: string): string {
  const path = circuitWasm(instance);
  if (!path) {
    throw new Error(
      `missing circuits/artifacts/${instance}/circuit.wasm: run node scripts/circuits/compile.ts ${instance} ` +
        `and copy circuits/build/${instance}/${instance}_js/${instance}.wasm there (or run the setup script)`,
    );
  }
  return path;
}

function u32(b: Uint8Array, o: number): number {
  return new DataView(b.buffer, b.byteOffset + o, 4).getUint32(0, true);
}

function leBigint(b: Uint8Array, o: number, n: number): bigint {
  let x = 0n;
  for (let i = n - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[o + i]!);
  return x;
}

/** Parses snarkjs' binary `.wtns` format (sections: 1 = header with n8 and the count, 2 = the values). */
export function parseWtns(data: Uint8Array): bigint[] {
  if (String.fromCharCode(...data.subarray(0, 4)) !== "wtns") throw new Error("not a wtns file");
  const nSections = u32(data, 8);
  let o = 12;
  let n8 = 0;
  let count = 0;
  let values: bigint[] | undefined;
  for (let s = 0; s < nSections; s++) {
    const type = u32(data, o);
    const size = Number(leBigint(data, o + 4, 8));
    const body = o + 12;
    if (type === 1) {
      n8 = u32(data, body);
      count = u32(data, body + 4 + n8);
    } else if (type === 2) {
      values = [];
      for (let i = 0; i < count; i++) values.push(leBigint(data, body + i * n8, n8));
    }
    o = body + size;
  }
  if (!values) throw new Error("wtns file without values");
  return values;
}

/** The full witness of `input` (index 0 is the constant 1); rejects when a constraint fails. */
export async function witnessOf(wasm: string, input: CircuitInput): Promise<bigint[]> {
  const out: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await snarkjs.wtns.calculate(input, wasm, out);
  if (!out.data) throw new Error("snarkjs returned no witness");
  return parseWtns(out.data);
}

/** The five public signals of a witness: entries 1 … 5 (there are no public outputs). */
export async function witnessPublicSignals(wasm: string, input: CircuitInput): Promise<bigint[]> {
  return (await witnessOf(wasm, input)).slice(1, 6);
}

/** Resolves to the error when the witness computation of `input` fails, and rejects when it succeeds. */
export async function witnessError(wasm: string, input: CircuitInput): Promise<Error> {
  // circom's witness calculator also prints the failed assertion with console.error: keep test output clean.
  const consoleError = console.error;
  console.error = () => {};
  try {
    await snarkjs.wtns.calculate(input, wasm, { type: "mem" });
  } catch (err) {
    return err as Error;
  } finally {
    console.error = consoleError;
  }
  throw new Error("the witness was computed: the forged input satisfies every constraint");
}

/** A deep copy of a circuit input. */
export function cloneInput(input: CircuitInput): CircuitInput {
  return JSON.parse(JSON.stringify(input)) as CircuitInput;
}

/** The decimal string `input[name][k]` as a bigint. */
export function slotValue(input: CircuitInput, name: string, k: number): bigint {
  const arr = input[name];
  if (!Array.isArray(arr)) throw new Error(`${name} is not a per-slot signal`);
  const v = arr[k];
  if (typeof v !== "string") throw new Error(`${name}[${k}] is not a scalar`);
  return BigInt(v);
}

/** Sets the per-slot scalar `input[name][k]`. */
export function setSlot(input: CircuitInput, name: string, k: number, value: bigint): void {
  const arr = input[name];
  if (!Array.isArray(arr) || typeof arr[k] !== "string") throw new Error(`${name}[${k}] is not a per-slot scalar`);
  (arr as string[])[k] = value.toString();
}

const mod = (x: bigint): bigint => ((x % FIELD_R) + FIELD_R) % FIELD_R;

/**
 * Signs slot k of `input` with `wallet` as the circuit reads it: `H_6(opType, chainId, indexA, to | recipient,
 * amount, nonce)`, with `to = indexB` for a transfer (opType 2) and `recipient` otherwise; sets Ax … S.
 */
export function signSlot(crypto: LedgerCrypto, input: CircuitInput, k: number, wallet: Wallet): void {
  const op = slotValue(input, "opType", k);
  const counterparty = op === 2n ? slotValue(input, "indexB", k) : slotValue(input, "recipient", k);
  const msg = crypto.poseidon([
    op,
    BigInt(input.chainId as string),
    slotValue(input, "indexA", k),
    counterparty,
    slotValue(input, "amount", k),
    slotValue(input, "nonce", k),
  ]);
  const sig = wallet.sign(msg);
  setSlot(input, "Ax", k, wallet.pubKey.Ax);
  setSlot(input, "Ay", k, wallet.pubKey.Ay);
  setSlot(input, "R8x", k, sig.R8x);
  setSlot(input, "R8y", k, sig.R8y);
  setSlot(input, "S", k, sig.S);
}

/** Options of `reexecute`. */
export interface ReexecuteOptions {
  /** Public signals to keep as they are in the input instead of re-deriving them. */
  keep?: ReadonlyArray<"prevRoot" | "newRoot" | "queueHash" | "withdrawalRoot" | "meta">;
  /** Overrides the circuit's credit decision of deposit slot k (to forge a refund or a credit). */
  credit?: (k: number, computed: boolean) => boolean;
  /** Overrides the circuit's decision of forced withdrawal slot k (to forge an execution or a no-op). */
  forced?: (k: number, computed: boolean) => boolean;
}

/**
 * Re-derives every derived signal of `input` from its primary per-slot signals (opType, w0…w2, indexA, indexB,
 * tokenId, amount, nonce, recipient) and its old state header, starting from `pre`'s account tree, with the
 * circuit's arithmetic (mod r) and none of its checks: each slot's leafA/siblingsA (at indexA mod 2^D),
 * the new leaf a (credited deposit, debit with nonce + 1, executed forced withdrawal, or unchanged),
 * leafB/siblingsB (at indexB after update a), a transfer's credit to b, the queue hash (every op type 1 item,
 * whatever the kind of w0's low byte), the entries, and the public signals (except `keep`).
 * An opType outside 0…3 is executed as a no-op. On a valid input it reproduces the input exactly.
 */
export function reexecute(
  crypto: LedgerCrypto,
  pre: Ledger,
  input: CircuitInput,
  options: ReexecuteOptions = {},
): CircuitInput {
  const out = cloneInput(input);
  const K = (out.opType as string[]).length;
  const D = pre.D;
  const size = 1n << BigInt(D);
  const tree = new AccountTree(crypto, D);
  for (const { index, leaf } of pre.accounts()) tree.set(index, leaf);
  const chainId = BigInt(out.chainId as string);
  const oldHeader = ["oldAccountsRoot", "oldL2Block", "oldQueuePosition", "oldQueueHash"].map((n) =>
    BigInt(out[n] as string),
  ) as [bigint, bigint, bigint, bigint];
  let qh = oldHeader[3];
  let qp = oldHeader[2];
  const entries: bigint[] = [];
  const leafA: string[][] = [];
  const siblingsA: string[][] = [];
  const leafB: string[][] = [];
  const siblingsB: string[][] = [];
  for (let k = 0; k < K; k++) {
    const v = (name: string): bigint => slotValue(out, name, k);
    const rawOp = v("opType");
    const op = rawOp >= 0n && rawOp <= 3n ? Number(rawOp) : 0;
    const [w0, w1, w2, indexA, indexB, tokenId, amount, recipient] = [
      "w0",
      "w1",
      "w2",
      "indexA",
      "indexB",
      "tokenId",
      "amount",
      "recipient",
    ].map(v) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
    const signed = op === 2 || op === 3 ? 1n : 0n;

    const ia = Number(indexA % size);
    const a = tree.leaf(ia);
    leafA.push([a.keyHash, a.tokenId, a.balance, a.nonce].map(String));
    siblingsA.push(tree.siblings(ia).map(String));
    const creditable =
      indexA < size &&
      (a.keyHash === 0n || (a.keyHash === w1 && a.tokenId === tokenId)) &&
      a.balance + amount < TWO_128;
    const kind = op === 1 ? w0 & 255n : 0n;
    const credit = kind === 1n && (options.credit ? options.credit(k, creditable) : creditable);
    const executable =
      indexA < size &&
      a.keyHash !== 0n &&
      a.keyHash === w1 &&
      a.tokenId === tokenId &&
      amount > 0n &&
      amount <= a.balance;
    const forced = kind === 2n && (options.forced ? options.forced(k, executable) : executable);
    tree.set(ia, {
      keyHash: credit ? w1 : a.keyHash,
      tokenId: credit ? tokenId : a.tokenId,
      balance: mod(a.balance + amount * ((credit ? 1n : 0n) - signed - (forced ? 1n : 0n))),
      nonce: mod(a.nonce + signed),
    });

    const ib = Number(indexB % size);
    const b = tree.leaf(ib);
    leafB.push([b.keyHash, b.tokenId, b.balance, b.nonce].map(String));
    siblingsB.push(tree.siblings(ib).map(String));
    if (op === 2) tree.set(ib, { ...b, balance: mod(b.balance + amount) });

    if (op === 1) {
      qh = crypto.poseidon([qh, w0, w1, w2]);
      qp += 1n;
    }
    const hasEntry = op === 3 || (kind === 1n && !credit) || forced;
    entries.push(hasEntry ? crypto.poseidon([op === 3 ? recipient : w2, tokenId, amount]) : 0n);
  }
  out.leafA = leafA;
  out.siblingsA = siblingsA;
  out.leafB = leafB;
  out.siblingsB = siblingsB;
  const l2Block = oldHeader[1] + 1n;
  // The circuit hashes the *public* queueHash into newRoot: a kept queueHash goes into newRoot too, so that
  // only the queue-hash equality itself is broken.
  const finalQueueHash = options.keep?.includes("queueHash") ? BigInt(out.queueHash as string) : qh;
  const derived = {
    prevRoot: crypto.poseidon(oldHeader),
    newRoot: crypto.poseidon([tree.root(), l2Block, qp, finalQueueHash]),
    queueHash: qh,
    withdrawalRoot: merkleRootOf(crypto, entries),
    meta: mod(chainId + (l2Block << 64n) + (qp << 128n)),
  };
  for (const [name, value] of Object.entries(derived)) {
    if (!options.keep?.includes(name as keyof typeof derived)) out[name] = value.toString();
  }
  return out;
}
