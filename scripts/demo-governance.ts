/**
 * Demo scenario: cluster governance (docs/GOVERNANCE.md). The whole suite is deployed by the `Cluster`
 * Ignition module with ignition/parameters/hardhat.json: one founding member (chain 1, seat held by
 * account #1) and every role held by the timelock. A new chain applies with a stake, is admitted by a
 * proposal (propose, vote, queue, timelock delay, execute), and gets its registry entry and its seat. It
 * then announces a verifier upgrade, the cluster approves it by a second proposal (both seats vote), the
 * activation is refused before the upgrade delay and succeeds after it.
 *
 * Imported by scripts/demo.ts (it runs on the same in-process network).
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { ZeroAddress, formatEther, id as keccakText, parseEther, type TransactionReceipt } from "ethers";

import ClusterModule from "../ignition/modules/Cluster.ts";
import DevelopmentVerifierModule from "../ignition/modules/DevelopmentVerifier.ts";
import { formatRevert, revertData } from "../src/cli/governance-commands.ts";
import {
  PROPOSAL_STATES,
  admitProposal,
  approveUpgradeProposal,
  castVote,
  describeActions,
  execute,
  propose,
  queue,
  type ProposalActions,
} from "../src/sdk/governance.ts";
import { loadIgnitionParameters } from "../src/sdk/ignition-params.ts";
import { demoRoot } from "../src/sdk/registry.ts";
import type {
  ClusterConfig,
  ClusterGovernor,
  ClusterSeats,
  ClusterTimelock,
  ValidiumRegistry,
} from "../typechain-types/index.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ignition = { deploy: (...args: any[]) => Promise<any> };

const NEW_CHAIN = 2n;
const STATUS = ["None", "Active", "Frozen", "Ejected"];

export async function runGovernanceScenario(ethers: HardhatEthers, ignition: Ignition, helpers: NetworkHelpers) {
  console.log("\n\nClusterKit demo: cluster governance (one seat per member, Governor + timelock)");
  const parameters = loadIgnitionParameters("ignition/parameters/hardhat.json");
  const d = await ignition.deploy(ClusterModule, { parameters });
  const governor = d.governor as unknown as ClusterGovernor;
  const timelock = d.timelock as unknown as ClusterTimelock;
  const registry = d.registry as unknown as ValidiumRegistry;
  const config = d.clusterConfig as unknown as ClusterConfig;
  const seats = d.seats as unknown as ClusterSeats;
  const signers = await ethers.getSigners();
  const [deployer, founder, , applicant, applicantOperator] = signers as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];
  const timelockAddress = await timelock.getAddress();
  const labels = { [await registry.getAddress()]: "registry", [await config.getAddress()]: "config" };

  console.log(`  governor ${await governor.getAddress()}, timelock ${timelockAddress}`);
  console.log(`  registry ${await registry.getAddress()}, seats ${await seats.getAddress()}`);
  const [votingDelay, votingPeriod, minDelay, upgradeDelay] = await Promise.all([
    governor.votingDelay(),
    governor.votingPeriod(),
    timelock.getMinDelay(),
    config.param(8), // UpgradeDelay
  ]);
  console.log(
    `  voting delay ${votingDelay} s, voting period ${votingPeriod} s, timelock delay ${minDelay} s, ` +
      `quorum ${await governor["quorumNumerator()"]()}% of the seats, upgrade delay ${upgradeDelay} s`,
  );

  // The founder, and who holds the roles after the handover.
  const founderId = await registry.chainIdAt(0);
  const founderInfo = await registry.chain(founderId);
  console.log(
    `  founder: chain ${founderId} (${STATUS[Number(founderInfo.status)]}), governance ${await registry.chainGovernance(founderId)}, ` +
      `operator ${founderInfo.operator}; seat ${founderId} held by ${await seats.ownerOf(founderId)} ` +
      `with ${await seats.getVotes(founder.address)} vote; ${await seats.seatCount()} seat(s) in all`,
  );
  const roles: Array<[string, { hasRole(role: string, account: string): Promise<boolean> }, string]> = [
    ["registry admin", registry, await registry.DEFAULT_ADMIN_ROLE()],
    ["registrar", registry, await registry.REGISTRAR_ROLE()],
    ["status", registry, await registry.STATUS_ROLE()],
    ["approver", registry, await registry.APPROVER_ROLE()],
    ["config admin", config, await config.DEFAULT_ADMIN_ROLE()],
    ["timelock admin", timelock, await timelock.DEFAULT_ADMIN_ROLE()],
  ];
  for (const [who, account] of [
    ["deployer", deployer.address],
    ["timelock", timelockAddress],
  ] as const) {
    const held = [];
    for (const [name, contract, role] of roles)
      held.push(`${name} ${(await contract.hasRole(role, account)) ? "yes" : "no"}`);
    console.log(`  ${who.padEnd(8)} ${account}: ${held.join(", ")}`);
  }

  // The applicant earmarks its stake with the registry before the vote (it could take it back until then).
  const stake = parseEther("1");
  const deposit = await gasOf(registry.connect(applicant).depositAdmissionStake(NEW_CHAIN, { value: stake }));
  const [, deposited] = await registry.admissionStake(NEW_CHAIN);
  console.log(
    `\n  applicant ${applicant.address} deposits ${formatEther(deposited)} ETH of stake for chain ${NEW_CHAIN} ` +
      `(registry.depositAdmissionStake, gas ${deposit.gasUsed}; minimum stake ${(await registry.limits()).minStake} wei)`,
  );

  // Admission: a dev chain under the founder, verified for now by the development verifier.
  const { developmentVerifier } = await ignition.deploy(DevelopmentVerifierModule);
  const devVerifier = await developmentVerifier.getAddress();
  const admission = admitProposal(await registry.getAddress(), {
    chainId: NEW_CHAIN,
    parent: founderId,
    governance: applicant.address,
    security: {
      operator: applicantOperator.address,
      verifier: devVerifier,
      escapeVerifier: ZeroAddress,
      codeHash: keccakText("chain-2 node v1.0.0"),
      configHash: keccakText("chain-2 genesis config"),
    },
    genesisRoot: demoRoot(NEW_CHAIN, 0),
  });
  console.log(`\n  Admission of chain ${NEW_CHAIN}: proposed by the founder, voted by the founder`);
  await drive(helpers, governor, founder, [founder], admission, labels);

  const info = await registry.chain(NEW_CHAIN);
  const sec = await registry.securityConfig(NEW_CHAIN);
  console.log(
    `  registry entry: chain ${NEW_CHAIN} parent ${info.parent} depth ${info.depth} ${STATUS[Number(info.status)]}, ` +
      `stake ${formatEther(info.stake)} ETH, b(parent) = ${await registry.subtreeSize(founderId)}`,
  );
  console.log(
    `    governance ${await registry.chainGovernance(NEW_CHAIN)}, operator ${sec.operator}, verifier ${sec.verifier}`,
  );
  console.log(
    `  seat ${NEW_CHAIN}: held by ${await seats.ownerOf(NEW_CHAIN)} with ${await seats.getVotes(applicant.address)} vote; ` +
      `${await seats.seatCount()} seats in all`,
  );

  // The member moves from the development verifier to its own Groth16 adapter for the ledger circuit.
  const adapter = await ethers.deployContract("Groth16UpdateVerifier", [
    await d.ledgerGroth16.getAddress(),
    await d.requestQueue.getAddress(),
  ]);
  await adapter.waitForDeployment();
  const newVerifier = await adapter.getAddress();
  const member = registry.connect(applicant);
  const announced = await gasOf(
    member.announceSecurityChange(NEW_CHAIN, {
      operator: sec.operator,
      verifier: newVerifier,
      escapeVerifier: sec.escapeVerifier,
      codeHash: sec.codeHash,
      configHash: sec.configHash,
    }),
  );
  const changeHash = (await registry.pendingSecurityChange(NEW_CHAIN)).changeHash;
  console.log(
    `\n  Upgrade: chain ${NEW_CHAIN}'s governance announces verifier ${devVerifier} -> ${newVerifier} ` +
      `(a new Groth16UpdateVerifier), change ${changeHash}, gas ${announced.gasUsed}`,
  );
  console.log("  approval: proposed by the member, voted by both seats");
  await drive(
    helpers,
    governor,
    applicant,
    [founder, applicant],
    approveUpgradeProposal(await registry.getAddress(), NEW_CHAIN, changeHash),
    labels,
  );
  const pending = await registry.pendingSecurityChange(NEW_CHAIN);
  console.log(`  approved at ${pending.approvedAt}; activates from ${pending.activatesAt} (+${upgradeDelay} s)`);

  try {
    await registry.activateSecurityChange(NEW_CHAIN);
    console.log("  UNEXPECTED: activation before the delay succeeded");
  } catch (e) {
    const decoded = formatRevert(revertData(e), registry.interface);
    console.log(`  activation now reverts: ${decoded?.[1] ?? (e as Error).message}`);
  }
  await helpers.time.increase(upgradeDelay);
  const activated = await gasOf(registry.activateSecurityChange(NEW_CHAIN));
  const after = await registry.securityConfig(NEW_CHAIN);
  console.log(
    `  after the delay (by anyone): activated, gas ${activated.gasUsed}; verifier ${sec.verifier} -> ${after.verifier}` +
      `; registry.chain(${NEW_CHAIN}).verifier = ${(await registry.chain(NEW_CHAIN)).verifier}`,
  );
}

async function gasOf(tx: Promise<{ wait(): Promise<TransactionReceipt | null> }>): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction not mined");
  return receipt;
}

/** One proposal through its whole life, printing each state and the gas of each step. */
async function drive(
  helpers: NetworkHelpers,
  governor: ClusterGovernor,
  proposer: HardhatEthersSigner,
  voters: HardhatEthersSigner[],
  actions: ProposalActions,
  labels: Record<string, string>,
): Promise<void> {
  const state = async (id: bigint) => PROPOSAL_STATES[Number(await governor.state(id))];
  const { proposalId, receipt } = await propose(governor.connect(proposer), actions);
  console.log(`    proposal ${proposalId}`);
  console.log(`    description: ${actions.description}`);
  for (const a of describeActions(actions, labels)) console.log(`    action: ${a}`);
  console.log(`    propose   gas ${String(receipt.gasUsed).padStart(7)}  -> ${await state(proposalId)}`);
  await helpers.time.increase((await governor.votingDelay()) + 1n);
  console.log(`    (voting delay passes)             -> ${await state(proposalId)}`);
  for (const v of voters) {
    const r = await castVote(governor.connect(v), proposalId, "for");
    console.log(`    vote for  gas ${String(r.gasUsed).padStart(7)}  by ${v.address}`);
  }
  const [against, forVotes, abstain] = await governor.proposalVotes(proposalId);
  await helpers.time.increase((await governor.votingPeriod()) + 1n);
  console.log(
    `    (voting period ends: for ${forVotes}, against ${against}, abstain ${abstain}, quorum ` +
      `${await governor.quorum(await governor.proposalSnapshot(proposalId))}) -> ${await state(proposalId)}`,
  );
  const q = await queue(governor, actions);
  const eta = await governor.proposalEta(proposalId);
  console.log(`    queue     gas ${String(q.gasUsed).padStart(7)}  -> ${await state(proposalId)} (eta ${eta})`);
  const now = BigInt(await helpers.time.latest());
  if (eta > now) await helpers.time.increase(eta - now);
  const x = await execute(governor, actions);
  console.log(
    `    execute   gas ${String(x.gasUsed).padStart(7)}  -> ${await state(proposalId)} (after the timelock delay)`,
  );
}
