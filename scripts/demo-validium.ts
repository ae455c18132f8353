/**
 * Demo scenario: the reference validium settles real Groth16 proofs (docs/LEDGER.md, docs/PROVER.md).
 * Two accounts receive deposits through the settlement chain's request queue, transfer to each other
 * and withdraw; the node proves every batch with the CPU prover and the registry verifies each proof
 * with the generated verifier. Prints proving times and verification gas.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { formatEther, parseEther, toBeHex } from "ethers";

import DevelopmentVerifierModule from "../ignition/modules/DevelopmentVerifier.ts";
import ReferenceValidiumModule from "../ignition/modules/ReferenceValidium.ts";
import { genesisRoot, getCrypto, Wallet } from "../src/ledger/index.ts";
import { ValidiumNode, type BatchResult } from "../src/node/node.ts";
import { instanceArtifacts, manifestEntry, SHIPPED_INSTANCE } from "../src/prover/artifacts.ts";
import type { Groth16UpdateVerifier, RequestQueue, ValidiumRegistry } from "../typechain-types/index.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ignition = { deploy: (...args: any[]) => Promise<any> };

const K = 4;
const D = 8;
const CHAIN = 100n;

export async function runValidiumScenario(ethers: HardhatEthers, ignition: Ignition): Promise<void> {
  console.log("\n\nClusterKit demo: the reference validium settles real proofs (Groth16, circom, snarkjs)");
  const entry = manifestEntry(SHIPPED_INSTANCE);
  console.log(
    `  circuit ${SHIPPED_INSTANCE}: ${K} operations per batch, 2^${D} accounts, ` +
      `${entry.constraints.toLocaleString("en-US")} constraints, 5 public signals`,
  );
  const [, , , , , operator, carol, dave] = await ethers.getSigners();
  if (!operator || !carol || !dave) throw new Error("not enough accounts");
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
  const crypto = await getCrypto();
  await registry.registerChain(
    CHAIN,
    0n,
    operator.address,
    await adapter.getAddress(),
    toBeHex(genesisRoot(crypto, D), 32),
  );
  console.log(`  chain ${CHAIN} registered with the Groth16 adapter at ${await adapter.getAddress()}`);

  const alice = Wallet.fromSeed("demo-alice", crypto);
  const bob = Wallet.fromSeed("demo-bob", crypto);
  const q = queue.connect(carol);
  const depGas: bigint[] = [];
  for (const [slot, w, eth] of [
    [0, alice, "2.0"],
    [1, bob, "1.0"],
  ] as const) {
    const tx = await q.depositEth(CHAIN, slot, w.keyHash, carol.address, { value: parseEther(eth) });
    depGas.push((await tx.wait())!.gasUsed);
    console.log(`  deposit: ${eth} ETH into slot ${slot} (${slot === 0 ? "alice" : "bob"}), gas ${depGas.at(-1)}`);
  }

  const node = await ValidiumNode.open(
    { chainId: CHAIN, K, D, dataDir: mkdtempSync(join(tmpdir(), "clusterkit-demo-")), artifacts: instanceArtifacts() },
    { registry, queue, operator },
  );
  await node.syncQueue();
  const show = (b: BatchResult) => {
    const t = (b.witnessMs + b.proveMs) / 1000;
    console.log(
      `  batch ${b.l2Block}: ${b.ops.deposits} deposit(s), ${b.ops.transfers} transfer(s), ${b.ops.withdrawals} ` +
        `withdrawal(s); proved in ${t.toFixed(1)} s (witness ${b.witnessMs} ms); submitUpdate gas ${b.gasUsed}; ` +
        `commitment #${b.commitmentIndex}`,
    );
    console.log(
      `    balances: alice ${formatEther(node.ledger.leaf(0).balance)} ETH, bob ${formatEther(node.ledger.leaf(1).balance)} ETH`,
    );
  };
  let last = -1;
  const progress = (p: { fraction: number; stage: string }) => {
    const pct = Math.floor(p.fraction * 4);
    if (pct > last) {
      last = pct;
      process.stdout.write(`    proving: ${p.stage} ${Math.round(p.fraction * 100)}%\n`);
    }
  };
  show((await node.produceBatch(progress))!);

  node.submit(alice.transfer({ chainId: CHAIN, from: 0, to: 1, amount: parseEther("0.5"), nonce: 0n }));
  node.submit(bob.transfer({ chainId: CHAIN, from: 1, to: 0, amount: parseEther("0.25"), nonce: 0n }));
  node.submit(
    bob.withdraw({ chainId: CHAIN, from: 1, recipient: BigInt(dave.address), amount: parseEther("0.75"), nonce: 1n }),
  );
  last = -1;
  const b2 = (await node.produceBatch(progress))!;
  show(b2);
  const w = b2.trace.slots.find((s) => s.withdrawal !== null)!.withdrawal!;
  console.log(
    `    withdrawal list root ${toBeHex(b2.trace.withdrawalRoot, 32).slice(0, 18)}…: ` +
      `${formatEther(w.amount)} ETH to ${toBeHex(w.recipient, 20)} (claimable with RequestQueue.claimWithdrawal once final)`,
  );

  // Verification gas: the same two updates on a chain registered with the development verifier.
  const { developmentVerifier } = await ignition.deploy(DevelopmentVerifierModule);
  const devChain = CHAIN + 1n;
  const genesis = toBeHex(genesisRoot(crypto, D), 32);
  await registry.registerChain(devChain, 0n, operator.address, await developmentVerifier.getAddress(), genesis);
  let prev = genesis;
  let devGas = 0n;
  for (const b of node.batches) {
    const next = toBeHex(BigInt(b.newRoot), 32);
    const tx = await registry.connect(operator).submitUpdate(
      {
        chainId: devChain,
        ackBlock: BigInt(await ethers.provider.getBlockNumber()),
        l2Block: BigInt(b.l2Block),
        // This chain's queue is empty: it consumes nothing (the registry checks queue points for every verifier).
        queuePosition: 0n,
        prevRoot: prev,
        newRoot: next,
        queueHash: toBeHex(0, 32),
        outboxRoot: toBeHex(0, 32),
        inboxRoot: toBeHex(0, 32),
        withdrawalRoot: toBeHex(BigInt(b.withdrawalRoot), 32),
      },
      "0x",
    );
    devGas = (await tx.wait())!.gasUsed;
    prev = next;
  }
  const [, info] = await registry.latestCommitment(CHAIN);
  console.log(
    `  final check: registry's latest root ${info.root.slice(0, 18)}… = node's ledger root ` +
      `${toBeHex(node.ledger.stateRoot(), 32).slice(0, 18)}…`,
  );
  console.log(
    `  verification gas: batch 2's submitUpdate ${b2.gasUsed} with the Groth16 verifier vs ${devGas} with the ` +
      `development verifier: the proof costs ${BigInt(b2.gasUsed) - devGas} gas on chain`,
  );
  await node.close();
}
