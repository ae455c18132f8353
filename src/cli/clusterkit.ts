/**
 * ClusterKit command line: operator actions on a deployed registry over any JSON-RPC endpoint.
 *
 *   npm run cli -- <command> [--rpc URL] [--registry ADDRESS] [--key PRIVATE_KEY] [options]
 *
 * Commands:
 *   register    --chain ID [--parent ID] --operator ADDR --verifier ADDR [--genesis ROOT] [--stake WEI]
 *   update      --chain ID --new-root ROOT [--prev-root ROOT] [--ack BLOCK] [--l2-block N] [--proof HEX]
 *   set-status  --chain ID --status active|frozen|ejected
 *   show        the tree, b per chain, and every commitment with its (a, b)
 *
 * Defaults: --rpc $CLUSTERKIT_RPC or http://127.0.0.1:8545; --registry $CLUSTERKIT_REGISTRY;
 * --key $CLUSTERKIT_KEY (without a key, the node's first unlocked account signs).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { Contract, Interface, JsonRpcProvider, Wallet, isHexString, type Signer } from "ethers";

import type { ValidiumRegistry } from "../../typechain-types/index.ts";
import { CliError, register, setStatus, show, update } from "./registry-commands.ts";

const USAGE = readFileSync(new URL(import.meta.url), "utf8")
  .split("*/")[0]!
  .replace(/^\/\*\*?|^ \* ?/gm, "");

const ARTIFACT = new URL(
  "../../artifacts/contracts/registry/ValidiumRegistry.sol/ValidiumRegistry.json",
  import.meta.url,
);
const ABI = (JSON.parse(readFileSync(ARTIFACT, "utf8")) as { abi: unknown[] }).abi;

/** `Name(arg, ...)` for a registry custom error in revert data, or undefined. */
function decodeRevert(data: unknown): string | undefined {
  if (typeof data !== "string" || !isHexString(data) || data.length < 10) return undefined;
  const parsed = new Interface(ABI as never).parseError(data);
  return parsed ? `${parsed.name}(${parsed.args.join(", ")})` : undefined;
}

const COMMANDS = { register, update, "set-status": setStatus, show } as const;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: Object.fromEntries(
      ["rpc", "registry", "key", "chain", "parent", "operator", "verifier", "genesis", "stake", "new-root"]
        .concat(["prev-root", "ack", "l2-block", "proof", "status"])
        .map((k) => [k, { type: "string" as const }]),
    ),
  });
  const command = positionals[0] as keyof typeof COMMANDS | undefined;
  if (command === undefined || !(command in COMMANDS)) {
    console.log(USAGE);
    return command === undefined ? 0 : 2;
  }
  const o = values as Record<string, string | undefined>;
  const rpc = o.rpc ?? process.env.CLUSTERKIT_RPC ?? "http://127.0.0.1:8545";
  const address = o.registry ?? process.env.CLUSTERKIT_REGISTRY;
  if (!address) throw new CliError("--registry (or CLUSTERKIT_REGISTRY) is required");
  const provider = new JsonRpcProvider(rpc);
  const key = o.key ?? process.env.CLUSTERKIT_KEY;
  const signer: Signer = key ? new Wallet(key, provider) : await provider.getSigner(0);
  const registry = new Contract(address, ABI as never, signer) as unknown as ValidiumRegistry;
  const run = COMMANDS[command] as (r: ValidiumRegistry, o: Record<string, string | undefined>) => Promise<string[]>;
  for (const line of await run(registry, o)) console.log(line);
  provider.destroy();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as { data?: unknown; shortMessage?: string; message?: string };
    const detail = decodeRevert(e.data) ?? e.shortMessage ?? e.message;
    console.error(`clusterkit: ${detail}`);
    process.exit(err instanceof CliError ? 2 : 1);
  },
);
