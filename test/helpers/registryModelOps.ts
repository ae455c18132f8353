/**
 * Random operations for the model-based test of the ValidiumRegistry (test/model/Registry.model.test.ts).
 *
 * Operations are generated abstractly (fast-check arbitraries: "update the k-th chain with an ack of
 * this kind") and resolved against the reference model at run time into concrete calls (chain id,
 * caller, ack block, roots), so one generated sequence is meaningful whatever tree it builds. Nothing
 * here talks to a node: the same code can drive the model alone.
 */
import fc from "fast-check";

import { RegistryModel, ZERO_ADDRESS, type OpResult } from "../../src/model/registryModel.ts";
import { ChainStatus, demoRoot } from "../../src/sdk/registry.ts";

/* ---------------------------------------------------------------------- abstract operations */

/**
 * How an update chooses its ack block, relative to the chain's previous ack and the current block.
 * "boundary" picks t or t + 1 for the block t of a live commitment of the chain or of an ancestor (the
 * edges of "ack > t"), within the valid range.
 */
export type AckKind = "current" | "random" | "boundary" | "keep" | "future" | "decreasing";
/** How an update is made invalid before the ack checks (or not). */
export type UpdateFault = "none" | "notOperator" | "badPrev" | "unknownChain";
/** How a registration picks its parent, or how it is made invalid. */
export type RegisterMode =
  | "active"
  | "deep"
  | "full"
  | "any"
  | "unknownParent"
  | "existingId"
  | "reservedId"
  | "zeroOperator"
  | "lowStake"
  | "outsider";

export interface UpdateOp {
  kind: "update";
  /** Which chain (index into the candidates, modulo their number). */
  pick: number;
  /** Candidates are the Active chains (when any) rather than all chains. */
  activeOnly: boolean;
  ack: AckKind;
  /** 0..999: where in its range a random ack falls. */
  r: number;
  fault: UpdateFault;
}

export interface RegisterOp {
  kind: "register";
  pick: number;
  mode: RegisterMode;
}

export interface StatusOp {
  kind: "status";
  pick: number;
  to: ChainStatus;
  /** Pick among the chains for which the change is allowed (when any) rather than among all. */
  allowedOnly: boolean;
  outsider: boolean;
}

export interface MineOp {
  kind: "mine";
  blocks: number;
}

/** Two updates in one block (automine off, both sent, one evm_mine). */
export interface SameBlockOp {
  kind: "sameBlock";
  first: UpdateOp;
  second: UpdateOp;
  /** The second update is by the same chain as the first (it must build on the first's root). */
  sameChain: boolean;
}

/** How an election picks its chain, or how it is made invalid. */
export type ElectMode = "any" | "frozen" | "pending" | "zeroOperator" | "unknownChain" | "ejected" | "outsider";

/** An emergency election (`installElectedOperator`) sent by the election role holder. */
export interface ElectOp {
  kind: "elect";
  pick: number;
  mode: ElectMode;
}

/** How a relocation picks the new parent. */
export type RelocateTarget = "eligible" | "root" | "any" | "inSubtree" | "currentParent" | "unknownParent";
/** How a relocation's subtree list is corrupted (or not). */
export type RelocateFault =
  | "none"
  | "empty"
  | "shortIndex"
  | "wrongFirst"
  | "dropLast"
  | "swap"
  | "badIndex"
  | "duplicate"
  | "outsideId"
  | "unknownChain"
  | "outsider";

/** A subtree relocation (`relocate`) sent by the relocator role holder. */
export interface RelocateOp {
  kind: "relocate";
  /** Which chain (an Active one when `activeOnly` and there is one). */
  pick: number;
  activeOnly: boolean;
  parentPick: number;
  target: RelocateTarget;
  fault: RelocateFault;
  /** 0..999: where a corruption applies. */
  r: number;
}

export type Op = UpdateOp | RegisterOp | StatusOp | MineOp | SameBlockOp | ElectOp | RelocateOp;

/** Relative weights of the operation kinds and their variants. */
export interface Profile {
  name: string;
  ops: {
    register: number;
    update: number;
    sameBlock: number;
    status: number;
    mine: number;
    elect: number;
    relocate: number;
  };
  ack: Record<AckKind, number>;
  fault: Record<UpdateFault, number>;
  register: Record<RegisterMode, number>;
  /** Weight of picking candidate 0 (the oldest) for updates, against a uniform pick (weight 1); 0: uniform. */
  pickFirst: number;
  maxMine: number;
}

/** Random trees: mostly valid operations, every kind of rejection now and then, depth 8 reachable. */
export const TREE_PROFILE: Profile = {
  name: "tree",
  ops: { register: 28, update: 34, sameBlock: 8, status: 22, mine: 8, elect: 7, relocate: 12 },
  ack: { current: 30, random: 22, boundary: 23, keep: 12, future: 6, decreasing: 7 },
  fault: { none: 88, notOperator: 4, badPrev: 4, unknownChain: 4 },
  register: {
    active: 30,
    deep: 60,
    full: 8,
    any: 6,
    unknownParent: 2,
    existingId: 2,
    reservedId: 2,
    zeroOperator: 2,
    lowStake: 2,
    outsider: 2,
  },
  pickFirst: 0,
  maxMine: 4,
};

/**
 * Long runs on small trees where the oldest chain makes most updates and rarely gets a majority:
 * drives chains to MAX_PENDING pending commitments (RegistryTooManyPending). (An update accepted at
 * the limit because its own ack finalizes first, and the ring of 64 wrapping, are the scripted case
 * test_model_updateAtPendingLimitFinalizesFirst.)
 */
export const PENDING_PROFILE: Profile = {
  name: "pending",
  ops: { register: 8, update: 82, sameBlock: 4, status: 2, mine: 4, elect: 2, relocate: 2 },
  ack: { current: 20, random: 15, boundary: 15, keep: 40, future: 4, decreasing: 6 },
  fault: { none: 96, notOperator: 1, badPrev: 2, unknownChain: 1 },
  register: {
    active: 90,
    deep: 10,
    full: 0,
    any: 0,
    unknownParent: 0,
    existingId: 0,
    reservedId: 0,
    zeroOperator: 0,
    lowStake: 0,
    outsider: 0,
  },
  pickFirst: 60,
  maxMine: 2,
};

const ELECT_MODES: Record<ElectMode, number> = {
  any: 30,
  frozen: 25,
  pending: 30,
  zeroOperator: 3,
  unknownChain: 3,
  ejected: 4,
  outsider: 3,
};

const RELOCATE_TARGETS: Record<RelocateTarget, number> = {
  eligible: 60,
  root: 12,
  any: 10,
  inSubtree: 6,
  currentParent: 4,
  unknownParent: 3,
};

const RELOCATE_FAULTS: Record<RelocateFault, number> = {
  none: 60,
  empty: 3,
  shortIndex: 3,
  wrongFirst: 3,
  dropLast: 5,
  swap: 5,
  badIndex: 5,
  duplicate: 4,
  outsideId: 4,
  unknownChain: 3,
  outsider: 3,
};

function weighted<T>(weights: Record<string, number>, make: (key: string) => fc.Arbitrary<T>): fc.Arbitrary<T> {
  const entries = Object.entries(weights).filter(([, w]) => w > 0);
  return fc.oneof(...entries.map(([key, weight]) => ({ arbitrary: make(key), weight })));
}

function updateArb(p: Profile): fc.Arbitrary<UpdateOp> {
  const pick = p.pickFirst > 0 ? fc.oneof({ arbitrary: fc.constant(0), weight: p.pickFirst }, fc.nat(63)) : fc.nat(63);
  return fc.record({
    kind: fc.constant("update" as const),
    pick,
    activeOnly: fc.nat(9).map((x) => x !== 0),
    ack: weighted(p.ack, (k) => fc.constant(k as AckKind)),
    r: fc.nat(999),
    fault: weighted(p.fault, (k) => fc.constant(k as UpdateFault)),
  });
}

/** An arbitrary operation under profile `p`. */
export function opArb(p: Profile): fc.Arbitrary<Op> {
  const update = updateArb(p);
  const arbs: Record<Op["kind"], fc.Arbitrary<Op>> = {
    update,
    register: fc.record({
      kind: fc.constant("register" as const),
      pick: fc.nat(63),
      mode: weighted(p.register, (k) => fc.constant(k as RegisterMode)),
    }),
    status: fc.record({
      kind: fc.constant("status" as const),
      pick: fc.nat(63),
      to: fc.oneof(
        { arbitrary: fc.constant<ChainStatus>(ChainStatus.Frozen), weight: 40 },
        { arbitrary: fc.constant<ChainStatus>(ChainStatus.Active), weight: 40 },
        { arbitrary: fc.constant<ChainStatus>(ChainStatus.Ejected), weight: 10 },
        { arbitrary: fc.constant<ChainStatus>(ChainStatus.None), weight: 6 },
      ),
      allowedOnly: fc.nat(5).map((x) => x !== 0),
      outsider: fc.nat(49).map((x) => x === 0),
    }),
    mine: fc.record({ kind: fc.constant("mine" as const), blocks: fc.integer({ min: 1, max: p.maxMine }) }),
    elect: fc.record({
      kind: fc.constant("elect" as const),
      pick: fc.nat(63),
      mode: weighted(ELECT_MODES, (k) => fc.constant(k as ElectMode)),
    }),
    relocate: fc.record({
      kind: fc.constant("relocate" as const),
      pick: fc.nat(63),
      activeOnly: fc.nat(7).map((x) => x !== 0),
      parentPick: fc.nat(63),
      target: weighted(RELOCATE_TARGETS, (k) => fc.constant(k as RelocateTarget)),
      fault: weighted(RELOCATE_FAULTS, (k) => fc.constant(k as RelocateFault)),
      r: fc.nat(999),
    }),
    sameBlock: fc.record({
      kind: fc.constant("sameBlock" as const),
      first: update,
      second: update,
      sameChain: fc.boolean(),
    }),
  };
  return weighted(p.ops, (k) => arbs[k as Op["kind"]]);
}

/** A sequence of exactly `steps` operations under profile `p`. */
export function opsArb(p: Profile, steps: number): fc.Arbitrary<Op[]> {
  return fc.array(opArb(p), { minLength: steps, maxLength: steps });
}

/* ---------------------------------------------------------------------- concrete actions */

/** The addresses the test controls. */
export interface Accounts {
  admin: string;
  outsider: string;
  operators: string[];
  verifier: string;
}

export interface RegisterAction {
  kind: "register";
  caller: string;
  id: bigint;
  parent: bigint;
  operator: string;
  verifier: string;
  genesisRoot: string;
  value: bigint;
}

export interface UpdateAction {
  kind: "update";
  caller: string;
  chainId: bigint;
  ackBlock: bigint;
  prevRoot: string;
  newRoot: string;
}

export interface StatusAction {
  kind: "status";
  caller: string;
  chainId: bigint;
  /** The chain's status before the change (for the expected event). */
  from: ChainStatus;
  status: ChainStatus;
}

export interface ElectAction {
  kind: "elect";
  caller: string;
  chainId: bigint;
  operator: string;
}

export interface RelocateAction {
  kind: "relocate";
  caller: string;
  chainId: bigint;
  newParent: bigint;
  subtree: bigint[];
  parentIndex: number[];
}

export type Action = RegisterAction | UpdateAction | StatusAction | ElectAction | RelocateAction;

/** The operator of chain `id` (shared round-robin when chains outnumber the operators). */
export function operatorFor(accounts: Accounts, id: bigint): string {
  return accounts.operators[Number(id) % accounts.operators.length]!;
}

/** A fresh 32-byte root, distinct per (chain, step, slot). */
export function rootFor(chainId: bigint, step: number, slot: number): string {
  return demoRoot(chainId, 1 + step * 4 + slot);
}

function nextId(model: RegistryModel): bigint {
  return BigInt(model.chainIds().length + 1);
}

/** Resolves a registration against the model. */
export function resolveRegister(op: RegisterOp, model: RegistryModel, accounts: Accounts): RegisterAction {
  const ids = model.chainIds();
  const active = ids.filter((id) => model.status(id) === ChainStatus.Active);
  let id = nextId(model);
  let parent = 0n;
  let caller = accounts.admin;
  let operator = operatorFor(accounts, id);
  let value = model.limits.minStake;
  switch (op.mode) {
    case "active": {
      const candidates = [0n, ...active];
      parent = candidates[op.pick % candidates.length]!;
      break;
    }
    case "deep": {
      // The deepest Active chains (ties by pick): drives the tree towards maxDepth.
      if (active.length > 0) {
        const depth = Math.max(...active.map((c) => model.depth(c)));
        const deepest = active.filter((c) => model.depth(c) === depth);
        parent = deepest[op.pick % deepest.length]!;
      }
      break;
    }
    case "full": {
      // The Active chain with the most children (the settlement chain if none): drives fan-out to its limit.
      const candidates = active.length > 0 ? active : [0n];
      const most = Math.max(...candidates.map((c) => model.childCount(c)));
      const fullest = candidates.filter((c) => model.childCount(c) === most);
      parent = fullest[op.pick % fullest.length]!;
      break;
    }
    case "any": {
      const candidates = [0n, ...ids];
      parent = candidates[op.pick % candidates.length]!;
      break;
    }
    case "unknownParent":
      parent = id + 1n + BigInt(op.pick);
      break;
    case "existingId":
      if (ids.length > 0) id = ids[op.pick % ids.length]!;
      break;
    case "reservedId":
      id = 0n;
      break;
    case "zeroOperator":
      operator = ZERO_ADDRESS;
      break;
    case "lowStake":
      value = model.limits.minStake > 0n ? model.limits.minStake - 1n : 0n;
      break;
    case "outsider":
      caller = accounts.outsider;
      break;
  }
  if (op.mode !== "lowStake" && op.pick % 3 === 0) value += BigInt(op.pick);
  return {
    kind: "register",
    caller,
    id,
    parent,
    operator,
    verifier: accounts.verifier,
    genesisRoot: demoRoot(id, 0),
    value,
  };
}

/** Resolves an update against the model; `forceChain` overrides the chain choice. */
export function resolveUpdate(
  op: UpdateOp,
  model: RegistryModel,
  accounts: Accounts,
  step: number,
  slot: number,
  forceChain?: bigint,
): UpdateAction {
  const ids = model.chainIds();
  const active = ids.filter((id) => model.status(id) === ChainStatus.Active);
  const candidates = op.activeOnly && active.length > 0 ? active : ids;
  let chainId = forceChain ?? (candidates.length > 0 ? candidates[op.pick % candidates.length]! : 1n);
  if (op.fault === "unknownChain") chainId = nextId(model) + BigInt(op.pick);
  const known = model.has(chainId);
  const current = model.blockNumber + 1n;
  const prev = model.latestAck(chainId);
  let ackBlock: bigint;
  switch (op.ack) {
    case "current":
      ackBlock = current;
      break;
    case "keep":
      ackBlock = prev;
      break;
    case "random":
      ackBlock = prev + ((current - prev + 1n) * BigInt(op.r)) / 1000n;
      break;
    case "boundary": {
      const edges = known ? boundaryAcks(model, chainId, prev, current) : [];
      ackBlock = edges.length > 0 ? edges[op.r % edges.length]! : current;
      break;
    }
    case "future":
      ackBlock = current + 1n + BigInt(op.r % 3);
      break;
    case "decreasing":
      ackBlock = prev > 0n ? prev - 1n - ((prev - 1n) * BigInt(op.r)) / 1000n : prev;
      break;
  }
  let caller = known ? model.operatorOf(chainId)! : operatorFor(accounts, chainId);
  if (op.fault === "notOperator") {
    caller = accounts.operators.find((a) => a.toLowerCase() !== caller.toLowerCase()) ?? accounts.outsider;
  }
  let prevRoot = model.latestRoot(chainId);
  if (op.fault === "badPrev") prevRoot = rootFor(chainId, step, 3);
  return { kind: "update", caller, chainId, ackBlock, prevRoot, newRoot: rootFor(chainId, step, slot) };
}

/** Valid ack blocks t and t + 1 for the blocks t of the live commitments on the path of `id`. */
function boundaryAcks(model: RegistryModel, id: bigint, prev: bigint, current: bigint): bigint[] {
  const edges = new Set<bigint>();
  for (const u of [id, ...model.ancestors(id)]) {
    for (let j = model.finalizedIndex(u); j <= model.latestIndex(u); j++) {
      const t = model.commitmentBlock(u, j);
      for (const ack of [t, t + 1n]) if (ack >= prev && ack <= current) edges.add(ack);
    }
  }
  return [...edges].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** Resolves a status change against the model. */
export function resolveStatus(op: StatusOp, model: RegistryModel, accounts: Accounts): StatusAction {
  const ids = model.chainIds();
  const allowed = ids.filter((id) => {
    const from = model.status(id);
    return from !== ChainStatus.Ejected && op.to !== ChainStatus.None && op.to !== from;
  });
  const candidates = op.allowedOnly && allowed.length > 0 ? allowed : ids;
  const chainId = candidates.length > 0 ? candidates[op.pick % candidates.length]! : 1n;
  const caller = op.outsider ? accounts.outsider : accounts.admin;
  return { kind: "status", caller, chainId, from: model.status(chainId), status: op.to };
}

/** Resolves an election against the model: the elected operator is one of the test's operators. */
export function resolveElect(op: ElectOp, model: RegistryModel, accounts: Accounts): ElectAction {
  const ids = model.chainIds();
  const by = (keep: (id: bigint) => boolean) => {
    const c = ids.filter(keep);
    return c.length > 0 ? c[op.pick % c.length]! : ids[op.pick % ids.length]!;
  };
  let chainId: bigint;
  switch (op.mode) {
    case "frozen":
      chainId = by((id) => model.status(id) === ChainStatus.Frozen);
      break;
    case "pending":
      chainId = by((id) => model.pendingCount(id) > 0 && model.status(id) !== ChainStatus.Ejected);
      break;
    case "ejected":
      chainId = by((id) => model.status(id) === ChainStatus.Ejected);
      break;
    case "unknownChain":
      chainId = nextId(model) + BigInt(op.pick);
      break;
    default:
      chainId = ids[op.pick % ids.length]!;
  }
  const operator =
    op.mode === "zeroOperator" ? ZERO_ADDRESS : accounts.operators[(op.pick * 7 + 3) % accounts.operators.length]!;
  const caller = op.mode === "outsider" ? accounts.outsider : accounts.admin;
  return { kind: "elect", caller, chainId, operator };
}

/** Resolves a relocation against the model: the subtree list in the required order, maybe corrupted. */
export function resolveRelocate(op: RelocateOp, model: RegistryModel, accounts: Accounts): RelocateAction {
  const ids = model.chainIds();
  const active = ids.filter((id) => model.status(id) === ChainStatus.Active);
  const candidates = op.activeOnly && active.length > 0 ? active : ids;
  let chainId = candidates[op.pick % candidates.length]!;
  if (op.fault === "unknownChain") chainId = nextId(model) + BigInt(op.pick);
  const known = model.has(chainId);
  const { subtree, parentIndex } = known ? model.subtreeList(chainId) : { subtree: [chainId], parentIndex: [0] };
  const inSubtree = new Set(subtree);
  let newParent: bigint;
  switch (op.target) {
    case "root":
      newParent = 0n;
      break;
    case "any":
      newParent = ids[op.parentPick % ids.length]!;
      break;
    case "inSubtree":
      newParent = subtree[op.parentPick % subtree.length]!;
      break;
    case "currentParent":
      newParent = model.parentOf(chainId);
      break;
    case "unknownParent":
      newParent = nextId(model) + 1n + BigInt(op.parentPick);
      break;
    case "eligible": {
      const lim = model.limits;
      const ok = active.filter(
        (p) =>
          !inSubtree.has(p) &&
          p !== model.parentOf(chainId) &&
          model.depth(p) < lim.maxDepth &&
          model.childCount(p) < lim.maxFanOut,
      );
      newParent = ok.length > 0 ? ok[op.parentPick % ok.length]! : 0n;
      break;
    }
  }
  const { list, index } = corruptSubtree(op, subtree, parentIndex, nextId(model));
  const caller = op.fault === "outsider" ? accounts.outsider : accounts.admin;
  return { kind: "relocate", caller, chainId, newParent, subtree: list, parentIndex: index };
}

function corruptSubtree(
  op: RelocateOp,
  subtree: bigint[],
  parentIndex: number[],
  unknownId: bigint,
): { list: bigint[]; index: number[] } {
  const list = [...subtree];
  const index = [...parentIndex];
  const n = list.length;
  const at = op.r % n;
  switch (op.fault) {
    case "empty":
      return { list: [], index: [] };
    case "shortIndex":
      index.pop();
      break;
    case "wrongFirst":
      list[0] = n > 1 ? list[n - 1]! : unknownId;
      break;
    case "dropLast":
      list.pop();
      index.pop();
      break;
    case "swap":
      if (n > 2) {
        const i = 1 + (op.r % (n - 2));
        [list[i], list[i + 1]] = [list[i + 1]!, list[i]!];
        [index[i], index[i + 1]] = [index[i + 1]!, index[i]!];
      }
      break;
    case "badIndex":
      index[at] = op.r % (n + 1);
      break;
    case "duplicate":
      list.push(list[at]!);
      index.push(index[at]!);
      break;
    case "outsideId":
      list.push(unknownId + BigInt(op.r));
      index.push(op.r % n);
      break;
    default:
      break;
  }
  return { list, index };
}

/** Applies a concrete action to the model (automined unless `autoMine` is false). */
export function applyToModel(model: RegistryModel, action: Action, autoMine = true): OpResult {
  switch (action.kind) {
    case "register":
      return model.register(
        action.caller,
        action.id,
        action.parent,
        action.operator,
        action.verifier,
        action.genesisRoot,
        action.value,
      );
    case "update":
      return model.submitUpdate(action.caller, action, autoMine);
    case "status":
      return model.setStatus(action.caller, action.chainId, action.status);
    case "elect":
      return model.installElectedOperator(action.caller, action.chainId, action.operator);
    case "relocate":
      return model.relocate(action.caller, action.chainId, action.newParent, action.subtree, action.parentIndex);
  }
}

/** A one-line description of an action, for failure messages. */
export function describeAction(a: Action): string {
  switch (a.kind) {
    case "register":
      return `register(id ${a.id}, parent ${a.parent}, op ${a.operator.slice(0, 8)}, value ${a.value}) by ${a.caller.slice(0, 8)}`;
    case "update":
      return `update(chain ${a.chainId}, ack ${a.ackBlock}, prev ${a.prevRoot.slice(-6)}) by ${a.caller.slice(0, 8)}`;
    case "status":
      return `setStatus(chain ${a.chainId}, ${a.status}) by ${a.caller.slice(0, 8)}`;
    case "elect":
      return `elect(chain ${a.chainId}, op ${a.operator.slice(0, 8)}) by ${a.caller.slice(0, 8)}`;
    case "relocate":
      return `relocate(chain ${a.chainId} -> ${a.newParent}, [${a.subtree.join(" ")}] / [${a.parentIndex.join(" ")}]) by ${a.caller.slice(0, 8)}`;
  }
}

/* ---------------------------------------------------------------------- coverage */

/** What the random runs exercised; printed by the test so that weak coverage is visible. */
export class Coverage {
  runs = 0;
  steps = 0;
  txs = 0;
  sameBlockPairs = 0;
  sameBlockSameChain = 0;
  finalizations = 0;
  /** Finalizations that pruned more than one commitment, or that happened on an ancestor. */
  multiPrunes = 0;
  ancestorFinalizations = 0;
  statusFinalizations = 0;
  maxDepth = 0;
  runsReachingMaxDepth = 0;
  maxPending = 0;
  /** Updates accepted at MAX_PENDING pending because their own ack finalized first. */
  updatesAtLimit = 0;
  maxChains = 0;
  /** Elections that discarded at least one commitment; relocations that moved more than one chain. */
  rollbacks = 0;
  /** Status changes out of Active that discarded at least one pending commitment. */
  statusDiscards = 0;
  subtreeMoves = 0;
  /** Finalizations caused by an election's unfreeze or a relocation (on the old path, judged after the move). */
  electFinalizations = 0;
  relocateFinalizations = 0;
  okByKind: Record<string, number> = {};
  errors: Record<string, number> = {};

  private runMaxDepth = 0;

  startRun(): void {
    this.runs++;
    this.runMaxDepth = 0;
  }

  endRun(limitDepth: number): void {
    if (this.runMaxDepth >= limitDepth) this.runsReachingMaxDepth++;
  }

  record(action: Action, result: OpResult, model: RegistryModel): void {
    this.txs++;
    if (!result.ok) {
      let key: string = result.error;
      if (key === "RegistryFanOutExceeded" && action.kind === "register") {
        key += action.parent === 0n ? "@root" : "@chain";
      }
      this.errors[key] = (this.errors[key] ?? 0) + 1;
      return;
    }
    const key = action.kind === "status" ? `status->${action.status}` : action.kind;
    this.okByKind[key] = (this.okByKind[key] ?? 0) + 1;
    if (result.election && result.election.discardedTo > result.election.rolledBackTo) this.rollbacks++;
    if (action.kind === "status" && result.discarded !== undefined) this.statusDiscards++;
    if (result.relocation && result.relocation.size > 1) this.subtreeMoves++;
    if (action.kind === "elect") this.electFinalizations += result.finalized.length;
    if (action.kind === "relocate") this.relocateFinalizations += result.finalized.length;
    for (const f of result.finalized) {
      if (action.kind === "update" && f.chainId === action.chainId) {
        if (model.latestIndex(f.chainId) - 1 - f.from >= RegistryModel.MAX_PENDING) this.updatesAtLimit++;
      }
      this.finalizations++;
      if (f.to - f.from > 1) this.multiPrunes++;
      if (action.kind === "update" && f.chainId !== action.chainId) this.ancestorFinalizations++;
      if (action.kind === "status") this.statusFinalizations++;
    }
    const ids = model.chainIds();
    this.maxChains = Math.max(this.maxChains, ids.length);
    for (const id of ids) {
      const d = model.depth(id);
      this.runMaxDepth = Math.max(this.runMaxDepth, d);
      this.maxDepth = Math.max(this.maxDepth, d);
      this.maxPending = Math.max(this.maxPending, model.pendingCount(id));
    }
  }

  summary(): string {
    const sortObj = (o: Record<string, number>) =>
      Object.entries(o)
        .sort(([x], [y]) => x.localeCompare(y))
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
    return [
      `runs=${this.runs} steps=${this.steps} txs=${this.txs} maxChains=${this.maxChains} maxDepth=${this.maxDepth} runsAtMaxDepth=${this.runsReachingMaxDepth}`,
      `finalizations=${this.finalizations} (multi-prune ${this.multiPrunes}, on ancestors ${this.ancestorFinalizations}, by status change ${this.statusFinalizations}) maxPending=${this.maxPending} updatesAtLimit=${this.updatesAtLimit}`,
      `sameBlockPairs=${this.sameBlockPairs} (same chain ${this.sameBlockSameChain})`,
      `rollbacks=${this.rollbacks} statusDiscards=${this.statusDiscards} subtreeMoves=${this.subtreeMoves} finalizations by election ${this.electFinalizations}, by relocation ${this.relocateFinalizations}`,
      `ok: ${sortObj(this.okByKind)}`,
      `rejected: ${sortObj(this.errors)}`,
    ].join("\n");
  }
}

/* ---------------------------------------------------------------------- driving */

/** What runs the concrete actions against the real registry (or nothing, for the model alone). */
export interface Backend {
  /** Sends `action` in its own automined block and checks the outcome is `expected`. */
  send(action: Action, expected: OpResult): Promise<void>;
  /** Automine off: sends `action` into the pending block (or checks it reverts there) without mining. */
  sendPending(action: Action, expected: OpResult): Promise<void>;
  /** Turns automining on or off. */
  setAutomine(on: boolean): Promise<void>;
  /** Mines `k` blocks (with automine off, the first one includes the pending transactions). */
  mine(k: number): Promise<void>;
}

/**
 * Runs one abstract operation: resolves it against the model, applies it to the model, sends it to the
 * backend (which checks the outcome). Operations that need a chain when none exists register one.
 * @return A description of what was done, for failure messages.
 */
export async function runStep(
  op: Op,
  step: number,
  model: RegistryModel,
  accounts: Accounts,
  backend: Backend,
  coverage: Coverage,
): Promise<string> {
  coverage.steps++;
  const effective: Op =
    op.kind !== "mine" && op.kind !== "register" && model.chainIds().length === 0
      ? { kind: "register", pick: 0, mode: "active" }
      : op;
  const one = async (action: Action) => {
    const result = applyToModel(model, action);
    coverage.record(action, result, model);
    await backend.send(action, result);
    return `${describeAction(action)} -> ${result.ok ? "ok" : result.error}`;
  };
  switch (effective.kind) {
    case "mine":
      model.mine(effective.blocks);
      await backend.mine(effective.blocks);
      return `mine ${effective.blocks}`;
    case "register":
      return one(resolveRegister(effective, model, accounts));
    case "status":
      return one(resolveStatus(effective, model, accounts));
    case "elect":
      return one(resolveElect(effective, model, accounts));
    case "relocate":
      return one(resolveRelocate(effective, model, accounts));
    case "update":
      return one(resolveUpdate(effective, model, accounts, step, 0));
    case "sameBlock": {
      coverage.sameBlockPairs++;
      if (effective.sameChain) coverage.sameBlockSameChain++;
      const lines: string[] = [];
      await backend.setAutomine(false);
      try {
        const first = resolveUpdate(effective.first, model, accounts, step, 0);
        const second = (): UpdateAction =>
          resolveUpdate(effective.second, model, accounts, step, 1, effective.sameChain ? first.chainId : undefined);
        for (const action of [first, undefined]) {
          const a = action ?? second();
          const result = applyToModel(model, a, false);
          coverage.record(a, result, model);
          await backend.sendPending(a, result);
          lines.push(`${describeAction(a)} -> ${result.ok ? "ok" : result.error}`);
        }
        model.mine(1);
        await backend.mine(1);
      } finally {
        await backend.setAutomine(true);
      }
      return `same block: ${lines.join("; ")}`;
    }
  }
}
