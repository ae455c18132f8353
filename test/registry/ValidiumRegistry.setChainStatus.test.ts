/**
 * ValidiumRegistry.setChainStatus: freezing, unfreezing and ejecting, their effect on b and a along the
 * path, finality re-evaluation (which never goes backwards), and every rejection. Tree: see
 * registryState.ts (b(R) = 5, b(A) = 3).
 */
import { expect } from "chai";

import { ChainStatus, CommitmentStatus } from "../../src/sdk/registry.ts";
import { networkHelpers } from "../helpers/fixtures.ts";
import {
  A,
  A1,
  A2,
  abs,
  B,
  commitAt,
  expectNoStateChange,
  nextBlock,
  R,
  registryEvents,
  S,
  treeFixture,
  type TreeFixture,
} from "../helpers/registryState.ts";

const { Pending, Finalized, Pruned } = CommitmentStatus;
const { None, Active, Frozen, Ejected } = ChainStatus;

async function sizes(f: TreeFixture): Promise<number[]> {
  return Promise.all([R, A, B, A1, A2, S].map(async (id) => Number(await f.registry.subtreeSize(id))));
}

/**
 * R commits r1; A commits a1; A1 acknowledges everything so far; R commits r2; B acknowledges
 * everything so far. Then a(R#0) = a(r1) = 2 (A1, B), a(r2) = 1 (B), a(A#0) = a(a1) = 1 (A1),
 * a(A1#0) = 1 (itself); nothing beyond the genesis is final.
 */
async function acknowledgedTree(f: TreeFixture): Promise<void> {
  const { registry, op } = f;
  await commitAt(registry, op.get(R)!, R);
  await commitAt(registry, op.get(A)!, A);
  await commitAt(registry, op.get(A1)!, A1, await nextBlock());
  await commitAt(registry, op.get(R)!, R);
  await commitAt(registry, op.get(B)!, B, await nextBlock());
  expect(await abs(registry, R, 0)).to.deep.equal([2, 5, Finalized]);
  expect(await abs(registry, R, 1)).to.deep.equal([2, 5, Pending]);
  expect(await abs(registry, R, 2)).to.deep.equal([1, 5, Pending]);
  expect(await abs(registry, A, 0)).to.deep.equal([1, 3, Finalized]);
  expect(await abs(registry, A, 1)).to.deep.equal([1, 3, Pending]);
  expect(await abs(registry, A1, 0)).to.deep.equal([1, 1, Finalized]);
  expect(await abs(registry, A1, 1)).to.deep.equal([0, 1, Pending]);
}

async function acknowledgedTreeFixture(): Promise<TreeFixture> {
  const f = await treeFixture();
  await acknowledgedTree(f);
  return f;
}

describe("ValidiumRegistry: setChainStatus", function () {
  it("test_setChainStatus_emitsChainStatusChangedAndStoresStatus", async function () {
    const { registry } = await networkHelpers.loadFixture(treeFixture);
    const steps: Array<[number, number]> = [
      [Active, Frozen],
      [Frozen, Active],
      [Active, Frozen],
      [Frozen, Ejected],
    ];
    for (const [from, to] of steps) {
      const tx = registry.setChainStatus(S, to);
      await expect(tx).to.emit(registry, "ChainStatusChanged").withArgs(S, from, to);
      expect(await registryEvents(registry, tx)).to.have.length(1);
      expect((await registry.chain(S)).status).to.equal(BigInt(to));
    }
  });

  it("test_setChainStatus_freezeRemovesChainFromBAlongPath", async function () {
    const f = await networkHelpers.loadFixture(treeFixture);
    await f.registry.setChainStatus(A1, Frozen);
    expect(await sizes(f)).to.deep.equal([4, 2, 1, 0, 1, 1]);
    expect(await abs(f.registry, R, 0)).to.deep.equal([0, 4, Finalized]);
    expect(await abs(f.registry, A1, 0)).to.deep.equal([0, 0, Finalized]);
    await f.registry.setChainStatus(A, Frozen);
    expect(await sizes(f)).to.deep.equal([3, 1, 1, 0, 1, 1]);
    // Children of a frozen chain stay Active and in b.
    expect((await f.registry.chain(A2)).status).to.equal(BigInt(Active));
  });

  it("test_setChainStatus_freezeRemovesAcksOfFrozenChainFromA", async function () {
    const f = await networkHelpers.loadFixture(acknowledgedTreeFixture);
    const { registry } = f;
    const tx = registry.setChainStatus(A1, Frozen);
    // Leaving Active discards A1's pending commitment first (its final state is then fixed), then leaves b and a.
    expect(await registryEvents(registry, tx)).to.deep.equal([
      `PendingCommitmentsDiscarded(${A1},0,1)`,
      `ChainStatusChanged(${A1},${Active},${Frozen})`,
    ]);
    expect(await sizes(f)).to.deep.equal([4, 2, 1, 0, 1, 1]);
    // A1 acknowledged R#0, r1, A#0, a1 and its own genesis: each loses one; r2 (after its ack) does not.
    expect(await abs(registry, R, 0)).to.deep.equal([1, 4, Finalized]);
    expect(await abs(registry, R, 1)).to.deep.equal([1, 4, Pending]);
    expect(await abs(registry, R, 2)).to.deep.equal([1, 4, Pending]);
    expect(await abs(registry, A, 0)).to.deep.equal([0, 2, Finalized]);
    expect(await abs(registry, A, 1)).to.deep.equal([0, 2, Pending]);
    expect(await abs(registry, A1, 0)).to.deep.equal([0, 0, Finalized]);
    await expect(registry.commitment(A1, 1))
      .to.be.revertedWithCustomError(registry, "RegistryUnknownCommitment")
      .withArgs(A1, 1);
    // B and S are off the path.
    expect(await abs(registry, B, 1)).to.deep.equal([0, 1, Pending]);
    expect(await abs(registry, S, 0)).to.deep.equal([0, 1, Finalized]);
  });

  it("test_setChainStatus_freezeKeepsCountsOfCommitmentsAtOrAfterItsAck", async function () {
    const { registry, op } = await networkHelpers.loadFixture(treeFixture);
    await commitAt(registry, op.get(R)!, R);
    const t2 = await commitAt(registry, op.get(R)!, R);
    await commitAt(registry, op.get(R)!, R);
    // B's ack t2 covers r1 but not r2 (made at t2 itself); A's covers all three.
    await commitAt(registry, op.get(B)!, B, t2);
    await commitAt(registry, op.get(A)!, A, await nextBlock());
    expect(await Promise.all([1, 2, 3].map((j) => abs(registry, R, j)))).to.deep.equal([
      [2, 5, Pending],
      [1, 5, Pending],
      [1, 5, Pending],
    ]);
    await registry.setChainStatus(B, Frozen);
    expect(await Promise.all([1, 2, 3].map((j) => abs(registry, R, j)))).to.deep.equal([
      [1, 4, Pending],
      [1, 4, Pending],
      [1, 4, Pending],
    ]);
  });

  it("test_setChainStatus_unfreezeRestoresBAndA", async function () {
    const f = await networkHelpers.loadFixture(acknowledgedTreeFixture);
    const { registry } = f;
    // Every commitment of the chains that stay Active, with its (a, b) and status.
    const kept = [R, A, A2, S];
    const commitments = async () =>
      Promise.all(
        kept.map(async (id) => {
          const { latestIndex, finalizedIndex } = await registry.chain(id);
          const rows = [];
          for (let j = Number(finalizedIndex); j <= Number(latestIndex); ++j) rows.push(await abs(registry, id, j));
          return rows;
        }),
      );
    const before = await commitments();
    const sizesBefore = await sizes(f);
    await registry.setChainStatus(A1, Frozen);
    await registry.setChainStatus(B, Frozen);
    expect(await abs(registry, R, 1)).to.deep.equal([0, 3, Pending]);
    await expect(registry.setChainStatus(B, Active))
      .to.emit(registry, "ChainStatusChanged")
      .withArgs(B, Frozen, Active);
    await registry.setChainStatus(A1, Active);
    // b and a of every chain that stayed Active are back; A1 and B come back without the pending commitments
    // their freeze discarded.
    expect(await sizes(f)).to.deep.equal(sizesBefore);
    expect(await commitments()).to.deep.equal(before);
    for (const id of [A1, B]) {
      const { latestIndex, finalizedIndex } = await registry.chain(id);
      expect(latestIndex).to.equal(finalizedIndex);
    }
  });

  it("test_setChainStatus_freezeThatDropsBFinalizesAncestorCommitment", async function () {
    const { registry, op } = await networkHelpers.loadFixture(treeFixture);
    await commitAt(registry, op.get(R)!, R);
    await commitAt(registry, op.get(A)!, A, await nextBlock());
    await commitAt(registry, op.get(B)!, B, await nextBlock());
    expect(await abs(registry, R, 1)).to.deep.equal([2, 5, Pending]);
    // b(R) = 4: 2·2 > 4 is false, still pending.
    const tx1 = registry.setChainStatus(A1, Frozen);
    expect(await registryEvents(registry, tx1)).to.deep.equal([`ChainStatusChanged(${A1},${Active},${Frozen})`]);
    expect(await abs(registry, R, 1)).to.deep.equal([2, 4, Pending]);
    // b(R) = 3: 2·2 > 3, r1 becomes final and the genesis is pruned, in the status change itself.
    const tx2 = registry.setChainStatus(A2, Frozen);
    await expect(tx2).to.emit(registry, "CommitmentFinalized").withArgs(R, 1);
    await expect(tx2).to.emit(registry, "CommitmentsPruned").withArgs(R, 0, 1);
    expect(await registryEvents(registry, tx2)).to.deep.equal([
      `CommitmentFinalized(${R},1)`,
      `CommitmentsPruned(${R},0,1)`,
      `ChainStatusChanged(${A2},${Active},${Frozen})`,
    ]);
    expect(await abs(registry, R, 1)).to.deep.equal([2, 3, Finalized]);
    expect(await abs(registry, R, 0)).to.deep.equal([0, 0, Pruned]);
    expect((await registry.chain(R)).finalizedIndex).to.equal(1n);
  });

  it("test_setChainStatus_finalityNeverGoesBackwards", async function () {
    const { registry, op } = await networkHelpers.loadFixture(treeFixture);
    await commitAt(registry, op.get(R)!, R);
    await commitAt(registry, op.get(A)!, A, await nextBlock());
    await commitAt(registry, op.get(B)!, B, await nextBlock());
    await registry.setChainStatus(A1, Frozen);
    await registry.setChainStatus(A2, Frozen);
    expect(await abs(registry, R, 1)).to.deep.equal([2, 3, Finalized]);
    // Re-adding the non-ackers makes 2·a ≤ b again, and freezing the ackers drops a: r1 stays final.
    await registry.setChainStatus(A1, Active);
    await registry.setChainStatus(A2, Active);
    expect(await abs(registry, R, 1)).to.deep.equal([2, 5, Finalized]);
    await registry.setChainStatus(B, Frozen);
    await registry.setChainStatus(A, Ejected);
    expect(await abs(registry, R, 1)).to.deep.equal([0, 3, Finalized]);
    expect(await abs(registry, R, 0)).to.deep.equal([0, 0, Pruned]);
    const [fi] = await registry.finalizedCommitment(R);
    expect(fi).to.equal(1n);
    // And a later update that acknowledges nothing of R does not move it either.
    await commitAt(registry, op.get(R)!, R);
    expect((await registry.chain(R)).finalizedIndex).to.equal(1n);
  });

  it("test_setChainStatus_unfreezeOfAnAckerFinalizes", async function () {
    const { registry, op } = await networkHelpers.loadFixture(treeFixture);
    await commitAt(registry, op.get(A)!, A);
    await commitAt(registry, op.get(A1)!, A1, await nextBlock());
    expect(await abs(registry, A, 1)).to.deep.equal([1, 3, Pending]);
    await registry.setChainStatus(A1, Frozen);
    expect(await abs(registry, A, 1)).to.deep.equal([0, 2, Pending]);
    await commitAt(registry, op.get(A2)!, A2, await nextBlock());
    expect(await abs(registry, A, 1)).to.deep.equal([1, 2, Pending]);
    // Back in: a = 2, b = 3, a strict majority.
    const tx = registry.setChainStatus(A1, Active);
    expect(await registryEvents(registry, tx)).to.deep.equal([
      `CommitmentFinalized(${A},1)`,
      `CommitmentsPruned(${A},0,1)`,
      `ChainStatusChanged(${A1},${Frozen},${Active})`,
    ]);
    expect(await abs(registry, A, 1)).to.deep.equal([2, 3, Finalized]);
  });

  it("test_setChainStatus_frozenChainsDescendantsStillAcknowledge", async function () {
    const f = await networkHelpers.loadFixture(treeFixture);
    const { registry, op } = f;
    await commitAt(registry, op.get(R)!, R);
    await commitAt(registry, op.get(A)!, A);
    await registry.setChainStatus(A, Frozen);
    expect(await sizes(f)).to.deep.equal([4, 2, 1, 1, 1, 1]);
    // The freeze discarded A#1: a frozen chain has nothing its descendants' acks could finalize.
    expect((await registry.chain(A)).latestIndex).to.equal(0n);
    // A1's ack reaches the frozen A (its genesis) and beyond it R.
    await commitAt(registry, op.get(A1)!, A1, await nextBlock());
    expect(await abs(registry, A, 0)).to.deep.equal([1, 2, Finalized]);
    expect(await abs(registry, R, 1)).to.deep.equal([1, 4, Pending]);
    await commitAt(registry, op.get(A2)!, A2, await nextBlock());
    expect(await abs(registry, A, 0)).to.deep.equal([2, 2, Finalized]);
    expect((await registry.chain(A)).finalizedIndex).to.equal(0n);
    expect(await abs(registry, R, 1)).to.deep.equal([2, 4, Pending]);
  });

  it("test_setChainStatus_ejectRemovesFromPathAndFrozenToEjectedKeepsB", async function () {
    const f = await networkHelpers.loadFixture(treeFixture);
    const { registry } = f;
    await registry.setChainStatus(A2, Ejected);
    expect(await sizes(f)).to.deep.equal([4, 2, 1, 1, 0, 1]);
    await registry.setChainStatus(A1, Frozen);
    expect(await sizes(f)).to.deep.equal([3, 1, 1, 0, 0, 1]);
    await expect(registry.setChainStatus(A1, Ejected))
      .to.emit(registry, "ChainStatusChanged")
      .withArgs(A1, Frozen, Ejected);
    expect(await sizes(f)).to.deep.equal([3, 1, 1, 0, 0, 1]);
  });

  it("test_setChainStatus_ejectedIsTerminal", async function () {
    const { registry } = await networkHelpers.loadFixture(treeFixture);
    await registry.setChainStatus(S, Ejected);
    for (const to of [Active, Frozen, Ejected, None]) {
      await expectNoStateChange(registry, () =>
        expect(registry.setChainStatus(S, to))
          .to.be.revertedWithCustomError(registry, "RegistryInvalidStatusChange")
          .withArgs(S, Ejected, to),
      );
    }
  });

  it("test_setChainStatus_revertsOnUnchangedOrNoneStatus", async function () {
    const { registry } = await networkHelpers.loadFixture(acknowledgedTreeFixture);
    await registry.setChainStatus(B, Frozen);
    for (const [id, from, to] of [
      [A1, Active, Active],
      [A1, Active, None],
      [B, Frozen, Frozen],
      [B, Frozen, None],
    ] as const) {
      await expectNoStateChange(registry, () =>
        expect(registry.setChainStatus(id, to))
          .to.be.revertedWithCustomError(registry, "RegistryInvalidStatusChange")
          .withArgs(id, from, to),
      );
    }
  });

  it("test_setChainStatus_revertsOnUnknownChain", async function () {
    const { registry } = await networkHelpers.loadFixture(treeFixture);
    for (const id of [0n, 99n]) {
      await expectNoStateChange(registry, () =>
        expect(registry.setChainStatus(id, Frozen))
          .to.be.revertedWithCustomError(registry, "RegistryUnknownChain")
          .withArgs(id),
      );
    }
  });

  it("test_setChainStatus_revertsWithoutStatusRole", async function () {
    const { registry, outsider, operators, op } = await networkHelpers.loadFixture(treeFixture);
    const role = await registry.STATUS_ROLE();
    // An outsider, a chain's own operator, and a registrar without the status role.
    const registrar = operators[10]!;
    await registry.grantRole(await registry.REGISTRAR_ROLE(), registrar.address);
    for (const caller of [outsider, op.get(S)!, registrar]) {
      await expectNoStateChange(registry, () =>
        expect(registry.connect(caller).setChainStatus(S, Frozen))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, role),
      );
    }
  });
});
