/**
 * The CLI's governance commands (src/cli/governance-commands.ts) against the whole suite deployed by the
 * `Cluster` Ignition module with ignition/parameters/hardhat.json: what `npm run cli -- propose …`,
 * `vote`, `queue`, `execute`, `status`, `announce-upgrade`, `activate-upgrade`, `pause`, `unpause`,
 * `params` and `members` run, minus argument parsing and the RPC connection.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { ZeroHash, parseEther } from "ethers";

import ClusterModule from "../../ignition/modules/Cluster.ts";
import DevelopmentVerifierModule from "../../ignition/modules/DevelopmentVerifier.ts";
import {
  activateUpgrade,
  announceUpgrade,
  apply,
  execute,
  members,
  params,
  pause,
  propose,
  queue,
  status,
  unpause,
  vote,
  type GovernanceContracts,
} from "../../src/cli/governance-commands.ts";
import { CliError } from "../../src/cli/registry-commands.ts";
import { loadIgnitionParameters } from "../../src/sdk/ignition-params.ts";
import type { ClusterConfig, ClusterGovernor, ClusterSeats, ValidiumRegistry } from "../../typechain-types/index.ts";
import { expectChainRejection, expectRejection } from "../helpers/assertions.ts";
import { ethers, ignition, networkHelpers } from "../helpers/fixtures.ts";

const parameters = loadIgnitionParameters("ignition/parameters/hardhat.json");
const VOTING_PERIOD = 300;
const MIN_DELAY = 60;
const UPGRADE_DELAY = 3600;

async function clusterFixture() {
  const d = await ignition.deploy(ClusterModule, { parameters });
  const { developmentVerifier } = await ignition.deploy(DevelopmentVerifierModule);
  const signers = await ethers.getSigners();
  const governor = d.governor as unknown as ClusterGovernor;
  const registry = d.registry as unknown as ValidiumRegistry;
  const config = d.clusterConfig as unknown as ClusterConfig;
  const seats = d.seats as unknown as ClusterSeats;
  /** The contracts as the CLI builds them for `--key` = `signer`. */
  const as = (signer: HardhatEthersSigner): GovernanceContracts => ({
    governor: governor.connect(signer),
    registry: registry.connect(signer),
    config: config.connect(signer),
    seats: seats.connect(signer),
  });
  return {
    governor,
    registry,
    config,
    seats,
    as,
    adapter: await d.groth16UpdateVerifier.getAddress(),
    devVerifier: await developmentVerifier.getAddress(),
    timelock: await d.timelock.getAddress(),
    deployer: signers[0]!, // the guardian
    founder: signers[1]!, // chain 1's governance (its seat holder)
    applicant: signers[4]!, // chain 2's governance
    applicantOperator: signers[5]!,
    outsider: signers[9]!,
  };
}

/** The proposal id from `propose`'s first line. */
function idOf(lines: string[]): string {
  const m = /^proposal (\d+)$/.exec(lines[0]!);
  expect(m, lines.join("\n")).to.not.equal(null);
  return m![1]!;
}

const rejectedWith = expectChainRejection;

const rejectsWithCliError = (p: Promise<unknown>, pattern: RegExp) => expectRejection(p, CliError, pattern);

/** Every voter votes for, then queue and execute through the CLI, travelling past each delay. */
async function passViaCli(voters: GovernanceContracts[], proposal: string): Promise<string[]> {
  await networkHelpers.time.increase(2);
  for (const v of voters) await vote(v, { proposal, support: "for" });
  await networkHelpers.time.increase(VOTING_PERIOD + 1);
  await queue(voters[0]!, { proposal });
  await networkHelpers.time.increase(MIN_DELAY + 1);
  return execute(voters[0]!, { proposal });
}

describe("CLI: governance commands", function () {
  it("test_cli_admitThenUpgradeAMemberThroughProposals", async function () {
    const f = await networkHelpers.loadFixture(clusterFixture);
    const founder = f.as(f.founder);
    const member = f.as(f.applicant);
    const stake = parseEther("1");

    // The applicant deposits its stake with the registry; a member proposes its admission.
    const applied = await apply(member, { chain: "2", stake: stake.toString() });
    expect(applied[0]).to.equal(
      `${f.applicant.address} deposited ${stake} wei for chain 2 (total ${stake} wei, minimum stake 0 wei)`,
    );
    const proposed = await propose(founder, "admit", {
      chain: "2",
      parent: "0",
      governance: f.applicant.address,
      operator: f.applicantOperator.address,
      verifier: f.adapter,
      "code-hash": ZeroHash.replace(/0$/, "1"),
      description: "Admit chain 2",
    });
    const id = idOf(proposed);
    expect(proposed).to.include("  description: Admit chain 2");
    expect(proposed.join("\n")).to.match(/action: registry\.admitChain\(admission: \{chainId: 2, parent: 0, /);
    expect(proposed).to.include(`  stake: ${f.applicant.address} deposited ${stake} wei for chain 2`);

    let table = await status(founder, { proposal: id });
    expect(table[0]).to.match(new RegExp(`^proposal\\s+${id}$`));
    expect(table[1]).to.match(/^state\s+(Pending|Active)$/);
    expect(table).to.include("description Admit chain 2");
    expect(table.join("\n")).to.match(/actions:\n {2}registry\.admitChain\(/);

    // Queueing before the vote ends is rejected by the governor, and the CLI names the error and state.
    await networkHelpers.time.increase(2);
    const voted = await vote(founder, { proposal: id, support: "for", reason: "looks good" });
    expect(voted[0]).to.equal(`voted for on proposal ${id} with weight 1 ("looks good")`);
    // One seat: 50% of 1 rounds down to a quorum of 0 (the vote still has to be won: for > against).
    expect(voted[1]).to.equal("  now Active: for 1, against 0, abstain 0, quorum 0");
    table = await status(founder, { proposal: id });
    expect(table[1]).to.match(/^state\s+Active$/);
    expect(table[2]).to.match(/^for\s+1$/);
    const early = await rejectedWith(queue(founder, { proposal: id }), "GovernorUnexpectedProposalState");
    expect(early).to.match(/, 1 \(Active\), /);
    await rejectedWith(vote(founder, { proposal: id, support: "for" }), "GovernorAlreadyCastVote");

    await networkHelpers.time.increase(VOTING_PERIOD + 1);
    expect((await status(founder, { proposal: id }))[1]).to.match(/Succeeded$/);
    const queued = await queue(founder, { proposal: id });
    expect(queued[0]).to.match(new RegExp(`^queued proposal ${id}: executable from \\d+ \\(in (59|60) s\\)$`));
    // Executing before the timelock delay: the timelock's error bubbles up through the governor.
    await rejectedWith(execute(f.as(f.outsider), { proposal: id }), "TimelockUnexpectedOperationState");
    await networkHelpers.time.increase(MIN_DELAY + 1);
    const executed = await execute(f.as(f.outsider), { proposal: id }); // anyone may execute
    expect(executed[0]).to.equal(`executed proposal ${id}`);
    expect((await status(founder, { proposal: id }))[1]).to.match(/Executed$/);

    expect((await f.registry.chain(2n)).stake).to.equal(stake);
    const listed = await members(founder);
    expect(listed[0]).to.equal(
      "2 chains, 2 seats; quorum of a proposal made now 1 (50/100 of the seats, rounded down)",
    );
    const row2 = listed.slice(2).find((l) => l.startsWith("2 "))!;
    expect(row2).to.match(
      new RegExp(`^2\\s+0\\s+active\\s+${f.applicant.address}\\s+1\\s+${f.applicantOperator.address}\\s+${stake}$`),
    );
    expect(listed.slice(2).find((l) => l.startsWith("1 "))).to.match(
      new RegExp(`active\\s+${f.founder.address}\\s+1\\s`),
    );

    // The new member announces a verifier upgrade; other fields keep their values.
    await rejectedWith(announceUpgrade(founder, { chain: "2", verifier: f.devVerifier }), "RegistryNotChainGovernance");
    const announced = await announceUpgrade(member, { chain: "2", verifier: f.devVerifier });
    expect(announced[0]).to.match(/^chain 2 announced security change 0x[0-9a-f]{64}$/);
    expect(announced[1]).to.equal(`  verifier: ${f.adapter} -> ${f.devVerifier}`);
    expect(announced[2]).to.match(/then activate-upgrade 3600 s after the approval/);
    const pending = await f.registry.pendingSecurityChange(2n);
    expect((await f.registry.securityConfig(2n)).codeHash).to.equal(pending.config.codeHash);

    // The member itself proposes the approval (its seat counts from the block after admission).
    const approval = await propose(member, "approve-upgrade", { chain: "2" });
    expect(approval.join("\n")).to.include(`approveSecurityChange(chainId: 2, changeHash: ${pending.changeHash})`);
    await passViaCli([founder, member], idOf(approval));
    expect((await f.registry.pendingSecurityChange(2n)).approvedAt).to.not.equal(0n);

    // Activation before the upgrade delay is rejected with the registry's error; after it, it succeeds.
    const notReady = await rejectedWith(activateUpgrade(f.as(f.outsider), { chain: "2" }), "RegistryChangeNotReady");
    expect(notReady).to.match(/RegistryChangeNotReady\(2, \d+\)/);
    await networkHelpers.time.increase(UPGRADE_DELAY);
    const activated = await activateUpgrade(f.as(f.outsider), { chain: "2" });
    expect(activated[0]).to.equal(`chain 2 activated security change ${pending.changeHash}`);
    expect(activated[1]).to.equal(`  verifier: ${f.adapter} -> ${f.devVerifier}`);
    expect((await f.registry.securityConfig(2n)).verifier).to.equal(f.devVerifier);
    await rejectedWith(activateUpgrade(member, { chain: "2" }), "RegistryNoPendingChange");
  });

  it("test_cli_setParamGuardianPauseAndEject", async function () {
    const f = await networkHelpers.loadFixture(clusterFixture);
    const founder = f.as(f.founder);

    const before = await params(founder);
    expect(before[0]).to.match(/^param\s+value\s+unit\s+min\s+max$/);
    expect(before.find((l) => l.startsWith("upgrade-delay "))).to.match(/^upgrade-delay\s+3600\s+s\s+3600\s+7776000$/);
    expect(before.at(-1)).to.equal(`guardian ${f.deployer.address}: not paused, pause armed`);

    const setParam = await propose(founder, "set-param", { param: "upgrade-delay", value: "7200" });
    expect(setParam.join("\n")).to.include("config.setParam(param: UpgradeDelay (8), value: 7200)");
    const done = await passViaCli([founder], idOf(setParam));
    expect(done).to.include("  done: config.setParam(param: UpgradeDelay (8), value: 7200)");
    expect((await params(founder)).find((l) => l.startsWith("upgrade-delay "))).to.match(/^upgrade-delay\s+7200\s/);
    await rejectsWithCliError(
      propose(founder, "set-param", { param: "pause-duration", value: "60" }),
      /--value 60 is outside the bounds of pause-duration: \[86400, 15552000\]/,
    );

    // The guardian pauses once; a second pause, or an unpause by a stranger, is rejected by name.
    const guardian = f.as(f.deployer);
    expect((await pause(guardian))[0]).to.match(/^cluster paused until \d+ \(in 86400 s\)$/);
    expect((await params(founder)).at(-1)).to.match(/: paused until \d+, pause not armed$/);
    await rejectedWith(pause(guardian), "ConfigAlreadyPaused");
    await rejectedWith(pause(founder), "ConfigNotGuardian");
    await rejectedWith(unpause(f.as(f.outsider)), "ConfigNotGuardianOrGovernance");
    expect((await unpause(guardian))[0]).to.equal(
      "cluster unpaused; the guardian's pause is spent until governance re-arms it",
    );
    await rejectedWith(unpause(guardian), "ConfigNotPaused");
    await rejectedWith(pause(guardian), "ConfigPauseSpent");

    // Governance replaces the guardian (which re-arms the pause).
    const newGuardian = f.as(f.outsider);
    const g = await propose(founder, "set-guardian", { guardian: f.outsider.address });
    expect(g.join("\n")).to.include(`config.setGuardian(newGuardian: ${f.outsider.address})`);
    await passViaCli([founder], idOf(g));
    expect((await params(founder)).at(-1)).to.equal(`guardian ${f.outsider.address}: not paused, pause armed`);
    expect((await pause(newGuardian))[0]).to.match(/^cluster paused until/);

    // A second member is admitted under chain 1, then ejected: its seat is burned.

    // (Its stake is paid by the timelock this time: --stake, from the timelock's own balance.)
    await f.applicant.sendTransaction({ to: f.timelock, value: parseEther("0.5") });
    const admit = await propose(founder, "admit", {
      chain: "3",
      parent: "1",
      governance: f.applicant.address,
      operator: f.applicantOperator.address,
      verifier: f.devVerifier,
      stake: parseEther("0.5").toString(),
    });
    expect(admit).to.include(
      "  stake: nothing deposited for chain 3 (the applicant runs `apply --chain 3 --stake WEI`)",
    );
    expect(admit).to.include(
      `  plus 500000000000000000 wei from the timelock ${f.timelock}, which holds 500000000000000000 wei now`,
    );
    expect(admit.join("\n")).to.match(/registry\.admitChain\(.*\) with 500000000000000000 wei/);
    await passViaCli([founder], idOf(admit));
    expect((await f.registry.chain(3n)).stake).to.equal(parseEther("0.5"));
    expect((await members(founder))[0]).to.match(/^2 chains, 2 seats/);
    const eject = await propose(founder, "eject", { chain: "3" });
    expect(eject.join("\n")).to.include("registry.setChainStatus(chainId: 3, status: Ejected (3))");
    await passViaCli([founder, f.as(f.applicant)], idOf(eject));
    const after = await members(founder);
    expect(after[0]).to.match(/^2 chains, 1 seats/);
    expect(after.slice(2).find((l) => l.startsWith("3 "))).to.match(/^3\s+1\s+ejected\s+-\s+0\s/);
  });

  it("test_cli_rejectsBadInputsWithClearMessages", async function () {
    const f = await networkHelpers.loadFixture(clusterFixture);
    const founder = f.as(f.founder);
    const admit = {
      chain: "2",
      governance: f.applicant.address,
      operator: f.applicantOperator.address,
      verifier: f.adapter,
    };

    await rejectsWithCliError(
      propose(founder, "set-param", { param: "warp-speed", value: "1" }),
      /^unknown --param "warp-speed": one of forced-deadline, forced-fee, .*, upgrade-delay, pause-duration, delta$/,
    );
    await rejectsWithCliError(propose(founder, "set-param", { param: "delta" }), /^--value is required$/);
    await rejectsWithCliError(
      propose(founder, "admit", { ...admit, governance: "0x1234" }),
      /^--governance must be an address \(0x \+ 40 hex digits\), got "0x1234"$/,
    );
    await rejectsWithCliError(propose(founder, "admit", { ...admit, operator: undefined }), /^--operator is required$/);
    await rejectsWithCliError(propose(founder, "admit", { ...admit, genesis: "0x12" }), /^--genesis must be 32 bytes/);
    await rejectsWithCliError(propose(founder, "admit", { ...admit, chain: "two" }), /^--chain must be a non-negative/);
    await rejectsWithCliError(propose(founder, "upgrade", {}), /^propose what\? one of: admit, eject, /);
    await rejectsWithCliError(propose(founder, undefined, {}), /^propose what\?/);
    await rejectsWithCliError(
      propose(founder, "approve-upgrade", { chain: "1" }),
      /^chain 1 has no pending security change \(announce-upgrade first\)$/,
    );
    await rejectsWithCliError(vote(founder, { support: "for" }), /^--proposal is required$/);
    await rejectsWithCliError(queue(founder, {}), /^--proposal is required$/);
    await rejectsWithCliError(execute(founder, {}), /^--proposal is required$/);
    await rejectsWithCliError(status(founder, {}), /^--proposal is required$/);
    await rejectsWithCliError(vote(founder, { proposal: "1", support: "maybe" }), /^--support must be for, against/);
    await rejectsWithCliError(vote(founder, { proposal: "1", support: "toString" }), /^--support must be/);
    await rejectsWithCliError(
      announceUpgrade(f.as(f.founder), { chain: "1", verifier: "nope" }),
      /^--verifier must be an address/,
    );
    await rejectsWithCliError(params({ governor: f.governor }), /^this command needs the config contract: --config/);
    await rejectsWithCliError(vote({ registry: f.registry }, { proposal: "1" }), /needs the governor contract/);

    // Rejections by the chain name their custom error.
    await rejectedWith(status(founder, { proposal: "12345" }), "GovernorNonexistentProposal");
    await rejectedWith(propose(f.as(f.outsider), "admit", admit), "GovernorInsufficientProposerVotes");
    await rejectedWith(announceUpgrade(founder, { chain: "9" }), "RegistryUnknownChain");
    await rejectsWithCliError(apply(f.as(f.applicant), { chain: "2" }), /^--stake is required$/);
    await rejectedWith(apply(f.as(f.applicant), { chain: "2", stake: "0" }), "RegistryZeroDeposit");
    await rejectedWith(apply(f.as(f.applicant), { chain: "1", stake: "1" }), "RegistryChainExists");
    await apply(f.as(f.applicant), { chain: "2", stake: "1" });
    await rejectedWith(apply(f.as(f.outsider), { chain: "2", stake: "1" }), "RegistryApplicationTaken");
    const p = idOf(await propose(founder, "admit", admit));
    await rejectsWithCliError(
      queue(founder, { proposal: p, "from-block": String((await ethers.provider.getBlockNumber()) + 5) }),
      new RegExp(`^proposal ${p} was not created at or after block \\d+ \\(see --from-block\\)$`),
    );
    // The same proposal (same actions and description) cannot be made twice.
    await rejectedWith(propose(founder, "admit", admit), "GovernorUnexpectedProposalState");
  });
});
