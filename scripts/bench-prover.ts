/**
 * Prover and verifier benchmark (npm run bench:prover). Writes benchmarks/prover.md and
 * benchmarks/prover.json and prints, as its LAST line, a JSON object with the figures.
 *
 * - Circuit: constraints of every instance (from circuits/artifacts/manifest.json).
 * - Prover: witness and proving time with the CPU backend (snarkjs) for the shipped instance, over
 *   BATCHES real batches (deposits, then full batches of signed transfers); min / median / max.
 * - On chain (in-process Hardhat network, prague):
 *   - gas of RequestQueue.depositEth (the on-chain Poseidon rolling hash step);
 *   - gas of submitUpdate with the Groth16 adapter minus the same update shape with the development
 *     verifier (target: at most 250,000);
 *   - gas of the adapter's verify alone (gas used by a transaction calling it: intrinsic + calldata +
 *     execution);
 *   - BatchGroth16Verifier.verifyBatchWords (the cheapest entry point for updates) for N = 1, 2, 4, 8, 16
 *     real proofs: total and per proof, calldata included (target: at most 70,000 per proof at N = 16);
 *     verifyBatch (proofs as bytes[]) alongside.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";

import { network } from "hardhat";
import { format, resolveConfig } from "prettier";
import { AbiCoder, parseEther, toBeHex } from "ethers";

import BatchGroth16VerifierModule from "../ignition/modules/BatchGroth16Verifier.ts";
import DevelopmentVerifierModule from "../ignition/modules/DevelopmentVerifier.ts";
import ReferenceValidiumModule from "../ignition/modules/ReferenceValidium.ts";
import { genesisRoot, getCrypto, Wallet } from "../src/ledger/index.ts";
import { ValidiumNode, type PreparedBatch } from "../src/node/node.ts";
import { instanceArtifacts, manifestEntry, SHIPPED_INSTANCE } from "../src/prover/artifacts.ts";
import { batchVerifierParameters } from "../src/prover/vkey.ts";
import type {
  BatchGroth16Verifier,
  Groth16UpdateVerifier,
  RequestQueue,
  ValidiumRegistry,
} from "../typechain-types/index.ts";

const K = 4;
const D = 8;
const BATCHES = 16;
const NS = [1, 2, 4, 8, 16] as const;
const TARGETS = { adapterOverheadGas: 250_000, batchPerProofGasAtN16: 70_000 };

const { ethers, ignition } = await network.getOrCreate();
const [admin, opA, opB, user] = await ethers.getSigners();
if (!admin || !opA || !opB || !user) throw new Error("need four accounts");

const {
  registry: r,
  requestQueue,
  groth16UpdateVerifier,
} = await ignition.deploy(ReferenceValidiumModule, {
  parameters: { ClusterConfig: { maxFanOut: 16, maxDepth: 16, minStake: 0n } },
});
const registry = r as unknown as ValidiumRegistry;
const queue = requestQueue as unknown as RequestQueue;
const adapter = groth16UpdateVerifier as unknown as Groth16UpdateVerifier;
const { developmentVerifier } = await ignition.deploy(DevelopmentVerifierModule);
const vkeyJson = JSON.parse(readFileSync(instanceArtifacts(SHIPPED_INSTANCE).vkey, "utf8")) as unknown;
const { batchGroth16Verifier } = await ignition.deploy(BatchGroth16VerifierModule, {
  parameters: { BatchGroth16Verifier: batchVerifierParameters(vkeyJson, await queue.getAddress()) },
});
const batch = batchGroth16Verifier as unknown as BatchGroth16Verifier;

const crypto = await getCrypto();
const genesis = toBeHex(genesisRoot(crypto, D), 32);
await registry.registerChain(1n, 0n, opA.address, await adapter.getAddress(), genesis);
await registry.registerChain(2n, 0n, opB.address, await developmentVerifier.getAddress(), genesis);

// Deposits: 2 users' accounts on chain 1, measured.
const alice = Wallet.fromSeed("bench-alice", crypto);
const bob = Wallet.fromSeed("bench-bob", crypto);
const depositGas: number[] = [];
for (const [i, w] of [alice, bob, alice, bob].entries()) {
  const tx = await queue.connect(user).depositEth(1n, i % 2, w.keyHash, user.address, { value: parseEther("10") });
  depositGas.push(Number((await tx.wait())!.gasUsed));
}
// The same deposits into chain 2's queue (not measured): items do not encode the chain, so its rolling hashes
// equal chain 1's, and the development-verifier updates below carry valid queue points (the registry checks
// them whatever the verifier).
for (const [i, w] of [alice, bob, alice, bob].entries()) {
  await (await queue.connect(user).depositEth(2n, i % 2, w.keyHash, user.address, { value: parseEther("10") })).wait();
}

// BATCHES real batches on chain 1 (first: the 4 deposits; then 4 transfers each), kept for the batch verifier.
const node = await ValidiumNode.open(
  { chainId: 1n, K, D, dataDir: mkdtempSync(path.join(tmpdir(), "bench-prover-")), artifacts: instanceArtifacts() },
  { registry, queue, operator: opA },
);
await node.syncQueue();
const prepared: PreparedBatch[] = [];
const adapterUpdateGas: number[] = [];
const nonces = [0n, 0n];
for (let b = 0; b < BATCHES; b++) {
  if (b > 0) {
    for (let j = 0; j < K; j++) {
      const from = j % 2;
      const w = from === 0 ? alice : bob;
      node.submit(w.transfer({ chainId: 1n, from, to: 1 - from, amount: 1000n + BigInt(j), nonce: nonces[from]! }));
      nonces[from] = nonces[from]! + 1n;
    }
  }
  const p = await node.prepareBatch();
  if (!p) throw new Error("nothing to prove");
  prepared.push(p);
  const settled = await node.settle(p);
  adapterUpdateGas.push(Number(settled.gasUsed));
  process.stdout.write(`  batch ${b + 1}/${BATCHES}: witness ${p.proof.witnessMs} ms, prove ${p.proof.proveMs} ms\n`);
}
await node.close();

// The same sequence of updates on chain 2 with the development verifier (same ack rule, one per block).
const devUpdateGas: number[] = [];
let prev = genesis;
for (let b = 0; b < BATCHES; b++) {
  const next = toBeHex(BigInt(prepared[b]!.data.newRoot), 32);
  const data = { ...prepared[b]!.data, chainId: 2n, prevRoot: prev, newRoot: next, ackBlock: 0n };
  data.ackBlock = BigInt(await ethers.provider.getBlockNumber());
  const tx = await registry.connect(opB).submitUpdate(data, "0x");
  devUpdateGas.push(Number((await tx.wait())!.gasUsed));
  prev = next;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
// Steady state: skip the first two updates (cold ring slots) on both chains.
const steadyAdapter = median(adapterUpdateGas.slice(2));
const steadyDev = median(devUpdateGas.slice(2));
const adapterOverhead = steadyAdapter - steadyDev;

/**
 * Gas used by a transaction that calls a view function of `to` (intrinsic + calldata + execution, as a
 * contract calling the verifier would pay; estimateGas would add the 1/64 reserve around the precompiles).
 */
async function txGas(to: string, data: string): Promise<number> {
  const tx = await admin!.sendTransaction({ to, data, gasLimit: 16_000_000n });
  return Number((await tx.wait())!.gasUsed);
}

const p0 = prepared[0]!;
const adapterAddress = await adapter.getAddress();
const adapterVerifyGas = await txGas(
  adapterAddress,
  adapter.interface.encodeFunctionData("verify", [p0.data, p0.proofBytes]),
);
const batchAddress = await batch.getAddress();

const batchGas: Record<number, { total: number; perProof: number }> = {};
const batchBytesGas: Record<number, { total: number; perProof: number }> = {};
for (const n of NS) {
  const slice = prepared.slice(0, n);
  const datas = slice.map((p) => p.data);
  const bytes = slice.map((p) => p.proofBytes);
  const words = bytes.map((b) => [...(AbiCoder.defaultAbiCoder().decode(["uint256[8]"], b)[0] as bigint[])]);
  if (!(await batch.verifyBatchWords(datas, words))) throw new Error(`batch verifier rejected ${n} valid proofs`);
  if (!(await batch.verifyBatch(datas, bytes))) throw new Error(`batch verifier rejected ${n} valid proofs (bytes)`);
  const total = await txGas(batchAddress, batch.interface.encodeFunctionData("verifyBatchWords", [datas, words]));
  batchGas[n] = { total, perProof: Math.round(total / n) };
  const totalBytes = await txGas(batchAddress, batch.interface.encodeFunctionData("verifyBatch", [datas, bytes]));
  batchBytesGas[n] = { total: totalBytes, perProof: Math.round(totalBytes / n) };
}

const witness = prepared.map((p) => p.proof.witnessMs);
const prove = prepared.map((p) => p.proof.proveMs);
const stats = (xs: number[]) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });
const manifest = JSON.parse(readFileSync("circuits/artifacts/manifest.json", "utf8")) as Record<
  string,
  { constraints: number; ptauPower: number }
>;
const result = {
  instance: SHIPPED_INSTANCE,
  K,
  D,
  constraints: manifestEntry(SHIPPED_INSTANCE).constraints,
  witnessMs: stats(witness),
  proveMs: stats(prove),
  cores: availableParallelism(),
  depositGas: { first: depositGas[0], steady: median(depositGas.slice(2)) },
  submitUpdateGas: { groth16Adapter: steadyAdapter, developmentVerifier: steadyDev, adapterOverhead },
  adapterVerifyGas,
  batchGas,
  batchGasBytes: batchBytesGas,
  targets: {
    adapterOverhead: adapterOverhead <= TARGETS.adapterOverheadGas,
    batchPerProofAtN16: batchGas[16]!.perProof <= TARGETS.batchPerProofGasAtN16,
  },
};

const lines = [
  "# Prover and verifier benchmark",
  "",
  "Generated by `npm run bench:prover` (scripts/bench-prover.ts); in-process Hardhat network (prague).",
  "",
  "## Circuit instances",
  "",
  "| instance | constraints | ptau |",
  "| --- | --- | --- |",
  ...Object.entries(manifest).map(([n, e]) => `| ${n} | ${e.constraints.toLocaleString("en-US")} | 2^${e.ptauPower} |`),
  "",
  `## CPU prover (snarkjs), ${SHIPPED_INSTANCE}, ${result.cores} cores, ${BATCHES} batches`,
  "",
  "| phase | min | median | max |",
  "| --- | --- | --- | --- |",
  `| witness (ms) | ${result.witnessMs.min} | ${result.witnessMs.median} | ${result.witnessMs.max} |`,
  `| proof (ms) | ${result.proveMs.min} | ${result.proveMs.median} | ${result.proveMs.max} |`,
  "",
  "## Gas",
  "",
  "| what | gas |",
  "| --- | --- |",
  `| RequestQueue.depositEth, first into a chain | ${result.depositGas.first} |`,
  `| RequestQueue.depositEth, steady | ${result.depositGas.steady} |`,
  `| submitUpdate, Groth16 adapter (steady, median) | ${steadyAdapter} |`,
  `| submitUpdate, development verifier (same shape) | ${steadyDev} |`,
  `| **adapter overhead** (target ≤ ${TARGETS.adapterOverheadGas.toLocaleString("en-US")}) | **${adapterOverhead}** |`,
  `| Groth16UpdateVerifier.verify alone (transaction gas, calldata included) | ${adapterVerifyGas} |`,
  "",
  "## Batch verifier (BatchGroth16Verifier.verifyBatchWords, real ledger proofs, gas used by a transaction, calldata included)",
  "",
  "| N | total gas | gas per proof |",
  "| --- | --- | --- |",
  ...NS.map((n) => `| ${n} | ${batchGas[n]!.total} | ${batchGas[n]!.perProof} |`),
  `| 16, verifyBatch (proofs as bytes[]) | ${batchBytesGas[16]!.total} | ${batchBytesGas[16]!.perProof} |`,
  "",
  `Target at N = 16: ≤ ${TARGETS.batchPerProofGasAtN16.toLocaleString("en-US")} per proof: ${
    result.targets.batchPerProofAtN16 ? "met" : "MISSED"
  }.`,
  "",
];
mkdirSync("benchmarks", { recursive: true });
// Written as Prettier formats it, so `prettier --check .` stays clean after a run.
const mdPath = "benchmarks/prover.md";
writeFileSync(mdPath, await format(lines.join("\n"), { ...((await resolveConfig(mdPath)) ?? {}), parser: "markdown" }));
writeFileSync("benchmarks/prover.json", JSON.stringify(result, null, 2) + "\n");
console.log(lines.join("\n"));
console.log(JSON.stringify(result));
