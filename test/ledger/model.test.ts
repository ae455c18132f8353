/**
 * Model-based test: the TypeScript reference ledger and the circuit agree on every batch.
 *
 * fast-check draws sequences of batches of operations — deposits (credited, or refunded because the index is
 * out of range, the slot holds another key or token, or the balance would overflow), transfers (including
 * self-transfers), withdrawals, forced withdrawals (queue kind 2: executed, or consumed as no-ops because of a
 * foreign key, an empty slot, another token, a zero amount, more than the balance or a slot ≥ 2^D), forced
 * messages (queue kind 3) and no-ops, some of them invalid (wrong nonce, overspend, foreign key, empty
 * recipient…). The real `Ledger` executes each batch (an operation that it rejects is dropped from the batch,
 * as an operator would); for every batch the circuit's witness (test instance ledger_k2_d4, committed wasm)
 * must compute, and its five public signals must equal the ledger's: the previous and new state roots, the
 * queue hash, the withdrawal root and meta. So the ledger and the circuit compute the same account roots,
 * queue cursor and withdrawal lists. CIRCUIT_MODEL_SEED / CIRCUIT_MODEL_RUNS override the seed and run count.
 */
import { expect } from "chai";
import fc from "fast-check";

import {
  depositItem,
  forcedMessageItem,
  forcedWithdrawalItem,
  FIELD_R,
  getCrypto,
  Ledger,
  LedgerError,
  OpType,
  TWO_128,
  Wallet,
  type BatchTrace,
  type Op,
} from "../../src/ledger/index.ts";
import { circuitInput, publicSignalsOf } from "../../src/ledger/witness.ts";
import { requireWasm, TEST_INSTANCE, witnessPublicSignals } from "../helpers/ledgerCircuit.ts";

const SEED = Number(process.env.CIRCUIT_MODEL_SEED ?? 0x5eed1ed6);
const RUNS = Number(process.env.CIRCUIT_MODEL_RUNS ?? 12);

const CHAIN = 11n;
const { K, D } = TEST_INSTANCE;
const SIZE = 2 ** D;

/** A slot choice: the n-th non-empty account at signing time, or a raw slot index (possibly empty). */
type Pick = { account: number } | { slot: number };

/** An operation as drawn; signed against the ledger state when the batch is assembled. */
type OpSpec =
  | { kind: "deposit"; wallet: number; index: bigint; token: bigint; amount: bigint; refund: bigint }
  | { kind: "transfer"; from: Pick; to: Pick; amount: bigint; nonceDelta: bigint }
  | { kind: "withdraw"; from: Pick; recipient: bigint; amount: bigint; nonceDelta: bigint }
  | {
      kind: "forced";
      from: Pick;
      /** Sign as the slot's owner (else as `wallet`). */
      owner: boolean;
      wallet: number;
      /** Added to the slot's token (mod 2^32): 0 is the slot's own token. */
      tokenDelta: bigint;
      /** The whole balance, half of it, one more than it, zero, or a drawn amount. */
      amount: "all" | "half" | "over" | "zero" | bigint;
      /** Name the slot as slot + 2^D (out of range, aliasing the slot). */
      alias: boolean;
      recipient: bigint;
    }
  | { kind: "message"; payload: bigint; sender: bigint }
  | { kind: "noop" };

/** Mostly the first few slots (so accounts meet), sometimes any slot. */
const slotArb = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 4 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: SIZE - 1 }) },
);
const pickArb: fc.Arbitrary<Pick> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ account: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ slot: fc.integer({ min: 0, max: SIZE - 1 }) }) },
);

/** A deposit's accountIndex: mostly a used slot, sometimes out of range (refund). */
const depositIndexArb = fc.oneof(
  { weight: 6, arbitrary: slotArb.map(BigInt) },
  { weight: 1, arbitrary: fc.constantFrom(BigInt(SIZE), BigInt(SIZE + 1), 2n ** 32n - 1n) },
);
/** A small amount, or one near 2^128 (overflow refunds). */
const depositAmountArb = fc.oneof(
  { weight: 6, arbitrary: fc.bigInt(0n, 1000n) },
  { weight: 1, arbitrary: fc.bigInt(TWO_128 - 1000n, TWO_128 - 1n) },
);
/** Mostly the right nonce. */
const nonceDeltaArb = fc.oneof({ weight: 15, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.constant(1n) });

const depositArb: fc.Arbitrary<OpSpec> = fc.record({
  kind: fc.constant("deposit" as const),
  wallet: fc.integer({ min: 0, max: 2 }),
  index: depositIndexArb,
  token: fc.constantFrom(0n, 1n),
  amount: depositAmountArb,
  refund: fc.bigInt(1n, (1n << 160n) - 1n),
});

const opArb: fc.Arbitrary<OpSpec> = fc.oneof(
  { weight: 2, arbitrary: depositArb },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("transfer" as const),
      from: pickArb,
      to: pickArb,
      amount: fc.bigInt(0n, 400n),
      nonceDelta: nonceDeltaArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("withdraw" as const),
      from: pickArb,
      recipient: fc.bigInt(0n, (1n << 160n) - 1n),
      amount: fc.bigInt(0n, 400n),
      nonceDelta: nonceDeltaArb,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("forced" as const),
      from: pickArb,
      owner: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      wallet: fc.integer({ min: 0, max: 2 }),
      tokenDelta: fc.oneof({ weight: 6, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.constant(1n) }),
      amount: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom("all" as const, "half" as const) },
        { weight: 1, arbitrary: fc.constantFrom("over" as const, "zero" as const) },
        { weight: 1, arbitrary: fc.bigInt(0n, 400n) },
      ),
      alias: fc.oneof({ weight: 8, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      recipient: fc.bigInt(0n, (1n << 160n) - 1n),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("message" as const),
      payload: fc.bigInt(0n, FIELD_R - 1n),
      sender: fc.bigInt(0n, (1n << 160n) - 1n),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "noop" as const }) },
);

/** A run: a batch of K deposits (so that accounts exist), then 1 … 4 random batches. */
const runArb = fc
  .tuple(
    fc.array(depositArb, { minLength: K, maxLength: K }),
    fc.array(fc.array(opArb, { minLength: 1, maxLength: K }), { minLength: 1, maxLength: 4 }),
  )
  .map(([first, rest]) => [first, ...rest]);

describe("ledger circuit model test: the TypeScript ledger and the circuit agree on every root", function () {
  it(`random batches (${RUNS} runs, K = ${K}, D = ${D})`, async function () {
    const crypto = await getCrypto();
    const wasm = requireWasm(TEST_INSTANCE.name);
    const wallets = ["w0", "w1", "w2"].map((s) => Wallet.fromSeed(`circuit-model ${s}`, crypto));
    const seen = {
      credited: 0,
      refunded: 0,
      forcedExecuted: 0,
      forcedNoop: 0,
      message: 0,
      transfer: 0,
      withdraw: 0,
      noop: 0,
      dropped: 0,
      batches: 0,
    };

    /** The signed operation of `spec` in the state `view` (a transfer's signer is the slot's owner, if any). */
    const materialize = (spec: OpSpec, view: Ledger): Op => {
      const slotOf = (p: Pick): number => {
        if ("slot" in p) return p.slot;
        const accounts = view.accounts();
        return accounts.length === 0 ? 0 : accounts[p.account % accounts.length]!.index;
      };
      switch (spec.kind) {
        case "message":
          return {
            type: OpType.QueueItem,
            item: forcedMessageItem({ payloadHash: spec.payload, sender: spec.sender }),
          };
        case "forced": {
          const slot = slotOf(spec.from);
          const leaf = view.leaf(slot);
          const keyHash = spec.owner && leaf.keyHash !== 0n ? leaf.keyHash : wallets[spec.wallet]!.keyHash;
          const amounts = { all: leaf.balance, half: leaf.balance / 2n, over: leaf.balance + 1n, zero: 0n };
          const amount = typeof spec.amount === "bigint" ? spec.amount : amounts[spec.amount];
          return {
            type: OpType.QueueItem,
            item: forcedWithdrawalItem({
              tokenId: (leaf.tokenId + spec.tokenDelta) % 2n ** 32n,
              accountIndex: BigInt(spec.alias ? slot + SIZE : slot),
              amount: amount < TWO_128 ? amount : TWO_128 - 1n,
              keyHash,
              recipient: spec.recipient,
            }),
          };
        }
        case "noop":
          return { type: OpType.Noop };
        case "deposit":
          return {
            type: OpType.Deposit,
            item: depositItem({
              tokenId: spec.token,
              accountIndex: spec.index,
              amount: spec.amount,
              keyHash: wallets[spec.wallet]!.keyHash,
              refund: spec.refund,
            }),
          };
        case "transfer":
        case "withdraw": {
          const from = slotOf(spec.from);
          const leaf = view.leaf(from);
          const signer = wallets.find((w) => w.keyHash === leaf.keyHash) ?? wallets[0]!;
          const common = { chainId: CHAIN, from, amount: spec.amount, nonce: leaf.nonce + spec.nonceDelta };
          return spec.kind === "transfer"
            ? signer.transfer({ ...common, to: slotOf(spec.to) })
            : signer.withdraw({ ...common, recipient: spec.recipient });
        }
      }
    };

    await fc.assert(
      fc.asyncProperty(runArb, async (batches) => {
        const ledger = await Ledger.create({ chainId: CHAIN, K, D });
        let prev: BatchTrace | undefined;
        for (const specs of batches) {
          // Assemble the batch as an operator would: drop each operation the ledger rejects.
          const accepted: Op[] = [];
          let view = ledger;
          for (const spec of specs) {
            const op = materialize(spec, view);
            const trial = ledger.clone();
            try {
              trial.executeBatch([...accepted, op]);
            } catch (err) {
              if (!(err instanceof LedgerError)) throw err;
              seen.dropped++;
              continue;
            }
            accepted.push(op);
            view = trial;
          }
          const trace = ledger.executeBatch(accepted);
          const pub = await witnessPublicSignals(wasm, circuitInput(trace));
          expect(pub).to.deep.equal([...publicSignalsOf(trace)]);
          expect(pub[0]).to.equal(prev ? prev.newRoot : trace.prevRoot);
          expect(pub[1]).to.equal(ledger.stateRoot());
          expect(pub[2]).to.equal(ledger.header().queueHash);
          prev = trace;
          seen.batches++;
          for (const slot of trace.slots) {
            if (slot.queueKind === 1) seen[slot.credited ? "credited" : "refunded"]++;
            else if (slot.queueKind === 2) seen[slot.forcedExecuted ? "forcedExecuted" : "forcedNoop"]++;
            else if (slot.queueKind === 3) seen.message++;
            else if (slot.op.type === OpType.Transfer) seen.transfer++;
            else if (slot.op.type === OpType.Withdraw) seen.withdraw++;
            else seen.noop++;
          }
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The draws must exercise every kind of slot (guards against a generator that only pads with no-ops).
    console.log(`      slots: ${JSON.stringify(seen)}`);
    for (const [kind, n] of Object.entries(seen)) expect(n, `${kind} slots seen`).to.be.greaterThan(0);
  });
});
