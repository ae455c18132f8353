/**
 * End to end: the reference node proves real batches (shipped circuit instance, CPU prover) and the
 * registry accepts them through the generated Groth16 verifier and its adapter; tampered updates are
 * rejected on chain; the node's state survives a restart.
 */
import { expect } from "chai";
import { parseEther, toBeHex } from "ethers";

import { getCrypto, Wallet } from "../../src/ledger/index.ts";
import { NodeCannotSubmitError, NodeOutOfSyncError, type PreparedBatch, type UpdateData } from "../../src/node/node.ts";
import { ethers, networkHelpers } from "../helpers/fixtures.ts";
import { openNode, validiumFixture, type ValidiumFixture } from "../helpers/validium.ts";
import { expectRejection } from "../helpers/assertions.ts";
import { releaseCurveWorkers } from "../../src/prover/cpu-backend.ts";

const FIELD_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

describe("ValidiumNode end to end (real Groth16 proofs)", function () {
  // The CPU prover's worker threads would keep the process alive after a failed test.
  after(async function () {
    await releaseCurveWorkers();
  });

  let f: ValidiumFixture;
  let alice: Wallet;
  let bob: Wallet;
  let dataDir: string;
  let batch1: PreparedBatch;
  let batch2: PreparedBatch;

  before(async function () {
    const crypto = await getCrypto();
    alice = Wallet.fromSeed("alice", crypto);
    bob = Wallet.fromSeed("bob", crypto);
    f = await networkHelpers.loadFixture(validiumFixture);
    // The same three deposits into chains 1 and 2 (their queues then have equal rolling hashes): alice
    // into slot 0, bob into slot 1, and bob into alice's slot 0 (refunded by the chain).
    for (const chain of [1n, 2n]) {
      const q = f.queue.connect(f.users[0]!);
      await q.depositEth(chain, 0, alice.keyHash, f.users[0]!.address, { value: parseEther("1") });
      await q.depositEth(chain, 1, bob.keyHash, f.users[0]!.address, { value: parseEther("0.5") });
      await q.depositEth(chain, 0, bob.keyHash, f.users[0]!.address, { value: parseEther("0.2") });
    }
  });

  it("test_produceBatch_depositsSettleWithARealProof", async function () {
    const node = await openNode(f, 1n, f.operators[0]!);
    dataDir = node.options.dataDir;
    expect(await node.syncQueue()).to.equal(3);
    const prepared = await node.prepareBatch();
    expect(prepared).to.not.equal(null);
    batch1 = prepared!;
    // The third deposit is refunded: slot 2's withdrawal entry pays users[0].
    expect(batch1.trace.slots.map((s) => s.credited)).to.deep.equal([true, true, false, false]);
    expect(batch1.trace.slots[2]!.withdrawal).to.deep.equal({
      recipient: BigInt(f.users[0]!.address),
      tokenId: 0n,
      amount: parseEther("0.2"),
    });
    const settled = await node.settle(batch1);
    const [index, info] = await f.registry.latestCommitment(1n);
    expect(index).to.equal(1n);
    expect(info.root).to.equal(toBeHex(node.ledger.stateRoot(), 32));
    expect(settled.ops).to.deep.equal({ deposits: 3, transfers: 0, withdrawals: 0, noops: 1 });
    expect(node.ledger.leaf(0).balance).to.equal(parseEther("1"));
    expect(node.ledger.leaf(1).balance).to.equal(parseEther("0.5"));
    await node.close();
  });

  it("test_submitUpdate_rejectsAProofForAnotherChain", async function () {
    // Chain 2 is at the same genesis root with the same queue, so only the chain id differs.
    const data: UpdateData = { ...batch1.data, chainId: 2n };
    await expect(f.registry.connect(f.operators[1]!).submitUpdate(data, batch1.proofBytes))
      .to.be.revertedWithCustomError(f.registry, "RegistryInvalidProof")
      .withArgs(2n, f.adapterAddress);
  });

  it("test_produceBatch_transfersAndWithdrawalsSettle_andBadOpsAreDropped", async function () {
    const node = await openNode(f, 1n, f.operators[0]!, dataDir);
    const chainId = 1n;
    node.submit(alice.transfer({ chainId, from: 0, to: 1, amount: parseEther("0.25"), nonce: 0n }));
    // Overspend: dropped with a reason, not proven.
    node.submit(bob.transfer({ chainId, from: 1, to: 0, amount: parseEther("5"), nonce: 0n }));
    node.submit(
      bob.withdraw({ chainId, from: 1, recipient: BigInt(f.users[1]!.address), amount: parseEther("0.1"), nonce: 0n }),
    );
    batch2 = (await node.prepareBatch())!;
    expect(node.rejected).to.have.length(1);
    expect(node.rejected[0]!.reason).to.match(/Overspend/);
    await checkTamperedUpdatesAreRejected(f, batch2);
    await node.settle(batch2);
    expect(node.ledger.leaf(0).balance).to.equal(parseEther("0.75"));
    expect(node.ledger.leaf(1).balance).to.equal(parseEther("0.65"));
    const [, info] = await f.registry.latestCommitment(1n);
    expect(info.root).to.equal(toBeHex(node.ledger.stateRoot(), 32));
    await node.close();
  });

  it("test_submitUpdate_rejectsAnOldRoot", async function () {
    const now = BigInt(await ethers.provider.getBlockNumber());
    await expect(
      f.registry.connect(f.operators[0]!).submitUpdate({ ...batch1.data, ackBlock: now }, batch1.proofBytes),
    ).to.be.revertedWithCustomError(f.registry, "RegistryNotOnLatest");
    // The latest root with the old proof: the proof binds the previous root.
    const [, info] = await f.registry.latestCommitment(1n);
    const data: UpdateData = { ...batch2.data, prevRoot: info.root, ackBlock: batch2.data.ackBlock };
    await expect(f.registry.connect(f.operators[0]!).submitUpdate(data, batch2.proofBytes))
      .to.be.revertedWithCustomError(f.registry, "RegistryInvalidProof")
      .withArgs(1n, f.adapterAddress);
  });

  it("test_open_reloadsFromDiskAndContinues", async function () {
    const node = await openNode(f, 1n, f.operators[0]!, dataDir);
    expect(node.batches).to.have.length(2);
    expect(node.ledger.leaf(1).balance).to.equal(parseEther("0.65"));
    node.submit(bob.withdraw({ chainId: 1n, from: 1, recipient: 7n, amount: 5n, nonce: 1n }));
    const r = await node.produceBatch();
    expect(r!.l2Block).to.equal("3");
    const [index] = await f.registry.latestCommitment(1n);
    expect(index).to.equal(3n);
    await node.close();
  });

  it("test_prepareBatch_refusesBeforeProvingWhenItCannotSubmit", async function () {
    // Chain 2's queue holds three deposits; operators[0] does not operate chain 2.
    const wrong = await openNode(f, 2n, f.operators[0]!);
    await wrong.syncQueue();
    await expectRejection(wrong.prepareBatch(), NodeCannotSubmitError, /is not the operator of chain 2/);
    await wrong.close();
    await f.registry.connect(f.admin).setChainStatus(2n, 2);
    const frozen = await openNode(f, 2n, f.operators[1]!);
    await frozen.syncQueue();
    await expectRejection(frozen.prepareBatch(), NodeCannotSubmitError, /chain 2 is not active \(status 2\)/);
    await frozen.close();
    await f.registry.connect(f.admin).setChainStatus(2n, 1);
  });

  it("test_open_refusesAStateTheRegistryDoesNotHave", async function () {
    // A fresh node for chain 1 starts from genesis, but the registry is three batches ahead.
    await expectRejection(openNode(f, 1n, f.operators[0]!), NodeOutOfSyncError);
  });
});

/** Every public field of a valid update, altered, is rejected on chain. */
async function checkTamperedUpdatesAreRejected(f: ValidiumFixture, b: PreparedBatch): Promise<void> {
  const registry = f.registry.connect(f.operators[0]!);
  const invalidProof = async (data: UpdateData, proof = b.proofBytes) =>
    expect(registry.submitUpdate(data, proof))
      .to.be.revertedWithCustomError(f.registry, "RegistryInvalidProof")
      .withArgs(1n, f.adapterAddress);
  const bump = (hex: string) => toBeHex(BigInt(hex) + 1n, 32);
  await invalidProof({ ...b.data, newRoot: bump(b.data.newRoot) });
  await invalidProof({ ...b.data, withdrawalRoot: bump(b.data.withdrawalRoot) });
  await invalidProof({ ...b.data, l2Block: b.data.l2Block + 1n });
  // A proof with one coordinate changed.
  const bytes = b.proofBytes.slice(0, -1) + (b.proofBytes.endsWith("0") ? "1" : "0");
  await expect(registry.submitUpdate(b.data, bytes)).to.be.revert(ethers);
  await expect(
    registry.submitUpdate({ ...b.data, queueHash: bump(b.data.queueHash) }, b.proofBytes),
  ).to.be.revertedWithCustomError(f.adapter, "Groth16UpdateVerifierQueueMismatch");
  await expect(registry.submitUpdate({ ...b.data, queuePosition: 2n }, b.proofBytes)).to.be.revertedWithCustomError(
    f.adapter,
    "Groth16UpdateVerifierQueueMismatch",
  );
  await expect(registry.submitUpdate({ ...b.data, newRoot: toBeHex(FIELD_R, 32) }, b.proofBytes))
    .to.be.revertedWithCustomError(f.adapter, "LedgerPublicSignalsNotInField")
    .withArgs(5n, FIELD_R);
  await expect(registry.submitUpdate({ ...b.data, outboxRoot: toBeHex(1, 32) }, b.proofBytes))
    .to.be.revertedWithCustomError(f.adapter, "LedgerPublicSignalsUnsupportedField")
    .withArgs(7n);
  await expect(registry.submitUpdate(b.data, b.proofBytes.slice(0, -2)))
    .to.be.revertedWithCustomError(f.adapter, "Groth16UpdateVerifierBadProofLength")
    .withArgs(255n);
}
