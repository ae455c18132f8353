/**
 * ClusterKit's security features as typed functions over ethers contracts (docs/PROTOCOL.md "Forced operations
 * and freeze", "Payouts"; docs/LEDGER.md §4, §6, §9; contracts/interfaces/IEmergencyElection.sol): deposits
 * (ETH, ERC-20), withdrawal claims, forced withdrawals and messages, freezing a chain over an overdue forced
 * request, the escape hatch, deposit reclaims and emergency elections.
 *
 * Every transaction function waits for the receipt and returns a {@link TxResult} with the events the target
 * contract emitted, decoded. Rejections are not caught here: callers decode them (src/cli/security-commands.ts).
 *
 * The ledger state a claim or an escape needs is rebuilt from a reference validium node's data directory
 * (src/node/store.ts) by {@link replayNodeHistory}: the node keeps the queue items it read and one record per
 * settled batch, and every replayed batch is checked against the roots the node recorded.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";

import {
  Contract,
  getAddress,
  toBeHex,
  type BaseContract,
  type ContractRunner,
  type ContractTransactionResponse,
  type Interface,
  type TransactionReceipt,
} from "ethers";

import type { IEmergencyElection, RequestQueue, ValidiumRegistry } from "../../typechain-types/index.ts";
import type { LedgerCrypto } from "../ledger/crypto.ts";
import { merkleRootOf } from "../ledger/encoding.ts";
import { buildEscapeProof, type BuiltEscapeProof } from "../ledger/escape.ts";
import { Ledger } from "../ledger/ledger.ts";
import { FIELD_R, OpType, type BatchTrace, type Op } from "../ledger/types.ts";
import type { Wallet } from "../ledger/wallet.ts";
import { deserializeOp, queueItemOf, readState, type SerializedOp, type SettledBatch } from "../node/store.ts";
import { Param } from "./governance.ts";

/** A decoded event: its name and its arguments by name. */
export interface DecodedEvent {
  name: string;
  args: Record<string, unknown>;
}

/** A mined transaction: hash, block, gas and the target contract's decoded events. */
export interface TxResult {
  hash: string;
  blockNumber: number;
  gasUsed: bigint;
  events: DecodedEvent[];
}

/** Thrown when a security action cannot be carried out for a reason found before sending anything. */
export class SecurityError extends Error {
  override name = "SecurityError";
}

/** `IEmergencyElection.ElectionState` names, by value. */
export const ELECTION_STATES = ["None", "Open", "Succeeded", "Expired", "Superseded"] as const;

/** The ERC-20 functions a deposit needs. */
const ERC20_ABI = [
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "event Approval(address indexed owner, address indexed spender, uint256 value)",
];

const CONFIG_ABI = ["function param(uint256 p) view returns (uint256)"];

/** Decodes the logs of `receipt` emitted by `contract` (others are skipped). */
export async function decodeEvents(contract: BaseContract, receipt: TransactionReceipt): Promise<DecodedEvent[]> {
  const address = (await contract.getAddress()).toLowerCase();
  const iface = contract.interface as Interface;
  const out: DecodedEvent[] = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address) continue;
    const parsed = iface.parseLog({ topics: [...log.topics], data: log.data });
    if (parsed === null) continue;
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((input, i) => (args[input.name] = parsed.args[i] as unknown));
    out.push({ name: parsed.name, args });
  }
  return out;
}

/** Waits for `tx` and returns its {@link TxResult}, decoding `contract`'s events. */
export async function mined(contract: BaseContract, tx: Promise<ContractTransactionResponse>): Promise<TxResult> {
  const sent = await tx;
  const receipt = await sent.wait();
  if (receipt === null) throw new SecurityError(`transaction ${sent.hash} was not mined`);
  return {
    hash: receipt.hash,
    blockNumber: receipt.blockNumber,
    gasUsed: receipt.gasUsed,
    events: await decodeEvents(contract, receipt),
  };
}

/** The current value of a cluster parameter, read from the registry's cluster configuration. */
export async function clusterParam(registry: ValidiumRegistry, param: number): Promise<bigint> {
  const config = new Contract(await registry.clusterConfig(), CONFIG_ABI, registry.runner);
  return (await config.getFunction("param")(param)) as bigint;
}

/** The timestamp of the latest block. */
async function latestTimestamp(runner: ContractRunner | null): Promise<bigint> {
  const block = runner?.provider ? await runner.provider.getBlock("latest") : null;
  if (!block) throw new SecurityError("no provider to read the latest block from");
  return BigInt(block.timestamp);
}

/*//////////////////////////////////////////////////////////////
                            DEPOSITS
//////////////////////////////////////////////////////////////*/

/** A deposit into account slot `slot` of `chainId` for the key with hash `keyHash`. */
export interface DepositParams {
  chainId: bigint;
  slot: number;
  keyHash: bigint;
  /** Where the settlement chain pays the deposit back if the chain refunds it. */
  refund: string;
}

/** Queues an ETH deposit of `value` wei (`RequestQueue.depositEth`). */
export function depositEth(queue: RequestQueue, p: DepositParams & { value: bigint }): Promise<TxResult> {
  return mined(queue, queue.depositEth(p.chainId, p.slot, p.keyHash, p.refund, { value: p.value }));
}

/** `depositErc20`'s result: the approval when one was needed, the deposit, the token's id. */
export interface Erc20DepositResult {
  tokenId: bigint;
  approval?: TxResult;
  deposit: TxResult;
}

/**
 * Queues a deposit of `amount` of the registered ERC-20 `token`: approves the queue for `amount` first when the
 * sender's allowance is short, then calls `RequestQueue.depositErc20` (the queue's runner sends both).
 * @throws SecurityError when the token is not registered with the queue.
 */
export async function depositErc20(
  queue: RequestQueue,
  p: DepositParams & { token: string; amount: bigint },
): Promise<Erc20DepositResult> {
  const tokenId = await queue.tokenIdOf(p.token);
  if (tokenId === 0n) throw new SecurityError(`token ${p.token} is not registered with the request queue`);
  const runner = queue.runner as (ContractRunner & { getAddress?: () => Promise<string> }) | null;
  if (typeof runner?.getAddress !== "function") throw new SecurityError("depositErc20 needs a signer");
  const owner = await runner.getAddress();
  const spender = await queue.getAddress();
  const erc20 = new Contract(p.token, ERC20_ABI, runner);
  let approval: TxResult | undefined;
  const allowance = (await erc20.getFunction("allowance")(owner, spender)) as bigint;
  if (allowance < p.amount) {
    approval = await mined(erc20, erc20.getFunction("approve")(spender, p.amount) as never);
  }
  const deposit = await mined(queue, queue.depositErc20(p.chainId, tokenId, p.slot, p.keyHash, p.refund, p.amount));
  return { tokenId, approval, deposit };
}

/*//////////////////////////////////////////////////////////////
                        FORCED OPERATIONS
//////////////////////////////////////////////////////////////*/

/** The fields of a forced withdrawal the owner signs (docs/LEDGER.md §4). */
export interface ForcedWithdrawalFields {
  chainId: bigint;
  slot: number;
  tokenId: bigint;
  amount: bigint;
  recipient: string;
  /** Any field element; distinguishes equal withdrawals. */
  salt: bigint;
}

/** The owner-signed `ILedgerSignatureVerifier.ForcedWithdrawal` that `RequestQueue.forceWithdrawal` takes. */
export interface SignedForcedWithdrawal {
  slot: bigint;
  tokenId: bigint;
  amount: bigint;
  recipient: string;
  salt: bigint;
  ax: bigint;
  ay: bigint;
  r8x: bigint;
  r8y: bigint;
  s: bigint;
}

/** `M = H_4(5, chainId, slot, H_4(uint160(recipient), tokenId, amount, salt))` (docs/LEDGER.md §4). */
export function forcedWithdrawalMessage(crypto: LedgerCrypto, f: ForcedWithdrawalFields): bigint {
  const inner = crypto.poseidon([BigInt(getAddress(f.recipient)), f.tokenId, f.amount, f.salt]);
  return crypto.poseidon([5n, f.chainId, BigInt(f.slot), inner]);
}

/** Signs a forced withdrawal with the account's ledger wallet. */
export function signForcedWithdrawal(
  crypto: LedgerCrypto,
  wallet: Wallet,
  f: ForcedWithdrawalFields,
): SignedForcedWithdrawal {
  const sig = wallet.sign(forcedWithdrawalMessage(crypto, f));
  return {
    slot: BigInt(f.slot),
    tokenId: f.tokenId,
    amount: f.amount,
    recipient: getAddress(f.recipient),
    salt: f.salt,
    ax: wallet.pubKey.Ax,
    ay: wallet.pubKey.Ay,
    r8x: sig.R8x,
    r8y: sig.R8y,
    s: sig.S,
  };
}

/** A random salt below the field order (248 bits). */
export function randomSalt(): bigint {
  return BigInt("0x" + randomBytes(31).toString("hex")) % FIELD_R;
}

/** `forceWithdrawal`'s and `forceMessage`'s result: the fee paid and the transaction. */
export interface ForcedResult {
  fee: bigint;
  tx: TxResult;
}

/**
 * Queues a forced withdrawal signed by `wallet` (the owner of the slot), paying the `ForcedFee` parameter.
 * `salt` defaults to a random field element.
 */
export async function forceWithdrawal(
  queue: RequestQueue,
  registry: ValidiumRegistry,
  crypto: LedgerCrypto,
  wallet: Wallet,
  f: Omit<ForcedWithdrawalFields, "salt"> & { salt?: bigint },
): Promise<ForcedResult & { signed: SignedForcedWithdrawal }> {
  const fee = await clusterParam(registry, Param.ForcedFee);
  const signed = signForcedWithdrawal(crypto, wallet, { ...f, salt: f.salt ?? randomSalt() });
  const tx = await mined(queue, queue.forceWithdrawal(f.chainId, signed, { value: fee }));
  return { fee, tx, signed };
}

/** Queues a forced message of the 32-byte `payload`, paying the `ForcedFee` parameter. */
export async function forceMessage(
  queue: RequestQueue,
  registry: ValidiumRegistry,
  chainId: bigint,
  payload: string,
): Promise<ForcedResult> {
  const fee = await clusterParam(registry, Param.ForcedFee);
  return { fee, tx: await mined(queue, queue.forceMessage(chainId, payload, { value: fee })) };
}

/** A forced request of a chain and whether it can freeze the chain now. */
export interface ForcedRequest {
  position: bigint;
  /** 2: withdrawal, 3: message. */
  kind: number;
  /** `max(stored deadline, operatorSince + ForcedDeadline)`: the chain can be frozen after it. */
  effectiveDeadline: bigint;
  /** Whether the chain's latest commitment consumed it. */
  consumed: boolean;
  /** Unconsumed and past its effective deadline (at `now`). */
  overdue: boolean;
}

/** The chain's forced requests (from `ForcedRequestQueued` events), with their effective deadlines at `now`. */
export async function forcedRequests(
  queue: RequestQueue,
  registry: ValidiumRegistry,
  chainId: bigint,
  now?: bigint,
): Promise<ForcedRequest[]> {
  const at = now ?? (await latestTimestamp(queue.runner));
  const consumedUpTo = await registry.queuePosition(chainId);
  const restarted = (await registry.operatorSince(chainId)) + (await clusterParam(registry, Param.ForcedDeadline));
  const events = await queue.queryFilter(queue.filters.ForcedRequestQueued(chainId));
  const out: ForcedRequest[] = [];
  for (const ev of events) {
    const position = ev.args.position;
    const stored = await queue.forcedDeadline(chainId, position);
    const effectiveDeadline = stored > restarted ? stored : restarted;
    const consumed = position <= consumedUpTo;
    out.push({
      position,
      kind: Number(ev.args.kind),
      effectiveDeadline,
      consumed,
      overdue: !consumed && at > effectiveDeadline,
    });
  }
  return out.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
}

/** `freezeOverdue`'s result: the position it froze the chain over and the transaction. */
export interface FreezeResult {
  position: bigint;
  tx: TxResult;
}

/**
 * Freezes `chainId` over the forced request at `position`, or, without it, over the chain's first overdue
 * unconsumed forced request (`RequestQueue.freeze`).
 * @throws SecurityError without `position` when no forced request is overdue; the message lists the
 *   unconsumed ones with their effective deadlines.
 */
export async function freezeOverdue(
  queue: RequestQueue,
  registry: ValidiumRegistry,
  chainId: bigint,
  position?: bigint,
): Promise<FreezeResult> {
  let target = position;
  if (target === undefined) {
    const now = await latestTimestamp(queue.runner);
    const requests = await forcedRequests(queue, registry, chainId, now);
    const first = requests.find((r) => r.overdue);
    if (first === undefined) {
      const waiting = requests.filter((r) => !r.consumed);
      if (waiting.length === 0) {
        throw new SecurityError(`chain ${chainId} has no unconsumed forced request: it cannot be frozen`);
      }
      const list = waiting
        .map((r) => `position ${r.position} deadline ${r.effectiveDeadline} (in ${r.effectiveDeadline - now + 1n}s)`)
        .join(", ");
      throw new SecurityError(`chain ${chainId} has no overdue forced request (now ${now}): ${list}`);
    }
    target = first.position;
  }
  return { position: target, tx: await mined(queue, queue.freeze(chainId, target)) };
}

/*//////////////////////////////////////////////////////////////
                             PAYOUTS
//////////////////////////////////////////////////////////////*/

/** The `H_2` Merkle path of entry `k` over a withdrawal list (a power of two of entries), leaf level first. */
export function withdrawalPath(crypto: LedgerCrypto, entries: readonly bigint[], k: number): bigint[] {
  if (!Number.isInteger(k) || k < 0 || k >= entries.length) {
    throw new SecurityError(`entry ${k} is not in a withdrawal list of ${entries.length}`);
  }
  merkleRootOf(crypto, entries); // checks the power-of-two length
  const path: bigint[] = [];
  let level = [...entries];
  let i = k;
  while (level.length > 1) {
    path.push(level[i ^ 1]!);
    const next: bigint[] = [];
    for (let j = 0; j < level.length; j += 2) next.push(crypto.poseidon([level[j]!, level[j + 1]!]));
    level = next;
    i >>= 1;
  }
  return path;
}

/** One entry of a batch's withdrawal list. */
export interface WithdrawalEntry {
  /** The commitment that listed it. */
  index: number;
  /** Its slot in the list. */
  k: number;
  recipient: string;
  tokenId: bigint;
  amount: bigint;
}

/**
 * Claims withdrawal entry `w` of a final commitment (`RequestQueue.claimWithdrawal`), proving it with the
 * batch's whole withdrawal list `entries` (`E_0 … E_{K-1}`).
 * @throws SecurityError when the list's root is not the commitment's withdrawal root in the registry.
 */
export async function claimWithdrawal(
  queue: RequestQueue,
  registry: ValidiumRegistry,
  crypto: LedgerCrypto,
  chainId: bigint,
  w: WithdrawalEntry,
  entries: readonly bigint[],
): Promise<TxResult> {
  const root = BigInt(await registry.withdrawalRoot(chainId, w.index));
  const listed = merkleRootOf(crypto, entries);
  if (root !== listed) {
    throw new SecurityError(
      `the withdrawal list of commitment #${w.index} hashes to ${toBeHex(listed, 32)}, ` +
        `the registry holds ${toBeHex(root, 32)}`,
    );
  }
  const siblings = withdrawalPath(crypto, entries, w.k);
  return mined(queue, queue.claimWithdrawal(chainId, w.index, w.k, w.recipient, w.tokenId, w.amount, siblings));
}

/** `escape`'s result: the proof and the transaction. */
export interface EscapeResult {
  proof: BuiltEscapeProof;
  tx: TxResult;
}

/**
 * Escapes account `slot` of a frozen chain (`RequestQueue.escape`) with a proof built by `buildEscapeProof`
 * against `finalLedger`, which must be the ledger state of the chain's newest final commitment.
 * @throws SecurityError when `finalLedger`'s root is not the registry's finalized root.
 */
export async function escape(
  queue: RequestQueue,
  registry: ValidiumRegistry,
  finalLedger: Ledger,
  wallet: Wallet,
  slot: number,
  recipient: string,
): Promise<EscapeResult> {
  const [index, info] = await registry.finalizedCommitment(finalLedger.chainId);
  if (BigInt(info.root) !== finalLedger.stateRoot()) {
    throw new SecurityError(
      `the ledger's root ${toBeHex(finalLedger.stateRoot(), 32)} is not chain ${finalLedger.chainId}'s final ` +
        `root ${info.root} (commitment #${index})`,
    );
  }
  const proof = buildEscapeProof(finalLedger, wallet, slot, recipient);
  return { proof, tx: await mined(queue, queue.escape(finalLedger.chainId, proof.recipient, proof.encoded)) };
}

/** A queued item's words, from its `RequestQueued` event. */
export async function queueItemAt(
  queue: RequestQueue,
  chainId: bigint,
  position: bigint,
): Promise<{ w0: bigint; w1: bigint; w2: bigint }> {
  const [ev] = await queue.queryFilter(queue.filters.RequestQueued(chainId, position));
  if (ev === undefined) throw new SecurityError(`chain ${chainId}'s queue has no item at position ${position}`);
  return { w0: ev.args.w0, w1: ev.args.w1, w2: ev.args.w2 };
}

/** Reclaims the unconsumed deposit at `position` of a frozen chain (words read from its `RequestQueued` event). */
export async function reclaimDeposit(queue: RequestQueue, chainId: bigint, position: bigint): Promise<TxResult> {
  const { w0, w1, w2 } = await queueItemAt(queue, chainId, position);
  return mined(queue, queue.reclaimDeposit(chainId, position, w0, w1, w2));
}

/*//////////////////////////////////////////////////////////////
                      NODE DATA DIRECTORY
//////////////////////////////////////////////////////////////*/

/**
 * A settled batch as the node records it, with the user operations it included when the node keeps them
 * (`userOps`, serialized like the mempool). Without them, a batch that included transfers or withdrawals
 * cannot be replayed.
 */
export type RecordedBatch = SettledBatch & { userOps?: SerializedOp[] };

/** One replayed batch: its record, the ledger after it and its trace (withdrawal list included). */
export interface ReplayedBatch {
  batch: RecordedBatch;
  ledger: Ledger;
  trace: BatchTrace;
}

/** A node's history, replayed from its data directory. */
export interface NodeHistory {
  chainId: bigint;
  /** The node's current ledger (the chain's latest commitment when the node is in sync). */
  current: Ledger;
  /** The batches that could be replayed, in order (a prefix of the node's batches). */
  replayed: ReplayedBatch[];
  /** Why replaying stopped early, if it did. */
  stoppedAt?: { batch: RecordedBatch; reason: string };
}

/**
 * Rebuilds the ledger after every settled batch of the node whose data directory is `dataDir`, from the
 * genesis state, the queue items the node stored and (for user operations) each batch's `userOps`. Each
 * replayed batch must give the state root and withdrawal root the node recorded for it; replaying stops at the
 * first batch it cannot rebuild.
 * @throws SecurityError when the directory holds no node state.
 */
export async function replayNodeHistory(dataDir: string, crypto: LedgerCrypto): Promise<NodeHistory> {
  const path = join(dataDir, "state.json");
  const state = readState(path);
  if (!state) throw new SecurityError(`no node state at ${path}`);
  const current = Ledger.fromJSONWithCrypto(crypto, state.ledger);
  const { chainId, K, D } = current;
  let ledger = Ledger.withCrypto(crypto, { chainId, K, D });
  const replayed: ReplayedBatch[] = [];
  const items = new Map(state.queue.map((q) => [BigInt(q.position), queueItemOf(q)]));
  for (const batch of state.batches as RecordedBatch[]) {
    const stop = (reason: string): NodeHistory => ({ chainId, current, replayed, stoppedAt: { batch, reason } });
    const ops: Op[] = [];
    for (let p = ledger.header().queuePosition + 1n; p <= BigInt(batch.queuePosition); p++) {
      const item = items.get(p);
      if (item === undefined) return stop(`queue item ${p} is not in the data directory`);
      ops.push({ type: OpType.QueueItem, item });
    }
    const userCount = batch.ops.transfers + batch.ops.withdrawals;
    if (userCount > 0) {
      if (batch.userOps === undefined || batch.userOps.length !== userCount) {
        return stop(`batch ${batch.l2Block}'s ${userCount} user operation(s) are not in the data directory`);
      }
      ops.push(...batch.userOps.map(deserializeOp));
    }
    const next = ledger.clone();
    let trace: BatchTrace;
    try {
      trace = next.executeBatch(ops);
    } catch (e) {
      return stop(`batch ${batch.l2Block} does not replay: ${(e as Error).message}`);
    }
    if (trace.newRoot !== BigInt(batch.newRoot) || trace.withdrawalRoot !== BigInt(batch.withdrawalRoot)) {
      return stop(`batch ${batch.l2Block} replays to other roots than the node recorded`);
    }
    ledger = next;
    replayed.push({ batch, ledger, trace });
  }
  return { chainId, current, replayed };
}

/**
 * The ledger state of commitment `index` of the history's chain (`rootHex` its registry root): the node's
 * current ledger when its root matches, else the replayed batch with that commitment index and root.
 * @throws SecurityError when the data directory cannot give it, saying why.
 */
export function ledgerAt(history: NodeHistory, index: number, rootHex: string): Ledger {
  const root = BigInt(rootHex);
  if (history.current.stateRoot() === root) return history.current;
  const found = history.replayed.find((r) => r.batch.commitmentIndex === index && r.ledger.stateRoot() === root);
  if (found) return found.ledger;
  const why = history.stoppedAt ? `: replaying stopped, ${history.stoppedAt.reason}` : "";
  throw new SecurityError(
    `the data directory does not hold chain ${history.chainId}'s state of commitment #${index}${why}`,
  );
}

/** The withdrawal list (`E_0 … E_{K-1}`) and its non-zero entries of commitment `index`, from a replayed batch. */
export function withdrawalsOf(
  history: NodeHistory,
  index: number,
): { entries: bigint[]; withdrawals: WithdrawalEntry[] } {
  const found = history.replayed.find((r) => r.batch.commitmentIndex === index);
  if (!found) {
    const why = history.stoppedAt ? `: replaying stopped, ${history.stoppedAt.reason}` : "";
    throw new SecurityError(`the data directory holds no replayable batch for commitment #${index}${why}`);
  }
  const entries = found.trace.slots.map((s) => s.entryHash);
  const withdrawals: WithdrawalEntry[] = [];
  found.trace.slots.forEach((s, k) => {
    if (s.withdrawal === null) return;
    withdrawals.push({
      index,
      k,
      recipient: getAddress(toBeHex(s.withdrawal.recipient, 20)),
      tokenId: s.withdrawal.tokenId,
      amount: s.withdrawal.amount,
    });
  });
  return { entries, withdrawals };
}

/*//////////////////////////////////////////////////////////////
                      EMERGENCY ELECTIONS
//////////////////////////////////////////////////////////////*/

/** Starts an election on `chainId` for `candidate`, bonding the `ElectionBond` parameter. */
export async function startElection(
  election: IEmergencyElection,
  registry: ValidiumRegistry,
  chainId: bigint,
  candidate: string,
): Promise<{ bond: bigint; tx: TxResult }> {
  const bond = await clusterParam(registry, Param.ElectionBond);
  return { bond, tx: await mined(election, election.startElection(chainId, candidate, { value: bond })) };
}

/** Casts (or moves) the vote of chain `voter` (the sender must be its operator) for `electionId`. */
export function voteElection(election: IEmergencyElection, electionId: bigint, voter: bigint): Promise<TxResult> {
  return mined(election, election.vote(electionId, voter));
}

/** Settles an Open election (`finalize`); returns its new state. */
export async function finalizeElection(
  election: IEmergencyElection,
  electionId: bigint,
): Promise<{ state: string; tx: TxResult }> {
  const tx = await mined(election, election.finalize(electionId));
  const state = ELECTION_STATES[Number((await election.election(electionId)).state)] ?? "?";
  return { state, tx };
}

/** One election, as `listElections` reports it. */
export interface ElectionRow {
  id: bigint;
  chainId: bigint;
  candidate: string;
  initiator: string;
  state: string;
  votes: bigint;
  electorate: bigint;
  deadline: bigint;
  bond: bigint;
}

/** Every election (optionally of one chain), from `ElectionStarted` events and the `election`/`tally` views. */
export async function listElections(election: IEmergencyElection, chainId?: bigint): Promise<ElectionRow[]> {
  const events = await election.queryFilter(election.filters.ElectionStarted(undefined, chainId));
  const rows: ElectionRow[] = [];
  for (const ev of events) {
    const id = ev.args.electionId;
    const e = await election.election(id);
    const [votes, electorate] = await election.tally(id);
    rows.push({
      id,
      chainId: e.chainId,
      candidate: e.candidate,
      initiator: e.initiator,
      state: ELECTION_STATES[Number(e.state)] ?? "?",
      votes,
      electorate,
      deadline: e.deadline,
      bond: e.bond,
    });
  }
  return rows;
}
