/**
 * Cluster governance end to end, through the real ClusterGovernor and ClusterTimelock deployed by the
 * `Cluster` Ignition module (ignition/parameters/hardhat.json), with time travel: admission (with the stake
 * paid by the timelock or deposited beforehand by the applicant), voting outcomes and quorum, ejection, a
 * member's security change (announce → approve by proposal → activate after UpgradeDelay), a member's
 * governance rotated by proposal, parameter changes within bounds, and the guardian's single expiring pause.
 * Proposals are built and driven with src/sdk/governance.ts.
 */
import { expect } from "chai";
import { AbiCoder, Interface, keccak256, parseEther, type TransactionReceipt } from "ethers";

import {
  admitProposal,
  approveUpgradeProposal,
  combine,
  describeActions,
  ejectProposal,
  execute,
  findProposal,
  Param,
  propose,
  proposalIdOf,
  proposalStatus,
  queue,
  setChainGovernanceProposal,
  setGuardianProposal,
  setParamProposal,
  Support,
  type SecurityConfig,
} from "../../src/sdk/governance.ts";
import { ChainStatus, demoRoot, updateData } from "../../src/sdk/registry.ts";
import {
  admissionFor,
  assertSeatInvariant,
  clusterFixture,
  ethers,
  fourMemberFixture,
  HARDHAT_PARAMS,
  latestTime,
  networkHelpers,
  passByAll,
  proposeAndVote,
  threeMemberFixture,
  untilEta,
  type ClusterFixture,
} from "../helpers/governance.ts";

const STATE = {
  Pending: 0n,
  Active: 1n,
  Canceled: 2n,
  Defeated: 3n,
  Succeeded: 4n,
  Queued: 5n,
  Expired: 6n,
  Executed: 7n,
};

async function timestampOf(receipt: TransactionReceipt): Promise<bigint> {
  return BigInt((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp);
}

/** The config the security-change tests move the founder chain to. */
function newSecurity(fx: ClusterFixture): SecurityConfig {
  return {
    operator: fx.spare.address,
    verifier: fx.addresses.developmentVerifier,
    escapeVerifier: fx.addresses.teeCommitteeVerifier,
    codeHash: keccak256("0xc0de02"),
    configHash: keccak256("0xc0f902"),
  };
}

/** OpenZeppelin's library errors (utils/Errors.sol), which no contract ABI here lists. */
const OZ_ERRORS = { interface: new Interface(["error FailedCall()"]) };

const SECURITY_TUPLE =
  "tuple(address operator, address verifier, address escapeVerifier, bytes32 codeHash, bytes32 configHash)";

describe("ClusterGovernance: admission of a member", function () {
  it("test_admit_founderAloneAdmitsChain2ThroughEveryProposalState", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { registry, seats, governor } = fx;
    const applicant = fx.applicants[0]!;
    const stake = parseEther("1.5");
    // The applicant (here the deployer, for it) funds the timelock with a plain transfer first.
    await fx.deployer.sendTransaction({ to: fx.addresses.timelock, value: stake });
    expect(await ethers.provider.getBalance(fx.addresses.timelock)).to.equal(stake);

    const admission = admissionFor(fx, 2n, applicant.address);
    const actions = admitProposal(fx.addresses.registry, admission, stake);
    const gFounder = governor.connect(fx.founderGovernance);

    // Propose: ProposalCreated with every argument; Pending until the voting delay has passed.
    const { proposalId, receipt } = await propose(gFounder, actions);
    expect(proposalId).to.equal(await proposalIdOf(governor, actions));
    const t0 = await timestampOf(receipt);
    const created = receipt.logs.map((l) => governor.interface.parseLog(l)).find((e) => e?.name === "ProposalCreated")!;
    expect(created, "ProposalCreated").to.not.equal(undefined);
    const voteStart = t0 + HARDHAT_PARAMS.votingDelay;
    const voteEnd = voteStart + HARDHAT_PARAMS.votingPeriod;
    expect(created.args.proposalId).to.equal(proposalId);
    expect(created.args.proposer).to.equal(fx.founderGovernance.address);
    expect([...created.args.targets]).to.deep.equal(actions.targets);
    expect([...created.args[3]]).to.deep.equal(actions.values);
    expect([...created.args.signatures]).to.deep.equal([""]);
    expect([...created.args.calldatas]).to.deep.equal(actions.calldatas);
    expect(created.args.voteStart).to.equal(voteStart);
    expect(created.args.voteEnd).to.equal(voteEnd);
    expect(created.args.description).to.equal(actions.description);
    const found = await findProposal(governor, proposalId);
    expect(found.proposer).to.equal(fx.founderGovernance.address);
    expect(found.calldatas).to.deep.equal(actions.calldatas);
    expect(await governor.state(proposalId)).to.equal(STATE.Pending);
    const pending = await proposalStatus(governor, proposalId);
    expect([pending.state, pending.forVotes, pending.voteStart, pending.voteEnd, pending.eta]).to.deep.equal([
      "Pending",
      0n,
      voteStart,
      voteEnd,
      0n,
    ]);
    expect(await governor.proposalSnapshot(proposalId)).to.equal(voteStart);
    expect(await governor.proposalDeadline(proposalId)).to.equal(voteEnd);
    // One seat in existence: the quorum (50 %) is floor(1 · 50 / 100) = 0, and one vote for passes.
    expect(await governor.quorum(t0 - 1n)).to.equal(0n);

    // Active once the clock is past the snapshot; the founder votes for.
    await networkHelpers.time.increaseTo(voteStart + 1n);
    expect(await governor.state(proposalId)).to.equal(STATE.Active);
    await expect(gFounder.castVote(proposalId, Support.for))
      .to.emit(governor, "VoteCast")
      .withArgs(fx.founderGovernance.address, proposalId, Support.for, 1n, "");
    expect(await governor.hasVoted(proposalId, fx.founderGovernance.address)).to.equal(true);

    // Succeeded once the voting period is over (not before).
    await networkHelpers.time.increaseTo(voteEnd);
    expect(await governor.state(proposalId)).to.equal(STATE.Active);
    await networkHelpers.mine();
    const succeeded = await proposalStatus(governor, proposalId);
    expect([succeeded.state, succeeded.forVotes, succeeded.againstVotes, succeeded.abstainVotes]).to.deep.equal([
      "Succeeded",
      1n,
      0n,
      0n,
    ]);

    // Queued: the timelock holds the operation until minDelay has passed.
    const queued = await queue(gFounder, actions);
    const eta = (await timestampOf(queued)) + HARDHAT_PARAMS.minDelay;
    expect(await governor.state(proposalId)).to.equal(STATE.Queued);
    expect(await governor.proposalEta(proposalId)).to.equal(eta);
    expect(queued.logs.some((l) => governor.interface.parseLog(l)?.name === "ProposalQueued")).to.equal(true);

    // Executed (by anyone: here an outsider), moving the stake from the timelock to the registry.
    await untilEta(fx, proposalId);
    const registryBefore = await ethers.provider.getBalance(fx.addresses.registry);
    const exec = execute(governor.connect(fx.outsider), actions);
    await expect(exec).to.emit(governor, "ProposalExecuted").withArgs(proposalId);
    await expect(exec)
      .to.emit(registry, "ChainRegistered")
      .withArgs(2n, 0n, admission.security.operator, admission.security.verifier, 1, stake, admission.genesisRoot);
    await expect(exec).to.emit(seats, "SeatGranted").withArgs(2n, applicant.address);
    expect(await governor.state(proposalId)).to.equal(STATE.Executed);
    expect(await ethers.provider.getBalance(fx.addresses.timelock)).to.equal(0n);
    expect(await ethers.provider.getBalance(fx.addresses.registry)).to.equal(registryBefore + stake);

    // The registry entry.
    const info = await registry.chain(2n);
    expect([info.parent, info.status, info.depth, info.stake, info.operator, info.verifier]).to.deep.equal([
      0n,
      BigInt(ChainStatus.Active),
      1n,
      stake,
      admission.security.operator,
      admission.security.verifier,
    ]);
    const sec = await registry.securityConfig(2n);
    expect([sec.operator, sec.verifier, sec.escapeVerifier, sec.codeHash, sec.configHash]).to.deep.equal([
      admission.security.operator,
      admission.security.verifier,
      admission.security.escapeVerifier,
      admission.security.codeHash,
      admission.security.configHash,
    ]);
    expect(await registry.chainGovernance(2n)).to.equal(applicant.address);
    expect((await registry.commitment(2n, 0)).root).to.equal(admission.genesisRoot);

    // The seat: minted to the governance address, self-delegated, one vote from the next block on.
    const admittedAt = await latestTime();
    expect(await seats.ownerOf(2n)).to.equal(applicant.address);
    expect(await seats.hasSeat(2n)).to.equal(true);
    expect(await seats.seatCount()).to.equal(2n);
    expect(await seats.delegates(applicant.address)).to.equal(applicant.address);
    await networkHelpers.mine();
    expect(await seats.getVotes(applicant.address)).to.equal(1n);
    expect(await seats.getPastVotes(applicant.address, admittedAt)).to.equal(1n);
    expect(await seats.getPastVotes(applicant.address, admittedAt - 1n)).to.equal(0n);
    expect(await governor.getVotes(applicant.address, admittedAt)).to.equal(1n);
    await assertSeatInvariant(registry, seats, "after admission");
    // Executed once: a second execution is refused by the governor.
    await expect(execute(governor, actions)).to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState");
  });

  it("test_admit_newMemberVotesOnTheNextProposal", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const a = fx.applicants[0]!;
    await passByAll(fx, admitProposal(fx.addresses.registry, admissionFor(fx, 2n, a.address)));
    // Chain 2's governance can now propose, and both members count.
    const actions = setParamProposal(fx.addresses.clusterConfig, "Delta", 7200n);
    const id = await proposeAndVote(fx, a, actions, [
      [a, "for"],
      [fx.founderGovernance, "for"],
    ]);
    const s = await proposalStatus(fx.governor, id);
    expect([s.state, s.forVotes, s.quorum]).to.deep.equal(["Succeeded", 2n, 1n]);
  });

  it("test_admit_revertsWhenTheTimelockLacksTheStake", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const actions = admitProposal(fx.addresses.registry, admissionFor(fx, 2n, fx.applicants[0]!.address), 1n);
    const id = await proposeAndVote(fx, fx.founderGovernance, actions, [[fx.founderGovernance, "for"]]);
    await queue(fx.governor, actions);
    await untilEta(fx, id);
    // The timelock's call carrying the stake fails for lack of funds, and TimelockController reports it as
    // OpenZeppelin's Errors.FailedCall (not in the timelock's ABI).
    await expect(execute(fx.governor, actions)).to.be.revertedWithCustomError(OZ_ERRORS, "FailedCall");
    expect(await fx.governor.state(id)).to.equal(STATE.Queued);
    await fx.deployer.sendTransaction({ to: fx.addresses.timelock, value: 1n });
    await execute(fx.governor, actions);
    expect(await fx.registry.chainStatus(2n)).to.equal(BigInt(ChainStatus.Active));
  });
});

describe("ClusterGovernance: admission on a deposited stake", function () {
  it("test_admit_depositedStakeWithAZeroValueProposal", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { registry, governor } = fx;
    const applicant = fx.applicants[0]!;
    const deposit = parseEther("2");
    // The applicant earmarks its stake before the vote; nobody else can apply for chain 2 meanwhile.
    await expect(registry.connect(applicant).depositAdmissionStake(2n, { value: deposit }))
      .to.emit(registry, "AdmissionStakeDeposited")
      .withArgs(2n, applicant.address, deposit, deposit);
    expect([...(await registry.admissionStake(2n))]).to.deep.equal([applicant.address, deposit]);
    await expect(registry.connect(fx.outsider).depositAdmissionStake(2n, { value: 1n }))
      .to.be.revertedWithCustomError(registry, "RegistryApplicationTaken")
      .withArgs(2n, applicant.address);
    const registryBefore = await ethers.provider.getBalance(fx.addresses.registry);
    expect(await ethers.provider.getBalance(fx.addresses.timelock)).to.equal(0n);

    // One proposal, no value: the minimum stake becomes the deposit, then chain 2 is admitted on it alone.
    const admission = admissionFor(fx, 2n, applicant.address);
    const actions = combine(
      "MinStake 2 ETH; admit chain 2 on its deposited stake",
      setParamProposal(fx.addresses.clusterConfig, "MinStake", deposit),
      admitProposal(fx.addresses.registry, admission),
    );
    expect(actions.values).to.deep.equal([0n, 0n]);
    const id = await proposeAndVote(fx, fx.founderGovernance, actions, [[fx.founderGovernance, "for"]]);
    await queue(governor, actions);
    await untilEta(fx, id);
    const exec = execute(governor, actions);
    await expect(exec)
      .to.emit(registry, "ChainRegistered")
      .withArgs(2n, 0n, admission.security.operator, admission.security.verifier, 1, deposit, admission.genesisRoot);
    await expect(exec).to.emit(fx.seats, "SeatGranted").withArgs(2n, applicant.address);
    expect(await governor.state(id)).to.equal(STATE.Executed);

    // The chain's stake is exactly the deposit; the application is spent; no ETH moved at execution.
    expect((await registry.limits()).minStake).to.equal(deposit);
    expect((await registry.chain(2n)).stake).to.equal(deposit);
    expect([...(await registry.admissionStake(2n))]).to.deep.equal([ethers.ZeroAddress, 0n]);
    expect(await ethers.provider.getBalance(fx.addresses.registry)).to.equal(registryBefore);
    expect(await ethers.provider.getBalance(fx.addresses.timelock)).to.equal(0n);
    await expect(registry.connect(applicant).withdrawAdmissionStake(2n))
      .to.be.revertedWithCustomError(registry, "RegistryNoApplication")
      .withArgs(2n, applicant.address);
    await assertSeatInvariant(registry, fx.seats, "after admission on a deposit");
  });

  it("test_admit_depositWithdrawnBeforeExecutionFailsTheAdmission", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { registry, governor } = fx;
    const applicant = fx.applicants[0]!;
    const deposit = parseEther("1");
    await passByAll(fx, setParamProposal(fx.addresses.clusterConfig, "MinStake", deposit));
    await registry.connect(applicant).depositAdmissionStake(2n, { value: deposit });
    const actions = admitProposal(fx.addresses.registry, admissionFor(fx, 2n, applicant.address));
    const id = await proposeAndVote(fx, fx.founderGovernance, actions, [[fx.founderGovernance, "for"]]);
    await queue(governor, actions);
    // The deposit is not locked by the vote: the applicant takes it back while the admission is queued...
    await expect(registry.connect(applicant).withdrawAdmissionStake(2n))
      .to.emit(registry, "AdmissionStakeWithdrawn")
      .withArgs(2n, applicant.address, deposit);
    await untilEta(fx, id);
    // ...and the admission fails at execution for lack of stake, staying Queued.
    await expect(execute(governor, actions))
      .to.be.revertedWithCustomError(registry, "RegistryInsufficientStake")
      .withArgs(0n, deposit);
    expect(await governor.state(id)).to.equal(STATE.Queued);
    expect(await registry.chainStatus(2n)).to.equal(BigInt(ChainStatus.None));
    // A new deposit (here topped up in two parts) lets the same proposal execute.
    await registry.connect(applicant).depositAdmissionStake(2n, { value: deposit / 2n });
    await registry.connect(applicant).depositAdmissionStake(2n, { value: deposit / 2n });
    await execute(governor, actions);
    expect((await registry.chain(2n)).stake).to.equal(deposit);
  });
});

describe("ClusterGovernance: voting outcomes and quorum", function () {
  it("test_vote_oneForTwoAgainstOfThreeIsDefeated", async function () {
    const fx = await networkHelpers.loadFixture(threeMemberFixture);
    const [a, b] = [fx.applicants[0]!, fx.applicants[1]!];
    const actions = setParamProposal(fx.addresses.clusterConfig, "UpgradeDelay", 7200n);
    const id = await proposeAndVote(fx, fx.founderGovernance, actions, [
      [fx.founderGovernance, "for"],
      [a, "against"],
      [b, "against"],
    ]);
    const s = await proposalStatus(fx.governor, id);
    // Three seats: quorum floor(3 · 50 / 100) = 1 is reached by the one vote for, but against > for.
    expect([s.state, s.forVotes, s.againstVotes, s.abstainVotes, s.quorum]).to.deep.equal(["Defeated", 1n, 2n, 0n, 1n]);
    await expect(queue(fx.governor, actions)).to.be.revertedWithCustomError(
      fx.governor,
      "GovernorUnexpectedProposalState",
    );
    await expect(execute(fx.governor, actions)).to.be.revertedWithCustomError(
      fx.governor,
      "GovernorUnexpectedProposalState",
    );
    expect(await fx.clusterConfig.param(Param.UpgradeDelay)).to.equal(HARDHAT_PARAMS.upgradeDelay);
  });

  it("test_vote_twoForOneAgainstOfThreeSucceeds", async function () {
    const fx = await networkHelpers.loadFixture(threeMemberFixture);
    const [a, b] = [fx.applicants[0]!, fx.applicants[1]!];
    const actions = setParamProposal(fx.addresses.clusterConfig, "UpgradeDelay", 7200n);
    const id = await proposeAndVote(fx, a, actions, [
      [fx.founderGovernance, "for"],
      [a, "for"],
      [b, "against"],
    ]);
    expect((await proposalStatus(fx.governor, id)).state).to.equal("Succeeded");
  });

  it("test_vote_nobodyVotesQuorumNotReachedIsDefeated", async function () {
    const fx = await networkHelpers.loadFixture(threeMemberFixture);
    const actions = setParamProposal(fx.addresses.clusterConfig, "UpgradeDelay", 7200n);
    const id = await proposeAndVote(fx, fx.founderGovernance, actions, []);
    const s = await proposalStatus(fx.governor, id);
    expect([s.state, s.forVotes, s.quorum]).to.deep.equal(["Defeated", 0n, 1n]);
  });

  it("test_vote_oneForOfFourMissesQuorumOfTwoIsDefeated_abstainCompletesIt", async function () {
    const fx = await networkHelpers.loadFixture(fourMemberFixture);
    const [a, b] = [fx.applicants[0]!, fx.applicants[1]!];
    // Four seats: quorum 2 (for + abstain). One vote for and nothing against is not enough...
    const first = setParamProposal(fx.addresses.clusterConfig, "UpgradeDelay", 7200n, "first");
    const id1 = await proposeAndVote(fx, fx.founderGovernance, first, [[fx.founderGovernance, "for"]]);
    const s1 = await proposalStatus(fx.governor, id1);
    expect([s1.state, s1.forVotes, s1.againstVotes, s1.quorum]).to.deep.equal(["Defeated", 1n, 0n, 2n]);
    // ...one for and one abstention is (abstentions count toward quorum, not toward the outcome)...
    const second = setParamProposal(fx.addresses.clusterConfig, "UpgradeDelay", 7200n, "second");
    const id2 = await proposeAndVote(fx, fx.founderGovernance, second, [
      [fx.founderGovernance, "for"],
      [a, "abstain"],
    ]);
    const s2 = await proposalStatus(fx.governor, id2);
    expect([s2.state, s2.forVotes, s2.abstainVotes, s2.quorum]).to.deep.equal(["Succeeded", 1n, 1n, 2n]);
    // ...while against votes never count toward quorum: one for, one against is Defeated (for ≤ against).
    const third = setParamProposal(fx.addresses.clusterConfig, "UpgradeDelay", 7200n, "third");
    const id3 = await proposeAndVote(fx, fx.founderGovernance, third, [
      [fx.founderGovernance, "for"],
      [b, "against"],
    ]);
    expect((await proposalStatus(fx.governor, id3)).state).to.equal("Defeated");
  });
});

describe("ClusterGovernance: ejection", function () {
  it("test_eject_burnsTheSeatAndRemovesTheVote", async function () {
    const fx = await networkHelpers.loadFixture(threeMemberFixture);
    const { registry, seats, governor } = fx;
    const holder = fx.applicants[1]!; // chain 3's governance
    expect(await seats.getVotes(holder.address)).to.equal(1n);
    const actions = ejectProposal(fx.addresses.registry, 3n);
    const id = await proposeAndVote(fx, fx.founderGovernance, actions, [
      [fx.founderGovernance, "for"],
      [fx.applicants[0]!, "for"],
    ]);
    await queue(governor, actions);
    await untilEta(fx, id);
    const exec = execute(governor, actions);
    await expect(exec).to.emit(registry, "ChainStatusChanged").withArgs(3n, ChainStatus.Active, ChainStatus.Ejected);
    await expect(exec).to.emit(seats, "SeatRevoked").withArgs(3n, holder.address);
    await expect(exec).to.emit(seats, "Transfer").withArgs(holder.address, ethers.ZeroAddress, 3n);

    expect(await registry.chainStatus(3n)).to.equal(BigInt(ChainStatus.Ejected));
    expect(await seats.hasSeat(3n)).to.equal(false);
    await expect(seats.ownerOf(3n)).to.be.revertedWithCustomError(seats, "ERC721NonexistentToken").withArgs(3n);
    expect(await seats.seatCount()).to.equal(2n);
    expect(await seats.balanceOf(holder.address)).to.equal(0n);
    expect(await seats.getVotes(holder.address)).to.equal(0n);
    await assertSeatInvariant(registry, seats, "after eject");

    // The ejected chain's governance can neither propose nor weigh on a vote any more.
    const next = setParamProposal(fx.addresses.clusterConfig, "Delta", 600n);
    await expect(propose(governor.connect(holder), next))
      .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
      .withArgs(holder.address, 0n, 1n);
    const id2 = await proposeAndVote(fx, fx.founderGovernance, next, [[holder, "against"]]);
    const s = await proposalStatus(governor, id2);
    // Two seats: quorum 1; the ejected holder's vote weighed 0.
    expect([s.againstVotes, s.quorum]).to.deep.equal([0n, 1n]);
    // Ejected is terminal: a second ejection fails at execution.
    const again = ejectProposal(fx.addresses.registry, 3n, "eject 3 again");
    const id3 = await proposeAndVote(fx, fx.founderGovernance, again, [
      [fx.founderGovernance, "for"],
      [fx.applicants[0]!, "for"],
    ]);
    await queue(governor, again);
    await untilEta(fx, id3);
    await expect(execute(governor, again))
      .to.be.revertedWithCustomError(registry, "RegistryInvalidStatusChange")
      .withArgs(3n, ChainStatus.Ejected, ChainStatus.Ejected);
  });
});

describe("ClusterGovernance: a member's security change", function () {
  it("test_upgrade_announceApproveByProposalActivateAfterUpgradeDelay", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { registry, governor, timelock } = fx;
    const chainId = fx.founderChainId;
    const config = newSecurity(fx);

    // Only the member's governance announces.
    await expect(registry.connect(fx.founderOperator).announceSecurityChange(chainId, config))
      .to.be.revertedWithCustomError(registry, "RegistryNotChainGovernance")
      .withArgs(chainId, fx.founderOperator.address);
    const announced = registry.connect(fx.founderGovernance).announceSecurityChange(chainId, config);
    const changeHash = keccak256(
      AbiCoder.defaultAbiCoder().encode(["uint64", "uint256", SECURITY_TUPLE], [chainId, 1n, config]),
    );
    await expect(announced)
      .to.emit(registry, "SecurityChangeAnnounced")
      .withArgs(chainId, changeHash, Object.values(config));
    const pending = await registry.pendingSecurityChange(chainId);
    expect(pending.changeHash).to.equal(changeHash);
    expect([pending.approvedAt, pending.activatesAt]).to.deep.equal([0n, 0n]);

    // Not approved yet: anyone's activation is refused.
    await expect(registry.connect(fx.outsider).activateSecurityChange(chainId))
      .to.be.revertedWithCustomError(registry, "RegistryChangeNotApproved")
      .withArgs(chainId, changeHash);

    // Approval by proposal; the timelock refuses execution before its delay.
    const actions = approveUpgradeProposal(fx.addresses.registry, chainId, changeHash);
    const id = await proposeAndVote(fx, fx.founderGovernance, actions, [[fx.founderGovernance, "for"]]);
    await queue(governor, actions);
    expect(await governor.state(id)).to.equal(STATE.Queued);
    await expect(execute(governor, actions)).to.be.revertedWithCustomError(
      timelock,
      "TimelockUnexpectedOperationState",
    );
    await networkHelpers.time.increase(HARDHAT_PARAMS.minDelay - 10n);
    await expect(execute(governor, actions)).to.be.revertedWithCustomError(
      timelock,
      "TimelockUnexpectedOperationState",
    );
    expect(await governor.state(id)).to.equal(STATE.Queued);
    expect((await registry.pendingSecurityChange(chainId)).approvedAt).to.equal(0n);

    await untilEta(fx, id);
    const approval = await execute(governor, actions);
    const approvedAt = await timestampOf(approval);
    const activatesAt = approvedAt + HARDHAT_PARAMS.upgradeDelay;
    const approvedEvent = approval.logs
      .map((l) => (l.address === fx.addresses.registry ? registry.interface.parseLog(l) : null))
      .find((e) => e?.name === "SecurityChangeApproved")!;
    expect([...approvedEvent.args]).to.deep.equal([chainId, changeHash, activatesAt]);
    expect(await governor.state(id)).to.equal(STATE.Executed);

    // Approved but UpgradeDelay has not passed: refused, up to the last second.
    await expect(registry.activateSecurityChange(chainId))
      .to.be.revertedWithCustomError(registry, "RegistryChangeNotReady")
      .withArgs(chainId, activatesAt);
    await networkHelpers.time.setNextBlockTimestamp(activatesAt - 1n);
    await expect(registry.activateSecurityChange(chainId))
      .to.be.revertedWithCustomError(registry, "RegistryChangeNotReady")
      .withArgs(chainId, activatesAt);
    // Nothing changed meanwhile: the old operator is still in charge.
    expect((await registry.securityConfig(chainId)).operator).to.equal(fx.founderOperator.address);

    // From activatesAt on, anyone activates it.
    await networkHelpers.time.setNextBlockTimestamp(activatesAt);
    await expect(registry.connect(fx.outsider).activateSecurityChange(chainId))
      .to.emit(registry, "SecurityChangeActivated")
      .withArgs(chainId, changeHash, Object.values(config));
    const sec = await registry.securityConfig(chainId);
    expect([sec.operator, sec.verifier, sec.escapeVerifier, sec.codeHash, sec.configHash]).to.deep.equal(
      Object.values(config),
    );
    const info = await registry.chain(chainId);
    expect([info.operator, info.verifier]).to.deep.equal([config.operator, config.verifier]);
    expect((await registry.pendingSecurityChange(chainId)).changeHash).to.equal(ethers.ZeroHash);
    await expect(registry.activateSecurityChange(chainId))
      .to.be.revertedWithCustomError(registry, "RegistryNoPendingChange")
      .withArgs(chainId);

    // The old operator is out; the new one submits through the new verifier.
    const update = updateData(chainId, fx.founderGenesisRoot, demoRoot(chainId, 1), 0n, 1n);
    await expect(registry.connect(fx.founderOperator).submitUpdate(update, "0x"))
      .to.be.revertedWithCustomError(registry, "RegistryNotOperator")
      .withArgs(chainId, fx.founderOperator.address);
    await expect(registry.connect(fx.spare).submitUpdate(update, "0x"))
      .to.emit(registry, "UpdateSubmitted")
      .withArgs(chainId, 1, demoRoot(chainId, 1), 0n, 1n);
    // The seat did not move: a security change is not a change of governance.
    expect(await fx.seats.ownerOf(chainId)).to.equal(fx.founderGovernance.address);
  });

  it("test_upgrade_reAnnouncementNeedsANewApproval", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { registry, governor } = fx;
    const chainId = fx.founderChainId;
    const config = newSecurity(fx);
    const member = registry.connect(fx.founderGovernance);
    await member.announceSecurityChange(chainId, config);
    const first = (await registry.pendingSecurityChange(chainId)).changeHash;
    const actions = approveUpgradeProposal(fx.addresses.registry, chainId, first);
    const id = await proposeAndVote(fx, fx.founderGovernance, actions, [[fx.founderGovernance, "for"]]);
    await queue(governor, actions);
    // The member re-announces the same config while the approval waits in the timelock.
    await expect(member.announceSecurityChange(chainId, config))
      .to.emit(registry, "SecurityChangeCancelled")
      .withArgs(chainId, first);
    const second = (await registry.pendingSecurityChange(chainId)).changeHash;
    expect(second).to.not.equal(first);
    await untilEta(fx, id);
    await expect(execute(governor, actions))
      .to.be.revertedWithCustomError(registry, "RegistryChangeMismatch")
      .withArgs(chainId, second, first);
    expect(await governor.state(id)).to.equal(STATE.Queued);
  });
});

describe("ClusterGovernance: a member's governance rotation", function () {
  it("test_rotate_governanceByProposalMovesTheSeatTheVoteAndTheRights", async function () {
    const fx = await networkHelpers.loadFixture(threeMemberFixture);
    const { registry, seats, governor } = fx;
    const chainId = 2n;
    const old = fx.applicants[0]!; // chain 2's governance
    const next = fx.spare;
    // The cluster acts through the timelock, which holds APPROVER_ROLE.
    expect(await registry.hasRole(await registry.APPROVER_ROLE(), fx.addresses.timelock)).to.equal(true);
    expect(await registry.chainGovernance(chainId)).to.equal(old.address);
    const config = { ...newSecurity(fx), operator: fx.outsider.address };
    await registry.connect(old).announceSecurityChange(chainId, config);
    const changeHash = (await registry.pendingSecurityChange(chainId)).changeHash;
    await expect(registry.connect(fx.outsider).setChainGovernance(chainId, fx.outsider.address))
      .to.be.revertedWithCustomError(registry, "RegistryNotChainGovernance")
      .withArgs(chainId, fx.outsider.address);

    const actions = setChainGovernanceProposal(fx.addresses.registry, chainId, next.address);
    expect(describeActions(actions, { [fx.addresses.registry]: "registry" })).to.deep.equal([
      `registry.setChainGovernance(chainId: ${chainId}, newGovernance: ${next.address})`,
    ]);
    const id = await proposeAndVote(fx, fx.founderGovernance, actions, [
      [fx.founderGovernance, "for"],
      [fx.applicants[1]!, "for"],
    ]);
    await queue(governor, actions);
    await untilEta(fx, id);
    const exec = execute(governor, actions);
    await expect(exec).to.emit(registry, "ChainGovernanceChanged").withArgs(chainId, old.address, next.address);
    await expect(exec).to.emit(registry, "SecurityChangeCancelled").withArgs(chainId, changeHash);
    await expect(exec).to.emit(seats, "SeatRevoked").withArgs(chainId, old.address);
    await expect(exec).to.emit(seats, "SeatGranted").withArgs(chainId, next.address);
    const rotatedAt = await latestTime();

    // The seat and its vote moved; nothing else about the chain did.
    expect(await registry.chainGovernance(chainId)).to.equal(next.address);
    expect(await seats.ownerOf(chainId)).to.equal(next.address);
    expect(await seats.seatCount()).to.equal(3n);
    expect(await registry.chainStatus(chainId)).to.equal(BigInt(ChainStatus.Active));
    expect((await registry.securityConfig(chainId)).operator).to.equal(
      admissionFor(fx, chainId, old.address).security.operator,
    );
    await networkHelpers.mine();
    expect(await seats.getVotes(old.address)).to.equal(0n);
    expect(await seats.getVotes(next.address)).to.equal(1n);
    expect(await seats.getPastVotes(old.address, rotatedAt - 1n)).to.equal(1n);
    expect(await seats.getPastVotes(old.address, rotatedAt)).to.equal(0n);
    expect(await seats.getPastVotes(next.address, rotatedAt)).to.equal(1n);
    await assertSeatInvariant(registry, seats, "after rotation");

    // The old key lost every right on the chain; its pending change was dropped, and the new key governs it.
    const byOld = registry.connect(old);
    for (const call of [
      () => byOld.cancelSecurityChange(chainId),
      () => byOld.announceSecurityChange(chainId, config),
      () => byOld.setChainGovernance(chainId, old.address),
    ]) {
      await expect(call())
        .to.be.revertedWithCustomError(registry, "RegistryNotChainGovernance")
        .withArgs(chainId, old.address);
    }
    expect((await registry.pendingSecurityChange(chainId)).changeHash).to.equal(ethers.ZeroHash);
    await expect(registry.connect(next).cancelSecurityChange(chainId))
      .to.be.revertedWithCustomError(registry, "RegistryNoPendingChange")
      .withArgs(chainId);
    await expect(registry.connect(next).announceSecurityChange(chainId, config)).to.emit(
      registry,
      "SecurityChangeAnnounced",
    );

    // The old key cannot propose any more and its vote weighs nothing; the new key proposes and votes.
    const nextActions = setParamProposal(fx.addresses.clusterConfig, "Delta", 600n);
    await expect(propose(governor.connect(old), nextActions))
      .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
      .withArgs(old.address, 0n, 1n);
    const id2 = await proposeAndVote(fx, next, nextActions, [
      [next, "for"],
      [old, "for"],
    ]);
    const s = await proposalStatus(governor, id2);
    expect([s.state, s.forVotes, s.quorum]).to.deep.equal(["Succeeded", 1n, 1n]);
  });
});

describe("ClusterGovernance: cluster parameters", function () {
  it("test_setParam_byProposalWithinBounds", async function () {
    const fx = await networkHelpers.loadFixture(threeMemberFixture);
    const { clusterConfig } = fx;
    const actions = setParamProposal(fx.addresses.clusterConfig, "UpgradeDelay", 7200n);
    const id = await proposeAndVote(fx, fx.applicants[0]!, actions, [
      [fx.founderGovernance, "for"],
      [fx.applicants[0]!, "for"],
    ]);
    await queue(fx.governor, actions);
    await untilEta(fx, id);
    await expect(execute(fx.governor, actions))
      .to.emit(clusterConfig, "ParamSet")
      .withArgs(Param.UpgradeDelay, HARDHAT_PARAMS.upgradeDelay, 7200n);
    expect(await clusterConfig.param(Param.UpgradeDelay)).to.equal(7200n);
    expect((await clusterConfig.params()).upgradeDelay).to.equal(7200n);

    // The registry reads its limits from the configuration: a MaxFanOut change applies at once.
    await passByAll(fx, setParamProposal(fx.addresses.clusterConfig, "MaxFanOut", 3n));
    expect((await fx.registry.limits()).maxFanOut).to.equal(3n);
    // Three top-level chains exist: a fourth admission now fails at execution.
    const admit = admitProposal(fx.addresses.registry, admissionFor(fx, 4n, fx.applicants[2]!.address));
    const id2 = await proposeAndVote(fx, fx.founderGovernance, admit, [
      [fx.founderGovernance, "for"],
      [fx.applicants[0]!, "for"],
    ]);
    await queue(fx.governor, admit);
    await untilEta(fx, id2);
    await expect(execute(fx.governor, admit))
      .to.be.revertedWithCustomError(fx.registry, "RegistryFanOutExceeded")
      .withArgs(0n, 3n);
  });

  it("test_setParam_outOfBoundsRevertsAtExecuteAndStaysQueued", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { clusterConfig, governor } = fx;
    const [min, max] = await clusterConfig.bounds(Param.PauseDuration);
    expect([min, max]).to.deep.equal([86_400n, 180n * 86_400n]);
    const actions = setParamProposal(fx.addresses.clusterConfig, "PauseDuration", min - 1n);
    const id = await proposeAndVote(fx, fx.founderGovernance, actions, [[fx.founderGovernance, "for"]]);
    await queue(governor, actions);
    await untilEta(fx, id);
    await expect(execute(governor, actions))
      .to.be.revertedWithCustomError(clusterConfig, "ConfigParamOutOfBounds")
      .withArgs(Param.PauseDuration, min - 1n, min, max);
    expect(await governor.state(id)).to.equal(STATE.Queued);
    expect(await clusterConfig.param(Param.PauseDuration)).to.equal(HARDHAT_PARAMS.pauseDuration);
    // It stays Queued (GovernorTimelockControl proposals do not expire) and keeps failing.
    await networkHelpers.time.increase(365n * 86_400n);
    expect(await governor.state(id)).to.equal(STATE.Queued);
    await expect(execute(governor, actions)).to.be.revertedWithCustomError(clusterConfig, "ConfigParamOutOfBounds");
  });
});

describe("ClusterGovernance: guardian", function () {
  const KEY_HASH = 12345n;

  it("test_guardian_pauseBlocksDepositsUntilItExpires_thenSpent_governanceReArms", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { clusterConfig, requestQueue } = fx;
    const chainId = fx.founderChainId;
    const user = fx.outsider;
    const deposit = () => requestQueue.connect(user).depositEth(chainId, 0, KEY_HASH, user.address, { value: 1000n });
    await expect(deposit()).to.emit(requestQueue, "RequestQueued");

    // The guardian pauses: deposits revert with ConfigPaused(until).
    const paused = await clusterConfig.connect(fx.guardian).pause();
    const until = (await timestampOf((await paused.wait())!)) + HARDHAT_PARAMS.pauseDuration;
    await expect(paused).to.emit(clusterConfig, "Paused").withArgs(fx.guardian.address, until);
    expect(await clusterConfig.paused()).to.equal(true);
    expect(await clusterConfig.pausedUntil()).to.equal(until);
    expect(await clusterConfig.pauseArmed()).to.equal(false);
    await expect(deposit()).to.be.revertedWithCustomError(clusterConfig, "ConfigPaused").withArgs(until);
    // A second pause while paused cannot stack or extend it.
    await expect(clusterConfig.connect(fx.guardian).pause())
      .to.be.revertedWithCustomError(clusterConfig, "ConfigAlreadyPaused")
      .withArgs(until);

    // It expires on its own after PauseDuration: still paused at until − 1, not at until.
    await networkHelpers.time.setNextBlockTimestamp(until - 1n);
    await expect(deposit()).to.be.revertedWithCustomError(clusterConfig, "ConfigPaused").withArgs(until);
    await networkHelpers.time.setNextBlockTimestamp(until);
    await expect(deposit()).to.emit(requestQueue, "RequestQueued");
    expect(await clusterConfig.paused()).to.equal(false);

    // The guardian cannot pause again: its single pause is spent until governance re-arms it.
    expect(await clusterConfig.pauseArmed()).to.equal(false);
    await expect(clusterConfig.connect(fx.guardian).pause()).to.be.revertedWithCustomError(
      clusterConfig,
      "ConfigPauseSpent",
    );

    // Governance replaces the guardian by proposal, which re-arms the pause.
    const newGuardian = fx.spare;
    const actions = setGuardianProposal(fx.addresses.clusterConfig, newGuardian.address);
    const id = await proposeAndVote(fx, fx.founderGovernance, actions, [[fx.founderGovernance, "for"]]);
    await queue(fx.governor, actions);
    await untilEta(fx, id);
    await expect(execute(fx.governor, actions))
      .to.emit(clusterConfig, "GuardianSet")
      .withArgs(fx.guardian.address, newGuardian.address);
    expect(await clusterConfig.guardian()).to.equal(newGuardian.address);
    expect(await clusterConfig.pauseArmed()).to.equal(true);
    await expect(clusterConfig.connect(fx.guardian).pause())
      .to.be.revertedWithCustomError(clusterConfig, "ConfigNotGuardian")
      .withArgs(fx.guardian.address);
    await expect(clusterConfig.connect(newGuardian).pause()).to.emit(clusterConfig, "Paused");
    await expect(deposit()).to.be.revertedWithCustomError(clusterConfig, "ConfigPaused");
    // The guardian may lift its own pause early; that does not re-arm it.
    await expect(clusterConfig.connect(newGuardian).unpause())
      .to.emit(clusterConfig, "Unpaused")
      .withArgs(newGuardian.address);
    await expect(deposit()).to.emit(requestQueue, "RequestQueued");
    await expect(clusterConfig.connect(newGuardian).pause()).to.be.revertedWithCustomError(
      clusterConfig,
      "ConfigPauseSpent",
    );
  });

  it("test_guardian_cannotUpgradeAdmitEjectSetParamsScheduleOrMoveFunds", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const { registry, clusterConfig, timelock, governor } = fx;
    const g = fx.guardian;
    const chainId = fx.founderChainId;
    await fx.deployer.sendTransaction({ to: fx.addresses.timelock, value: parseEther("1") });
    const admin = ethers.ZeroHash;
    const registrar = await registry.REGISTRAR_ROLE();
    const status = await registry.STATUS_ROLE();
    const approver = await registry.APPROVER_ROLE();
    const proposer = await timelock.PROPOSER_ROLE();
    const canceller = await timelock.CANCELLER_ROLE();

    await expect(registry.connect(g).admitChain(admissionFor(fx, 9n, g.address)))
      .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
      .withArgs(g.address, registrar);
    await expect(registry.connect(g).setChainStatus(chainId, ChainStatus.Ejected))
      .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
      .withArgs(g.address, status);
    await registry.connect(fx.founderGovernance).announceSecurityChange(chainId, newSecurity(fx));
    const changeHash = (await registry.pendingSecurityChange(chainId)).changeHash;
    await expect(registry.connect(g).approveSecurityChange(chainId, changeHash))
      .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
      .withArgs(g.address, approver);
    await expect(registry.connect(g).cancelSecurityChange(chainId))
      .to.be.revertedWithCustomError(registry, "RegistryNotChainGovernance")
      .withArgs(chainId, g.address);
    await expect(registry.connect(g).grantRole(registrar, g.address))
      .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
      .withArgs(g.address, admin);
    await expect(clusterConfig.connect(g).setParam(Param.PauseDuration, 180n * 86_400n))
      .to.be.revertedWithCustomError(clusterConfig, "AccessControlUnauthorizedAccount")
      .withArgs(g.address, admin);
    await expect(clusterConfig.connect(g).setGuardian(g.address))
      .to.be.revertedWithCustomError(clusterConfig, "AccessControlUnauthorizedAccount")
      .withArgs(g.address, admin);

    // The timelock: cannot schedule or cancel; cannot execute anything that was not scheduled (here,
    // sending the timelock's ETH to itself), so it cannot move the cluster's funds.
    const data = "0x";
    const salt = ethers.ZeroHash;
    await expect(timelock.connect(g).schedule(g.address, parseEther("1"), data, ethers.ZeroHash, salt, 60n))
      .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
      .withArgs(g.address, proposer);
    const opId = await timelock.hashOperation(g.address, parseEther("1"), data, ethers.ZeroHash, salt);
    await expect(timelock.connect(g).cancel(opId))
      .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
      .withArgs(g.address, canceller);
    await expect(
      timelock.connect(g).execute(g.address, parseEther("1"), data, ethers.ZeroHash, salt),
    ).to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState");
    await expect(timelock.connect(g).updateDelay(0n))
      .to.be.revertedWithCustomError(timelock, "TimelockUnauthorizedCaller")
      .withArgs(g.address);
    await expect(timelock.connect(g).grantRole(proposer, g.address))
      .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
      .withArgs(g.address, admin);
    // The governor's relay (governance-only arbitrary call) is closed to it too.
    await expect(governor.connect(g).relay(g.address, parseEther("1"), data))
      .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
      .withArgs(g.address);
    expect(await ethers.provider.getBalance(fx.addresses.timelock)).to.equal(parseEther("1"));
    // And the guardian holds no seat: it cannot propose.
    await expect(propose(governor.connect(g), setParamProposal(fx.addresses.clusterConfig, "Delta", 600n)))
      .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
      .withArgs(g.address, 0n, 1n);
  });
});
