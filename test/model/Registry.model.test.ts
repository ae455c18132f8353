/**
 * Model-based test of the ValidiumRegistry: random trees (up to depth 8) and random sequences of
 * registrations, updates (valid and invalid acks, two in one block), status changes, emergency elections
 * (rollbacks to the finalized commitment), subtree relocations (valid and corrupted) and mined blocks
 * are run against the contract and against the brute-force reference model (src/model/registryModel.ts).
 * After every step, every view of every chain and every commitment must match the model, every
 * rejected operation must revert with exactly the error the model names (and change nothing), and
 * every accepted one must emit exactly the events the model predicts.
 *
 * Reproduce a run with MODEL_SEED=<seed>; MODEL_RUNS / MODEL_STEPS change the size of the random
 * tree property.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import {
  ZeroAddress,
  ZeroHash,
  type ContractTransactionResponse,
  type Interface,
  type Result,
  type TransactionReceipt,
} from "ethers";
import fc from "fast-check";

import { RegistryModel, type ChainView, type CommitmentView, type OpResult } from "../../src/model/registryModel.ts";
import { ChainStatus, updateData } from "../../src/sdk/registry.ts";
import type { ClusterSeats, ValidiumRegistry } from "../../typechain-types/index.ts";
import { deployRegistry, ethers, networkHelpers, type RegistryFixture } from "../helpers/fixtures.ts";
import {
  Coverage,
  opsArb,
  PENDING_PROFILE,
  runStep,
  TREE_PROFILE,
  type Accounts,
  type Action,
  type Backend,
  type ElectOp,
  type Op,
  type RelocateOp,
  type UpdateOp,
} from "../helpers/registryModelOps.ts";

/** Small fan-out so that random trees grow deep (depth 8 is reached) and fan-out limits are hit. */
const LIMITS = { maxFanOut: 3, maxDepth: 8, minStake: 1000n };

const CI = process.env.CI === "true" || process.env.CI === "1";
const SEED = Number(process.env.MODEL_SEED ?? 0x636b);
const TREE_RUNS = Number(process.env.MODEL_RUNS ?? (CI ? 60 : 40));
const TREE_STEPS = Number(process.env.MODEL_STEPS ?? 30);
const PENDING_RUNS = CI ? 4 : 3;
const PENDING_STEPS = 100;

/** The registry with ELECTION_ROLE and RELOCATOR_ROLE also granted to the admin signer (the model's caller). */
async function modelFixture(): Promise<RegistryFixture> {
  const f = await deployRegistry(LIMITS);
  await (await f.registry.grantRole(await f.registry.ELECTION_ROLE(), f.admin.address)).wait();
  await (await f.registry.grantRole(await f.registry.RELOCATOR_ROLE(), f.admin.address)).wait();
  return f;
}

/* ------------------------------------------------------------------------ reading the registry */

/** Everything the registry's views say, in the shape the model predicts. */
interface Snapshot {
  blockNumber: bigint;
  chainCount: number;
  chainIds: bigint[];
  chains: ChainSnapshot[];
  limits: { maxFanOut: number; maxDepth: number; minStake: bigint };
  /** `seats().seatCount()`: the members, chains that are Active or Frozen. */
  seatCount: number;
  maxPending: number;
  /** `chain(nextId)` and `chain(0)` reverts. */
  unknownChain: string;
  settlementChain: string;
}

/** The model's chain view as read from the contract, plus the other per-chain views. */
interface ChainSnapshot extends Omit<ChainView, "status"> {
  status: number;
  /** `subtreeSize(id)`. */
  subtreeSizeView: number;
  commitments: CommitmentView[];
  acceptance: Array<[number, number]>;
  latest: { index: number; info: CommitmentView };
  finalized: { index: number; info: CommitmentView };
  /** `commitment(id, latestIndex + 1)` revert. */
  beyondLatest: string;
  /** `seats().hasSeat(id)`: minted on registration, burned on ejection. */
  hasSeat: boolean;
}

class Reader {
  /** The untyped ABI coder (typechain's typed overloads do not take a function name variable). */
  private readonly iface: Interface;
  private readonly seatsIface: Interface;

  constructor(
    registry: ValidiumRegistry,
    private readonly address: string,
    seats: ClusterSeats,
    private readonly seatsAddress: string,
  ) {
    this.iface = registry.interface;
    this.seatsIface = seats.interface;
  }

  /** A raw eth_call of a view (much cheaper than going through the contract wrapper). */
  async call(fn: string, args: unknown[]): Promise<Result> {
    return this.rawCall(this.iface, this.address, fn, args);
  }

  /** A raw eth_call of a view of the registry's seats. */
  async seatsCall(fn: string, args: unknown[]): Promise<Result> {
    return this.rawCall(this.seatsIface, this.seatsAddress, fn, args);
  }

  private async rawCall(iface: Interface, to: string, fn: string, args: unknown[]): Promise<Result> {
    const data = iface.encodeFunctionData(fn, args);
    const raw: string = await ethers.provider.send("eth_call", [{ to, data }, "latest"]);
    return iface.decodeFunctionResult(fn, raw);
  }

  /** The custom error (name and arguments) a view reverts with. */
  async revert(fn: string, args: unknown[]): Promise<string> {
    try {
      await this.call(fn, args);
    } catch (e) {
      const data = (e as { data?: string }).data;
      const parsed = data === undefined ? null : this.iface.parseError(data);
      if (parsed === null) throw e;
      return `${parsed.name}(${parsed.args.map(String).join(",")})`;
    }
    return `${fn}(${args.join(",")}) did not revert`;
  }

  async snapshot(nextId: bigint): Promise<Snapshot> {
    const chainCount = Number((await this.call("chainCount", []))[0]);
    const chainIds: bigint[] = [];
    for (let i = 0; i < chainCount; i++) chainIds.push((await this.call("chainIdAt", [i]))[0] as bigint);
    const chains: ChainSnapshot[] = [];
    for (const id of chainIds) {
      const c = (await this.call("chain", [id]))[0] as Result;
      const latestIndex = Number(c.latestIndex);
      const commitments: CommitmentView[] = [];
      const acceptance: Array<[number, number]> = [];
      for (let j = 0; j <= latestIndex; j++) {
        commitments.push(commitmentView((await this.call("commitment", [id, j]))[0] as Result));
        const [a, b] = await this.call("acceptance", [id, j]);
        acceptance.push([Number(a), Number(b)]);
      }
      const [li, linfo] = await this.call("latestCommitment", [id]);
      const [fi, finfo] = await this.call("finalizedCommitment", [id]);
      chains.push({
        id,
        parent: c.parent as bigint,
        operator: (c.operator as string).toLowerCase(),
        verifier: (c.verifier as string).toLowerCase(),
        status: Number(c.status),
        depth: Number(c.depth),
        childCount: Number(c.childCount),
        subtreeSize: Number(c.subtreeSize),
        stake: c.stake as bigint,
        latestAck: c.latestAck as bigint,
        latestIndex,
        finalizedIndex: Number(c.finalizedIndex),
        subtreeSizeView: Number((await this.call("subtreeSize", [id]))[0]),
        ancestors: [...((await this.call("ancestors", [id]))[0] as bigint[])],
        commitments,
        acceptance,
        latest: { index: Number(li), info: commitmentView(linfo as Result) },
        finalized: { index: Number(fi), info: commitmentView(finfo as Result) },
        beyondLatest: await this.revert("commitment", [id, latestIndex + 1]),
        hasSeat: (await this.seatsCall("hasSeat", [id]))[0] as boolean,
      });
    }
    const lim = (await this.call("limits", []))[0] as Result;
    return {
      blockNumber: BigInt(await ethers.provider.getBlockNumber()),
      chainCount,
      chainIds,
      chains,
      limits: { maxFanOut: Number(lim.maxFanOut), maxDepth: Number(lim.maxDepth), minStake: lim.minStake as bigint },
      seatCount: Number((await this.seatsCall("seatCount", []))[0]),
      maxPending: Number((await this.call("MAX_PENDING", []))[0]),
      unknownChain: await this.revert("chain", [nextId]),
      settlementChain: await this.revert("chain", [0]),
    };
  }
}

function commitmentView(r: Result): CommitmentView {
  return {
    root: r.root as string,
    blockNumber: r.blockNumber as bigint,
    a: Number(r.a),
    b: Number(r.b),
    status: Number(r.status) as CommitmentView["status"],
  };
}

/** A member (seat holder) is a chain that is Active or Frozen. */
const isMember = (status: ChainStatus): boolean => status === ChainStatus.Active || status === ChainStatus.Frozen;

/** What the snapshot must be, from the model alone. */
function expectedSnapshot(model: RegistryModel, nextId: bigint): Snapshot {
  const chainIds = model.chainIds();
  return {
    blockNumber: model.blockNumber,
    chainCount: chainIds.length,
    chainIds,
    chains: chainIds.map((id) => {
      const v = model.chainView(id);
      const commitments = model.commitmentViews(id);
      return {
        ...v,
        operator: v.operator.toLowerCase(),
        verifier: v.verifier.toLowerCase(),
        subtreeSizeView: v.subtreeSize,
        commitments,
        acceptance: commitments.map((c): [number, number] => [c.a, v.subtreeSize]),
        latest: { index: v.latestIndex, info: commitments[v.latestIndex]! },
        finalized: { index: v.finalizedIndex, info: commitments[v.finalizedIndex]! },
        beyondLatest: `RegistryUnknownCommitment(${id},${v.latestIndex + 1})`,
        hasSeat: isMember(v.status),
      };
    }),
    limits: model.limits,
    seatCount: chainIds.filter((id) => isMember(model.chainView(id).status)).length,
    maxPending: RegistryModel.MAX_PENDING,
    unknownChain: `RegistryUnknownChain(${nextId})`,
    settlementChain: "RegistryUnknownChain(0)",
  };
}

/** Every leaf where `actual` and `expected` differ, as `path: contract X, model Y`. */
function diff(actual: unknown, expected: unknown, path = "views"): string[] {
  if (typeof actual === "object" && actual !== null && typeof expected === "object" && expected !== null) {
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    return [...keys].flatMap((k) => diff(a[k], e[k], Array.isArray(actual) ? `${path}[${k}]` : `${path}.${k}`));
  }
  return actual === expected ? [] : [`${path}: contract ${String(actual)}, model ${String(expected)}`];
}

/* ------------------------------------------------------------------------ sending to the registry */

const fmtEvent = (name: string, args: readonly unknown[]) =>
  `${name}(${args.map((x) => String(x).toLowerCase()).join(",")})`;

/**
 * The events a successful action must emit, in emission order. Within one transaction every finalized chain lies
 * on one path (the updated chain or the one changing status and its ancestors; a relocation's old parent and its
 * ancestors), which the contract walks upwards: deepest first. A discard (leaving Active, an election's rollback)
 * comes first of all, before the path is adjusted; the status change, election, update or relocation event last.
 */
function expectedEvents(model: RegistryModel, action: Action, result: OpResult & { ok: true }): string[] {
  const events: string[] = [];
  const d = result.discarded;
  if (d !== undefined) {
    events.push(fmtEvent("PendingCommitmentsDiscarded", [d.chainId, d.finalizedIndex, d.discardedTo]));
  }
  const byPath = [...result.finalized].sort((x, y) => model.depth(y.chainId) - model.depth(x.chainId));
  for (const f of byPath) {
    events.push(
      fmtEvent("CommitmentFinalized", [f.chainId, f.to]),
      fmtEvent("CommitmentsPruned", [f.chainId, f.from, f.to]),
    );
  }
  switch (action.kind) {
    case "register":
      events.push(
        fmtEvent("ChainRegistered", [
          action.id,
          action.parent,
          action.operator,
          action.verifier,
          model.depth(action.id),
          action.value,
          action.genesisRoot,
        ]),
        // registerChain admits with governance = operator, no escape verifier, zero code and config hashes.
        fmtEvent("ChainAdmitted", [
          action.id,
          action.operator,
          [action.operator, action.verifier, ZeroAddress, ZeroHash, ZeroHash],
        ]),
      );
      break;
    case "update":
      events.push(fmtEvent("UpdateSubmitted", [action.chainId, result.index, action.newRoot, action.ackBlock, 0]));
      break;
    case "status":
      events.push(fmtEvent("ChainStatusChanged", [action.chainId, action.from, action.status]));
      break;
    case "elect": {
      const e = result.election!;
      if (e.unfrozen) {
        events.push(fmtEvent("ChainStatusChanged", [action.chainId, ChainStatus.Frozen, ChainStatus.Active]));
      }
      events.push(
        fmtEvent("OperatorElected", [action.chainId, e.previous, e.operator, e.rolledBackTo, e.discardedTo, e.slashed]),
      );
      break;
    }
    case "relocate": {
      const r = result.relocation!;
      events.push(fmtEvent("ChainRelocated", [action.chainId, r.from, r.to, r.size, r.active]));
      break;
    }
  }
  return events;
}

/** Sends actions to the real registry and checks each outcome against the model's. */
class RegistryBackend implements Backend {
  private pending: Array<{ tx: ContractTransactionResponse; events: string[] }> = [];

  constructor(
    private readonly f: RegistryFixture,
    private readonly model: RegistryModel,
    private readonly signers: Map<string, HardhatEthersSigner>,
  ) {}

  private contractFor(action: Action): ValidiumRegistry {
    const signer = this.signers.get(action.caller.toLowerCase());
    if (signer === undefined) throw new Error(`no signer for ${action.caller}`);
    return this.f.registry.connect(signer);
  }

  private sendTx(action: Action, gasLimit?: bigint): Promise<ContractTransactionResponse> {
    const r = this.contractFor(action);
    const o = gasLimit === undefined ? {} : { gasLimit };
    switch (action.kind) {
      case "register":
        return r.registerChain(action.id, action.parent, action.operator, action.verifier, action.genesisRoot, {
          ...o,
          value: action.value,
        });
      case "update":
        return r.submitUpdate(updateData(action.chainId, action.prevRoot, action.newRoot, action.ackBlock), "0x", o);
      case "status":
        return r.setChainStatus(action.chainId, action.status, o);
      case "elect":
        return r.installElectedOperator(action.chainId, action.operator, o);
      case "relocate":
        return r.relocate(action.chainId, action.newParent, action.subtree, action.parentIndex, o);
    }
  }

  private async checkReceipt(receipt: TransactionReceipt | null, events: string[]): Promise<void> {
    expect(receipt, "receipt").to.not.equal(null);
    expect(receipt!.status, "receipt status").to.equal(1);
    expect(BigInt(receipt!.blockNumber), "mined in the model's block").to.equal(this.model.blockNumber);
    const got = receipt!.logs
      .map((log) => this.f.registry.interface.parseLog(log))
      .filter((e) => e !== null)
      .map((e) => fmtEvent(e.name, [...e.args]));
    expect(got, "events (in emission order)").to.deep.equal(events);
  }

  async send(action: Action, expected: OpResult): Promise<void> {
    if (!expected.ok) {
      await expect(this.sendTx(action)).to.be.revertedWithCustomError(this.f.registry, expected.error);
      return;
    }
    const tx = await this.sendTx(action);
    await this.checkReceipt(await tx.wait(), expectedEvents(this.model, action, expected));
  }

  async sendPending(action: Action, expected: OpResult): Promise<void> {
    if (action.kind !== "update") throw new Error("only updates are sent into a pending block");
    if (!expected.ok) {
      // Not sent (a reverting transaction would still be mined); checked against the pending block.
      const data = updateData(action.chainId, action.prevRoot, action.newRoot, action.ackBlock);
      await expect(
        this.contractFor(action).submitUpdate.staticCall(data, "0x", { blockTag: "pending" }),
      ).to.be.revertedWithCustomError(this.f.registry, expected.error);
      return;
    }
    // An explicit gas limit: no estimation against the latest block, which lacks the pending transactions.
    const tx = await this.sendTx(action, 5_000_000n);
    this.pending.push({ tx, events: expectedEvents(this.model, action, expected) });
  }

  async setAutomine(on: boolean): Promise<void> {
    await ethers.provider.send("evm_setAutomine", [on]);
  }

  async mine(k: number): Promise<void> {
    if (this.pending.length > 0) {
      await ethers.provider.send("evm_mine", []);
      k--;
      const pending = this.pending;
      this.pending = [];
      for (const { tx, events } of pending) await this.checkReceipt(await tx.wait(), events);
    }
    if (k > 0) await networkHelpers.mine(k);
  }
}

/* ------------------------------------------------------------------------ the runs */

/**
 * Runs one operation sequence from a fresh registry, comparing everything after every step.
 * @return The model and the fixture after the last step, for further checks.
 */
async function runSequence(ops: Op[], coverage: Coverage): Promise<{ model: RegistryModel; fixture: RegistryFixture }> {
  const f = await networkHelpers.loadFixture(modelFixture);
  const accounts: Accounts = {
    admin: f.admin.address,
    outsider: f.outsider.address,
    operators: f.operators.map((o) => o.address),
    verifier: f.verifierAddress,
  };
  const signers = new Map([f.admin, f.outsider, ...f.operators].map((s) => [s.address.toLowerCase(), s]));
  const model = new RegistryModel(LIMITS, BigInt(await ethers.provider.getBlockNumber()), {
    registrar: f.admin.address,
    status: f.admin.address,
    election: f.admin.address,
    relocator: f.admin.address,
  });
  const backend = new RegistryBackend(f, model, signers);
  const reader = new Reader(f.registry, await f.registry.getAddress(), f.seats, await f.seats.getAddress());
  const log: string[] = [];
  coverage.startRun();
  try {
    for (let i = 0; i < ops.length; i++) {
      log.push(`#${i} ${await runStep(ops[i]!, i, model, accounts, backend, coverage)}`);
      const nextId = BigInt(model.chainIds().length + 1);
      const differences = diff(await reader.snapshot(nextId), expectedSnapshot(model, nextId));
      if (differences.length > 0) {
        throw new Error(
          `views after step ${i} differ (contract vs model):\n  ${differences.slice(0, 30).join("\n  ")}`,
        );
      }
    }
  } catch (e) {
    if (e instanceof Error) e.message = `${e.message}\nsteps so far:\n${log.join("\n")}`;
    throw e;
  }
  coverage.endRun(LIMITS.maxDepth);
  return { model, fixture: f };
}

/**
 * Shrinking replays whole sequences on the node (up to seconds each): it is capped so that a failure
 * is reported within minutes. MODEL_SHRINK=<n> changes the cap (0: report the first failure as found).
 */
const MAX_SHRINKS = process.env.MODEL_SHRINK === undefined ? undefined : Number(process.env.MODEL_SHRINK);

async function checkProperty(
  ops: fc.Arbitrary<Op[]>,
  numRuns: number,
  label: string,
  maxShrinks: number,
): Promise<Coverage> {
  const arb = fc.limitShrink(ops, MAX_SHRINKS ?? maxShrinks);
  const coverage = new Coverage();
  const started = Date.now();
  console.log(`      [${label}] fast-check seed ${SEED} (set MODEL_SEED to change), ${numRuns} runs`);
  await fc.assert(
    fc.asyncProperty(arb, async (ops) => {
      await runSequence(ops, coverage);
    }),
    { seed: SEED, numRuns },
  );
  console.log(`      [${label}] ${((Date.now() - started) / 1000).toFixed(1)} s\n${indent(coverage.summary())}`);
  return coverage;
}

const indent = (s: string) =>
  s
    .split("\n")
    .map((l) => `        ${l}`)
    .join("\n");

describe("ValidiumRegistry: model-based (brute-force reference model)", function () {
  it("test_model_randomTreesMatchBruteForce", async function () {
    const coverage = await checkProperty(opsArb(TREE_PROFILE, TREE_STEPS), TREE_RUNS, "random trees", 100);
    expect(coverage.steps).to.be.at.least(TREE_RUNS * TREE_STEPS);
  });

  it("test_model_pendingLimitMatchesBruteForce", async function () {
    await checkProperty(opsArb(PENDING_PROFILE, PENDING_STEPS), PENDING_RUNS, "pending limit", 25);
  });

  it("test_model_updateAtPendingLimitFinalizesFirst", async function () {
    // Chain 1 with two children that never ack: its own acks never make a majority (2·1 ≤ 3).
    const register = (pick: number): Op => ({ kind: "register", pick, mode: "active" });
    const update = (pick: number, ack: UpdateOp["ack"]): Op => ({
      kind: "update",
      pick,
      activeOnly: true,
      ack,
      r: 500,
      fault: "none",
    });
    const status = (pick: number, to: ChainStatus): Op => ({
      kind: "status",
      pick,
      to,
      allowedOnly: false,
      outsider: false,
    });
    const ops: Op[] = [
      register(0), // chain 1 under the settlement chain
      register(1), // chain 2 under chain 1
      register(1), // chain 3 under chain 1
      ...Array.from({ length: RegistryModel.MAX_PENDING }, () => update(0, "keep")), // 63 pending
      update(0, "keep"), // 64th pending: RegistryTooManyPending
      update(1, "current"), // chain 2 acks everything: a = 1, still no majority
      update(0, "keep"), // still too many
      update(0, "current"), // chain 1 acks: majority, finalizes, then fits
      ...Array.from({ length: 12 }, () => update(0, "keep")), // past index 64: the ring wraps
      update(2, "current"),
      update(0, "current"),
      ...Array.from({ length: 20 }, () => update(0, "keep")), // chain 1 pending again, across the ring's wrap
      update(1, "current"), // chain 2 acks them: a = 1 (chain 1's ack is older), b = 3
      status(2, ChainStatus.Frozen), // chain 3 leaves: b = 2, a = 1: still pending
      // Chain 1 leaves: its 20 pending commitments are discarded first (PendingCommitmentsDiscarded), so the
      // removal (b = 1, a = 1 by chain 2) finalizes nothing of its own.
      status(0, ChainStatus.Frozen),
      status(0, ChainStatus.Active), // back: nothing of its own to finalize (latest = finalized)
      ...Array.from({ length: 4 }, () => update(0, "keep")), // the discarded indices are reused
      register(2), // chain 4 under chain 2
      update(1, "keep"), // d1 of chain 2
      update(1, "current"), // chain 2 acks d1: a = 1, b(2) = 2 (chains 2, 4): pending
      status(3, ChainStatus.Frozen), // chain 4 leaves: b(2) = 1, a = 1: d1 final by a status change (an ancestor)
      status(1, ChainStatus.Ejected), // chain 2 (a = 0 on chain 1's new ones) leaves for good: b = 1, a = 0
      update(0, "current"),
      status(1, ChainStatus.Active), // from Ejected: RegistryInvalidStatusChange
    ];
    const coverage = new Coverage();
    await runSequence(ops, coverage);
    console.log(indent(coverage.summary()));
    expect(coverage.errors.RegistryTooManyPending).to.equal(2);
    expect(coverage.updatesAtLimit).to.equal(1);
    expect(coverage.statusFinalizations).to.be.at.least(1);
    expect(coverage.statusDiscards, "freezes that discarded pending commitments").to.be.at.least(1);
    expect(coverage.errors.RegistryInvalidStatusChange).to.equal(1);
  });
  it("test_model_electionsAndRelocationsScripted", async function () {
    const register = (pick: number): Op => ({ kind: "register", pick, mode: "active" });
    const update = (pick: number, ack: UpdateOp["ack"]): Op => ({
      kind: "update",
      pick,
      activeOnly: true,
      ack,
      r: 500,
      fault: "none",
    });
    const status = (pick: number, to: ChainStatus): Op => ({
      kind: "status",
      pick,
      to,
      allowedOnly: false,
      outsider: false,
    });
    const elect = (pick: number, mode: ElectOp["mode"]): Op => ({ kind: "elect", pick, mode });
    const relocate = (pick: number, target: RelocateOp["target"], parentPick = 0): Op => ({
      kind: "relocate",
      pick,
      activeOnly: true,
      parentPick,
      target,
      fault: "none",
      r: 0,
    });
    const ops: Op[] = [
      register(0), // P = 1
      register(1), // X = 2 under P
      register(2), // Y = 3 under X
      register(2), // Z = 4 under X
      update(0, "keep"), // p1 (P's ack stays 0)
      update(1, "current"), // x1: X acknowledges p1
      status(1, ChainStatus.Frozen), // X leaves b(P): x1 discarded by the freeze (PendingCommitmentsDiscarded)
      status(3, ChainStatus.Frozen), // Z too
      update(0, "current"), // P acknowledges p1: a = 1, b(P) = 2 (P, Y): pending
      elect(0, "frozen"), // X: nothing left to discard, X back (ack kept): a(p1) = 2, b = 3: p1 final
      update(1, "keep"), // x1 again (discarded index reused), by the elected operator
      update(1, "current"), // x2: X acknowledges x1: a = 1, b(X) = 2 (X, Y): pending
      relocate(2, "root"), // Y to the top level: b(X) = 1, x1 final on the old path
      relocate(1, "eligible"), // X (with frozen Z) under Y: a two-chain subtree
      update(1, "keep"),
      update(1, "keep"), // X has pending commitments
      elect(1, "any"), // X rolled back again
      update(1, "keep"),
      relocate(1, "inSubtree"), // a cycle: RegistryBadNewParent
      relocate(1, "currentParent"), // RegistryBadNewParent
      elect(0, "ejected"), // no ejected chain yet: falls back to a member
      status(3, ChainStatus.Ejected),
      elect(3, "ejected"), // RegistryNotMember
    ];
    const coverage = new Coverage();
    await runSequence(ops, coverage);
    console.log(indent(coverage.summary()));
    expect(coverage.electFinalizations, "finalized by an election's unfreeze").to.be.at.least(1);
    expect(coverage.relocateFinalizations, "finalized on the old path of a relocation").to.be.at.least(1);
    expect(coverage.rollbacks, "elections that discarded commitments").to.be.at.least(2);
    expect(coverage.statusDiscards, "freezes that discarded commitments").to.be.at.least(1);
    expect(coverage.subtreeMoves, "multi-chain relocations").to.be.at.least(1);
    expect(coverage.errors.RegistryBadNewParent).to.equal(2);
    expect(coverage.errors.RegistryNotMember).to.equal(1);
  });
  /**
   * Regression (a registry bug, fixed): A ── B ── C, A ── E; A's commitment c1 acknowledged by A and B: a = 2,
   * b(A) = 4, pending. Moving C from B to A (A is an ancestor before and after) once made the registry judge A's
   * finality at b = 3, between the old-path removal and the new-path addition, and finalize c1 (2·2 > 3). A is
   * judged on its final counts now: a(c1) = 2 (C's ack was 0 anyway), b(A) = 4, so c1 stays pending. The views
   * and events are compared with the model after every step (the move must emit no CommitmentFinalized).
   */
  it("test_model_relocationCommonAncestorJudgedOnFinalCounts", async function () {
    const register = (pick: number): Op => ({ kind: "register", pick, mode: "active" });
    const update = (pick: number, ack: UpdateOp["ack"]): Op => ({
      kind: "update",
      pick,
      activeOnly: true,
      ack,
      r: 500,
      fault: "none",
    });
    const ops: Op[] = [
      register(0), // A = 1
      register(1), // B = 2 under A
      register(2), // C = 3 under B
      register(1), // E = 4 under A
      update(0, "keep"), // c1 of A
      update(0, "current"), // A acknowledges c1
      update(1, "current"), // B acknowledges c1: a = 2, b(A) = 4
      { kind: "relocate", pick: 2, activeOnly: true, parentPick: 0, target: "eligible", fault: "none", r: 0 },
    ];
    const coverage = new Coverage();
    const { model, fixture } = await runSequence(ops, coverage);
    // The move was sent and is the minimal one: C (alone) from B to A.
    expect(coverage.okByKind.relocate, "relocations accepted").to.equal(1);
    expect(model.parentOf(3n), "C's parent (model)").to.equal(1n);
    const c = await fixture.registry.chain(3n);
    expect(c.parent, "C's parent (contract)").to.equal(1n);
    expect(c.subtreeSize, "C alone").to.equal(1n);
    expect(coverage.relocateFinalizations, "finalizations by the move").to.equal(0);
    // c1 is not final: A's finalized index stays 0 on both sides, with a(c1) = 2 and b(A) = 4.
    expect(model.finalizedIndex(1n), "A's finalized index (model)").to.equal(0);
    expect((await fixture.registry.chain(1n)).finalizedIndex, "A's finalized index (contract)").to.equal(0n);
    const [a, b] = await fixture.registry.acceptance(1n, 1);
    expect([a, b], "acceptance(A, 1)").to.deep.equal([2n, 4n]);
  });
});
