/**
 * Gas of LatencyOracle.submitReport (m = 2, 16, 32 peer nodes) and of LatencyOracle.matrix (n = m = 4,
 * 8, 16, 32, every node reported with every RTT non-zero: the worst case), with upper bounds so that a
 * regression fails. submitReport: receipt gas; matrix: estimateGas of the eth_call (both include the
 * 21000 intrinsic gas and calldata). `LATENCY_GAS=1` prints the table.
 */
import { expect } from "chai";

import { combineMatrix, unflattenMatrix } from "../../src/sdk/latency.ts";
import { networkHelpers } from "../helpers/fixtures.ts";
import {
  DISAGREEMENT_BPS,
  deployedFixture,
  MEASUREMENT,
  ATTESTER,
  registerKey,
  report,
  submit,
  type LatencyFixture,
} from "../helpers/latency.ts";

/** Deterministic RTT in [10 ms, 200 ms) for (network, node, peer node). */
function rttOf(network: bigint, node: number, peer: number): number {
  return 10_000 + ((Number(network) * 7919 + node * 104_729 + peer * 1_299_709) % 190_000);
}

function vector(network: bigint, node: number, m: number): number[] {
  return Array.from({ length: m }, (_, j) => rttOf(network, node, j));
}

async function addNetwork(f: LatencyFixture, network: bigint, nodes: number): Promise<void> {
  await f.oracle.addNetwork(network);
  for (let i = 0; i < nodes; i++) await f.oracle.addNode(network);
}

const gasTable: Record<string, bigint> = {};

describe("LatencyOracle: gas", function () {
  after(function () {
    if (process.env.LATENCY_GAS) console.table(gasTable);
  });

  it("test_submitReport_gasByPeerCount", async function () {
    const f = await networkHelpers.loadFixture(deployedFixture);
    await f.verifier.approveMeasurement(MEASUREMENT);
    await f.verifier.approveAttestationKey(ATTESTER.address);
    const reporter = 1000n;
    await addNetwork(f, reporter, 2);
    for (const i of [0, 1]) await registerKey(f, reporter, i);
    const bounds: Record<number, bigint> = { 2: 95_000n, 16: 127_000n, 32: 184_000n };
    const peers = [2, 16, 32];
    for (const m of peers) await addNetwork(f, BigInt(m), m);
    await networkHelpers.time.increaseTo(f.genesisTime);
    for (const m of peers) {
      // First reporter of (epoch, network, peer): also creates the reporter bitmap; second: updates it.
      for (const node of [0, 1]) {
        const tx = await submit(f, report(0, reporter, node, BigInt(m), vector(reporter, node, m)));
        const gas = (await tx.wait())!.gasUsed;
        gasTable[`submitReport m=${m} (${node === 0 ? "first" : "second"} reporter)`] = gas;
        expect(gas).to.be.lessThan(bounds[m]!);
      }
    }
  });

  it("test_matrix_gasBySize", async function () {
    const f = await networkHelpers.loadFixture(deployedFixture);
    await f.verifier.approveMeasurement(MEASUREMENT);
    await f.verifier.approveAttestationKey(ATTESTER.address);
    const sizes = [4, 8, 16, 32];
    const bounds: Record<number, bigint> = { 4: 64_000n, 8: 100_000n, 16: 280_000n, 32: 1_000_000n };
    for (const k of sizes) {
      await addNetwork(f, BigInt(100 + k), k);
      await addNetwork(f, BigInt(200 + k), k);
      for (let i = 0; i < k; i++) {
        await registerKey(f, BigInt(100 + k), i);
        await registerKey(f, BigInt(200 + k), i);
      }
    }
    await networkHelpers.time.increaseTo(f.genesisTime);
    for (const k of sizes) {
      const [a, b] = [BigInt(100 + k), BigInt(200 + k)];
      gasTable[`matrix ${k}x${k} (no reports)`] = await f.oracle.matrix.estimateGas(0, a, b);
      const reportsA = Array.from({ length: k }, (_, i) => vector(a, i, k));
      const reportsB = Array.from({ length: k }, (_, j) => vector(b, j, k));
      for (let i = 0; i < k; i++) {
        await submit(f, report(0, a, i, b, reportsA[i]!));
        await submit(f, report(0, b, i, a, reportsB[i]!));
      }
      const [values, flags] = await f.oracle.matrix(0, a, b);
      expect(unflattenMatrix(values, flags, k)).to.deep.equal(combineMatrix(reportsA, reportsB, DISAGREEMENT_BPS));
      const gas = await f.oracle.matrix.estimateGas(0, a, b);
      gasTable[`matrix ${k}x${k} (all reported)`] = gas;
      expect(gas).to.be.lessThan(bounds[k]!);
    }
  });
});
