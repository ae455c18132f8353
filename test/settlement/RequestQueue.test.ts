/**
 * RequestQueue with the real circomlibjs-generated Poseidon contract: the on-chain H_4 equals circomlibjs'
 * `poseidon`, every deposit's item equals `depositItem` of src/ledger/encoding.ts and its rolling hash
 * `queueStep` chained from 0 (docs/LEDGER.md §4), queues of interleaved chains are independent, the views
 * (`length`, `hashAt`, `isQueuePoint`, `areQueuePoints`, `escrowed`) agree with a model, and every rejection reverts with its
 * custom error and changes nothing; deposits stop while the guardian's pause of the cluster configuration is in
 * force (checked on the queue the ReferenceValidium Ignition module deploys). Prints the gas of a first and of a
 * steady-state deposit.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import {
  type BaseContract,
  type BaseContractMethod,
  type ContractTransactionResponse,
  getAddress,
  toBeHex,
  ZeroAddress,
  ZeroHash,
} from "ethers";
import fc from "fast-check";

import { getCrypto, type LedgerCrypto } from "../../src/ledger/crypto.ts";
import { depositItem, queueStep, TWO_128, TWO_160 } from "../../src/ledger/encoding.ts";
import { poseidonArtifact } from "../../src/ledger/poseidon-contract.ts";
import { FIELD_R, type QueueItem } from "../../src/ledger/types.ts";
import type { RequestQueue, ValidiumRegistry } from "../../typechain-types/index.ts";
import DevelopmentVerifierModule from "../../ignition/modules/DevelopmentVerifier.ts";
import { Wallet } from "../../src/ledger/wallet.ts";
import { deployRegistry, ethers, ignition, networkHelpers } from "../helpers/fixtures.ts";
import { validiumFixture } from "../helpers/validium.ts";

const R = FIELD_R;
/** Registered chains (top level). */
const CHAINS = [1n, 2n, 3n] as const;
/** A chain id the registry does not know. */
const UNKNOWN = 99n;
const KEY = 0x1234n;
/** fast-check seed, fixed so that runs are reproducible. */
const SEED = 0x636c75;

/** The test ERC-20 (test/solidity/utils/MockERC20.sol; test artifacts have no TypeChain types). */
type MintableToken = BaseContract & {
  getAddress(): Promise<string>;
  mint: BaseContractMethod<[string, bigint], void, ContractTransactionResponse>;
  approve: BaseContractMethod<[string, bigint], boolean, ContractTransactionResponse>;
};

/** The generated contract's ABI overloads `poseidon` (uint256[4] and bytes32[4]): call it by signature. */
type Poseidon4 = BaseContract & {
  "poseidon(uint256[4])": BaseContractMethod<[bigint[]], bigint, bigint>;
};

interface QueueFixture {
  registry: ValidiumRegistry;
  queue: RequestQueue;
  queueAddress: string;
  poseidon: Poseidon4;
  poseidonAddress: string;
  admin: HardhatEthersSigner;
  depositor: HardhatEthersSigner;
  others: HardhatEthersSigner[];
}

let crypto: LedgerCrypto;

/** Registry with chains 1, 2, 3; the generated Poseidon (4 inputs); the queue. The depositor holds 2^200 wei. */
async function queueFixture(): Promise<QueueFixture> {
  const { registry, verifierAddress, admin, operators } = await deployRegistry();
  for (const id of CHAINS) {
    await registry.connect(admin).registerChain(id, 0n, operators[0]!.address, verifierAddress, toBeHex(id, 32));
  }
  const artifact = poseidonArtifact(4);
  const deployed = await new ethers.ContractFactory(artifact.abi as never[], artifact.bytecode, admin).deploy();
  await deployed.waitForDeployment();
  const poseidon = deployed as unknown as Poseidon4;
  const poseidonAddress = await poseidon.getAddress();
  const generated = async (n: number): Promise<string> => {
    const a = poseidonArtifact(n);
    const c = await new ethers.ContractFactory(a.abi as never[], a.bytecode, admin).deploy();
    return await c.getAddress();
  };
  const signatureVerifier = await ethers.deployContract("LedgerSignatureVerifier", [
    await generated(2),
    poseidonAddress,
    await generated(5),
  ]);
  const queue = (await ethers.deployContract("RequestQueue", [
    await registry.getAddress(),
    poseidonAddress,
    await generated(2),
    await generated(3),
    await signatureVerifier.getAddress(),
    admin.address,
  ])) as unknown as RequestQueue;
  const [depositor, ...others] = operators.slice(1) as [HardhatEthersSigner, ...HardhatEthersSigner[]];
  await networkHelpers.setBalance(depositor.address, 1n << 200n);
  return {
    registry,
    queue,
    queueAddress: await queue.getAddress(),
    poseidon,
    poseidonAddress,
    admin,
    depositor,
    others,
  };
}

const hex32 = (x: bigint): string => toBeHex(x, 32);
const addressOf = (x: bigint): string => getAddress(toBeHex(x, 20));

/** The per-chain model: rolling hashes h_0 … h_n and the escrow. */
class QueueModel {
  readonly hashes = new Map<bigint, bigint[]>();
  readonly escrow = new Map<bigint, bigint>();

  hashesOf(chain: bigint): bigint[] {
    let hs = this.hashes.get(chain);
    if (!hs) this.hashes.set(chain, (hs = [0n]));
    return hs;
  }

  append(chain: bigint, item: QueueItem, amount: bigint): bigint {
    const hs = this.hashesOf(chain);
    const next = queueStep(crypto, hs[hs.length - 1]!, item);
    hs.push(next);
    this.escrow.set(chain, (this.escrow.get(chain) ?? 0n) + amount);
    return next;
  }
}

interface Deposit {
  chain: bigint;
  accountIndex: bigint;
  amount: bigint;
  keyHash: bigint;
  refund: bigint;
}

/** Sends a deposit and checks its event against `depositItem`/`queueStep` and the views against `model`. */
async function depositAndCheck(f: QueueFixture, model: QueueModel, d: Deposit): Promise<void> {
  const item = depositItem({ tokenId: 0n, ...d });
  const position = BigInt(model.hashesOf(d.chain).length); // the length after this deposit
  const expected = model.append(d.chain, item, d.amount);
  const tx = await f.queue.connect(f.depositor).depositEth(d.chain, d.accountIndex, d.keyHash, addressOf(d.refund), {
    value: d.amount,
  });
  const receipt = (await tx.wait())!;
  const events = receipt.logs
    .filter((l) => l.address === f.queueAddress)
    .map((l) => f.queue.interface.parseLog(l)!)
    .filter((e) => e.name === "RequestQueued");
  expect(events).to.have.length(1);
  const [chainId, pos, w0, w1, w2, rollingHash] = events[0]!.args as unknown as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    string,
  ];
  expect({ chainId, pos, w0, w1, w2 }).to.deep.equal({ chainId: d.chain, pos: position, ...item });
  expect(BigInt(rollingHash)).to.equal(expected, "rolling hash = queueStep(h_{n-1}, item)");
  expect(await f.queue.length(d.chain)).to.equal(position);
  expect(await f.queue.hashAt(d.chain, position)).to.equal(hex32(expected));
  expect(await f.queue.isQueuePoint(d.chain, position, hex32(expected))).to.equal(true);
}

/** Everything the queue exposes for the registered chains and UNKNOWN, for "no state change" checks. */
async function snapshot(f: QueueFixture): Promise<unknown> {
  const out: unknown[] = [await ethers.provider.getBalance(f.queueAddress)];
  for (const chain of [...CHAINS, UNKNOWN, 0n]) {
    const len = await f.queue.length(chain);
    const hashes: string[] = [];
    for (let n = 0n; n <= len; n++) hashes.push(await f.queue.hashAt(chain, n));
    out.push({ chain, len, hashes, escrowed: await f.queue.escrowed(chain, 0n) });
  }
  return out;
}

/** Deposits `amount` into `chain` from the depositor with fixed other fields. */
function deposit(
  f: QueueFixture,
  chain: bigint,
  amount: bigint,
  accountIndex = 0n,
): Promise<ContractTransactionResponse> {
  return f.queue.connect(f.depositor).depositEth(chain, accountIndex, KEY, f.depositor.address, { value: amount });
}

describe("RequestQueue", function () {
  before(async function () {
    crypto = await getCrypto();
  });

  it("deploys with the registry and the generated Poseidon", async function () {
    const f = await networkHelpers.loadFixture(queueFixture);
    expect(await f.queue.registry()).to.equal(await f.registry.getAddress());
    expect(await f.queue.poseidon()).to.equal(f.poseidonAddress);
    for (const chain of [...CHAINS, UNKNOWN, 0n]) {
      expect(await f.queue.length(chain)).to.equal(0n);
      expect(await f.queue.hashAt(chain, 0n)).to.equal(ZeroHash);
      expect(await f.queue.escrowed(chain, 0n)).to.equal(0n);
      expect(await f.queue.isQueuePoint(chain, 0n, ZeroHash)).to.equal(true);
    }
  });

  describe("Poseidon contract", function () {
    it("equals circomlibjs H_4 on random field elements", async function () {
      const f = await networkHelpers.loadFixture(queueFixture);
      const field = fc.oneof(
        fc.bigInt({ min: 0n, max: R - 1n }),
        fc.constantFrom(0n, 1n, R - 1n, R - 2n, TWO_128 - 1n, TWO_160 - 1n),
      );
      await fc.assert(
        fc.asyncProperty(fc.tuple(field, field, field, field), async (inputs) => {
          expect(await f.poseidon["poseidon(uint256[4])"](inputs)).to.equal(crypto.poseidon(inputs));
        }),
        { seed: SEED, numRuns: 40 },
      );
    });

    it("reduces inputs modulo r (why the queue rejects key hashes ≥ r)", async function () {
      const f = await networkHelpers.loadFixture(queueFixture);
      const x = [1n, 2n, 3n, 4n];
      const aliased = [1n, 2n, 3n + R, 4n];
      expect(await f.poseidon["poseidon(uint256[4])"](aliased)).to.equal(crypto.poseidon(x));
    });
  });

  describe("depositEth", function () {
    it("emits RequestQueued with the item and the rolling hash, and returns the position", async function () {
      const f = await networkHelpers.loadFixture(queueFixture);
      const refund = f.others[0]!.address;
      const item = depositItem({
        tokenId: 0n,
        accountIndex: 5n,
        amount: 10n ** 18n,
        keyHash: KEY,
        refund: BigInt(refund),
      });
      const h1 = queueStep(crypto, 0n, item);
      const q = f.queue.connect(f.depositor);
      expect(await q.depositEth.staticCall(1n, 5n, KEY, refund, { value: 10n ** 18n })).to.equal(1n);
      await expect(q.depositEth(1n, 5n, KEY, refund, { value: 10n ** 18n }))
        .to.emit(f.queue, "RequestQueued")
        .withArgs(1n, 1n, item.w0, item.w1, item.w2, hex32(h1));
      const h2 = queueStep(crypto, h1, item);
      expect(await q.depositEth.staticCall(1n, 5n, KEY, refund, { value: 10n ** 18n })).to.equal(2n);
      await expect(q.depositEth(1n, 5n, KEY, refund, { value: 10n ** 18n }))
        .to.emit(f.queue, "RequestQueued")
        .withArgs(1n, 2n, item.w0, item.w1, item.w2, hex32(h2));
    });

    it("matches depositItem and queueStep for random deposits into interleaved chains", async function () {
      const depositArb = fc.record({
        chain: fc.constantFrom(...CHAINS),
        accountIndex: fc.oneof(fc.bigInt({ min: 0n, max: 0xffffffffn }), fc.constantFrom(0n, 0xffffffffn)),
        amount: fc.oneof(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.constantFrom(1n, TWO_128 - 1n)),
        keyHash: fc.oneof(fc.bigInt({ min: 1n, max: R - 1n }), fc.constantFrom(1n, R - 1n)),
        refund: fc.oneof(fc.bigInt({ min: 1n, max: TWO_160 - 1n }), fc.constantFrom(1n, TWO_160 - 1n)),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(depositArb, { minLength: 1, maxLength: 12 }), async (deposits) => {
          const f = await networkHelpers.loadFixture(queueFixture);
          const model = new QueueModel();
          for (const d of deposits) await depositAndCheck(f, model, d);
          // Afterwards: every position of every chain, and the escrows.
          let total = 0n;
          for (const chain of CHAINS) {
            const hs = model.hashesOf(chain);
            expect(await f.queue.length(chain)).to.equal(BigInt(hs.length - 1));
            for (const [n, h] of hs.entries()) {
              expect(await f.queue.hashAt(chain, n)).to.equal(hex32(h));
              expect(await f.queue.isQueuePoint(chain, n, hex32(h))).to.equal(true);
            }
            const escrow = model.escrow.get(chain) ?? 0n;
            expect(await f.queue.escrowed(chain, 0n)).to.equal(escrow);
            total += escrow;
          }
          expect(await ethers.provider.getBalance(f.queueAddress)).to.equal(total);
        }),
        { seed: SEED, numRuns: 8 },
      );
    });

    it("keeps queues of different chains independent", async function () {
      const f = await networkHelpers.loadFixture(queueFixture);
      await deposit(f, 1n, 7n);
      const h1 = await f.queue.hashAt(1n, 1n);
      await deposit(f, 2n, 7n);
      expect(await f.queue.hashAt(2n, 1n)).to.equal(h1, "the same first item gives the same h_1");
      await deposit(f, 2n, 8n);
      expect(await f.queue.length(1n)).to.equal(1n);
      expect(await f.queue.hashAt(1n, 1n)).to.equal(h1);
      expect(await f.queue.length(2n)).to.equal(2n);
      expect(await f.queue.length(3n)).to.equal(0n);
      expect(await f.queue.isQueuePoint(3n, 1n, h1)).to.equal(false);
    });

    it("sums msg.value per chain in escrowed; the balance is the sum", async function () {
      const f = await networkHelpers.loadFixture(queueFixture);
      const amounts: Record<string, bigint[]> = { "1": [1n, 10n ** 18n, 3n], "2": [TWO_128 - 1n], "3": [] };
      for (const [chain, xs] of Object.entries(amounts)) for (const x of xs) await deposit(f, BigInt(chain), x);
      let total = 0n;
      for (const [chain, xs] of Object.entries(amounts)) {
        const sum = xs.reduce((a, b) => a + b, 0n);
        expect(await f.queue.escrowed(BigInt(chain), 0n)).to.equal(sum);
        total += sum;
      }
      expect(await ethers.provider.getBalance(f.queueAddress)).to.equal(total);
    });

    describe("rejections (custom error, no state change)", function () {
      /** Runs `send` on a fixture with one deposit in chain 1; expects `error(args)` and no state change. */
      async function expectRejected(
        send: (f: QueueFixture) => Promise<unknown>,
        error: string,
        args: readonly unknown[],
      ): Promise<void> {
        const f = await networkHelpers.loadFixture(queueFixture);
        await deposit(f, 1n, 5n);
        const before = await snapshot(f);
        if (args.length === 0) await expect(send(f)).to.be.revertedWithCustomError(f.queue, error);
        else
          await expect(send(f))
            .to.be.revertedWithCustomError(f.queue, error)
            .withArgs(...args);
        expect(await snapshot(f)).to.deep.equal(before);
      }

      it("unknown chain", async function () {
        await expectRejected((f) => deposit(f, UNKNOWN, 1n), "RequestQueueChainNotActive", [UNKNOWN, 0n]);
      });

      it("frozen chain (status 2) and ejected chain (status 3)", async function () {
        await expectRejected(
          async (f) => {
            await f.registry.connect(f.admin).setChainStatus(2n, 2);
            return deposit(f, 2n, 1n);
          },
          "RequestQueueChainNotActive",
          [2n, 2n],
        );
        await expectRejected(
          async (f) => {
            await f.registry.connect(f.admin).setChainStatus(3n, 3);
            return deposit(f, 3n, 1n);
          },
          "RequestQueueChainNotActive",
          [3n, 3n],
        );
      });

      it("chain 0 (the settlement root)", async function () {
        await expectRejected((f) => deposit(f, 0n, 1n), "RequestQueueChainNotActive", [0n, 0n]);
      });

      it("largest chain id, unregistered", async function () {
        const max = (1n << 64n) - 1n;
        await expectRejected((f) => deposit(f, max, 1n), "RequestQueueChainNotActive", [max, 0n]);
      });

      it("amount 0", async function () {
        await expectRejected((f) => deposit(f, 1n, 0n), "RequestQueueInvalidAmount", [0n]);
      });

      it("amount 2^128", async function () {
        await expectRejected((f) => deposit(f, 1n, TWO_128), "RequestQueueInvalidAmount", [TWO_128]);
      });

      it("amount above 2^128", async function () {
        const huge = (1n << 199n) + 12345n;
        await expectRejected((f) => deposit(f, 2n, huge), "RequestQueueInvalidAmount", [huge]);
      });

      it("keyHash 0", async function () {
        await expectRejected(
          (f) => f.queue.connect(f.depositor).depositEth(1n, 0n, 0n, f.depositor.address, { value: 1n }),
          "RequestQueueInvalidKeyHash",
          [0n],
        );
      });

      it("keyHash r and 2^256 - 1", async function () {
        for (const k of [R, (1n << 256n) - 1n]) {
          await expectRejected(
            (f) => f.queue.connect(f.depositor).depositEth(1n, 0n, k, f.depositor.address, { value: 1n }),
            "RequestQueueInvalidKeyHash",
            [k],
          );
        }
      });

      it("refund zero address", async function () {
        await expectRejected(
          (f) => f.queue.connect(f.depositor).depositEth(1n, 0n, KEY, ZeroAddress, { value: 1n }),
          "RequestQueueZeroRefund",
          [],
        );
      });

      it("plain ETH transfer (no receive function)", async function () {
        const f = await networkHelpers.loadFixture(queueFixture);
        const before = await snapshot(f);
        await expect(f.depositor.sendTransaction({ to: f.queueAddress, value: 1n })).to.be.revertedWithoutReason(
          ethers,
        );
        expect(await snapshot(f)).to.deep.equal(before);
      });
    });
  });

  describe("views", function () {
    it("hashAt: 0 at position 0, h_n up to the length, PositionBeyondEnd beyond", async function () {
      const f = await networkHelpers.loadFixture(queueFixture);
      await deposit(f, 1n, 1n);
      await deposit(f, 1n, 2n);
      expect(await f.queue.hashAt(1n, 0n)).to.equal(ZeroHash);
      expect(await f.queue.hashAt(1n, 1n)).to.not.equal(ZeroHash);
      expect(await f.queue.hashAt(1n, 2n)).to.not.equal(ZeroHash);
      for (const [chain, position, len] of [
        [1n, 3n, 2n],
        [1n, (1n << 64n) - 1n, 2n],
        [2n, 1n, 0n],
        [UNKNOWN, 1n, 0n],
      ] as const) {
        await expect(f.queue.hashAt(chain, position))
          .to.be.revertedWithCustomError(f.queue, "RequestQueuePositionBeyondEnd")
          .withArgs(chain, position, len);
      }
    });

    it("isQueuePoint: true exactly at (n, h_n)", async function () {
      const f = await networkHelpers.loadFixture(queueFixture);
      await deposit(f, 1n, 1n);
      await deposit(f, 1n, 2n);
      const h = [ZeroHash, await f.queue.hashAt(1n, 1n), await f.queue.hashAt(1n, 2n)];
      for (let n = 0; n < 3; n++) {
        for (let m = 0; m < 3; m++) {
          expect(await f.queue.isQueuePoint(1n, BigInt(n), h[m]!)).to.equal(n === m, `(${n}, h_${m})`);
        }
      }
      const off = hex32(BigInt(h[2]!) ^ 1n);
      const cases: [bigint, bigint, string, boolean, string][] = [
        [1n, 2n, off, false, "wrong hash"],
        [1n, 3n, ZeroHash, false, "beyond the end with hash 0"],
        [1n, (1n << 64n) - 1n, ZeroHash, false, "far beyond the end with hash 0"],
        [1n, 3n, h[2]!, false, "beyond the end with the last hash"],
        [2n, 1n, h[1]!, false, "another chain"],
        [2n, 0n, ZeroHash, true, "(0, 0) of an empty queue"],
        [UNKNOWN, 0n, ZeroHash, true, "(0, 0) of an unknown chain"],
        [UNKNOWN, 1n, ZeroHash, false, "(1, 0) of an unknown chain"],
      ];
      for (const [chain, position, hash, want, what] of cases) {
        expect(await f.queue.isQueuePoint(chain, position, hash)).to.equal(want, what);
      }
    });
  });

  describe("areQueuePoints", function () {
    it("areQueuePoints: the AND of isQueuePoint, one call for many points", async function () {
      const f = await networkHelpers.loadFixture(queueFixture);
      await deposit(f, 1n, 1n);
      await deposit(f, 1n, 2n);
      await deposit(f, 2n, 3n);
      const h1 = await f.queue.hashAt(1n, 1n);
      const h2 = await f.queue.hashAt(1n, 2n);
      const g1 = await f.queue.hashAt(2n, 1n);
      type Point = [bigint, bigint, string];
      // Points: (0, 0) of a chain with and of one without a queue, and real positions of two chains.
      const points: Point[] = [
        [1n, 0n, ZeroHash],
        [1n, 1n, h1],
        [1n, 2n, h2],
        [2n, 1n, g1],
        [UNKNOWN, 0n, ZeroHash],
      ];
      // Non-points: position 0 with a hash, beyond the end (hash 0, the last hash, far beyond), a hash one
      // bit off, another chain's hash, an unknown chain.
      const nonPoints: Point[] = [
        [1n, 0n, h1],
        [1n, 3n, ZeroHash],
        [1n, 3n, h2],
        [1n, (1n << 64n) - 1n, ZeroHash],
        [1n, 2n, hex32(BigInt(h2) ^ 1n)],
        [2n, 1n, h1],
        [UNKNOWN, 1n, ZeroHash],
      ];
      const are = (ps: Point[]) =>
        f.queue.areQueuePoints(
          ps.map((p) => p[0]),
          ps.map((p) => p[1]),
          ps.map((p) => p[2]),
        );
      for (const p of points) expect(await f.queue.isQueuePoint(...p)).to.equal(true, `point ${p.join(" ")}`);
      for (const p of nonPoints) expect(await f.queue.isQueuePoint(...p)).to.equal(false, `non-point ${p.join(" ")}`);
      expect(await are([])).to.equal(true, "no entries");
      expect(await are(points)).to.equal(true, "every point");
      expect(await are([...points].reverse())).to.equal(true, "every point, reversed");
      expect(await are([...points, ...points])).to.equal(true, "every point twice");
      const all = [...points, ...nonPoints];
      for (const [i, p] of all.entries()) {
        const want = i < points.length;
        expect(await are([p])).to.equal(want, `alone: ${p.join(" ")}`);
        for (const at of [0, 2, points.length]) {
          const ps = [...points];
          ps.splice(at, 0, p);
          expect(await are(ps)).to.equal(want, `among the points at ${at}: ${p.join(" ")}`);
        }
      }
      expect(await are(nonPoints)).to.equal(false, "no point");
    });

    it("areQueuePoints: reverts on arrays of different lengths", async function () {
      const f = await networkHelpers.loadFixture(queueFixture);
      for (const [c, p, h] of [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
        [2, 2, 1],
        [1, 2, 2],
      ] as const) {
        await expect(
          f.queue.areQueuePoints(Array<bigint>(c).fill(1n), Array<bigint>(p).fill(0n), Array<string>(h).fill(ZeroHash)),
        )
          .to.be.revertedWithCustomError(f.queue, "RequestQueueLengthMismatch")
          .withArgs(c, p, h);
      }
    });
  });

  describe("guardian pause (ReferenceValidium Ignition deployment)", function () {
    it("rejects every deposit with ConfigPaused until the pause is lifted or expires", async function () {
      const f = await networkHelpers.loadFixture(validiumFixture);
      const user = f.users[0]!;
      const queueAddress = await f.queue.getAddress();
      expect(await f.registry.clusterConfig()).to.equal(await f.clusterConfig.getAddress());
      const send = (chain: bigint, value: bigint) =>
        f.queue.connect(user).depositEth(chain, 0n, KEY, user.address, { value });
      const state = async () => ({
        balance: await ethers.provider.getBalance(queueAddress),
        lengths: await Promise.all([1n, 2n].map((c) => f.queue.length(c))),
        heads: await Promise.all([1n, 2n].map(async (c) => f.queue.hashAt(c, await f.queue.length(c)))),
        escrowed: await Promise.all([1n, 2n].map((c) => f.queue.escrowed(c, 0n))),
      });
      await send(1n, 5n);

      // The guardian (the deployer in the development deployment) pauses: nothing gets in, not even a deposit
      // the queue would reject for another reason (the pause is checked first).
      await expect(f.clusterConfig.connect(f.admin).pause()).to.emit(f.clusterConfig, "Paused");
      const until = await f.clusterConfig.pausedUntil();
      const before = await state();
      for (const [chain, value] of [
        [1n, 1n],
        [2n, 7n],
        [UNKNOWN, 0n],
      ] as const) {
        await expect(send(chain, value)).to.be.revertedWithCustomError(f.clusterConfig, "ConfigPaused").withArgs(until);
      }
      expect(await state()).to.deep.equal(before);

      // Lifted by the guardian: deposits resume.
      await f.clusterConfig.connect(f.admin).unpause();
      await send(2n, 7n);
      expect(await f.queue.length(2n)).to.equal(1n);

      // Governance re-arms the guardian; a second pause ends on its own at pausedUntil.
      await f.clusterConfig.connect(f.admin).setGuardian(f.admin.address);
      await f.clusterConfig.connect(f.admin).pause();
      const until2 = await f.clusterConfig.pausedUntil();
      await networkHelpers.time.increaseTo(until2 - 10n);
      await expect(send(1n, 1n)).to.be.revertedWithCustomError(f.clusterConfig, "ConfigPaused").withArgs(until2);
      await networkHelpers.time.increaseTo(until2);
      expect(await f.clusterConfig.paused()).to.equal(false);
      await send(1n, 1n);
      expect(await f.queue.length(1n)).to.equal(2n);
      expect(await f.queue.escrowed(1n, 0n)).to.equal(6n);
    });
  });

  describe("ERC-20 deposits, forced operations and freeze (ReferenceValidium Ignition deployment)", function () {
    /** The Ignition deployment plus chain 3 on the development verifier (operator operators[2]) and a token. */
    async function forcedFixture() {
      const f = await validiumFixture();
      const { developmentVerifier } = await ignition.deploy(DevelopmentVerifierModule);
      const operator = f.operators[2]!;
      await f.registry.registerChain(3n, 0n, operator.address, await developmentVerifier.getAddress(), ZeroHash);
      const token = (await ethers.deployContract("MockERC20", ["Token", "TOK"])) as unknown as MintableToken;
      await f.queue.connect(f.admin).registerToken(await token.getAddress());
      const signatureVerifier = await ethers.getContractAt(
        "LedgerSignatureVerifier",
        await f.queue.signatureVerifier(),
      );
      return { ...f, operator, token, signatureVerifier };
    }
    type Forced = Awaited<ReturnType<typeof forcedFixture>>;
    const FEE = 10n ** 15n;
    const DEADLINE = 7n * 86_400n;
    const gas: Record<string, bigint> = {};
    const gasOf = async (name: string, tx: Promise<ContractTransactionResponse>): Promise<void> => {
      gas[name] = (await (await tx).wait())!.gasUsed;
    };

    /** An update of chain 3 (development verifier) consuming its queue up to `position`. */
    async function update(f: Forced, position: bigint): Promise<void> {
      const [, latest] = await f.registry.latestCommitment(3n);
      const block = BigInt(await ethers.provider.getBlockNumber());
      await f.registry.connect(f.operator).submitUpdate(
        {
          chainId: 3n,
          ackBlock: block,
          l2Block: 0n,
          queuePosition: position,
          prevRoot: latest.root,
          newRoot: hex32(position + 1n),
          queueHash: await f.queue.hashAt(3n, position),
          outboxRoot: ZeroHash,
          inboxRoot: ZeroHash,
          withdrawalRoot: ZeroHash,
        },
        "0x",
      );
    }

    /** A forced withdrawal of slot 5 signed with circomlibjs by the owner's wallet. */
    function signedWithdrawal(chainId: bigint, recipient: string, amount: bigint, salt: bigint) {
      const wallet = Wallet.fromSeed("forced-withdrawal owner", crypto);
      const slot = 5n;
      const tokenId = 0n;
      const inner = crypto.poseidon([BigInt(recipient), tokenId, amount, salt]);
      const message = crypto.poseidon([5n, chainId, slot, inner]);
      const sig = wallet.sign(message);
      return {
        wallet,
        message,
        w: {
          slot,
          tokenId,
          amount,
          recipient,
          salt,
          ax: wallet.pubKey.Ax,
          ay: wallet.pubKey.Ay,
          r8x: sig.R8x,
          r8y: sig.R8y,
          s: sig.S,
        },
      };
    }

    it("credits an ERC-20 deposit and queues it as kind 1 with its token id", async function () {
      const f = await networkHelpers.loadFixture(forcedFixture);
      const user = f.users[0]!;
      await f.token.mint(user.address, 10n ** 24n);
      await (f.token.connect(user) as MintableToken).approve(await f.queue.getAddress(), 10n ** 24n);
      await gasOf("depositErc20 (first)", f.queue.connect(user).depositErc20(3n, 1n, 4n, KEY, user.address, 1000n));
      const item = depositItem({
        tokenId: 1n,
        accountIndex: 4n,
        amount: 1000n,
        keyHash: KEY,
        refund: BigInt(user.address),
      });
      expect(await f.queue.hashAt(3n, 1n)).to.equal(hex32(queueStep(crypto, 0n, item)));
      expect(await f.queue.escrowed(3n, 1n)).to.equal(1000n);
      await gasOf("depositErc20", f.queue.connect(user).depositErc20(3n, 1n, 4n, KEY, user.address, 1000n));
    });

    it("accepts a circomlibjs-signed forced withdrawal, rejects a tampered one, queues a forced message", async function () {
      const f = await networkHelpers.loadFixture(forcedFixture);
      const user = f.users[1]!;
      const { wallet, message, w } = signedWithdrawal(3n, user.address, 10n ** 18n, 42n);
      expect(await f.signatureVerifier.forcedWithdrawalMessage(3n, w)).to.equal(message);
      expect(await f.signatureVerifier.verifyForcedWithdrawal(3n, w)).to.equal(wallet.keyHash);
      const tampered = { ...w, amount: w.amount + 1n };
      await expect(f.queue.connect(user).forceWithdrawal(3n, tampered, { value: FEE })).to.be.revertedWithCustomError(
        f.signatureVerifier,
        "SignatureInvalid",
      );
      await expect(f.queue.connect(user).forceWithdrawal(3n, w, { value: FEE - 1n }))
        .to.be.revertedWithCustomError(f.queue, "RequestQueueWrongFee")
        .withArgs(FEE - 1n, FEE);
      await gasOf("forceWithdrawal", f.queue.connect(user).forceWithdrawal(3n, w, { value: FEE }));
      const w0 = 2n | (5n << 40n) | (w.amount << 72n);
      const h1 = queueStep(crypto, 0n, { w0, w1: wallet.keyHash, w2: BigInt(user.address) } as QueueItem);
      expect(await f.queue.hashAt(3n, 1n)).to.equal(hex32(h1));
      await expect(f.queue.connect(user).forceWithdrawal(3n, w, { value: FEE })).to.be.revertedWithCustomError(
        f.queue,
        "RequestQueueSignatureUsed",
      );
      const payload = hex32(0xabcdefn);
      await expect(f.queue.connect(user).forceMessage(3n, payload, { value: FEE }))
        .to.emit(f.queue, "ForcedMessage")
        .withArgs(3n, 2n, user.address, payload);
      expect(await f.queue.forcedDeadline(3n, 2n)).to.equal(BigInt(await networkHelpers.time.latest()) + DEADLINE);
      await gasOf("forceMessage", f.queue.connect(user).forceMessage(3n, payload, { value: FEE }));
    });

    it("freezes a chain whose updates leave a forced request unconsumed past its deadline, not otherwise", async function () {
      const f = await networkHelpers.loadFixture(forcedFixture);
      const user = f.users[2]!;
      await f.queue.connect(user).depositEth(3n, 0n, KEY, user.address, { value: 1n }); // 1
      await f.queue.connect(user).forceMessage(3n, hex32(1n), { value: FEE }); // 2: consumed below
      await f.queue.connect(user).forceMessage(3n, hex32(2n), { value: FEE }); // 3: left unconsumed
      await update(f, 2n);
      await networkHelpers.time.increase(DEADLINE + 1n);
      await update(f, 2n); // the operator keeps updating without consuming item 3
      await expect(f.queue.freeze(3n, 2n))
        .to.be.revertedWithCustomError(f.queue, "RequestQueueForcedConsumed")
        .withArgs(3n, 2n, 2n);
      await expect(f.queue.freeze(3n, 1n)).to.be.revertedWithCustomError(f.queue, "RequestQueueNotForced");
      expect(await f.queue.claimableFees(3n)).to.equal(FEE);
      const balance = await ethers.provider.getBalance(f.users[3]!.address);
      await gasOf("claimFees", f.queue.connect(f.operator).claimFees(3n, f.users[3]!.address));
      expect((await ethers.provider.getBalance(f.users[3]!.address)) - balance).to.equal(FEE);
      await gasOf("freeze", f.queue.connect(user).freeze(3n, 3n));
      expect(await f.registry.chainStatus(3n)).to.equal(2n); // Frozen
      console.log(
        `      gas: ${Object.entries(gas)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")}`,
      );
    });
  });

  describe("gas", function () {
    it("measures a first and a steady-state deposit", async function () {
      const f = await networkHelpers.loadFixture(queueFixture);
      const gasOf = async (tx: Promise<ContractTransactionResponse>) => (await (await tx)!.wait())!.gasUsed;
      const first = await gasOf(deposit(f, 3n, 10n ** 18n, 1n));
      await gasOf(deposit(f, 3n, 10n ** 18n, 2n));
      const steady = await gasOf(deposit(f, 3n, 10n ** 18n, 3n));
      const firstOther = await gasOf(deposit(f, 2n, 10n ** 18n, 1n));
      const poseidonCall = await f.poseidon["poseidon(uint256[4])"].estimateGas([1n, 2n, 3n, 4n]);
      console.log(
        `      depositEth gas: first into a chain ${first}, steady state ${steady}, ` +
          `first into another chain ${firstOther}; Poseidon H_4 call alone (estimate, incl. 21000) ${poseidonCall}`,
      );
      expect(steady).to.be.lessThan(first);
      expect(first).to.be.lessThan(200_000n);
      expect(steady).to.be.greaterThan(21_000n);
    });
  });
});
