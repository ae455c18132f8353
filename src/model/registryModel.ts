/**
 * A plain reference model of the ValidiumRegistry (contracts/registry/ValidiumRegistry.sol).
 *
 * It stores raw facts only: the tree (parent, children), each chain's status, latest ack, commitments
 * (root and settlement block) and finalized index, the limits and the current block. Everything else
 * (b, a, finality, pruning, depth, ancestors) is recomputed by brute force from those facts on every
 * question: subtrees are walked and counted, with no incremental bookkeeping, so the model is a direct
 * transcription of the definitions in IValidiumRegistry.sol and docs/PROTOCOL.md §2:
 *
 * - b(u): number of Active chains in subtree(u), u included;
 * - a(c): number of Active chains w in subtree(u), u included, with latestAck(w) > block(c);
 * - c becomes final as soon as 2·a(c) > b(u) holds at some moment and c is newer than the current
 *   finalized commitment; the finalized index never decreases, and everything older is pruned.
 *
 * Finality is re-evaluated (`settle`) after every state change. Every operation returns either ok or the
 * name of the custom error the contract must revert with, checking preconditions in the contract's
 * order; a rejected operation changes nothing (not even the block number).
 *
 * Leaving Active (a status change to Frozen or Ejected) first discards the chain's pending commitments: later
 * ones than the finalized one are dropped from the facts (their indices are reused once the chain is Active
 * again), so a chain that is not Active never has a pending commitment; then the chain leaves b along its path.
 * Emergency elections (`installElectedOperator`) roll an Active chain back to its finalized commitment the same
 * way (a Frozen one has nothing left to roll back), make it Active, install the operator and zero the stake.
 * Relocations (`relocate`) move a subtree under a new parent and reset the subtree's acks to 0; b, a, depth
 * and ancestors follow by brute force from the new parents.
 *
 * Used by test/model/Registry.model.test.ts, which drives the contract and this model with the same
 * random operations and compares every view after every step.
 */
import { ChainStatus, CommitmentStatus } from "../sdk/registry.ts";

/** Custom errors the model can predict (the names the contract reverts with). */
export type RegistryErrorName =
  | "AccessControlUnauthorizedAccount"
  | "RegistryReservedChainId"
  | "RegistryZeroAddress"
  | "RegistryChainExists"
  | "RegistryInsufficientStake"
  | "RegistryUnknownChain"
  | "RegistryChainNotActive"
  | "RegistryDepthExceeded"
  | "RegistryFanOutExceeded"
  | "RegistryNotOperator"
  | "RegistryAckInFuture"
  | "RegistryAckDecreasing"
  | "RegistryNotOnLatest"
  | "RegistryTooManyPending"
  | "RegistryInvalidStatusChange"
  | "RegistryNotMember"
  | "RegistryHatchUsed"
  | "RegistryTransferFailed"
  | "RegistryBadNewParent"
  | "RegistryBadSubtree";

/** What an accepted `installElectedOperator` did (its OperatorElected event and return values). */
export interface Election {
  previous: string;
  operator: string;
  rolledBackTo: number;
  discardedTo: number;
  slashed: bigint;
  /** The chain was Frozen and was made Active (ChainStatusChanged). */
  unfrozen: boolean;
}

/** What an accepted `relocate` did (its ChainRelocated event). */
export interface Relocation {
  from: bigint;
  to: bigint;
  size: number;
  active: number;
}

/**
 * Pending commitments `finalizedIndex + 1` to `discardedTo` of a chain dropped by one operation (leaving Active, or
 * an election's rollback): the contract's PendingCommitmentsDiscarded, emitted only when something was dropped.
 */
export interface Discard {
  chainId: bigint;
  finalizedIndex: number;
  discardedTo: number;
}

/** A change of a chain's finalized index caused by one operation (CommitmentFinalized + CommitmentsPruned). */
export interface Finalization {
  chainId: bigint;
  from: number;
  to: number;
}

/** Outcome of one operation: ok (with what it finalized) or the error the contract must revert with. */
export type OpResult =
  | {
      ok: true;
      index?: number;
      finalized: Finalization[];
      /** Emitted before anything else of the operation (before its finalizations, status change, election). */
      discarded?: Discard;
      election?: Election;
      relocation?: Relocation;
    }
  | { ok: false; error: RegistryErrorName };

/** Addresses holding the registry's roles (a role left out is held by nobody the model knows). */
export interface RoleHolders {
  registrar: string;
  status: string;
  election?: string;
  relocator?: string;
}

export interface ModelLimits {
  maxFanOut: number;
  maxDepth: number;
  minStake: bigint;
}

/** What `chain(id)`, `subtreeSize(id)` and `ancestors(id)` must return. */
export interface ChainView {
  id: bigint;
  parent: bigint;
  operator: string;
  verifier: string;
  status: ChainStatus;
  depth: number;
  childCount: number;
  subtreeSize: number;
  stake: bigint;
  latestAck: bigint;
  latestIndex: number;
  finalizedIndex: number;
  ancestors: bigint[];
}

/** What `commitment(id, index)` must return. Pruned commitments are all zero except the status. */
export interface CommitmentView {
  root: string;
  blockNumber: bigint;
  a: number;
  b: number;
  status: CommitmentStatus;
}

export const ZERO_ROOT = "0x" + "00".repeat(32);
export const ZERO_ADDRESS = "0x" + "00".repeat(20);

interface CommitmentFacts {
  root: string;
  block: bigint;
}

interface ChainFacts {
  id: bigint;
  parent: bigint;
  operator: string;
  verifier: string;
  stake: bigint;
  status: ChainStatus;
  children: bigint[];
  latestAck: bigint;
  commitments: CommitmentFacts[];
  finalizedIndex: number;
}

interface State {
  /** The latest mined block; a transaction lands in `blockNumber + 1`. */
  blockNumber: bigint;
  limits: ModelLimits;
  chains: Map<bigint, ChainFacts>;
  /** Chain ids in registration order. */
  order: bigint[];
  rootChildren: bigint[];
}

const SETTLEMENT_ROOT = 0n;

const same = (x: string, y: string) => x.toLowerCase() === y.toLowerCase();

export class RegistryModel {
  /** Most pending (unfinalized) commitments a chain may have. */
  static readonly MAX_PENDING = 63;

  private s: State;
  private readonly roleHolders: RoleHolders;
  /** Chains whose request queue reports `hatchUsed` (the registry then refuses to make them Active again). */
  private readonly hatchUsed = new Set<bigint>();

  /**
   * @param limits The limits the registry was deployed with.
   * @param blockNumber The latest mined block when the model starts.
   * @param roleHolders Addresses holding REGISTRAR_ROLE, STATUS_ROLE and, when given, ELECTION_ROLE and
   *        RELOCATOR_ROLE.
   */
  constructor(limits: ModelLimits, blockNumber: bigint, roleHolders: RoleHolders) {
    this.roleHolders = { ...roleHolders };
    this.s = { blockNumber, limits: { ...limits }, chains: new Map(), order: [], rootChildren: [] };
  }

  /* ------------------------------------------------------------------ raw facts */

  get blockNumber(): bigint {
    return this.s.blockNumber;
  }

  get limits(): ModelLimits {
    return { ...this.s.limits };
  }

  /** Registered chain ids, in registration order. */
  chainIds(): bigint[] {
    return [...this.s.order];
  }

  has(id: bigint): boolean {
    return this.s.chains.has(id);
  }

  status(id: bigint): ChainStatus {
    return this.s.chains.get(id)?.status ?? ChainStatus.None;
  }

  operatorOf(id: bigint): string | undefined {
    return this.s.chains.get(id)?.operator;
  }

  latestAck(id: bigint): bigint {
    return this.s.chains.get(id)?.latestAck ?? 0n;
  }

  latestRoot(id: bigint): string {
    const c = this.s.chains.get(id);
    return c ? c.commitments[c.commitments.length - 1]!.root : ZERO_ROOT;
  }

  latestIndex(id: bigint): number {
    return this.get(id).commitments.length - 1;
  }

  finalizedIndex(id: bigint): number {
    return this.get(id).finalizedIndex;
  }

  /** Settlement block of commitment `index` of `id` (pruned ones included). */
  commitmentBlock(id: bigint, index: number): bigint {
    const c = this.get(id).commitments[index];
    if (!c) throw new Error(`model: chain ${id} has no commitment ${index}`);
    return c.block;
  }

  /** Number of registered chains whose parent is `parent` (0 for the settlement chain). */
  childCount(parent: bigint): number {
    return parent === SETTLEMENT_ROOT ? this.s.rootChildren.length : this.get(parent).children.length;
  }

  /** An independent copy (state, role holders, used hatches): for trying an operation without applying it. */
  clone(): RegistryModel {
    const m = new RegistryModel(this.s.limits, this.s.blockNumber, this.roleHolders);
    m.s = structuredClone(this.s);
    for (const id of this.hatchUsed) m.hatchUsed.add(id);
    return m;
  }

  /** Marks the chain's escape hatch as used (as a bound request queue would report it). */
  setHatchUsed(id: bigint): void {
    this.hatchUsed.add(id);
  }

  /** The chain's parent (0 for a top-level chain or an unknown one). */
  parentOf(id: bigint): bigint {
    return this.s.chains.get(id)?.parent ?? SETTLEMENT_ROOT;
  }

  /** The chain's children (any status) by increasing id; 0 gives the top-level chains. */
  childrenOf(id: bigint): bigint[] {
    const kids = id === SETTLEMENT_ROOT ? this.s.rootChildren : this.get(id).children;
    return [...kids].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  }

  /**
   * The subtree of `id` in the order `relocate` requires (breadth first: each entry after its parent,
   * siblings by increasing id) and each entry's parent index (0 for the root).
   */
  subtreeList(id: bigint): { subtree: bigint[]; parentIndex: number[] } {
    const subtree = [id];
    const parentIndex = [0];
    for (let i = 0; i < subtree.length; i++) {
      for (const kid of this.childrenOf(subtree[i]!)) {
        subtree.push(kid);
        parentIndex.push(i);
      }
    }
    return { subtree, parentIndex };
  }

  /* ------------------------------------------------------------------ brute-force derived values */

  /** 1 for a top-level chain: the number of edges to the settlement chain. */
  depth(id: bigint): number {
    let d = 0;
    for (let u = id; u !== SETTLEMENT_ROOT; u = this.get(u).parent) d++;
    return d;
  }

  /** Parent first, ending with the top-level chain (0 not listed). */
  ancestors(id: bigint): bigint[] {
    const path: bigint[] = [];
    for (let u = this.get(id).parent; u !== SETTLEMENT_ROOT; u = this.get(u).parent) path.push(u);
    return path;
  }

  /** Every chain in the subtree of `id`, `id` included (any status). */
  subtree(id: bigint): bigint[] {
    const out: bigint[] = [];
    const stack = [id];
    while (stack.length > 0) {
      const u = stack.pop()!;
      out.push(u);
      stack.push(...this.get(u).children);
    }
    return out;
  }

  /** b(u): Active chains in subtree(u), u included. */
  b(id: bigint): number {
    return this.subtree(id).filter((w) => this.get(w).status === ChainStatus.Active).length;
  }

  /** a(c) for commitment `index` of `id`: Active chains in subtree(id) whose latest ack is > block(c). */
  a(id: bigint, index: number): number {
    const block = this.get(id).commitments[index]!.block;
    return this.subtree(id).filter((w) => {
      const c = this.get(w);
      return c.status === ChainStatus.Active && c.latestAck > block;
    }).length;
  }

  /** Whether commitment `index` of `id` meets the acceptance rule 2·a > b right now. */
  meetsRule(id: bigint, index: number): boolean {
    return 2 * this.a(id, index) > this.b(id);
  }

  /** Commitments of `id` that are not final and not pruned. */
  pendingCount(id: bigint): number {
    return this.latestIndex(id) - this.finalizedIndex(id);
  }

  /* ------------------------------------------------------------------ views */

  chainView(id: bigint): ChainView {
    const c = this.get(id);
    return {
      id,
      parent: c.parent,
      operator: c.operator,
      verifier: c.verifier,
      status: c.status,
      depth: this.depth(id),
      childCount: c.children.length,
      subtreeSize: this.b(id),
      stake: c.stake,
      latestAck: c.latestAck,
      latestIndex: c.commitments.length - 1,
      finalizedIndex: c.finalizedIndex,
      ancestors: this.ancestors(id),
    };
  }

  /** `commitment(id, index)`; undefined where the contract reverts with RegistryUnknownCommitment. */
  commitmentView(id: bigint, index: number): CommitmentView | undefined {
    const c = this.get(id);
    if (index < 0 || index >= c.commitments.length) return undefined;
    if (index < c.finalizedIndex) {
      return { root: ZERO_ROOT, blockNumber: 0n, a: 0, b: 0, status: CommitmentStatus.Pruned };
    }
    const facts = c.commitments[index]!;
    return {
      root: facts.root,
      blockNumber: facts.block,
      a: this.a(id, index),
      b: this.b(id),
      status: index === c.finalizedIndex ? CommitmentStatus.Finalized : CommitmentStatus.Pending,
    };
  }

  /** Every commitment of `id`, index order. */
  commitmentViews(id: bigint): CommitmentView[] {
    return this.get(id).commitments.map((_, j) => this.commitmentView(id, j)!);
  }

  /* ------------------------------------------------------------------ operations */

  /** Mines `k` empty blocks. */
  mine(k: number | bigint = 1): void {
    this.s.blockNumber += BigInt(k);
  }

  /**
   * `registerChain(id, parent, operator, verifier, genesisRoot)` sent by `caller` with `value` wei, in
   * an automined block.
   */
  register(
    caller: string,
    id: bigint,
    parent: bigint,
    operator: string,
    verifier: string,
    genesisRoot: string,
    value = 0n,
  ): OpResult {
    const lim = this.s.limits;
    if (!same(caller, this.roleHolders.registrar)) return fail("AccessControlUnauthorizedAccount");
    if (id === SETTLEMENT_ROOT) return fail("RegistryReservedChainId");
    if (same(operator, ZERO_ADDRESS) || same(verifier, ZERO_ADDRESS)) return fail("RegistryZeroAddress");
    if (this.s.chains.has(id)) return fail("RegistryChainExists");
    if (value < lim.minStake) return fail("RegistryInsufficientStake");
    if (parent !== SETTLEMENT_ROOT) {
      const p = this.s.chains.get(parent);
      if (!p) return fail("RegistryUnknownChain");
      if (p.status !== ChainStatus.Active) return fail("RegistryChainNotActive");
      if (this.depth(parent) + 1 > lim.maxDepth) return fail("RegistryDepthExceeded");
    }
    if (this.childCount(parent) >= lim.maxFanOut) return fail("RegistryFanOutExceeded");

    return this.commit(true, (m) => {
      m.s.chains.set(id, {
        id,
        parent,
        operator,
        verifier,
        stake: value,
        status: ChainStatus.Active,
        children: [],
        latestAck: 0n,
        commitments: [{ root: genesisRoot, block: m.currentBlock() }],
        finalizedIndex: 0,
      });
      m.s.order.push(id);
      if (parent === SETTLEMENT_ROOT) m.s.rootChildren.push(id);
      else m.get(parent).children.push(id);
      m.settle();
      return undefined;
    });
  }

  /**
   * `submitUpdate` of `chainId` sent by `caller`: moves its ack to `ackBlock`, re-evaluates finality,
   * then appends `newRoot` at the current block. With `autoMine` false the transaction waits in the
   * pending block (`blockNumber + 1`) and the caller mines it with `mine(1)`.
   */
  submitUpdate(
    caller: string,
    update: { chainId: bigint; ackBlock: bigint; prevRoot: string; newRoot: string },
    autoMine = true,
  ): OpResult {
    const { chainId: id, ackBlock } = update;
    const c = this.s.chains.get(id);
    if (!c) return fail("RegistryUnknownChain");
    if (!same(caller, c.operator)) return fail("RegistryNotOperator");
    if (c.status !== ChainStatus.Active) return fail("RegistryChainNotActive");
    if (ackBlock > this.currentBlock()) return fail("RegistryAckInFuture");
    if (ackBlock < c.latestAck) return fail("RegistryAckDecreasing");
    if (update.prevRoot.toLowerCase() !== this.latestRoot(id).toLowerCase()) return fail("RegistryNotOnLatest");

    return this.commit(autoMine, (m) => {
      m.get(id).latestAck = ackBlock;
      m.settle();
      if (m.pendingCount(id) >= RegistryModel.MAX_PENDING) return "RegistryTooManyPending";
      m.get(id).commitments.push({ root: update.newRoot, block: m.currentBlock() });
      m.settle();
      return m.latestIndex(id);
    });
  }

  /** `setChainStatus(id, status)` sent by `caller`, in an automined block. */
  setStatus(caller: string, id: bigint, status: ChainStatus): OpResult {
    if (!same(caller, this.roleHolders.status)) return fail("AccessControlUnauthorizedAccount");
    const c = this.s.chains.get(id);
    if (!c) return fail("RegistryUnknownChain");
    if (c.status === ChainStatus.Ejected || status === ChainStatus.None || status === c.status) {
      return fail("RegistryInvalidStatusChange");
    }
    if (status === ChainStatus.Active && this.hatchUsed.has(id)) return fail("RegistryHatchUsed");
    // Leaving Active discards the pending commitments before the chain leaves b and a along its path: the
    // removal can then finalize nothing of the chain itself (its ancestors may still finalize).
    const discarded = c.status === ChainStatus.Active ? this.discardOf(id) : undefined;
    const result = this.commit(true, (m) => {
      const e = m.get(id);
      e.commitments = e.commitments.slice(0, e.finalizedIndex + 1);
      e.status = status;
      m.settle();
      return undefined;
    });
    return result.ok && discarded !== undefined ? { ...result, discarded } : result;
  }

  /**
   * `installElectedOperator(id, operator)` sent by `caller` (ELECTION_ROLE), in an automined block: the chain
   * (a member) is rolled back to its finalized commitment (`discarded` when it was Active with pending
   * commitments; a Frozen one has none left), made Active if Frozen (unless its hatch was used), gets `operator`,
   * and its whole stake goes to the caller. The unfreeze cannot finalize anything of the chain itself (it has no
   * pending commitment), only of its ancestors. `callerRejectsEth`: the caller's transfer fails.
   */
  installElectedOperator(caller: string, id: bigint, operator: string, callerRejectsEth = false): OpResult {
    if (this.roleHolders.election === undefined || !same(caller, this.roleHolders.election)) {
      return fail("AccessControlUnauthorizedAccount");
    }
    if (same(operator, ZERO_ADDRESS)) return fail("RegistryZeroAddress");
    const c = this.s.chains.get(id);
    if (!c) return fail("RegistryUnknownChain");
    if (c.status === ChainStatus.Ejected) return fail("RegistryNotMember");
    const unfrozen = c.status !== ChainStatus.Active;
    if (unfrozen && this.hatchUsed.has(id)) return fail("RegistryHatchUsed");
    if (c.stake !== 0n && callerRejectsEth) return fail("RegistryTransferFailed");
    const election: Election = {
      previous: c.operator,
      operator,
      rolledBackTo: c.finalizedIndex,
      discardedTo: c.commitments.length - 1,
      slashed: c.stake,
      unfrozen,
    };
    // Only an Active chain can have pending commitments here: a Frozen one discarded them when it left Active.
    const discarded = this.discardOf(id);
    const result = this.commit(true, (m) => {
      const e = m.get(id);
      e.commitments = e.commitments.slice(0, e.finalizedIndex + 1);
      e.status = ChainStatus.Active;
      e.operator = operator;
      e.stake = 0n;
      m.settle();
      return undefined;
    });
    if (!result.ok) return result;
    return discarded === undefined ? { ...result, election } : { ...result, election, discarded };
  }

  /**
   * `relocate(id, newParent, subtree, parentIndex)` sent by `caller` (RELOCATOR_ROLE), in an automined block.
   * Checks, in the contract's order: the chain known and Active; `newParent` not the current parent; a child
   * slot of `newParent` (fan-out of the settlement chain; else known, Active, not in the subtree, fan-out);
   * the list (non-empty, as long as `parentIndex`, starting with `id`), the base depth, then entry by entry its
   * parent (an earlier entry that is its parent), sibling order (strictly increasing ids) and depth; finally
   * the number of entries (Σ childCount = n - 1). Then the subtree moves and every chain of it gets ack 0.
   */
  relocate(caller: string, id: bigint, newParent: bigint, subtree: bigint[], parentIndex: number[]): OpResult {
    if (this.roleHolders.relocator === undefined || !same(caller, this.roleHolders.relocator)) {
      return fail("AccessControlUnauthorizedAccount");
    }
    const c = this.s.chains.get(id);
    if (!c) return fail("RegistryUnknownChain");
    if (c.status !== ChainStatus.Active) return fail("RegistryChainNotActive");
    if (newParent === c.parent) return fail("RegistryBadNewParent");
    const slot = this.childSlotError(id, newParent);
    if (slot !== undefined) return fail(slot);
    const base = newParent === SETTLEMENT_ROOT ? 1 : this.depth(newParent) + 1;
    const shape = this.subtreeError(id, base, subtree, parentIndex);
    if (shape !== undefined) return fail(shape);
    const relocation: Relocation = {
      from: c.parent,
      to: newParent,
      size: subtree.length,
      active: subtree.filter((w) => this.get(w).status === ChainStatus.Active).length,
    };
    const result = this.commit(true, (m) => {
      const r = m.get(id);
      const oldKids = r.parent === SETTLEMENT_ROOT ? m.s.rootChildren : m.get(r.parent).children;
      oldKids.splice(oldKids.indexOf(id), 1);
      (newParent === SETTLEMENT_ROOT ? m.s.rootChildren : m.get(newParent).children).push(id);
      r.parent = newParent;
      for (const w of subtree) m.get(w).latestAck = 0n;
      m.settle();
      return undefined;
    });
    return result.ok ? { ...result, relocation } : result;
  }

  /* ------------------------------------------------------------------ internals */

  /** What discarding the chain's pending commitments drops now (undefined when it has none). */
  private discardOf(id: bigint): Discard | undefined {
    const c = this.get(id);
    const last = c.commitments.length - 1;
    return last === c.finalizedIndex ? undefined : { chainId: id, finalizedIndex: c.finalizedIndex, discardedTo: last };
  }

  /** The contract's `_takeChildSlot(child, parent)` checks. */
  private childSlotError(child: bigint, parent: bigint): RegistryErrorName | undefined {
    const lim = this.s.limits;
    if (parent === SETTLEMENT_ROOT) {
      return this.s.rootChildren.length >= lim.maxFanOut ? "RegistryFanOutExceeded" : undefined;
    }
    const p = this.s.chains.get(parent);
    if (!p) return "RegistryUnknownChain";
    if (p.status !== ChainStatus.Active) return "RegistryChainNotActive";
    for (let u = parent; u !== SETTLEMENT_ROOT; u = this.get(u).parent) {
      if (u === child) return "RegistryBadNewParent";
    }
    return p.children.length >= lim.maxFanOut ? "RegistryFanOutExceeded" : undefined;
  }

  /** The contract's `_checkSubtree` checks, in order. */
  private subtreeError(
    root: bigint,
    baseDepth: number,
    subtree: bigint[],
    parentIndex: number[],
  ): RegistryErrorName | undefined {
    const n = subtree.length;
    if (n === 0 || parentIndex.length !== n || subtree[0] !== root) return "RegistryBadSubtree";
    const maxDepth = this.s.limits.maxDepth;
    if (baseDepth > maxDepth) return "RegistryDepthExceeded";
    const depth = [baseDepth];
    const lastChild = new Array<bigint>(n).fill(0n);
    let children = this.get(root).children.length;
    for (let i = 1; i < n; i++) {
      const e = subtree[i]!;
      const p = parentIndex[i]!;
      if (p >= i || subtree[p] !== this.parentOf(e) || e <= lastChild[p]!) return "RegistryBadSubtree";
      lastChild[p] = e;
      depth[i] = depth[p]! + 1;
      if (depth[i]! > maxDepth) return "RegistryDepthExceeded";
      children += this.s.chains.get(e)?.children.length ?? 0;
    }
    return children === n - 1 ? undefined : "RegistryBadSubtree";
  }

  /** The block a transaction sent now lands in. */
  private currentBlock(): bigint {
    return this.s.blockNumber + 1n;
  }

  /**
   * Finality by brute force: for every chain, the newest commitment newer than the finalized one that
   * meets 2·a > b becomes the finalized one (older ones are pruned by the views).
   */
  private settle(): void {
    for (const id of this.s.order) {
      const c = this.get(id);
      for (let j = c.commitments.length - 1; j > c.finalizedIndex; j--) {
        if (this.meetsRule(id, j)) {
          c.finalizedIndex = j;
          break;
        }
      }
    }
  }

  /**
   * Runs `apply` on a copy of the state; if it returns an error name the copy is dropped (the
   * transaction reverts), otherwise the copy replaces the state. Reports the finalized-index changes.
   */
  private commit(
    autoMine: boolean,
    apply: (m: RegistryModel) => number | undefined | RegistryErrorName,
  ): { ok: true; index?: number; finalized: Finalization[] } | { ok: false; error: RegistryErrorName } {
    const next = new RegistryModel(this.s.limits, this.s.blockNumber, this.roleHolders);
    next.s = structuredClone(this.s);
    const out = apply(next);
    if (typeof out === "string") return fail(out);
    const finalized: Finalization[] = [];
    for (const id of this.s.order) {
      const from = this.get(id).finalizedIndex;
      const to = next.get(id).finalizedIndex;
      if (to !== from) finalized.push({ chainId: id, from, to });
    }
    if (autoMine) next.s.blockNumber += 1n;
    this.s = next.s;
    return out === undefined ? { ok: true, finalized } : { ok: true, index: out, finalized };
  }

  private get(id: bigint): ChainFacts {
    const c = this.s.chains.get(id);
    if (!c) throw new Error(`model: unknown chain ${id}`);
    return c;
  }
}

function fail(error: RegistryErrorName): OpResult {
  return { ok: false, error };
}
