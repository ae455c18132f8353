/**
 * Cluster governance from the command line (`src/cli/clusterkit.ts`) as plain functions over ethers
 * contracts, shared by the CLI and the tests. Each returns the lines it would print.
 *
 * Proposals are built and driven with `src/sdk/governance.ts`; these functions add argument checking,
 * defaults read from the chain, and readable output. A call or transaction the chain rejects is rethrown
 * as a `ChainRejection` whose message names the custom error (`RegistryChangeNotReady(2, 1700003600)`).
 */
import {
  Interface,
  ZeroAddress,
  ZeroHash,
  getAddress,
  isAddress,
  isHexString,
  type ContractTransactionResponse,
  type TransactionReceipt,
} from "ethers";

import type { ClusterConfig, ClusterGovernor, ClusterSeats, ValidiumRegistry } from "../../typechain-types/index.ts";
import {
  PARAM_BY_CLI_NAME,
  PROPOSAL_STATES,
  Param,
  Support,
  admitProposal,
  approveUpgradeProposal,
  castVote,
  describeActions,
  ejectProposal,
  execute as executeActions,
  findProposal,
  formatStatus,
  proposalStatus,
  propose as submitProposal,
  queue as queueActions,
  setGuardianProposal,
  setParamProposal,
  type ParamName,
  type ProposalActions,
  type SecurityConfig,
  type SupportName,
} from "../sdk/governance.ts";
import { CliError, bigintArg } from "./registry-commands.ts";

/** The contracts a governance command may use; the CLI fills in what its options and the chain name. */
export interface GovernanceContracts {
  governor?: ClusterGovernor;
  registry?: ValidiumRegistry;
  config?: ClusterConfig;
  seats?: ClusterSeats;
  /** Extra error ABIs to decode rejections with (the CLI passes every ClusterKit contract's errors). */
  errors?: Interface;
}

type Options = Record<string, string | undefined>;

/** A call or transaction the chain rejected; `message` is the decoded custom error. */
export class ChainRejection extends Error {
  /** The custom error's name, e.g. `RegistryChangeNotReady`. */
  readonly errorName: string;
  constructor(errorName: string, formatted: string, cause: unknown) {
    super(`rejected by the chain: ${formatted}`, { cause });
    this.name = "ChainRejection";
    this.errorName = errorName;
  }
}

/** OpenZeppelin TimelockController errors, which bubble up through the governor's queue and execute. */
const TIMELOCK_ERRORS = new Interface([
  "error TimelockInvalidOperationLength(uint256 targets, uint256 payloads, uint256 values)",
  "error TimelockInsufficientDelay(uint256 delay, uint256 minDelay)",
  "error TimelockUnexpectedOperationState(bytes32 operationId, bytes32 expectedStates)",
  "error TimelockUnexecutedPredecessor(bytes32 predecessorId)",
  "error TimelockUnauthorizedCaller(address caller)",
  "error FailedCall()",
]);

/** Revert data carried by an ethers or provider error (a hex string), wherever the provider put it. */
export function revertData(err: unknown): string | undefined {
  const queue: unknown[] = [err];
  const seen = new Set<unknown>();
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const r = e as Record<string, unknown>;
    if (typeof r.data === "string" && isHexString(r.data) && r.data.length >= 10) return r.data;
    for (const k of ["data", "error", "info", "cause", "revert"]) queue.push(r[k]);
  }
  return undefined;
}

/** `[name, "Name(arg, …)"]` for revert data matching one of `ifaces`' errors, or undefined. */
export function formatRevert(data: string | undefined, ...ifaces: Interface[]): [string, string] | undefined {
  if (data === undefined) return undefined;
  for (const iface of ifaces) {
    let parsed;
    try {
      parsed = iface.parseError(data);
    } catch {
      continue;
    }
    if (parsed === null) continue;
    const args = parsed.args.map((a: unknown, i: number) =>
      // The governor reports proposal states as a number: name it.
      parsed.name === "GovernorUnexpectedProposalState" && i === 1
        ? `${a} (${PROPOSAL_STATES[Number(a)] ?? "?"})`
        : String(a),
    );
    return [parsed.name, `${parsed.name}(${args.join(", ")})`];
  }
  return undefined;
}

function errorInterfaces(c: GovernanceContracts): Interface[] {
  const own = [c.governor, c.registry, c.config, c.seats].flatMap((x) => (x ? [x.interface as Interface] : []));
  return [...own, ...(c.errors ? [c.errors] : []), TIMELOCK_ERRORS];
}

/** Runs `body`, turning a rejection by the chain into a `ChainRejection` that names its custom error. */
async function guarded(c: GovernanceContracts, body: () => Promise<string[]>): Promise<string[]> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof CliError || e instanceof ChainRejection) throw e;
    const decoded = formatRevert(revertData(e), ...errorInterfaces(c));
    if (decoded !== undefined) throw new ChainRejection(decoded[0], decoded[1], e);
    throw e;
  }
}

const ENV: Record<string, string> = {
  governor: "CLUSTERKIT_GOVERNOR",
  registry: "CLUSTERKIT_REGISTRY",
  config: "CLUSTERKIT_CONFIG",
};

function need<K extends "governor" | "registry" | "config" | "seats">(
  c: GovernanceContracts,
  name: K,
): NonNullable<GovernanceContracts[K]> {
  const contract = c[name];
  if (contract === undefined) {
    const how = name === "seats" ? "--registry" : `--${name} (or ${ENV[name]})`;
    throw new CliError(`this command needs the ${name} contract: ${how}`);
  }
  return contract as NonNullable<GovernanceContracts[K]>;
}

function addressArg(name: string, value: string | undefined, fallback?: string): string {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new CliError(`--${name} is required`);
  }
  if (!isAddress(value)) throw new CliError(`--${name} must be an address (0x + 40 hex digits), got "${value}"`);
  return getAddress(value);
}

function bytes32Arg(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (!isHexString(value, 32)) throw new CliError(`--${name} must be 32 bytes of hex (0x + 64 digits)`);
  return value;
}

function proposalArg(o: Options): bigint {
  return bigintArg("proposal", o.proposal);
}

function fromBlockArg(o: Options): number {
  return Number(bigintArg("from-block", o["from-block"], 0n));
}

function txLine(r: TransactionReceipt): string {
  return `tx ${r.hash} in block ${r.blockNumber}, gas ${r.gasUsed}`;
}

async function mined(tx: ContractTransactionResponse): Promise<TransactionReceipt> {
  const r = await tx.wait();
  if (r === null) throw new CliError(`transaction ${tx.hash} was not mined`);
  return r;
}

/** Names for the cluster contracts' addresses, for decoded actions. */
async function labels(c: GovernanceContracts): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (c.registry) out[await c.registry.getAddress()] = "registry";
  if (c.config) out[await c.config.getAddress()] = "config";
  if (c.governor) out[await c.governor.timelock()] = "timelock";
  return out;
}

async function now(c: GovernanceContracts): Promise<bigint> {
  const runner = (c.governor ?? c.registry ?? c.config)?.runner;
  const block = runner?.provider ? await runner.provider.getBlock("latest") : null;
  if (!block) throw new CliError("no provider to read the latest block from");
  return BigInt(block.timestamp);
}

/** `t (in Ns)` or `t (Ns ago)` relative to `at`. */
function when(t: bigint, at: bigint): string {
  return t >= at ? `${t} (in ${t - at} s)` : `${t} (${at - t} s ago)`;
}

/** Looks up a proposal's actions, as a CliError that suggests --from-block when it is not found. */
async function actionsOf(governor: ClusterGovernor, id: bigint, o: Options) {
  const from = fromBlockArg(o);
  try {
    return await findProposal(governor, id, from);
  } catch (e) {
    if ((e as Error).message?.startsWith("no ProposalCreated event")) {
      throw new CliError(`proposal ${id} was not created at or after block ${from} (see --from-block)`);
    }
    throw e;
  }
}

/*//////////////////////////////////////////////////////////////
                              PROPOSE
//////////////////////////////////////////////////////////////*/

/** Where an admission's stake comes from, and whether it reaches the minimum (checked again on execution). */
async function stakeNotes(c: GovernanceContracts, chainId: bigint, extra: bigint): Promise<string[]> {
  const registry = need(c, "registry");
  const [[applicant, deposited], { minStake }] = await Promise.all([
    registry.admissionStake(chainId),
    registry.limits(),
  ]);
  const lines = [
    deposited === 0n
      ? `  stake: nothing deposited for chain ${chainId} (the applicant runs \`apply --chain ${chainId} --stake WEI\`)`
      : `  stake: ${applicant} deposited ${deposited} wei for chain ${chainId}`,
  ];
  if (extra > 0n) {
    const governor = need(c, "governor");
    const timelock = await governor.timelock();
    const balance = (await governor.runner?.provider?.getBalance(timelock)) ?? 0n;
    lines.push(`  plus ${extra} wei from the timelock ${timelock}, which holds ${balance} wei now`);
  }
  if (deposited + extra < minStake) {
    lines.push(
      `  warning: ${deposited + extra} wei is below the minimum stake ${minStake}: execution will revert unless more is deposited`,
    );
  }
  return lines;
}

export const PROPOSE_KINDS = ["admit", "eject", "approve-upgrade", "set-param", "set-guardian"] as const;

/** `propose <kind>`: builds the proposal, submits it from the signer (a seat holder) and prints its id. */
export async function propose(c: GovernanceContracts, kind: string | undefined, o: Options): Promise<string[]> {
  const governor = need(c, "governor");
  return guarded(c, async () => {
    const notes: string[] = [];
    let actions: ProposalActions;
    switch (kind) {
      case "admit": {
        const registry = need(c, "registry");
        const chainId = bigintArg("chain", o.chain);
        // --stake is value the timelock adds from its own balance; the applicant's deposit (`apply`) is
        // added by the registry when the admission executes.
        const extra = bigintArg("stake", o.stake, 0n);
        actions = admitProposal(
          await registry.getAddress(),
          {
            chainId,
            parent: bigintArg("parent", o.parent, 0n),
            governance: addressArg("governance", o.governance),
            security: {
              operator: addressArg("operator", o.operator),
              verifier: addressArg("verifier", o.verifier),
              escapeVerifier: addressArg("escape-verifier", o["escape-verifier"], ZeroAddress),
              codeHash: bytes32Arg("code-hash", o["code-hash"], ZeroHash),
              configHash: bytes32Arg("config-hash", o["config-hash"], ZeroHash),
            },
            genesisRoot: bytes32Arg("genesis", o.genesis, ZeroHash),
          },
          extra,
          o.description,
        );
        notes.push(...(await stakeNotes(c, chainId, extra)));
        break;
      }
      case "eject":
        actions = ejectProposal(await need(c, "registry").getAddress(), bigintArg("chain", o.chain), o.description);
        break;
      case "approve-upgrade": {
        const registry = need(c, "registry");
        const chainId = bigintArg("chain", o.chain);
        const pending = await registry.pendingSecurityChange(chainId);
        const changeHash = bytes32Arg("change-hash", o["change-hash"], pending.changeHash);
        if (changeHash === ZeroHash) {
          throw new CliError(`chain ${chainId} has no pending security change (announce-upgrade first)`);
        }
        actions = approveUpgradeProposal(await registry.getAddress(), chainId, changeHash, o.description);
        break;
      }
      case "set-param": {
        const config = need(c, "config");
        const name = paramArg(o.param);
        const value = bigintArg("value", o.value);
        const [min, max] = await config.bounds(Param[name]);
        if (value < min || value > max) {
          throw new CliError(`--value ${value} is outside the bounds of ${o.param}: [${min}, ${max}]`);
        }
        actions = setParamProposal(await config.getAddress(), name, value, o.description);
        break;
      }
      case "set-guardian":
        actions = setGuardianProposal(
          await need(c, "config").getAddress(),
          addressArg("guardian", o.guardian),
          o.description,
        );
        break;
      default:
        throw new CliError(`propose what? one of: ${PROPOSE_KINDS.join(", ")}`);
    }
    const { proposalId, receipt } = await submitProposal(governor, actions);
    const [start, end] = await Promise.all([
      governor.proposalSnapshot(proposalId),
      governor.proposalDeadline(proposalId),
    ]);
    return [
      `proposal ${proposalId}`,
      `  description: ${actions.description}`,
      ...describeActions(actions, await labels(c)).map((a) => `  action: ${a}`),
      ...notes,
      `  voting opens after ${start} and closes at ${end} (timestamps)`,
      `  ${txLine(receipt)}`,
    ];
  });
}

/**
 * `apply`: an applicant deposits its admission stake for a chain id with the registry before the cluster
 * votes (the admission adds it to the chain's stake; the applicant can take it back until then).
 */
export async function apply(c: GovernanceContracts, o: Options): Promise<string[]> {
  const registry = need(c, "registry");
  const chainId = bigintArg("chain", o.chain);
  const stake = bigintArg("stake", o.stake);
  return guarded(c, async () => {
    const receipt = await mined(await registry.depositAdmissionStake(chainId, { value: stake }));
    const [applicant, total] = await registry.admissionStake(chainId);
    const { minStake } = await registry.limits();
    return [
      `${applicant} deposited ${stake} wei for chain ${chainId} (total ${total} wei, minimum stake ${minStake} wei)`,
      `  next: a member proposes the admission (propose admit --chain ${chainId} --governance … --operator … --verifier …)`,
      `  ${txLine(receipt)}`,
    ];
  });
}

function paramArg(value: string | undefined): ParamName {
  if (value === undefined) throw new CliError("--param is required");
  const name = PARAM_BY_CLI_NAME[value.toLowerCase()];
  if (name === undefined) {
    throw new CliError(`unknown --param "${value}": one of ${Object.keys(PARAM_BY_CLI_NAME).join(", ")}`);
  }
  return name;
}

/*//////////////////////////////////////////////////////////////
                      VOTE, QUEUE, EXECUTE, STATUS
//////////////////////////////////////////////////////////////*/

/** `vote`: casts the signer's vote (its seats' weight at the proposal's snapshot). */
export async function vote(c: GovernanceContracts, o: Options): Promise<string[]> {
  const governor = need(c, "governor");
  const id = proposalArg(o);
  const support = (o.support ?? "").toLowerCase();
  if (!Object.hasOwn(Support, support)) throw new CliError("--support must be for, against or abstain");
  return guarded(c, async () => {
    const receipt = await castVote(governor, id, support as SupportName, o.reason);
    let weight = "?";
    for (const log of receipt.logs) {
      const parsed = governor.interface.parseLog(log);
      if (parsed?.name === "VoteCast") weight = String(parsed.args.weight);
    }
    const s = await proposalStatus(governor, id);
    return [
      `voted ${support} on proposal ${id} with weight ${weight}${o.reason === undefined ? "" : ` ("${o.reason}")`}`,
      `  now ${s.state}: for ${s.forVotes}, against ${s.againstVotes}, abstain ${s.abstainVotes}, quorum ${s.quorum}`,
      `  ${txLine(receipt)}`,
    ];
  });
}

/** `queue`: queues a succeeded proposal in the timelock (its actions recovered from its creation event). */
export async function queue(c: GovernanceContracts, o: Options): Promise<string[]> {
  const governor = need(c, "governor");
  const id = proposalArg(o);
  return guarded(c, async () => {
    const actions = await actionsOf(governor, id, o);
    const receipt = await queueActions(governor, actions);
    const eta = await governor.proposalEta(id);
    return [`queued proposal ${id}: executable from ${when(eta, await now(c))}`, `  ${txLine(receipt)}`];
  });
}

/** `execute`: executes a queued proposal whose timelock delay has passed. */
export async function execute(c: GovernanceContracts, o: Options): Promise<string[]> {
  const governor = need(c, "governor");
  const id = proposalArg(o);
  return guarded(c, async () => {
    const actions = await actionsOf(governor, id, o);
    const receipt = await executeActions(governor, actions);
    return [
      `executed proposal ${id}`,
      ...describeActions(actions, await labels(c)).map((a) => `  done: ${a}`),
      `  ${txLine(receipt)}`,
    ];
  });
}

/** `status`: the proposal's state, votes, quorum and timings, then its description and decoded actions. */
export async function status(c: GovernanceContracts, o: Options): Promise<string[]> {
  const governor = need(c, "governor");
  const id = proposalArg(o);
  return guarded(c, async () => {
    const s = await proposalStatus(governor, id);
    const actions = await actionsOf(governor, id, o);
    return [
      ...formatStatus(s),
      `now         ${await now(c)}`,
      `proposer    ${actions.proposer}`,
      `description ${actions.description}`,
      "actions:",
      ...describeActions(actions, await labels(c)).map((a) => `  ${a}`),
    ];
  });
}

/*//////////////////////////////////////////////////////////////
                         MEMBER UPGRADES
//////////////////////////////////////////////////////////////*/

const SECURITY_FIELDS: Array<[keyof SecurityConfig, string]> = [
  ["operator", "operator"],
  ["verifier", "verifier"],
  ["escapeVerifier", "escape-verifier"],
  ["codeHash", "code-hash"],
  ["configHash", "config-hash"],
];

function securityOf(s: SecurityConfig): SecurityConfig {
  return {
    operator: s.operator,
    verifier: s.verifier,
    escapeVerifier: s.escapeVerifier,
    codeHash: s.codeHash,
    configHash: s.configHash,
  };
}

function diff(before: SecurityConfig, after: SecurityConfig): string[] {
  const lines = SECURITY_FIELDS.filter(([k]) => before[k].toLowerCase() !== after[k].toLowerCase()).map(
    ([k, flag]) => `  ${flag}: ${before[k]} -> ${after[k]}`,
  );
  return lines.length > 0 ? lines : ["  (no field changes)"];
}

/**
 * `announce-upgrade`: the member's governance (the signer) announces a new security configuration;
 * fields not given keep their current value.
 */
export async function announceUpgrade(c: GovernanceContracts, o: Options): Promise<string[]> {
  const registry = need(c, "registry");
  const chainId = bigintArg("chain", o.chain);
  return guarded(c, async () => {
    const current = securityOf(await registry.securityConfig(chainId));
    const next: SecurityConfig = {
      operator: addressArg("operator", o.operator, current.operator),
      verifier: addressArg("verifier", o.verifier, current.verifier),
      escapeVerifier: addressArg("escape-verifier", o["escape-verifier"], current.escapeVerifier),
      codeHash: bytes32Arg("code-hash", o["code-hash"], current.codeHash),
      configHash: bytes32Arg("config-hash", o["config-hash"], current.configHash),
    };
    const receipt = await mined(await registry.announceSecurityChange(chainId, next));
    const pending = await registry.pendingSecurityChange(chainId);
    const delay = c.config ? await c.config.param(Param.UpgradeDelay) : undefined;
    return [
      `chain ${chainId} announced security change ${pending.changeHash}`,
      ...diff(current, next),
      `  next: a proposal approves it (propose approve-upgrade --chain ${chainId}), then activate-upgrade ` +
        (delay === undefined ? "after the upgrade delay" : `${delay} s after the approval`),
      `  ${txLine(receipt)}`,
    ];
  });
}

/** `activate-upgrade`: activates an approved change once its delay has passed (anyone may send it). */
export async function activateUpgrade(c: GovernanceContracts, o: Options): Promise<string[]> {
  const registry = need(c, "registry");
  const chainId = bigintArg("chain", o.chain);
  return guarded(c, async () => {
    const before = securityOf(await registry.securityConfig(chainId));
    const pending = await registry.pendingSecurityChange(chainId);
    const receipt = await mined(await registry.activateSecurityChange(chainId));
    const after = securityOf(await registry.securityConfig(chainId));
    return [
      `chain ${chainId} activated security change ${pending.changeHash}`,
      ...diff(before, after),
      `  ${txLine(receipt)}`,
    ];
  });
}

/*//////////////////////////////////////////////////////////////
                     GUARDIAN, PARAMETERS, MEMBERS
//////////////////////////////////////////////////////////////*/

/** `pause`: the guardian pauses user entry points (once, until governance re-arms it). */
export async function pause(c: GovernanceContracts): Promise<string[]> {
  const config = need(c, "config");
  return guarded(c, async () => {
    const receipt = await mined(await config.pause());
    const until = await config.pausedUntil();
    return [`cluster paused until ${when(until, await now(c))}`, `  ${txLine(receipt)}`];
  });
}

/** `unpause`: the guardian (or governance) lifts the pause early. */
export async function unpause(c: GovernanceContracts): Promise<string[]> {
  const config = need(c, "config");
  return guarded(c, async () => {
    const receipt = await mined(await config.unpause());
    return [
      `cluster unpaused; the guardian's pause is ${(await config.pauseArmed()) ? "armed" : "spent until governance re-arms it"}`,
      `  ${txLine(receipt)}`,
    ];
  });
}

const UNITS: Record<ParamName, string> = {
  ForcedDeadline: "s",
  ForcedFee: "wei",
  ForcedPerBlock: "ops",
  ElectionVotingPeriod: "s",
  ElectionBond: "wei",
  MaxFanOut: "children",
  MaxDepth: "levels",
  MinStake: "wei",
  UpgradeDelay: "s",
  PauseDuration: "s",
  Delta: "s",
};

/** `params`: every cluster parameter with its unit and hard bounds, then the guardian and the pause. */
export async function params(c: GovernanceContracts): Promise<string[]> {
  const config = need(c, "config");
  return guarded(c, async () => {
    const rows: string[][] = [["param", "value", "unit", "min", "max"]];
    for (const [cliName, name] of Object.entries(PARAM_BY_CLI_NAME)) {
      const [value, [min, max]] = await Promise.all([config.param(Param[name]), config.bounds(Param[name])]);
      rows.push([cliName, String(value), UNITS[name], String(min), String(max)]);
    }
    const [guardian, paused, until, armed] = await Promise.all([
      config.guardian(),
      config.paused(),
      config.pausedUntil(),
      config.pauseArmed(),
    ]);
    return [
      ...table(rows),
      `guardian ${guardian}: ${paused ? `paused until ${until}` : "not paused"}, pause ${armed ? "armed" : "not armed"}`,
    ];
  });
}

const STATUS_NAME = ["none", "active", "frozen", "ejected"];

/** `members`: every registered chain with its status, seat holder and votes. */
export async function members(c: GovernanceContracts): Promise<string[]> {
  const registry = need(c, "registry");
  const seats = need(c, "seats");
  return guarded(c, async () => {
    const rows: string[][] = [["chain", "parent", "status", "seat holder", "votes", "operator", "stake"]];
    const n = await registry.chainCount();
    for (let i = 0n; i < n; i++) {
      const id = await registry.chainIdAt(i);
      const info = await registry.chain(id);
      const seated = await seats.hasSeat(id);
      const holder = seated ? await seats.ownerOf(id) : undefined;
      rows.push([
        String(id),
        String(info.parent),
        STATUS_NAME[Number(info.status)] ?? "?",
        holder ?? "-",
        holder ? String(await seats.getVotes(holder)) : "0",
        info.operator,
        String(info.stake),
      ]);
    }
    const count = await seats.seatCount();
    const lines = [`${n} chains, ${count} seats`];
    if (c.governor) {
      // GovernorVotesQuorumFraction: numerator/denominator of the seats at the snapshot, rounded down.
      const [num, den] = await Promise.all([c.governor["quorumNumerator()"](), c.governor.quorumDenominator()]);
      lines[0] += `; quorum of a proposal made now ${(count * num) / den} (${num}/${den} of the seats, rounded down)`;
    }
    return [...lines, ...table(rows)];
  });
}

/** Left-aligned columns separated by two spaces. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  return rows.map((r) =>
    r
      .map((cell, j) => cell.padEnd(widths[j]!))
      .join("  ")
      .trimEnd(),
  );
}
