/**
 * LedgerEscapeVerifier (docs/LEDGER.md §9) with the real circomlibjs-generated Poseidon contracts, a real
 * depth-8 ledger built by the TypeScript `Ledger` (deposits, a transfer, a withdrawal) and real
 * EdDSA-Poseidon signatures from circomlibjs: valid escapes return `(slot, tokenId, balance)`; every
 * rejection reverts with its custom error (wrong root, tampered path or leaf, wrong key, signatures by
 * another key or for another recipient, chain or slot, S ≥ l, points off the curve, a small-order key, empty
 * and zero-balance slots, non-canonical field elements, malformed bytes); random single-word corruptions
 * of a valid proof are never accepted. Prints the gas of `verifyEscape`.
 */
import { expect } from "chai";
import { buildBabyjub } from "circomlibjs";
import {
  type BaseContract,
  type BaseContractMethod,
  concat,
  getAddress,
  getBytes,
  hexlify,
  toBeHex,
  ZeroAddress,
} from "ethers";
import fc from "fast-check";

import LedgerEscapeVerifierModule from "../../ignition/modules/LedgerEscapeVerifier.ts";
import {
  BABYJUB_SUBORDER,
  buildEscapeProof,
  decodeEscapeProof,
  depositItem,
  encodeEscapeProof,
  escapeMessage,
  EscapeProofError,
  FIELD_R,
  getCrypto,
  Ledger,
  OpType,
  Wallet,
  type BuiltEscapeProof,
  type EscapeProof,
  type LedgerCrypto,
  type Op,
} from "../../src/ledger/index.ts";
import { poseidonArtifact } from "../../src/ledger/poseidon-contract.ts";
import type { LedgerEscapeVerifier } from "../../typechain-types/index.ts";
import { ethers, ignition, networkHelpers } from "../helpers/fixtures.ts";

const CHAIN = 7n;
const D = 8;
const RECIPIENT = getAddress("0x00000000000000000000000000000000000e5ca9");
const OTHER_RECIPIENT = getAddress("0x000000000000000000000000000000000000beef");
/** fast-check seed, fixed so that runs are reproducible. */
const SEED = 0xe5ca9e;
/** A point of order 8 of Baby Jubjub (test/solidity/BabyJubJub.t.sol says how it was found). */
const T8 = {
  Ax: 17545522957889784193459637215142187266023652151580582754000402781682644312291n,
  Ay: 4826523245007015323400664741523384119579596407052839571721035538011798951543n,
};

/** The generated contracts overload `poseidon` (uint256[n] and bytes32[n]): call it by signature. */
type Poseidon = BaseContract & Record<string, BaseContractMethod<[bigint[]], bigint, bigint>>;

interface Fixture {
  verifier: LedgerEscapeVerifier;
  poseidon2: Poseidon;
  poseidon4: Poseidon;
  poseidon5: Poseidon;
}

let crypto: LedgerCrypto;
let ledger: Ledger;
/** The state root before the last batch (a real, older root of the same chain). */
let olderRoot: bigint;
let alice: Wallet;
let bob: Wallet;
let carol: Wallet;
let dave: Wallet;
let mallory: Wallet;
/** Slots of the final state: see `before`. */
const SLOT = { alice: 3, aliceToken5: 4, bob: 200, carol: 255, daveEmptied: 17, smallKey: 9, empty: 100 } as const;

async function deployPoseidon(n: number): Promise<Poseidon> {
  const [deployer] = await ethers.getSigners();
  const artifact = poseidonArtifact(n);
  const c = await new ethers.ContractFactory(artifact.abi as never[], artifact.bytecode, deployer).deploy();
  await c.waitForDeployment();
  return c as unknown as Poseidon;
}

async function verifierFixture(): Promise<Fixture> {
  const poseidon2 = await deployPoseidon(2);
  const poseidon4 = await deployPoseidon(4);
  const poseidon5 = await deployPoseidon(5);
  const verifier = (await ethers.deployContract("LedgerEscapeVerifier", [
    D,
    await poseidon2.getAddress(),
    await poseidon4.getAddress(),
    await poseidon5.getAddress(),
  ])) as unknown as LedgerEscapeVerifier;
  return { verifier, poseidon2, poseidon4, poseidon5 };
}

function deposit(keyHash: bigint, tokenId: bigint, accountIndex: bigint, amount: bigint): Op {
  return { type: OpType.Deposit, item: depositItem({ tokenId, accountIndex, amount, keyHash, refund: 0xf00dn }) };
}

/** A copy of `proof` changed by `edit`, ABI-encoded. */
function tampered(proof: EscapeProof, edit: (p: EscapeProof) => void): string {
  const copy = structuredClone(proof);
  edit(copy);
  return encodeEscapeProof(copy);
}

/** Calldata gas: 4 per zero byte, 16 per non-zero byte. */
function calldataGas(data: string): bigint {
  let gas = 0n;
  for (const b of getBytes(data)) gas += b === 0 ? 4n : 16n;
  return gas;
}

describe("LedgerEscapeVerifier", function () {
  let f: Fixture;
  let aliceProof: BuiltEscapeProof;

  before(async function () {
    crypto = await getCrypto();
    [alice, bob, carol, dave, mallory] = ["alice", "bob", "carol", "dave", "mallory"].map((s) =>
      Wallet.fromSeed(`escape ${s}`, crypto),
    ) as [Wallet, Wallet, Wallet, Wallet, Wallet];
    ledger = Ledger.withCrypto(crypto, { chainId: CHAIN, K: 4, D });
    ledger.executeBatch([
      deposit(alice.keyHash, 0n, BigInt(SLOT.alice), 1000n),
      deposit(bob.keyHash, 0n, BigInt(SLOT.bob), 500n),
      deposit(carol.keyHash, 5n, BigInt(SLOT.carol), 42n),
      deposit(dave.keyHash, 0n, BigInt(SLOT.daveEmptied), 70n),
    ]);
    ledger.executeBatch([
      deposit(alice.keyHash, 5n, BigInt(SLOT.aliceToken5), 9n),
      // Anyone can deposit to any key hash, a small-order point's included.
      deposit(crypto.keyHash(T8), 0n, BigInt(SLOT.smallKey), 1n),
    ]);
    olderRoot = ledger.stateRoot();
    ledger.executeBatch([
      alice.transfer({ chainId: CHAIN, from: SLOT.alice, to: SLOT.bob, amount: 250n, nonce: 0n }),
      dave.withdraw({ chainId: CHAIN, from: SLOT.daveEmptied, recipient: 0xd00dn, amount: 70n, nonce: 0n }),
    ]);
    aliceProof = buildEscapeProof(ledger, alice, SLOT.alice, RECIPIENT);
  });

  beforeEach(async function () {
    f = await networkHelpers.loadFixture(verifierFixture);
  });

  /** verifyEscape with the defaults of alice's proof. */
  function verify(proof: string, opts: { chainId?: bigint; root?: bigint; recipient?: string } = {}) {
    return f.verifier.verifyEscape(
      opts.chainId ?? CHAIN,
      toBeHex(opts.root ?? aliceProof.stateRoot, 32),
      opts.recipient ?? RECIPIENT,
      proof,
    );
  }

  describe("valid escapes", function () {
    it("returns (slot, tokenId, balance) for every funded slot of the final state", async function () {
      const cases = [
        [alice, SLOT.alice, 0n, 750n],
        [alice, SLOT.aliceToken5, 5n, 9n],
        [bob, SLOT.bob, 0n, 750n],
        [carol, SLOT.carol, 5n, 42n],
      ] as const;
      for (const [wallet, slot, tokenId, balance] of cases) {
        const built = buildEscapeProof(ledger, wallet, slot, RECIPIENT);
        expect(await verify(built.encoded)).to.deep.equal([BigInt(slot), tokenId, balance]);
        expect(built.proof.leaf.balance).to.equal(balance);
      }
    });

    it("escapeMessage, the proof layout and the hashes agree with the contracts", async function () {
      const msg = escapeMessage(crypto, CHAIN, SLOT.alice, RECIPIENT);
      expect(msg).to.equal(aliceProof.message);
      expect(escapeMessage(crypto, CHAIN, SLOT.alice, BigInt(RECIPIENT))).to.equal(msg);
      expect(await f.verifier.escapeMessage(CHAIN, SLOT.alice, RECIPIENT)).to.equal(msg);
      expect(crypto.poseidon([4n, CHAIN, BigInt(SLOT.alice), BigInt(RECIPIENT)])).to.equal(msg);
      expect(getBytes(aliceProof.encoded).length).to.equal(32 * (17 + D));
      expect(await f.verifier.proofLength()).to.equal(BigInt(32 * (17 + D)));
      expect(await f.verifier.depth()).to.equal(BigInt(D));
      expect(await f.verifier.ESCAPE_OP()).to.equal(4n);
      expect(decodeEscapeProof(aliceProof.encoded)).to.deep.equal(aliceProof.proof);
      expect(aliceProof.recipient).to.equal(RECIPIENT);
      const p = aliceProof.proof;
      expect(await f.poseidon2["poseidon(uint256[2])"]!([p.pubKey.Ax, p.pubKey.Ay])).to.equal(alice.keyHash);
      const hm = crypto.poseidon([p.sig.R8x, p.sig.R8y, p.pubKey.Ax, p.pubKey.Ay, msg]);
      expect(
        await f.poseidon5["poseidon(uint256[5])"]!([p.sig.R8x, p.sig.R8y, p.pubKey.Ax, p.pubKey.Ay, msg]),
      ).to.equal(hm);
      expect(crypto.verify(p.pubKey, msg, p.sig)).to.equal(true);
    });

    it("prints the gas of verifyEscape (depth 8)", async function () {
      const total = await f.verifier.verifyEscape.estimateGas(
        CHAIN,
        toBeHex(aliceProof.stateRoot, 32),
        RECIPIENT,
        aliceProof.encoded,
      );
      const data = f.verifier.interface.encodeFunctionData("verifyEscape", [
        CHAIN,
        toBeHex(aliceProof.stateRoot, 32),
        RECIPIENT,
        aliceProof.encoded,
      ]);
      const execution = total - 21_000n - calldataGas(data);
      console.log(`      verifyEscape (D = ${D}): estimateGas ${total}, execution ${execution}`);
      expect(total).to.be.lessThan(800_000n);
    });

    it("the Ignition module deploys a depth-8 verifier on the ReferenceValidium PoseidonT5", async function () {
      const { ledgerEscapeVerifier, poseidonT5 } = await ignition.deploy(LedgerEscapeVerifierModule, {
        parameters: { ClusterConfig: { maxFanOut: 16, maxDepth: 16, minStake: 0n } },
      });
      const verifier = ledgerEscapeVerifier as unknown as LedgerEscapeVerifier;
      expect(await verifier.depth()).to.equal(8n);
      expect(await verifier.poseidon4()).to.equal(await poseidonT5.getAddress());
      const root = toBeHex(aliceProof.stateRoot, 32);
      expect(await verifier.verifyEscape(CHAIN, root, RECIPIENT, aliceProof.encoded)).to.deep.equal([
        BigInt(SLOT.alice),
        0n,
        750n,
      ]);
    });

    it("the constructor rejects a depth outside [1, 32] and zero addresses", async function () {
      const a = await f.poseidon2.getAddress();
      const b = await f.poseidon4.getAddress();
      const c = await f.poseidon5.getAddress();
      const factory = await ethers.getContractFactory("LedgerEscapeVerifier");
      for (const depth of [0, 33]) {
        await expect(factory.deploy(depth, a, b, c))
          .to.be.revertedWithCustomError(f.verifier, "LedgerEscapeVerifierInvalidDepth")
          .withArgs(depth);
      }
      for (const [x, y, z] of [
        [ZeroAddress, b, c],
        [a, ZeroAddress, c],
        [a, b, ZeroAddress],
      ] as const) {
        await expect(factory.deploy(8, x, y, z)).to.be.revertedWithCustomError(
          f.verifier,
          "LedgerEscapeVerifierZeroAddress",
        );
      }
    });
  });

  describe("rejections", function () {
    it("a root other than the proof's state: EscapeStateRootMismatch", async function () {
      const computed = toBeHex(aliceProof.stateRoot, 32);
      for (const root of [olderRoot, aliceProof.stateRoot + 1n, 0n]) {
        await expect(verify(aliceProof.encoded, { root }))
          .to.be.revertedWithCustomError(f.verifier, "EscapeStateRootMismatch")
          .withArgs(toBeHex(root, 32), computed);
      }
      // A tampered header field changes the recomputed root.
      const proof = tampered(aliceProof.proof, (p) => (p.header.l2Block += 1n));
      await expect(verify(proof)).to.be.revertedWithCustomError(f.verifier, "EscapeStateRootMismatch");
    });

    it("a proof of an older state against the final root: EscapeStateRootMismatch", async function () {
      const old = Ledger.withCrypto(crypto, { chainId: CHAIN, K: 4, D });
      old.executeBatch([deposit(alice.keyHash, 0n, BigInt(SLOT.alice), 1000n)]);
      const stale = buildEscapeProof(old, alice, SLOT.alice, RECIPIENT);
      await expect(verify(stale.encoded)).to.be.revertedWithCustomError(f.verifier, "EscapeStateRootMismatch");
      // It is valid against its own (older) root: the escrow must pass the last final root.
      expect(await verify(stale.encoded, { root: stale.stateRoot })).to.deep.equal([BigInt(SLOT.alice), 0n, 1000n]);
    });

    it("a tampered sibling or accounts root: EscapeAccountNotInState", async function () {
      const accountsRoot = toBeHex(aliceProof.proof.header.accountsRoot, 32);
      for (const level of [0, 3, D - 1]) {
        const proof = tampered(aliceProof.proof, (p) => (p.siblings[level]! += 1n));
        await expect(verify(proof)).to.be.revertedWithCustomError(f.verifier, "EscapeAccountNotInState");
      }
      // The leaf presented at another slot (2 instead of 3: the level-0 order flips), or with another slot's path.
      const moved = tampered(aliceProof.proof, (p) => (p.slot = 2));
      await expect(verify(moved)).to.be.revertedWithCustomError(f.verifier, "EscapeAccountNotInState");
      const swapped = structuredClone(aliceProof.proof);
      swapped.siblings = ledger.siblings(2);
      await expect(verify(encodeEscapeProof(swapped)))
        .to.be.revertedWithCustomError(f.verifier, "EscapeAccountNotInState")
        .withArgs(accountsRoot, (x: string) => x !== accountsRoot);
    });

    it("a tampered leaf (balance, nonce, tokenId): EscapeAccountNotInState", async function () {
      const edits: Array<(p: EscapeProof) => void> = [
        (p) => (p.leaf.balance = 1n << 100n),
        (p) => (p.leaf.balance -= 1n),
        (p) => (p.leaf.nonce = 0n),
        (p) => (p.leaf.tokenId = 5n),
      ];
      for (const edit of edits) {
        await expect(verify(tampered(aliceProof.proof, edit))).to.be.revertedWithCustomError(
          f.verifier,
          "EscapeAccountNotInState",
        );
      }
    });

    it("a tampered keyHash: EscapeKeyMismatch, or EscapeAccountNotInState with a matching key", async function () {
      const proof = tampered(aliceProof.proof, (p) => (p.leaf.keyHash = mallory.keyHash));
      await expect(verify(proof))
        .to.be.revertedWithCustomError(f.verifier, "EscapeKeyMismatch")
        .withArgs(mallory.keyHash, alice.keyHash);
      // Mallory claims alice's slot with her own key and a valid signature of hers: not in the state.
      const claim = tampered(aliceProof.proof, (p) => {
        p.leaf.keyHash = mallory.keyHash;
        p.pubKey = { ...mallory.pubKey };
        p.sig = mallory.sign(aliceProof.message);
      });
      await expect(verify(claim)).to.be.revertedWithCustomError(f.verifier, "EscapeAccountNotInState");
    });

    it("another key than the slot owner's: EscapeKeyMismatch", async function () {
      const proof = tampered(aliceProof.proof, (p) => {
        p.pubKey = { ...bob.pubKey };
        p.sig = bob.sign(aliceProof.message);
      });
      await expect(verify(proof))
        .to.be.revertedWithCustomError(f.verifier, "EscapeKeyMismatch")
        .withArgs(alice.keyHash, bob.keyHash);
    });

    it("a signature by another key under the owner's key: EscapeInvalidSignature", async function () {
      const proof = tampered(aliceProof.proof, (p) => (p.sig = mallory.sign(aliceProof.message)));
      await expect(verify(proof)).to.be.revertedWithCustomError(f.verifier, "EscapeInvalidSignature");
    });

    it("a signature for another recipient, chain or slot: EscapeInvalidSignature", async function () {
      // The same proof presented for another recipient or chain.
      await expect(verify(aliceProof.encoded, { recipient: OTHER_RECIPIENT })).to.be.revertedWithCustomError(
        f.verifier,
        "EscapeInvalidSignature",
      );
      await expect(verify(aliceProof.encoded, { chainId: CHAIN + 1n })).to.be.revertedWithCustomError(
        f.verifier,
        "EscapeInvalidSignature",
      );
      // Signatures of other escape messages by the right key.
      const others = [
        escapeMessage(crypto, CHAIN, SLOT.alice, OTHER_RECIPIENT),
        escapeMessage(crypto, CHAIN + 1n, SLOT.alice, RECIPIENT),
        escapeMessage(crypto, CHAIN, SLOT.aliceToken5, RECIPIENT),
      ];
      for (const msg of others) {
        const proof = tampered(aliceProof.proof, (p) => (p.sig = alice.sign(msg)));
        await expect(verify(proof)).to.be.revertedWithCustomError(f.verifier, "EscapeInvalidSignature");
      }
      // A signed withdrawal message with the same fields does not authorise an escape (op type 3 vs 4).
      const withdrawal = alice.withdraw({
        chainId: CHAIN,
        from: SLOT.alice,
        recipient: BigInt(RECIPIENT),
        amount: 750n,
        nonce: 1n,
      });
      const proof = tampered(aliceProof.proof, (p) => (p.sig = withdrawal.sig));
      await expect(verify(proof)).to.be.revertedWithCustomError(f.verifier, "EscapeInvalidSignature");
    });

    it("S ≥ l: EscapeSignatureScalarOutOfRange", async function () {
      const S = aliceProof.proof.sig.S;
      for (const bad of [S + BABYJUB_SUBORDER, BABYJUB_SUBORDER, (1n << 256n) - 1n]) {
        const proof = tampered(aliceProof.proof, (p) => (p.sig.S = bad));
        await expect(verify(proof))
          .to.be.revertedWithCustomError(f.verifier, "EscapeSignatureScalarOutOfRange")
          .withArgs(bad);
      }
    });

    it("R8 or A off the curve: EscapePointNotOnCurve", async function () {
      const { R8x, R8y } = aliceProof.proof.sig;
      const proof = tampered(aliceProof.proof, (p) => (p.sig.R8y += 1n));
      await expect(verify(proof))
        .to.be.revertedWithCustomError(f.verifier, "EscapePointNotOnCurve")
        .withArgs(R8x, R8y + 1n);
      const zero = tampered(aliceProof.proof, (p) => (p.sig = { R8x: 0n, R8y: 0n, S: p.sig.S }));
      await expect(verify(zero)).to.be.revertedWithCustomError(f.verifier, "EscapePointNotOnCurve").withArgs(0n, 0n);
      const { Ax, Ay } = aliceProof.proof.pubKey;
      const key = tampered(aliceProof.proof, (p) => (p.pubKey.Ax = (p.pubKey.Ax + 1n) % FIELD_R));
      await expect(verify(key))
        .to.be.revertedWithCustomError(f.verifier, "EscapePointNotOnCurve")
        .withArgs((Ax + 1n) % FIELD_R, Ay);
    });

    it("a small-order key (a slot deposited to H_2 of an order-8 point): EscapeSmallOrderKey", async function () {
      // With A of order 8, 8·hm·A vanishes and R8 = S·B8 satisfies the cofactored equation for any message:
      // the forgery the small-order check exists to stop.
      const babyJub = await buildBabyjub();
      const F = babyJub.F;
      const S = 12345n;
      const R8 = babyJub.mulPointEscalar(babyJub.Base8, S);
      const eightA = babyJub.mulPointEscalar([F.e(T8.Ax), F.e(T8.Ay)], 8n);
      expect(F.isZero(eightA[0]) && F.eq(eightA[1], F.one)).to.equal(true);
      const forged: EscapeProof = {
        slot: SLOT.smallKey,
        leaf: ledger.leaf(SLOT.smallKey),
        siblings: ledger.siblings(SLOT.smallKey),
        header: ledger.header(),
        pubKey: T8,
        sig: { R8x: F.toObject(R8[0]), R8y: F.toObject(R8[1]), S },
      };
      expect(forged.leaf.keyHash).to.equal(crypto.keyHash(T8));
      await expect(verify(encodeEscapeProof(forged)))
        .to.be.revertedWithCustomError(f.verifier, "EscapeSmallOrderKey")
        .withArgs(T8.Ax, T8.Ay);
      // The identity and the order-2 point as keys.
      for (const key of [
        { Ax: 0n, Ay: 1n },
        { Ax: 0n, Ay: FIELD_R - 1n },
      ]) {
        const proof = tampered(forged, (p) => (p.pubKey = key));
        await expect(verify(proof))
          .to.be.revertedWithCustomError(f.verifier, "EscapeSmallOrderKey")
          .withArgs(key.Ax, key.Ay);
      }
    });

    it("a zero-balance slot: EscapeZeroBalance; an empty slot: EscapeEmptyAccount", async function () {
      expect(ledger.leaf(SLOT.daveEmptied)).to.deep.equal({
        keyHash: dave.keyHash,
        tokenId: 0n,
        balance: 0n,
        nonce: 1n,
      });
      expect(() => buildEscapeProof(ledger, dave, SLOT.daveEmptied, RECIPIENT)).to.throw(EscapeProofError, /zero/);
      const sign = (w: Wallet, slot: number) => w.sign(escapeMessage(crypto, CHAIN, slot, RECIPIENT));
      const zero: EscapeProof = {
        slot: SLOT.daveEmptied,
        leaf: ledger.leaf(SLOT.daveEmptied),
        siblings: ledger.siblings(SLOT.daveEmptied),
        header: ledger.header(),
        pubKey: { ...dave.pubKey },
        sig: sign(dave, SLOT.daveEmptied),
      };
      await expect(verify(encodeEscapeProof(zero)))
        .to.be.revertedWithCustomError(f.verifier, "EscapeZeroBalance")
        .withArgs(SLOT.daveEmptied);
      expect(() => buildEscapeProof(ledger, alice, SLOT.empty, RECIPIENT)).to.throw(EscapeProofError, /empty/);
      const empty: EscapeProof = {
        ...zero,
        slot: SLOT.empty,
        leaf: ledger.leaf(SLOT.empty),
        siblings: ledger.siblings(SLOT.empty),
        pubKey: { ...alice.pubKey },
        sig: sign(alice, SLOT.empty),
      };
      await expect(verify(encodeEscapeProof(empty)))
        .to.be.revertedWithCustomError(f.verifier, "EscapeEmptyAccount")
        .withArgs(SLOT.empty);
      // An empty slot claimed with a made-up balance is not in the state.
      const made = tampered(empty, (p) => {
        p.leaf = { keyHash: alice.keyHash, tokenId: 0n, balance: 1000n, nonce: 0n };
      });
      await expect(verify(made)).to.be.revertedWithCustomError(f.verifier, "EscapeAccountNotInState");
      expect(() => buildEscapeProof(ledger, mallory, SLOT.alice, RECIPIENT)).to.throw(EscapeProofError, /own/);
    });

    it("a slot ≥ 2^D: EscapeAccountOutOfRange", async function () {
      for (const slot of [2 ** D, 2 ** D + SLOT.alice, 2 ** 32]) {
        const proof = tampered(aliceProof.proof, (p) => (p.slot = slot));
        await expect(verify(proof)).to.be.revertedWithCustomError(f.verifier, "EscapeAccountOutOfRange").withArgs(slot);
      }
    });

    it("a field element ≥ r anywhere: EscapeNonCanonicalField (x + r would hash like x)", async function () {
      // The generated Poseidon computes mod r: without the check, balance + r would pass the Merkle path and
      // be paid out.
      const { leaf } = aliceProof.proof;
      expect(
        await f.poseidon4["poseidon(uint256[4])"]!([leaf.keyHash, leaf.tokenId, leaf.balance + FIELD_R, leaf.nonce]),
      ).to.equal(crypto.poseidon([leaf.keyHash, leaf.tokenId, leaf.balance, leaf.nonce]));
      const edits: Record<string, (p: EscapeProof) => bigint> = {
        keyHash: (p) => (p.leaf.keyHash += FIELD_R),
        tokenId: (p) => (p.leaf.tokenId += FIELD_R),
        balance: (p) => (p.leaf.balance += FIELD_R),
        nonce: (p) => (p.leaf.nonce += FIELD_R),
        accountsRoot: (p) => (p.header.accountsRoot += FIELD_R),
        l2Block: (p) => (p.header.l2Block += FIELD_R),
        queuePosition: (p) => (p.header.queuePosition += FIELD_R),
        queueHash: (p) => (p.header.queueHash += FIELD_R),
        Ax: (p) => (p.pubKey.Ax += FIELD_R),
        Ay: (p) => (p.pubKey.Ay += FIELD_R),
        R8x: (p) => (p.sig.R8x += FIELD_R),
        R8y: (p) => (p.sig.R8y += FIELD_R),
        "siblings[0]": (p) => (p.siblings[0]! += FIELD_R),
        "siblings[D-1]": (p) => (p.siblings[D - 1]! += FIELD_R),
        "2^256 - 1": (p) => (p.leaf.balance = (1n << 256n) - 1n),
      };
      for (const [what, edit] of Object.entries(edits)) {
        let value = 0n;
        const proof = tampered(aliceProof.proof, (p) => (value = edit(p)));
        await expect(verify(proof), what)
          .to.be.revertedWithCustomError(f.verifier, "EscapeNonCanonicalField")
          .withArgs(value);
      }
    });

    it("truncated, extended or garbage bytes: EscapeMalformedProof", async function () {
      const bytes = getBytes(aliceProof.encoded);
      const cases: Uint8Array[] = [
        new Uint8Array(0),
        bytes.slice(0, 32),
        bytes.slice(0, bytes.length - 32),
        bytes.slice(0, bytes.length - 1),
        getBytes(concat([bytes, new Uint8Array(32)])),
        getBytes(concat([bytes, new Uint8Array(1)])),
        getBytes(encodeEscapeProof({ ...aliceProof.proof, siblings: [...aliceProof.proof.siblings, 0n] })),
        getBytes(encodeEscapeProof({ ...aliceProof.proof, siblings: aliceProof.proof.siblings.slice(1) })),
        new Uint8Array(bytes.length).fill(0xff),
        new Uint8Array(bytes.length),
      ];
      // Right length, wrong head offset / siblings offset / siblings length.
      for (const [offset, value] of [
        [0, 0x40],
        [0x1e0, 0x200],
        [0x200, D - 1],
        [0x200, D + 1],
      ] as const) {
        const copy = Uint8Array.from(bytes);
        copy.set(getBytes(toBeHex(value, 32)), offset);
        cases.push(copy);
      }
      for (const data of cases) {
        await expect(verify(hexlify(data)))
          .to.be.revertedWithCustomError(f.verifier, "EscapeMalformedProof")
          .withArgs(data.length);
      }
    });

    it("property: a valid proof with one word replaced is never accepted and reverts with an Escape error", async function () {
      const words = getBytes(aliceProof.encoded).length / 32;
      const names = new Set<string>();
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: words - 1 }),
          fc.oneof(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), fc.bigInt({ min: 0n, max: 1n << 20n })),
          async (index, value) => {
            const copy = getBytes(aliceProof.encoded);
            const before = hexlify(copy.slice(index * 32, index * 32 + 32));
            copy.set(getBytes(toBeHex(value, 32)), index * 32);
            fc.pre(hexlify(copy.slice(index * 32, index * 32 + 32)) !== before);
            let accepted = false;
            try {
              await verify(hexlify(copy));
              accepted = true;
            } catch (err) {
              const data = (err as { data?: string }).data;
              const parsed = data ? f.verifier.interface.parseError(data) : null;
              expect(parsed, `word ${index} = ${value}: ${String(err)}`).to.not.equal(null);
              expect(parsed!.name).to.match(/^Escape/);
              names.add(parsed!.name);
            }
            expect(accepted, `word ${index} = ${value} was accepted`).to.equal(false);
          },
        ),
        { seed: SEED, numRuns: 60 },
      );
      expect(names.size).to.be.greaterThan(3);
    });
  });
});
