/**
 * ClusterKit's security commands (`src/cli/clusterkit.ts`) as plain functions over ethers contracts, shared by
 * the CLI and the tests; each returns the lines it would print. They drive `src/sdk/security.ts`: withdrawal
 * claims, forced withdrawals and messages, freezing a chain, the escape hatch, deposit reclaims and emergency
 * elections. Every transaction prints its hash, block, gas and decoded events; a call or transaction the chain
 * rejects is rethrown as a `ChainRejection` naming the custom error and its arguments
 * (`RequestQueueDeadlineNotPassed(1, 5, 1700604800)`), and a refusal found before sending anything (a missing
 * option, nothing overdue) as a `CliError`.
 */
import { readFileSync } from "node:fs";

import { Interface, getAddress, isAddress, isHexString } from "ethers";

import type { IEmergencyElection, RequestQueue, ValidiumRegistry } from "../../typechain-types/index.ts";
import { getCrypto } from "../ledger/crypto.ts";
import { LedgerEncodingError } from "../ledger/encoding.ts";
import { EscapeProofError } from "../ledger/escape.ts";
import { Wallet } from "../ledger/wallet.ts";
import {
  claimWithdrawal,
  escape as escapeAccount,
  finalizeElection as settleElection,
  forceMessage as queueForcedMessage,
  forceWithdrawal as queueForcedWithdrawal,
  freezeOverdue,
  ledgerAt,
  listElections,
  reclaimDeposit,
  replayNodeHistory,
  SecurityError,
  startElection as openElection,
  voteElection as castElectionVote,
  withdrawalsOf,
  type TxResult,
  type WithdrawalEntry,
} from "../sdk/security.ts";
import { ChainRejection, formatRevert, revertData } from "./governance-commands.ts";
import { CliError, bigintArg } from "./registry-commands.ts";

/** The contracts a security command may use; the CLI fills in what its options and the chain name. */
export interface SecurityContracts {
  queue?: RequestQueue;
  registry?: ValidiumRegistry;
  election?: IEmergencyElection;
  /** Extra error ABIs to decode rejections with (the CLI passes every ClusterKit contract's errors). */
  errors?: Interface;
}

type Options = Record<string, string | undefined>;

/** Errors of the contracts a payout or forced request reaches besides the queue and the registry. */
function artifactErrors(): Interface[] {
  const out: Interface[] = [
    new Interface([
      "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
      "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
      "error ReentrancyGuardReentrantCall()",
    ]),
  ];
  for (const path of [
    "verifiers/LedgerEscapeVerifier.sol/LedgerEscapeVerifier.json",
    "verifiers/LedgerSignatureVerifier.sol/LedgerSignatureVerifier.json",
    "governance/ClusterConfig.sol/ClusterConfig.json",
    "interfaces/IEmergencyElection.sol/IEmergencyElection.json",
  ]) {
    try {
      const url = new URL(`../../artifacts/contracts/${path}`, import.meta.url);
      const { abi } = JSON.parse(readFileSync(url, "utf8")) as { abi: Array<{ type: string }> };
      out.push(new Interface(abi.filter((f) => f.type === "error") as never));
    } catch {
      // not built: its errors stay undecoded
    }
  }
  return out;
}

let extraErrors: Interface[] | undefined;

function errorInterfaces(c: SecurityContracts): Interface[] {
  extraErrors ??= artifactErrors();
  const own = [c.queue, c.registry, c.election].flatMap((x) => (x ? [x.interface as Interface] : []));
  return [...own, ...(c.errors ? [c.errors] : []), ...extraErrors];
}

/** Runs `body`; a chain rejection becomes a `ChainRejection` naming its custom error, a refusal a `CliError`. */
async function guarded(c: SecurityContracts, body: () => Promise<string[]>): Promise<string[]> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof CliError || e instanceof ChainRejection) throw e;
    const refusal = e instanceof SecurityError || e instanceof EscapeProofError || e instanceof LedgerEncodingError;
    if (refusal) throw new CliError(e.message, { cause: e });
    const decoded = formatRevert(revertData(e), ...errorInterfaces(c));
    if (decoded !== undefined) throw new ChainRejection(decoded[0], decoded[1], e);
    throw e;
  }
}

function need<K extends "queue" | "registry" | "election">(
  c: SecurityContracts,
  name: K,
): NonNullable<SecurityContracts[K]> {
  const contract = c[name];
  if (contract === undefined) {
    const how = { queue: "--queue (or CLUSTERKIT_QUEUE)", registry: "--registry (or CLUSTERKIT_REGISTRY)" } as Record<
      string,
      string
    >;
    throw new CliError(
      `this command needs the ${name} contract: ${how[name] ?? "--election-contract (or CLUSTERKIT_ELECTION)"}`,
    );
  }
  return contract as NonNullable<SecurityContracts[K]>;
}

function required(name: string, value: string | undefined): string {
  if (value === undefined || value === "") throw new CliError(`--${name} is required`);
  return value;
}

function addressArg(name: string, value: string | undefined): string {
  const v = required(name, value);
  if (!isAddress(v)) throw new CliError(`--${name} must be an address (0x + 40 hex digits), got "${v}"`);
  return getAddress(v);
}

function slotArg(o: Options): number {
  const slot = bigintArg("slot", o.slot);
  if (slot >= 2n ** 32n) throw new CliError("--slot must be below 2^32");
  return Number(slot);
}

async function signerAddress(contract: RequestQueue | IEmergencyElection): Promise<string> {
  const runner = contract.runner as { getAddress?: () => Promise<string> } | null;
  if (typeof runner?.getAddress !== "function") throw new CliError("this command needs a signer");
  return getAddress(await runner.getAddress());
}

function show(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  return String(v);
}

/** `tx … in block …, gas …` and one `event Name(arg=value, …)` line per decoded event. */
export function txLines(r: TxResult): string[] {
  return [
    `  tx ${r.hash} in block ${r.blockNumber}, gas ${r.gasUsed}`,
    ...r.events.map(
      (e) =>
        `  event ${e.name}(${Object.entries(e.args)
          .map(([k, v]) => `${k}=${show(v)}`)
          .join(", ")})`,
    ),
  ];
}

/*//////////////////////////////////////////////////////////////
                            PAYOUTS
//////////////////////////////////////////////////////////////*/

function describeEntry(chainId: bigint, w: WithdrawalEntry): string {
  return `entry ${w.k} of commitment #${w.index} of chain ${chainId}: ${w.amount} of token ${w.tokenId} to ${w.recipient}`;
}

/**
 * `claim --chain ID --data-dir DIR [--index I --entry K]`: claims withdrawal entry K of final commitment I,
 * its withdrawal list rebuilt from the node's data directory; without --index/--entry, every unclaimed entry of
 * a final commitment of the data directory whose recipient is the signer.
 */
export function claim(c: SecurityContracts, o: Options): Promise<string[]> {
  return guarded(c, async () => {
    const queue = need(c, "queue");
    const registry = need(c, "registry");
    const chainId = bigintArg("chain", o.chain);
    const dataDir = required("data-dir", o["data-dir"]);
    const crypto = await getCrypto();
    const history = await replayNodeHistory(dataDir, crypto);
    if (history.chainId !== chainId) throw new CliError(`${dataDir} holds chain ${history.chainId}, not ${chainId}`);
    if ((o.index === undefined) !== (o.entry === undefined))
      throw new CliError("give both --index and --entry, or neither");
    const lines: string[] = [];
    if (o.index !== undefined) {
      const index = Number(bigintArg("index", o.index));
      const k = Number(bigintArg("entry", o.entry));
      const { entries, withdrawals } = withdrawalsOf(history, index);
      const w = withdrawals.find((x) => x.k === k);
      if (w === undefined) throw new CliError(`entry ${k} of commitment #${index} of chain ${chainId} is empty`);
      const tx = await claimWithdrawal(queue, registry, crypto, chainId, w, entries);
      return [`claimed ${describeEntry(chainId, w)}`, ...txLines(tx)];
    }
    const me = await signerAddress(queue);
    const [finalized] = await registry.finalizedCommitment(chainId);
    let claimed = 0;
    let pending = 0;
    for (const { batch } of history.replayed) {
      if (BigInt(batch.withdrawalRoot) === 0n) continue;
      const { entries, withdrawals } = withdrawalsOf(history, batch.commitmentIndex);
      for (const w of withdrawals.filter((x) => x.recipient === me)) {
        if (w.index > Number(finalized)) {
          pending++;
          continue;
        }
        if (await queue.isWithdrawalClaimed(chainId, w.index, w.k)) continue;
        const tx = await claimWithdrawal(queue, registry, crypto, chainId, w, entries);
        lines.push(`claimed ${describeEntry(chainId, w)}`, ...txLines(tx));
        claimed++;
      }
    }
    if (claimed === 0)
      lines.push(`no unclaimed final withdrawal to ${me} in ${dataDir} (final commitment #${finalized})`);
    if (pending > 0) lines.push(`${pending} withdrawal(s) to ${me} wait for their commitment to become final`);
    if (history.stoppedAt) lines.push(`note: ${history.stoppedAt.reason}; later batches were not searched`);
    return lines;
  });
}

/**
 * `escape --chain ID --data-dir DIR --seed S --slot I --recipient ADDR`: pays account I of a frozen chain its
 * balance in the chain's last final state (rebuilt from the node's data directory), signed by the account's
 * ledger key (seed S), to ADDR.
 */
export function escape(c: SecurityContracts, o: Options): Promise<string[]> {
  return guarded(c, async () => {
    const queue = need(c, "queue");
    const registry = need(c, "registry");
    const chainId = bigintArg("chain", o.chain);
    const dataDir = required("data-dir", o["data-dir"]);
    const slot = slotArg(o);
    const recipient = addressArg("recipient", o.recipient);
    const crypto = await getCrypto();
    const wallet = Wallet.fromSeed(required("seed", o.seed), crypto);
    const history = await replayNodeHistory(dataDir, crypto);
    if (history.chainId !== chainId) throw new CliError(`${dataDir} holds chain ${history.chainId}, not ${chainId}`);
    const [index, info] = await registry.finalizedCommitment(chainId);
    const ledger = ledgerAt(history, Number(index), info.root);
    const { proof, tx } = await escapeAccount(queue, registry, ledger, wallet, slot, recipient);
    const leaf = proof.proof.leaf;
    return [
      `escaped slot ${slot} of chain ${chainId} (final commitment #${index}, l2 block ${proof.proof.header.l2Block}): ` +
        `${leaf.balance} of token ${leaf.tokenId} to ${proof.recipient}`,
      ...txLines(tx),
    ];
  });
}

/** `reclaim --chain ID --position P`: pays an unconsumed deposit of a frozen chain back to its refund address. */
export function reclaim(c: SecurityContracts, o: Options): Promise<string[]> {
  return guarded(c, async () => {
    const queue = need(c, "queue");
    const chainId = bigintArg("chain", o.chain);
    const position = bigintArg("position", o.position);
    const tx = await reclaimDeposit(queue, chainId, position);
    return [`reclaimed the deposit at position ${position} of chain ${chainId}`, ...txLines(tx)];
  });
}

/*//////////////////////////////////////////////////////////////
                        FORCED OPERATIONS
//////////////////////////////////////////////////////////////*/

/** A token option: an address registered with the queue, or a token id (0: ETH). */
async function tokenIdArg(queue: RequestQueue, value: string | undefined): Promise<bigint> {
  if (value === undefined) return 0n;
  if (isAddress(value)) {
    const id = await queue.tokenIdOf(value);
    if (id === 0n) throw new CliError(`token ${value} is not registered with the request queue`);
    return id;
  }
  const id = bigintArg("token", value);
  if (id >= 2n ** 32n) throw new CliError("--token must be an address or a token id below 2^32");
  return id;
}

/**
 * `force-withdraw --chain ID --seed S --slot I [--token T] --amount N --recipient ADDR [--salt X]`: queues a
 * forced withdrawal of N of token T (an id, 0 = ETH, or a registered address) from slot I, signed with the
 * account's ledger key, paying the `ForcedFee` parameter.
 */
export function forceWithdraw(c: SecurityContracts, o: Options): Promise<string[]> {
  return guarded(c, async () => {
    const queue = need(c, "queue");
    const registry = need(c, "registry");
    const chainId = bigintArg("chain", o.chain);
    const slot = slotArg(o);
    const tokenId = await tokenIdArg(queue, o.token);
    const amount = bigintArg("amount", o.amount);
    const recipient = addressArg("recipient", o.recipient);
    const salt = o.salt === undefined ? undefined : bigintArg("salt", o.salt);
    const crypto = await getCrypto();
    const wallet = Wallet.fromSeed(required("seed", o.seed), crypto);
    const { fee, tx } = await queueForcedWithdrawal(queue, registry, crypto, wallet, {
      chainId,
      slot,
      tokenId,
      amount,
      recipient,
      salt,
    });
    const queued = tx.events.find((e) => e.name === "ForcedRequestQueued");
    return [
      `forced withdrawal of ${amount} of token ${tokenId} from slot ${slot} of chain ${chainId} to ${recipient}` +
        ` (fee ${fee} wei${queued ? `, position ${show(queued.args.position)}, deadline ${show(queued.args.deadline)}` : ""})`,
      ...txLines(tx),
    ];
  });
}

/** `force-message --chain ID --payload HEX32`: queues a forced message, paying the `ForcedFee` parameter. */
export function forceMessage(c: SecurityContracts, o: Options): Promise<string[]> {
  return guarded(c, async () => {
    const queue = need(c, "queue");
    const registry = need(c, "registry");
    const chainId = bigintArg("chain", o.chain);
    const payload = required("payload", o.payload);
    if (!isHexString(payload, 32)) throw new CliError("--payload must be 32 bytes of hex (0x + 64 digits)");
    const { fee, tx } = await queueForcedMessage(queue, registry, chainId, payload);
    const queued = tx.events.find((e) => e.name === "ForcedRequestQueued");
    return [
      `forced message ${payload} into chain ${chainId} (fee ${fee} wei` +
        `${queued ? `, position ${show(queued.args.position)}, deadline ${show(queued.args.deadline)}` : ""})`,
      ...txLines(tx),
    ];
  });
}

/**
 * `freeze --chain ID [--position P]`: freezes the chain over the forced request at P, or over its first
 * overdue unconsumed forced request; refuses, listing the deadlines, when none is overdue.
 */
export function freeze(c: SecurityContracts, o: Options): Promise<string[]> {
  return guarded(c, async () => {
    const queue = need(c, "queue");
    const registry = need(c, "registry");
    const chainId = bigintArg("chain", o.chain);
    const position = o.position === undefined ? undefined : bigintArg("position", o.position);
    const r = await freezeOverdue(queue, registry, chainId, position);
    return [`froze chain ${chainId} over the forced request at position ${r.position}`, ...txLines(r.tx)];
  });
}

/*//////////////////////////////////////////////////////////////
                      EMERGENCY ELECTIONS
//////////////////////////////////////////////////////////////*/

/** `start-election --chain ID --candidate ADDR`: opens an election, bonding the `ElectionBond` parameter. */
export function startElection(c: SecurityContracts, o: Options): Promise<string[]> {
  return guarded(c, async () => {
    const election = need(c, "election");
    const registry = need(c, "registry");
    const chainId = bigintArg("chain", o.chain);
    const candidate = addressArg("candidate", o.candidate);
    const { bond, tx } = await openElection(election, registry, chainId, candidate);
    const started = tx.events.find((e) => e.name === "ElectionStarted");
    return [
      `election ${started ? show(started.args.electionId) : "?"} on chain ${chainId} for ${candidate} ` +
        `(bond ${bond} wei${started ? `, open until ${show(started.args.deadline)}` : ""})`,
      ...txLines(tx),
    ];
  });
}

function electionIdArg(o: Options): bigint {
  return bigintArg("election", o.election);
}

/** `vote-election --election ID --voter CHAIN`: the voter chain's operator votes for the election. */
export function voteElection(c: SecurityContracts, o: Options): Promise<string[]> {
  return guarded(c, async () => {
    const election = need(c, "election");
    const id = electionIdArg(o);
    const voter = bigintArg("voter", o.voter);
    const tx = await castElectionVote(election, id, voter);
    const [votes, electorate] = await election.tally(id);
    return [`chain ${voter} votes for election ${id} (${votes}/${electorate})`, ...txLines(tx)];
  });
}

/** `finalize-election --election ID`: settles an Open election (Succeeded, Expired or Superseded). */
export function finalizeElection(c: SecurityContracts, o: Options): Promise<string[]> {
  return guarded(c, async () => {
    const election = need(c, "election");
    const id = electionIdArg(o);
    const { state, tx } = await settleElection(election, id);
    return [`election ${id}: ${state}`, ...txLines(tx)];
  });
}

/** `elections [--chain ID]`: id, chain, candidate, state, votes/electorate and deadline of every election. */
export function elections(c: SecurityContracts, o: Options): Promise<string[]> {
  return guarded(c, async () => {
    const election = need(c, "election");
    const chainId = o.chain === undefined ? undefined : bigintArg("chain", o.chain);
    const rows = await listElections(election, chainId);
    if (rows.length === 0) return [chainId === undefined ? "no elections" : `no elections on chain ${chainId}`];
    const table = [
      ["id", "chain", "candidate", "state", "votes", "deadline"],
      ...rows.map((r) => [
        String(r.id),
        String(r.chainId),
        r.candidate,
        r.state,
        `${r.votes}/${r.electorate}`,
        String(r.deadline),
      ]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    return table.map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
  });
}
