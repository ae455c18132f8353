/**
 * The reference validium node: it holds one chain's ledger, reads the chain's request queue from the
 * settlement chain, takes signed user operations into a mempool, executes a batch, proves it with the
 * configured prover backend and submits it to the registry with its acknowledgement block. Its state
 * (ledger, queue items seen, mempool, settled batches) persists in `<dataDir>/state.json` and reloads.
 *
 * Invariant: the persisted ledger is always the state of the chain's latest commitment in the
 * registry: a batch is applied (and saved) only after its update transaction succeeded.
 */
import { join } from "node:path";

import type { ContractRunner } from "ethers";
import { toBeHex } from "ethers";

import type { RequestQueue, ValidiumRegistry } from "../../typechain-types/index.ts";
import { Ledger, LedgerError } from "../ledger/ledger.ts";
import type { UpdatePublicData } from "../sdk/registry.ts";
import { OpType } from "../ledger/types.ts";
import type { BatchTrace, Op, TransferOp, WithdrawOp } from "../ledger/types.ts";
import { circuitInput } from "../ledger/witness.ts";
import type { CircuitArtifacts, ProgressListener, ProofResult } from "../prover/backend.ts";
import { Prover } from "../prover/backend.ts";
import { CpuBackend } from "../prover/cpu-backend.ts";
import { encodeProof } from "../prover/solidity.ts";
import {
  deserializeOp,
  opCounts,
  queueItemOf,
  readState,
  serializeOp,
  writeState,
  type NodeState,
  type SettledBatch,
} from "./store.ts";

/** How a node is set up. */
export interface NodeOptions {
  chainId: bigint;
  /** Ledger batch size and tree depth: must be those of `artifacts`' circuit instance. */
  K: number;
  D: number;
  /** Folder of `state.json`. */
  dataDir: string;
  artifacts: CircuitArtifacts;
  /** Defaults to the CPU (snarkjs) backend. */
  prover?: Prover;
  /** Receives one line per notable event. */
  log?: (line: string) => void;
}

/** The settlement-side contracts the node talks to, and the operator account that signs updates. */
export interface NodeContracts {
  registry: ValidiumRegistry;
  queue: RequestQueue;
  operator: ContractRunner;
}

/** Thrown when the node's state and the registry disagree. */
export class NodeOutOfSyncError extends Error {
  override name = "NodeOutOfSyncError";
}

/** The registry's `UpdatePublicData` as ethers takes it (the SDK's type). */
export type UpdateData = UpdatePublicData;

/** A proven batch not yet submitted. */
export interface PreparedBatch {
  trace: BatchTrace;
  /** The ledger after the batch (applied by `settle`). */
  next: Ledger;
  /** How many mempool operations the batch includes (from the front of the mempool). */
  userOps: number;
  data: UpdateData;
  proofBytes: string;
  proof: ProofResult;
}

/** Thrown before proving when the node's signer could not submit the batch (not the operator, chain not active). */
export class NodeCannotSubmitError extends Error {
  override name = "NodeCannotSubmitError";
}

/** A settled batch with the trace it came from. */
export interface BatchResult extends SettledBatch {
  trace: BatchTrace;
}

/** The reference validium node. */
export class ValidiumNode {
  /** How the node was set up. */
  readonly options: NodeOptions;
  private readonly contracts: NodeContracts;
  private ledgerState: Ledger;
  private state: NodeState;
  private readonly prover: Prover;

  // Plain fields (no parameter properties): the file must run under Node's type stripping.
  private constructor(
    options: NodeOptions,
    contracts: NodeContracts,
    ledger: Ledger,
    state: NodeState,
    prover: Prover,
  ) {
    this.options = options;
    this.contracts = contracts;
    this.ledgerState = ledger;
    this.state = state;
    this.prover = prover;
  }

  /**
   * Opens the node: reloads `<dataDir>/state.json` when it exists, else starts from the genesis state.
   * Throws {@link NodeOutOfSyncError} when the chain's latest root in the registry is not the ledger's.
   */
  static async open(options: NodeOptions, contracts: NodeContracts): Promise<ValidiumNode> {
    const saved = readState(join(options.dataDir, "state.json"));
    let ledger: Ledger;
    let state: NodeState;
    if (saved) {
      ledger = await Ledger.fromJSON(saved.ledger);
      if (ledger.chainId !== options.chainId || ledger.K !== options.K || ledger.D !== options.D) {
        throw new NodeOutOfSyncError(`state in ${options.dataDir} belongs to another chain or instance`);
      }
      state = saved;
    } else {
      ledger = await Ledger.create({ chainId: options.chainId, K: options.K, D: options.D });
      state = { version: 1, ledger: ledger.toJSON(), queue: [], mempool: [], batches: [], rejected: [] };
    }
    const node = new ValidiumNode(options, contracts, ledger, state, options.prover ?? new Prover(new CpuBackend()));
    await node.checkInSync();
    return node;
  }

  /** The genesis state root of a chain running this ledger (register the chain with it). */
  static async genesisRoot(chainId: bigint, K: number, D: number): Promise<bigint> {
    return (await Ledger.create({ chainId, K, D })).stateRoot();
  }

  /** The current ledger (read only: mutate through batches). */
  get ledger(): Ledger {
    return this.ledgerState;
  }

  /** Batches settled so far. */
  get batches(): readonly SettledBatch[] {
    return this.state.batches;
  }

  /** Operations rejected from the mempool, with reasons. */
  get rejected(): ReadonlyArray<{ reason: string }> {
    return this.state.rejected;
  }

  /** Number of user operations waiting. */
  get mempoolSize(): number {
    return this.state.mempool.length;
  }

  /** Queue items read from the settlement chain and not yet consumed. */
  pendingQueueItems(): number {
    const consumed = this.ledgerState.header().queuePosition;
    return this.state.queue.filter((q) => BigInt(q.position) > consumed).length;
  }

  /** Reads new items of the chain's request queue from the settlement chain; returns how many. */
  async syncQueue(): Promise<number> {
    const { queue } = this.contracts;
    const known = BigInt(this.state.queue.length);
    const length = await queue.length(this.options.chainId);
    if (length <= known) return 0;
    const events = await queue.queryFilter(queue.filters.RequestQueued(this.options.chainId));
    let added = 0;
    for (const ev of events) {
      const position = ev.args.position;
      if (position <= known + BigInt(added)) continue;
      if (position !== known + BigInt(added) + 1n) throw new NodeOutOfSyncError(`queue gap at position ${position}`);
      this.state.queue.push({
        position: position.toString(),
        w0: ev.args.w0.toString(),
        w1: ev.args.w1.toString(),
        w2: ev.args.w2.toString(),
      });
      added++;
    }
    this.save();
    if (added > 0) this.log(`queue: ${added} new item(s), ${this.pendingQueueItems()} pending`);
    return added;
  }

  /** Adds a signed transfer or withdrawal to the mempool (validated when a batch is built). */
  submit(op: TransferOp | WithdrawOp): void {
    this.state.mempool.push(serializeOp(op));
    this.save();
  }

  /**
   * Builds, proves and settles one batch: pending deposits first (in queue order), then mempool
   * operations; an operation that cannot execute is dropped into `rejected` with its reason. Returns
   * null when there is nothing to do.
   */
  async produceBatch(onProgress?: ProgressListener): Promise<BatchResult | null> {
    const prepared = await this.prepareBatch(onProgress);
    return prepared ? this.settle(prepared) : null;
  }

  /**
   * Builds and proves the next batch without submitting it (the ledger is unchanged until
   * {@link settle}). Returns null when there are no pending deposits and no mempool operations.
   */
  async prepareBatch(onProgress?: ProgressListener): Promise<PreparedBatch | null> {
    const { K } = this.options;
    const consumed = this.ledgerState.header().queuePosition;
    const deposits: Op[] = this.state.queue
      .filter((q) => BigInt(q.position) > consumed)
      .slice(0, K)
      .map((q) => ({ type: OpType.Deposit, item: queueItemOf(q) }));
    let userOps = this.state.mempool.slice(0, K - deposits.length);
    if (deposits.length === 0 && userOps.length === 0) return null;
    await this.checkCanSubmit();

    let next: Ledger;
    let trace: BatchTrace;
    for (;;) {
      next = this.ledgerState.clone();
      try {
        trace = next.executeBatch([...deposits, ...userOps.map(deserializeOp)]);
        break;
      } catch (e) {
        if (!(e instanceof LedgerError) || e.slot === undefined || e.slot < deposits.length) throw e;
        const bad = userOps[e.slot - deposits.length];
        if (bad === undefined) throw e;
        this.state.rejected.push({ op: bad, reason: e.message });
        this.state.mempool.splice(this.state.mempool.indexOf(bad), 1);
        this.log(`mempool: dropped an operation: ${e.message}`);
        userOps = this.state.mempool.slice(0, K - deposits.length);
        this.save();
      }
    }

    const proof = await this.prover.prove(this.options.artifacts, circuitInput(trace), onProgress);
    const data: UpdateData = {
      chainId: this.options.chainId,
      ackBlock: await this.ackBlock(),
      l2Block: trace.after.l2Block,
      queuePosition: trace.after.queuePosition,
      prevRoot: toBeHex(trace.prevRoot, 32),
      newRoot: toBeHex(trace.newRoot, 32),
      queueHash: toBeHex(trace.after.queueHash, 32),
      outboxRoot: toBeHex(0, 32),
      inboxRoot: toBeHex(0, 32),
      withdrawalRoot: toBeHex(trace.withdrawalRoot, 32),
    };
    return { trace, next, userOps: userOps.length, data, proofBytes: encodeProof(proof.proof), proof };
  }

  /** Submits a prepared batch to the registry and, once the transaction succeeds, applies it. */
  async settle(prepared: PreparedBatch): Promise<BatchResult> {
    const { trace, data, proof } = prepared;
    if (trace.prevRoot !== this.ledgerState.stateRoot()) {
      throw new NodeOutOfSyncError("the prepared batch does not build on the node's current state");
    }
    const { registry, operator } = this.contracts;
    const connected = registry.connect(operator) as ValidiumRegistry;
    const tx = await connected.submitUpdate(data, prepared.proofBytes);
    const receipt = await tx.wait();
    if (!receipt || receipt.status !== 1) throw new Error(`update transaction ${tx.hash} failed`);
    const [index] = await registry.latestCommitment(this.options.chainId);

    const settled: SettledBatch = {
      l2Block: trace.after.l2Block.toString(),
      commitmentIndex: Number(index),
      prevRoot: trace.prevRoot.toString(),
      newRoot: trace.newRoot.toString(),
      withdrawalRoot: trace.withdrawalRoot.toString(),
      queuePosition: trace.after.queuePosition.toString(),
      ackBlock: data.ackBlock.toString(),
      txHash: tx.hash,
      gasUsed: receipt.gasUsed.toString(),
      witnessMs: proof.witnessMs,
      proveMs: proof.proveMs,
      ops: opCounts(trace.slots.map((s) => s.op)),
      userOps: this.state.mempool.slice(0, prepared.userOps),
    };
    this.ledgerState = prepared.next;
    this.state.mempool.splice(0, prepared.userOps);
    this.state.batches.push(settled);
    this.save();
    this.log(
      `batch ${settled.l2Block}: ${settled.ops.deposits} deposit(s), ${settled.ops.transfers} transfer(s), ` +
        `${settled.ops.withdrawals} withdrawal(s); proved in ${proof.witnessMs + proof.proveMs} ms; ` +
        `commitment #${settled.commitmentIndex}, ${settled.gasUsed} gas`,
    );
    return { ...settled, trace };
  }

  /** Releases the prover's worker threads. */
  close(): Promise<void> {
    return this.prover.close();
  }

  /**
   * The block up to which the node acknowledges its ancestors' commitments. The reference node reads
   * every ancestor commitment from the registry's events up to the current block before acknowledging
   * it; a production node would also fetch and store each ancestor batch's data first (docs/PROVER.md).
   */
  private async ackBlock(): Promise<bigint> {
    const { registry } = this.contracts;
    const provider = registry.runner?.provider;
    if (!provider) throw new Error("registry contract has no provider");
    const current = BigInt(await provider.getBlockNumber());
    const ancestors = await registry.ancestors(this.options.chainId);
    for (const a of ancestors) {
      if (a === 0n) continue;
      await registry.queryFilter(registry.filters.UpdateSubmitted(a), 0, Number(current));
    }
    const info = await registry.chain(this.options.chainId);
    return current > info.latestAck ? current : info.latestAck;
  }

  /** Fails fast (before seconds of proving) when the registry would reject the submission anyway. */
  private async checkCanSubmit(): Promise<void> {
    const info = await this.contracts.registry.chain(this.options.chainId);
    const { operator } = this.contracts;
    const signer = operator as Partial<{ getAddress(): Promise<string> }>;
    if (typeof signer.getAddress === "function") {
      const address = await signer.getAddress();
      if (address.toLowerCase() !== info.operator.toLowerCase()) {
        throw new NodeCannotSubmitError(
          `${address} is not the operator of chain ${this.options.chainId} (${info.operator})`,
        );
      }
    }
    if (info.status !== 1n) {
      throw new NodeCannotSubmitError(`chain ${this.options.chainId} is not active (status ${info.status})`);
    }
  }

  private async checkInSync(): Promise<void> {
    const [, latest] = await this.contracts.registry.latestCommitment(this.options.chainId);
    const root = BigInt(latest.root);
    if (root !== this.ledgerState.stateRoot()) {
      throw new NodeOutOfSyncError(
        `registry's latest root of chain ${this.options.chainId} is ${toBeHex(root, 32)}, ` +
          `the node's ledger root is ${toBeHex(this.ledgerState.stateRoot(), 32)}`,
      );
    }
  }

  private save(): void {
    this.state.ledger = this.ledgerState.toJSON();
    writeState(join(this.options.dataDir, "state.json"), this.state);
  }

  private log(line: string): void {
    this.options.log?.(`[node ${this.options.chainId}] ${line}`);
  }
}
