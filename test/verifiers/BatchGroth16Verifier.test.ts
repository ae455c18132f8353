/**
 * BatchGroth16Verifier with proofs of the toy circuit `test_five` (circuits/instances/test_five.circom:
 * five public signals, `w·s1 = s0`, `u = s2·s3 + s4`): batches of valid proofs are accepted, every
 * single altered element is rejected, N = 1 agrees with the snarkjs-generated single verifier (directly
 * and through Groth16UpdateVerifier), verifyBatchWords agrees with verifyBatch, hostile inputs revert with
 * the custom errors, and the gas of a batch is measured for N = 1, 2, 4, 8, 16.
 *
 * Artifacts: circuits/artifacts/test_five (run `node scripts/circuits/setup.ts test_five` to rebuild).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { expect } from "chai";
import { AbiCoder, keccak256, toBeHex, toUtf8Bytes, ZeroAddress, ZeroHash } from "ethers";
import * as snarkjs from "snarkjs";

import BatchGroth16VerifierModule from "../../ignition/modules/BatchGroth16Verifier.ts";
import { poseidonArtifact } from "../../src/ledger/poseidon-contract.ts";
import { instanceArtifacts, loadVkey, REPO_ROOT } from "../../src/prover/artifacts.ts";
import { proofWords } from "../../src/prover/solidity.ts";
import {
  BN254_Q,
  batchVerifierParameters,
  type BatchVerifyingKey,
  toBatchVerifyingKey,
} from "../../src/prover/vkey.ts";
import type { UpdatePublicData } from "../../src/sdk/registry.ts";
import type {
  BatchGroth16Verifier,
  Groth16UpdateVerifier,
  RequestQueue,
  TestFiveGroth16Verifier,
  ValidiumRegistry,
} from "../../typechain-types/index.ts";
import { deployRegistry, ethers, ignition, networkHelpers } from "../helpers/fixtures.ts";
import { releaseCurveWorkers } from "../../src/prover/cpu-backend.ts";

/** BN254 scalar field order r and base field order q. */
const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const Q = BN254_Q;
const INSTANCE = "test_five";
const SIZES = [1, 2, 4, 8, 16] as const;
const MAX_N = 16;
/** Chains 101..116 each get one deposit, so (1, hashAt(c, 1)) is a non-trivial queue point. */
const CHAIN_BASE = 101n;
/** Chain 200 gets MAX_N deposits: consecutive updates of one chain. */
const ONE_CHAIN = 200n;

type Words = bigint[];
type Signals = [bigint, bigint, bigint, bigint, bigint];
/** A copy of signals, as the five-tuple the contract types expect. */
const sig = (xs: readonly bigint[]): Signals => {
  if (xs.length !== 5) throw new Error("five signals expected");
  return [...xs] as Signals;
};
interface Proof {
  words: Words;
  signals: Signals;
}

// ------------------------------------------------------------------ proving

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

/** A deterministic field element for `label` (never zero). */
function fieldOf(label: string): bigint {
  return (BigInt(keccak256(toUtf8Bytes(label))) % (R - 1n)) + 1n;
}

/** A Groth16 proof of the toy circuit for signals `s` (s[1] ≠ 0 or s[0] = 0). */
async function prove(s: Signals): Promise<Proof> {
  const [s0, s1, s2, s3, s4] = s as [bigint, bigint, bigint, bigint, bigint];
  const w = s1 === 0n ? 0n : (s0 * modPow(s1, R - 2n, R)) % R;
  const u = (s2 * s3 + s4) % R;
  const { wasm, zkey } = instanceArtifacts(INSTANCE);
  const input = { s: s.map(String), w: w.toString(), u: u.toString() };
  const { proof, publicSignals } = await snarkjs.groth16.fullProve(input, wasm, zkey);
  return { words: proofWords(proof), signals: sig(publicSignals.map((x) => BigInt(x))) };
}

/** The five public signals of an update (docs/LEDGER.md §7), as LedgerPublicSignals derives them. */
function signalsOf(d: UpdatePublicData): Signals {
  const meta = BigInt(d.chainId) | (BigInt(d.l2Block) << 64n) | (BigInt(d.queuePosition) << 128n);
  return [BigInt(d.prevRoot), BigInt(d.newRoot), BigInt(d.queueHash), BigInt(d.withdrawalRoot), meta];
}

/** `abi.encode(uint256[2] a, uint256[2][2] b, uint256[2] c)` of proof words. */
function proofBytes(w: Words): string {
  return AbiCoder.defaultAbiCoder().encode(
    ["uint256[2]", "uint256[2][2]", "uint256[2]"],
    [
      [w[0], w[1]],
      [
        [w[2], w[3]],
        [w[4], w[5]],
      ],
      [w[6], w[7]],
    ],
  );
}

/** The eight proof words of proof bytes (the inverse of `proofBytes`). */
function wordsOfBytes(proof: string): Words {
  return [...(AbiCoder.defaultAbiCoder().decode(["uint256[8]"], proof)[0] as bigint[])];
}

/** "true" or "false" for a call that returns, its revert data for one that reverts. */
async function outcome(call: Promise<boolean>): Promise<string> {
  try {
    return String(await call);
  } catch (e) {
    const data = (e as { data?: unknown }).data;
    if (typeof data !== "string") throw e;
    return data;
  }
}

/** The single verifier's arguments (a, b, c, signals). */
function singleArgs(p: Proof): [[bigint, bigint], [[bigint, bigint], [bigint, bigint]], [bigint, bigint], Signals] {
  const w = p.words as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  return [
    [w[0], w[1]],
    [
      [w[2], w[3]],
      [w[4], w[5]],
    ],
    [w[6], w[7]],
    p.signals,
  ];
}

const hex32 = (v: bigint): string => toBeHex(v, 32);

// ------------------------------------------------------------------ fixture

/** Poseidon, RequestQueue, the generated single verifier and the single-proof adapter. */
const SettlementModule = buildModule("BatchVerifierTestSettlement", (m) => {
  const registry = m.contractAt("ValidiumRegistry", m.getParameter<string>("registry"));
  const poseidon = m.contract("PoseidonT5", poseidonArtifact(4), [], { id: "PoseidonT5" });
  const poseidonT3 = m.contract("PoseidonT3", poseidonArtifact(2), [], { id: "PoseidonT3" });
  const poseidonT4 = m.contract("PoseidonT4", poseidonArtifact(3), [], { id: "PoseidonT4" });
  const poseidonT6 = m.contract("PoseidonT6", poseidonArtifact(5), [], { id: "PoseidonT6" });
  const signatureVerifier = m.contract("LedgerSignatureVerifier", [poseidonT3, poseidon, poseidonT6]);
  const requestQueue = m.contract("RequestQueue", [
    registry,
    poseidon,
    poseidonT3,
    poseidonT4,
    signatureVerifier,
    m.getAccount(0),
  ]);
  const single = m.contract("TestFiveGroth16Verifier", [], { id: "TestFiveGroth16Verifier" });
  const adapter = m.contract("Groth16UpdateVerifier", [single, requestQueue]);
  return { requestQueue, single, adapter };
});

interface Fixture {
  registry: ValidiumRegistry;
  queue: RequestQueue;
  batch: BatchGroth16Verifier;
  single: TestFiveGroth16Verifier;
  adapter: Groth16UpdateVerifier;
  queueAddress: string;
}

async function fixture(): Promise<Fixture> {
  const { registry, admin, operators } = await deployRegistry({ maxFanOut: 32, maxDepth: 4, minStake: 0n });
  const registryAddress = await registry.getAddress();
  const settlement = await ignition.deploy(SettlementModule, {
    parameters: { BatchVerifierTestSettlement: { registry: registryAddress } },
  });
  const queue = settlement.requestQueue as unknown as RequestQueue;
  const queueAddress = await queue.getAddress();
  const { batchGroth16Verifier } = await ignition.deploy(BatchGroth16VerifierModule, {
    parameters: { BatchGroth16Verifier: batchVerifierParameters(loadVkey(INSTANCE), queueAddress) },
  });
  const batch = batchGroth16Verifier as unknown as BatchGroth16Verifier;
  const operator = operators[0]!;
  const batchAddress = await batch.getAddress();
  for (let k = 0n; k < BigInt(MAX_N); ++k) {
    await registry.connect(admin).registerChain(CHAIN_BASE + k, 0n, operator.address, batchAddress, ZeroHash);
    await queue.depositEth(CHAIN_BASE + k, 0, fieldOf(`key ${k}`), admin.address, { value: 1000n + k });
  }
  await registry.connect(admin).registerChain(ONE_CHAIN, 0n, operator.address, batchAddress, ZeroHash);
  for (let k = 0; k < MAX_N; ++k) {
    await queue.depositEth(ONE_CHAIN, k, fieldOf(`one ${k}`), admin.address, { value: 1n });
  }
  return {
    registry,
    queue,
    batch,
    single: settlement.single as unknown as TestFiveGroth16Verifier,
    adapter: settlement.adapter as unknown as Groth16UpdateVerifier,
    queueAddress,
  };
}

/** An update of `chainId` at queue point (position, hash), with field-valued roots derived from `label`. */
function update(chainId: bigint, position: bigint, queueHash: string, label: string, l2Block = 7n): UpdatePublicData {
  return {
    chainId,
    ackBlock: 0n,
    l2Block,
    queuePosition: position,
    prevRoot: hex32(fieldOf(`${label} prev`)),
    newRoot: hex32(fieldOf(`${label} new`)),
    queueHash,
    outboxRoot: ZeroHash,
    inboxRoot: ZeroHash,
    withdrawalRoot: hex32(fieldOf(`${label} withdrawals`)),
  };
}

interface UpdateProof {
  data: UpdatePublicData;
  proof: string;
}

describe("BatchGroth16Verifier", function () {
  /** Proofs of MAX_N statements with random-looking signals (every signal non-zero). */
  let proofs: Proof[];
  /** One update and proof per chain 101..116 (queue point (1, hashAt(c, 1))). */
  let manyChains: UpdateProof[];
  /** MAX_N consecutive updates of ONE_CHAIN (queue points 1..MAX_N). */
  let oneChain: UpdateProof[];
  /** One update per chain 101..116 at queue point (0, 0), as for chains without deposits. */
  let freshChains: UpdateProof[];
  /** An update at queue point (0, 0) of chain 101, and its proof. */
  let origin: UpdateProof;

  before(async function () {
    const { queue } = await networkHelpers.loadFixture(fixture);
    proofs = [];
    for (let i = 0; i < MAX_N; ++i) {
      proofs.push(await prove(sig([0, 1, 2, 3, 4].map((j) => fieldOf(`statement ${i} signal ${j}`)))));
    }
    const withProof = async (data: UpdatePublicData): Promise<UpdateProof> => ({
      data,
      proof: proofBytes((await prove(signalsOf(data))).words),
    });
    manyChains = [];
    oneChain = [];
    freshChains = [];
    for (let k = 0n; k < BigInt(MAX_N); ++k) {
      const c = CHAIN_BASE + k;
      manyChains.push(await withProof(update(c, 1n, await queue.hashAt(c, 1n), `chain ${c}`)));
      freshChains.push(await withProof(update(c, 0n, ZeroHash, `fresh ${c}`)));
      const position = k + 1n;
      oneChain.push(
        await withProof(update(ONE_CHAIN, position, await queue.hashAt(ONE_CHAIN, position), `one ${k}`, 10n + k)),
      );
    }
    origin = await withProof(update(CHAIN_BASE, 0n, ZeroHash, "origin"));
  });

  after(async function () {
    // ffjavascript keeps worker threads per curve; let the process exit.
    await releaseCurveWorkers();
  });

  const wordsOf = (ps: Proof[]) => ps.map((p) => p.words);
  const signalsOfAll = (ps: Proof[]) => ps.map((p) => p.signals);

  describe("deployment", function () {
    it("test_constructor_storesConvertedKeyAndQueue", async function () {
      const { batch, queueAddress } = await networkHelpers.loadFixture(fixture);
      const key = toBatchVerifyingKey(loadVkey(INSTANCE));
      const vk = await batch.verifyingKey();
      expect(vk.alpha1).to.deep.equal(key.alpha1);
      expect(vk.beta2).to.deep.equal(key.beta2);
      expect(vk.gamma2).to.deep.equal(key.gamma2);
      expect(vk.delta2).to.deep.equal(key.delta2);
      expect(vk.ic).to.deep.equal(key.ic);
      expect(await batch.queue()).to.equal(queueAddress);
      expect(await batch.MAX_BATCH()).to.equal(64n);
    });

    it("test_constructor_revertsOnZeroQueue", async function () {
      const factory = await ethers.getContractFactory("BatchGroth16Verifier");
      const key = toBatchVerifyingKey(loadVkey(INSTANCE));
      await expect(factory.deploy(key, ZeroAddress)).to.be.revertedWithCustomError(
        factory,
        "BatchGroth16VerifierZeroAddress",
      );
    });

    it("test_constructor_revertsOnKeyInSnarkjsOrderOrOffCurve", async function () {
      const { queueAddress } = await networkHelpers.loadFixture(fixture);
      const factory = await ethers.getContractFactory("BatchGroth16Verifier");
      const key = toBatchVerifyingKey(loadVkey(INSTANCE));
      const unswap = (p: typeof key.beta2): typeof key.beta2 => [
        [p[0][1], p[0][0]],
        [p[1][1], p[1][0]],
      ];
      const ic = [...key.ic] as typeof key.ic;
      ic[5] = [ic[5][0] + 1n, ic[5][1]];
      const bad: BatchVerifyingKey[] = [
        { ...key, beta2: unswap(key.beta2) },
        { ...key, gamma2: unswap(key.gamma2) },
        { ...key, delta2: unswap(key.delta2) },
        { ...key, alpha1: [key.alpha1[0], key.alpha1[1] + 1n] },
        { ...key, ic },
        { ...key, alpha1: [key.alpha1[0], key.alpha1[1] + Q] },
        { ...key, delta2: [key.delta2[0], [key.delta2[1][0] + Q, key.delta2[1][1]]] },
      ];
      for (const k of bad) {
        await expect(factory.deploy(k, queueAddress)).to.be.revertedWithCustomError(
          factory,
          "BatchGroth16VerifierInvalidKey",
        );
      }
    });

    it("test_toBatchVerifyingKey_swapsG2AndRejectsOtherKeys", function () {
      const vkey = loadVkey(INSTANCE) as unknown as { vk_beta_2: string[][]; IC: string[][]; nPublic: number };
      const key = toBatchVerifyingKey(vkey);
      expect(key.beta2[0]).to.deep.equal([BigInt(vkey.vk_beta_2[0]![1]!), BigInt(vkey.vk_beta_2[0]![0]!)]);
      expect(key.beta2[1]).to.deep.equal([BigInt(vkey.vk_beta_2[1]![1]!), BigInt(vkey.vk_beta_2[1]![0]!)]);
      expect(() => toBatchVerifyingKey({ ...vkey, nPublic: 4 })).to.throw(/5 public signals/);
      expect(() => toBatchVerifyingKey({ ...vkey, protocol: "plonk" })).to.throw(/Groth16/);
      expect(() => toBatchVerifyingKey({ ...vkey, IC: vkey.IC.slice(0, 5) })).to.throw(/5 public signals/);
      const big = { ...vkey, IC: [[Q.toString(), "1", "1"], ...vkey.IC.slice(1)] };
      expect(() => toBatchVerifyingKey(big)).to.throw(/base field/);
      const projective = { ...vkey, IC: [["1", "2", "3"], ...vkey.IC.slice(1)] };
      expect(() => toBatchVerifyingKey(projective)).to.throw(/affine/);
    });
  });

  describe("Solidity fixture", function () {
    it("test_fixture_madeFromCurrentVkey", function () {
      // test/solidity/BatchGroth16Verifier.t.sol uses keys and proofs generated from vkey.json; regenerate
      // them with `node scripts/gen-batch-groth16-fixture.ts` after a new setup.
      const fixture = readFileSync(join(REPO_ROOT, "test", "solidity", "utils", "BatchGroth16Fixture.sol"), "utf8");
      const digest = createHash("sha256")
        .update(readFileSync(instanceArtifacts(INSTANCE).vkey))
        .digest("hex");
      expect(fixture).to.include(`// vkey.json sha256: ${digest}`);
    });
  });

  describe("verifyProofs", function () {
    for (const n of SIZES) {
      it(`test_verifyProofs_acceptsValidBatch_N${n}`, async function () {
        const { batch } = await networkHelpers.loadFixture(fixture);
        const ps = proofs.slice(0, n);
        expect(await batch.verifyProofs(wordsOf(ps), signalsOfAll(ps))).to.equal(true);
      });
    }

    it("test_verifyProofs_acceptsRepeatedAndReorderedProofs", async function () {
      const { batch } = await networkHelpers.loadFixture(fixture);
      const ps = [proofs[3]!, proofs[0]!, proofs[3]!, proofs[2]!, proofs[0]!];
      expect(await batch.verifyProofs(wordsOf(ps), signalsOfAll(ps))).to.equal(true);
    });

    it("test_verifyProofs_rejectsAnySingleAlteredElement", async function () {
      // Every word of every proof and every signal, altered on its own, in a batch of 4. Three
      // alterations: +1 (mostly a point off the curve: a failed precompile call), the same word of
      // another valid proof (an on-curve point, a wrong proof), and for signals a different field element.
      const { batch } = await networkHelpers.loadFixture(fixture);
      const ps = proofs.slice(0, 4);
      const other = proofs[7]!;
      let checked = 0;
      for (let i = 0; i < ps.length; ++i) {
        for (let k = 0; k < 8; ++k) {
          const pointStart = k < 2 ? 0 : k < 6 ? 2 : 6;
          const pointEnd = k < 2 ? 2 : k < 6 ? 6 : 8;
          for (const mode of ["plus one", "other proof's point"] as const) {
            const words = wordsOf(ps).map((w) => [...w]);
            if (mode === "plus one") words[i]![k] = (words[i]![k]! + 1n) % Q;
            else if (k === pointStart) {
              for (let j = pointStart; j < pointEnd; ++j) words[i]![j] = other.words[j]!;
            } else continue;
            expect(await batch.verifyProofs(words, signalsOfAll(ps)), `proof ${i} word ${k} ${mode}`).to.equal(false);
            ++checked;
          }
        }
        for (let j = 0; j < 5; ++j) {
          for (const delta of [1n, R - 1n, fieldOf(`delta ${i} ${j}`)]) {
            const signals = signalsOfAll(ps).map(sig);
            signals[i]![j] = (signals[i]![j]! + delta) % R;
            expect(await batch.verifyProofs(wordsOf(ps), signals), `proof ${i} signal ${j}`).to.equal(false);
            ++checked;
          }
        }
      }
      expect(checked).to.equal(4 * (8 + 3 + 15));
    });

    it("test_verifyProofs_rejectsNegatedOrDoubledPoints", async function () {
      // On-curve alterations that keep every coordinate canonical: -A, -C, and A replaced by the
      // point at infinity.
      const { batch } = await networkHelpers.loadFixture(fixture);
      const ps = proofs.slice(0, 3);
      for (let i = 0; i < ps.length; ++i) {
        const variants: Array<(w: Words) => void> = [
          (w) => (w[1] = Q - w[1]!),
          (w) => (w[7] = Q - w[7]!),
          (w) => ((w[0] = 0n), (w[1] = 0n)),
          (w) => ((w[6] = 0n), (w[7] = 0n)),
        ];
        for (const [v, alter] of variants.entries()) {
          const words = wordsOf(ps).map((w) => [...w]);
          alter(words[i]!);
          expect(await batch.verifyProofs(words, signalsOfAll(ps)), `proof ${i} variant ${v}`).to.equal(false);
        }
      }
    });

    it("test_verifyProofs_rejectsProofsReorderedAgainstSignals", async function () {
      const { batch } = await networkHelpers.loadFixture(fixture);
      const ps = proofs.slice(0, 8);
      const words = wordsOf(ps);
      const signals = signalsOfAll(ps);
      // Swap two proofs, keep the signals in place.
      const swapped = [...words];
      [swapped[2], swapped[5]] = [swapped[5]!, swapped[2]!];
      expect(await batch.verifyProofs(swapped, signals)).to.equal(false);
      // Two proofs with each other's signals.
      expect(await batch.verifyProofs([words[0]!, words[1]!], [signals[1]!, signals[0]!])).to.equal(false);
      // Rotated by one.
      expect(await batch.verifyProofs([...words.slice(1), words[0]!], signals)).to.equal(false);
    });

    it("test_verifyProofs_revertsOnHostileInput", async function () {
      const { batch } = await networkHelpers.loadFixture(fixture);
      const ps = proofs.slice(0, 3);
      const words = () => wordsOf(ps).map((w) => [...w]);
      const signals = () => signalsOfAll(ps).map(sig);

      await expect(batch.verifyProofs([], [])).to.be.revertedWithCustomError(batch, "BatchGroth16VerifierEmptyBatch");
      await expect(batch.verifyProofs(words(), signals().slice(0, 2)))
        .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierLengthMismatch")
        .withArgs(3, 2);
      await expect(batch.verifyProofs(words().slice(0, 1), []))
        .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierLengthMismatch")
        .withArgs(1, 0);
      const many = Array.from({ length: 65 }, (_, i) => proofs[i % MAX_N]!);
      await expect(batch.verifyProofs(wordsOf(many), signalsOfAll(many)))
        .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierBatchTooLarge")
        .withArgs(65, 64);

      for (const [i, j] of [
        [0, 0],
        [1, 4],
        [2, 2],
      ] as const) {
        for (const v of [R, R + 1n, Q, (1n << 256n) - 1n]) {
          const s = signals();
          s[i]![j] = v;
          await expect(batch.verifyProofs(words(), s))
            .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierSignalNotInField")
            .withArgs(i, j, v);
        }
      }
      for (let k = 0; k < 8; ++k) {
        for (const v of [Q, Q + 1n, (1n << 256n) - 1n]) {
          const w = words();
          w[k % 3]![k] = v;
          await expect(batch.verifyProofs(w, signals()))
            .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierCoordinateNotInField")
            .withArgs(k % 3, k, v);
        }
      }
      // A coordinate of a later proof and a signal of an earlier one: the earlier proof is named first,
      // and within a proof its words come before its signals.
      const w = words();
      const s = signals();
      w[2]![0] = Q;
      s[1]![3] = R;
      w[1]![7] = Q;
      await expect(batch.verifyProofs(w, s))
        .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierCoordinateNotInField")
        .withArgs(1, 7, Q);
    });

    it("test_verifyProofs_N1AgreesWithGeneratedSingleVerifier", async function () {
      const { batch, single } = await networkHelpers.loadFixture(fixture);
      const base = proofs[5]!;
      const cases: Proof[] = [base, proofs[6]!];
      for (let k = 0; k < 8; ++k) {
        const w = [...base.words];
        w[k] = (w[k]! + 1n) % Q;
        cases.push({ words: w, signals: base.signals });
      }
      for (let j = 0; j < 5; ++j) {
        const s = sig(base.signals);
        s[j] = (s[j]! + 1n) % R;
        cases.push({ words: base.words, signals: s });
      }
      cases.push({ words: proofs[6]!.words, signals: base.signals });
      cases.push({ words: [...base.words.slice(0, 6), ...proofs[6]!.words.slice(6)], signals: base.signals });
      cases.push({ words: [0n, 0n, ...base.words.slice(2)], signals: base.signals });
      cases.push({ words: Array<bigint>(8).fill(0n), signals: base.signals });
      let accepted = 0;
      for (const [n, c] of cases.entries()) {
        const expected = await single.verifyProof(...singleArgs(c));
        expect(await batch.verifyProofs([c.words], [c.signals]), `case ${n}`).to.equal(expected);
        if (expected) ++accepted;
      }
      expect(accepted).to.equal(2);

      // Non-canonical encodings (a coordinate + q, a signal + r): the generated verifier answers false,
      // this one reverts naming the value. Neither accepts.
      for (let k = 0; k < 8; ++k) {
        const nonCanonical = { words: [...base.words], signals: base.signals };
        nonCanonical.words[k] = nonCanonical.words[k]! + Q;
        expect(await single.verifyProof(...singleArgs(nonCanonical)), `word ${k} + q`).to.equal(false);
        await expect(batch.verifyProofs([nonCanonical.words], [nonCanonical.signals]))
          .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierCoordinateNotInField")
          .withArgs(0, k, nonCanonical.words[k]);
      }
      const outOfField = { words: base.words, signals: sig([...base.signals.slice(0, 4), base.signals[4] + R]) };
      expect(await single.verifyProof(...singleArgs(outOfField))).to.equal(false);
      await expect(batch.verifyProofs([outOfField.words], [outOfField.signals])).to.be.revertedWithCustomError(
        batch,
        "BatchGroth16VerifierSignalNotInField",
      );
    });
  });

  describe("verifyBatch and verify", function () {
    for (const n of SIZES) {
      it(`test_verifyBatch_acceptsValidUpdates_N${n}`, async function () {
        const { batch } = await networkHelpers.loadFixture(fixture);
        for (const set of [manyChains, oneChain, freshChains]) {
          const us = set.slice(0, n);
          expect(
            await batch.verifyBatch(
              us.map((u) => u.data),
              us.map((u) => u.proof),
            ),
          ).to.equal(true);
        }
      });
    }

    it("test_verify_agreesWithGroth16UpdateVerifier", async function () {
      const { batch, adapter } = await networkHelpers.loadFixture(fixture);
      const cases: UpdateProof[] = [origin, manyChains[0]!, oneChain[3]!];
      // Wrong proofs for well-formed, queue-consistent updates.
      cases.push({ data: origin.data, proof: manyChains[0]!.proof });
      for (let k = 0; k < 8; ++k) {
        const w = AbiCoder.defaultAbiCoder().decode(["uint256[8]"], origin.proof)[0] as bigint[];
        const words = [...w];
        words[k] = (words[k]! + 1n) % Q;
        cases.push({ data: origin.data, proof: proofBytes(words) });
      }
      cases.push({ data: { ...origin.data, l2Block: 8n }, proof: origin.proof });
      cases.push({ data: { ...origin.data, newRoot: hex32(1n) }, proof: origin.proof });
      cases.push({ data: { ...origin.data, chainId: CHAIN_BASE + 1n }, proof: origin.proof });
      // (0, 0) is a point of every chain's queue, registered or not: both answer without asking the queue
      // differently (the batch verifier answers position 0 itself).
      const unregistered = update(999n, 0n, ZeroHash, "unregistered");
      cases.push({ data: unregistered, proof: proofBytes((await prove(signalsOf(unregistered))).words) });
      let accepted = 0;
      for (const [n, c] of cases.entries()) {
        const expected = await adapter.verify(c.data, c.proof);
        expect(await batch.verify(c.data, c.proof), `case ${n}`).to.equal(expected);
        expect(await batch.verifyBatch([c.data], [c.proof]), `case ${n} (batch)`).to.equal(expected);
        if (expected) ++accepted;
      }
      expect(accepted).to.equal(4);
    });

    it("test_verifyBatch_rejectsAnyAlteredUpdateOrProof", async function () {
      const { batch } = await networkHelpers.loadFixture(fixture);
      const us = manyChains.slice(0, 4);
      const datas = () => us.map((u) => ({ ...u.data }));
      const bytes = () => us.map((u) => u.proof);
      for (let i = 0; i < us.length; ++i) {
        // A different (still field-valued) root, l2Block, or a proof of another update.
        for (const field of ["prevRoot", "newRoot", "withdrawalRoot"] as const) {
          const d = datas();
          d[i]![field] = hex32(fieldOf(`other ${field} ${i}`));
          expect(await batch.verifyBatch(d, bytes()), `update ${i} ${field}`).to.equal(false);
        }
        const d = datas();
        d[i]!.l2Block = 99n;
        expect(await batch.verifyBatch(d, bytes()), `update ${i} l2Block`).to.equal(false);
        const p = bytes();
        p[i] = manyChains[(i + 5) % MAX_N]!.proof;
        expect(await batch.verifyBatch(datas(), p), `update ${i} proof`).to.equal(false);
      }
      // Proofs in a different order than their updates.
      expect(await batch.verifyBatch(datas(), [...bytes()].reverse())).to.equal(false);
    });

    it("test_verifyBatchWords_agreesWithVerifyBatch", async function () {
      // The same result or the same revert data for valid batches, altered ones and hostile ones (the
      // bytes' own errors aside: eight words cannot have the wrong length).
      const { batch } = await networkHelpers.loadFixture(fixture);
      const both = async (datas: UpdatePublicData[], bytes: string[], what: string): Promise<string> => {
        const viaBytes = await outcome(batch.verifyBatch(datas, bytes));
        const viaWords = await outcome(batch.verifyBatchWords(datas, bytes.map(wordsOfBytes)));
        expect(viaWords, what).to.equal(viaBytes);
        return viaBytes;
      };
      for (const [name, set] of [
        ["16 chains", manyChains],
        ["one chain", oneChain],
        ["position 0", freshChains],
      ] as const) {
        for (const n of SIZES) {
          const us = set.slice(0, n);
          const what = `${name}, N = ${n}`;
          expect(
            await both(
              us.map((u) => u.data),
              us.map((u) => u.proof),
              what,
            ),
            what,
          ).to.equal("true");
        }
      }
      // Mixed: updates of one chain, of other chains and at position 0 in one batch, in any order.
      const mixed = [oneChain[0]!, freshChains[3]!, manyChains[5]!, oneChain[1]!, origin, manyChains[0]!];
      expect(
        await both(
          mixed.map((u) => u.data),
          mixed.map((u) => u.proof),
          "mixed",
        ),
      ).to.equal("true");

      const us = oneChain.slice(0, 4);
      const datas = () => us.map((u) => ({ ...u.data }));
      const bytes = () => us.map((u) => u.proof);
      const alterations: [string, (d: UpdatePublicData[], p: string[]) => void][] = [];
      for (let i = 0; i < us.length; ++i) {
        for (const field of ["prevRoot", "newRoot", "withdrawalRoot"] as const) {
          alterations.push([`${field} ${i}`, (d) => (d[i]![field] = hex32(fieldOf(`other ${field} ${i}`)))]);
        }
        alterations.push([`l2Block ${i}`, (d) => (d[i]!.l2Block = 99n)]);
        alterations.push([`chainId ${i}`, (d) => (d[i]!.chainId = CHAIN_BASE)]);
        alterations.push([`ackBlock ${i}`, (d) => (d[i]!.ackBlock = 12345n)]);
        alterations.push([`proof ${i}`, (_, p) => (p[i] = manyChains[i]!.proof)]);
        alterations.push([`queue hash ${i}`, (d) => (d[i]!.queueHash = hex32(12345n))]);
        alterations.push([`queue position ${i}`, (d) => (d[i]!.queuePosition = 17n)]);
        alterations.push([`position 0 ${i}`, (d) => (d[i]!.queuePosition = 0n)]);
        alterations.push([`root not in field ${i}`, (d) => (d[i]!.newRoot = hex32(R))]);
        alterations.push([`outbox ${i}`, (d) => (d[i]!.outboxRoot = hex32(1n))]);
        alterations.push([`inbox ${i}`, (d) => (d[i]!.inboxRoot = hex32(1n))]);
        for (const k of [0, 3, 7]) {
          alterations.push([
            `word ${k} of proof ${i} not below q`,
            (_, p) => {
              const w = wordsOfBytes(p[i]!);
              w[k] = Q + BigInt(k);
              p[i] = proofBytes(w);
            },
          ]);
          alterations.push([
            `word ${k} of proof ${i} + 1`,
            (_, p) => {
              const w = wordsOfBytes(p[i]!);
              w[k] = (w[k]! + 1n) % Q;
              p[i] = proofBytes(w);
            },
          ]);
        }
      }
      // Two faults: the update error comes first, whichever update it is in.
      alterations.push([
        "coordinate of proof 0 and queue hash of update 3",
        (d, p) => {
          const w = wordsOfBytes(p[0]!);
          w[1] = Q;
          p[0] = proofBytes(w);
          d[3]!.queueHash = hex32(1n);
        },
      ]);
      alterations.push([
        "outbox of update 2 and queue hash of update 1",
        (d) => {
          d[2]!.outboxRoot = hex32(1n);
          d[1]!.queueHash = hex32(1n);
        },
      ]);
      const seen = new Set<string>();
      for (const [what, alter] of alterations) {
        const d = datas();
        const p = bytes();
        alter(d, p);
        const result = await both(d, p, what);
        if (what.startsWith("ackBlock")) expect(result, what).to.equal("true");
        else expect(result, what).to.not.equal("true");
        seen.add(result.slice(0, 10));
      }
      // Rejections of every kind were compared: false, and the errors of the queue, of LedgerPublicSignals
      // and of the range checks.
      const selector = (name: string) => batch.interface.getError(name)!.selector;
      for (const kind of [
        "false",
        selector("BatchGroth16VerifierQueueMismatch"),
        selector("LedgerPublicSignalsNotInField"),
        selector("LedgerPublicSignalsUnsupportedField"),
        selector("BatchGroth16VerifierCoordinateNotInField"),
      ]) {
        expect(seen.has(kind.slice(0, 10)), kind).to.equal(true);
      }

      // Batch sizes.
      await both([], [], "empty");
      await expect(batch.verifyBatchWords([], [])).to.be.revertedWithCustomError(
        batch,
        "BatchGroth16VerifierEmptyBatch",
      );
      await expect(batch.verifyBatchWords(datas(), bytes().slice(1).map(wordsOfBytes)))
        .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierLengthMismatch")
        .withArgs(3, 4);
      const many = Array.from({ length: 65 }, (_, i) => oneChain[i % MAX_N]!);
      await expect(
        batch.verifyBatchWords(
          many.map((u) => u.data),
          many.map((u) => wordsOfBytes(u.proof)),
        ),
      )
        .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierBatchTooLarge")
        .withArgs(65, 64);
    });

    it("test_verifyBatch_revertsOnHostileInput", async function () {
      const { batch, adapter } = await networkHelpers.loadFixture(fixture);
      const us = manyChains.slice(0, 3);
      const datas = () => us.map((u) => ({ ...u.data }));
      const bytes = () => us.map((u) => u.proof);

      await expect(batch.verifyBatch([], [])).to.be.revertedWithCustomError(batch, "BatchGroth16VerifierEmptyBatch");
      await expect(batch.verifyBatch(datas(), bytes().slice(1)))
        .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierLengthMismatch")
        .withArgs(2, 3);
      const many = Array.from({ length: 65 }, (_, i) => manyChains[i % MAX_N]!);
      await expect(
        batch.verifyBatch(
          many.map((u) => u.data),
          many.map((u) => u.proof),
        ),
      )
        .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierBatchTooLarge")
        .withArgs(65, 64);

      // Proof bytes of the wrong length, in the batch and alone (where the adapter agrees).
      for (const len of [0, 32, 255, 257, 288]) {
        const p = bytes();
        p[1] = "0x" + "11".repeat(len);
        await expect(batch.verifyBatch(datas(), p))
          .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierBadProofLength")
          .withArgs(1, len);
        await expect(batch.verify(us[0]!.data, p[1]))
          .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierBadProofLength")
          .withArgs(0, len);
        await expect(adapter.verify(us[0]!.data, p[1])).to.be.revertedWithCustomError(
          adapter,
          "Groth16UpdateVerifierBadProofLength",
        );
      }

      // Queue cursor not a point of the chain's queue.
      const d = datas();
      d[2]!.queueHash = hex32(12345n);
      await expect(batch.verifyBatch(d, bytes()))
        .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierQueueMismatch")
        .withArgs(2, 1n, hex32(12345n));
      const beyond = datas();
      beyond[0]!.queuePosition = 2n;
      await expect(batch.verifyBatch(beyond, bytes()))
        .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierQueueMismatch")
        .withArgs(0, 2n, beyond[0]!.queueHash);
      await expect(adapter.verify(beyond[0]!, us[0]!.proof)).to.be.revertedWithCustomError(
        adapter,
        "Groth16UpdateVerifierQueueMismatch",
      );
      const positionZero = { ...origin.data, queueHash: hex32(1n) };
      await expect(batch.verify(positionZero, origin.proof))
        .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierQueueMismatch")
        .withArgs(0, 0n, hex32(1n));
      await expect(adapter.verify(positionZero, origin.proof)).to.be.revertedWithCustomError(
        adapter,
        "Groth16UpdateVerifierQueueMismatch",
      );

      // Signals that LedgerPublicSignals refuses: a root not below r, a non-zero outbox or inbox root.
      const notInField = datas();
      notInField[1]!.newRoot = hex32(R);
      await expect(batch.verifyBatch(notInField, bytes())).to.be.revertedWithCustomError(
        batch,
        "LedgerPublicSignalsNotInField",
      );
      const outbox = datas();
      outbox[0]!.outboxRoot = hex32(1n);
      await expect(batch.verifyBatch(outbox, bytes())).to.be.revertedWithCustomError(
        batch,
        "LedgerPublicSignalsUnsupportedField",
      );

      // A proof coordinate not below q, through the bytes.
      const w = AbiCoder.defaultAbiCoder().decode(["uint256[8]"], us[1]!.proof)[0] as bigint[];
      const bad = [...w];
      bad[4] = Q;
      const p = bytes();
      p[1] = proofBytes(bad);
      await expect(batch.verifyBatch(datas(), p))
        .to.be.revertedWithCustomError(batch, "BatchGroth16VerifierCoordinateNotInField")
        .withArgs(1, 4, Q);
    });
  });

  describe("gas", function () {
    /** Calldata gas of `data` (4 per zero byte, 16 per other byte). */
    const calldataGas = (data: string): bigint => {
      let g = 0n;
      for (let i = 2; i < data.length; i += 2) g += data.slice(i, i + 2) === "00" ? 4n : 16n;
      return g;
    };
    /**
     * Gas of the precompile calls of a batch of n whose signal columns are all zero in `zeroColumns`
     * places (EIP-1108 prices, plus 100 per call to a warm address).
     */
    const precompileGas = (n: number, zeroColumns: number): bigint => {
      const k = BigInt(n);
      const pairing = 45_000n + 34_000n * (k + 3n) + 100n;
      // Per proof after the first: two ecMul and one ecAdd. Per batch: α and IC_0 (negations for a batch
      // of one), and an ecMul and an ecAdd for IC_j unless signal column j is all zero.
      const ecMul = 2n * (k - 1n) + (n === 1 ? 0n : 2n) + BigInt(5 - zeroColumns);
      const ecAdd = k - 1n + BigInt(5 - zeroColumns);
      return pairing + ecMul * 6_100n + ecAdd * 250n;
    };
    const zeroColumns = (signals: Signals[]): number =>
      [0, 1, 2, 3, 4].filter((j) => signals.every((s) => s[j] === 0n)).length;

    it("test_gas_perProofWithinTargetAtN16", async function () {
      const { batch } = await networkHelpers.loadFixture(fixture);
      const [sender] = await ethers.getSigners();
      const to = await batch.getAddress();
      /** Gas of the whole transaction calling the view (intrinsic gas and calldata included). */
      const txGas = async (data: string): Promise<bigint> => {
        const receipt = await (await sender!.sendTransaction({ to, data })).wait();
        return receipt!.gasUsed;
      };
      const rows: string[] = [];
      const perProof = new Map<string, bigint>();
      const measure = async (name: string, signals: Signals[], data: string): Promise<void> => {
        const n = signals.length;
        const g = await txGas(data);
        const estimate = await ethers.provider.estimateGas({ to, data });
        const cd = calldataGas(data);
        const other = g - 21_000n - cd - precompileGas(n, zeroColumns(signals));
        perProof.set(`${name} ${n}`, g / BigInt(n));
        rows.push(
          [
            `N=${String(n).padStart(2)}`,
            name.padEnd(27),
            `total ${String(g).padStart(8)}`,
            `per proof ${String(g / BigInt(n)).padStart(6)}`,
            `(estimateGas ${String(estimate / BigInt(n)).padStart(6)})`,
            `calldata/proof ${String(cd / BigInt(n)).padStart(5)}`,
            `other execution/proof ${String(other / BigInt(n)).padStart(5)}`,
          ].join("  "),
        );
      };
      for (const n of SIZES) {
        const ps = proofs.slice(0, n);
        await measure(
          "verifyProofs",
          signalsOfAll(ps),
          batch.interface.encodeFunctionData("verifyProofs", [wordsOf(ps), signalsOfAll(ps)]),
        );
        for (const [name, set] of [
          ["verifyBatch 16 chains", manyChains],
          ["verifyBatch one chain", oneChain],
          ["verifyBatch position 0", freshChains],
        ] as const) {
          const us = set.slice(0, n);
          const datas = us.map((u) => u.data);
          const bytes = us.map((u) => u.proof);
          const words = bytes.map(wordsOfBytes);
          expect(await batch.verifyBatch(datas, bytes)).to.equal(true);
          expect(await batch.verifyBatchWords(datas, words)).to.equal(true);
          await measure(name, datas.map(signalsOf), batch.interface.encodeFunctionData("verifyBatch", [datas, bytes]));
          await measure(
            name.replace("verifyBatch", "verifyBatchWords"),
            datas.map(signalsOf),
            batch.interface.encodeFunctionData("verifyBatchWords", [datas, words]),
          );
          if (n === 1) {
            await measure(
              name.replace("verifyBatch", "verify"),
              datas.map(signalsOf),
              batch.interface.encodeFunctionData("verify", [datas[0]!, bytes[0]!]),
            );
          }
        }
      }
      console.log(`      whole-transaction gas:\n        ${rows.join("\n        ")}`);
      // Per proof at N = 16 these batches cannot cost less than ~68,150: the precompiles (EIP-1108 prices:
      // 43,194 of pairing, 14,419 of ecMul and ecAdd with five non-zero signal columns), ~6,970 of calldata
      // (verifyBatchWords; five random signals), 1,313 of the 21,000 and, per update off position 0, the
      // queue's cold SLOAD (2,100) and a sixteenth of its cold account (163). The rest (checks, signals,
      // batch scalars, memory, one areQueuePoints call) is ~2,100 with updates of one chain, ~2,200 with 16
      // chains. The 70,000 target holds where no queue storage is read; ledger updates with a zero
      // withdrawal root cost ~750 less per proof (a zero signal column, and zero calldata bytes).
      expect(perProof.get("verifyProofs 16")!).to.be.at.most(70_000n);
      expect(perProof.get("verifyBatch position 0 16")!).to.be.at.most(70_000n);
      expect(perProof.get("verifyBatchWords position 0 16")!).to.be.at.most(70_000n);
      expect(perProof.get("verifyBatchWords one chain 16")!).to.be.at.most(70_400n);
      expect(perProof.get("verifyBatchWords 16 chains 16")!).to.be.at.most(70_500n);
      expect(perProof.get("verifyBatch one chain 16")!).to.be.at.most(70_900n);
      expect(perProof.get("verifyBatch 16 chains 16")!).to.be.at.most(71_000n);
    });
  });
});
