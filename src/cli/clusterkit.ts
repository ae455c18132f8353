/**
 * ClusterKit command line: operator actions on deployed contracts over any JSON-RPC endpoint.
 *
 *   npm run cli -- <command> [--rpc URL] [--key PRIVATE_KEY] [options]
 *
 * Registry (--registry ADDRESS or $CLUSTERKIT_REGISTRY):
 *   register    --chain ID [--parent ID] --operator ADDR --verifier ADDR [--genesis ROOT] [--stake WEI]
 *   update      --chain ID --new-root ROOT [--prev-root ROOT] [--ack BLOCK] [--l2-block N] [--proof HEX]
 *   set-status  --chain ID --status active|frozen|ejected
 *   show        the tree, b per chain, and every commitment with its (a, b)
 *
 * Latency (--oracle ADDRESS or $CLUSTERKIT_ORACLE; --schedule ADDRESS or $CLUSTERKIT_SCHEDULE):
 *   schedule    --matrix FILE [--epochs E] [--min-share-a K] [--max-share-a K] [--min-share-b K]
 *               [--max-share-b K] [--max-run R]           solve a JSON/CSV matrix (µs) off chain
 *   schedule    --window K [--submit]                     solve the on-chain matrix of window K's
 *                                                         measurement epoch; --submit proposes it
 *   report      --key-file FILE --peer-network ID --rtts a,b,...   post a node's signed RTT report
 *               (key file: {"privateKey": "0x…", "network": ID, "node": I}; the enclave key signs it)
 *
 * Reference validium (--registry, --queue ADDRESS or $CLUSTERKIT_QUEUE):
 *   genesis     [--instance NAME]                          genesis root to register a ledger chain with
 *   deposit     --chain ID --slot I (--key-hash H | --seed S) (--eth AMOUNT | --token ADDR --amount N)
 *               [--refund ADDR]                           ETH, or N units of a registered ERC-20 (approved first)
 *   transfer    --data-dir DIR --seed S --from I --to J --amount WEI      sign into the node's mempool
 *   withdraw    --data-dir DIR --seed S --from I --recipient ADDR --amount WEI
 *   node-run    --chain ID --data-dir DIR [--instance NAME]   sync the queue, prove and settle batches
 *               (the sender is the chain's operator)
 *
 * Governance (--governor ADDRESS or $CLUSTERKIT_GOVERNOR; --registry ADDRESS or $CLUSTERKIT_REGISTRY defaults
 * to the governor's registry, --config ADDRESS or $CLUSTERKIT_CONFIG to the registry's configuration):
 *   apply       --chain ID --stake WEI                   an applicant deposits its admission stake
 *   propose admit    --chain ID [--parent ID] --governance ADDR --operator ADDR --verifier ADDR
 *                    [--escape-verifier ADDR] [--code-hash H] [--config-hash H] [--genesis ROOT]
 *                    [--stake WEI]   (extra stake paid by the timelock, default 0; the deposit is added)
 *   propose eject    --chain ID
 *   propose approve-upgrade --chain ID [--change-hash H]  (default: the chain's pending change)
 *   propose set-param --param NAME --value N             (NAME: forced-deadline ... delta, see `params`)
 *   propose set-guardian --guardian ADDR
 *                    every proposal takes [--description TEXT]; the signer must hold a seat
 *   vote        --proposal ID --support for|against|abstain [--reason TEXT]
 *   queue       --proposal ID [--from-block N]           after the vote succeeded
 *   execute     --proposal ID [--from-block N]           after the timelock delay
 *   status      --proposal ID [--from-block N]           state, votes, quorum, timings, decoded actions
 *   announce-upgrade --chain ID [--operator ADDR] [--verifier ADDR] [--escape-verifier ADDR]
 *               [--code-hash H] [--config-hash H]        the member's governance; other fields unchanged
 *   activate-upgrade --chain ID                          anyone, after the approval and the upgrade delay
 *   pause, unpause                                       the guardian (unpause: or governance)
 *   params                                               cluster parameters with bounds, guardian, pause
 *   members                                              chains with status, seat holder and votes
 *
 * Security (--queue ADDRESS or $CLUSTERKIT_QUEUE; --registry ADDRESS or $CLUSTERKIT_REGISTRY defaults to the
 * queue's registry; the election contract: --election-contract ADDRESS or $CLUSTERKIT_ELECTION, which
 * start-election and elections also take as --election ADDRESS):
 *   claim       --chain ID --data-dir DIR [--index I --entry K]   claim withdrawal entry K of final commitment I
 *               (its list rebuilt from the node's data dir); without them, every unclaimed final withdrawal
 *               of the data dir whose recipient is the sender
 *   force-withdraw --chain ID --seed S --slot I [--token T] --amount N --recipient ADDR [--salt X]
 *               forced withdrawal signed with the account's ledger key (T: token id or address, default 0 =
 *               ETH); pays the ForcedFee parameter
 *   force-message  --chain ID --payload HEX32                    pays the ForcedFee parameter
 *   freeze      --chain ID [--position P]   freeze over the forced request at P, or the first overdue one
 *               (without one: prints the unconsumed requests' deadlines)
 *   escape      --chain ID --data-dir DIR --seed S --slot I --recipient ADDR   frozen chain: pay account I's
 *               balance in the last final state (rebuilt from the node's data dir) to ADDR
 *   reclaim     --chain ID --position P      frozen chain: refund the unconsumed deposit at P
 *   start-election    --chain ID --candidate ADDR    pays the ElectionBond parameter
 *   vote-election     --election ID --voter CHAIN    the sender is the voter chain's operator
 *   finalize-election --election ID
 *   elections   [--chain ID]                 id, chain, candidate, state, votes/electorate, deadline
 *
 * Defaults: --rpc $CLUSTERKIT_RPC or http://127.0.0.1:8545; --key $CLUSTERKIT_KEY (without a key, the
 * node's first unlocked account sends transactions).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { Contract, Interface, JsonRpcProvider, Wallet, isAddress, type Signer } from "ethers";

import type {
  ClusterConfig,
  ClusterGovernor,
  ClusterSeats,
  IEmergencyElection,
  LatencyOracle,
  LeaderSchedule,
  RequestQueue,
  ValidiumRegistry,
} from "../../typechain-types/index.ts";
import {
  activateUpgrade,
  announceUpgrade,
  apply,
  execute,
  formatRevert,
  members,
  params,
  pause,
  propose,
  queue,
  revertData,
  status,
  unpause,
  vote,
  type GovernanceContracts,
} from "./governance-commands.ts";
import { report, scheduleFromChain, scheduleFromFile } from "./latency-commands.ts";
import { CliError, register, setStatus, show, update } from "./registry-commands.ts";
import {
  claim,
  elections,
  escape,
  finalizeElection,
  forceMessage,
  forceWithdraw,
  freeze,
  reclaim,
  startElection,
  voteElection,
  type SecurityContracts,
} from "./security-commands.ts";
import { deposit, genesis, nodeRun, signOp } from "./validium-commands.ts";

const USAGE = readFileSync(new URL(import.meta.url), "utf8")
  .split("*/")[0]!
  .replace(/^\/\*\*?|^ \* ?/gm, "");

function abi(path: string): unknown[] {
  const url = new URL(`../../artifacts/contracts/${path}`, import.meta.url);
  return (JSON.parse(readFileSync(url, "utf8")) as { abi: unknown[] }).abi;
}
const ABIS = {
  registry: abi("registry/ValidiumRegistry.sol/ValidiumRegistry.json"),
  oracle: abi("latency/LatencyOracle.sol/LatencyOracle.json"),
  schedule: abi("latency/LeaderSchedule.sol/LeaderSchedule.json"),
  queue: abi("settlement/RequestQueue.sol/RequestQueue.json"),
  adapter: abi("verifiers/Groth16UpdateVerifier.sol/Groth16UpdateVerifier.json"),
  governor: abi("governance/ClusterGovernor.sol/ClusterGovernor.json"),
  config: abi("governance/ClusterConfig.sol/ClusterConfig.json"),
  seats: abi("governance/ClusterSeats.sol/ClusterSeats.json"),
  timelock: abi("governance/ClusterTimelock.sol/ClusterTimelock.json"),
  // The emergency election's interface: the security commands need nothing beyond it.
  election: abi("interfaces/IEmergencyElection.sol/IEmergencyElection.json"),
};
const ALL_ERRORS = new Interface([
  ...new Set(Object.values(ABIS).flatMap((a) => (a as Array<{ type: string }>).filter((f) => f.type === "error"))),
] as never);

/** `Name(arg, ...)` for a ClusterKit custom error in an error's revert data, or undefined. */
function decodeRevert(err: unknown): string | undefined {
  return formatRevert(revertData(err), ALL_ERRORS)?.[1];
}

const REGISTRY_COMMANDS = { register, update, "set-status": setStatus, show } as const;
const VALIDIUM_COMMANDS = new Set(["genesis", "deposit", "transfer", "withdraw", "node-run"]);
const GOVERNANCE_COMMANDS = {
  apply,
  propose: (c: GovernanceContracts, o: Record<string, string | undefined>, kind?: string) => propose(c, kind, o),
  vote,
  queue,
  execute,
  status,
  "announce-upgrade": announceUpgrade,
  "activate-upgrade": activateUpgrade,
  pause,
  unpause,
  params,
  members,
} as const;
const SECURITY_COMMANDS = {
  claim,
  "force-withdraw": forceWithdraw,
  "force-message": forceMessage,
  freeze,
  escape,
  reclaim,
  "start-election": startElection,
  "vote-election": voteElection,
  "finalize-election": finalizeElection,
  elections,
} as const;
const ELECTION_COMMANDS = new Set(["start-election", "vote-election", "finalize-election", "elections"]);
const COMMANDS = new Set([
  ...Object.keys(REGISTRY_COMMANDS),
  ...Object.keys(SECURITY_COMMANDS),
  ...VALIDIUM_COMMANDS,
  "schedule",
  "report",
  ...Object.keys(GOVERNANCE_COMMANDS),
]);

const STRING_OPTIONS = [
  ["rpc", "key", "registry", "oracle", "schedule", "chain", "parent", "operator", "verifier", "genesis", "stake"],
  ["new-root", "prev-root", "ack", "l2-block", "proof", "status", "matrix", "epochs", "min-share-a", "max-share-a"],
  ["min-share-b", "max-share-b", "max-run", "window", "key-file", "peer-network", "rtts"],
  ["queue", "instance", "slot", "key-hash", "seed", "eth", "refund", "data-dir", "from", "to", "amount", "recipient"],
  ["governor", "config", "governance", "escape-verifier", "code-hash", "config-hash", "description", "param"],
  ["value", "guardian", "proposal", "support", "reason", "from-block", "change-hash"],
  ["token", "position", "payload", "index", "entry", "salt", "candidate", "election", "election-contract", "voter"],
].flat();

/**
 * The governance contracts named by the options (or environment), completed from the chain: the
 * registry from the governor's seats, the configuration and the seats from the registry.
 */
async function governanceContracts(s: (k: string) => string | undefined, signer: Signer): Promise<GovernanceContracts> {
  const address = (name: string, env: string) => {
    const a = s(name) ?? process.env[env];
    if (a !== undefined && !isAddress(a)) throw new CliError(`--${name} (or ${env}) must be an address, got "${a}"`);
    return a;
  };
  const c: GovernanceContracts = { errors: ALL_ERRORS };
  const read = async <T>(what: string, from: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      throw new CliError(`could not read the ${what} from the ${from}: ${(e as Error).message.split("\n")[0]}`);
    }
  };
  const governor = address("governor", "CLUSTERKIT_GOVERNOR");
  if (governor !== undefined) {
    c.governor = new Contract(governor, ABIS.governor as never, signer) as unknown as ClusterGovernor;
  }
  let registry = address("registry", "CLUSTERKIT_REGISTRY");
  if (registry === undefined && c.governor !== undefined) {
    const g = c.governor;
    registry = await read("registry", `governor at ${governor}`, async () => {
      const seats = new Contract(await g.token(), ABIS.seats as never, signer) as unknown as ClusterSeats;
      return seats.registry();
    });
  }
  if (registry !== undefined) {
    const r = new Contract(registry, ABIS.registry as never, signer) as unknown as ValidiumRegistry;
    c.registry = r;
    const seats = await read("seats", `registry at ${registry}`, () => r.seats());
    c.seats = new Contract(seats, ABIS.seats as never, signer) as unknown as ClusterSeats;
  }
  let config = address("config", "CLUSTERKIT_CONFIG");
  if (config === undefined && c.registry !== undefined) {
    const r = c.registry;
    config = await read("cluster configuration", `registry at ${registry}`, () => r.clusterConfig());
  }
  if (config !== undefined) c.config = new Contract(config, ABIS.config as never, signer) as unknown as ClusterConfig;
  return c;
}

/**
 * The security contracts named by the options (or environment): the queue, the election contract, and the
 * registry (default: the queue's, or the election contract's).
 */
async function securityContracts(
  s: (k: string) => string | undefined,
  signer: Signer,
  command: string,
): Promise<SecurityContracts> {
  const address = (value: string | undefined, what: string) => {
    if (value !== undefined && !isAddress(value)) throw new CliError(`${what} must be an address, got "${value}"`);
    return value;
  };
  const c: SecurityContracts = { errors: ALL_ERRORS };
  const queue = address(s("queue") ?? process.env.CLUSTERKIT_QUEUE, "--queue (or CLUSTERKIT_QUEUE)");
  if (queue !== undefined) c.queue = new Contract(queue, ABIS.queue as never, signer) as unknown as RequestQueue;
  if (ELECTION_COMMANDS.has(command)) {
    const named = s("election");
    const election = address(
      s("election-contract") ??
        (named !== undefined && isAddress(named) ? named : undefined) ??
        process.env.CLUSTERKIT_ELECTION,
      "--election-contract (or CLUSTERKIT_ELECTION)",
    );
    if (election !== undefined) {
      c.election = new Contract(election, ABIS.election as never, signer) as unknown as IEmergencyElection;
    }
  }
  let registry = address(s("registry") ?? process.env.CLUSTERKIT_REGISTRY, "--registry (or CLUSTERKIT_REGISTRY)");
  if (registry === undefined && c.queue !== undefined) registry = await c.queue.registry();
  if (registry === undefined && c.election !== undefined) registry = await c.election.registry();
  if (registry !== undefined) {
    c.registry = new Contract(registry, ABIS.registry as never, signer) as unknown as ValidiumRegistry;
  }
  return c;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...Object.fromEntries(STRING_OPTIONS.map((k) => [k, { type: "string" as const }])),
      submit: { type: "boolean" as const },
    },
  });
  const command = positionals[0];
  if (command === undefined || !COMMANDS.has(command)) {
    console.log(USAGE);
    return command === undefined ? 0 : 2;
  }
  const o = values as Record<string, string | boolean | undefined>;
  const s = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);

  // Off-chain scheduling needs no node.
  if (command === "schedule" && s("matrix") !== undefined) {
    for (const line of scheduleFromFile(o)) console.log(line);
    return 0;
  }
  // Neither do the genesis root and signing into a node's mempool.
  const so = o as Record<string, string | undefined>;
  if (command === "genesis" || command === "transfer" || command === "withdraw") {
    const out = command === "genesis" ? await genesis(so) : await signOp(command, so);
    for (const line of out) console.log(line);
    return 0;
  }

  const provider = new JsonRpcProvider(s("rpc") ?? process.env.CLUSTERKIT_RPC ?? "http://127.0.0.1:8545");
  const key = s("key") ?? process.env.CLUSTERKIT_KEY;
  const signer: Signer = key ? new Wallet(key, provider) : await provider.getSigner(0);
  const at = (name: string, env: string) => {
    const address = s(name) ?? process.env[env];
    if (!address) throw new CliError(`--${name} (or ${env}) is required`);
    return address;
  };
  let lines: string[];
  if (Object.hasOwn(GOVERNANCE_COMMANDS, command)) {
    const run = GOVERNANCE_COMMANDS[command as keyof typeof GOVERNANCE_COMMANDS] as (
      c: GovernanceContracts,
      o: Record<string, string | undefined>,
      kind?: string,
    ) => Promise<string[]>;
    lines = await run(await governanceContracts(s, signer), so, positionals[1]);
  } else if (Object.hasOwn(SECURITY_COMMANDS, command)) {
    const run = SECURITY_COMMANDS[command as keyof typeof SECURITY_COMMANDS];
    lines = await run(await securityContracts(s, signer, command), so);
  } else if (command === "deposit" || command === "node-run") {
    const queue = new Contract(at("queue", "CLUSTERKIT_QUEUE"), ABIS.queue as never, signer) as unknown as RequestQueue;
    if (command === "deposit") {
      lines = await deposit(queue, await signer.getAddress(), so);
    } else {
      const registry = new Contract(at("registry", "CLUSTERKIT_REGISTRY"), ABIS.registry as never, signer);
      lines = await nodeRun(registry as unknown as ValidiumRegistry, queue, signer, so);
    }
  } else if (command === "schedule" || command === "report") {
    const oracle = new Contract(at("oracle", "CLUSTERKIT_ORACLE"), ABIS.oracle as never, signer);
    if (command === "report") {
      lines = await report(oracle as unknown as LatencyOracle, o);
    } else {
      const schedule = new Contract(at("schedule", "CLUSTERKIT_SCHEDULE"), ABIS.schedule as never, signer);
      lines = await scheduleFromChain(schedule as unknown as LeaderSchedule, oracle as unknown as LatencyOracle, o);
    }
  } else {
    const registry = new Contract(at("registry", "CLUSTERKIT_REGISTRY"), ABIS.registry as never, signer);
    const run = REGISTRY_COMMANDS[command as keyof typeof REGISTRY_COMMANDS] as (
      r: ValidiumRegistry,
      o: Record<string, string | undefined>,
    ) => Promise<string[]>;
    lines = await run(registry as unknown as ValidiumRegistry, o as Record<string, string | undefined>);
  }
  for (const line of lines) console.log(line);
  provider.destroy();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as { data?: unknown; shortMessage?: string; message?: string };
    const detail = decodeRevert(err) ?? e.shortMessage ?? e.message;
    console.error(`clusterkit: ${detail}`);
    process.exit(err instanceof CliError ? 2 : 1);
  },
);
