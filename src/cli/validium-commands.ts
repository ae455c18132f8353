/**
 * The reference validium's actions for the CLI (src/cli/clusterkit.ts) and the tests: the genesis
 * root to register a chain with, deposits into a chain's request queue, signed user operations put
 * into a node's mempool, and running the node (sync the queue, prove and settle batches).
 */
import { join } from "node:path";

import { type ContractRunner, isAddress, parseEther, toBeHex } from "ethers";

import type { RequestQueue, ValidiumRegistry } from "../../typechain-types/index.ts";
import { genesisRoot, getCrypto, Wallet } from "../ledger/index.ts";
import { ValidiumNode } from "../node/node.ts";
import { readState, serializeOp, writeState } from "../node/store.ts";
import { instanceArtifacts, manifestEntry, SHIPPED_INSTANCE } from "../prover/artifacts.ts";
import { depositErc20, SecurityError } from "../sdk/security.ts";
import { bigintArg, CliError } from "./registry-commands.ts";

type Options = Record<string, string | undefined>;

const uint = bigintArg;

function required(name: string, value: string | undefined): string {
  if (value === undefined || value === "") throw new CliError(`--${name} is required`);
  return value;
}

/** K and D of a ledger instance name `ledger_k<K>_d<D>`. */
export function instanceShape(name: string): { K: number; D: number } {
  const m = /^ledger_k(\d+)_d(\d+)$/.exec(name);
  if (!m) throw new CliError(`--instance ${name} is not a ledger instance (ledger_k<K>_d<D>)`);
  return { K: Number(m[1]), D: Number(m[2]) };
}

/** `genesis [--instance NAME]`: the genesis state root to register a chain running this ledger with. */
export async function genesis(o: Options): Promise<string[]> {
  const instance = o.instance ?? SHIPPED_INSTANCE;
  const { D } = instanceShape(instance);
  return [toBeHex(genesisRoot(await getCrypto(), D), 32)];
}

/**
 * `deposit --chain ID --slot I (--key-hash H | --seed S) (--eth AMOUNT | --token ADDR --amount N)
 * [--refund ADDR]`: queues an ETH deposit, or a deposit of N base units of a registered ERC-20 token (approving
 * the queue first when the allowance is short), for a ledger account (key hash of the owner's Baby Jubjub key).
 */
export async function deposit(queue: RequestQueue, sender: string, o: Options): Promise<string[]> {
  const chainId = uint("chain", o.chain);
  const slot = uint("slot", o.slot);
  if (slot >= 2n ** 32n) throw new CliError("--slot must be below 2^32");
  const crypto = await getCrypto();
  const keyHash =
    o["key-hash"] !== undefined
      ? uint("key-hash", o["key-hash"])
      : Wallet.fromSeed(required("seed", o.seed), crypto).keyHash;
  const refund = o.refund ?? sender;
  if (o.token !== undefined) {
    if (o.eth !== undefined) throw new CliError("give --eth or --token, not both");
    if (!isAddress(o.token)) throw new CliError(`--token must be an address, got "${o.token}"`);
    const amount = uint("amount", o.amount);
    const r = await depositErc20(queue, { chainId, slot: Number(slot), keyHash, refund, token: o.token, amount }).catch(
      (e: unknown) => {
        throw e instanceof SecurityError ? new CliError(e.message) : e;
      },
    );
    const position = await queue.length(chainId);
    return [
      ...(r.approval
        ? [`approved the queue for ${amount} of ${o.token}: tx ${r.approval.hash}, gas ${r.approval.gasUsed}`]
        : []),
      `deposited ${amount} of token ${r.tokenId} (${o.token}) into chain ${chainId} slot ${slot} (queue position ` +
        `${position}): tx ${r.deposit.hash}, gas ${r.deposit.gasUsed}`,
    ];
  }
  const value = parseEther(required("eth", o.eth));
  const tx = await queue.depositEth(chainId, Number(slot), keyHash, refund, { value });
  const r = await tx.wait();
  if (!r) throw new CliError(`transaction ${tx.hash} was not mined`);
  const position = await queue.length(chainId);
  return [
    `deposited ${o.eth} ETH into chain ${chainId} slot ${slot} (queue position ${position}): tx ${r.hash}, gas ${r.gasUsed}`,
  ];
}

/**
 * `transfer --data-dir DIR --seed S --from I --to J --amount WEI` and
 * `withdraw --data-dir DIR --seed S --from I --recipient ADDR --amount WEI`: signs a user operation
 * with the account's key (nonce from the node's ledger and mempool) and puts it into the node's
 * mempool. Run while the node is stopped (the state file has one writer at a time).
 */
export async function signOp(kind: "transfer" | "withdraw", o: Options): Promise<string[]> {
  const path = join(required("data-dir", o["data-dir"]), "state.json");
  const state = readState(path);
  if (!state) throw new CliError(`no node state at ${path}: run node-run once first`);
  const crypto = await getCrypto();
  const wallet = Wallet.fromSeed(required("seed", o.seed), crypto);
  const from = Number(uint("from", o.from));
  const account = state.ledger.accounts.find((a) => a.index === from);
  if (!account || BigInt(account.keyHash) !== wallet.keyHash) {
    throw new CliError(`slot ${from} is not an account of this key on the node's ledger`);
  }
  const queued = state.mempool.filter((m) => m.from === from).length;
  const nonce = BigInt(account.nonce) + BigInt(queued);
  const chainId = BigInt(state.ledger.chainId);
  const amount = uint("amount", o.amount);
  const op =
    kind === "transfer"
      ? wallet.transfer({ chainId, from, to: Number(uint("to", o.to)), amount, nonce })
      : wallet.withdraw({ chainId, from, recipient: uint("recipient", o.recipient), amount, nonce });
  state.mempool.push(serializeOp(op));
  writeState(path, state);
  return [`signed ${kind} from slot ${from} (nonce ${nonce}) added to the mempool (${state.mempool.length} waiting)`];
}

/**
 * `node-run --chain ID --data-dir DIR [--instance NAME]`: opens (or creates) the node's state, reads
 * the chain's request queue, and proves and settles batches until nothing is pending.
 */
export async function nodeRun(
  registry: ValidiumRegistry,
  queue: RequestQueue,
  operator: ContractRunner,
  o: Options,
): Promise<string[]> {
  const instance = o.instance ?? SHIPPED_INSTANCE;
  const { K, D } = instanceShape(instance);
  manifestEntry(instance);
  const lines: string[] = [];
  const node = await ValidiumNode.open(
    {
      chainId: uint("chain", o.chain),
      K,
      D,
      dataDir: required("data-dir", o["data-dir"]),
      artifacts: instanceArtifacts(instance),
      log: (l) => lines.push(l),
    },
    { registry, queue, operator },
  );
  try {
    await node.syncQueue();
    while ((await node.produceBatch()) !== null) {
      // each settled batch is logged by the node
    }
  } finally {
    await node.close();
  }
  lines.push(`ledger root ${toBeHex(node.ledger.stateRoot(), 32)} at l2 block ${node.ledger.header().l2Block}`);
  return lines;
}
