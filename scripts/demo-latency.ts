/**
 * Demo scenario: latency-optimal leader rotation (seed 002). Five TEE nodes of the seed's example (nodes
 * 1–3 on network A, 4–5 on network B) register attested enclave keys, post signed RTT reports, the
 * schedule is computed off chain with its optimality certificate, verified and accepted on chain, and its
 * worst-case latency is compared with a random rotation.
 *
 * Imported by scripts/demo.ts (it runs on the same in-process network).
 */
import { Wallet, id as keccakId } from "ethers";
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";

import LatencyModule from "../ignition/modules/Latency.ts";
import LeaderScheduleModule from "../ignition/modules/LeaderSchedule.ts";
import { describeSchedule, randomRotation, scheduleFromChain } from "../src/cli/latency-commands.ts";
import { buildAttestation, signRegistration, signReport } from "../src/sdk/latency.ts";
import type { LatencyOracle, LeaderSchedule, SignedMeasurementAttestationVerifier } from "../typechain-types/index.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ignition = { deploy: (...args: any[]) => Promise<any> };

const NET_A = 11n;
const NET_B = 22n;
const EPOCH = 600n;
/** The seed's measurements (ms), each row as the node itself measured it: A nodes to B nodes, B nodes to A nodes. */
const FROM_A = [
  [30, 35],
  [25, 28],
  [40, 42],
];
const FROM_B = [
  [32, 27, 40],
  [34, 26, 42],
];

export async function runLatencyScenario(ethers: HardhatEthers, ignition: Ignition, helpers: NetworkHelpers) {
  console.log("\n\nClusterKit demo: latency-optimal leader rotation (seed 002)");
  const now = BigInt(await helpers.time.latest());
  const genesisTime = now + 60n;
  const { latencyOracle, attestationVerifier } = await ignition.deploy(LatencyModule, {
    parameters: { Latency: { genesisTime, epochDuration: EPOCH, disagreementBps: 2000 } },
  });
  const oracle = latencyOracle as unknown as LatencyOracle;
  const verifier = attestationVerifier as unknown as SignedMeasurementAttestationVerifier;
  const E = 6;
  const config = { epochsPerWindow: E, minShareA: 0, maxShareA: 3, minShareB: 2, maxShareB: 4, maxRun: 2 };
  const { leaderSchedule } = await ignition.deploy(LeaderScheduleModule, {
    parameters: { LeaderSchedule: { oracle: await oracle.getAddress(), networkA: NET_A, networkB: NET_B, ...config } },
  });
  const schedule = leaderSchedule as unknown as LeaderSchedule;
  const { chainId } = await ethers.provider.getNetwork();

  // Governance approves the enclave measurement and the attestation (quoting-enclave) key.
  const measurement = keccakId("clusterkit-sequencer-enclave v1");
  const attester = new Wallet(keccakId("demo attester"));
  await verifier.approveMeasurement(measurement);
  await verifier.approveAttestationKey(attester.address);
  await oracle.addNetwork(NET_A);
  await oracle.addNetwork(NET_B);
  const enclaves = new Map<string, Wallet>();
  for (const [net, count] of [
    [NET_A, 3],
    [NET_B, 2],
  ] as const) {
    for (let node = 0; node < count; node++) {
      await oracle.addNode(net);
      const enclave = new Wallet(keccakId(`demo enclave ${net}/${node}`));
      const sig = await signRegistration(attester, await verifier.getAddress(), chainId, {
        network: net,
        node,
        enclaveKey: enclave.address,
        measurement,
      });
      await oracle.registerEnclaveKey(net, node, enclave.address, buildAttestation(measurement, sig));
      enclaves.set(`${net}/${node}`, enclave);
    }
  }
  console.log(`  oracle ${await oracle.getAddress()}, schedule ${await schedule.getAddress()}`);
  console.log(
    `  networks A=${NET_A} (seed nodes 1-3 -> 0..2), B=${NET_B} (seed nodes 4-5 -> 0..1); 5 attested enclave keys`,
  );

  // Window 1 covers epochs 6..11; it is measured in epoch 4 and proposed in epoch 5.
  const window = 1n;
  const measured = await schedule.measurementEpoch(window);
  await helpers.time.increaseTo(genesisTime + measured * EPOCH);
  let reportGas = 0n;
  for (const [net, rows, peer] of [
    [NET_A, FROM_A, NET_B],
    [NET_B, FROM_B, NET_A],
  ] as const) {
    for (let node = 0; node < rows.length; node++) {
      const r = { epoch: measured, network: net, node, peerNetwork: peer, rtts: rows[node]!.map((ms) => ms * 1000) };
      const sig = await signReport(enclaves.get(`${net}/${node}`)!, await oracle.getAddress(), chainId, r);
      reportGas += (await (await oracle.submitReport(r, sig)).wait())!.gasUsed;
    }
  }
  const [values, flags] = await oracle.matrix(measured, NET_A, NET_B);
  console.log(
    `  epoch ${measured}: 5 signed reports posted (${reportGas / 5n} gas each on average); combined matrix (ms, max of both directions):`,
  );
  for (let i = 0; i < 3; i++) {
    const cells = [0, 1].map((j) => `${Number(values[i * 2 + j]) / 1000}${Number(flags[i * 2 + j]) === 1 ? "!" : ""}`);
    console.log(`    A${i}: ${cells.map((c) => c.padStart(6)).join(" ")}`);
  }

  await helpers.time.increaseTo(genesisTime + (measured + 1n) * EPOCH);
  console.log(
    `\n  epoch ${measured + 1n}: schedule for window ${window} (E=${E}, A nodes lead ${config.minShareA}-${config.maxShareA} epochs, ` +
      `B nodes ${config.minShareB}-${config.maxShareB}, runs <= ${config.maxRun}), proposed with its cut certificate:`,
  );
  for (const line of await scheduleFromChain(schedule, oracle, { window: String(window), submit: true })) {
    console.log(`    ${line}`);
  }
  const leaders: string[] = [];
  for (let e = 6n; e < 12n; e++) {
    const [a] = await schedule.leaderAt(NET_A, e);
    const [b] = await schedule.leaderAt(NET_B, e);
    leaders.push(`${e}:(${a},${b})`);
  }
  console.log(`  leaderAt on chain, epochs 6..11: ${leaders.join(" ")}`);

  const latency = [0, 1, 2].map((i) => [0, 1].map((j) => Number(values[i * 2 + j])));
  const unconstrained = {
    latency,
    epochs: E,
    minShareA: 0,
    maxShareA: E,
    minShareB: 0,
    maxShareB: E,
    maxRun: E,
  };
  const { solveTwoNetworks } = await import("../src/scheduler/index.ts");
  const free = solveTwoNetworks(unconstrained);
  const line = describeSchedule(unconstrained, free)[E + 1]!;
  console.log(`  without share bounds the optimum is the seed's pair (node 2, node 4) every epoch: ${line}`);
  const random = randomRotation(latency, E);
  console.log(
    `  random rotation over ${E} epochs: expected worst latency ${(random.meanWorst / 1000).toFixed(1)} ms; ` +
      `the certified schedule's worst: ${(Number((await schedule.scheduleOf(window))[0]) / 1000).toFixed(1)} ms`,
  );
}
