/**
 * RequestQueue payouts with the real circomlibjs Poseidon contracts, deployed through the ReferenceValidium and
 * LedgerEscapeVerifier Ignition modules: a chain on the development verifier whose updates carry the state and
 * withdrawal roots of a TypeScript `Ledger` fed the same queue items, so that
 *  - an ETH withdrawal listed by a commitment is claimable once the chain's next update finalizes it
 *    (docs/PROTOCOL.md §2–3), and pays its recipient whoever submits the claim;
 *  - after a freeze (an overdue forced message), an account escapes with a real `LedgerEscapeVerifier` proof
 *    against the chain's final root (a proof against the pending latest root is refused);
 *  - a deposit the final state never consumed is reclaimed to its refund address.
 * Prints the gas of each payout.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { expect } from "chai";
import { toBeHex, ZeroAddress, type ContractTransactionResponse } from "ethers";

import DevelopmentVerifierModule from "../../ignition/modules/DevelopmentVerifier.ts";
import LedgerEscapeVerifierModule from "../../ignition/modules/LedgerEscapeVerifier.ts";
import ReferenceValidiumModule from "../../ignition/modules/ReferenceValidium.ts";
import {
  buildEscapeProof,
  depositItem,
  getCrypto,
  Ledger,
  OpType,
  Wallet,
  type BatchTrace,
  type LedgerCrypto,
  type Op,
  type QueueItemOp,
} from "../../src/ledger/index.ts";
import type { RequestQueue, ValidiumRegistry } from "../../typechain-types/index.ts";
import { ethers, ignition, networkHelpers } from "../helpers/fixtures.ts";

const CHAIN = 3n;
const K = 4;
const D = 8;
const FEE = 10n ** 15n;
const DEADLINE = 7n * 86_400n;
const ETHER = 10n ** 18n;
const SLOT = { alice: 3, bob: 7 } as const;

const hex32 = (x: bigint): string => toBeHex(x, 32);

/** One deployment: the reference validium, the ledger escape verifier and the development verifier. */
const PayoutsModule = buildModule("RequestQueuePayoutsTest", (m) => {
  const { registry, requestQueue } = m.useModule(ReferenceValidiumModule);
  const { ledgerEscapeVerifier } = m.useModule(LedgerEscapeVerifierModule);
  const { developmentVerifier } = m.useModule(DevelopmentVerifierModule);
  return { registry, requestQueue, ledgerEscapeVerifier, developmentVerifier };
});

let crypto: LedgerCrypto;

interface Fixture {
  registry: ValidiumRegistry;
  queue: RequestQueue;
  escapeVerifier: string;
  admin: HardhatEthersSigner;
  operator: HardhatEthersSigner;
  user: HardhatEthersSigner;
  recipient: HardhatEthersSigner;
  stranger: HardhatEthersSigner;
  ledger: Ledger;
  alice: Wallet;
  bob: Wallet;
}

/** Chain 3 admitted with the development verifier, the ledger escape verifier and the ledger's genesis root. */
async function payoutsFixture(): Promise<Fixture> {
  const { registry, requestQueue, ledgerEscapeVerifier, developmentVerifier } = await ignition.deploy(PayoutsModule, {
    parameters: { ClusterConfig: { maxFanOut: 16, maxDepth: 16, minStake: 0n } },
  });
  const [admin, operator, user, recipient, stranger] = (await ethers.getSigners()) as HardhatEthersSigner[] as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];
  const r = registry as unknown as ValidiumRegistry;
  const ledger = Ledger.withCrypto(crypto, { chainId: CHAIN, K, D });
  const escapeVerifier = await ledgerEscapeVerifier.getAddress();
  await r.connect(admin).admitChain({
    chainId: CHAIN,
    parent: 0n,
    governance: admin.address,
    security: {
      operator: operator.address,
      verifier: await developmentVerifier.getAddress(),
      escapeVerifier,
      codeHash: hex32(0n),
      configHash: hex32(0n),
    },
    genesisRoot: hex32(ledger.stateRoot()),
  });
  const [alice, bob] = ["alice", "bob"].map((s) => Wallet.fromSeed(`payouts ${s}`, crypto)) as [Wallet, Wallet];
  return {
    registry: r,
    queue: requestQueue as unknown as RequestQueue,
    escapeVerifier,
    admin,
    operator,
    user,
    recipient,
    stranger,
    ledger,
    alice,
    bob,
  };
}

/**
 * Submits `trace` as chain 3's next update (the development verifier accepts it), acknowledging the block
 * mined just before: later than the chain's previous commitment, so it finalizes it.
 */
async function submit(f: Fixture, trace: BatchTrace): Promise<void> {
  await networkHelpers.mine();
  await f.registry.connect(f.operator).submitUpdate(
    {
      chainId: CHAIN,
      ackBlock: BigInt(await ethers.provider.getBlockNumber()),
      l2Block: trace.after.l2Block,
      queuePosition: trace.after.queuePosition,
      prevRoot: hex32(trace.prevRoot),
      newRoot: hex32(trace.newRoot),
      queueHash: hex32(trace.after.queueHash),
      outboxRoot: hex32(0n),
      inboxRoot: hex32(0n),
      withdrawalRoot: hex32(trace.withdrawalRoot),
    },
    "0x",
  );
}

/** Deposits `amount` wei into `slot` of chain 3 for `wallet`, refund to `f.user`; returns the ledger op. */
async function deposit(f: Fixture, wallet: Wallet, slot: number, amount: bigint): Promise<Op> {
  await f.queue.connect(f.user).depositEth(CHAIN, slot, wallet.keyHash, f.user.address, { value: amount });
  const item = depositItem({
    tokenId: 0n,
    accountIndex: BigInt(slot),
    amount,
    keyHash: wallet.keyHash,
    refund: BigInt(f.user.address),
  });
  return { type: OpType.QueueItem, item };
}

/** The H_2 Merkle path of leaf `k` over `leaves` (a power of two of them), leaf level first. */
function merklePath(leaves: readonly bigint[], k: number): bigint[] {
  const path: bigint[] = [];
  let level = [...leaves];
  let i = k;
  while (level.length > 1) {
    path.push(level[i ^ 1]!);
    const next: bigint[] = [];
    for (let j = 0; j < level.length; j += 2) next.push(crypto.poseidon([level[j]!, level[j + 1]!]));
    level = next;
    i >>= 1;
  }
  return path;
}

const gas: Record<string, bigint> = {};
const gasOf = async (name: string, tx: Promise<ContractTransactionResponse>): Promise<void> => {
  gas[name] = (await (await tx).wait())!.gasUsed;
};

describe("RequestQueue payouts (ReferenceValidium Ignition deployment, real Poseidon)", function () {
  before(async function () {
    crypto = await getCrypto();
  });

  after(function () {
    console.log("      gas (tx gasUsed):", gas);
  });

  it("wires PoseidonT3 and PoseidonT4 (circomlibjs H_2, H_3) into the queue", async function () {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    for (const [n, address] of [
      [2, await f.queue.poseidon2()],
      [3, await f.queue.poseidon3()],
    ] as const) {
      const abi = [`function poseidon(uint256[${n}]) view returns (uint256)`];
      const p = new ethers.Contract(address, abi, ethers.provider);
      const inputs = Array.from({ length: n }, (_, i) => BigInt(i + 1) * 0x1234567n);
      expect(await p.getFunction("poseidon")(inputs)).to.equal(crypto.poseidon(inputs));
    }
  });

  it("claims a final withdrawal, escapes after a freeze, reclaims an unconsumed deposit", async function () {
    const f = await networkHelpers.loadFixture(payoutsFixture);
    const { ledger, alice, bob } = f;
    // Batch 1: two deposits (positions 1, 2).
    const ops1 = [await deposit(f, alice, SLOT.alice, 5n * ETHER), await deposit(f, bob, SLOT.bob, 2n * ETHER)];
    const t1 = ledger.executeBatch(ops1);
    expect(hex32(t1.after.queueHash)).to.equal(await f.queue.hashAt(CHAIN, 2n), "ledger and queue agree");
    await submit(f, t1);
    // Batch 2: alice withdraws 1 ether to `recipient` (slot 0 of the withdrawal list).
    const withdraw = alice.withdraw({
      chainId: CHAIN,
      from: SLOT.alice,
      recipient: BigInt(f.recipient.address),
      amount: ETHER,
      nonce: ledger.leaf(SLOT.alice).nonce,
    });
    const t2 = ledger.executeBatch([withdraw]);
    const entries = t2.slots.map((s) => s.entryHash);
    expect(entries[0]).to.not.equal(0n);
    // The escape proof against the state of batch 2 (which becomes the final state).
    const escape = buildEscapeProof(ledger, alice, SLOT.alice, f.recipient.address);
    await submit(f, t2);
    const [index2] = await f.registry.latestCommitment(CHAIN);
    const claimArgs = [CHAIN, index2, 0n, f.recipient.address, 0n, ETHER, merklePath(entries, 0)] as const;
    await expect(f.queue.connect(f.stranger).claimWithdrawal(...claimArgs))
      .to.be.revertedWithCustomError(f.queue, "RequestQueueCommitmentNotFinal")
      .withArgs(CHAIN, index2, index2 - 1n);
    // Batch 3 (empty): the chain's next update acknowledges a later block and finalizes batch 2.
    const t3 = ledger.executeBatch([]);
    await submit(f, t3);
    expect((await f.registry.finalizedCommitment(CHAIN))[0]).to.equal(index2);
    const lateProof = buildEscapeProof(ledger, alice, SLOT.alice, f.recipient.address);

    const before = await ethers.provider.getBalance(f.recipient.address);
    await gasOf("claimWithdrawal (ETH, K = 4)", f.queue.connect(f.stranger).claimWithdrawal(...claimArgs));
    expect(await ethers.provider.getBalance(f.recipient.address)).to.equal(before + ETHER, "recipient paid");
    expect(await f.queue.escrowed(CHAIN, 0n)).to.equal(6n * ETHER);
    expect(await f.queue.isWithdrawalClaimed(CHAIN, index2, 0n)).to.equal(true);
    await expect(f.queue.connect(f.stranger).claimWithdrawal(...claimArgs))
      .to.be.revertedWithCustomError(f.queue, "RequestQueueWithdrawalClaimed")
      .withArgs(CHAIN, index2, 0n);

    // A deposit after the final state (position 3) and a forced message (position 4) left unconsumed.
    await f.queue.connect(f.user).depositEth(CHAIN, 9n, bob.keyHash, f.user.address, { value: 3n * ETHER });
    await expect(
      f.queue.connect(f.stranger).escape(CHAIN, f.recipient.address, escape.encoded),
    ).to.be.revertedWithCustomError(f.queue, "RequestQueueChainNotFrozen");
    await f.queue.connect(f.stranger).forceMessage(CHAIN, hex32(1n), { value: FEE });
    await networkHelpers.time.increase(DEADLINE + 1n);
    await f.queue.connect(f.stranger).freeze(CHAIN, 4n);
    expect(await f.registry.chainStatus(CHAIN)).to.equal(2n, "Frozen");

    // Escape: the pending latest root (batch 3) is not the final one (batch 2).
    const verifier = await ethers.getContractAt("LedgerEscapeVerifier", f.escapeVerifier);
    await expect(
      f.queue.connect(f.stranger).escape(CHAIN, f.recipient.address, lateProof.encoded),
    ).to.be.revertedWithCustomError(verifier, "EscapeStateRootMismatch");
    const mid = await ethers.provider.getBalance(f.recipient.address);
    await gasOf(
      "escape (LedgerEscapeVerifier, D = 8)",
      f.queue.connect(f.stranger).escape(CHAIN, f.recipient.address, escape.encoded),
    );
    expect(await ethers.provider.getBalance(f.recipient.address)).to.equal(mid + 4n * ETHER, "final balance");
    await expect(f.queue.connect(f.stranger).escape(CHAIN, f.recipient.address, escape.encoded))
      .to.be.revertedWithCustomError(f.queue, "RequestQueueAlreadyEscaped")
      .withArgs(CHAIN, BigInt(SLOT.alice));
    await expect(f.queue.connect(f.stranger).escape(CHAIN, ZeroAddress, escape.encoded)).to.be.revertedWithCustomError(
      f.queue,
      "RequestQueueZeroRecipient",
    );

    // Reclaim: position 3 was never consumed; position 1 was.
    const item3 = depositItem({
      tokenId: 0n,
      accountIndex: 9n,
      amount: 3n * ETHER,
      keyHash: bob.keyHash,
      refund: BigInt(f.user.address),
    });
    const item1 = (ops1[0] as QueueItemOp).item;
    await expect(f.queue.reclaimDeposit(CHAIN, 1n, item1.w0, item1.w1, item1.w2))
      .to.be.revertedWithCustomError(f.queue, "RequestQueueDepositConsumed")
      .withArgs(CHAIN, 1n, 2n);
    const userBefore = await ethers.provider.getBalance(f.user.address);
    await gasOf(
      "reclaimDeposit (ETH)",
      f.queue.connect(f.stranger).reclaimDeposit(CHAIN, 3n, item3.w0, item3.w1, item3.w2),
    );
    expect(await ethers.provider.getBalance(f.user.address)).to.equal(userBefore + 3n * ETHER, "refunded");
    await expect(f.queue.reclaimDeposit(CHAIN, 3n, item3.w0, item3.w1, item3.w2))
      .to.be.revertedWithCustomError(f.queue, "RequestQueueDepositReclaimed")
      .withArgs(CHAIN, 3n);
    // Left: bob's 2 ether (he can escape too); the forced fee is held apart from the escrow.
    expect(await f.queue.escrowed(CHAIN, 0n)).to.equal(2n * ETHER);
    expect(await ethers.provider.getBalance(await f.queue.getAddress())).to.equal(2n * ETHER + FEE);
  });
});
