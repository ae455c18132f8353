/**
 * The witness builder of `circuits/ledger/ledger.circom` (`LedgerBatch(K, D)`): maps a `BatchTrace` of the
 * reference ledger to the circuit's input signals (decimal strings), for `snarkjs.wtns.calculate` or
 * `snarkjs.groth16.fullProve`. The signal names and their meaning per operation type are documented in
 * `circuits/ledger/slot.circom` and `circuits/README.md`.
 */
import { publicSignalsOf as ledgerPublicSignalsOf } from "./ledger.ts";
import {
  OpType,
  type BatchTrace,
  type Leaf,
  type PubKey,
  type PublicSignals,
  type Signature,
  type SlotTrace,
} from "./types.ts";
import { unpackW0 } from "./encoding.ts";

/**
 * The public key fed to the disabled signature verifier of a no-op or queue-item slot: the identity (0, 1).
 * With `S = 0` and the message forced to 0 in the circuit, it satisfies the unconditional constraints of
 * circomlib's `EdDSAPoseidonVerifier` (whose final checks are off for these slots).
 */
export const DUMMY_PUBKEY: Readonly<PubKey> = Object.freeze({ Ax: 0n, Ay: 1n });

/** The signature fed to the disabled verifier of a no-op or queue-item slot: R8 = (0, 1), S = 0. */
export const DUMMY_SIGNATURE: Readonly<Signature> = Object.freeze({ R8x: 0n, R8y: 1n, S: 0n });

/** The circuit's input: signal name → decimal string, per-slot array or per-slot array of arrays. */
export type CircuitInput = Record<string, string | string[] | string[][]>;

/** The per-slot values of one slot, before transposition into the circuit's `[K]` arrays. */
interface SlotInput {
  opType: bigint;
  w0: bigint;
  w1: bigint;
  w2: bigint;
  indexA: bigint;
  indexB: bigint;
  tokenId: bigint;
  amount: bigint;
  nonce: bigint;
  recipient: bigint;
  pubKey: Readonly<PubKey>;
  sig: Readonly<Signature>;
}

/** The scalar per-slot signals of `LedgerBatch`, in declaration order. */
const SLOT_SIGNALS = [
  "opType",
  "w0",
  "w1",
  "w2",
  "indexA",
  "indexB",
  "tokenId",
  "amount",
  "nonce",
  "recipient",
  "Ax",
  "Ay",
  "R8x",
  "R8y",
  "S",
] as const;

function leafArray(leaf: Leaf): string[] {
  return [leaf.keyHash, leaf.tokenId, leaf.balance, leaf.nonce].map(String);
}

function slotInput(slot: SlotTrace): SlotInput {
  const base: SlotInput = {
    opType: BigInt(slot.op.type),
    w0: 0n,
    w1: 0n,
    w2: 0n,
    indexA: BigInt(slot.a.index),
    indexB: BigInt(slot.b.index),
    tokenId: 0n,
    amount: 0n,
    nonce: 0n,
    recipient: 0n,
    pubKey: DUMMY_PUBKEY,
    sig: DUMMY_SIGNATURE,
  };
  const op = slot.op;
  switch (op.type) {
    case OpType.Noop:
      return base;
    case OpType.QueueItem: {
      // Every kind (deposit, forced withdrawal, forced message): the w0 fields as the circuit decomposes w0.
      // indexA is the item's full 32-bit accountIndex; the circuit takes the path from its low D bits
      // (= slot.a.index) and refunds / no-ops when the rest is non-zero.
      const { tokenId, accountIndex, amount } = unpackW0(op.item.w0);
      return { ...base, ...op.item, indexA: accountIndex, tokenId, amount };
    }
    case OpType.Transfer:
      return {
        ...base,
        indexA: BigInt(op.from),
        indexB: BigInt(op.to),
        tokenId: slot.a.before.tokenId,
        amount: op.amount,
        nonce: op.nonce,
        pubKey: op.pubKey,
        sig: op.sig,
      };
    case OpType.Withdraw:
      return {
        ...base,
        indexA: BigInt(op.from),
        tokenId: slot.a.before.tokenId,
        amount: op.amount,
        nonce: op.nonce,
        recipient: op.recipient,
        pubKey: op.pubKey,
        sig: op.sig,
      };
  }
}

function signalValue(s: SlotInput, name: (typeof SLOT_SIGNALS)[number]): bigint {
  switch (name) {
    case "Ax":
      return s.pubKey.Ax;
    case "Ay":
      return s.pubKey.Ay;
    case "R8x":
      return s.sig.R8x;
    case "R8y":
      return s.sig.R8y;
    case "S":
      return s.sig.S;
    default:
      return s[name];
  }
}

/**
 * The input signals of `LedgerBatch(trace.K, trace.D)` for an executed batch: the five public signals, the
 * state header before the batch and `chainId`, and per slot (`[K]` arrays) the operation, the queue item,
 * the signature (dummy for no-ops and queue items), and both leaf updates' old leaves and siblings.
 * @throws RangeError when the trace's slot count or a path length does not match K and D.
 */
export function circuitInput(trace: BatchTrace): CircuitInput {
  const { K, D } = trace;
  if (trace.slots.length !== K) throw new RangeError(`trace has ${trace.slots.length} slots, K = ${K}`);
  const [prevRoot, newRoot, queueHash, withdrawalRoot, meta] = publicSignalsOf(trace);
  const input: CircuitInput = {
    prevRoot: prevRoot.toString(),
    newRoot: newRoot.toString(),
    queueHash: queueHash.toString(),
    withdrawalRoot: withdrawalRoot.toString(),
    meta: meta.toString(),
    chainId: trace.chainId.toString(),
    oldAccountsRoot: trace.before.accountsRoot.toString(),
    oldL2Block: trace.before.l2Block.toString(),
    oldQueuePosition: trace.before.queuePosition.toString(),
    oldQueueHash: trace.before.queueHash.toString(),
  };
  const slots = trace.slots.map(slotInput);
  for (const name of SLOT_SIGNALS) input[name] = slots.map((s) => signalValue(s, name).toString());
  for (const [k, slot] of trace.slots.entries()) {
    for (const update of [slot.a, slot.b]) {
      if (update.siblings.length !== D) {
        throw new RangeError(`slot ${k}: a Merkle path has ${update.siblings.length} siblings, D = ${D}`);
      }
    }
  }
  input.leafA = trace.slots.map((s) => leafArray(s.a.before));
  input.siblingsA = trace.slots.map((s) => s.a.siblings.map(String));
  input.leafB = trace.slots.map((s) => leafArray(s.b.before));
  input.siblingsB = trace.slots.map((s) => s.b.siblings.map(String));
  return input;
}

/**
 * The five public signals of the batch's proof, in circuit order (docs/LEDGER.md §7): prevRoot, newRoot,
 * queueHash (after the batch), withdrawalRoot, meta. The same as the ledger's `publicSignalsOf`.
 */
export function publicSignalsOf(trace: BatchTrace): PublicSignals {
  return ledgerPublicSignalsOf(trace);
}
