/**
 * Gas benchmark of the security machinery (npm run bench:security): forced operations, freeze, payouts
 * (withdrawal claims, escape, deposit reclaim), emergency elections and relocation. Writes
 * benchmarks/security.md and benchmarks/security.json, prints the table, and prints as its LAST line a JSON
 * object with the headline figures.
 *
 * Method (also written to the report):
 * - In-process Hardhat network (Prague), contracts deployed through the Ignition modules; numbers are `gasUsed`
 *   of whole transactions (intrinsic and calldata included), from receipts.
 * - Payouts: the ReferenceValidium, LedgerEscapeVerifier (depth 8) and DevelopmentVerifier modules; one chain
 *   whose updates carry the real state and withdrawal roots of the TypeScript ledger (K = 4, D = 8), so the
 *   escape and withdrawal proofs are real; the development verifier stands in for Groth16 (its cost is in
 *   benchmarks/prover.md).
 * - Elections: the EmergencyElection module (the Governance module's registry, the timelock as treasury) with
 *   ClusterConfig maxFanOut 4, maxDepth 5; for V = 3, 7, 15 a top-level chain (stake 1 ETH) with V strict
 *   descendants in a fan-out-3 tree filled breadth first (depth 2 to 4 below it); all V vote.
 * - Relocation: the ChainRelocation module, when it exists.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { parseEther, toBeHex, type BaseContract, type Interface, type Log } from "ethers";
import { network } from "hardhat";

import {
  D,
  deployElection,
  deployLedgerChain,
  depositOp,
  electionBuilt,
  gasOf,
  K,
  signedForcedWithdrawal,
  submitTrace,
  type LedgerChain,
} from "./demo-security.ts";
import DevelopmentVerifierModule from "../ignition/modules/DevelopmentVerifier.ts";
import { buildEscapeProof, depositItem, Wallet, type LedgerCrypto } from "../src/ledger/index.ts";
import { demoRoot } from "../src/sdk/registry.ts";
import type { IChainRelocation, ValidiumRegistry } from "../typechain-types/index.ts";
import { writeBenchmark } from "./bench-output.ts";

const { ethers, ignition, networkHelpers } = await network.getOrCreate();
const started = Date.now();
const signers = await ethers.getSigners();
const [admin, operator, alice, bob, carol, recipient, watcher] = signers as HardhatEthersSigner[];
if (!admin || !operator || !alice || !bob || !carol || !recipient || !watcher) throw new Error("not enough accounts");

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};
const n = (g: bigint): number => Number(g);

/** The H_2 Merkle path of leaf `k` over `leaves` (a power of two of them), leaf level first (docs/LEDGER.md §6). */
function merklePath(crypto: LedgerCrypto, leaves: readonly bigint[], k: number): bigint[] {
  const out: bigint[] = [];
  let level = [...leaves];
  let i = k;
  while (level.length > 1) {
    out.push(level[i ^ 1]!);
    const up: bigint[] = [];
    for (let j = 0; j < level.length; j += 2) up.push(crypto.poseidon([level[j]!, level[j + 1]!]));
    level = up;
    i >>= 1;
  }
  return out;
}

/*//////////////////////////////////////////////////////////////
            1. Forced operations, freeze and payouts
//////////////////////////////////////////////////////////////*/

const CHAIN = 7n;
const c: LedgerChain = await deployLedgerChain(ethers, ignition, CHAIN, admin, operator);
const { queue, registry, ledger, crypto } = c;
const config = await ethers.getContractAt("IClusterConfig", await registry.clusterConfig());
const [forcedDeadline, forcedFee] = [await config.param(0), await config.param(1)];
const token = await ethers.deployContract("MockERC20", ["Bench Token", "TOK"]);
await queue.connect(admin).registerToken(await token.getAddress());
const TOKEN_ID = await queue.tokenIdOf(await token.getAddress());
const depositors = [alice, bob, carol];
for (const d of depositors) {
  await token.getFunction("mint")(d.address, parseEther("1000"));
  await (token.connect(d) as typeof token).getFunction("approve")(await queue.getAddress(), parseEther("1000"));
}
const keys = depositors.map((d, i) => Wallet.fromSeed(`bench-security ${i}`, crypto));
const ops = [];
const payouts: Record<string, number> = {};

// Deposits: the chain's first ETH deposit, then steady ones (new slots, other depositors); same for ERC-20.
const depEth: number[] = [];
const depTok: number[] = [];
let slot = 0;
for (let i = 0; i < 4; i++) {
  const d = depositors[i % 3]!;
  const amount = parseEther("1") + BigInt(i);
  depEth.push(
    n(await gasOf(queue.connect(d).depositEth(CHAIN, slot, keys[i % 3]!.keyHash, d.address, { value: amount }))),
  );
  ops.push(depositOp(0n, slot, amount, keys[i % 3]!.keyHash, d.address));
  slot++;
}
for (let i = 0; i < 4; i++) {
  const d = depositors[i % 3]!;
  const amount = parseEther("10") + BigInt(i);
  depTok.push(
    n(await gasOf(queue.connect(d).depositErc20(CHAIN, TOKEN_ID, slot, keys[i % 3]!.keyHash, d.address, amount))),
  );
  ops.push(depositOp(TOKEN_ID, slot, amount, keys[i % 3]!.keyHash, d.address));
  slot++;
}
// Two batches of K = 4 consume the eight deposits; an empty one finalizes them.
await submitTrace(c, networkHelpers, ethers, ledger.executeBatch(ops.slice(0, K)));
await submitTrace(c, networkHelpers, ethers, ledger.executeBatch(ops.slice(K)));
// A withdrawal of 0.5 ETH from slot 0 (alice's key) to `recipient`, in the next batch, finalized by the one after.
const withdraw = keys[0]!.withdraw({
  chainId: CHAIN,
  from: 0,
  recipient: BigInt(recipient.address),
  amount: parseEther("0.5"),
  nonce: ledger.leaf(0).nonce,
});
const tw = ledger.executeBatch([withdraw]);
await submitTrace(c, networkHelpers, ethers, tw);
const [withdrawalIndex] = await registry.latestCommitment(CHAIN);
await submitTrace(c, networkHelpers, ethers, ledger.executeBatch([]));
const siblings = merklePath(
  crypto,
  tw.slots.map((s) => s.entryHash),
  0,
);
payouts.claimWithdrawal = n(
  await gasOf(
    queue
      .connect(watcher)
      .claimWithdrawal(CHAIN, withdrawalIndex, 0, recipient.address, 0n, parseEther("0.5"), siblings),
  ),
);

// Forced requests (each in its own block, as the network mines one transaction per block).
const w = await signedForcedWithdrawal(c, keys[0]!, 0, 0n, parseEther("0.1"), alice.address, 1n);
payouts.forceWithdrawal = n(await gasOf(queue.connect(alice).forceWithdrawal(CHAIN, w, { value: forcedFee })));
const forcedPosition = await queue.length(CHAIN);
payouts.forceMessage = n(
  await gasOf(queue.connect(bob).forceMessage(CHAIN, toBeHex(0xbeefn, 32), { value: forcedFee })),
);
// The operator's next batch ignores them; it becomes the final state once the next one lands.
await submitTrace(c, networkHelpers, ethers, ledger.executeBatch([]));
const escapeEth = buildEscapeProof(ledger, keys[1]!, 1, bob.address);
const escapeTok = buildEscapeProof(ledger, keys[1]!, 5, bob.address);
await submitTrace(c, networkHelpers, ethers, ledger.executeBatch([]));
// An unconsumed deposit, reclaimed after the freeze.
await queue.connect(carol).depositEth(CHAIN, 40, keys[2]!.keyHash, carol.address, { value: parseEther("2") });
const reclaimPosition = await queue.length(CHAIN);
await networkHelpers.time.increase(forcedDeadline + 1n);
payouts.freeze = n(await gasOf(queue.connect(watcher).freeze(CHAIN, forcedPosition)));
payouts.escapeEth = n(await gasOf(queue.connect(watcher).escape(CHAIN, bob.address, escapeEth.encoded)));
payouts.escapeErc20 = n(await gasOf(queue.connect(watcher).escape(CHAIN, bob.address, escapeTok.encoded)));
const item = depositItem({
  tokenId: 0n,
  accountIndex: 40n,
  amount: parseEther("2"),
  keyHash: keys[2]!.keyHash,
  refund: BigInt(carol.address),
});
payouts.reclaimDeposit = n(
  await gasOf(queue.connect(watcher).reclaimDeposit(CHAIN, reclaimPosition, item.w0, item.w1, item.w2)),
);
const deposits = {
  depositEthFirst: depEth[0]!,
  depositEthSteady: median(depEth.slice(1)),
  depositErc20First: depTok[0]!,
  depositErc20Steady: median(depTok.slice(1)),
};

/*//////////////////////////////////////////////////////////////
                         2. Elections
//////////////////////////////////////////////////////////////*/

const SIZES = [3, 7, 15] as const;
const FAN_OUT = 3;
interface ElectionResult {
  voters: number;
  depth: number;
  startElection: number;
  voteFirst: number;
  voteMedian: number;
  finalize: number;
  rolledBackTo: number;
}
const elections: ElectionResult[] = [];

/** The row of one election size; `logs` are the successful `finalize`'s (its `ElectionSucceeded` event). */
function result(
  iface: Interface,
  V: number,
  depth: number,
  startGas: number,
  votes: number[],
  finalizeGas: number,
  logs: readonly Log[],
): ElectionResult {
  let rolledBackTo = -1;
  for (const l of logs) {
    try {
      const e = iface.parseLog(l);
      if (e?.name === "ElectionSucceeded") rolledBackTo = Number(e.args.rolledBackTo);
    } catch {
      // another contract's event
    }
  }
  if (rolledBackTo < 0) throw new Error(`election on the V = ${V} tree did not succeed`);
  return {
    voters: V,
    depth,
    startElection: startGas,
    voteFirst: votes[0]!,
    voteMedian: median(votes.slice(1)),
    finalize: finalizeGas,
    rolledBackTo,
  };
}
const electionExtras: Record<string, number> = {};
let electionNote = "";
if (electionBuilt()) {
  const {
    election,
    registry: er,
    verifier,
  } = await deployElection(ethers, ignition, {
    maxFanOut: 4n,
    maxDepth: 5n,
    minStake: 0n,
  });
  const ei = election.interface as unknown as Interface;
  const bond = await (await ethers.getContractAt("IClusterConfig", await er.clusterConfig())).param(4);
  const [targetOp, voterOp, initiator, candidateA, candidateB, anyone] = signers.slice(7, 13) as HardhatEthersSigner[];
  for (const V of SIZES) {
    const T = BigInt(V) * 100n;
    await er
      .connect(admin)
      .registerChain(T, 0n, targetOp!.address, verifier, demoRoot(T, 0), { value: parseEther("1") });
    let depth = 0;
    for (let i = 1; i <= V; i++) {
      const parentIndex = Math.floor((i - 1) / FAN_OUT);
      const parent = parentIndex === 0 ? T : T + BigInt(parentIndex);
      await er
        .connect(admin)
        .registerChain(T + BigInt(i), parent, voterOp!.address, verifier, demoRoot(T + BigInt(i), 0));
      depth = Math.max(depth, Number((await er.chain(T + BigInt(i))).depth) - 1);
    }
    const votes: number[] = [];
    let id: bigint;
    let startGas: number;
    if (V === 3) {
      // Two competing elections: voter 1 votes for the first, then moves its vote to the second.
      startGas = n(await gasOf(election.connect(initiator!).startElection(T, candidateA!.address, { value: bond })));
      const first = await election.electionCount();
      electionExtras.startElectionSecondOnChain = n(
        await gasOf(election.connect(initiator!).startElection(T, candidateB!.address, { value: bond })),
      );
      id = await election.electionCount();
      votes.push(n(await gasOf(election.connect(voterOp!).vote(first, T + 1n))));
      electionExtras.voteMove = n(await gasOf(election.connect(voterOp!).vote(id, T + 1n)));
      for (let i = 2; i <= V; i++) votes.push(n(await gasOf(election.connect(voterOp!).vote(id, T + BigInt(i)))));
      const receipt = (await (await election.connect(anyone!).finalize(id)).wait())!;
      elections.push(result(ei, V, depth, startGas, votes, n(receipt.gasUsed), receipt.logs));
      electionExtras.finalizeSuperseded = n(await gasOf(election.connect(anyone!).finalize(first)));
    } else {
      startGas = n(await gasOf(election.connect(initiator!).startElection(T, candidateA!.address, { value: bond })));
      id = await election.electionCount();
      for (let i = 1; i <= V; i++) votes.push(n(await gasOf(election.connect(voterOp!).vote(id, T + BigInt(i)))));
      const receipt = (await (await election.connect(anyone!).finalize(id)).wait())!;
      elections.push(result(ei, V, depth, startGas, votes, n(receipt.gasUsed), receipt.logs));
    }
  }
  // An election that expires: no votes, finalized after the voting period (bond forfeited to the treasury).
  await election.connect(initiator!).startElection(700n, candidateB!.address, { value: bond });
  const expiring = await election.electionCount();
  await networkHelpers.time.increase(
    (await (await ethers.getContractAt("IClusterConfig", await er.clusterConfig())).param(3)) + 1n,
  );
  electionExtras.finalizeExpired = n(await gasOf(election.connect(anyone!).finalize(expiring)));
} else {
  electionNote = "skipped: EmergencyElection not built (contracts/security/EmergencyElection.sol or its module)";
}

/*//////////////////////////////////////////////////////////////
                         3. Relocation
//////////////////////////////////////////////////////////////*/

const RELOCATION_MODULE = path.join(process.cwd(), "ignition/modules/ChainRelocation.ts");
const RELOCATION_SOURCE = path.join(process.cwd(), "contracts/security/ChainRelocation.sol");
const relocations: Array<{ subtree: number; gas: number; request: number }> = [];
let relocationNote = "";
if (existsSync(RELOCATION_MODULE) && existsSync(RELOCATION_SOURCE)) {
  const mod = (await import(pathToFileURL(RELOCATION_MODULE).href)).default;
  const deployed = (await ignition.deploy(mod, {
    parameters: { ClusterConfig: { maxFanOut: 4n, maxDepth: 5n, minStake: 0n } },
  })) as Record<string, BaseContract>;
  const key = Object.keys(deployed).find((k) => /relocation/i.test(k));
  if (key === undefined) throw new Error("the ChainRelocation module returns no relocation contract");
  const relocation = (await ethers.getContractAt(
    "IChainRelocation",
    await deployed[key]!.getAddress(),
  )) as unknown as IChainRelocation;
  const rr = (await ethers.getContractAt(
    "ValidiumRegistry",
    await relocation.registry(),
  )) as unknown as ValidiumRegistry;
  const { developmentVerifier } = await ignition.deploy(DevelopmentVerifierModule);
  const dv = await developmentVerifier.getAddress();
  const [govA, govB, govMover] = signers.slice(13, 16) as HardhatEthersSigner[];
  // Parents A (1) and B (2) at the top level; movers of subtree size 1, 3 and 7 (fan-out 2) under A, moved to B.
  await rr.connect(admin).registerChain(1n, 0n, govA!.address, dv, demoRoot(1n, 0));
  await rr.connect(admin).registerChain(2n, 0n, govB!.address, dv, demoRoot(2n, 0));
  for (const size of [1, 3, 7]) {
    const root = BigInt(size) * 10n;
    const ids: bigint[] = [root];
    const parentIndex: bigint[] = [0n];
    await rr.connect(admin).registerChain(root, 1n, govMover!.address, dv, demoRoot(root, 0));
    for (let i = 1; i < size; i++) {
      const p = Math.floor((i - 1) / 2);
      ids.push(root + BigInt(i));
      parentIndex.push(BigInt(p));
      await rr
        .connect(admin)
        .registerChain(root + BigInt(i), ids[p]!, govMover!.address, dv, demoRoot(root + BigInt(i), 0));
    }
    const request = n(await gasOf(relocation.connect(govMover!).requestRelocation(root, 2n)));
    const gas = n(await gasOf(relocation.connect(govB!).acceptRelocation(root, 2n, ids, parentIndex)));
    relocations.push({ subtree: size, gas, request });
  }
} else {
  relocationNote = "skipped: the ChainRelocation module (ignition/modules/ChainRelocation.ts) does not exist yet";
}

const elapsed = (Date.now() - started) / 1000;

/*//////////////////////////////////////////////////////////////
                            Report
//////////////////////////////////////////////////////////////*/

const fmt = (x: number): string => x.toLocaleString("en-US");
const lines: string[] = [];
lines.push("# Security gas: forced operations, freeze, escape, elections, relocation");
lines.push("");
lines.push(
  "Generated by `npm run bench:security` (`scripts/bench-security.ts`); Hardhat in-process EDR network (Prague), " +
    "solc 0.8.30 (optimizer 10,000 runs; the registry 200). Numbers are `gasUsed` of whole transactions " +
    "(21,000 intrinsic and calldata included), from receipts.",
);
lines.push("");
lines.push("## Method");
lines.push("");
lines.push(
  "- Payouts: the `ReferenceValidium`, `LedgerEscapeVerifier` (depth 8) and `DevelopmentVerifier` Ignition " +
    `modules; one chain whose updates carry the real state and withdrawal roots of the TypeScript ledger (K = ${K}, ` +
    `D = ${D}), so the escape proofs (Merkle path, EdDSA-Poseidon signature) and withdrawal proofs are real. The ` +
    "development verifier stands in for Groth16 (the proof's cost is in `benchmarks/prover.md`).",
  "- Deposits: the chain's first ETH (ERC-20) deposit, then the median of three more into new slots by other " +
    "depositors (steady). ERC-20: `MockERC20`, approved beforehand (the `approve` is not counted).",
  "- `forceWithdrawal` is the chain's first forced request (its signature is verified on chain); `forceMessage` " +
    "the second, in the next block. `freeze` follows the forced deadline; `escape` pays a whole account (ETH, " +
    "then an ERC-20 account) against the last final root; `reclaimDeposit` refunds an unconsumed ETH deposit; " +
    "`claimWithdrawal` pays entry 0 of a final batch's withdrawal list (K = 4: a 2-node path). All payouts are " +
    "submitted by a third party: the money goes to the address the proof names.",
  "- Elections: the `EmergencyElection` module (the `Governance` module's registry, the timelock as treasury), " +
    "ClusterConfig maxFanOut 4, maxDepth 5. For V = 3, 7, 15: a top-level chain with 1 ETH of stake and V " +
    "strict descendants (fan-out 3, filled breadth first), all V voting; `finalize` installs the candidate, " +
    "rolls back, slashes (initiator share and treasury) and refunds the bond. At V = 3 two elections compete: " +
    "the first vote goes to one, then moves to the other (`vote` moving), which wins; the loser is then " +
    "finalized as Superseded.",
  "- Relocation: `ChainRelocation.acceptRelocation` (the new parent's governance) moving a subtree of 1, 3 and " +
    "7 chains from one top-level parent to another, after `requestRelocation` by the moving chain's governance.",
);
lines.push("");
lines.push("## Forced operations, freeze and payouts");
lines.push("");
lines.push("| step | gas |");
lines.push("|---|---:|");
const single: Array<[string, number]> = [
  ["`depositEth` (the chain's first)", deposits.depositEthFirst],
  ["`depositEth` (steady)", deposits.depositEthSteady],
  ["`depositErc20` (the chain's first)", deposits.depositErc20First],
  ["`depositErc20` (steady)", deposits.depositErc20Steady],
  ["`forceWithdrawal` (EdDSA-Poseidon signature checked on chain)", payouts.forceWithdrawal!],
  ["`forceMessage`", payouts.forceMessage!],
  ["`freeze` (after the deadline)", payouts.freeze!],
  ["`claimWithdrawal` (ETH, K = 4)", payouts.claimWithdrawal!],
  ["`escape` (ETH account, LedgerEscapeVerifier D = 8)", payouts.escapeEth!],
  ["`escape` (ERC-20 account, LedgerEscapeVerifier D = 8)", payouts.escapeErc20!],
  ["`reclaimDeposit` (ETH)", payouts.reclaimDeposit!],
];
for (const [name, g] of single) lines.push(`| ${name} | ${fmt(g)} |`);
lines.push("");
lines.push("## Emergency elections by number of voters V");
lines.push("");
if (elections.length > 0) {
  const row = (name: string, f: (r: ElectionResult) => number | string) =>
    `| ${name} | ${elections.map((r) => (typeof f(r) === "number" ? fmt(f(r) as number) : f(r))).join(" | ")} |`;
  lines.push(`| step | ${elections.map((r) => `V = ${r.voters}`).join(" | ")} |`);
  lines.push(`|---|${elections.map(() => "---:").join("|")}|`);
  lines.push(row("depth of the deepest voter below the chain", (r) => String(r.depth)));
  lines.push(row("`startElection` (bond 1 ETH)", (r) => r.startElection));
  lines.push(row("`vote` (the election's first)", (r) => r.voteFirst));
  lines.push(row("`vote` (median of the others)", (r) => r.voteMedian));
  lines.push(row("`finalize` (success: install, rollback, slash 1 ETH, refund)", (r) => r.finalize));
  lines.push("");
  lines.push(
    `Also: \`vote\` moving a chain's vote from a competing election ${fmt(electionExtras.voteMove!)}; a second ` +
      `\`startElection\` on the same chain ${fmt(electionExtras.startElectionSecondOnChain!)}; \`finalize\` of the ` +
      `superseded loser ${fmt(electionExtras.finalizeSuperseded!)}; \`finalize\` of an expired election (no ` +
      `votes, bond forfeited) ${fmt(electionExtras.finalizeExpired!)}.`,
  );
  const [small, large] = [elections[0]!, elections[elections.length - 1]!];
  const perVoter = Math.round((large.finalize - small.finalize) / (large.voters - small.voters));
  lines.push(
    "",
    `- \`finalize\` recounts every vote (each voter's status and ancestry, read from the registry): from V = ` +
      `${small.voters} to V = ${large.voters} it grows by about ${fmt(perVoter)} gas per voter. An election won by ` +
      "a bare majority recounts only those ⌊V/2⌋ + 1 votes.",
    "- `startElection` at V = 3 is the contract's first election: its election counter goes from zero to " +
      "non-zero (about 17,100 gas more than later ones).",
    "- `vote` appends the voter to the election's entry list, four chain ids to a slot: the election's first vote " +
      "(and every fourth) starts a slot. It checks that the voter is a strict descendant by walking the voter's " +
      "ancestors in the registry, so a vote costs more the deeper the voter sits below the chain.",
  );
} else {
  lines.push(electionNote + ".");
}
lines.push("");
lines.push("## Relocation");
lines.push("");
if (relocations.length > 0) {
  lines.push("| subtree size | `requestRelocation` | `acceptRelocation` |");
  lines.push("|---:|---:|---:|");
  for (const r of relocations) lines.push(`| ${r.subtree} | ${fmt(r.request)} | ${fmt(r.gas)} |`);
  const [r0, r1] = [relocations[0]!, relocations[relocations.length - 1]!];
  lines.push(
    "",
    `\`acceptRelocation\` grows by about ${fmt(Math.round((r1.gas - r0.gas) / (r1.subtree - r0.subtree)))} gas ` +
      "per chain of the moved subtree (the registry checks the subtree list and resets each chain's ack).",
  );
} else {
  lines.push(relocationNote + ".");
}
lines.push("");
lines.push("## Comparison with published figures");
lines.push("");
lines.push(
  "Only figures found in public documentation are quoted, with their source; they were measured on other " +
    "systems, with other state layouts and proofs, and are context, not a like-for-like comparison.",
  "",
  "- StarkEx (StarkWare's documentation, _Gas usage for transactions in StarkEx_, " +
    "<https://docs.starkware.co/starkex/on-chain_gas_usage.html>): a Forced Withdrawal on StarkEx Perpetual used " +
    "86,185 gas and a Forced Trade 104,189, described there as the average of several random transactions in the " +
    "three months to 28 February 2023. Our `forceWithdrawal` costs " +
    `${fmt(payouts.forceWithdrawal!)}: it verifies the owner's EdDSA-Poseidon signature on chain (Baby Jubjub ` +
    "arithmetic in the EVM), where StarkEx checks that the Ethereum sender is registered for the Stark key.",
  "- StarkEx's documentation also states that the anti-DoS cost of a full withdrawal request is made to exceed " +
    "1M gas (<https://docs.starkware.co/starkex/spot/in-spot-trading-smart-contracts.html>), and for Perpetual a " +
    "`forcedWithdrawalRequest` with `premiumCost` set costs 1M gas " +
    "(<https://docs.starkware.co/starkex/perpetual/forced-actions-escape-hatch-perpetual.html>); this is a " +
    "designed price, not a measurement. ClusterKit prices spam with the `ForcedFee` parameter and the " +
    "`ForcedPerBlock` rate limit instead.",
  "- StarkEx `freezeRequest` and `escape` (with its separate `verifyEscape` call): no published gas figure was " +
    "found.",
  "- Polygon zkEVM / AggLayer `claimAsset`: no published gas figure was found.",
);
const markdown = lines.join("\n") + "\n";

const json = {
  generatedBy: "scripts/bench-security.ts",
  unit: "gasUsed of the whole transaction",
  ledger: { K, D },
  deposits,
  forced: { forceWithdrawal: payouts.forceWithdrawal, forceMessage: payouts.forceMessage, freeze: payouts.freeze },
  payouts: {
    claimWithdrawal: payouts.claimWithdrawal,
    escapeEth: payouts.escapeEth,
    escapeErc20: payouts.escapeErc20,
    reclaimDeposit: payouts.reclaimDeposit,
  },
  elections: elections.length > 0 ? { bySize: elections, ...electionExtras } : { skipped: electionNote },
  relocation: relocations.length > 0 ? relocations : { skipped: relocationNote },
  published: {
    starkexForcedWithdrawal: { gas: 86185, source: "https://docs.starkware.co/starkex/on-chain_gas_usage.html" },
    starkexForcedTrade: { gas: 104189, source: "https://docs.starkware.co/starkex/on-chain_gas_usage.html" },
    starkexFreezeRequest: null,
    starkexEscape: null,
    aggLayerClaimAsset: null,
  },
};

const formattedMarkdown = await writeBenchmark("security", markdown, json);

console.log(formattedMarkdown);
console.log(`(measured in ${elapsed.toFixed(1)} s; written to benchmarks/security.md and benchmarks/security.json)`);
const headline = {
  depositEth: deposits.depositEthSteady,
  depositErc20: deposits.depositErc20Steady,
  forceWithdrawal: payouts.forceWithdrawal,
  freeze: payouts.freeze,
  escape: payouts.escapeEth,
  claimWithdrawal: payouts.claimWithdrawal,
  reclaimDeposit: payouts.reclaimDeposit,
  ...(elections.length > 0
    ? Object.fromEntries(elections.map((r) => [`finalizeV${r.voters}`, r.finalize]))
    : { elections: "skipped" }),
  ...(relocations.length > 0
    ? Object.fromEntries(relocations.map((r) => [`acceptRelocation${r.subtree}`, r.gas]))
    : { relocation: "skipped" }),
};
console.log(JSON.stringify(headline));
