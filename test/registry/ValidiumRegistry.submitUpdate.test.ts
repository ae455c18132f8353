/**
 * ValidiumRegistry.submitUpdate: appending commitments, applying acks along the path, finality and
 * pruning, and every rejection (with its exact error and no state change). Tree: see registryState.ts.
 */
import { expect } from "chai";
import { ZeroHash } from "ethers";

import { ChainStatus, CommitmentStatus, demoRoot, updateData } from "../../src/sdk/registry.ts";
import { ethers, networkHelpers } from "../helpers/fixtures.ts";
import {
  A,
  A1,
  A2,
  abs,
  B,
  commit,
  commitAt,
  expectNoStateChange,
  nextBlock,
  R,
  registryEvents,
  S,
  treeFixture,
} from "../helpers/registryState.ts";

const { Pending, Finalized, Pruned } = CommitmentStatus;

/** Runtime code of a verifier that returns `false` for every call: RETURN(0, 32) of zeroed memory. */
const REJECTING_VERIFIER_CODE = "0x60206000f3";
/** Runtime code of a verifier that reverts without data: REVERT(0, 0). */
const REVERTING_VERIFIER_CODE = "0x60006000fd";

describe("ValidiumRegistry: submitUpdate", function () {
  describe("appending", function () {
    it("test_submitUpdate_emitsUpdateSubmittedAndReturnsIndex", async function () {
      const { registry, op } = await networkHelpers.loadFixture(treeFixture);
      const s = registry.connect(op.get(S)!);
      const data = updateData(S, demoRoot(S, 0), demoRoot(S, 1), 0n, 77n);
      expect(await s.submitUpdate.staticCall(data, "0x")).to.equal(1n);
      const tx = s.submitUpdate(data, "0x");
      await expect(tx).to.emit(registry, "UpdateSubmitted").withArgs(S, 1, demoRoot(S, 1), 0n, 77n);
      // With an unchanged ack nothing else happens.
      expect(await registryEvents(registry, tx)).to.deep.equal([`UpdateSubmitted(${S},1,${demoRoot(S, 1)},0,77)`]);

      const data2 = updateData(S, demoRoot(S, 1), demoRoot(S, 2), 0n, 78n);
      expect(await s.submitUpdate.staticCall(data2, "0x")).to.equal(2n);
    });

    it("test_submitUpdate_appendsPendingCommitmentAtCurrentBlock", async function () {
      const { registry, op } = await networkHelpers.loadFixture(treeFixture);
      const blk = await commitAt(registry, op.get(A)!, A);
      const c = await registry.commitment(A, 1);
      expect([c.root, c.blockNumber, c.a, c.b, c.status]).to.deep.equal([
        demoRoot(A, 1),
        BigInt(blk),
        0n,
        3n,
        BigInt(Pending),
      ]);
      const info = await registry.chain(A);
      expect([info.latestIndex, info.finalizedIndex, info.latestAck]).to.deep.equal([1n, 0n, 0n]);
      const [li, latest] = await registry.latestCommitment(A);
      expect(li).to.equal(1n);
      expect(latest.root).to.equal(demoRoot(A, 1));
      const [fi, fin] = await registry.finalizedCommitment(A);
      expect(fi).to.equal(0n);
      expect(fin.root).to.equal(demoRoot(A, 0));
      expect(fin.status).to.equal(BigInt(Finalized));
    });

    it("test_submitUpdate_recordsAckBlock", async function () {
      const { registry, op } = await networkHelpers.loadFixture(treeFixture);
      const ack = await nextBlock();
      await commitAt(registry, op.get(B)!, B, ack);
      expect((await registry.chain(B)).latestAck).to.equal(ack);
      // An equal ack is allowed and keeps it.
      await commitAt(registry, op.get(B)!, B, ack);
      expect((await registry.chain(B)).latestAck).to.equal(ack);
    });

    it("test_submitUpdate_leafFinalizesPreviousCommitmentOnNextUpdate", async function () {
      const { registry, op } = await networkHelpers.loadFixture(treeFixture);
      const s = op.get(S)!;
      // #1 acks the genesis (already final): a(#0) = 1, nothing else.
      const tx1 = commit(registry, s, S, await nextBlock());
      expect(await registryEvents(registry, tx1)).to.have.length(1);
      expect(await abs(registry, S, 0)).to.deep.equal([1, 1, Finalized]);
      expect(await abs(registry, S, 1)).to.deep.equal([0, 1, Pending]);
      // #2 acks #1: 2·1 > 1, so #1 is final and #0 pruned.
      const ack = await nextBlock();
      const tx2 = commit(registry, s, S, ack);
      await expect(tx2).to.emit(registry, "CommitmentFinalized").withArgs(S, 1);
      await expect(tx2).to.emit(registry, "CommitmentsPruned").withArgs(S, 0, 1);
      expect(await registryEvents(registry, tx2)).to.deep.equal([
        `CommitmentFinalized(${S},1)`,
        `CommitmentsPruned(${S},0,1)`,
        `UpdateSubmitted(${S},2,${demoRoot(S, 2)},${ack},2)`,
      ]);
      expect(await abs(registry, S, 0)).to.deep.equal([0, 0, Pruned]);
      expect(await abs(registry, S, 1)).to.deep.equal([1, 1, Finalized]);
      expect(await abs(registry, S, 2)).to.deep.equal([0, 1, Pending]);
      expect((await registry.chain(S)).finalizedIndex).to.equal(1n);
    });
  });

  describe("acks", function () {
    it("test_submitUpdate_ackSkippingSeveralCommitmentsFinalizesNewestAndPrunesOlder", async function () {
      const { registry, op } = await networkHelpers.loadFixture(treeFixture);
      // R commits three times without acknowledging anything (ack stays 0).
      for (let i = 0; i < 3; i++) await commitAt(registry, op.get(R)!, R);
      // One ack from B covers all three: a = 1 each, b(R) = 5.
      const tx1 = commit(registry, op.get(B)!, B, await nextBlock());
      expect(await registryEvents(registry, tx1)).to.have.length(1);
      for (let j = 1; j <= 3; j++) expect(await abs(registry, R, j)).to.deep.equal([1, 5, Pending]);
      // A: a = 2 each, still 4 ≤ 5.
      await commitAt(registry, op.get(A)!, A, await nextBlock());
      for (let j = 1; j <= 3; j++) expect(await abs(registry, R, j)).to.deep.equal([2, 5, Pending]);
      // A1: a = 3, 6 > 5: the newest (#3) becomes final, #0..#2 are pruned in one go.
      const ack = await nextBlock();
      const tx3 = commit(registry, op.get(A1)!, A1, ack);
      await expect(tx3).to.emit(registry, "CommitmentFinalized").withArgs(R, 3);
      await expect(tx3).to.emit(registry, "CommitmentsPruned").withArgs(R, 0, 3);
      expect(await registryEvents(registry, tx3)).to.deep.equal([
        `CommitmentFinalized(${R},3)`,
        `CommitmentsPruned(${R},0,3)`,
        `UpdateSubmitted(${A1},1,${demoRoot(A1, 1)},${ack},1)`,
      ]);
      for (let j = 0; j < 3; j++) expect(await abs(registry, R, j)).to.deep.equal([0, 0, Pruned]);
      expect(await abs(registry, R, 3)).to.deep.equal([3, 5, Finalized]);
      // A's commitment #1 gained A1's ack too (1 of 3, pending), and A's genesis as well.
      expect(await abs(registry, A, 1)).to.deep.equal([1, 3, Pending]);
      expect(await abs(registry, A, 0)).to.deep.equal([2, 3, Finalized]);
    });

    it("test_submitUpdate_laggingChildAcksOldBlockCountsOnlyOlderCommitments", async function () {
      const { registry, op, registeredAt } = await networkHelpers.loadFixture(treeFixture);
      const t1 = await commitAt(registry, op.get(R)!, R);
      const t2 = await commitAt(registry, op.get(R)!, R);
      const t3 = await commitAt(registry, op.get(R)!, R);
      expect(registeredAt.get(R)!).to.be.lessThan(t1);
      // B, lagging, acknowledges block t2: only commitments before t2 (genesis and #1) count it.
      await commitAt(registry, op.get(B)!, B, t2);
      expect(await abs(registry, R, 0)).to.deep.equal([1, 5, Finalized]);
      expect(await abs(registry, R, 1)).to.deep.equal([1, 5, Pending]);
      expect(await abs(registry, R, 2)).to.deep.equal([0, 5, Pending]);
      expect(await abs(registry, R, 3)).to.deep.equal([0, 5, Pending]);
      // Moving its ack to t3 adds exactly #2 (t2 ≤ block < t3); #1 is not counted twice.
      await commitAt(registry, op.get(B)!, B, t3);
      expect(await abs(registry, R, 1)).to.deep.equal([1, 5, Pending]);
      expect(await abs(registry, R, 2)).to.deep.equal([1, 5, Pending]);
      expect(await abs(registry, R, 3)).to.deep.equal([0, 5, Pending]);
      // Then to the current block: #3.
      await commitAt(registry, op.get(B)!, B, await nextBlock());
      for (let j = 1; j <= 3; j++) expect(await abs(registry, R, j)).to.deep.equal([1, 5, Pending]);
      // B's own #1 and #2 (made after t3) are covered only by that last ack: #2 is final (b(B) = 1).
      expect((await registry.chain(B)).finalizedIndex).to.equal(2n);
    });

    it("test_submitUpdate_ackUnchangedLeavesPathUntouched", async function () {
      const { registry, op } = await networkHelpers.loadFixture(treeFixture);
      await commitAt(registry, op.get(A2)!, A2, await nextBlock());
      await commitAt(registry, op.get(R)!, R);
      await commitAt(registry, op.get(A)!, A);
      const before = await Promise.all([abs(registry, R, 1), abs(registry, A, 1), abs(registry, R, 0)]);
      expect(before).to.deep.equal([
        [0, 5, Pending],
        [0, 3, Pending],
        [1, 5, Finalized],
      ]);
      const tx = commit(registry, op.get(A2)!, A2); // same ack as before
      expect(await registryEvents(registry, tx)).to.have.length(1);
      expect(await Promise.all([abs(registry, R, 1), abs(registry, A, 1), abs(registry, R, 0)])).to.deep.equal(before);
      // A2's own previous commitment is not acknowledged either.
      expect(await abs(registry, A2, 1)).to.deep.equal([0, 1, Pending]);
    });

    it("test_submitUpdate_ackOfCurrentBlockDoesNotCountCommitmentOfThatBlock", async function () {
      const { registry, op } = await networkHelpers.loadFixture(treeFixture);
      const blk = await nextBlock();
      await ethers.provider.send("evm_setAutomine", [false]);
      try {
        const gasLimit = 1_000_000n;
        const txR = await registry
          .connect(op.get(R)!)
          .submitUpdate(updateData(R, demoRoot(R, 0), demoRoot(R, 1), 0n), "0x", { gasLimit });
        const txB = await registry
          .connect(op.get(B)!)
          .submitUpdate(updateData(B, demoRoot(B, 0), demoRoot(B, 1), blk), "0x", { gasLimit });
        await ethers.provider.send("evm_mine", []);
        expect((await txR.wait())!.blockNumber).to.equal(Number(blk));
        expect((await txB.wait())!.blockNumber).to.equal(Number(blk));
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }
      // R#1 was made at block blk; an ack of blk means "before blk", so it does not count.
      expect(await abs(registry, R, 1)).to.deep.equal([0, 5, Pending]);
      expect(await abs(registry, R, 0)).to.deep.equal([1, 5, Finalized]);
      await commitAt(registry, op.get(B)!, B, await nextBlock());
      expect(await abs(registry, R, 1)).to.deep.equal([1, 5, Pending]);
    });

    it("test_submitUpdate_twoUpdatesInSameBlock", async function () {
      const { registry, op } = await networkHelpers.loadFixture(treeFixture);
      const s = registry.connect(op.get(S)!);
      const blk = await nextBlock();
      const gasLimit = 1_000_000n;
      await ethers.provider.send("evm_setAutomine", [false]);
      let receipts;
      try {
        const tx1 = await s.submitUpdate(updateData(S, demoRoot(S, 0), demoRoot(S, 1), blk, 1n), "0x", { gasLimit });
        const tx2 = await s.submitUpdate(updateData(S, demoRoot(S, 1), demoRoot(S, 2), blk, 2n), "0x", { gasLimit });
        await ethers.provider.send("evm_mine", []);
        receipts = [await tx1.wait(), await tx2.wait()];
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }
      expect(receipts.map((r) => r!.blockNumber)).to.deep.equal([Number(blk), Number(blk)]);
      expect(receipts.map((r) => r!.status)).to.deep.equal([1, 1]);
      const events = receipts.flatMap((r) => r!.logs.map((l) => registry.interface.parseLog(l)!.name));
      expect(events).to.deep.equal(["UpdateSubmitted", "UpdateSubmitted"]);
      // Both at the same block; the second's ack (= that block) does not acknowledge the first.
      const [c1, c2] = [await registry.commitment(S, 1), await registry.commitment(S, 2)];
      expect([c1.blockNumber, c2.blockNumber]).to.deep.equal([blk, blk]);
      expect(await abs(registry, S, 1)).to.deep.equal([0, 1, Pending]);
      expect(await abs(registry, S, 2)).to.deep.equal([0, 1, Pending]);
      expect(await abs(registry, S, 0)).to.deep.equal([1, 1, Finalized]);
      // A later ack covers both; the newest becomes final.
      const tx = commit(registry, op.get(S)!, S, await nextBlock());
      expect((await registryEvents(registry, tx)).slice(0, 2)).to.deep.equal([
        `CommitmentFinalized(${S},2)`,
        `CommitmentsPruned(${S},0,2)`,
      ]);
    });

    it("test_submitUpdate_ackReachesEveryAncestor", async function () {
      const { registry, op } = await networkHelpers.loadFixture(treeFixture);
      for (const id of [R, A, A1, S]) await commitAt(registry, op.get(id)!, id);
      await commitAt(registry, op.get(A1)!, A1, await nextBlock());
      expect(await abs(registry, A1, 1)).to.deep.equal([1, 1, Finalized]);
      expect(await abs(registry, A, 1)).to.deep.equal([1, 3, Pending]);
      expect(await abs(registry, R, 1)).to.deep.equal([1, 5, Pending]);
      // Chains off the path are untouched.
      expect(await abs(registry, S, 1)).to.deep.equal([0, 1, Pending]);
      expect(await abs(registry, B, 0)).to.deep.equal([0, 1, Finalized]);
    });
  });

  describe("rejections", function () {
    it("test_submitUpdate_revertsOnUnknownChain", async function () {
      const { registry, op } = await networkHelpers.loadFixture(treeFixture);
      await expectNoStateChange(registry, () =>
        expect(registry.connect(op.get(S)!).submitUpdate(updateData(99n, ZeroHash, demoRoot(99n, 1), 0n), "0x"))
          .to.be.revertedWithCustomError(registry, "RegistryUnknownChain")
          .withArgs(99n),
      );
    });

    it("test_submitUpdate_revertsOnWrongOperator", async function () {
      const { registry, op, outsider, admin } = await networkHelpers.loadFixture(treeFixture);
      // An outsider, the admin, and another chain's operator.
      for (const caller of [outsider, admin, op.get(R)!]) {
        await expectNoStateChange(registry, () =>
          expect(registry.connect(caller).submitUpdate(updateData(A, demoRoot(A, 0), demoRoot(A, 1), 0n), "0x"))
            .to.be.revertedWithCustomError(registry, "RegistryNotOperator")
            .withArgs(A, caller.address),
        );
      }
    });

    it("test_submitUpdate_revertsOnInactiveChain", async function () {
      const { registry, op, outsider } = await networkHelpers.loadFixture(treeFixture);
      await registry.setChainStatus(A, ChainStatus.Frozen);
      await registry.setChainStatus(S, ChainStatus.Ejected);
      for (const [id, status] of [
        [A, ChainStatus.Frozen],
        [S, ChainStatus.Ejected],
      ] as const) {
        await expectNoStateChange(registry, () =>
          expect(registry.connect(op.get(id)!).submitUpdate(updateData(id, demoRoot(id, 0), demoRoot(id, 1), 0n), "0x"))
            .to.be.revertedWithCustomError(registry, "RegistryChainNotActive")
            .withArgs(id, status),
        );
      }
      // The operator check comes first.
      await expect(registry.connect(outsider).submitUpdate(updateData(A, demoRoot(A, 0), demoRoot(A, 1), 0n), "0x"))
        .to.be.revertedWithCustomError(registry, "RegistryNotOperator")
        .withArgs(A, outsider.address);
      // A frozen chain's children keep updating.
      await commitAt(registry, op.get(A1)!, A1, await nextBlock());
    });

    it("test_submitUpdate_revertsOnAckInFuture", async function () {
      const { registry, op } = await networkHelpers.loadFixture(treeFixture);
      const next = await nextBlock();
      for (const ack of [next + 1n, next + 1000n, 2n ** 40n]) {
        await expectNoStateChange(registry, () =>
          expect(registry.connect(op.get(B)!).submitUpdate(updateData(B, demoRoot(B, 0), demoRoot(B, 1), ack), "0x"))
            .to.be.revertedWithCustomError(registry, "RegistryAckInFuture")
            .withArgs(ack, next),
        );
      }
    });

    it("test_submitUpdate_revertsOnAckDecreasing", async function () {
      const { registry, op } = await networkHelpers.loadFixture(treeFixture);
      const ack = await nextBlock();
      await commitAt(registry, op.get(B)!, B, ack);
      for (const lower of [ack - 1n, 0n]) {
        await expectNoStateChange(registry, () =>
          expect(registry.connect(op.get(B)!).submitUpdate(updateData(B, demoRoot(B, 1), demoRoot(B, 2), lower), "0x"))
            .to.be.revertedWithCustomError(registry, "RegistryAckDecreasing")
            .withArgs(lower, ack),
        );
      }
    });

    it("test_submitUpdate_revertsWhenNotOnLatestCommitment", async function () {
      const { registry, op } = await networkHelpers.loadFixture(treeFixture);
      await commitAt(registry, op.get(B)!, B);
      // Building on the genesis (a fork), or on a root that never existed.
      for (const prev of [demoRoot(B, 0), demoRoot(B, 7), ZeroHash]) {
        await expectNoStateChange(registry, () =>
          expect(registry.connect(op.get(B)!).submitUpdate(updateData(B, prev, demoRoot(B, 2), 0n), "0x"))
            .to.be.revertedWithCustomError(registry, "RegistryNotOnLatest")
            .withArgs(B, demoRoot(B, 1), prev),
        );
      }
    });

    it("test_submitUpdate_revertsWhenVerifierReturnsFalse", async function () {
      const { registry, outsider } = await networkHelpers.loadFixture(treeFixture);
      const rejecting = "0x000000000000000000000000000000000000dEaD";
      await networkHelpers.setCode(rejecting, REJECTING_VERIFIER_CODE);
      await registry.registerChain(40n, R, outsider.address, rejecting, demoRoot(40n, 0));
      const ack = await nextBlock();
      await expectNoStateChange(registry, () =>
        expect(registry.connect(outsider).submitUpdate(updateData(40n, demoRoot(40n, 0), demoRoot(40n, 1), ack), "0x"))
          .to.be.revertedWithCustomError(registry, "RegistryInvalidProof")
          .withArgs(40n, rejecting),
      );
    });

    it("test_submitUpdate_propagatesVerifierRevert", async function () {
      const { registry, outsider } = await networkHelpers.loadFixture(treeFixture);
      const reverting = "0x000000000000000000000000000000000000bEEF";
      await networkHelpers.setCode(reverting, REVERTING_VERIFIER_CODE);
      await registry.registerChain(40n, R, outsider.address, reverting, demoRoot(40n, 0));
      await expectNoStateChange(registry, () =>
        expect(
          registry.connect(outsider).submitUpdate(updateData(40n, demoRoot(40n, 0), demoRoot(40n, 1), 0n), "0x"),
        ).to.be.revertedWithoutReason(ethers),
      );
    });

    it("test_submitUpdate_revertsOnTooManyPending", async function () {
      const { registry, op } = await networkHelpers.loadFixture(treeFixture);
      const s = op.get(S)!;
      const maxPending = Number(await registry.MAX_PENDING());
      // S never acknowledges its own commitments, so none of them becomes final (b = 1, a = 0).
      for (let i = 0; i < maxPending; i++) await commitAt(registry, s, S);
      const info = await registry.chain(S);
      expect([info.latestIndex, info.finalizedIndex]).to.deep.equal([BigInt(maxPending), 0n]);
      await expectNoStateChange(registry, () =>
        expect(commit(registry, s, S))
          .to.be.revertedWithCustomError(registry, "RegistryTooManyPending")
          .withArgs(S, maxPending),
      );
      // The cap is checked after the ack is applied: an update that finalizes its predecessors passes.
      const tx = commit(registry, s, S, await nextBlock());
      expect(await registryEvents(registry, tx)).to.deep.equal([
        `CommitmentFinalized(${S},${maxPending})`,
        `CommitmentsPruned(${S},0,${maxPending})`,
        `UpdateSubmitted(${S},${maxPending + 1},${demoRoot(S, maxPending + 1)},${(await registry.chain(S)).latestAck},${maxPending + 1})`,
      ]);
      // The ring wrapped: index 64 shares slot 0 with the (pruned) genesis and reads back its own root.
      expect((await registry.commitment(S, maxPending + 1)).root).to.equal(demoRoot(S, maxPending + 1));
      expect((await registry.commitment(S, maxPending)).root).to.equal(demoRoot(S, maxPending));
    });
  });
});
