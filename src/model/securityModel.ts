/**
 * A plain reference model of ClusterKit's settlement security for a small cluster: the request queue
 * (contracts/settlement/RequestQueue.sol) as escrow, forced-request queue, freeze trigger and fee pot; the
 * registry facts those depend on (contracts/registry/ValidiumRegistry.sol: status, operator, operatorSince,
 * stake, acks, commitments with their queue positions, brute-force (a, b) finality); and emergency elections
 * (contracts/security/EmergencyElection.sol). docs/PROTOCOL.md "Forced operations and freeze", "Payouts" and
 * "Emergency elections" are the rules transcribed here.
 *
 * Raw facts only; everything derived (b, a, finality, electorates, tallies, claimable fees) is recomputed by
 * brute force from them. Every operation is a pure function `(state, args) → { ok: true, state, … } | { ok:
 * false, error }`: the new state, or the exact custom error name the contract must revert with (checks in the
 * contract's order), in which case nothing changes (not even the block). Escapes and withdrawal claims need real
 * proofs and are not modelled: deposit reclaims and fee claims are the payout paths here, so `paid` only grows by
 * reclaims.
 *
 * Leaving Active (frozen by the queue's `freeze` or by `setChainStatus`, or ejected) first discards the chain's
 * pending commitments (latest index := finalized index; event `PendingCommitmentsDiscarded`), then removes it from
 * b along its path (docs/PROTOCOL.md "What a freeze fixes"); an election's `installElectedOperator` uses the same
 * discard. A chain that is not Active thus has no pending commitment, and its final state (the one escapes and
 * reclaims read) cannot change until it is Active again: neither the b drop of its own freeze nor its
 * descendants' later acknowledgements finalize anything on it. Its ancestors' pending commitments can still
 * become final through the b drop. Finality is still evaluated by brute force for every chain.
 *
 * Time: `block` and `now` are the number and timestamp of the latest mined block. A transaction sent with
 * automine lands in block `block + 1` at timestamp `now + 1` (the test sets every next block's timestamp); a
 * transaction sent into a pending block (`autoMine` false) lands there too, and `mine` seals it.
 *
 * Used by test/security/Security.model.test.ts, which drives the contracts and this model side by side.
 */

/** ChainStatus as numbered on chain. */
export const Status = { None: 0, Active: 1, Frozen: 2, Ejected: 3 } as const;
export type Status = (typeof Status)[keyof typeof Status];

/** ElectionState as numbered on chain. */
export const ElectionState = { None: 0, Open: 1, Succeeded: 2, Expired: 3, Superseded: 4 } as const;
export type ElectionState = (typeof ElectionState)[keyof typeof ElectionState];

/** Custom errors the model predicts. */
export type SecurityErrorName =
  | "AccessControlUnauthorizedAccount"
  | "RegistryUnknownChain"
  | "RegistryNotOperator"
  | "RegistryChainNotActive"
  | "RegistryAckInFuture"
  | "RegistryAckDecreasing"
  | "RegistryNotOnLatest"
  | "RegistryQueueRewind"
  | "RegistryBadQueuePoint"
  | "RegistryTooManyPending"
  | "RegistryInvalidStatusChange"
  | "RegistryHatchUsed"
  | "RequestQueueChainNotActive"
  | "RequestQueueInvalidAmount"
  | "RequestQueueInvalidKeyHash"
  | "RequestQueueUnknownToken"
  | "RequestQueueWrongFee"
  | "RequestQueueRateLimited"
  | "RequestQueuePositionBeyondEnd"
  | "RequestQueueNotForced"
  | "RequestQueueForcedConsumed"
  | "RequestQueueDeadlineNotPassed"
  | "RequestQueueNotOperator"
  | "RequestQueueChainNotFrozen"
  | "RequestQueueNotDeposit"
  | "RequestQueueItemMismatch"
  | "RequestQueueDepositConsumed"
  | "RequestQueueDepositReclaimed"
  | "RequestQueueInsufficientEscrow"
  | "ElectionNotMember"
  | "ElectionHatchUsed"
  | "ElectionNoElectorate"
  | "ElectionZeroAddress"
  | "ElectionSameOperator"
  | "ElectionWrongBond"
  | "ElectionUnknown"
  | "ElectionNotOpen"
  | "ElectionVotingClosed"
  | "ElectionVoterNotActive"
  | "ElectionNotVoterOperator"
  | "ElectionNotDescendant"
  | "ElectionAlreadyVoted"
  | "ElectionNoMajority";

/** `PendingCommitmentsDiscarded(chainId, finalizedIndex, discardedTo)`: emitted only when something was pending. */
export interface Discard {
  chainId: bigint;
  finalizedIndex: number;
  discardedTo: number;
}

export type Result<T = object> = ({ ok: true; state: SecurityState } & T) | { ok: false; error: SecurityErrorName };

/** The cluster parameters the modelled contracts read (ClusterConfig). */
export interface SecurityParams {
  forcedDeadline: bigint;
  forcedFee: bigint;
  forcedPerBlock: bigint;
  electionVotingPeriod: bigint;
  electionBond: bigint;
}

export interface Commitment {
  root: string;
  block: bigint;
  /** Queue items consumed up to and including this commitment (cumulative). */
  queuePosition: bigint;
}

export interface ChainFacts {
  id: bigint;
  parent: bigint;
  status: Status;
  operator: string;
  operatorSince: bigint;
  stake: bigint;
  latestAck: bigint;
  /** Live and discarded-by-rollback commitments are dropped; index = array index. Pruned ones are kept. */
  commitments: Commitment[];
  finalizedIndex: number;
}

/** One queued item. Deposits: kind 1; forced messages: kind 3 (w1 is a keccak the model does not compute). */
export interface QueueItem {
  kind: 1 | 3;
  w0: bigint;
  /** Deposits only (the key hash); undefined for messages. */
  w1: bigint | undefined;
  w2: bigint;
  token: number;
  amount: bigint;
  /** Stored deadline of a forced item; 0 for deposits. */
  deadline: bigint;
  fee: bigint;
}

export interface ChainQueue {
  items: QueueItem[];
  /** Per token id (decimal string): everything ever deposited, and everything paid out. */
  deposited: Record<string, bigint>;
  paid: Record<string, bigint>;
  reclaimed: bigint[];
  hatchUsed: boolean;
  feesClaimed: bigint;
}

export interface Election {
  id: bigint;
  chainId: bigint;
  candidate: string;
  initiator: string;
  epoch: bigint;
  deadline: bigint;
  bond: bigint;
  state: ElectionState;
  /** Chains that ever voted for it, each once, in order. */
  voters: bigint[];
}

export interface SecurityState {
  block: bigint;
  now: bigint;
  params: SecurityParams;
  /** Tokens registered in the queue (ids from 1); 0 is ETH. */
  tokenCount: number;
  chains: Record<string, ChainFacts>;
  /** Registration order. */
  order: bigint[];
  queues: Record<string, ChainQueue>;
  /** Forced requests in the block `rateBlock` (cluster-wide). */
  rateBlock: bigint;
  rateCount: bigint;
  elections: Election[];
  /** `${chain}:${epoch}:${voter}` → election id. */
  votes: Record<string, bigint>;
  epochs: Record<string, bigint>;
  /** Paid out of the election contract so far, per recipient (bonds refunded, rewards, treasury). */
  electionPaid: Record<string, bigint>;
  /** Stake slashed so far (left the registry). */
  slashedTotal: bigint;
}

const FIELD_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const MAX_PENDING = 63;
const INITIATOR_SHARE_BPS = 5000n;
const ZERO_ADDRESS = "0x" + "00".repeat(20);

const same = (x: string, y: string): boolean => x.toLowerCase() === y.toLowerCase();
const key = (x: bigint | number): string => x.toString();
const fail = (error: SecurityErrorName): { ok: false; error: SecurityErrorName } => ({ ok: false, error });

/* ---------------------------------------------------------------------------------- construction */

export function initialState(params: SecurityParams, block: bigint, now: bigint, tokenCount: number): SecurityState {
  return {
    block,
    now,
    params: { ...params },
    tokenCount,
    chains: {},
    order: [],
    queues: {},
    rateBlock: 0n,
    rateCount: 0n,
    elections: [],
    votes: {},
    epochs: {},
    electionPaid: {},
    slashedTotal: 0n,
  };
}

/** `registerChain` by the registrar (its checks are the registry model's business: only valid ones here). */
export function register(
  s0: SecurityState,
  a: { id: bigint; parent: bigint; operator: string; stake: bigint; genesisRoot: string },
): Result {
  const s = structuredClone(s0);
  tx(s, true);
  s.chains[key(a.id)] = {
    id: a.id,
    parent: a.parent,
    status: Status.Active,
    operator: a.operator,
    operatorSince: s.now,
    stake: a.stake,
    latestAck: 0n,
    commitments: [{ root: a.genesisRoot, block: s.block, queuePosition: 0n }],
    finalizedIndex: 0,
  };
  s.order.push(a.id);
  settle(s);
  return { ok: true, state: s };
}

/* ---------------------------------------------------------------------------------- derived values */

export function chainOf(s: SecurityState, id: bigint): ChainFacts | undefined {
  return s.chains[key(id)];
}

export function status(s: SecurityState, id: bigint): Status {
  return chainOf(s, id)?.status ?? Status.None;
}

export function queueOf(s: SecurityState, id: bigint): ChainQueue {
  return s.queues[key(id)] ?? { items: [], deposited: {}, paid: {}, reclaimed: [], hatchUsed: false, feesClaimed: 0n };
}

function mutableQueue(s: SecurityState, id: bigint): ChainQueue {
  const q = queueOf(s, id);
  s.queues[key(id)] = q;
  return q;
}

export function children(s: SecurityState, id: bigint): bigint[] {
  return s.order.filter((c) => chainOf(s, c)!.parent === id);
}

/** Every chain of the subtree of `id`, itself included. */
export function subtree(s: SecurityState, id: bigint): bigint[] {
  const out: bigint[] = [];
  const stack = [id];
  while (stack.length > 0) {
    const u = stack.pop()!;
    out.push(u);
    stack.push(...children(s, u));
  }
  return out;
}

export function isStrictDescendant(s: SecurityState, descendant: bigint, ancestor: bigint): boolean {
  for (let u = chainOf(s, descendant)?.parent ?? 0n; u !== 0n; u = chainOf(s, u)!.parent) {
    if (u === ancestor) return true;
  }
  return false;
}

/** b(u): Active chains in subtree(u), u included. */
export function b(s: SecurityState, id: bigint): number {
  return subtree(s, id).filter((w) => chainOf(s, w)!.status === Status.Active).length;
}

/** a(c) of commitment `index` of `id`. */
export function a(s: SecurityState, id: bigint, index: number): number {
  const blk = chainOf(s, id)!.commitments[index]!.block;
  return subtree(s, id).filter((w) => {
    const c = chainOf(s, w)!;
    return c.status === Status.Active && c.latestAck > blk;
  }).length;
}

export function latestIndex(s: SecurityState, id: bigint): number {
  return chainOf(s, id)!.commitments.length - 1;
}

/** `registry.queuePosition(id)`: the latest commitment's. */
export function queuePosition(s: SecurityState, id: bigint): bigint {
  const c = chainOf(s, id)!;
  return c.commitments[c.commitments.length - 1]!.queuePosition;
}

/** `registry.commitmentQueuePosition(id, finalizedIndex)`. */
export function finalizedPosition(s: SecurityState, id: bigint): bigint {
  const c = chainOf(s, id)!;
  return c.commitments[c.finalizedIndex]!.queuePosition;
}

export function escrowed(s: SecurityState, id: bigint, token: number): bigint {
  const q = queueOf(s, id);
  return (q.deposited[key(token)] ?? 0n) - (q.paid[key(token)] ?? 0n);
}

/** Σ fees of forced items at positions ≤ `upTo` (1-based). */
function cumulativeFee(q: ChainQueue, upTo: bigint): bigint {
  let sum = 0n;
  q.items.forEach((it, i) => {
    if (BigInt(i + 1) <= upTo) sum += it.fee;
  });
  return sum;
}

export function forcedFeesPaid(s: SecurityState, id: bigint): bigint {
  const q = queueOf(s, id);
  return cumulativeFee(q, BigInt(q.items.length));
}

/** `claimableFees(id)`: forced fees up to the finalized commitment's queue position, less those claimed. */
export function claimableFees(s: SecurityState, id: bigint): bigint {
  if (!chainOf(s, id)) return 0n;
  const q = queueOf(s, id);
  const cum = cumulativeFee(q, finalizedPosition(s, id));
  return cum > q.feesClaimed ? cum - q.feesClaimed : 0n;
}

/** The forced item's effective deadline: max(stored, operatorSince + ForcedDeadline). */
export function effectiveDeadline(s: SecurityState, id: bigint, position: bigint): bigint {
  const it = queueOf(s, id).items[Number(position) - 1]!;
  const restarted = chainOf(s, id)!.operatorSince + s.params.forcedDeadline;
  return restarted > it.deadline ? restarted : it.deadline;
}

/** The chain's current electorate: its Active strict descendants (`b − 1` when Active). */
export function electorate(s: SecurityState, id: bigint): number {
  const c = chainOf(s, id);
  if (!c) return 0;
  const bb = b(s, id);
  return c.status === Status.Active ? bb - 1 : bb;
}

export function epochOf(s: SecurityState, id: bigint): bigint {
  return s.epochs[key(id)] ?? 0n;
}

export function voteOf(s: SecurityState, chainId: bigint, epoch: bigint, voter: bigint): bigint {
  return s.votes[`${chainId}:${epoch}:${voter}`] ?? 0n;
}

/** `tally(id)`: valid votes (still voting for it, Active, strict descendant) and the electorate. */
export function tally(s: SecurityState, e: Election): { votes: number; electorate: number } {
  const votes = e.voters.filter(
    (v) =>
      voteOf(s, e.chainId, e.epoch, v) === e.id &&
      status(s, v) === Status.Active &&
      isStrictDescendant(s, v, e.chainId),
  ).length;
  return { votes, electorate: electorate(s, e.chainId) };
}

/** Σ bonds of Open elections: what the election contract holds (nothing is ever owed to EOAs). */
export function bondsHeld(s: SecurityState): bigint {
  return s.elections.filter((e) => e.state === ElectionState.Open).reduce((x, e) => x + e.bond, 0n);
}

/* ---------------------------------------------------------------------------------- time */

/** The block and timestamp a transaction sent now lands in. */
export function nextBlock(s: SecurityState): { block: bigint; time: bigint } {
  return { block: s.block + 1n, time: s.now + 1n };
}

/** Mines one block at timestamp `now + dt` (dt ≥ 1): a time advance, or sealing a pending block (dt = 1). */
export function mine(s0: SecurityState, dt = 1n): SecurityState {
  const s = structuredClone(s0);
  s.block += 1n;
  s.now += dt;
  return s;
}

/** Marks a successful transaction: with automine its block is sealed now. */
function tx(s: SecurityState, autoMine: boolean): void {
  if (autoMine) {
    s.block += 1n;
    s.now += 1n;
  }
}

/** Timestamp of the block a transaction runs in (the pending one). */
const txTime = (s: SecurityState): bigint => s.now + 1n;
const txBlock = (s: SecurityState): bigint => s.block + 1n;

/**
 * The registry's `_discardPending`: drops the commitments after the finalized one (their withdrawal roots go with
 * them). Returns the event it emits, or undefined when nothing was pending (no event).
 */
function discardPending(s: SecurityState, id: bigint): Discard | undefined {
  const c = chainOf(s, id)!;
  const discardedTo = c.commitments.length - 1;
  if (discardedTo === c.finalizedIndex) return undefined;
  c.commitments = c.commitments.slice(0, c.finalizedIndex + 1);
  return { chainId: id, finalizedIndex: c.finalizedIndex, discardedTo };
}

/** A move between statuses: leaving Active discards the pending commitments first, then b changes (settle). */
function moveStatus(s: SecurityState, id: bigint, to: Status): Discard | undefined {
  const c = chainOf(s, id)!;
  const discarded = c.status === Status.Active && to !== Status.Active ? discardPending(s, id) : undefined;
  c.status = to;
  settle(s);
  return discarded;
}

/** Finality by brute force: for every chain, the newest commitment above the finalized one with 2a > b. */
function settle(s: SecurityState): void {
  for (const id of s.order) {
    const c = chainOf(s, id)!;
    for (let j = c.commitments.length - 1; j > c.finalizedIndex; j--) {
      if (2 * a(s, id, j) > b(s, id)) {
        c.finalizedIndex = j;
        break;
      }
    }
  }
}

/* ---------------------------------------------------------------------------------- request queue */

export function depositW0(token: number, accountIndex: bigint, amount: bigint): bigint {
  return 1n | (BigInt(token) << 8n) | (accountIndex << 40n) | (amount << 72n);
}

/** `depositEth` (token 0) or `depositErc20` (token ≥ 1; the depositor holds and approved enough). */
export function deposit(
  s0: SecurityState,
  d: { chainId: bigint; token: number; accountIndex: bigint; amount: bigint; keyHash: bigint; refund: string },
): Result<{ position: bigint }> {
  if (status(s0, d.chainId) !== Status.Active) return fail("RequestQueueChainNotActive");
  if (d.token === 0 && (d.amount === 0n || d.amount >> 128n !== 0n)) return fail("RequestQueueInvalidAmount");
  if (d.token !== 0 && (d.token > s0.tokenCount || d.token < 0)) return fail("RequestQueueUnknownToken");
  if (d.keyHash === 0n || d.keyHash >= FIELD_R) return fail("RequestQueueInvalidKeyHash");
  if (d.token !== 0 && (d.amount === 0n || d.amount >> 128n !== 0n)) return fail("RequestQueueInvalidAmount");
  const s = structuredClone(s0);
  const q = mutableQueue(s, d.chainId);
  q.deposited[key(d.token)] = (q.deposited[key(d.token)] ?? 0n) + d.amount;
  q.items.push({
    kind: 1,
    w0: depositW0(d.token, d.accountIndex, d.amount),
    w1: d.keyHash,
    w2: BigInt(d.refund),
    token: d.token,
    amount: d.amount,
    deadline: 0n,
    fee: 0n,
  });
  const position = BigInt(q.items.length);
  tx(s, true);
  return { ok: true, state: s, position };
}

/** `forceMessage` by `sender` with `value` wei; `autoMine` false: into the pending block. */
export function forceMessage(
  s0: SecurityState,
  m: { chainId: bigint; sender: string; value: bigint },
  autoMine = true,
): Result<{ position: bigint; deadline: bigint }> {
  if (status(s0, m.chainId) !== Status.Active) return fail("RequestQueueChainNotActive");
  if (m.value !== s0.params.forcedFee) return fail("RequestQueueWrongFee");
  const count = s0.rateBlock === txBlock(s0) ? s0.rateCount : 0n;
  if (count >= s0.params.forcedPerBlock) return fail("RequestQueueRateLimited");
  const s = structuredClone(s0);
  s.rateBlock = txBlock(s);
  s.rateCount = count + 1n;
  const q = mutableQueue(s, m.chainId);
  const deadline = txTime(s) + s.params.forcedDeadline;
  q.items.push({
    kind: 3,
    w0: 3n,
    w1: undefined,
    w2: BigInt(m.sender),
    token: 0,
    amount: 0n,
    deadline,
    fee: m.value,
  });
  const position = BigInt(q.items.length);
  tx(s, autoMine);
  return { ok: true, state: s, position, deadline };
}

/** `freeze(chainId, position)` by anyone; `discarded`: the frozen chain's pending commitments dropped. */
export function freeze(
  s0: SecurityState,
  chainId: bigint,
  position: bigint,
): Result<{ discarded: Discard | undefined }> {
  const q = queueOf(s0, chainId);
  const len = BigInt(q.items.length);
  if (position > len) return fail("RequestQueuePositionBeyondEnd");
  const it = position === 0n ? undefined : q.items[Number(position) - 1];
  if (!it || it.deadline === 0n) return fail("RequestQueueNotForced");
  if (status(s0, chainId) !== Status.Active) return fail("RequestQueueChainNotActive");
  if (queuePosition(s0, chainId) >= position) return fail("RequestQueueForcedConsumed");
  if (txTime(s0) <= effectiveDeadline(s0, chainId, position)) return fail("RequestQueueDeadlineNotPassed");
  const s = structuredClone(s0);
  const discarded = moveStatus(s, chainId, Status.Frozen);
  tx(s, true);
  return { ok: true, state: s, discarded };
}

/** `claimFees(chainId, to)` by `caller` (to ≠ 0). */
export function claimFees(s0: SecurityState, chainId: bigint, caller: string): Result<{ amount: bigint }> {
  const c = chainOf(s0, chainId);
  if (!c) return fail("RegistryUnknownChain");
  if (!same(c.operator, caller)) return fail("RequestQueueNotOperator");
  const amount = claimableFees(s0, chainId);
  const s = structuredClone(s0);
  if (amount > 0n) {
    const q = mutableQueue(s, chainId);
    q.feesClaimed = cumulativeFee(q, finalizedPosition(s, chainId));
  }
  tx(s, true);
  return { ok: true, state: s, amount };
}

/**
 * `reclaimDeposit(chainId, position, w0, w1, w2)` by anyone; `wordsMatch`: the words given are the item's (read
 * from its RequestQueued event; false: one word was altered).
 */
export function reclaimDeposit(
  s0: SecurityState,
  chainId: bigint,
  position: bigint,
  wordsMatch: boolean,
): Result<{ token: number; amount: bigint; refund: bigint }> {
  if (status(s0, chainId) !== Status.Frozen) return fail("RequestQueueChainNotFrozen");
  const q = queueOf(s0, chainId);
  if (position > BigInt(q.items.length)) return fail("RequestQueuePositionBeyondEnd");
  if (position === 0n) return fail("RequestQueueNotDeposit");
  if (!wordsMatch) return fail("RequestQueueItemMismatch");
  const it = q.items[Number(position) - 1]!;
  if (it.kind !== 1) return fail("RequestQueueNotDeposit");
  if (position <= finalizedPosition(s0, chainId)) return fail("RequestQueueDepositConsumed");
  if (q.reclaimed.includes(position)) return fail("RequestQueueDepositReclaimed");
  if (it.amount > escrowed(s0, chainId, it.token)) return fail("RequestQueueInsufficientEscrow");
  const s = structuredClone(s0);
  const mq = mutableQueue(s, chainId);
  mq.reclaimed.push(position);
  mq.hatchUsed = true;
  mq.paid[key(it.token)] = (mq.paid[key(it.token)] ?? 0n) + it.amount;
  tx(s, true);
  return { ok: true, state: s, token: it.token, amount: it.amount, refund: it.w2 };
}

/* ---------------------------------------------------------------------------------- registry */

/**
 * `submitUpdate` by `caller`. `position` is the update's queue position; `pointIsRight`: its queue hash is the
 * queue's rolling hash at `position` (read with `hashAt`), false: a wrong hash.
 */
export function submitUpdate(
  s0: SecurityState,
  u: {
    caller: string;
    chainId: bigint;
    ackBlock: bigint;
    prevRoot: string;
    newRoot: string;
    position: bigint;
    pointIsRight: boolean;
  },
): Result<{ index: number }> {
  const c0 = chainOf(s0, u.chainId);
  if (!c0) return fail("RegistryUnknownChain");
  if (!same(c0.operator, u.caller)) return fail("RegistryNotOperator");
  if (c0.status !== Status.Active) return fail("RegistryChainNotActive");
  if (u.ackBlock > txBlock(s0)) return fail("RegistryAckInFuture");
  if (u.ackBlock < c0.latestAck) return fail("RegistryAckDecreasing");
  const latest = c0.commitments[c0.commitments.length - 1]!;
  if (latest.root.toLowerCase() !== u.prevRoot.toLowerCase()) return fail("RegistryNotOnLatest");
  if (u.position < latest.queuePosition) return fail("RegistryQueueRewind");
  const len = BigInt(queueOf(s0, u.chainId).items.length);
  if (u.position !== latest.queuePosition && (!u.pointIsRight || u.position > len)) {
    return fail("RegistryBadQueuePoint");
  }
  const s = structuredClone(s0);
  const c = chainOf(s, u.chainId)!;
  c.latestAck = u.ackBlock;
  settle(s);
  if (c.commitments.length - 1 - c.finalizedIndex >= MAX_PENDING) return fail("RegistryTooManyPending");
  c.commitments.push({ root: u.newRoot, block: txBlock(s), queuePosition: u.position });
  settle(s);
  tx(s, true);
  return { ok: true, state: s, index: c.commitments.length - 1 };
}

/**
 * `setChainStatus(chainId, to)` by `caller` (`statusRole`: the holder of STATUS_ROLE); `discarded`: leaving
 * Active dropped the chain's pending commitments.
 */
export function setChainStatus(
  s0: SecurityState,
  caller: string,
  statusRole: string,
  chainId: bigint,
  to: Status,
): Result<{ discarded: Discard | undefined }> {
  if (!same(caller, statusRole)) return fail("AccessControlUnauthorizedAccount");
  const c0 = chainOf(s0, chainId);
  if (!c0) return fail("RegistryUnknownChain");
  if (c0.status === Status.Ejected || to === Status.None || to === c0.status) {
    return fail("RegistryInvalidStatusChange");
  }
  if (to === Status.Active && queueOf(s0, chainId).hatchUsed) return fail("RegistryHatchUsed");
  const s = structuredClone(s0);
  const discarded = moveStatus(s, chainId, to);
  tx(s, true);
  return { ok: true, state: s, discarded };
}

/* ---------------------------------------------------------------------------------- elections */

/** `startElection(chainId, candidate)` by `initiator` with `value` wei. */
export function startElection(
  s0: SecurityState,
  e: { chainId: bigint; candidate: string; initiator: string; value: bigint },
): Result<{ electionId: bigint }> {
  const st = status(s0, e.chainId);
  if (st !== Status.Active && st !== Status.Frozen) return fail("ElectionNotMember");
  if (st === Status.Frozen && queueOf(s0, e.chainId).hatchUsed) return fail("ElectionHatchUsed");
  if (electorate(s0, e.chainId) === 0) return fail("ElectionNoElectorate");
  if (same(e.candidate, ZERO_ADDRESS)) return fail("ElectionZeroAddress");
  if (same(e.candidate, chainOf(s0, e.chainId)!.operator)) return fail("ElectionSameOperator");
  if (e.value !== s0.params.electionBond) return fail("ElectionWrongBond");
  const s = structuredClone(s0);
  const electionId = BigInt(s.elections.length + 1);
  s.elections.push({
    id: electionId,
    chainId: e.chainId,
    candidate: e.candidate,
    initiator: e.initiator,
    epoch: epochOf(s, e.chainId),
    deadline: txTime(s) + s.params.electionVotingPeriod,
    bond: e.value,
    state: ElectionState.Open,
    voters: [],
  });
  tx(s, true);
  return { ok: true, state: s, electionId };
}

function openElection(s: SecurityState, electionId: bigint): Election | SecurityErrorName {
  const e = electionId >= 1n ? s.elections[Number(electionId) - 1] : undefined;
  if (!e) return "ElectionUnknown";
  if (e.state !== ElectionState.Open) return "ElectionNotOpen";
  return e;
}

/** `vote(electionId, voter)` by `caller`. */
export function vote(s0: SecurityState, electionId: bigint, voter: bigint, caller: string): Result {
  const e0 = openElection(s0, electionId);
  if (typeof e0 === "string") return fail(e0);
  if (e0.epoch !== epochOf(s0, e0.chainId)) return fail("ElectionNotOpen");
  if (txTime(s0) > e0.deadline) return fail("ElectionVotingClosed");
  if (status(s0, voter) !== Status.Active) return fail("ElectionVoterNotActive");
  if (!same(chainOf(s0, voter)!.operator, caller)) return fail("ElectionNotVoterOperator");
  if (!isStrictDescendant(s0, voter, e0.chainId)) return fail("ElectionNotDescendant");
  if (voteOf(s0, e0.chainId, e0.epoch, voter) === electionId) return fail("ElectionAlreadyVoted");
  const s = structuredClone(s0);
  const e = s.elections[Number(electionId) - 1]!;
  s.votes[`${e.chainId}:${e.epoch}:${voter}`] = electionId;
  if (!e.voters.includes(voter)) e.voters.push(voter);
  tx(s, true);
  return { ok: true, state: s };
}

export interface FinalizeInfo {
  outcome: ElectionState;
  votes: number;
  electorate: number;
  /** Succeeded: the finalized commitment rolled back to, the commitments discarded after it, the stake. */
  rolledBackTo?: number;
  discardedTo?: number;
  /** Succeeded with pending commitments (an Active chain's: a frozen one's went at its freeze): the event. */
  discarded?: Discard;
  slashed?: bigint;
  reward?: bigint;
}

function pay(s: SecurityState, to: string, amount: bigint): void {
  if (amount === 0n) return;
  const k = to.toLowerCase();
  s.electionPaid[k] = (s.electionPaid[k] ?? 0n) + amount;
}

/** `finalize(electionId)` by anyone; `treasury` receives forfeited bonds and the rest of a slash. */
export function finalizeElection(s0: SecurityState, electionId: bigint, treasury: string): Result<FinalizeInfo> {
  const e0 = openElection(s0, electionId);
  if (typeof e0 === "string") return fail(e0);
  const s = structuredClone(s0);
  const e = s.elections[Number(electionId) - 1]!;
  if (e.epoch !== epochOf(s, e.chainId)) {
    e.state = ElectionState.Superseded;
    pay(s, e.initiator, e.bond);
    tx(s, true);
    return { ok: true, state: s, outcome: ElectionState.Superseded, votes: 0, electorate: 0 };
  }
  const t = tally(s, e);
  const expired = txTime(s) > e.deadline;
  if (t.electorate !== 0 && 2 * t.votes > t.electorate) {
    const st = status(s, e.chainId);
    const blocked: SecurityErrorName | undefined =
      st === Status.Ejected
        ? "ElectionNotMember"
        : st === Status.Frozen && queueOf(s, e.chainId).hatchUsed
          ? "ElectionHatchUsed"
          : undefined;
    if (blocked === undefined) return succeed(s, e, t, treasury);
    if (!expired) return fail(blocked);
  } else if (!expired) {
    return fail("ElectionNoMajority");
  }
  e.state = ElectionState.Expired;
  pay(s, treasury, e.bond);
  tx(s, true);
  return { ok: true, state: s, outcome: ElectionState.Expired, ...t };
}

/** Success: epoch advances; the registry rolls back, unfreezes, installs the candidate, slashes the stake. */
function succeed(
  s: SecurityState,
  e: Election,
  t: { votes: number; electorate: number },
  treasury: string,
): Result<FinalizeInfo> {
  e.state = ElectionState.Succeeded;
  s.epochs[key(e.chainId)] = epochOf(s, e.chainId) + 1n;
  const c = chainOf(s, e.chainId)!;
  const rolledBackTo = c.finalizedIndex;
  const discardedTo = c.commitments.length - 1;
  const discarded = discardPending(s, e.chainId);
  if (c.status !== Status.Active) moveStatus(s, e.chainId, Status.Active);
  c.operator = e.candidate;
  c.operatorSince = txTime(s);
  const slashed = c.stake;
  c.stake = 0n;
  s.slashedTotal += slashed;
  const reward = (slashed * INITIATOR_SHARE_BPS) / 10_000n;
  pay(s, e.initiator, e.bond + reward);
  pay(s, treasury, slashed - reward);
  tx(s, true);
  return {
    ok: true,
    state: s,
    outcome: ElectionState.Succeeded,
    ...t,
    rolledBackTo,
    discardedTo,
    discarded,
    slashed,
    reward,
  };
}
