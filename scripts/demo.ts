/**
 * ClusterKit demo on the in-process network, through the Ignition modules. The worked example deploys the
 * development registry (the `Registry` module with the `ClusterConfig` parameters of
 * ignition/parameters/hardhat.json: the deployer holds the registrar role, whereas the governed `Cluster`
 * module hands every role to the timelock), builds the worked example tree of docs/PROTOCOL.md §5, runs its
 * updates, and prints after every block every commitment with its acceptance pair (a, b), and whether it is
 * pending, final or pruned. The latency and reference-validium scenarios follow.
 *
 * Run: npm run demo
 */
import { network } from "hardhat";

import { runGovernanceScenario } from "./demo-governance.ts";
import { runLatencyScenario } from "./demo-latency.ts";
import { runSecurityScenarios } from "./demo-security.ts";
import { runValidiumScenario } from "./demo-validium.ts";

import DevelopmentVerifierModule from "../ignition/modules/DevelopmentVerifier.ts";
import RegistryModule from "../ignition/modules/Registry.ts";
import { loadIgnitionParameters } from "../src/sdk/ignition-params.ts";
import { type CommitmentRow, demoRoot, readCommitments, updateData } from "../src/sdk/registry.ts";
import type { ValidiumRegistry } from "../typechain-types/index.ts";

const { ethers, ignition, networkHelpers } = await network.getOrCreate();

const PARAMETERS_FILE = "ignition/parameters/hardhat.json";
const clusterConfigParameters = loadIgnitionParameters(PARAMETERS_FILE).ClusterConfig;
if (clusterConfigParameters === undefined) throw new Error(`${PARAMETERS_FILE} has no "ClusterConfig" parameters`);
const { registry: deployed, clusterConfig } = await ignition.deploy(RegistryModule, {
  parameters: { ClusterConfig: clusterConfigParameters },
});
const { developmentVerifier } = await ignition.deploy(DevelopmentVerifierModule);
const registry = deployed as unknown as ValidiumRegistry;
const verifier = await developmentVerifier.getAddress();
const signers = await ethers.getSigners();

console.log("ClusterKit demo: the (a, b) acceptance rule on the worked example tree");
console.log(`  ValidiumRegistry   ${await registry.getAddress()} (development deployment: the deployer registers)`);
console.log(`  ClusterConfig      ${await clusterConfig.getAddress()} (limits; parameters from ${PARAMETERS_FILE})`);
console.log(`  DevelopmentVerifier ${verifier} (accepts every proof; local networks only)`);
const lim = await registry.limits();
console.log(`  limits: max fan-out ${lim.maxFanOut}, max depth ${lim.maxDepth}, min stake ${lim.minStake} wei\n`);

interface Member {
  id: bigint;
  name: string;
  parent: bigint;
}
const members: Member[] = [
  { id: 1n, name: "V", parent: 0n },
  { id: 2n, name: "C1", parent: 1n },
  { id: 3n, name: "C2", parent: 1n },
  { id: 4n, name: "C3", parent: 1n },
  { id: 5n, name: "G", parent: 2n },
];
const names = new Map(members.map((m) => [m.id, m.name]));
const operator = new Map(members.map((m, i) => [m.id, signers[i + 1]!]));

for (const m of members) {
  await registry.registerChain(m.id, m.parent, operator.get(m.id)!.address, verifier, demoRoot(m.id, 0));
}
console.log("Tree (b = active chains in the subtree, itself included):");
console.log("  settlement chain");
for (const m of members) {
  const info = await registry.chain(m.id);
  const indent = "  ".repeat(Number(info.depth) + 1);
  console.log(`${indent}${m.name} (id ${m.id}) b=${info.subtreeSize}`);
}

// The example's block 10 is block T0 + 10 here: deployment used the first blocks.
const T0 = 100;
const schedule: Array<[number, bigint]> = [
  [10, 1n],
  [11, 2n],
  [12, 5n],
  [13, 1n],
  [14, 3n],
  [15, 2n],
  [16, 4n],
];

function describeRows(rows: CommitmentRow[]): string {
  const lines: string[] = [];
  for (const m of members) {
    const cells = rows
      .filter((r) => r.chainId === m.id)
      .map((r) => (r.status === "pruned" ? `#${r.index} pruned` : `#${r.index} (${r.a},${r.b}) ${r.status}`));
    lines.push(`    ${m.name.padEnd(3)} ${cells.join("   ")}`);
  }
  return lines.join("\n");
}

const next = new Map(members.map((m) => [m.id, 1]));
const previous = new Map<string, string>(
  (await readCommitments(registry)).map((r) => [`${names.get(r.chainId)}#${r.index}`, r.status]),
);
console.log(`\nUpdates (every update acknowledges everything before its own block; block 10 = block ${T0 + 10}):`);
for (const [step, id] of schedule) {
  const target = T0 + step;
  if ((await ethers.provider.getBlockNumber()) < target - 1) await networkHelpers.mineUpTo(target - 1);
  const j = next.get(id)!;
  const tx = await registry
    .connect(operator.get(id)!)
    .submitUpdate(updateData(id, demoRoot(id, j - 1), demoRoot(id, j), target), "0x");
  const receipt = (await tx.wait())!;
  next.set(id, j + 1);
  const rows = await readCommitments(registry);
  const changes: string[] = [];
  for (const r of rows) {
    const key = `${names.get(r.chainId)}#${r.index}`;
    const before = previous.get(key);
    if (r.status === "final" && before !== "final" && before !== "pruned") changes.push(`${key} final`);
    if (r.status === "pruned" && before !== "pruned") changes.push(`${key} pruned`);
    previous.set(key, r.status);
  }
  console.log(
    `\n  block ${step} (${receipt.blockNumber}): ${names.get(id)} commits #${j} with ack ${target}, gas ${receipt.gasUsed}` +
      (changes.length > 0 ? `  ->  ${changes.join(", ")}` : ""),
  );
  console.log(describeRows(rows));
}

const [vIdx] = await registry.finalizedCommitment(1n);
const [c1Idx] = await registry.finalizedCommitment(2n);
console.log(
  `\nResult: V finalized #${vIdx}, C1 finalized #${c1Idx}; as in the worked example, v2 (3,5) is final and v1 pruned.`,
);

await runLatencyScenario(ethers, ignition, networkHelpers);
await runValidiumScenario(ethers, ignition);
// governance scenario: added by scripts/demo-governance.ts
await runGovernanceScenario(ethers, ignition, networkHelpers);
// security scenarios: forced withdrawal → freeze → escape, and an emergency election (scripts/demo-security.ts)
await runSecurityScenarios(ethers, ignition, networkHelpers);
