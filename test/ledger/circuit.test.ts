/**
 * The ledger circuit (circuits/ledger/ledger.circom) against the TypeScript reference ledger, on the test
 * instance ledger_k2_d4 (K = 2, D = 4) and, when its wasm is present, the shipped ledger_k4_d8. Uses the
 * committed wasm at circuits/artifacts/<instance>/circuit.wasm; computes witnesses only (no proofs).
 *
 * Positive: every batch of a scenario (credited deposits, the three refund cases, transfers, a self-transfer,
 * a withdrawal, no-ops, forced withdrawals executed and consumed as no-ops for each invalid condition, forced
 * messages) has a witness whose public signals (entries 1…5) are the ledger's.
 * Negative: starting from a valid trace of the real Ledger, one element is forged and every derived input
 * (leaves, paths, roots, entries, public signals) is re-derived with the circuit's own arithmetic
 * (test/helpers/ledgerCircuit.ts `reexecute`), so that only the rule under test is broken; the witness
 * computation must then fail with a failed assertion. Where a boundary exists, the valid side is checked too.
 */
import { expect } from "chai";

import {
  BABYJUB_SUBORDER,
  depositItem,
  FIELD_R,
  forcedMessageItem,
  forcedWithdrawalItem,
  merkleRootOf,
  getCrypto,
  Ledger,
  OpType,
  packMeta,
  TWO_128,
  TWO_160,
  Wallet,
  type BatchTrace,
  type LedgerCrypto,
  type Op,
} from "../../src/ledger/index.ts";
import { circuitInput, publicSignalsOf, type CircuitInput } from "../../src/ledger/witness.ts";
import {
  circuitWasm,
  cloneInput,
  reexecute,
  requireWasm,
  setSlot,
  SHIPPED,
  signSlot,
  slotValue,
  TEST_INSTANCE,
  witnessError,
  witnessPublicSignals,
  type ReexecuteOptions,
} from "../helpers/ledgerCircuit.ts";

const CHAIN = 5n;
const { K, D } = TEST_INSTANCE;
const REFUND = 0x1234n;
const RECIPIENT = 0xbeefn;

/** One executed batch: the ledger before it, its trace and the circuit input. */
interface Step {
  pre: Ledger;
  trace: BatchTrace;
  input: CircuitInput;
}

describe("ledger circuit", function () {
  let crypto: LedgerCrypto;
  let wasm: string;
  let alice: Wallet;
  let bob: Wallet;
  let carol: Wallet;
  let dave: Wallet;
  let mallory: Wallet;
  const steps: Record<string, Step> = {};

  const deposit = (w: Wallet, accountIndex: bigint, amount: bigint, tokenId = 0n): Op => ({
    type: OpType.Deposit,
    item: depositItem({ tokenId, accountIndex, amount, keyHash: w.keyHash, refund: REFUND }),
  });

  const forced = (keyHash: bigint, accountIndex: bigint, amount: bigint, tokenId = 0n): Op => ({
    type: OpType.QueueItem,
    item: forcedWithdrawalItem({ tokenId, accountIndex, amount, keyHash, recipient: RECIPIENT }),
  });
  const message = (payloadHash: bigint): Op => ({
    type: OpType.QueueItem,
    item: forcedMessageItem({ payloadHash, sender: REFUND }),
  });

  before(async function () {
    crypto = await getCrypto();
    wasm = requireWasm(TEST_INSTANCE.name);
    [alice, bob, carol, dave, mallory] = ["alice", "bob", "carol", "dave", "mallory"].map((s) =>
      Wallet.fromSeed(`circuit-test ${s}`, crypto),
    ) as [Wallet, Wallet, Wallet, Wallet, Wallet];
    const ledger = await Ledger.create({ chainId: CHAIN, K, D });
    const run = (name: string, ops: (l: Ledger) => Op[]): void => {
      const pre = ledger.clone();
      const trace = ledger.executeBatch(ops(ledger));
      steps[name] = { pre, trace, input: circuitInput(trace) };
    };
    // alice@1, bob@2 (token 0); carol@3 (token 7); dave@5 near the balance bound.
    run("deposits", () => [deposit(alice, 1n, 1000n), deposit(bob, 2n, 500n)]);
    run("deposits2", () => [deposit(carol, 3n, 300n, 7n), deposit(dave, 5n, TWO_128 - 1n)]);
    // Refunds: index out of range (2^D + 1 aliases slot 1), slot held by another key.
    run("refunds", () => [deposit(alice, BigInt(2 ** D + 1), 7n), deposit(bob, 1n, 8n)]);
    // Refund by overflow, and a credited top-up of an existing account.
    run("overflowAndTopUp", () => [deposit(dave, 5n, 1n), deposit(alice, 1n, 50n)]);
    run("transferWithdraw", (l) => [
      alice.transfer({ chainId: CHAIN, from: 1, to: 2, amount: 100n, nonce: l.leaf(1).nonce }),
      bob.withdraw({ chainId: CHAIN, from: 2, recipient: RECIPIENT, amount: 50n, nonce: l.leaf(2).nonce }),
    ]);
    run("selfTransfer", (l) => [
      alice.transfer({ chainId: CHAIN, from: 1, to: 1, amount: 10n, nonce: l.leaf(1).nonce }),
    ]);
    run("noops", () => []);
    // Forced withdrawals (kind 2) and messages (kind 3). alice@1 and bob@2 hold token 0, carol@3 token 7.
    run("forcedValid", () => [forced(alice.keyHash, 1n, 30n), message(0x77n)]);
    // No-ops: a key that does not own the slot; an empty slot.
    run("forcedWrongKey", () => [forced(bob.keyHash, 1n, 1n), forced(alice.keyHash, 9n, 1n)]);
    // No-ops: another token than the slot's; more than the balance.
    run("forcedTokenBalance", (l) => [
      forced(carol.keyHash, 3n, 1n, 0n),
      forced(alice.keyHash, 1n, l.leaf(1).balance + 1n),
    ]);
    // No-ops: a zero amount; a slot ≥ 2^D (2^D + 1 aliases alice's slot 1).
    run("forcedZeroRange", () => [forced(alice.keyHash, 1n, 0n), forced(alice.keyHash, BigInt(2 ** D + 1), 1n)]);
    // In queue order with a deposit: the forced withdrawal sees the credit and takes the whole balance.
    run("forcedAfterDeposit", (l) => [deposit(bob, 2n, 5n), forced(bob.keyHash, 2n, l.leaf(2).balance + 5n)]);
  });

  const step = (name: string): Step => {
    const s = steps[name];
    if (!s) throw new Error(`no step ${name}`);
    return s;
  };

  /** Forges `name`'s input with `mutate` and re-derives the rest (see reexecute). */
  const forge = (name: string, mutate: (input: CircuitInput) => void, options?: ReexecuteOptions): CircuitInput => {
    const { pre, input } = step(name);
    const forged = cloneInput(input);
    mutate(forged);
    return reexecute(crypto, pre, forged, options);
  };

  const rejects = async (input: CircuitInput): Promise<void> => {
    const err = await witnessError(wasm, input);
    expect(err.message).to.match(/Assert Failed/);
  };

  const accepts = async (input: CircuitInput): Promise<void> => {
    await witnessPublicSignals(wasm, input);
  };

  describe("valid batches", function () {
    it("the scenario covers credits, the three refund cases, transfers, withdrawals and no-ops", function () {
      const slots = Object.values(steps).flatMap((s) => s.trace.slots);
      const deposits = slots.filter((s) => s.queueKind === 1);
      expect(deposits.filter((s) => s.credited)).to.have.length(6);
      expect(deposits.filter((s) => !s.credited)).to.have.length(3);
      expect(slots.filter((s) => s.op.type === OpType.Withdraw)).to.have.length(1);
      expect(slots.filter((s) => s.op.type === OpType.Transfer)).to.have.length(2);
      expect(slots.filter((s) => s.op.type === OpType.Noop).length).to.be.at.least(3);
      const forcedSlots = slots.filter((s) => s.queueKind === 2);
      expect(forcedSlots.map((s) => s.forcedExecuted)).to.deep.equal([
        true,
        false,
        false,
        false,
        false,
        false,
        false,
        true,
      ]);
      expect(slots.filter((s) => s.queueKind === 3)).to.have.length(1);
    });

    it("every batch's witness computes and its public signals are the ledger's", async function () {
      let prev: BatchTrace | undefined;
      for (const { trace, input } of Object.values(steps)) {
        const pub = await witnessPublicSignals(wasm, input);
        expect(pub).to.deep.equal([...publicSignalsOf(trace)]);
        expect(pub).to.deep.equal([
          trace.prevRoot,
          trace.newRoot,
          trace.after.queueHash,
          trace.withdrawalRoot,
          trace.meta,
        ]);
        if (prev) expect(trace.prevRoot).to.equal(prev.newRoot);
        prev = trace;
      }
    });

    it("the forging harness reproduces every valid input exactly", function () {
      for (const { pre, input } of Object.values(steps)) expect(reexecute(crypto, pre, input)).to.deep.equal(input);
    });

    it("the shipped instance ledger_k4_d8 computes a batch's witness with the ledger's public signals", async function () {
      const shippedWasm = circuitWasm(SHIPPED.name);
      if (!shippedWasm) this.skip();
      const ledger = await Ledger.create({ chainId: CHAIN, K: SHIPPED.K, D: SHIPPED.D });
      ledger.executeBatch([deposit(alice, 200n, 90n), deposit(bob, 7n, 10n), deposit(carol, 300n, 1n)]);
      const trace = ledger.executeBatch([
        alice.transfer({ chainId: CHAIN, from: 200, to: 7, amount: 40n, nonce: 0n }),
        bob.withdraw({ chainId: CHAIN, from: 7, recipient: RECIPIENT, amount: 45n, nonce: 0n }),
        deposit(dave, 255n, 3n),
      ]);
      const pub = await witnessPublicSignals(shippedWasm!, circuitInput(trace));
      expect(pub).to.deep.equal([...publicSignalsOf(trace)]);
    });
  });

  describe("signatures", function () {
    it("rejects a bad signature (S + 1)", async function () {
      await rejects(
        forge("transferWithdraw", (i) => setSlot(i, "S", 0, (slotValue(i, "S", 0) + 1n) % BABYJUB_SUBORDER)),
      );
      await rejects(forge("transferWithdraw", (i) => setSlot(i, "R8x", 1, slotValue(i, "R8x", 0))));
    });

    it("rejects a valid signature by a key that does not own the slot", async function () {
      await rejects(forge("transferWithdraw", (i) => signSlot(crypto, i, 0, mallory)));
      await rejects(forge("transferWithdraw", (i) => signSlot(crypto, i, 1, alice)));
    });

    it("rejects a signature made for another chain id (replay)", async function () {
      await rejects(
        forge("transferWithdraw", (i) => {
          i.chainId = (CHAIN + 1n).toString();
          signSlot(crypto, i, 0, alice);
          i.chainId = CHAIN.toString();
        }),
      );
    });

    it("rejects a signature whose S is not below the subgroup order (S + order)", async function () {
      await rejects(forge("transferWithdraw", (i) => setSlot(i, "S", 0, slotValue(i, "S", 0) + BABYJUB_SUBORDER)));
    });

    it("rejects a transfer from an empty slot", async function () {
      await rejects(
        forge("transferWithdraw", (i) => {
          setSlot(i, "indexA", 0, 9n);
          setSlot(i, "nonce", 0, 0n);
          signSlot(crypto, i, 0, alice);
        }),
      );
    });

    it("rejects a sender index ≥ 2^D aliasing the sender's slot (from + 2^D, re-signed)", async function () {
      await rejects(
        forge("transferWithdraw", (i) => {
          setSlot(i, "indexA", 0, 1n + BigInt(2 ** D));
          signSlot(crypto, i, 0, alice);
        }),
      );
    });
  });

  describe("balances and nonces", function () {
    it("rejects an overspend (amount = balance + 1, re-signed) and accepts amount = balance", async function () {
      const balance = step("transferWithdraw").trace.slots[0]!.a.before.balance;
      const withAmount = (amount: bigint): CircuitInput =>
        forge("transferWithdraw", (i) => {
          setSlot(i, "amount", 0, amount);
          signSlot(crypto, i, 0, alice);
        });
      await accepts(withAmount(balance));
      await rejects(withAmount(balance + 1n));
      // The withdrawal too.
      const bobBalance = step("transferWithdraw").trace.slots[1]!.a.before.balance;
      await rejects(
        forge("transferWithdraw", (i) => {
          setSlot(i, "amount", 1, bobBalance + 1n); // bobBalance is read after slot 0's transfer to bob
          signSlot(crypto, i, 1, bob);
        }),
      );
    });

    it("rejects a wrong nonce (nonce ± 1, re-signed) and accepts the slot's nonce", async function () {
      const nonce = step("selfTransfer").trace.slots[0]!.a.before.nonce;
      expect(nonce).to.equal(1n);
      const withNonce = (n: bigint): CircuitInput =>
        forge("selfTransfer", (i) => {
          setSlot(i, "nonce", 0, n);
          signSlot(crypto, i, 0, alice);
        });
      await accepts(withNonce(nonce));
      await rejects(withNonce(nonce + 1n));
      await rejects(withNonce(nonce - 1n));
    });

    it("rejects an amount ≥ 2^128: a 'negative' transfer amount r − 1 (re-signed)", async function () {
      await rejects(
        forge("transferWithdraw", (i) => {
          setSlot(i, "amount", 0, FIELD_R - 1n);
          signSlot(crypto, i, 0, alice);
        }),
      );
    });

    it("rejects a transfer that takes the recipient's balance to 2^128", async function () {
      await rejects(
        forge("transferWithdraw", (i) => {
          setSlot(i, "indexB", 0, 5n); // dave: 2^128 − 1 of token 0
          setSlot(i, "amount", 0, 1n);
          signSlot(crypto, i, 0, alice);
        }),
      );
    });

    it("rejects a withdrawal to a recipient ≥ 2^160 (re-signed)", async function () {
      await rejects(
        forge("transferWithdraw", (i) => {
          setSlot(i, "recipient", 1, TWO_160);
          signSlot(crypto, i, 1, bob);
        }),
      );
    });
  });

  describe("transfers", function () {
    it("rejects a transfer to an empty slot (re-signed)", async function () {
      await rejects(
        forge("transferWithdraw", (i) => {
          setSlot(i, "indexB", 0, 9n);
          signSlot(crypto, i, 0, alice);
        }),
      );
    });

    it("rejects a transfer to a slot of another token (re-signed)", async function () {
      await rejects(
        forge("transferWithdraw", (i) => {
          setSlot(i, "indexB", 0, 3n); // carol: token 7
          signSlot(crypto, i, 0, alice);
        }),
      );
    });

    it("rejects a tokenId that is not the sender's (a withdrawal of token 7 from a token-0 slot)", async function () {
      await rejects(forge("transferWithdraw", (i) => setSlot(i, "tokenId", 1, 7n)));
    });
  });

  describe("op types", function () {
    it("rejects op types outside 0…3", async function () {
      for (const t of [4n, 5n, FIELD_R - 1n]) {
        await rejects(forge("transferWithdraw", (i) => setSlot(i, "opType", 0, t)));
        await rejects(forge("noops", (i) => setSlot(i, "opType", 1, t)));
      }
    });

    it("rejects a transfer relabelled as a withdrawal and vice versa", async function () {
      await rejects(forge("transferWithdraw", (i) => setSlot(i, "opType", 0, 3n)));
      await rejects(forge("transferWithdraw", (i) => setSlot(i, "opType", 1, 2n)));
    });

    it("rejects a no-op slot presented as a transfer without a signature", async function () {
      await rejects(
        forge("noops", (i) => {
          setSlot(i, "opType", 0, 2n);
          setSlot(i, "indexA", 0, 1n);
          setSlot(i, "indexB", 0, 2n);
          setSlot(i, "amount", 0, 1n);
        }),
      );
    });
  });

  describe("the queue", function () {
    it("rejects two deposit items swapped (the public queueHash is the queue's)", async function () {
      const swap = (i: CircuitInput): void => {
        for (const name of ["w0", "w1", "w2", "indexA", "tokenId", "amount"]) {
          const [x, y] = [slotValue(i, name, 0), slotValue(i, name, 1)];
          setSlot(i, name, 0, y);
          setSlot(i, name, 1, x);
        }
      };
      await rejects(forge("deposits", swap, { keep: ["queueHash"] }));
      // Only the queue hash binds the order: with a re-derived queueHash the swapped batch is valid.
      await accepts(forge("deposits", swap));
    });

    it("rejects a skipped queue item (a deposit replaced by a no-op)", async function () {
      const skip = (i: CircuitInput): void => {
        for (const name of ["opType", "w0", "w1", "w2", "indexA", "tokenId", "amount"]) setSlot(i, name, 0, 0n);
      };
      await rejects(forge("deposits", skip, { keep: ["queueHash", "meta"] }));
      await rejects(forge("deposits", skip, { keep: ["queueHash"] }));
      // The position must count the items consumed: a consistent hash with the original position fails.
      await rejects(forge("deposits", skip, { keep: ["meta"] }));
    });

    it("rejects an altered queue word w0, w1 or w2", async function () {
      const base = step("deposits").input;
      const w0 = slotValue(base, "w0", 1);
      const alter = (name: string, value: bigint, fields: Record<string, bigint> = {}): CircuitInput =>
        forge(
          "deposits",
          (i) => {
            setSlot(i, name, 1, value);
            for (const [f, v] of Object.entries(fields)) setSlot(i, f, 1, v);
          },
          { keep: ["queueHash"] },
        );
      // w0 with a larger amount (decomposition consistent), w1 another key, w2 another refund address.
      const amount = slotValue(base, "amount", 1);
      await rejects(alter("w0", w0 + (1n << 72n), { amount: amount + 1n }));
      await rejects(alter("w1", mallory.keyHash));
      await rejects(alter("w2", REFUND + 1n));
    });

    it("rejects a w0 that does not decompose into (kind ∈ {1, 2, 3}, tokenId, accountIndex, amount)", async function () {
      const w0 = slotValue(step("deposits").input, "w0", 0);
      // Re-derived queue hash: only the decomposition is wrong.
      await rejects(forge("deposits", (i) => setSlot(i, "w0", 0, w0 + 3n))); // kind 4
      await rejects(forge("deposits", (i) => setSlot(i, "w0", 0, w0 - 1n))); // kind 0
      await rejects(forge("deposits", (i) => setSlot(i, "amount", 0, slotValue(i, "amount", 0) + 1n)));
      await rejects(forge("deposits", (i) => setSlot(i, "indexA", 0, 2n)));
      await rejects(forge("deposits", (i) => setSlot(i, "tokenId", 0, 1n)));
    });

    it("rejects a deposit amount ≥ 2^128 even when w0 encodes it", async function () {
      await rejects(
        forge("deposits", (i) => {
          const amount = TWO_128;
          setSlot(i, "amount", 0, amount);
          setSlot(i, "w0", 0, 1n + (slotValue(i, "indexA", 0) << 40n) + (amount << 72n));
        }),
      );
    });

    it("rejects a deposit whose tokenId is ≥ 2^32 even when w0 encodes it", async function () {
      await rejects(
        forge("deposits", (i) => {
          const tokenId = 1n << 32n;
          setSlot(i, "tokenId", 0, tokenId);
          setSlot(i, "w0", 0, slotValue(i, "w0", 0) + (tokenId << 8n));
        }),
      );
    });
  });

  describe("deposits: credit or refund is not the prover's choice", function () {
    it("rejects a refund of a creditable deposit", async function () {
      await rejects(forge("deposits", () => {}, { credit: (k, c) => (k === 0 ? false : c) }));
      await rejects(forge("overflowAndTopUp", () => {}, { credit: (k, c) => (k === 1 ? false : c) }));
    });

    it("rejects a credit of a deposit that must be refunded (out of range, foreign slot, overflow)", async function () {
      await rejects(forge("refunds", () => {}, { credit: (k, c) => (k === 0 ? true : c) }));
      await rejects(forge("refunds", () => {}, { credit: (k, c) => (k === 1 ? true : c) }));
      await rejects(forge("overflowAndTopUp", () => {}, { credit: (k, c) => (k === 0 ? true : c) }));
    });
  });

  describe("forced withdrawals: execution or no-op is not the prover's choice", function () {
    it("rejects a no-op of a valid forced withdrawal (also one taking the whole balance)", async function () {
      await rejects(forge("forcedValid", () => {}, { forced: (k, c) => (k === 0 ? false : c) }));
      await rejects(forge("forcedAfterDeposit", () => {}, { forced: (k, c) => (k === 1 ? false : c) }));
    });

    it("rejects the execution of an invalid one (key, empty slot, token, balance, zero amount, slot ≥ 2^D)", async function () {
      for (const name of ["forcedWrongKey", "forcedTokenBalance", "forcedZeroRange"]) {
        for (const slot of [0, 1]) {
          await rejects(forge(name, () => {}, { forced: (k, c) => (k === slot ? true : c) }));
        }
      }
    });

    it("rejects an entry with another recipient or amount than the item's", async function () {
      const { trace, input } = step("forcedValid");
      const entry = trace.slots[0]!.withdrawal!;
      const forgedRoot = (recipient: bigint, amount: bigint): CircuitInput => {
        const forgedInput = cloneInput(input);
        const entries = [crypto.poseidon([recipient, entry.tokenId, amount]), trace.slots[1]!.entryHash];
        forgedInput.withdrawalRoot = merkleRootOf(crypto, entries).toString();
        return forgedInput;
      };
      await accepts(forgedRoot(entry.recipient, entry.amount));
      await rejects(forgedRoot(entry.recipient + 1n, entry.amount));
      await rejects(forgedRoot(mallory.keyHash % TWO_160, entry.amount));
      await rejects(forgedRoot(entry.recipient, entry.amount - 1n));
      // Another recipient or amount in the item itself changes the queue hash.
      const w0 = slotValue(input, "w0", 0);
      await rejects(forge("forcedValid", (i) => setSlot(i, "w2", 0, RECIPIENT + 1n), { keep: ["queueHash"] }));
      await rejects(
        forge(
          "forcedValid",
          (i) => {
            setSlot(i, "w0", 0, w0 + (1n << 72n));
            setSlot(i, "amount", 0, slotValue(i, "amount", 0) + 1n);
          },
          { keep: ["queueHash"] },
        ),
      );
    });

    it("rejects a debit of another amount than the item's (w0 decomposition)", async function () {
      await rejects(forge("forcedValid", (i) => setSlot(i, "amount", 0, slotValue(i, "amount", 0) - 1n)));
    });
  });

  describe("forced items in the queue", function () {
    it("consumes kinds 2 and 3 through the rolling hash and the position", async function () {
      const { trace } = step("forcedValid");
      const items = trace.slots.map((s) => (s.op as { item: { w0: bigint; w1: bigint; w2: bigint } }).item);
      const expected = items.reduce((h, it) => crypto.poseidon([h, it.w0, it.w1, it.w2]), trace.before.queueHash);
      expect(trace.after.queueHash).to.equal(expected);
      expect(trace.after.queuePosition).to.equal(trace.before.queuePosition + 2n);
      expect(trace.slots[1]!.entryHash).to.equal(0n);
      expect(trace.slots[1]!.a.after).to.deep.equal(trace.slots[1]!.a.before);
    });

    it("rejects a skipped forced withdrawal or forced message (replaced by a no-op)", async function () {
      for (const slot of [0, 1]) {
        const skip = (i: CircuitInput): void => {
          for (const name of ["opType", "w0", "w1", "w2", "indexA", "tokenId", "amount"]) setSlot(i, name, slot, 0n);
        };
        await rejects(forge("forcedValid", skip, { keep: ["queueHash"] }));
        await rejects(forge("forcedValid", skip, { keep: ["meta"] }));
      }
    });

    it("rejects an item of a kind outside {1, 2, 3} and a forced withdrawal relabelled as a message", async function () {
      // Kind 4 or 0 with a re-derived queue hash: no queue ever holds it, the circuit refuses it.
      await rejects(forge("forcedValid", (i) => setSlot(i, "w0", 1, 4n)));
      await rejects(forge("forcedValid", (i) => setSlot(i, "w0", 1, 0n)));
      // A forced withdrawal's w0 turned into kind 3 (a no-op) changes the queue hash.
      await rejects(
        forge("forcedValid", (i) => setSlot(i, "w0", 0, slotValue(i, "w0", 0) + 1n), { keep: ["queueHash"] }),
      );
    });
  });

  describe("roots and public signals", function () {
    it("rejects a wrong old root", async function () {
      const { input } = step("transferWithdraw");
      const wrongPrev = cloneInput(input);
      wrongPrev.prevRoot = (BigInt(input.prevRoot as string) + 1n).toString();
      await rejects(wrongPrev);
      // A different old accounts root with a consistent prevRoot: the Merkle paths no longer match.
      await rejects(
        forge("transferWithdraw", (i) => (i.oldAccountsRoot = step("deposits").trace.after.accountsRoot.toString())),
      );
    });

    it("rejects a tampered sibling or leaf", async function () {
      const { input } = step("transferWithdraw");
      for (const [name, k, l] of [
        ["siblingsA", 0, 0],
        ["siblingsA", 1, D - 1],
        ["siblingsB", 0, 2],
        ["siblingsB", 1, 0],
        ["leafA", 0, 2],
        ["leafB", 0, 3],
      ] as const) {
        const bad = cloneInput(input);
        const row = (bad[name] as string[][])[k]!;
        row[l] = (BigInt(row[l]!) + 1n).toString();
        await rejects(bad);
      }
    });

    it("rejects each tampered public signal", async function () {
      const { input } = step("transferWithdraw");
      for (const name of ["prevRoot", "newRoot", "queueHash", "withdrawalRoot", "meta"]) {
        const bad = cloneInput(input);
        bad[name] = (BigInt(input[name] as string) + 1n).toString();
        await rejects(bad);
      }
    });

    it("rejects a batch that does not advance l2Block by exactly one", async function () {
      const { trace, input } = step("transferWithdraw");
      const { accountsRoot, queuePosition, queueHash } = trace.after;
      for (const l2Block of [trace.before.l2Block, trace.before.l2Block + 2n]) {
        const bad = cloneInput(input);
        bad.newRoot = crypto.poseidon([accountsRoot, l2Block, queuePosition, queueHash]).toString();
        bad.meta = packMeta(CHAIN, l2Block, queuePosition).toString();
        await rejects(bad);
      }
      // prevRoot binds the old l2Block.
      await rejects(
        forge("transferWithdraw", (i) => (i.oldL2Block = (BigInt(i.oldL2Block as string) + 1n).toString()), {
          keep: ["prevRoot"],
        }),
      );
    });

    it("rejects an l2Block or a queue position reaching 2^64 (meta aliasing)", async function () {
      // l2Block = 2^64 would pack as (l2Block 0, queuePosition + 1).
      await rejects(forge("refunds", (i) => (i.oldL2Block = ((1n << 64n) - 1n).toString())));
      // Two deposits from position 2^64 − 2 reach 2^64.
      await rejects(forge("refunds", (i) => (i.oldQueuePosition = ((1n << 64n) - 2n).toString())));
      // The valid side of both bounds.
      await accepts(forge("refunds", (i) => (i.oldL2Block = ((1n << 64n) - 2n).toString())));
      await accepts(forge("refunds", (i) => (i.oldQueuePosition = ((1n << 64n) - 3n).toString())));
    });

    it("rejects a meta whose parts are not below 2^64 (chainId aliasing into l2Block)", async function () {
      // A batch without signatures (chainId enters only meta), with chainId + 2^64 and l2Block − 1: the same
      // meta, consistent roots; only the 64-bit range of chainId is broken.
      const { pre, input } = step("refunds");
      const bad = cloneInput(input);
      bad.chainId = (CHAIN + (1n << 64n)).toString();
      bad.oldL2Block = (BigInt(input.oldL2Block as string) - 1n).toString();
      const forged = reexecute(crypto, pre, bad);
      expect(forged.meta).to.equal(input.meta);
      await rejects(forged);
    });
  });
});
