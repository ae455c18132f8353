/**
 * What cluster governance refuses: votes without a seat, double votes, proposals by non-members, any
 * movement of a seat or its vote, every privileged function of the registry, the timelock, the governor
 * and the cluster configuration when called directly by an EOA (the deployer included: it renounced
 * everything), a second pause, and every parameter value outside its hard bounds (through a proposal,
 * which then fails at execution, and directly).
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { MaxUint256, parseEther, ZeroAddress, ZeroHash } from "ethers";

import {
  admitProposal,
  castVote,
  combine,
  execute,
  Param,
  propose,
  proposalStatus,
  queue,
  setParamProposal,
  Support,
  type ParamName,
  type ProposalActions,
} from "../../src/sdk/governance.ts";
import { ChainStatus, demoRoot } from "../../src/sdk/registry.ts";
import {
  admissionFor,
  clusterFixture,
  ethers,
  fourMemberFixture,
  HARDHAT_PARAMS,
  increaseTime,
  networkHelpers,
  passByAll,
  threeMemberFixture,
  untilEta,
  type ClusterFixture,
} from "../helpers/governance.ts";

const PARAM_NAMES = Object.keys(Param) as ParamName[];
const QUEUED = 5n;

/**
 * Proposes every action list (the founder alone is a majority of a one-member cluster), votes for all,
 * and queues them all; time is then at the latest eta. Returns the ids.
 */
async function queueAllByFounder(fx: ClusterFixture, all: ProposalActions[]): Promise<bigint[]> {
  const g = fx.governor.connect(fx.founderGovernance);
  const ids: bigint[] = [];
  for (const a of all) ids.push((await propose(g, a)).proposalId);
  await increaseTime(HARDHAT_PARAMS.votingDelay + 1n);
  for (const id of ids) await castVote(g, id, "for");
  await increaseTime(HARDHAT_PARAMS.votingPeriod + 1n);
  for (const a of all) await queue(g, a);
  await untilEta(fx, ids[ids.length - 1]!);
  await networkHelpers.mine();
  return ids;
}

describe("Rejections: votes and proposals", function () {
  it("test_castVote_nonMembersVoteWithZeroWeightAndCannotCarryAProposal", async function () {
    const fx = await networkHelpers.loadFixture(fourMemberFixture);
    const { governor } = fx;
    const actions = setParamProposal(fx.addresses.clusterConfig, "UpgradeDelay", 7200n);
    const { proposalId } = await propose(governor.connect(fx.founderGovernance), actions);
    await increaseTime(HARDHAT_PARAMS.votingDelay + 1n);
    await castVote(governor.connect(fx.founderGovernance), proposalId, "for");
    await castVote(governor.connect(fx.applicants[0]!), proposalId, "against");
    // Accounts #0, #2, #18, #19 and two applicants never admitted: no seat, no weight.
    const nonMembers = [fx.deployer, fx.founderOperator, fx.spare, fx.outsider, fx.applicants[10]!, fx.applicants[11]!];
    for (const s of nonMembers) {
      expect(await governor.getVotes(s.address, await governor.proposalSnapshot(proposalId))).to.equal(0n);
      await expect(governor.connect(s).castVote(proposalId, Support.for))
        .to.emit(governor, "VoteCast")
        .withArgs(s.address, proposalId, Support.for, 0n, "");
      const v = await governor.proposalVotes(proposalId);
      expect([v.forVotes, v.againstVotes, v.abstainVotes]).to.deep.equal([1n, 1n, 0n]);
    }
    // An abstention without a seat does not complete the quorum either.
    await increaseTime(HARDHAT_PARAMS.votingPeriod + 1n);
    const s = await proposalStatus(governor, proposalId);
    expect([s.state, s.forVotes, s.againstVotes, s.quorum]).to.deep.equal(["Defeated", 1n, 1n, 2n]);
    await expect(queue(governor, actions)).to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState");
  });

  it("test_propose_byNonMemberReverts", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const actions = setParamProposal(fx.addresses.clusterConfig, "Delta", 600n);
    for (const s of [fx.deployer, fx.founderOperator, fx.guardian, fx.outsider, fx.applicants[0]!]) {
      await expect(propose(fx.governor.connect(s), actions))
        .to.be.revertedWithCustomError(fx.governor, "GovernorInsufficientProposerVotes")
        .withArgs(s.address, 0n, 1n);
    }
  });

  it("test_castVote_twiceRevertsWhateverTheSupportOrEntryPoint", async function () {
    const fx = await networkHelpers.loadFixture(threeMemberFixture);
    const { governor } = fx;
    const g = governor.connect(fx.founderGovernance);
    const actions = setParamProposal(fx.addresses.clusterConfig, "Delta", 600n);
    const { proposalId } = await propose(g, actions);
    // Pending: no vote yet.
    await expect(g.castVote(proposalId, Support.for)).to.be.revertedWithCustomError(
      governor,
      "GovernorUnexpectedProposalState",
    );
    await increaseTime(HARDHAT_PARAMS.votingDelay + 1n);
    await g.castVote(proposalId, Support.for);
    for (const again of [
      () => g.castVote(proposalId, Support.for),
      () => g.castVote(proposalId, Support.against),
      () => g.castVoteWithReason(proposalId, Support.abstain, "changed my mind"),
    ]) {
      await expect(again())
        .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
        .withArgs(fx.founderGovernance.address);
    }
    // A non-member's zero-weight vote is a vote too: it cannot be cast twice either.
    await governor.connect(fx.outsider).castVote(proposalId, Support.for);
    await expect(governor.connect(fx.outsider).castVote(proposalId, Support.for))
      .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
      .withArgs(fx.outsider.address);
    // A support value that is none of against, for, abstain.
    await expect(governor.connect(fx.applicants[0]!).castVote(proposalId, 3)).to.be.revertedWithCustomError(
      governor,
      "GovernorInvalidVoteType",
    );
    const v = await governor.proposalVotes(proposalId);
    expect([v.forVotes, v.againstVotes, v.abstainVotes]).to.deep.equal([1n, 0n, 0n]);
    // After the deadline nobody votes.
    await increaseTime(HARDHAT_PARAMS.votingPeriod + 1n);
    await expect(governor.connect(fx.applicants[0]!).castVote(proposalId, Support.for)).to.be.revertedWithCustomError(
      governor,
      "GovernorUnexpectedProposalState",
    );
  });

  it("test_proposalLifecycle_outOfOrderStepsRevert", async function () {
    const fx = await networkHelpers.loadFixture(threeMemberFixture);
    const { governor } = fx;
    const g = governor.connect(fx.founderGovernance);
    const actions = setParamProposal(fx.addresses.clusterConfig, "Delta", 600n);
    const { proposalId } = await propose(g, actions);
    await expect(propose(g, actions)).to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState");
    await expect(queue(g, actions)).to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState");
    await expect(execute(g, actions)).to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState");
    // Only the proposer cancels, and only while Pending.
    await expect(governor.connect(fx.applicants[0]!).cancel(...cancelArgs(actions)))
      .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
      .withArgs(proposalId, fx.applicants[0]!.address);
    await increaseTime(HARDHAT_PARAMS.votingDelay + 1n);
    await expect(g.cancel(...cancelArgs(actions)))
      .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
      .withArgs(proposalId, fx.founderGovernance.address);
    // ETH sent to the governor is refused: funds live in the timelock.
    await expect(fx.deployer.sendTransaction({ to: fx.addresses.governor, value: 1n })).to.be.revertedWithCustomError(
      governor,
      "GovernorDisabledDeposit",
    );
  });
});

function cancelArgs(a: ProposalActions): [string[], bigint[], string[], string] {
  return [a.targets, a.values, a.calldatas, ethers.id(a.description)];
}

describe("Rejections: seats never move", function () {
  it("test_seats_transferApproveAndDelegationRevert", async function () {
    const fx = await networkHelpers.loadFixture(threeMemberFixture);
    const { seats } = fx;
    const holder = fx.founderGovernance;
    const other = fx.applicants[0]!; // itself a member
    const id = fx.founderChainId;
    const s = seats.connect(holder);
    await expect(s.transferFrom(holder.address, other.address, id)).to.be.revertedWithCustomError(
      seats,
      "SeatsNonTransferable",
    );
    await expect(s.transferFrom(holder.address, fx.outsider.address, id)).to.be.revertedWithCustomError(
      seats,
      "SeatsNonTransferable",
    );
    await expect(
      s["safeTransferFrom(address,address,uint256)"](holder.address, other.address, id),
    ).to.be.revertedWithCustomError(seats, "SeatsNonTransferable");
    await expect(
      s["safeTransferFrom(address,address,uint256,bytes)"](holder.address, other.address, id, "0x"),
    ).to.be.revertedWithCustomError(seats, "SeatsNonTransferable");
    await expect(s.approve(other.address, id)).to.be.revertedWithCustomError(seats, "SeatsNonTransferable");
    await expect(s.setApprovalForAll(other.address, true)).to.be.revertedWithCustomError(seats, "SeatsNonTransferable");
    await expect(s.delegate(other.address)).to.be.revertedWithCustomError(seats, "SeatsDelegationDisabled");
    await expect(s.delegate(holder.address)).to.be.revertedWithCustomError(seats, "SeatsDelegationDisabled");
    await expect(
      seats.connect(fx.outsider).delegateBySig(other.address, 0n, MaxUint256, 27, ZeroHash, ZeroHash),
    ).to.be.revertedWithCustomError(seats, "SeatsDelegationDisabled");
    // Someone else's seat: the same errors (nothing is even checked before them).
    await expect(
      seats.connect(fx.outsider).transferFrom(holder.address, fx.outsider.address, id),
    ).to.be.revertedWithCustomError(seats, "SeatsNonTransferable");
    // Only the registry mints and burns, whoever asks (the timelock included).
    for (const caller of [holder, fx.deployer, fx.outsider]) {
      await expect(seats.connect(caller).mint(caller.address, 99n))
        .to.be.revertedWithCustomError(seats, "SeatsNotRegistry")
        .withArgs(caller.address);
      await expect(seats.connect(caller).burn(id))
        .to.be.revertedWithCustomError(seats, "SeatsNotRegistry")
        .withArgs(caller.address);
    }
    await networkHelpers.impersonateAccount(fx.addresses.timelock);
    await networkHelpers.setBalance(fx.addresses.timelock, parseEther("1"));
    const asTimelock = await ethers.getSigner(fx.addresses.timelock);
    await expect(seats.connect(asTimelock).burn(id))
      .to.be.revertedWithCustomError(seats, "SeatsNotRegistry")
      .withArgs(fx.addresses.timelock);
    await networkHelpers.stopImpersonatingAccount(fx.addresses.timelock);

    expect(await seats.ownerOf(id)).to.equal(holder.address);
    expect(await seats.getVotes(holder.address)).to.equal(1n);
    expect(await seats.getVotes(other.address)).to.equal(1n);
    expect(await seats.delegates(holder.address)).to.equal(holder.address);
    expect(await seats.getApproved(id)).to.equal(ZeroAddress);
    expect(await seats.isApprovedForAll(holder.address, other.address)).to.equal(false);
  });
});

describe("Rejections: direct calls to privileged functions", function () {
  it("test_registry_everyAdminFunctionRevertsForTheDeployerAndForMembers", async function () {
    const fx = await networkHelpers.loadFixture(threeMemberFixture);
    const { registry } = fx;
    const roles = {
      admin: ZeroHash,
      registrar: await registry.REGISTRAR_ROLE(),
      status: await registry.STATUS_ROLE(),
      approver: await registry.APPROVER_ROLE(),
    };
    await registry.connect(fx.founderGovernance).announceSecurityChange(fx.founderChainId, {
      operator: fx.spare.address,
      verifier: fx.addresses.developmentVerifier,
      escapeVerifier: ZeroAddress,
      codeHash: ZeroHash,
      configHash: ZeroHash,
    });
    const changeHash = (await registry.pendingSecurityChange(fx.founderChainId)).changeHash;
    const callers: HardhatEthersSigner[] = [fx.deployer, fx.founderGovernance, fx.founderOperator, fx.applicants[0]!];
    for (const c of callers) {
      const r = registry.connect(c);
      const cases: Array<[string, () => Promise<unknown>, string]> = [
        ["admitChain", () => r.admitChain(admissionFor(fx, 50n, c.address)), roles.registrar],
        [
          "admitChain with stake",
          () => r.admitChain(admissionFor(fx, 51n, c.address), { value: parseEther("1") }),
          roles.registrar,
        ],
        [
          "registerChain",
          () => r.registerChain(52n, 0n, c.address, fx.addresses.developmentVerifier, demoRoot(52n, 0)),
          roles.registrar,
        ],
        ["setChainStatus(eject)", () => r.setChainStatus(2n, ChainStatus.Ejected), roles.status],
        ["setChainStatus(freeze)", () => r.setChainStatus(fx.founderChainId, ChainStatus.Frozen), roles.status],
        ["approveSecurityChange", () => r.approveSecurityChange(fx.founderChainId, changeHash), roles.approver],
        ["grantRole(registrar)", () => r.grantRole(roles.registrar, c.address), roles.admin],
        ["grantRole(admin)", () => r.grantRole(roles.admin, c.address), roles.admin],
        ["revokeRole", () => r.revokeRole(roles.registrar, fx.addresses.timelock), roles.admin],
      ];
      for (const [name, call, role] of cases) {
        await expect(call(), `${name} by ${c.address}`)
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(c.address, role);
      }
    }
    // cancelSecurityChange: the member's governance or the approver; anyone else is refused.
    await expect(registry.connect(fx.deployer).cancelSecurityChange(fx.founderChainId))
      .to.be.revertedWithCustomError(registry, "RegistryNotChainGovernance")
      .withArgs(fx.founderChainId, fx.deployer.address);
    // A member cannot announce for another member's chain.
    await expect(
      registry.connect(fx.applicants[0]!).announceSecurityChange(fx.founderChainId, {
        operator: fx.spare.address,
        verifier: fx.addresses.developmentVerifier,
        escapeVerifier: ZeroAddress,
        codeHash: ZeroHash,
        configHash: ZeroHash,
      }),
    )
      .to.be.revertedWithCustomError(registry, "RegistryNotChainGovernance")
      .withArgs(fx.founderChainId, fx.applicants[0]!.address);
    expect(await registry.chainCount()).to.equal(3n);
    expect((await registry.pendingSecurityChange(fx.founderChainId)).approvedAt).to.equal(0n);
  });

  it("test_timelock_scheduleExecuteCancelByEoasRevert", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { timelock } = fx;
    await fx.deployer.sendTransaction({ to: fx.addresses.timelock, value: parseEther("2") });
    const proposer = await timelock.PROPOSER_ROLE();
    const canceller = await timelock.CANCELLER_ROLE();
    // A call that would hand the deployer the registrar role, and a plain transfer of the timelock's ETH.
    const grant = fx.registry.interface.encodeFunctionData("grantRole", [
      await fx.registry.REGISTRAR_ROLE(),
      fx.deployer.address,
    ]);
    for (const c of [fx.deployer, fx.founderGovernance, fx.guardian, fx.outsider]) {
      const t = timelock.connect(c);
      await expect(t.schedule(fx.addresses.registry, 0n, grant, ZeroHash, ZeroHash, HARDHAT_PARAMS.minDelay))
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(c.address, proposer);
      await expect(t.scheduleBatch([c.address], [parseEther("1")], ["0x"], ZeroHash, ZeroHash, 86_400n))
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(c.address, proposer);
      // Executing is open to anyone, but only for a ready operation: nothing was scheduled.
      const opId = await timelock.hashOperation(fx.addresses.registry, 0n, grant, ZeroHash, ZeroHash);
      await expect(t.execute(fx.addresses.registry, 0n, grant, ZeroHash, ZeroHash))
        .to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState")
        .withArgs(opId, "0x" + (1n << 2n).toString(16).padStart(64, "0")); // expected: Ready
      await expect(
        t.executeBatch([c.address], [parseEther("1")], ["0x"], ZeroHash, ZeroHash),
      ).to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState");
      await expect(t.cancel(opId))
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(c.address, canceller);
      await expect(t.updateDelay(0n))
        .to.be.revertedWithCustomError(timelock, "TimelockUnauthorizedCaller")
        .withArgs(c.address);
      await expect(t.grantRole(proposer, c.address))
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(c.address, ZeroHash);
    }
    expect(await ethers.provider.getBalance(fx.addresses.timelock)).to.equal(parseEther("2"));
    expect(await fx.registry.hasRole(await fx.registry.REGISTRAR_ROLE(), fx.deployer.address)).to.equal(false);
  });

  it("test_governor_settingsAndRelayAreGovernanceOnly", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { governor } = fx;
    for (const c of [fx.deployer, fx.founderGovernance]) {
      const g = governor.connect(c);
      const cases: Array<[string, () => Promise<unknown>]> = [
        ["setVotingDelay", () => g.setVotingDelay(0)],
        ["setVotingPeriod", () => g.setVotingPeriod(1)],
        ["setProposalThreshold", () => g.setProposalThreshold(0n)],
        ["updateQuorumNumerator", () => g.updateQuorumNumerator(1n)],
        ["updateTimelock", () => g.updateTimelock(c.address)],
        ["relay", () => g.relay(c.address, 0n, "0x")],
      ];
      for (const [name, call] of cases) {
        await expect(call(), name).to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor").withArgs(c.address);
      }
    }
  });

  it("test_clusterConfig_setParamSetGuardianUnpauseByEoasRevert", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { clusterConfig } = fx;
    for (const c of [fx.deployer, fx.founderGovernance, fx.outsider]) {
      const k = clusterConfig.connect(c);
      await expect(k.setParam(Param.Delta, 600n))
        .to.be.revertedWithCustomError(clusterConfig, "AccessControlUnauthorizedAccount")
        .withArgs(c.address, ZeroHash);
      await expect(k.setGuardian(c.address))
        .to.be.revertedWithCustomError(clusterConfig, "AccessControlUnauthorizedAccount")
        .withArgs(c.address, ZeroHash);
      await expect(k.grantRole(ZeroHash, c.address))
        .to.be.revertedWithCustomError(clusterConfig, "AccessControlUnauthorizedAccount")
        .withArgs(c.address, ZeroHash);
    }
    for (const c of [fx.founderGovernance, fx.outsider]) {
      await expect(clusterConfig.connect(c).pause())
        .to.be.revertedWithCustomError(clusterConfig, "ConfigNotGuardian")
        .withArgs(c.address);
    }
    await clusterConfig.connect(fx.guardian).pause();
    await expect(clusterConfig.connect(fx.outsider).unpause())
      .to.be.revertedWithCustomError(clusterConfig, "ConfigNotGuardianOrGovernance")
      .withArgs(fx.outsider.address);
  });

  it("test_pause_afterExpiryIsSpent_andUnpauseWhenNotPausedReverts", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { clusterConfig } = fx;
    const g = clusterConfig.connect(fx.guardian);
    await expect(g.unpause()).to.be.revertedWithCustomError(clusterConfig, "ConfigNotPaused");
    await g.pause();
    const until = await clusterConfig.pausedUntil();
    await networkHelpers.time.increaseTo(until);
    expect(await clusterConfig.paused()).to.equal(false);
    await expect(g.pause()).to.be.revertedWithCustomError(clusterConfig, "ConfigPauseSpent");
    await expect(g.unpause()).to.be.revertedWithCustomError(clusterConfig, "ConfigNotPaused");
    // Long after, still spent: only governance (setGuardian) re-arms it.
    await networkHelpers.time.increase(365n * 86_400n);
    await expect(g.pause()).to.be.revertedWithCustomError(clusterConfig, "ConfigPauseSpent");
    expect(await clusterConfig.pausedUntil()).to.equal(until);
  });
});

describe("Rejections: parameters out of bounds", function () {
  it("test_setParam_everyOutOfBoundsValueFailsAtExecutionAndStaysQueued", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { clusterConfig, governor } = fx;
    const before = await Promise.all(PARAM_NAMES.map((n) => clusterConfig.param(Param[n])));
    const cases: Array<{ name: ParamName; value: bigint; min: bigint; max: bigint }> = [];
    for (const name of PARAM_NAMES) {
      const [min, max] = await clusterConfig.bounds(Param[name]);
      if (min > 0n) cases.push({ name, value: min - 1n, min, max });
      cases.push({ name, value: max + 1n, min, max });
      if (max + 1n !== MaxUint256) cases.push({ name, value: MaxUint256, min, max });
    }
    const actions = cases.map((c) => setParamProposal(fx.addresses.clusterConfig, c.name, c.value));
    // And a parameter that does not exist.
    const unknown: ProposalActions = {
      targets: [fx.addresses.clusterConfig],
      values: [0n],
      calldatas: [clusterConfig.interface.encodeFunctionData("setParam", [BigInt(PARAM_NAMES.length), 1n])],
      description: "Set an unknown parameter",
    };
    const ids = await queueAllByFounder(fx, [...actions, unknown]);
    for (const [i, c] of cases.entries()) {
      await expect(execute(governor, actions[i]!), `${c.name} = ${c.value}`)
        .to.be.revertedWithCustomError(clusterConfig, "ConfigParamOutOfBounds")
        .withArgs(Param[c.name], c.value, c.min, c.max);
      expect(await governor.state(ids[i]!)).to.equal(QUEUED);
    }
    await expect(execute(governor, unknown))
      .to.be.revertedWithCustomError(clusterConfig, "ConfigUnknownParam")
      .withArgs(BigInt(PARAM_NAMES.length));
    expect(await governor.state(ids[ids.length - 1]!)).to.equal(QUEUED);
    expect(await Promise.all(PARAM_NAMES.map((n) => clusterConfig.param(Param[n])))).to.deep.equal(before);
    // Eight parameters have a minimum above 0; every one has a maximum, and 2^256 − 1 is above each.
    expect(cases.length).to.equal(8 + 2 * PARAM_NAMES.length);
  });

  it("test_setParam_directlyOutOfBoundsIsAccessDeniedFirst", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { clusterConfig } = fx;
    for (const name of PARAM_NAMES) {
      const [, max] = await clusterConfig.bounds(Param[name]);
      for (const c of [fx.deployer, fx.founderGovernance]) {
        await expect(clusterConfig.connect(c).setParam(Param[name], max + 1n))
          .to.be.revertedWithCustomError(clusterConfig, "AccessControlUnauthorizedAccount")
          .withArgs(c.address, ZeroHash);
      }
    }
  });

  it("test_setParam_boundsThemselvesAreAccepted", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { clusterConfig } = fx;
    const parts: ProposalActions[] = [];
    const expected: bigint[] = [];
    for (const name of PARAM_NAMES) {
      const [min, max] = await clusterConfig.bounds(Param[name]);
      const current = await clusterConfig.param(Param[name]);
      parts.push(setParamProposal(fx.addresses.clusterConfig, name, min));
      parts.push(setParamProposal(fx.addresses.clusterConfig, name, max));
      parts.push(setParamProposal(fx.addresses.clusterConfig, name, current));
      expected.push(min, max, current);
    }
    const from = await ethers.provider.getBlockNumber();
    await passByAll(fx, combine("Every parameter to its min, its max, and back", ...parts));
    const events = await clusterConfig.queryFilter(clusterConfig.filters.ParamSet(), from + 1);
    expect(events.map((e) => e.args.newValue)).to.deep.equal(expected);
  });
});

describe("Rejections: invalid admissions fail at execution", function () {
  it("test_admit_invalidAdmissionsRevertInTheRegistry", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { registry, governor } = fx;
    const a = fx.applicants[0]!.address;
    const cases: Array<[ProposalActions, string, unknown[]]> = [
      [admitProposal(fx.addresses.registry, admissionFor(fx, 1n, a)), "RegistryChainExists", [1n]],
      [admitProposal(fx.addresses.registry, admissionFor(fx, 0n, a)), "RegistryReservedChainId", []],
      [
        admitProposal(fx.addresses.registry, admissionFor(fx, 7n, a, { governance: ZeroAddress })),
        "RegistryZeroAddress",
        [],
      ],
      [
        admitProposal(fx.addresses.registry, admissionFor(fx, 8n, a, { security: { verifier: ZeroAddress } })),
        "RegistryZeroAddress",
        [],
      ],
      [admitProposal(fx.addresses.registry, admissionFor(fx, 9n, a, { parent: 42n })), "RegistryUnknownChain", [42n]],
    ];
    const ids = await queueAllByFounder(
      fx,
      cases.map(([x]) => x),
    );
    for (const [i, [actions, error, args]] of cases.entries()) {
      await expect(execute(governor, actions), error)
        .to.be.revertedWithCustomError(registry, error)
        .withArgs(...args);
      expect(await governor.state(ids[i]!)).to.equal(QUEUED);
    }
    expect(await registry.chainCount()).to.equal(1n);
    expect(await fx.seats.seatCount()).to.equal(1n);
  });
});
