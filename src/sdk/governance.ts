/**
 * Cluster governance from TypeScript (docs/GOVERNANCE.md): building the proposals the cluster votes on
 * (admit, eject, approve a member's security change, rotate a member's governance, set a parameter, replace
 * the guardian), and driving them through the OpenZeppelin Governor: propose, vote, queue, execute, status.
 * Shared by the CLI (`src/cli/governance-commands.ts`), the demo and the tests.
 *
 * A proposal is identified on chain by `hashProposal(targets, values, calldatas, keccak256(description))`;
 * `findProposal` recovers the actions of an existing proposal from its `ProposalCreated` event, so queue
 * and execute need nothing but the proposal id.
 */
import {
  Interface,
  id as keccakText,
  type ContractTransactionResponse,
  type ParamType,
  type Result,
  type TransactionReceipt,
} from "ethers";

import type { ClusterGovernor } from "../../typechain-types/index.ts";

/** IClusterConfig.Param, as numbered on chain. */
export const Param = {
  ForcedDeadline: 0,
  ForcedFee: 1,
  ForcedPerBlock: 2,
  ElectionVotingPeriod: 3,
  ElectionBond: 4,
  MaxFanOut: 5,
  MaxDepth: 6,
  MinStake: 7,
  UpgradeDelay: 8,
  PauseDuration: 9,
  Delta: 10,
} as const;
export type ParamName = keyof typeof Param;

/** CLI spelling of each parameter (kebab case) → its `Param` name. */
export const PARAM_BY_CLI_NAME: Record<string, ParamName> = Object.fromEntries(
  (Object.keys(Param) as ParamName[]).map((name) => [name.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase(), name]),
);

/** IGovernor.ProposalState, in on-chain order. */
export const PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Expired",
  "Executed",
] as const;
export type ProposalStateName = (typeof PROPOSAL_STATES)[number];

/** GovernorCountingSimple's support values. */
export const Support = { against: 0, for: 1, abstain: 2 } as const;
export type SupportName = keyof typeof Support;

/** IValidiumRegistry.SecurityConfig. */
export interface SecurityConfig {
  operator: string;
  verifier: string;
  escapeVerifier: string;
  codeHash: string;
  configHash: string;
}

/** IValidiumRegistry.Admission. */
export interface Admission {
  chainId: bigint;
  parent: bigint;
  governance: string;
  security: SecurityConfig;
  genesisRoot: string;
}

/** The calls a proposal makes, and its description (which is part of its id). */
export interface ProposalActions {
  targets: string[];
  values: bigint[];
  calldatas: string[];
  description: string;
}

const REGISTRY = new Interface([
  "function admitChain((uint64 chainId, uint64 parent, address governance, (address operator, address verifier, address escapeVerifier, bytes32 codeHash, bytes32 configHash) security, bytes32 genesisRoot) admission) payable",
  "function setChainStatus(uint64 chainId, uint8 status)",
  "function approveSecurityChange(uint64 chainId, bytes32 changeHash)",
  "function cancelSecurityChange(uint64 chainId)",
  "function setChainGovernance(uint64 chainId, address newGovernance)",
]);
const CONFIG = new Interface([
  "function setParam(uint256 param, uint256 value)",
  "function setGuardian(address newGuardian)",
  "function unpause()",
]);
const EJECTED = 3;

/**
 * Admission of a member: one call. The stake is normally deposited beforehand by the applicant with
 * `registry.depositAdmissionStake(chainId)` and added by the registry; `stake` here is extra value the
 * timelock pays from its own balance when it executes (default 0).
 */
export function admitProposal(
  registry: string,
  admission: Admission,
  stake = 0n,
  description?: string,
): ProposalActions {
  return {
    targets: [registry],
    values: [stake],
    calldatas: [REGISTRY.encodeFunctionData("admitChain", [admission])],
    description:
      description ??
      `Admit chain ${admission.chainId} under ${admission.parent}: governance ${admission.governance}, ` +
        `operator ${admission.security.operator}, verifier ${admission.security.verifier}, ` +
        `code ${admission.security.codeHash}, config ${admission.security.configHash}` +
        (stake > 0n ? `, plus ${stake} wei of stake from the timelock` : ""),
  };
}

/** Ejection of a member: its status becomes Ejected and its seat is burned. */
export function ejectProposal(registry: string, chainId: bigint, description?: string): ProposalActions {
  return {
    targets: [registry],
    values: [0n],
    calldatas: [REGISTRY.encodeFunctionData("setChainStatus", [chainId, EJECTED])],
    description: description ?? `Eject chain ${chainId}`,
  };
}

/** Approval of a member's announced security change, named by its hash. */
export function approveUpgradeProposal(
  registry: string,
  chainId: bigint,
  changeHash: string,
  description?: string,
): ProposalActions {
  return {
    targets: [registry],
    values: [0n],
    calldatas: [REGISTRY.encodeFunctionData("approveSecurityChange", [chainId, changeHash])],
    description: description ?? `Approve security change ${changeHash} of chain ${chainId}`,
  };
}

/**
 * A new governance address for a member (its seat is burned and re-minted to `newGovernance`, with its vote):
 * the cluster's way to recover a member whose governance key is lost. Executed by the timelock, which holds
 * the registry's APPROVER_ROLE.
 */
export function setChainGovernanceProposal(
  registry: string,
  chainId: bigint,
  newGovernance: string,
  description?: string,
): ProposalActions {
  return {
    targets: [registry],
    values: [0n],
    calldatas: [REGISTRY.encodeFunctionData("setChainGovernance", [chainId, newGovernance])],
    description: description ?? `Set the governance of chain ${chainId} to ${newGovernance}`,
  };
}

/** A new value for one cluster parameter (checked against its bounds when executed). */
export function setParamProposal(
  config: string,
  param: ParamName,
  value: bigint,
  description?: string,
): ProposalActions {
  return {
    targets: [config],
    values: [0n],
    calldatas: [CONFIG.encodeFunctionData("setParam", [Param[param], value])],
    description: description ?? `Set ${param} to ${value}`,
  };
}

/** A new guardian (which re-arms its single pause). */
export function setGuardianProposal(config: string, guardian: string, description?: string): ProposalActions {
  return {
    targets: [config],
    values: [0n],
    calldatas: [CONFIG.encodeFunctionData("setGuardian", [guardian])],
    description: description ?? `Set the guardian to ${guardian}`,
  };
}

/** Several proposals' calls as one proposal (all or nothing). */
export function combine(description: string, ...parts: ProposalActions[]): ProposalActions {
  return {
    targets: parts.flatMap((p) => p.targets),
    values: parts.flatMap((p) => p.values),
    calldatas: parts.flatMap((p) => p.calldatas),
    description,
  };
}

/** The proposal id the governor will assign to `actions`. */
export async function proposalIdOf(governor: ClusterGovernor, actions: ProposalActions): Promise<bigint> {
  return governor.hashProposal(actions.targets, actions.values, actions.calldatas, keccakText(actions.description));
}

async function mined(tx: ContractTransactionResponse): Promise<TransactionReceipt> {
  const receipt = await tx.wait();
  if (receipt === null) throw new Error(`transaction ${tx.hash} was not mined`);
  return receipt;
}

/** Submits `actions` as a proposal (the signer must hold at least `proposalThreshold()` seats). */
export async function propose(
  governor: ClusterGovernor,
  actions: ProposalActions,
): Promise<{ proposalId: bigint; receipt: TransactionReceipt }> {
  const proposalId = await proposalIdOf(governor, actions);
  const receipt = await mined(
    await governor.propose(actions.targets, actions.values, actions.calldatas, actions.description),
  );
  return { proposalId, receipt };
}

/** Casts the signer's vote (with a reason when given). */
export async function castVote(
  governor: ClusterGovernor,
  proposalId: bigint,
  support: SupportName,
  reason?: string,
): Promise<TransactionReceipt> {
  const tx =
    reason === undefined
      ? await governor.castVote(proposalId, Support[support])
      : await governor.castVoteWithReason(proposalId, Support[support], reason);
  return mined(tx);
}

/** Queues a succeeded proposal in the timelock. */
export async function queue(governor: ClusterGovernor, actions: ProposalActions): Promise<TransactionReceipt> {
  return mined(
    await governor.queue(actions.targets, actions.values, actions.calldatas, keccakText(actions.description)),
  );
}

/** Executes a queued proposal whose timelock delay has passed. */
export async function execute(governor: ClusterGovernor, actions: ProposalActions): Promise<TransactionReceipt> {
  return mined(
    await governor.execute(actions.targets, actions.values, actions.calldatas, keccakText(actions.description)),
  );
}

/** Recovers a proposal's actions from its `ProposalCreated` event (scanning from `fromBlock`). */
export async function findProposal(
  governor: ClusterGovernor,
  proposalId: bigint,
  fromBlock = 0,
): Promise<ProposalActions & { proposer: string }> {
  const events = await governor.queryFilter(governor.filters.ProposalCreated(), fromBlock);
  for (const e of events) {
    if (e.args.proposalId === proposalId) {
      return {
        proposer: e.args.proposer,
        targets: [...e.args.targets],
        values: [...e.args[3]],
        calldatas: [...e.args.calldatas],
        description: e.args.description,
      };
    }
  }
  throw new Error(`no ProposalCreated event for proposal ${proposalId} from block ${fromBlock}`);
}

/** Where a proposal stands. */
export interface ProposalStatus {
  proposalId: bigint;
  state: ProposalStateName;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  /** Votes (for + abstain) needed, at the snapshot (while Pending: with the seats of the previous second). */
  quorum: bigint;
  /** Voting opens after this timestamp (the snapshot). */
  voteStart: bigint;
  /** Voting closes after this timestamp. */
  voteEnd: bigint;
  /** When the timelock lets it execute (0 until queued). */
  eta: bigint;
}

/** A proposal's state, votes, quorum and timings. */
export async function proposalStatus(governor: ClusterGovernor, proposalId: bigint): Promise<ProposalStatus> {
  const [state, votes, voteStart, voteEnd, eta] = await Promise.all([
    governor.state(proposalId),
    governor.proposalVotes(proposalId),
    governor.proposalSnapshot(proposalId),
    governor.proposalDeadline(proposalId),
    governor.proposalEta(proposalId),
  ]);
  // Before its snapshot a proposal has no quorum yet (the seats cannot be read at a future timepoint:
  // ERC5805FutureLookup); while Pending, report what the quorum would be with the seats of now.
  const pending = PROPOSAL_STATES[Number(state)] === "Pending";
  const quorum = await governor.quorum(pending ? (await governor.clock()) - 1n : voteStart);
  return {
    proposalId,
    state: PROPOSAL_STATES[Number(state)]!,
    againstVotes: votes[0],
    forVotes: votes[1],
    abstainVotes: votes[2],
    quorum,
    voteStart,
    voteEnd,
    eta,
  };
}

/** A status as a two-column table. */
export function formatStatus(s: ProposalStatus): string[] {
  const rows: Array<[string, string]> = [
    ["proposal", s.proposalId.toString()],
    ["state", s.state],
    ["for", s.forVotes.toString()],
    ["against", s.againstVotes.toString()],
    ["abstain", s.abstainVotes.toString()],
    ["quorum", s.quorum.toString()],
    ["vote start", s.voteStart.toString()],
    ["vote end", s.voteEnd.toString()],
    ["eta", s.eta === 0n ? "-" : s.eta.toString()],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
}

/**
 * Time-travel helper for the in-process network only: a proposal from the `proposer` signer's governor,
 * every `voters` governor votes for it, then it is queued and executed, advancing time past each delay.
 * Returns the proposal id. Tests and the demo use it; on a live network use the CLI steps instead.
 */
export async function passProposal(
  governor: ClusterGovernor,
  voters: ClusterGovernor[],
  actions: ProposalActions,
  increaseTime: (seconds: bigint) => Promise<void>,
): Promise<bigint> {
  const { proposalId } = await propose(governor, actions);
  await increaseTime((await governor.votingDelay()) + 1n);
  for (const v of voters) await castVote(v, proposalId, "for");
  await increaseTime((await governor.votingPeriod()) + 1n);
  await queue(governor, actions);
  const eta = await governor.proposalEta(proposalId);
  const provider = governor.runner?.provider;
  const block = provider ? await provider.getBlock("latest") : null;
  const now = BigInt(block?.timestamp ?? 0);
  if (eta > now) await increaseTime(eta - now);
  await execute(governor, actions);
  return proposalId;
}

const PARAM_NAMES = Object.keys(Param) as ParamName[];
const CHAIN_STATUS_NAMES = ["None", "Active", "Frozen", "Ejected"];

/** One decoded argument, readably: structs as `{name: value, …}`, arrays as `[…]`. */
function formatArg(type: ParamType, value: unknown): string {
  if (type.isTuple()) {
    const r = value as Result;
    return `{${type.components.map((c, i) => `${c.name}: ${formatArg(c, r[i])}`).join(", ")}}`;
  }
  if (type.isArray()) return `[${[...(value as Result)].map((v) => formatArg(type.arrayChildren, v)).join(", ")}]`;
  return String(value);
}

/**
 * A proposal's calls as readable lines, `label.function(arg: value, …)` (and the wei each carries), for
 * the calls the builders above make; any other call is shown by its selector. `labels` names targets by
 * address (e.g. `{ [registryAddress]: "registry" }`).
 */
export function describeActions(
  actions: Pick<ProposalActions, "targets" | "values" | "calldatas">,
  labels: Record<string, string> = {},
): string[] {
  const byAddress = new Map(Object.entries(labels).map(([address, label]) => [address.toLowerCase(), label]));
  return actions.targets.map((target, i) => {
    const data = actions.calldatas[i]!;
    const value = actions.values[i]!;
    const label = byAddress.get(target.toLowerCase()) ?? target;
    const carried = value === 0n ? "" : ` with ${value} wei`;
    const parsed = REGISTRY.parseTransaction({ data }) ?? CONFIG.parseTransaction({ data });
    if (parsed === null) return `${label}: call ${data.slice(0, 10)} (${(data.length - 2) / 2} bytes)${carried}`;
    const args = parsed.fragment.inputs.map((input, j) => {
      const v = parsed.args[j];
      let shown = formatArg(input, v);
      if (parsed.name === "setParam" && j === 0) shown = `${PARAM_NAMES[Number(v)] ?? "unknown"} (${v})`;
      if (parsed.name === "setChainStatus" && j === 1) shown = `${CHAIN_STATUS_NAMES[Number(v)] ?? "unknown"} (${v})`;
      return `${input.name}: ${shown}`;
    });
    return `${label}.${parsed.name}(${args.join(", ")})${carried}`;
  });
}
