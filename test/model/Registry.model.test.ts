/**
 * Model-based test of the ValidiumRegistry: random trees (up to depth 8) and random sequences of
 * registrations, updates (valid and invalid acks, two in one block), status changes and mined blocks
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
  type Op,
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

async function modelFixture(): Promise<RegistryFixture> {
  return deployRegistry(LIMITS);
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

/** The events a successful action must emit, as sorted strings. */
function expectedEvents(model: RegistryModel, action: Action, result: OpResult & { ok: true }): string[] {
  const events = result.finalized.flatMap((f) => [
    fmtEvent("CommitmentFinalized", [f.chainId, f.to]),
    fmtEvent("CommitmentsPruned", [f.chainId, f.from, f.to]),
  ]);
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
  }
  return events.sort();
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
    }
  }

  private async checkReceipt(receipt: TransactionReceipt | null, events: string[]): Promise<void> {
    expect(receipt, "receipt").to.not.equal(null);
    expect(receipt!.status, "receipt status").to.equal(1);
    expect(BigInt(receipt!.blockNumber), "mined in the model's block").to.equal(this.model.blockNumber);
    const got = receipt!.logs
      .map((log) => this.f.registry.interface.parseLog(log))
      .filter((e) => e !== null)
      .map((e) => fmtEvent(e.name, [...e.args]))
      .sort();
    expect(got, "events").to.deep.equal(events);
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

/** Runs one operation sequence from a fresh registry, comparing everything after every step. */
async function runSequence(ops: Op[], coverage: Coverage): Promise<void> {
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
    fc.asyncProperty(arb, (ops) => runSequence(ops, coverage)),
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
      status(0, ChainStatus.Frozen), // chain 1 leaves: b = 1, a = 1 (chain 2): final by a status change
      status(0, ChainStatus.Active),
      ...Array.from({ length: 4 }, () => update(0, "keep")),
      status(1, ChainStatus.Ejected), // chain 2 (a = 0 on these) leaves for good: b = 1, a = 0
      update(0, "current"),
      status(1, ChainStatus.Active), // from Ejected: RegistryInvalidStatusChange
    ];
    const coverage = new Coverage();
    await runSequence(ops, coverage);
    console.log(indent(coverage.summary()));
    expect(coverage.errors.RegistryTooManyPending).to.equal(2);
    expect(coverage.updatesAtLimit).to.equal(1);
    expect(coverage.statusFinalizations).to.be.at.least(1);
    expect(coverage.errors.RegistryInvalidStatusChange).to.equal(1);
  });
});
