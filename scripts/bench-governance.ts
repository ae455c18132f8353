/**
 * Gas benchmark of cluster governance (npm run bench:governance). Writes benchmarks/governance.md and
 * benchmarks/governance.json, prints the table, and prints as its LAST line a JSON object with the
 * headline figures.
 *
 * Method (also written to the report):
 * - The whole `Cluster` Ignition module with ignition/parameters/hardhat.json (founder chain 1; voting
 *   delay 1 s, voting period 300 s, timelock delay 60 s, upgrade delay 3600 s), on the in-process Hardhat
 *   network (Prague). Numbers are `gasUsed` of whole transactions (intrinsic and calldata included), from
 *   receipts. Proposals are built and driven with src/sdk/governance.ts.
 * - Members (top-level chains) are admitted by proposal (not measured) until the cluster has V = 1, 4 and 16
 *   voters (one seat each); MaxFanOut is first raised to 64 by proposal. At each size, measured:
 *   - an admission proposal (the next member, stake 1 ETH that the timelock holds): propose, every voter's
 *     castVote (first vote, median, last), queue, execute; and the whole admission (sum of all of them);
 *   - a setParam proposal (UpgradeDelay): the first voter votes with castVoteWithReason, the others with
 *     castVote; its execute;
 *   - a member security change of the founder chain: announceSecurityChange (the member's governance, no
 *     proposal), the approve-upgrade proposal's execute, and activateSecurityChange after UpgradeDelay.
 * - Once, at the end: the guardian's pause.
 */

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { getAddress, id as keccakText, parseEther, ZeroAddress, type TransactionReceipt } from "ethers";
import { network } from "hardhat";

import ClusterModule from "../ignition/modules/Cluster.ts";
import DevelopmentVerifierModule from "../ignition/modules/DevelopmentVerifier.ts";
import {
  admitProposal,
  approveUpgradeProposal,
  castVote,
  execute,
  passProposal,
  propose,
  queue,
  setParamProposal,
  type Admission,
  type ProposalActions,
} from "../src/sdk/governance.ts";
import { loadIgnitionParameters } from "../src/sdk/ignition-params.ts";
import { demoRoot } from "../src/sdk/registry.ts";
import type { ClusterConfig, ClusterGovernor, ClusterSeats, ValidiumRegistry } from "../typechain-types/index.ts";
import { writeBenchmark } from "./bench-output.ts";

const SIZES = [1, 4, 16] as const;
const STAKE = parseEther("1");

const { ethers, ignition, networkHelpers } = await network.getOrCreate();
const started = Date.now();

const parameters = loadIgnitionParameters("ignition/parameters/hardhat.json");
const deployed = await ignition.deploy(ClusterModule, { parameters });
const { developmentVerifier } = await ignition.deploy(DevelopmentVerifierModule);
const registry = deployed.registry as unknown as ValidiumRegistry;
const clusterConfig = deployed.clusterConfig as unknown as ClusterConfig;
const governor = deployed.governor as unknown as ClusterGovernor;
const seats = deployed.seats as unknown as ClusterSeats;
const addr = {
  registry: await registry.getAddress(),
  clusterConfig: await clusterConfig.getAddress(),
  timelock: await deployed.timelock.getAddress(),
  groth16: await deployed.groth16UpdateVerifier.getAddress(),
  devVerifier: await developmentVerifier.getAddress(),
};
const signers = await ethers.getSigners();
const [deployer, founderGovernance, founderOperator] = signers as [
  HardhatEthersSigner,
  HardhatEthersSigner,
  HardhatEthersSigner,
];
// Accounts #3 .. #18: the governance addresses of members 2 .. 17 (the last is admitted, never votes).
const applicants = signers.slice(3, 19);
const founderChainId = (parameters.Cluster as Record<string, unknown>).founderChainId as bigint;
if (applicants.length < SIZES[SIZES.length - 1]!) throw new Error("bench-governance: not enough accounts");
check(
  getAddress((parameters.Cluster as Record<string, unknown>).founderGovernance as string) === founderGovernance.address,
  "the founder's governance is account #1",
);

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error("bench-governance: " + message);
}

async function increaseTime(seconds: bigint): Promise<void> {
  await networkHelpers.time.increase(seconds);
}

const gas = (r: TransactionReceipt): number => Number(r.gasUsed);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Voters in seat order: the founder's governance, then the admitted members' governance. */
const voters: HardhatEthersSigner[] = [founderGovernance];
let nextChain = founderChainId + 1n;

function admission(chainId: bigint, governance: string): Admission {
  return {
    chainId,
    parent: 0n,
    governance,
    security: {
      operator: getAddress("0x" + keccakText(`bench operator ${chainId}`).slice(-40)),
      verifier: addr.groth16,
      escapeVerifier: ZeroAddress,
      codeHash: keccakText(`code ${chainId}`),
      configHash: keccakText(`config ${chainId}`),
    },
    genesisRoot: demoRoot(chainId, 0),
  };
}

/** Admits the next member without measuring (every voter votes for). */
async function admitNext(): Promise<void> {
  const applicant = applicants[voters.length - 1]!;
  const gs = voters.map((v) => governor.connect(v));
  await passProposal(gs[0]!, gs, admitProposal(addr.registry, admission(nextChain, applicant.address)), increaseTime);
  voters.push(applicant);
  nextChain += 1n;
}

async function untilEta(proposalId: bigint): Promise<void> {
  const eta = await governor.proposalEta(proposalId);
  const now = BigInt(await networkHelpers.time.latest());
  if (eta > now) await networkHelpers.time.setNextBlockTimestamp(eta);
}

interface SizeResult {
  voters: number;
  admission: {
    propose: number;
    castVote: { first: number; median: number; last: number; samples: number[] };
    queue: number;
    execute: number;
    total: number;
  };
  castVoteWithReason: number;
  setParamExecute: number;
  announceSecurityChange: number;
  approveUpgradeExecute: number;
  activateSecurityChange: number;
}

let upgradeRound = 0;

async function measureAt(size: number): Promise<SizeResult> {
  while (voters.length < size) await admitNext();
  check(BigInt(voters.length) === (await seats.seatCount()), "seat count");
  const gs = voters.map((v) => governor.connect(v));
  const proposer = gs[0]!;

  // A member security change of the founder chain: announce now, approve by proposal below.
  upgradeRound += 1;
  const newConfig = {
    operator: upgradeRound % 2 === 1 ? applicants[applicants.length - 1]!.address : founderOperator.address,
    verifier: upgradeRound % 2 === 1 ? addr.devVerifier : addr.groth16,
    escapeVerifier: ZeroAddress,
    codeHash: keccakText(`bench code ${upgradeRound}`),
    configHash: keccakText(`bench config ${upgradeRound}`),
  };
  const announce = gas(
    (await (await registry.connect(founderGovernance).announceSecurityChange(founderChainId, newConfig)).wait())!,
  );
  const changeHash = (await registry.pendingSecurityChange(founderChainId)).changeHash;

  // Three proposals side by side: the admission (measured in full), a parameter change (castVoteWithReason
  // by the first voter, execute), and the approval of the security change (execute).
  const applicant = applicants[voters.length - 1]!;
  await deployer.sendTransaction({ to: addr.timelock, value: STAKE });
  const admit = admitProposal(addr.registry, admission(nextChain, applicant.address), STAKE);
  const setParam = setParamProposal(addr.clusterConfig, "UpgradeDelay", 3600n + BigInt(size), `bench setParam ${size}`);
  const approve = approveUpgradeProposal(addr.registry, founderChainId, changeHash);
  const all: ProposalActions[] = [admit, setParam, approve];

  const admitProposed = await propose(proposer, admit);
  const setParamProposed = await propose(proposer, setParam);
  const approveProposed = await propose(proposer, approve);
  await increaseTime((await governor.votingDelay()) + 1n);
  const votes: number[] = [];
  for (const g of gs) votes.push(gas(await castVote(g, admitProposed.proposalId, "for")));
  const withReason = gas(
    await castVote(gs[0]!, setParamProposed.proposalId, "for", "bench: a reason of moderate length, 45 bytes"),
  );
  for (const g of gs.slice(1)) await castVote(g, setParamProposed.proposalId, "for");
  for (const g of gs) await castVote(g, approveProposed.proposalId, "for");
  await increaseTime((await governor.votingPeriod()) + 1n);
  const queued = gas(await queue(proposer, admit));
  for (const a of all.slice(1)) await queue(proposer, a);
  await untilEta(approveProposed.proposalId);
  const admitExecuted = await execute(governor.connect(deployer), admit);
  const setParamExecuted = await execute(governor.connect(deployer), setParam);
  const approveExecuted = await execute(governor.connect(deployer), approve);
  voters.push(applicant);
  nextChain += 1n;
  check((await registry.chainGovernance(nextChain - 1n)) === applicant.address, "admitted");
  check((await clusterConfig.param(8)) === 3600n + BigInt(size), "setParam executed");

  // Activation once UpgradeDelay has passed.
  const p = await registry.pendingSecurityChange(founderChainId);
  check(p.approvedAt > 0n, "approved");
  await networkHelpers.time.setNextBlockTimestamp(p.activatesAt);
  const activate = gas((await (await registry.connect(deployer).activateSecurityChange(founderChainId)).wait())!);
  check((await registry.securityConfig(founderChainId)).operator === newConfig.operator, "activated");

  const proposeGas = gas(admitProposed.receipt);
  const executeGas = gas(admitExecuted);
  return {
    voters: size,
    admission: {
      propose: proposeGas,
      castVote: { first: votes[0]!, median: median(votes), last: votes[votes.length - 1]!, samples: votes },
      queue: queued,
      execute: executeGas,
      total: proposeGas + votes.reduce((s, v) => s + v, 0) + queued + executeGas,
    },
    castVoteWithReason: withReason,
    setParamExecute: gas(setParamExecuted),
    announceSecurityChange: announce,
    approveUpgradeExecute: gas(approveExecuted),
    activateSecurityChange: activate,
  };
}

// The hardhat parameters allow 16 top-level chains; the largest size admits a 17th: raise MaxFanOut first.
{
  const g = governor.connect(founderGovernance);
  await passProposal(g, [g], setParamProposal(addr.clusterConfig, "MaxFanOut", 64n), increaseTime);
}

const results: SizeResult[] = [];
for (const size of SIZES) results.push(await measureAt(size));

// The guardian's pause (once: a second one needs governance to re-arm it).
const pauseGas = gas((await (await clusterConfig.connect(deployer).pause()).wait())!);
check(await clusterConfig.paused(), "paused");
const elapsed = (Date.now() - started) / 1000;

// ------------------------------------------------------------------ report

const fmt = (n: number) => n.toLocaleString("en-US");
const row = (label: string, f: (r: SizeResult) => number | string) =>
  `| ${label} | ${results.map((r) => (typeof f(r) === "number" ? fmt(f(r) as number) : f(r))).join(" | ")} |`;

const lines: string[] = [];
lines.push("# Cluster governance gas");
lines.push("");
lines.push(
  "Generated by `npm run bench:governance` (`scripts/bench-governance.ts`); Hardhat in-process EDR network " +
    "(Prague), solc 0.8.30 with the optimizer at 10,000 runs. Numbers are `gasUsed` of whole transactions " +
    "(21,000 intrinsic and calldata included), from receipts.",
);
lines.push("");
lines.push("## Method");
lines.push("");
lines.push(
  "- The `Cluster` Ignition module with `ignition/parameters/hardhat.json` (OpenZeppelin Governor with " +
    "simple counting, 50 % quorum, timestamp clock; TimelockController with a 60 s delay). Members are " +
    "admitted by proposal (not measured) until the cluster has V voters, one seat each, all top-level chains " +
    "(MaxFanOut is first raised to 64 by proposal so that the 17th fits).",
  "- At each size, an admission proposal for the next member (stake 1 ETH, held by the timelock): `propose`, " +
    "every voter's `castVote` (for), `queue`, `execute` (by a non-member). The whole admission is the sum of " +
    "them all (V votes).",
  "- Beside it, a `setParam` proposal (UpgradeDelay) where the first voter votes with `castVoteWithReason` " +
    "(a 45-byte reason), and the approval of a security change of the founder chain: " +
    "`announceSecurityChange` by the member's governance (no proposal), the approval proposal's `execute`, " +
    "and `activateSecurityChange` by anyone after UpgradeDelay.",
  "- The guardian's `pause` is measured once.",
);
lines.push("");
lines.push("## Gas by number of voters V");
lines.push("");
lines.push(`| step | ${results.map((r) => `V = ${r.voters}`).join(" | ")} |`);
lines.push(`|---|${results.map(() => "---:").join("|")}|`);
lines.push(row("admission: `propose`", (r) => r.admission.propose));
lines.push(row("admission: `castVote` (first vote)", (r) => r.admission.castVote.first));
lines.push(row("admission: `castVote` (median of V)", (r) => r.admission.castVote.median));
lines.push(row("admission: `queue`", (r) => r.admission.queue));
lines.push(row("admission: `execute` (admitChain, stake 1 ETH)", (r) => r.admission.execute));
lines.push(row("**admission, whole (propose + V votes + queue + execute)**", (r) => `**${fmt(r.admission.total)}**`));
lines.push(row("`castVoteWithReason` (45-byte reason)", (r) => r.castVoteWithReason));
lines.push(row("setParam proposal: `execute`", (r) => r.setParamExecute));
lines.push(row("approve-upgrade proposal: `execute`", (r) => r.approveUpgradeExecute));
lines.push(row("`announceSecurityChange` (member's governance)", (r) => r.announceSecurityChange));
lines.push(row("`activateSecurityChange` (anyone, after UpgradeDelay)", (r) => r.activateSecurityChange));
lines.push("");
lines.push(`Guardian \`pause\`: ${fmt(pauseGas)} gas.`);
lines.push("");
const perVote = results.map((r) => r.admission.castVote.median);
const spread = (f: (r: SizeResult) => number) => Math.max(...results.map(f)) - Math.min(...results.map(f));
lines.push(
  `- The cost of a decision grows by one \`castVote\` per voter: ${fmt(results[0]!.admission.castVote.first)} ` +
    `for a proposal's first vote for (its for-count slot goes from zero to non-zero), ` +
    `${fmt(Math.min(...perVote))} for the next ones. \`castVoteWithReason\` is measured as a first vote: its ` +
    `difference to the first \`castVote\` is the reason's calldata and event data.`,
  `- Everything else barely depends on V: \`propose\` varies by ${fmt(spread((r) => r.admission.propose))} gas, ` +
    `\`queue\` by ${fmt(spread((r) => r.admission.queue))} (the quorum lookup in the seats' total-supply ` +
    `checkpoints, which grow by one per admission).`,
  "- The admission's `execute` at V = 4 and V = 16 (chains 5 and 17) includes about 17,000 gas for a fresh " +
    "storage slot of the registry's chain-id list (uint64 ids, four to a slot: every fourth registration " +
    "starts a slot); at V = 1 (chain 2) the slot exists. 1 ETH of stake moved by the timelock costs about " +
    "6,800 gas of it.",
  "- `announceSecurityChange` writes the whole pending change (seven storage slots, zero to non-zero: " +
    "activation deletes them again, for a refund). At V = 1 it is the founder chain's first announcement, " +
    "whose change counter also goes from zero to non-zero (about 17,000 gas more).",
);
const markdown = lines.join("\n") + "\n";

const json = {
  generatedBy: "scripts/bench-governance.ts",
  unit: "gasUsed of the whole transaction",
  parameters: "ignition/parameters/hardhat.json",
  stakeWei: STAKE.toString(),
  bySize: results,
  guardianPause: pauseGas,
};

const formattedMarkdown = await writeBenchmark("governance", markdown, json);

console.log(formattedMarkdown);
console.log(
  `(measured in ${elapsed.toFixed(1)} s; written to benchmarks/governance.md and benchmarks/governance.json)`,
);
const headline = Object.fromEntries(
  results.map((r) => [
    `V${r.voters}`,
    {
      propose: r.admission.propose,
      castVote: r.admission.castVote.median,
      queue: r.admission.queue,
      execute: r.admission.execute,
      admissionTotal: r.admission.total,
    },
  ]),
);
const last = results[results.length - 1]!;
console.log(
  JSON.stringify({
    ...headline,
    castVoteWithReason: last.castVoteWithReason,
    approveUpgradeExecute: last.approveUpgradeExecute,
    activateSecurityChange: last.activateSecurityChange,
    announceSecurityChange: last.announceSecurityChange,
    setParamExecute: last.setParamExecute,
    guardianPause: pauseGas,
  }),
);
