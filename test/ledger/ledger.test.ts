/**
 * The TypeScript reference ledger against docs/LEDGER.md: Poseidon known answers, encodings, the account
 * tree, deposits (credit and every refund case), forced withdrawals (executed, and consumed as a no-op in
 * every invalid case) and forced messages, transfers and withdrawals, every LedgerError code (with
 * the state unchanged afterwards), cross-chain replay, snapshots, and a fast-check model-based property
 * (balances per token are conserved up to withdrawals and refunds; traces chain through the Merkle paths).
 * LEDGER_SEED / LEDGER_RUNS override the property's seed and run count.
 */
import { createHash } from "node:crypto";

import { expect } from "chai";
import { buildBabyjub } from "circomlibjs";
import fc from "fast-check";

import {
  BABYJUB_SUBORDER,
  AccountTree,
  decodeDepositItem,
  decodeForcedMessageItem,
  decodeForcedWithdrawalItem,
  depositItem,
  forcedMessageItem,
  forcedWithdrawalItem,
  emptyRoot,
  FIELD_R,
  genesisRoot,
  getCrypto,
  getCryptoSync,
  Ledger,
  LedgerEncodingError,
  LedgerError,
  leafHash,
  merkleRootOf,
  OpType,
  packMeta,
  packW0,
  publicSignalsOf,
  queueHashOf,
  queueStep,
  stateRootOf,
  transferMessage,
  TWO_128,
  TWO_160,
  TWO_200,
  TWO_32,
  TWO_64,
  unpackMeta,
  unpackW0,
  Wallet,
  withdrawalEntryHash,
  withdrawMessage,
  type BatchTrace,
  type DepositOp,
  type Leaf,
  type LedgerCrypto,
  type LedgerErrorCode,
  type Op,
  type QueueItem,
  type QueueItemOp,
} from "../../src/ledger/index.ts";

const SEED = Number(process.env.LEDGER_SEED ?? 0x1ed6e7);
const RUNS = Number(process.env.LEDGER_RUNS ?? 10);

const CHAIN = 1n;
const K = 4;
const D = 3;

let crypto: LedgerCrypto;
let alice: Wallet;
let bob: Wallet;
let carol: Wallet;
let dave: Wallet;

/** The root obtained by hashing `leaf` at `index` up its `siblings` (independent of AccountTree). */
function rootFromPath(leaf: Leaf, index: number, siblings: readonly bigint[]): bigint {
  let h = leafHash(crypto, leaf);
  siblings.forEach((s, l) => {
    h = Math.floor(index / 2 ** l) % 2 === 0 ? crypto.poseidon([h, s]) : crypto.poseidon([s, h]);
  });
  return h;
}

/**
 * Checks a trace against docs/LEDGER.md §5–§7 and types.ts: each update's siblings prove its `before` leaf
 * against the running root and its `after` leaf gives the next one, from `before.accountsRoot` to
 * `after.accountsRoot`; entry hashes, withdrawal root, meta and state roots match their definitions.
 */
function checkTrace(trace: BatchTrace): void {
  expect(trace.slots).to.have.length(trace.K);
  let root = trace.before.accountsRoot;
  for (const [k, slot] of trace.slots.entries()) {
    for (const u of [slot.a, slot.b]) {
      expect(u.siblings, `slot ${k} siblings`).to.have.length(trace.D);
      expect(rootFromPath(u.before, u.index, u.siblings), `slot ${k} before-path`).to.equal(root);
      root = rootFromPath(u.after, u.index, u.siblings);
    }
    const w = slot.withdrawal;
    expect(slot.entryHash).to.equal(w === null ? 0n : withdrawalEntryHash(crypto, w.recipient, w.tokenId, w.amount));
    if (slot.op.type === OpType.Noop) {
      expect([slot.a.index, slot.b.index]).to.deep.equal([0, 0]);
      expect(slot.a.after).to.deep.equal(slot.a.before);
    }
    if (slot.op.type !== OpType.Transfer) {
      expect(slot.b.index).to.equal(0);
      expect(slot.b.after).to.deep.equal(slot.b.before);
    }
  }
  expect(root, "chained accounts root").to.equal(trace.after.accountsRoot);
  expect(trace.withdrawalRoot).to.equal(
    merkleRootOf(
      crypto,
      trace.slots.map((s) => s.entryHash),
    ),
  );
  expect(trace.after.l2Block).to.equal(trace.before.l2Block + 1n);
  expect(trace.meta).to.equal(packMeta(trace.chainId, trace.after.l2Block, trace.after.queuePosition));
  expect(trace.prevRoot).to.equal(stateRootOf(crypto, trace.before));
  expect(trace.newRoot).to.equal(stateRootOf(crypto, trace.after));
}

function deposit(wallet: Wallet, tokenId: bigint, accountIndex: bigint, amount: bigint, refund = 0xdeadn): DepositOp {
  return {
    type: OpType.Deposit,
    item: depositItem({ tokenId, accountIndex, amount, keyHash: wallet.keyHash, refund }),
  };
}

/** Runs `ops` and returns the LedgerError it throws (fails when it does not throw one). */
function expectLedgerError(ledger: Ledger, ops: Op[]): LedgerError {
  try {
    ledger.executeBatch(ops);
  } catch (err) {
    expect(err).to.be.instanceOf(LedgerError);
    return err as LedgerError;
  }
  expect.fail("executeBatch did not throw");
}

/**
 * The fixture state: slot 0 alice (token 0, 1000), slot 1 bob (token 0, 10), slot 2 carol (token 1, 5),
 * slot 3 dave (token 0, 2^128 − 1); slots 4..7 empty.
 */
function fixtureLedger(chainId = CHAIN): Ledger {
  const ledger = Ledger.withCrypto(crypto, { chainId, K, D });
  checkTrace(
    ledger.executeBatch([
      deposit(alice, 0n, 0n, 1000n),
      deposit(bob, 0n, 1n, 10n),
      deposit(carol, 1n, 2n, 5n),
      deposit(dave, 0n, 3n, TWO_128 - 1n),
    ]),
  );
  return ledger;
}

describe("ledger: reference ledger (docs/LEDGER.md)", function () {
  before(async function () {
    crypto = await getCrypto();
    alice = Wallet.fromSeed("alice", crypto);
    bob = Wallet.fromSeed("bob", crypto);
    carol = Wallet.fromSeed("carol", crypto);
    dave = Wallet.fromSeed("dave");
  });

  describe("crypto", function () {
    it("test_poseidon_matchesCircomlibVectors", function () {
      // circomlib's published test vectors for Poseidon(1, 2) and Poseidon(1, 2, 3, 4).
      expect(crypto.poseidon([1n, 2n])).to.equal(0x115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189an);
      expect(crypto.poseidon([1n, 2n, 3n, 4n])).to.equal(
        0x299c867db6c1fdd79dcefa40e4510b9837e60ebb1ce0663dbaa525df65250465n,
      );
      expect(crypto.keyHash({ Ax: 1n, Ay: 2n })).to.equal(crypto.poseidon([1n, 2n]));
    });

    it("test_poseidon_rejectsNonFieldInputsAndBadArity", function () {
      expect(() => crypto.poseidon([FIELD_R])).to.throw(RangeError);
      expect(() => crypto.poseidon([-1n])).to.throw(RangeError);
      expect(() => crypto.poseidon([])).to.throw(RangeError);
      expect(() => crypto.poseidon(new Array<bigint>(17).fill(0n))).to.throw(RangeError);
    });

    it("test_getCryptoSync_returnsTheCachedSingleton", async function () {
      expect(getCryptoSync()).to.equal(crypto);
      expect(await getCrypto()).to.equal(crypto);
    });

    it("test_subOrder_equalsCircomlibjs", async function () {
      const babyJub = await buildBabyjub();
      expect(BABYJUB_SUBORDER).to.equal(babyJub.subOrder);
    });

    it("test_signVerify_roundTripAndRejections", function () {
      const msg = 123456789n;
      const sig = alice.sign(msg);
      expect(crypto.verify(alice.pubKey, msg, sig)).to.equal(true);
      expect(crypto.verify(alice.pubKey, msg + 1n, sig), "other message").to.equal(false);
      expect(crypto.verify(bob.pubKey, msg, sig), "other key").to.equal(false);
      expect(crypto.verify(alice.pubKey, msg, { ...sig, S: sig.S + BABYJUB_SUBORDER }), "S ≥ l").to.equal(false);
      expect(crypto.verify({ ...alice.pubKey, Ax: alice.pubKey.Ax + 1n }, msg, sig), "off curve").to.equal(false);
      expect(crypto.verify({ Ax: alice.pubKey.Ax + FIELD_R, Ay: alice.pubKey.Ay }, msg, sig), "≥ r").to.equal(false);
      expect(crypto.verify(alice.pubKey, msg, { ...sig, R8x: sig.R8x + FIELD_R }), "R8x ≥ r").to.equal(false);
      // The identity (0, 1) is a low-order key for which S·B8 = R8 would verify any message.
      const forged = { R8x: 0n, R8y: 1n, S: 0n };
      expect(crypto.verify({ Ax: 0n, Ay: 1n }, msg, forged), "low-order key").to.equal(false);
      expect(crypto.sign(new Uint8Array(32).fill(7), 5n)).to.deep.equal(crypto.sign(new Uint8Array(32).fill(7), 5n));
      expect(() => crypto.pubKeyOf(new Uint8Array(31))).to.throw(TypeError);
    });
  });

  describe("wallet", function () {
    it("test_wallet_fromSeedIsSha256OfTheSeedAndDeterministic", function () {
      const key = new Uint8Array(createHash("sha256").update("alice", "utf8").digest());
      const raw = new Wallet(key, crypto);
      expect(raw.pubKey).to.deep.equal(alice.pubKey);
      expect(raw.keyHash).to.equal(crypto.keyHash(alice.pubKey));
      expect(Wallet.fromSeed("alice").keyHash).to.equal(alice.keyHash);
      expect(bob.keyHash).to.not.equal(alice.keyHash);
      expect(() => new Wallet(new Uint8Array(16), crypto)).to.throw(TypeError);
    });

    it("test_wallet_signsTheSection5Messages", function () {
      const t = alice.transfer({ chainId: 9n, from: 4, to: 2, amount: 33n, nonce: 7n });
      expect(t).to.include({ type: OpType.Transfer, from: 4, to: 2, amount: 33n, nonce: 7n });
      expect(crypto.verify(alice.pubKey, transferMessage(crypto, 9n, 4, 2, 33n, 7n), t.sig)).to.equal(true);
      const w = alice.withdraw({ chainId: 9n, from: 4, recipient: 0xbeefn, amount: 33n, nonce: 7n });
      expect(w).to.include({ type: OpType.Withdraw, from: 4, recipient: 0xbeefn, amount: 33n, nonce: 7n });
      expect(crypto.verify(alice.pubKey, withdrawMessage(crypto, 9n, 4, 0xbeefn, 33n, 7n), w.sig)).to.equal(true);
      expect(() => alice.withdraw({ chainId: 9n, from: 4, recipient: TWO_160, amount: 1n, nonce: 0n })).to.throw(
        LedgerEncodingError,
      );
      expect(() => alice.transfer({ chainId: 9n, from: 4, to: 2, amount: TWO_128, nonce: 0n })).to.throw(
        LedgerEncodingError,
      );
    });
  });

  describe("encoding", function () {
    it("test_packW0_layoutAndRoundTrip", function () {
      const fields = { kind: 1n, tokenId: 7n, accountIndex: 3n, amount: 1000n };
      expect(packW0(fields)).to.equal(1n + 7n * 2n ** 8n + 3n * 2n ** 40n + 1000n * 2n ** 72n);
      expect(unpackW0(packW0(fields))).to.deep.equal(fields);
      const max = { kind: 255n, tokenId: TWO_32 - 1n, accountIndex: TWO_32 - 1n, amount: TWO_128 - 1n };
      expect(packW0(max)).to.equal(TWO_200 - 1n);
      expect(unpackW0(TWO_200 - 1n)).to.deep.equal(max);
    });

    it("test_encodings_rejectOutOfRangeValues", function () {
      const ok = { kind: 1n, tokenId: 0n, accountIndex: 0n, amount: 0n };
      for (const bad of [
        { ...ok, kind: 256n },
        { ...ok, tokenId: TWO_32 },
        { ...ok, accountIndex: TWO_32 },
        { ...ok, amount: TWO_128 },
        { ...ok, amount: -1n },
      ]) {
        expect(
          () => packW0(bad),
          JSON.stringify(bad, (_, v: unknown) => String(v)),
        ).to.throw(LedgerEncodingError);
      }
      expect(() => unpackW0(TWO_200)).to.throw(LedgerEncodingError, /w0/);
      const item = { tokenId: 0n, accountIndex: 0n, amount: 1n, keyHash: 5n, refund: 1n };
      expect(() => depositItem({ ...item, keyHash: 0n })).to.throw(LedgerEncodingError, /non-zero/);
      expect(() => depositItem({ ...item, keyHash: FIELD_R })).to.throw(LedgerEncodingError, /keyHash/);
      expect(() => depositItem({ ...item, refund: TWO_160 })).to.throw(LedgerEncodingError, /refund/);
      expect(() => packMeta(TWO_64, 0n, 0n)).to.throw(LedgerEncodingError, /chainId/);
      expect(() => merkleRootOf(crypto, [1n, 2n, 3n])).to.throw(LedgerEncodingError, /power-of-two/);
    });

    it("test_depositItem_decodesBack", function () {
      const fields = { tokenId: 9n, accountIndex: 12n, amount: 77n, keyHash: alice.keyHash, refund: TWO_160 - 1n };
      const item = depositItem(fields);
      expect(item.w1).to.equal(alice.keyHash);
      expect(item.w2).to.equal(TWO_160 - 1n);
      expect(decodeDepositItem(item)).to.deep.equal(fields);
      expect(() => decodeDepositItem({ ...item, w0: item.w0 + 1n })).to.throw(LedgerEncodingError, /kind 2/);
    });

    it("test_hashDefinitions_messagesEntriesQueueMeta", function () {
      expect(transferMessage(crypto, 5n, 1, 2, 3n, 4n)).to.equal(crypto.poseidon([2n, 5n, 1n, 2n, 3n, 4n]));
      expect(withdrawMessage(crypto, 5n, 1, 9n, 3n, 4n)).to.equal(crypto.poseidon([3n, 5n, 1n, 9n, 3n, 4n]));
      expect(withdrawalEntryHash(crypto, 9n, 1n, 3n)).to.equal(crypto.poseidon([9n, 1n, 3n]));
      const item = { w0: 1n, w1: 2n, w2: 3n };
      expect(queueStep(crypto, 7n, item)).to.equal(crypto.poseidon([7n, 1n, 2n, 3n]));
      expect(queueHashOf(crypto, [item, item])).to.equal(queueStep(crypto, queueStep(crypto, 0n, item), item));
      const meta = packMeta(3n, 4n, TWO_64 - 1n);
      expect(meta).to.equal(3n + 4n * 2n ** 64n + (TWO_64 - 1n) * 2n ** 128n);
      expect(unpackMeta(meta)).to.deep.equal({ chainId: 3n, l2Block: 4n, queuePosition: TWO_64 - 1n });
    });

    it("test_merkleRootOf_isTheLeafForOneAndPairwiseH2Otherwise", function () {
      expect(merkleRootOf(crypto, [42n])).to.equal(42n);
      const H = (a: bigint, b: bigint) => crypto.poseidon([a, b]);
      expect(merkleRootOf(crypto, [1n, 2n])).to.equal(H(1n, 2n));
      expect(merkleRootOf(crypto, [1n, 2n, 3n, 4n])).to.equal(H(H(1n, 2n), H(3n, 4n)));
    });
  });

  describe("account tree", function () {
    it("test_emptyRoot_depth2ByHandAndGenesisRoot", function () {
      const Z0 = crypto.poseidon([0n, 0n, 0n, 0n]);
      const Z1 = crypto.poseidon([Z0, Z0]);
      const Z2 = crypto.poseidon([Z1, Z1]);
      expect(emptyRoot(crypto, 2)).to.equal(Z2);
      expect(new AccountTree(crypto, 2).root()).to.equal(Z2);
      expect(genesisRoot(crypto, 2)).to.equal(crypto.poseidon([Z2, 0n, 0n, 0n]));
      // Regression pins for the shipped hash constants.
      expect(Z0).to.equal(2351654555892372227640888372176282444150254868378439619268573230312091195718n);
      expect(Z2).to.equal(11309814339096351919940246139604847090972801355151585175383805197189788604989n);
      expect(genesisRoot(crypto, 2)).to.equal(
        2195147589791419067862858413659721062511446566451974275073081887014922849199n,
      );
      const ledger = Ledger.withCrypto(crypto, { chainId: CHAIN, K: 1, D: 2 });
      expect(ledger.stateRoot()).to.equal(genesisRoot(crypto, 2));
      expect(ledger.header()).to.deep.equal({ accountsRoot: Z2, l2Block: 0n, queuePosition: 0n, queueHash: 0n });
    });

    it("test_tree_matchesADenseRecomputationAndItsPaths", function () {
      const tree = new AccountTree(crypto, 3);
      const leaves: Leaf[] = Array.from({ length: 8 }, () => ({ keyHash: 0n, tokenId: 0n, balance: 0n, nonce: 0n }));
      for (const [i, v] of [
        [5, 11n],
        [0, 3n],
        [7, 9n],
        [5, 12n],
      ] as const) {
        leaves[i] = { keyHash: v, tokenId: 1n, balance: v * 10n, nonce: 2n };
        tree.set(i, leaves[i]);
      }
      let level = leaves.map((l) => leafHash(crypto, l));
      while (level.length > 1)
        level = level.flatMap((_, j) => (j % 2 ? [] : [crypto.poseidon([level[j]!, level[j + 1]!])]));
      expect(tree.root()).to.equal(level[0]);
      for (let i = 0; i < 8; i++) {
        expect(tree.leaf(i)).to.deep.equal(leaves[i]);
        expect(rootFromPath(leaves[i]!, i, tree.siblings(i))).to.equal(tree.root());
      }
      expect(tree.entries().map((e) => e.index)).to.deep.equal([0, 5, 7]);
      const copy = tree.clone();
      for (const i of [0, 5, 7]) tree.set(i, { keyHash: 0n, tokenId: 0n, balance: 0n, nonce: 0n });
      expect(tree.root()).to.equal(emptyRoot(crypto, 3));
      expect(tree.count).to.equal(0);
      expect(copy.root()).to.equal(level[0]);
      expect(() => tree.leaf(8)).to.throw(RangeError);
      expect(() => tree.set(0, { keyHash: FIELD_R, tokenId: 0n, balance: 0n, nonce: 0n })).to.throw(RangeError);
    });

    it("test_tree_depth32HandlesTheLastSlot", function () {
      const tree = new AccountTree(crypto, 32);
      const last = 2 ** 32 - 1;
      const leaf = { keyHash: 1n, tokenId: 0n, balance: 1n, nonce: 0n };
      tree.set(last, leaf);
      const path = tree.siblings(last);
      expect(path).to.have.length(32);
      expect(rootFromPath(leaf, last, path)).to.equal(tree.root());
      expect(rootFromPath(tree.leaf(2 ** 31), 2 ** 31, tree.siblings(2 ** 31))).to.equal(tree.root());
      expect(() => new AccountTree(crypto, 33)).to.throw(RangeError);
      expect(() => new AccountTree(crypto, 0)).to.throw(RangeError);
    });
  });

  describe("deposits", function () {
    it("test_deposit_creditsAnEmptySlotAndAdvancesTheQueue", function () {
      const ledger = Ledger.withCrypto(crypto, { chainId: CHAIN, K, D });
      const op = deposit(alice, 3n, 5n, 100n);
      const trace = ledger.executeBatch([op]);
      checkTrace(trace);
      const slot = trace.slots[0]!;
      expect(slot.credited).to.equal(true);
      expect(slot.withdrawal).to.equal(null);
      expect(slot.a.index).to.equal(5);
      expect(slot.a.after).to.deep.equal({ keyHash: alice.keyHash, tokenId: 3n, balance: 100n, nonce: 0n });
      expect(ledger.leaf(5)).to.deep.equal(slot.a.after);
      expect(trace.slots.slice(1).map((s) => s.op.type)).to.deep.equal([OpType.Noop, OpType.Noop, OpType.Noop]);
      expect(trace.after.queuePosition).to.equal(1n);
      expect(trace.after.queueHash).to.equal(queueStep(crypto, 0n, op.item));
      expect(trace.withdrawalRoot).to.equal(merkleRootOf(crypto, [0n, 0n, 0n, 0n]));
      expect(publicSignalsOf(trace)).to.deep.equal([
        trace.prevRoot,
        trace.newRoot,
        trace.after.queueHash,
        trace.withdrawalRoot,
        CHAIN + (1n << 64n) + (1n << 128n),
      ]);
      expect(ledger.stateRoot()).to.equal(trace.newRoot);
    });

    it("test_deposit_topsUpTheSameKeyAndTokenKeepingTheNonce", function () {
      const ledger = fixtureLedger();
      const t = ledger.executeBatch([alice.transfer({ chainId: CHAIN, from: 0, to: 1, amount: 0n, nonce: 0n })]);
      checkTrace(t);
      const trace = ledger.executeBatch([deposit(alice, 0n, 0n, 5n)]);
      checkTrace(trace);
      expect(trace.slots[0]!.credited).to.equal(true);
      expect(ledger.leaf(0)).to.deep.equal({ keyHash: alice.keyHash, tokenId: 0n, balance: 1005n, nonce: 1n });
    });

    it("test_deposit_refundsIndexOutOfRangeKeyMismatchTokenMismatchAndOverflow", function () {
      const ledger = fixtureLedger();
      const before = ledger.accounts();
      const refund = 0xabcn;
      const ops = [
        deposit(alice, 0n, BigInt(2 ** D) + 1n, 7n, refund), // index ≥ 2^D: a.index = index mod 2^D = 1
        deposit(bob, 0n, 0n, 8n, refund), // slot 0 holds alice's key
        deposit(alice, 1n, 0n, 9n, refund), // slot 0 holds token 0
        deposit(dave, 0n, 3n, 1n, refund), // 2^128 − 1 + 1 overflows
      ];
      const trace = ledger.executeBatch(ops);
      checkTrace(trace);
      expect(trace.slots.map((s) => s.credited)).to.deep.equal([false, false, false, false]);
      expect(trace.slots.map((s) => s.a.index)).to.deep.equal([1, 0, 0, 3]);
      for (const s of trace.slots) expect(s.a.after).to.deep.equal(s.a.before);
      expect(trace.slots.map((s) => s.withdrawal)).to.deep.equal([
        { recipient: refund, tokenId: 0n, amount: 7n },
        { recipient: refund, tokenId: 0n, amount: 8n },
        { recipient: refund, tokenId: 1n, amount: 9n },
        { recipient: refund, tokenId: 0n, amount: 1n },
      ]);
      expect(ledger.accounts()).to.deep.equal(before);
      expect(trace.after.accountsRoot).to.equal(trace.before.accountsRoot);
      expect(trace.after.queuePosition).to.equal(8n);
      expect(trace.after.queueHash).to.equal(
        queueHashOf(
          crypto,
          ops.map((o) => o.item),
          trace.before.queueHash,
        ),
      );
    });

    it("test_deposit_creditsUpToExactly2pow128Minus1", function () {
      const ledger = Ledger.withCrypto(crypto, { chainId: CHAIN, K: 2, D });
      const trace = ledger.executeBatch([deposit(alice, 0n, 0n, TWO_128 - 2n), deposit(alice, 0n, 0n, 1n)]);
      checkTrace(trace);
      expect(trace.slots.map((s) => s.credited)).to.deep.equal([true, true]);
      expect(ledger.leaf(0).balance).to.equal(TWO_128 - 1n);
    });
  });

  describe("forced queue items (kinds 2 and 3)", function () {
    const RECIPIENT = 0xf0f0n;
    const forced = (keyHash: bigint, tokenId: bigint, accountIndex: bigint, amount: bigint): Op => ({
      type: OpType.QueueItem,
      item: forcedWithdrawalItem({ tokenId, accountIndex, amount, keyHash, recipient: RECIPIENT }),
    });
    const itemOf = (op: Op): QueueItem => (op as QueueItemOp).item;

    it("test_forcedItems_encodeAndDecode", function () {
      const item = forcedWithdrawalItem({
        tokenId: 7n,
        accountIndex: 3n,
        amount: 99n,
        keyHash: alice.keyHash,
        recipient: RECIPIENT,
      });
      expect(item).to.deep.equal({
        w0: 2n + (7n << 8n) + (3n << 40n) + (99n << 72n),
        w1: alice.keyHash,
        w2: RECIPIENT,
      });
      expect(decodeForcedWithdrawalItem(item)).to.deep.equal({
        tokenId: 7n,
        accountIndex: 3n,
        amount: 99n,
        keyHash: alice.keyHash,
        recipient: RECIPIENT,
      });
      const msg = forcedMessageItem({ payloadHash: 12345n, sender: 0xabn });
      expect(msg).to.deep.equal({ w0: 3n, w1: 12345n, w2: 0xabn });
      expect(decodeForcedMessageItem(msg)).to.deep.equal({ payloadHash: 12345n, sender: 0xabn });
      const bad = { tokenId: 0n, accountIndex: 0n, amount: 1n, keyHash: 1n, recipient: 1n };
      expect(() => forcedWithdrawalItem({ ...bad, keyHash: 0n })).to.throw(LedgerEncodingError);
      expect(() => forcedWithdrawalItem({ ...bad, recipient: TWO_160 })).to.throw(LedgerEncodingError);
      expect(() => forcedWithdrawalItem({ ...bad, amount: TWO_128 })).to.throw(LedgerEncodingError);
      expect(() => forcedMessageItem({ payloadHash: FIELD_R, sender: 0n })).to.throw(LedgerEncodingError);
      expect(() => forcedMessageItem({ payloadHash: 0n, sender: TWO_160 })).to.throw(LedgerEncodingError);
      expect(() => decodeForcedWithdrawalItem(msg)).to.throw(LedgerEncodingError);
      expect(() => decodeForcedMessageItem(item)).to.throw(LedgerEncodingError);
      expect(() => decodeDepositItem(item)).to.throw(LedgerEncodingError);
    });

    it("test_forcedWithdrawal_debitsKeepsTheNonceAndEmitsTheEntry", function () {
      const ledger = fixtureLedger();
      const before = ledger.leaf(0);
      const op = forced(alice.keyHash, 0n, 0n, 400n);
      const trace = ledger.executeBatch([op]);
      checkTrace(trace);
      const slot = trace.slots[0]!;
      expect(slot.queueKind).to.equal(2);
      expect(slot.forcedExecuted).to.equal(true);
      expect(slot.a.index).to.equal(0);
      expect(ledger.leaf(0)).to.deep.equal({ ...before, balance: 600n });
      expect(slot.withdrawal).to.deep.equal({ recipient: RECIPIENT, tokenId: 0n, amount: 400n });
      expect(slot.entryHash).to.equal(crypto.poseidon([RECIPIENT, 0n, 400n]));
      expect(trace.after.queuePosition).to.equal(trace.before.queuePosition + 1n);
      expect(trace.after.queueHash).to.equal(queueStep(crypto, trace.before.queueHash, itemOf(op)));
      // The whole balance is a valid amount.
      const all = ledger.executeBatch([forced(bob.keyHash, 0n, 1n, 10n)]);
      checkTrace(all);
      expect(all.slots[0]!.forcedExecuted).to.equal(true);
      expect(ledger.leaf(1).balance).to.equal(0n);
    });

    it("test_forcedWithdrawal_isANoopForEachInvalidCondition", function () {
      const ledger = fixtureLedger();
      const accounts = ledger.accounts();
      const ops = [
        forced(bob.keyHash, 0n, 0n, 1n), // wrong key hash: slot 0 is alice's
        forced(alice.keyHash, 0n, 6n, 1n), // empty slot
        forced(carol.keyHash, 0n, 2n, 1n), // token mismatch: slot 2 holds token 1
        forced(alice.keyHash, 0n, 0n, 1001n), // insufficient balance (1000)
      ];
      const trace = ledger.executeBatch(ops);
      checkTrace(trace);
      const more = [
        forced(alice.keyHash, 0n, 0n, 0n), // zero amount
        forced(alice.keyHash, 0n, BigInt(2 ** D), 1n), // slot ≥ 2^D (aliases slot 0)
        forced(alice.keyHash, 0n, 2n ** 32n - 1n, 1n), // slot ≥ 2^D, the largest
        forced(1n, 0n, 7n, 1n), // a key hash that owns nothing, on an empty slot
      ];
      const trace2 = ledger.executeBatch(more);
      checkTrace(trace2);
      for (const t of [trace, trace2]) {
        expect(t.slots.map((s) => s.queueKind)).to.deep.equal([2, 2, 2, 2]);
        expect(t.slots.map((s) => s.forcedExecuted)).to.deep.equal([false, false, false, false]);
        expect(t.slots.map((s) => s.withdrawal)).to.deep.equal([null, null, null, null]);
        expect(t.slots.map((s) => s.entryHash)).to.deep.equal([0n, 0n, 0n, 0n]);
        for (const s of t.slots) expect(s.a.after).to.deep.equal(s.a.before);
        expect(t.after.accountsRoot).to.equal(t.before.accountsRoot);
        expect(t.after.queuePosition).to.equal(t.before.queuePosition + 4n);
      }
      expect(trace2.slots.map((s) => s.a.index)).to.deep.equal([0, 0, 2 ** D - 1, 7]);
      expect(ledger.accounts()).to.deep.equal(accounts);
      expect(trace2.after.queueHash).to.equal(
        queueHashOf(crypto, [...ops, ...more].map(itemOf), trace.before.queueHash),
      );
    });

    it("test_forcedMessage_isConsumedWithoutEffect", function () {
      const ledger = fixtureLedger();
      const accounts = ledger.accounts();
      const op: Op = { type: OpType.QueueItem, item: forcedMessageItem({ payloadHash: 777n, sender: 0x5en }) };
      const trace = ledger.executeBatch([op]);
      checkTrace(trace);
      const slot = trace.slots[0]!;
      expect(slot.queueKind).to.equal(3);
      expect(slot.withdrawal).to.equal(null);
      expect(slot.entryHash).to.equal(0n);
      expect(ledger.accounts()).to.deep.equal(accounts);
      expect(trace.after.accountsRoot).to.equal(trace.before.accountsRoot);
      expect(trace.after.queuePosition).to.equal(trace.before.queuePosition + 1n);
      expect(trace.after.queueHash).to.equal(queueStep(crypto, trace.before.queueHash, itemOf(op)));
    });

    it("test_forcedItems_runInQueueOrderWithDeposits", function () {
      const ledger = fixtureLedger();
      const ops: Op[] = [
        forced(bob.keyHash, 0n, 1n, 15n), // 15 > 10: no-op
        deposit(bob, 0n, 1n, 5n), // bob: 15
        forced(bob.keyHash, 0n, 1n, 15n), // now executed: 0
        { type: OpType.QueueItem, item: forcedMessageItem({ payloadHash: 1n, sender: 2n }) },
      ];
      const trace = ledger.executeBatch(ops);
      checkTrace(trace);
      expect(trace.slots.map((s) => s.queueKind)).to.deep.equal([2, 1, 2, 3]);
      expect(trace.slots.map((s) => s.forcedExecuted)).to.deep.equal([false, false, true, false]);
      expect(trace.slots[1]!.credited).to.equal(true);
      expect(ledger.leaf(1).balance).to.equal(0n);
      expect(trace.slots.map((s) => s.entryHash)).to.deep.equal([0n, 0n, crypto.poseidon([RECIPIENT, 0n, 15n]), 0n]);
      expect(trace.after.queueHash).to.equal(queueHashOf(crypto, ops.map(itemOf), trace.before.queueHash));
      expect(trace.after.queuePosition).to.equal(trace.before.queuePosition + 4n);
    });

    it("test_queueItems_rejectKindsOtherThan123AndMalformedWords", function () {
      const ledger = fixtureLedger();
      for (const kind of [0n, 4n, 255n]) {
        const item = { w0: packW0({ kind, tokenId: 0n, accountIndex: 0n, amount: 1n }), w1: 1n, w2: 1n };
        expect(expectLedgerError(ledger, [{ type: OpType.QueueItem, item }]).code).to.equal("QueueKindUnsupported");
      }
      const fw = itemOf(forced(alice.keyHash, 0n, 0n, 1n));
      expect(expectLedgerError(ledger, [{ type: OpType.QueueItem, item: { ...fw, w1: FIELD_R } }]).code).to.equal(
        "BadQueueItem",
      );
      expect(expectLedgerError(ledger, [{ type: OpType.QueueItem, item: { ...fw, w2: TWO_160 } }]).code).to.equal(
        "BadQueueItem",
      );
      // w1 = 0 is no key: a no-op (the circuit's reading), not an error.
      const zero = ledger.executeBatch([{ type: OpType.QueueItem, item: { ...fw, w1: 0n } }]);
      expect(zero.slots[0]!.forcedExecuted).to.equal(false);
    });
  });

  describe("transfers and withdrawals", function () {
    it("test_transfer_movesTheAmountAndBumpsTheSenderNonce", function () {
      const ledger = fixtureLedger();
      const op = alice.transfer({ chainId: CHAIN, from: 0, to: 1, amount: 250n, nonce: 0n });
      const trace = ledger.executeBatch([op]);
      checkTrace(trace);
      const slot = trace.slots[0]!;
      expect([slot.a.index, slot.b.index]).to.deep.equal([0, 1]);
      expect(slot.a.after).to.deep.equal({ keyHash: alice.keyHash, tokenId: 0n, balance: 750n, nonce: 1n });
      expect(slot.b.after).to.deep.equal({ keyHash: bob.keyHash, tokenId: 0n, balance: 260n, nonce: 0n });
      expect(slot.withdrawal).to.equal(null);
      expect(trace.after.queuePosition).to.equal(trace.before.queuePosition);
      expect(ledger.leaf(1).balance).to.equal(260n);
    });

    it("test_transfer_selfTransferKeepsTheBalanceAndReadsToAfterFrom", function () {
      const ledger = fixtureLedger();
      const trace = ledger.executeBatch([
        alice.transfer({ chainId: CHAIN, from: 0, to: 0, amount: 1000n, nonce: 0n }),
        alice.transfer({ chainId: CHAIN, from: 0, to: 0, amount: 1n, nonce: 1n }),
      ]);
      checkTrace(trace);
      const slot = trace.slots[0]!;
      expect(slot.a.after.balance).to.equal(0n);
      expect(slot.b.before).to.deep.equal(slot.a.after);
      expect(slot.b.after).to.deep.equal({ keyHash: alice.keyHash, tokenId: 0n, balance: 1000n, nonce: 1n });
      expect(ledger.leaf(0)).to.deep.equal({ keyHash: alice.keyHash, tokenId: 0n, balance: 1000n, nonce: 2n });
    });

    it("test_withdraw_debitsTheSenderAndAppendsAnEntry", function () {
      const ledger = fixtureLedger();
      const recipient = TWO_160 - 1n;
      const trace = ledger.executeBatch([
        { type: OpType.Noop },
        carol.withdraw({ chainId: CHAIN, from: 2, recipient, amount: 5n, nonce: 0n }),
      ]);
      checkTrace(trace);
      const slot = trace.slots[1]!;
      expect(slot.a.index).to.equal(2);
      expect(slot.a.after).to.deep.equal({ keyHash: carol.keyHash, tokenId: 1n, balance: 0n, nonce: 1n });
      expect(slot.withdrawal).to.deep.equal({ recipient, tokenId: 1n, amount: 5n });
      const E = withdrawalEntryHash(crypto, recipient, 1n, 5n);
      expect(trace.withdrawalRoot).to.equal(merkleRootOf(crypto, [0n, E, 0n, 0n]));
      expect(ledger.leaf(2).balance).to.equal(0n);
    });

    it("test_transfer_signedForChain1IsRejectedOnChain2", function () {
      const op = alice.transfer({ chainId: 1n, from: 0, to: 1, amount: 1n, nonce: 0n });
      const chain2 = fixtureLedger(2n);
      const root = chain2.stateRoot();
      const err = expectLedgerError(chain2, [op]);
      expect(err.code).to.equal("BadSignature");
      expect(chain2.stateRoot()).to.equal(root);
      checkTrace(fixtureLedger(1n).executeBatch([op]));
      checkTrace(chain2.executeBatch([alice.transfer({ chainId: 2n, from: 0, to: 1, amount: 1n, nonce: 0n })]));
    });

    it("test_withdraw_signatureDoesNotAuthorizeATransfer", function () {
      // Same (from, to/recipient, amount, nonce): the type tag in H_6 separates the two messages.
      const ledger = fixtureLedger();
      const w = alice.withdraw({ chainId: CHAIN, from: 0, recipient: 1n, amount: 1n, nonce: 0n });
      const forged: Op = { type: OpType.Transfer, from: 0, to: 1, amount: 1n, nonce: 0n, pubKey: w.pubKey, sig: w.sig };
      expect(expectLedgerError(ledger, [forged]).code).to.equal("BadSignature");
    });
  });

  describe("LedgerError codes", function () {
    /** Batches whose slot 1 fails with each code; slot 0 is a valid transfer so rollback is exercised. */
    const cases: Record<Exclude<LedgerErrorCode, "BadSnapshot" | "TooManyOps">, () => Op> = {
      BadOp: () => ({ type: 9 }) as unknown as Op,
      QueueKindUnsupported: () => ({
        type: OpType.Deposit,
        item: { w0: packW0({ kind: 4n, tokenId: 0n, accountIndex: 0n, amount: 1n }), w1: 1n, w2: 1n },
      }),
      BadQueueItem: () => ({ type: OpType.Deposit, item: { w0: TWO_200 + 1n, w1: 1n, w2: 1n } }),
      IndexRange: () => alice.transfer({ chainId: CHAIN, from: 0, to: 2 ** D, amount: 1n, nonce: 1n }),
      AmountRange: () => {
        const amount = TWO_128;
        const msg = transferMessage(crypto, CHAIN, 0, 1, amount, 1n);
        return { type: OpType.Transfer, from: 0, to: 1, amount, nonce: 1n, pubKey: alice.pubKey, sig: alice.sign(msg) };
      },
      RecipientRange: () => ({
        ...alice.withdraw({ chainId: CHAIN, from: 0, recipient: 1n, amount: 1n, nonce: 1n }),
        recipient: TWO_160,
      }),
      UnknownSender: () => alice.transfer({ chainId: CHAIN, from: 5, to: 1, amount: 0n, nonce: 0n }),
      KeyMismatch: () => bob.transfer({ chainId: CHAIN, from: 0, to: 1, amount: 1n, nonce: 1n }),
      BadNonce: () => alice.transfer({ chainId: CHAIN, from: 0, to: 1, amount: 1n, nonce: 0n }),
      BadSignature: () => ({
        ...alice.transfer({ chainId: CHAIN, from: 0, to: 1, amount: 1n, nonce: 1n }),
        amount: 2n,
      }),
      Overspend: () => alice.transfer({ chainId: CHAIN, from: 0, to: 1, amount: 1000n, nonce: 1n }),
      RecipientEmpty: () => alice.transfer({ chainId: CHAIN, from: 0, to: 6, amount: 1n, nonce: 1n }),
      TokenMismatch: () => alice.transfer({ chainId: CHAIN, from: 0, to: 2, amount: 1n, nonce: 1n }),
      BalanceOverflow: () => alice.transfer({ chainId: CHAIN, from: 0, to: 3, amount: 1n, nonce: 1n }),
    };

    /** A valid transfer from the fixture state, signed once (state is unchanged after each failure). */
    let valid: Op;
    before(function () {
      valid = alice.transfer({ chainId: CHAIN, from: 0, to: 1, amount: 1n, nonce: 0n });
    });

    for (const [code, makeOp] of Object.entries(cases)) {
      it(`test_executeBatch_${code}_throwsAndLeavesTheStateUnchanged`, function () {
        const ledger = fixtureLedger();
        const snapshot = ledger.toJSON();
        const err = expectLedgerError(ledger, [valid, makeOp(), { type: OpType.Noop }]);
        expect(err.code).to.equal(code);
        expect(err.slot).to.equal(1);
        expect(err.message).to.match(new RegExp(`^${code} \\(slot 1\\): `));
        expect(ledger.toJSON()).to.deep.equal(snapshot);
        expect(ledger.stateRoot().toString()).to.equal(snapshot.stateRoot);
        checkTrace(ledger.executeBatch([valid])); // still usable and at the old nonce
      });
    }

    it("test_executeBatch_TooManyOps_throwsAndLeavesTheStateUnchanged", function () {
      const ledger = fixtureLedger();
      const snapshot = ledger.toJSON();
      const err = expectLedgerError(
        ledger,
        Array.from({ length: K + 1 }, () => ({ type: OpType.Noop }) as const),
      );
      expect(err.code).to.equal("TooManyOps");
      expect(err.slot).to.equal(undefined);
      expect(ledger.toJSON()).to.deep.equal(snapshot);
    });

    it("test_executeBatch_depositBeforeAFailureIsRolledBackWithTheQueueCursor", function () {
      const ledger = fixtureLedger();
      const snapshot = ledger.toJSON();
      const overspend = alice.transfer({ chainId: CHAIN, from: 0, to: 1, amount: 1001n, nonce: 0n });
      const err = expectLedgerError(ledger, [deposit(alice, 0n, 4n, 1n), overspend]);
      expect(err.code).to.equal("Overspend");
      expect(ledger.toJSON()).to.deep.equal(snapshot);
    });
  });

  describe("snapshots", function () {
    it("test_snapshot_roundTripsThroughJsonAndContinuesIdentically", async function () {
      const ledger = fixtureLedger();
      checkTrace(
        ledger.executeBatch([bob.withdraw({ chainId: CHAIN, from: 1, recipient: 5n, amount: 3n, nonce: 0n })]),
      );
      const text = JSON.stringify(ledger);
      const restored = await Ledger.fromJSON(text);
      expect(restored.toJSON()).to.deep.equal(ledger.toJSON());
      expect(await Ledger.fromJSON(ledger.toJSON()).then((l) => l.stateRoot())).to.equal(ledger.stateRoot());
      expect(restored.header()).to.deep.equal(ledger.header());
      expect(restored.accounts()).to.deep.equal(ledger.accounts());
      expect([restored.chainId, restored.K, restored.D]).to.deep.equal([CHAIN, K, D]);
      const op = alice.transfer({ chainId: CHAIN, from: 0, to: 1, amount: 9n, nonce: 0n });
      const next = ledger.executeBatch([op, deposit(bob, 0n, 7n, 1n)]);
      expect(restored.executeBatch([op, deposit(bob, 0n, 7n, 1n)])).to.deep.equal(next);
    });

    it("test_snapshot_rejectsTamperedOrMalformedInput", async function () {
      const snapshot = fixtureLedger().toJSON();
      const tampered = { ...snapshot, accounts: snapshot.accounts.map((a) => ({ ...a, balance: "1" })) };
      const bad = [
        tampered,
        { ...snapshot, version: 2 },
        { ...snapshot, l2Block: "01" },
        { ...snapshot, K: 3 },
        { ...snapshot, accounts: [...snapshot.accounts].reverse() },
        "{not json",
      ];
      for (const s of bad) {
        let caught: unknown;
        try {
          await Ledger.fromJSON(s as typeof snapshot);
        } catch (err) {
          caught = err;
        }
        expect(caught, JSON.stringify(s).slice(0, 60)).to.be.instanceOf(LedgerError);
        expect((caught as LedgerError).code).to.equal("BadSnapshot");
      }
    });

    it("test_clone_isIndependent", function () {
      const ledger = fixtureLedger();
      const copy = ledger.clone();
      ledger.executeBatch([deposit(alice, 0n, 0n, 1n)]);
      expect(copy.stateRoot()).to.not.equal(ledger.stateRoot());
      expect(copy.leaf(0).balance).to.equal(1000n);
      expect(copy.executeBatch([deposit(alice, 0n, 0n, 1n)]).newRoot).to.equal(ledger.stateRoot());
    });

    it("test_findAccountAndFreeIndex", async function () {
      const ledger = fixtureLedger();
      expect(ledger.findAccount(carol.keyHash, 1n)).to.equal(2);
      expect(ledger.findAccount(carol.keyHash, 0n)).to.equal(undefined);
      expect(ledger.freeIndex()).to.equal(4);
      expect(Ledger.withCrypto(crypto, { chainId: CHAIN, K, D }).freeIndex()).to.equal(0);
      const full = await Ledger.create({ chainId: CHAIN, K: 2, D: 1 });
      full.executeBatch([deposit(alice, 0n, 0n, 1n), deposit(alice, 0n, 1n, 1n)]);
      expect(full.freeIndex()).to.equal(undefined);
      expect(() => Ledger.withCrypto(crypto, { chainId: TWO_64, K, D })).to.throw(RangeError);
      expect(() => Ledger.withCrypto(crypto, { chainId: CHAIN, K: 3, D })).to.throw(RangeError);
    });
  });

  describe("property (fast-check)", function () {
    type Cmd =
      | { t: "deposit"; who: number; token: bigint; index: number; amount: bigint }
      | { t: "transfer"; from: number; to: number; pct: bigint }
      | { t: "withdraw"; from: number; pct: bigint; recipient: bigint }
      | { t: "noop" };

    const SLOTS = 2 ** D;
    const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.record({
          t: fc.constant("deposit" as const),
          who: fc.integer({ min: 0, max: 2 }),
          token: fc.bigInt({ min: 0n, max: 1n }),
          index: fc.integer({ min: 0, max: SLOTS + 1 }), // sometimes out of range
          amount: fc.oneof(
            { weight: 5, arbitrary: fc.bigInt({ min: 0n, max: 1000n }) },
            { weight: 1, arbitrary: fc.constant(TWO_128 - 1n) },
          ),
        }),
      },
      {
        weight: 3,
        arbitrary: fc.record({
          t: fc.constant("transfer" as const),
          from: fc.integer({ min: 0, max: SLOTS - 1 }),
          to: fc.integer({ min: 0, max: SLOTS - 1 }),
          pct: fc.bigInt({ min: 0n, max: 100n }),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          t: fc.constant("withdraw" as const),
          from: fc.integer({ min: 0, max: SLOTS - 1 }),
          pct: fc.bigInt({ min: 0n, max: 100n }),
          recipient: fc.bigInt({ min: 0n, max: TWO_160 - 1n }),
        }),
      },
      { weight: 1, arbitrary: fc.constant({ t: "noop" as const }) },
    );

    it("test_randomValidBatches_conserveBalancesAndMatchAModel", function () {
      this.timeout(120_000);
      const wallets = [alice, bob, carol];
      const tally = { credited: 0, refunded: 0, transfers: 0, withdrawals: 0 };
      fc.assert(
        fc.property(
          fc.array(fc.array(cmdArb, { minLength: 1, maxLength: K }), { minLength: 2, maxLength: 3 }),
          (batches) => {
            const ledger = Ledger.withCrypto(crypto, { chainId: CHAIN, K, D });
            /** The model: slot → leaf, kept by simple rules independent of Ledger. */
            const model = new Map<number, Leaf>();
            const deposited = [0n, 0n];
            const paidOut = [0n, 0n];
            for (const batch of batches) {
              const ops: Op[] = [];
              for (const cmd of batch) {
                if (cmd.t === "deposit") {
                  const w = wallets[cmd.who]!;
                  ops.push(deposit(w, cmd.token, BigInt(cmd.index), cmd.amount, 0x1234n));
                  deposited[Number(cmd.token)]! += cmd.amount;
                  const cur = model.get(cmd.index);
                  const fits = cmd.index < SLOTS;
                  const owner = cur === undefined || (cur.keyHash === w.keyHash && cur.tokenId === cmd.token);
                  const balance = (cur?.balance ?? 0n) + cmd.amount;
                  if (fits && owner && balance < TWO_128) {
                    model.set(cmd.index, { keyHash: w.keyHash, tokenId: cmd.token, balance, nonce: cur?.nonce ?? 0n });
                  }
                } else if (cmd.t === "transfer" || cmd.t === "withdraw") {
                  // `from` and `to` pick among the model's non-empty slots (`to`: those of the same token).
                  const used = [...model.keys()].sort((a, b) => a - b);
                  if (used.length === 0) continue;
                  const fromIndex = used[cmd.from % used.length]!;
                  const from = model.get(fromIndex)!;
                  const w = wallets.find((x) => x.keyHash === from.keyHash)!;
                  const amount = (from.balance * cmd.pct) / 100n;
                  const debited = { ...from, balance: from.balance - amount, nonce: from.nonce + 1n };
                  if (cmd.t === "withdraw") {
                    const { recipient } = cmd;
                    ops.push(w.withdraw({ chainId: CHAIN, from: fromIndex, recipient, amount, nonce: from.nonce }));
                    model.set(fromIndex, debited);
                    continue;
                  }
                  const peers = used.filter((i) => model.get(i)!.tokenId === from.tokenId);
                  const toIndex = peers[cmd.to % peers.length]!;
                  const to = toIndex === fromIndex ? debited : model.get(toIndex)!;
                  if (to.balance + amount >= TWO_128) continue;
                  ops.push(w.transfer({ chainId: CHAIN, from: fromIndex, to: toIndex, amount, nonce: from.nonce }));
                  model.set(fromIndex, debited);
                  model.set(toIndex, { ...to, balance: to.balance + amount });
                } else {
                  ops.push({ type: OpType.Noop });
                }
              }
              const prevRoot = ledger.stateRoot();
              const trace = ledger.executeBatch(ops);
              checkTrace(trace);
              expect(trace.prevRoot).to.equal(prevRoot);
              expect(trace.newRoot).to.equal(ledger.stateRoot());
              const h = ledger.header();
              expect(ledger.stateRoot()).to.equal(
                crypto.poseidon([h.accountsRoot, h.l2Block, h.queuePosition, h.queueHash]),
              );
              for (const s of trace.slots) {
                if (s.withdrawal) paidOut[Number(s.withdrawal.tokenId)]! += s.withdrawal.amount;
                if (s.op.type === OpType.Deposit) tally[s.credited ? "credited" : "refunded"]++;
                if (s.op.type === OpType.Transfer) tally.transfers++;
                if (s.op.type === OpType.Withdraw) tally.withdrawals++;
              }
            }
            const modelAccounts = [...model.entries()]
              .sort(([a], [b]) => a - b)
              .map(([index, leaf]) => ({ index, leaf }));
            expect(ledger.accounts()).to.deep.equal(modelAccounts);
            for (const token of [0n, 1n]) {
              const held = ledger
                .accounts()
                .filter((a) => a.leaf.tokenId === token)
                .reduce((sum, a) => sum + a.leaf.balance, 0n);
              expect(held + paidOut[Number(token)]!, `token ${token}`).to.equal(deposited[Number(token)]);
            }
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
      console.log(`      tally over ${RUNS} runs: ${JSON.stringify(tally)}`);
      expect(tally.credited + tally.refunded + tally.transfers + tally.withdrawals).to.be.greaterThan(0);
    });
  });
});
