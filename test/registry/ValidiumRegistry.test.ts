/**
 * ValidiumRegistry unit tests: deployment and roles, registration, views, limits (read from ClusterConfig),
 * and the development verifier. Updates are in ValidiumRegistry.submitUpdate.test.ts, status changes in
 * ValidiumRegistry.setChainStatus.test.ts. Every fixture comes from the Ignition modules.
 */
import { expect } from "chai";
import { id as keccakId, ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import DevelopmentVerifierModule from "../../ignition/modules/DevelopmentVerifier.ts";
import { ChainStatus, CommitmentStatus, demoRoot, updateData } from "../../src/sdk/registry.ts";
import type { DevelopmentVerifier } from "../../typechain-types/index.ts";
import { ConfigParam, DEFAULT_LIMITS, ethers, networkHelpers, registryFixture } from "../helpers/fixtures.ts";
import {
  A,
  A1,
  A2,
  B,
  commitAt,
  expectNoStateChange,
  nextBlock,
  R,
  registryEvents,
  S,
  SMALL_LIMITS,
  smallLimitsFixture,
  stakeOf,
  TREE,
  treeFixture,
} from "../helpers/registryState.ts";

const UINT96_MAX = (1n << 96n) - 1n;

describe("ValidiumRegistry: deployment and roles", function () {
  it("test_constructor_setsLimitsAndConstants", async function () {
    const { registry, clusterConfig, seats } = await networkHelpers.loadFixture(registryFixture);
    expect(await registry.clusterConfig()).to.equal(await clusterConfig.getAddress());
    expect(await registry.seats()).to.equal(await seats.getAddress());
    expect(await seats.registry()).to.equal(await registry.getAddress());
    expect(await seats.seatCount()).to.equal(0n);
    const lim = await registry.limits();
    expect([lim.maxFanOut, lim.maxDepth, lim.minStake]).to.deep.equal([
      BigInt(DEFAULT_LIMITS.maxFanOut),
      BigInt(DEFAULT_LIMITS.maxDepth),
      DEFAULT_LIMITS.minStake,
    ]);
    expect(await registry.MAX_PENDING()).to.equal(63n);
    expect(await registry.REGISTRAR_ROLE()).to.equal(keccakId("clusterkit.registry.REGISTRAR"));
    expect(await registry.STATUS_ROLE()).to.equal(keccakId("clusterkit.registry.STATUS"));
    expect(await registry.APPROVER_ROLE()).to.equal(keccakId("clusterkit.registry.APPROVER"));
    expect(await registry.chainCount()).to.equal(0n);
  });

  it("test_constructor_grantsRolesThroughIgnitionModule", async function () {
    const { registry, clusterConfig, admin, outsider } = await networkHelpers.loadFixture(registryFixture);
    const roles = [
      ZeroHash,
      await registry.REGISTRAR_ROLE(),
      await registry.STATUS_ROLE(),
      await registry.APPROVER_ROLE(),
    ];
    for (const role of roles) {
      expect(await registry.hasRole(role, admin.address), role).to.equal(true);
      expect(await registry.hasRole(role, outsider.address), role).to.equal(false);
    }
    // The development deployment keeps the configuration's governance and guardian with the deployer too.
    expect(await clusterConfig.hasRole(ZeroHash, admin.address)).to.equal(true);
    expect(await clusterConfig.hasRole(ZeroHash, outsider.address)).to.equal(false);
    expect(await clusterConfig.guardian()).to.equal(admin.address);
  });

  it("test_grantRole_revertsWithoutAdminRole", async function () {
    const { registry, outsider } = await networkHelpers.loadFixture(registryFixture);
    const role = await registry.REGISTRAR_ROLE();
    await expect(registry.connect(outsider).grantRole(role, outsider.address))
      .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
      .withArgs(outsider.address, ZeroHash);
  });
});

describe("ValidiumRegistry: registerChain", function () {
  it("test_registerChain_emitsChainRegisteredWithAllArgs", async function () {
    const { registry, verifierAddress, operators } = await networkHelpers.loadFixture(registryFixture);
    const [op1, op2] = [operators[0]!, operators[1]!];
    await expect(registry.registerChain(R, 0n, op1.address, verifierAddress, demoRoot(R, 0), { value: 7n }))
      .to.emit(registry, "ChainRegistered")
      .withArgs(R, 0n, op1.address, verifierAddress, 1, 7n, demoRoot(R, 0));
    const tx = registry.registerChain(A, R, op2.address, verifierAddress, demoRoot(A, 0), { value: 0n });
    await expect(tx)
      .to.emit(registry, "ChainRegistered")
      .withArgs(A, R, op2.address, verifierAddress, 2, 0n, demoRoot(A, 0));
    await expect(tx)
      .to.emit(registry, "ChainAdmitted")
      .withArgs(A, op2.address, [op2.address, verifierAddress, ZeroAddress, ZeroHash, ZeroHash]);
    // Nothing else is emitted by the registry: registration finalizes nothing.
    const events = await registryEvents(registry, tx);
    expect(events.map((e) => e.slice(0, e.indexOf("(")))).to.deep.equal(["ChainRegistered", "ChainAdmitted"]);
  });

  it("test_registerChain_mintsSeatToOperator", async function () {
    const { registry, seats, verifierAddress, operators } = await networkHelpers.loadFixture(registryFixture);
    const op1 = operators[0]!;
    await expect(registry.registerChain(R, 0n, op1.address, verifierAddress, demoRoot(R, 0)))
      .to.emit(seats, "SeatGranted")
      .withArgs(R, op1.address);
    expect(await registry.chainGovernance(R)).to.equal(op1.address);
    expect(await seats.hasSeat(R)).to.equal(true);
    expect(await seats.ownerOf(R)).to.equal(op1.address);
    expect(await seats.seatCount()).to.equal(1n);
    const sec = await registry.securityConfig(R);
    expect([sec.operator, sec.verifier, sec.escapeVerifier, sec.codeHash, sec.configHash]).to.deep.equal([
      op1.address,
      verifierAddress,
      ZeroAddress,
      ZeroHash,
      ZeroHash,
    ]);
  });

  it("test_registerChain_storesChainInfo", async function () {
    const { registry, verifierAddress, op } = await networkHelpers.loadFixture(treeFixture);
    const a1 = await registry.chain(A1);
    expect(a1.parent).to.equal(A);
    expect(a1.operator).to.equal(op.get(A1)!.address);
    expect(a1.verifier).to.equal(verifierAddress);
    expect(a1.status).to.equal(BigInt(ChainStatus.Active));
    expect(a1.depth).to.equal(3n);
    expect(a1.childCount).to.equal(0n);
    expect(a1.subtreeSize).to.equal(1n);
    expect(a1.stake).to.equal(stakeOf(A1));
    expect(a1.latestAck).to.equal(0n);
    expect(a1.latestIndex).to.equal(0n);
    expect(a1.finalizedIndex).to.equal(0n);

    const r = await registry.chain(R);
    expect([r.parent, r.depth, r.childCount, r.subtreeSize]).to.deep.equal([0n, 1n, 2n, 5n]);
    const a = await registry.chain(A);
    expect([a.parent, a.depth, a.childCount, a.subtreeSize]).to.deep.equal([R, 2n, 2n, 3n]);
  });

  it("test_registerChain_incrementsSubtreeSizeAlongAncestors", async function () {
    const { registry, verifierAddress, outsider } = await networkHelpers.loadFixture(treeFixture);
    const sizes = async () => Promise.all([R, A, B, A1, A2, S].map((id) => registry.subtreeSize(id)));
    expect(await sizes()).to.deep.equal([5n, 3n, 1n, 1n, 1n, 1n]);

    const deep = 40n;
    await registry.registerChain(deep, A1, outsider.address, verifierAddress, demoRoot(deep, 0));
    // A1, A and R gain one; the siblings and the other top-level chain do not.
    expect(await sizes()).to.deep.equal([6n, 4n, 1n, 2n, 1n, 1n]);
    expect(await registry.subtreeSize(deep)).to.equal(1n);
    expect((await registry.chain(A1)).childCount).to.equal(1n);
    // b is also what every live commitment of the ancestors reports.
    expect((await registry.commitment(R, 0)).b).to.equal(6n);
    expect((await registry.commitment(A1, 0)).b).to.equal(2n);
  });

  it("test_ancestors_listsParentFirstEndingAtTopLevel", async function () {
    const { registry, verifierAddress, outsider } = await networkHelpers.loadFixture(treeFixture);
    expect(await registry.ancestors(R)).to.deep.equal([]);
    expect(await registry.ancestors(S)).to.deep.equal([]);
    expect(await registry.ancestors(B)).to.deep.equal([R]);
    expect(await registry.ancestors(A2)).to.deep.equal([A, R]);
    await registry.registerChain(40n, A1, outsider.address, verifierAddress, demoRoot(40n, 0));
    expect(await registry.ancestors(40n)).to.deep.equal([A1, A, R]);
  });

  it("test_registerChain_genesisIsFinalCommitmentZero", async function () {
    const { registry, verifierAddress, operators } = await networkHelpers.loadFixture(registryFixture);
    const tx = await registry.registerChain(R, 0n, operators[0]!.address, verifierAddress, demoRoot(R, 0));
    const blk = BigInt((await tx.wait())!.blockNumber);

    const c = await registry.commitment(R, 0);
    expect([c.root, c.blockNumber, c.a, c.b, c.status]).to.deep.equal([
      demoRoot(R, 0),
      blk,
      0n,
      1n,
      BigInt(CommitmentStatus.Finalized),
    ]);
    const [li, latest] = await registry.latestCommitment(R);
    const [fi, fin] = await registry.finalizedCommitment(R);
    expect(li).to.equal(0n);
    expect(fi).to.equal(0n);
    expect(latest.root).to.equal(demoRoot(R, 0));
    expect(fin.status).to.equal(BigInt(CommitmentStatus.Finalized));
    expect(await registry.acceptance(R, 0)).to.deep.equal([0n, 1n]);

    // A child joins b of the parent's genesis, not a.
    await registry.registerChain(A, R, operators[1]!.address, verifierAddress, demoRoot(A, 0));
    expect(await registry.acceptance(R, 0)).to.deep.equal([0n, 2n]);
    expect((await registry.commitment(R, 0)).status).to.equal(BigInt(CommitmentStatus.Finalized));
  });

  it("test_registerChain_appendsToChainCountAndChainIdAt", async function () {
    const { registry } = await networkHelpers.loadFixture(treeFixture);
    expect(await registry.chainCount()).to.equal(BigInt(TREE.length));
    for (const [i, [id]] of TREE.entries()) expect(await registry.chainIdAt(i)).to.equal(id);
    await expect(registry.chainIdAt(TREE.length)).to.be.revertedWithPanic(0x32);
  });

  it("test_registerChain_recordsStakeFromMsgValue", async function () {
    const { registry } = await networkHelpers.loadFixture(treeFixture);
    let total = 0n;
    for (const [id] of TREE) {
      expect((await registry.chain(id)).stake).to.equal(stakeOf(id));
      total += stakeOf(id);
    }
    expect(await ethers.provider.getBalance(await registry.getAddress())).to.equal(total);
  });

  it("test_registerChain_acceptsStakeAtMinimumAndAtUint96Max", async function () {
    const { registry, verifierAddress, admin, operators } = await networkHelpers.loadFixture(smallLimitsFixture);
    await registry.registerChain(1n, 0n, operators[0]!.address, verifierAddress, demoRoot(1n, 0), {
      value: SMALL_LIMITS.minStake,
    });
    expect((await registry.chain(1n)).stake).to.equal(SMALL_LIMITS.minStake);
    await networkHelpers.setBalance(admin.address, 1n << 100n);
    await registry.registerChain(2n, 0n, operators[1]!.address, verifierAddress, demoRoot(2n, 0), {
      value: UINT96_MAX,
    });
    expect((await registry.chain(2n)).stake).to.equal(UINT96_MAX);
  });

  it("test_registerChain_countsRootFanOut", async function () {
    const { registry, verifierAddress, operators } = await networkHelpers.loadFixture(smallLimitsFixture);
    const value = SMALL_LIMITS.minStake;
    await registry.registerChain(1n, 0n, operators[0]!.address, verifierAddress, demoRoot(1n, 0), { value });
    // A child of a top-level chain does not count towards the settlement chain's fan-out.
    await registry.registerChain(10n, 1n, operators[0]!.address, verifierAddress, demoRoot(10n, 0), { value });
    await registry.registerChain(2n, 0n, operators[1]!.address, verifierAddress, demoRoot(2n, 0), { value });
    await expectNoStateChange(registry, () =>
      expect(registry.registerChain(3n, 0n, operators[2]!.address, verifierAddress, demoRoot(3n, 0), { value }))
        .to.be.revertedWithCustomError(registry, "RegistryFanOutExceeded")
        .withArgs(0n, SMALL_LIMITS.maxFanOut),
    );
  });

  it("test_registerChain_revertsWhenParentFanOutExceeded", async function () {
    const { registry, verifierAddress, operators } = await networkHelpers.loadFixture(smallLimitsFixture);
    const value = SMALL_LIMITS.minStake;
    const reg = (id: bigint, parent: bigint) =>
      registry.registerChain(id, parent, operators[0]!.address, verifierAddress, demoRoot(id, 0), { value });
    await reg(1n, 0n);
    await reg(10n, 1n);
    await reg(11n, 1n);
    await expectNoStateChange(registry, () =>
      expect(reg(12n, 1n))
        .to.be.revertedWithCustomError(registry, "RegistryFanOutExceeded")
        .withArgs(1n, SMALL_LIMITS.maxFanOut),
    );
    // A grandchild is still welcome: the fan-out is per parent.
    await reg(100n, 10n);
    expect((await registry.chain(1n)).childCount).to.equal(2n);
  });

  it("test_registerChain_revertsWhenDepthExceeded", async function () {
    const { registry, verifierAddress, operators } = await networkHelpers.loadFixture(smallLimitsFixture);
    const value = SMALL_LIMITS.minStake;
    const reg = (id: bigint, parent: bigint) =>
      registry.registerChain(id, parent, operators[0]!.address, verifierAddress, demoRoot(id, 0), { value });
    await reg(1n, 0n);
    await reg(2n, 1n);
    await reg(3n, 2n);
    expect((await registry.chain(3n)).depth).to.equal(BigInt(SMALL_LIMITS.maxDepth));
    await expectNoStateChange(registry, () =>
      expect(reg(4n, 3n))
        .to.be.revertedWithCustomError(registry, "RegistryDepthExceeded")
        .withArgs(SMALL_LIMITS.maxDepth + 1, SMALL_LIMITS.maxDepth),
    );
  });

  it("test_registerChain_revertsOnDuplicateChainId", async function () {
    const { registry, verifierAddress, outsider } = await networkHelpers.loadFixture(treeFixture);
    for (const [id, parent] of [
      [A1, A],
      [A1, B],
      [R, 0n],
    ] as const) {
      await expectNoStateChange(registry, () =>
        expect(registry.registerChain(id, parent, outsider.address, verifierAddress, demoRoot(id, 9)))
          .to.be.revertedWithCustomError(registry, "RegistryChainExists")
          .withArgs(id),
      );
    }
  });

  it("test_registerChain_revertsOnChainIdZero", async function () {
    const { registry, verifierAddress, outsider } = await networkHelpers.loadFixture(treeFixture);
    for (const parent of [0n, R]) {
      await expectNoStateChange(registry, () =>
        expect(
          registry.registerChain(0n, parent, outsider.address, verifierAddress, ZeroHash),
        ).to.be.revertedWithCustomError(registry, "RegistryReservedChainId"),
      );
    }
  });

  it("test_registerChain_revertsOnZeroOperator", async function () {
    const { registry, verifierAddress } = await networkHelpers.loadFixture(treeFixture);
    await expectNoStateChange(registry, () =>
      expect(
        registry.registerChain(40n, R, ZeroAddress, verifierAddress, demoRoot(40n, 0)),
      ).to.be.revertedWithCustomError(registry, "RegistryZeroAddress"),
    );
  });

  it("test_registerChain_revertsOnZeroVerifier", async function () {
    const { registry, outsider } = await networkHelpers.loadFixture(treeFixture);
    await expectNoStateChange(registry, () =>
      expect(
        registry.registerChain(40n, R, outsider.address, ZeroAddress, demoRoot(40n, 0)),
      ).to.be.revertedWithCustomError(registry, "RegistryZeroAddress"),
    );
  });

  it("test_registerChain_revertsOnInsufficientStake", async function () {
    const { registry, verifierAddress, operators } = await networkHelpers.loadFixture(smallLimitsFixture);
    for (const value of [0n, SMALL_LIMITS.minStake - 1n]) {
      await expectNoStateChange(registry, () =>
        expect(registry.registerChain(1n, 0n, operators[0]!.address, verifierAddress, demoRoot(1n, 0), { value }))
          .to.be.revertedWithCustomError(registry, "RegistryInsufficientStake")
          .withArgs(value, SMALL_LIMITS.minStake),
      );
    }
  });

  it("test_registerChain_revertsOnStakeTooLarge", async function () {
    const { registry, verifierAddress, admin, outsider } = await networkHelpers.loadFixture(treeFixture);
    await networkHelpers.setBalance(admin.address, 1n << 100n);
    await expectNoStateChange(registry, () =>
      expect(
        registry.registerChain(40n, R, outsider.address, verifierAddress, demoRoot(40n, 0), { value: UINT96_MAX + 1n }),
      )
        .to.be.revertedWithCustomError(registry, "RegistryStakeTooLarge")
        .withArgs(UINT96_MAX + 1n),
    );
  });

  it("test_registerChain_revertsOnUnknownParent", async function () {
    const { registry, verifierAddress, outsider } = await networkHelpers.loadFixture(treeFixture);
    await expectNoStateChange(registry, () =>
      expect(registry.registerChain(40n, 99n, outsider.address, verifierAddress, demoRoot(40n, 0)))
        .to.be.revertedWithCustomError(registry, "RegistryUnknownChain")
        .withArgs(99n),
    );
  });

  it("test_registerChain_revertsUnderInactiveParent", async function () {
    const { registry, verifierAddress, outsider } = await networkHelpers.loadFixture(treeFixture);
    await registry.setChainStatus(B, ChainStatus.Frozen);
    await registry.setChainStatus(S, ChainStatus.Ejected);
    for (const [parent, status] of [
      [B, ChainStatus.Frozen],
      [S, ChainStatus.Ejected],
    ] as const) {
      await expectNoStateChange(registry, () =>
        expect(registry.registerChain(40n, parent, outsider.address, verifierAddress, demoRoot(40n, 0)))
          .to.be.revertedWithCustomError(registry, "RegistryChainNotActive")
          .withArgs(parent, status),
      );
    }
  });

  it("test_registerChain_revertsWithoutRegistrarRole", async function () {
    const { registry, verifierAddress, outsider } = await networkHelpers.loadFixture(treeFixture);
    const role = await registry.REGISTRAR_ROLE();
    await expectNoStateChange(registry, () =>
      expect(registry.connect(outsider).registerChain(40n, R, outsider.address, verifierAddress, demoRoot(40n, 0)))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(outsider.address, role),
    );
    // Once granted the role, the same account may register.
    await registry.grantRole(role, outsider.address);
    await registry.connect(outsider).registerChain(40n, R, outsider.address, verifierAddress, demoRoot(40n, 0));
    expect(await registry.chainCount()).to.equal(BigInt(TREE.length + 1));
  });
});

describe("ValidiumRegistry: views", function () {
  it("test_views_revertOnUnknownChain", async function () {
    const { registry } = await networkHelpers.loadFixture(treeFixture);
    const unknown = 99n;
    const calls = [
      registry.chain(unknown),
      registry.subtreeSize(unknown),
      registry.ancestors(unknown),
      registry.commitment(unknown, 0),
      registry.acceptance(unknown, 0),
      registry.latestCommitment(unknown),
      registry.finalizedCommitment(unknown),
    ];
    for (const call of calls) {
      await expect(call).to.be.revertedWithCustomError(registry, "RegistryUnknownChain").withArgs(unknown);
    }
  });

  it("test_commitment_revertsOnUnknownIndex", async function () {
    const { registry, op } = await networkHelpers.loadFixture(treeFixture);
    await expect(registry.commitment(S, 1))
      .to.be.revertedWithCustomError(registry, "RegistryUnknownCommitment")
      .withArgs(S, 1);
    await expect(registry.acceptance(S, 1))
      .to.be.revertedWithCustomError(registry, "RegistryUnknownCommitment")
      .withArgs(S, 1);
    await commitAt(registry, op.get(S)!, S);
    expect((await registry.commitment(S, 1)).root).to.equal(demoRoot(S, 1));
    await expect(registry.commitment(S, 2))
      .to.be.revertedWithCustomError(registry, "RegistryUnknownCommitment")
      .withArgs(S, 2);
    await expect(registry.commitment(S, 2 ** 32 - 1))
      .to.be.revertedWithCustomError(registry, "RegistryUnknownCommitment")
      .withArgs(S, 2 ** 32 - 1);
  });

  it("test_commitment_reportsPrunedWithStatusOnly", async function () {
    const { registry, op } = await networkHelpers.loadFixture(treeFixture);
    const s = op.get(S)!;
    await commitAt(registry, s, S, await nextBlock()); // #1; acks the genesis
    await commitAt(registry, s, S, await nextBlock()); // #2; acks #1: final (b = 1), #0 pruned
    const c = await registry.commitment(S, 0);
    expect([c.root, c.blockNumber, c.a, c.b, c.status]).to.deep.equal([
      ZeroHash,
      0n,
      0n,
      0n,
      BigInt(CommitmentStatus.Pruned),
    ]);
    // acceptance reports (0, b) for a pruned commitment.
    expect(await registry.acceptance(S, 0)).to.deep.equal([0n, 1n]);
    expect(await registry.acceptance(S, 1)).to.deep.equal([1n, 1n]);
    expect((await registry.commitment(S, 1)).status).to.equal(BigInt(CommitmentStatus.Finalized));
    const [fi] = await registry.finalizedCommitment(S);
    expect(fi).to.equal(1n);
  });
});

describe("ValidiumRegistry: limits from ClusterConfig", function () {
  it("test_limits_followClusterConfigSetParam", async function () {
    const { registry, clusterConfig } = await networkHelpers.loadFixture(registryFixture);
    await expect(clusterConfig.setParam(ConfigParam.MaxFanOut, 4n))
      .to.emit(clusterConfig, "ParamSet")
      .withArgs(ConfigParam.MaxFanOut, DEFAULT_LIMITS.maxFanOut, 4n);
    await expect(clusterConfig.setParam(ConfigParam.MaxDepth, 5n))
      .to.emit(clusterConfig, "ParamSet")
      .withArgs(ConfigParam.MaxDepth, DEFAULT_LIMITS.maxDepth, 5n);
    await expect(clusterConfig.setParam(ConfigParam.MinStake, 10n))
      .to.emit(clusterConfig, "ParamSet")
      .withArgs(ConfigParam.MinStake, DEFAULT_LIMITS.minStake, 10n);
    const lim = await registry.limits();
    expect([lim.maxFanOut, lim.maxDepth, lim.minStake]).to.deep.equal([4n, 5n, 10n]);
  });

  it("test_limits_followClusterConfigAtHardBounds", async function () {
    const { registry, clusterConfig } = await networkHelpers.loadFixture(registryFixture);
    const set = async (fanOut: bigint, depth: bigint, minStake: bigint) => {
      await clusterConfig.setParam(ConfigParam.MaxFanOut, fanOut);
      await clusterConfig.setParam(ConfigParam.MaxDepth, depth);
      await clusterConfig.setParam(ConfigParam.MinStake, minStake);
    };
    await set(1n, 1n, 0n);
    let lim = await registry.limits();
    expect([lim.maxFanOut, lim.maxDepth, lim.minStake]).to.deep.equal([1n, 1n, 0n]);
    await set(1024n, 32n, UINT96_MAX);
    lim = await registry.limits();
    expect([lim.maxFanOut, lim.maxDepth, lim.minStake]).to.deep.equal([1024n, 32n, UINT96_MAX]);
  });

  it("test_setParam_outOfBoundsLimitsChangeNothing", async function () {
    const { registry, clusterConfig } = await networkHelpers.loadFixture(treeFixture);
    const params = async () => [...(await clusterConfig.params())];
    for (const [param, value, min, max] of [
      [ConfigParam.MaxFanOut, 0n, 1n, 1024n],
      [ConfigParam.MaxFanOut, 1025n, 1n, 1024n],
      [ConfigParam.MaxDepth, 0n, 1n, 32n],
      [ConfigParam.MaxDepth, 33n, 1n, 32n],
      [ConfigParam.MinStake, UINT96_MAX + 1n, 0n, UINT96_MAX],
    ] as const) {
      const before = await params();
      await expectNoStateChange(registry, () =>
        expect(clusterConfig.setParam(param, value))
          .to.be.revertedWithCustomError(clusterConfig, "ConfigParamOutOfBounds")
          .withArgs(param, value, min, max),
      );
      expect(await params()).to.deep.equal(before);
    }
  });

  it("test_setParam_revertsWithoutConfigAdminRole", async function () {
    const { registry, clusterConfig, outsider, operators } = await networkHelpers.loadFixture(treeFixture);
    // Holding every role of the registry, its admin role included, is not enough: limits are the
    // configuration's, and only its governance sets them.
    const deputy = operators[10]!;
    for (const role of [
      ZeroHash,
      await registry.REGISTRAR_ROLE(),
      await registry.STATUS_ROLE(),
      await registry.APPROVER_ROLE(),
    ]) {
      await registry.grantRole(role, deputy.address);
    }
    for (const caller of [outsider, deputy]) {
      for (const param of [ConfigParam.MaxFanOut, ConfigParam.MaxDepth, ConfigParam.MinStake]) {
        await expectNoStateChange(registry, () =>
          expect(clusterConfig.connect(caller).setParam(param, 4n))
            .to.be.revertedWithCustomError(clusterConfig, "AccessControlUnauthorizedAccount")
            .withArgs(caller.address, ZeroHash),
        );
      }
    }
  });

  it("test_limits_applyOnlyToLaterRegistrations", async function () {
    const { registry, clusterConfig, verifierAddress, op, outsider } = await networkHelpers.loadFixture(treeFixture);
    await clusterConfig.setParam(ConfigParam.MaxFanOut, 1n);
    await clusterConfig.setParam(ConfigParam.MaxDepth, 1n);
    await clusterConfig.setParam(ConfigParam.MinStake, 5n);
    // Existing chains deeper or wider than the new limits keep working.
    await commitAt(registry, op.get(A1)!, A1, await nextBlock());
    expect((await registry.chain(A1)).latestIndex).to.equal(1n);
    expect(await registry.subtreeSize(R)).to.equal(5n);
    // New registrations obey them.
    await expect(registry.registerChain(40n, 0n, outsider.address, verifierAddress, demoRoot(40n, 0), { value: 5n }))
      .to.be.revertedWithCustomError(registry, "RegistryFanOutExceeded")
      .withArgs(0n, 1);
    await expect(registry.registerChain(40n, S, outsider.address, verifierAddress, demoRoot(40n, 0), { value: 5n }))
      .to.be.revertedWithCustomError(registry, "RegistryDepthExceeded")
      .withArgs(2, 1);
    await expect(registry.registerChain(40n, S, outsider.address, verifierAddress, demoRoot(40n, 0), { value: 4n }))
      .to.be.revertedWithCustomError(registry, "RegistryInsufficientStake")
      .withArgs(4n, 5n);
  });

  it("test_limits_raisedLimitsAdmitWhatWasRejected", async function () {
    const { registry, clusterConfig, verifierAddress, operators } =
      await networkHelpers.loadFixture(smallLimitsFixture);
    const value = SMALL_LIMITS.minStake;
    const reg = (id: bigint, parent: bigint, stake = value) =>
      registry.registerChain(id, parent, operators[0]!.address, verifierAddress, demoRoot(id, 0), { value: stake });
    await reg(1n, 0n);
    await reg(2n, 0n);
    await reg(10n, 1n);
    await reg(11n, 10n);
    // Full settlement fan-out, full depth.
    await expect(reg(3n, 0n)).to.be.revertedWithCustomError(registry, "RegistryFanOutExceeded");
    await expect(reg(12n, 11n)).to.be.revertedWithCustomError(registry, "RegistryDepthExceeded");
    await clusterConfig.setParam(ConfigParam.MaxFanOut, BigInt(SMALL_LIMITS.maxFanOut + 1));
    await clusterConfig.setParam(ConfigParam.MaxDepth, BigInt(SMALL_LIMITS.maxDepth + 1));
    await reg(3n, 0n);
    await reg(12n, 11n);
    expect((await registry.chain(12n)).depth).to.equal(BigInt(SMALL_LIMITS.maxDepth + 1));
    // A lowered minimum stake admits a chain that would have been short.
    await expect(reg(13n, 1n, 0n)).to.be.revertedWithCustomError(registry, "RegistryInsufficientStake");
    await clusterConfig.setParam(ConfigParam.MinStake, 0n);
    await reg(13n, 1n, 0n);
    expect((await registry.chain(13n)).stake).to.equal(0n);
    expect(await registry.chainCount()).to.equal(7n);
  });
});

describe("DevelopmentVerifier", function () {
  it("test_DevelopmentVerifier_deploysOnHardhatNetworkAndAcceptsEverything", async function () {
    const { verifier } = await networkHelpers.loadFixture(registryFixture);
    expect((await ethers.provider.getNetwork()).chainId).to.equal(31337n);
    expect(await verifier.IS_DEVELOPMENT_VERIFIER()).to.equal(true);
    const data = updateData(123n, demoRoot(1n, 1), demoRoot(1n, 2), 2n ** 40n, 7n);
    expect(await verifier.verify(data, "0x")).to.equal(true);
    expect(await verifier.verify({ ...data, queuePosition: 5n }, "0xdeadbeef")).to.equal(true);
  });

  it("test_DevelopmentVerifier_declaresNotLocalError", async function () {
    const { verifier } = await networkHelpers.loadFixture(registryFixture);
    const error = verifier.interface.getError("DevelopmentVerifierNotLocal");
    expect(error).to.not.equal(null);
    expect(error!.selector).to.equal(keccakId("DevelopmentVerifierNotLocal(uint256)").slice(0, 10));
    expect(error!.inputs.map((p) => p.type)).to.deep.equal(["uint256"]);
  });

  it("test_DevelopmentVerifier_constructorRevertsOnOtherChainIds", async function () {
    for (const chainId of [1, 11155111]) {
      const other = await network.create({ override: { chainId } });
      try {
        expect((await other.ethers.provider.getNetwork()).chainId).to.equal(BigInt(chainId));
        const factory = await other.ethers.getContractFactory("DevelopmentVerifier");
        await expect(factory.deploy())
          .to.be.revertedWithCustomError(factory, "DevelopmentVerifierNotLocal")
          .withArgs(chainId);
        // The Ignition module therefore fails there too.
        let message = "";
        try {
          await other.ignition.deploy(DevelopmentVerifierModule);
        } catch (e) {
          message = String(e);
        }
        expect(message, "Ignition deployment on chain " + chainId).to.include(
          `DevelopmentVerifierNotLocal(${chainId})`,
        );
      } finally {
        await other.close();
      }
    }
  });

  it("test_DevelopmentVerifier_deploysOnChainId1337", async function () {
    const other = await network.create({ override: { chainId: 1337 } });
    try {
      const { developmentVerifier } = await other.ignition.deploy(DevelopmentVerifierModule);
      const verifier = developmentVerifier as unknown as DevelopmentVerifier;
      expect(await verifier.IS_DEVELOPMENT_VERIFIER()).to.equal(true);
    } finally {
      await other.close();
    }
  });
});
