/**
 * Demo scenarios of the cluster's security machinery (docs/PROTOCOL.md "Forced operations and freeze",
 * "Payouts"; DESIGN.md §3–4), on the in-process network through the Ignition modules, with the development
 * verifier (no Groth16 proving here):
 *
 * 1. An operator ignores a forced withdrawal: Alice deposits ETH and an ERC-20 token into a reference-ledger
 *    chain whose updates carry the real roots of the TypeScript `Ledger`; she files a signed forced withdrawal;
 *    the operator keeps settling batches that do not consume it; a freeze before the deadline is refused; after
 *    it anyone freezes the chain; Alice escapes with real `LedgerEscapeVerifier` proofs against the last final
 *    root and is paid from the chain's escrow, once.
 * 2. A parent withholds data: its descendants keep updating without acknowledging its newer commitments, elect a
 *    new operator (`EmergencyElection`), the chain rolls back to its last final commitment and continues from it
 *    under the new operator; the old operator is refused.
 *
 * Run: npm run demo (after the other scenarios), or import `runSecurityScenarios`.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import {
  formatEther,
  parseEther,
  toBeHex,
  ZeroHash,
  type BaseContract,
  type ContractTransactionResponse,
  type Interface,
} from "ethers";

import DevelopmentVerifierModule from "../ignition/modules/DevelopmentVerifier.ts";
import LedgerEscapeVerifierModule from "../ignition/modules/LedgerEscapeVerifier.ts";
import ReferenceValidiumModule from "../ignition/modules/ReferenceValidium.ts";
import { formatRevert, revertData } from "../src/cli/governance-commands.ts";
import {
  buildEscapeProof,
  depositItem,
  getCrypto,
  Ledger,
  OpType,
  type BatchTrace,
  Wallet,
  type LedgerCrypto,
  type Op,
} from "../src/ledger/index.ts";
import { demoRoot, formatRow, readCommitments, updateData } from "../src/sdk/registry.ts";
import type {
  IEmergencyElection,
  ILedgerSignatureVerifier,
  RequestQueue,
  ValidiumRegistry,
} from "../typechain-types/index.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Ignition = { deploy: (...args: any[]) => Promise<any> };

/** Ledger instance of the reference validium (the shipped K4D8 circuit): 4 operations per batch, 2^8 slots. */
export const K = 4;
export const D = 8;

const hex32 = (x: bigint): string => toBeHex(x, 32);

/** One deployment: the reference validium's settlement side, the ledger escape verifier, the development verifier. */
export const EscapeDeploymentModule = buildModule("SecurityEscapeDeployment", (m) => {
  const { registry, requestQueue, signatureVerifier } = m.useModule(ReferenceValidiumModule);
  const { ledgerEscapeVerifier } = m.useModule(LedgerEscapeVerifierModule);
  const { developmentVerifier } = m.useModule(DevelopmentVerifierModule);
  return { registry, requestQueue, signatureVerifier, ledgerEscapeVerifier, developmentVerifier };
});

/** The `gasUsed` of a sent transaction, once mined. */
export async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  return (await (await tx).wait())!.gasUsed;
}

/** Runs `f`, which must revert; returns its custom error as `Name(args)` decoded with `ifaces`. */
export async function revertOf(f: () => Promise<unknown>, ...ifaces: Interface[]): Promise<string> {
  try {
    await f();
  } catch (err) {
    const parsed = formatRevert(revertData(err), ...ifaces);
    return parsed?.[1] ?? `an unrecognised revert (${(err as Error).message.split("\n")[0]})`;
  }
  throw new Error("expected a revert, but the call succeeded");
}

/** A reference-ledger chain on a `SecurityEscapeDeployment`, with its TypeScript ledger. */
export interface LedgerChain {
  chainId: bigint;
  registry: ValidiumRegistry;
  queue: RequestQueue;
  signatureVerifier: ILedgerSignatureVerifier;
  operator: HardhatEthersSigner;
  ledger: Ledger;
  crypto: LedgerCrypto;
}

/**
 * Deploys `SecurityEscapeDeployment` and admits `chainId` at the top level: the development verifier (its
 * updates carry the ledger's real roots), the `LedgerEscapeVerifier` as its escape verifier, the ledger's
 * genesis root.
 */
export async function deployLedgerChain(
  ethers: HardhatEthers,
  ignition: Ignition,
  chainId: bigint,
  admin: HardhatEthersSigner,
  operator: HardhatEthersSigner,
): Promise<LedgerChain & { escapeVerifier: string }> {
  const deployed = await ignition.deploy(EscapeDeploymentModule, {
    parameters: { ClusterConfig: { maxFanOut: 16, maxDepth: 16, minStake: 0n } },
  });
  const registry = deployed.registry as unknown as ValidiumRegistry;
  const crypto = await getCrypto();
  const ledger = Ledger.withCrypto(crypto, { chainId, K, D });
  const escapeVerifier = await deployed.ledgerEscapeVerifier.getAddress();
  await registry.connect(admin).admitChain({
    chainId,
    parent: 0n,
    governance: admin.address,
    security: {
      operator: operator.address,
      verifier: await deployed.developmentVerifier.getAddress(),
      escapeVerifier,
      codeHash: ZeroHash,
      configHash: ZeroHash,
    },
    genesisRoot: hex32(ledger.stateRoot()),
  });
  const signatureVerifier = (await ethers.getContractAt(
    "ILedgerSignatureVerifier",
    await deployed.signatureVerifier.getAddress(),
  )) as unknown as ILedgerSignatureVerifier;
  return {
    chainId,
    registry,
    queue: deployed.requestQueue as unknown as RequestQueue,
    signatureVerifier,
    operator,
    ledger,
    crypto,
    escapeVerifier,
  };
}

/**
 * Submits `trace` as the chain's next update (the development verifier accepts it), acknowledging the block
 * mined just before: later than the chain's previous commitment, so on a top-level chain with no descendants
 * it finalizes that one. Returns the update's gas.
 */
export async function submitTrace(
  c: LedgerChain,
  helpers: NetworkHelpers,
  ethers: HardhatEthers,
  trace: BatchTrace,
): Promise<bigint> {
  await helpers.mine();
  return gasOf(
    c.registry.connect(c.operator).submitUpdate(
      {
        chainId: c.chainId,
        ackBlock: BigInt(await ethers.provider.getBlockNumber()),
        l2Block: trace.after.l2Block,
        queuePosition: trace.after.queuePosition,
        prevRoot: hex32(trace.prevRoot),
        newRoot: hex32(trace.newRoot),
        queueHash: hex32(trace.after.queueHash),
        outboxRoot: ZeroHash,
        inboxRoot: ZeroHash,
        withdrawalRoot: hex32(trace.withdrawalRoot),
      },
      "0x",
    ),
  );
}

/** The ledger operation that consumes the deposit queue item `(tokenId, slot, amount, keyHash, refund)`. */
export function depositOp(tokenId: bigint, slot: number, amount: bigint, keyHash: bigint, refund: string): Op {
  return {
    type: OpType.QueueItem,
    item: depositItem({ tokenId, accountIndex: BigInt(slot), amount, keyHash, refund: BigInt(refund) }),
  };
}

/**
 * A forced withdrawal of `amount` of `tokenId` from `slot` to `recipient`, signed by `wallet` over the message
 * the chain's signature verifier defines (`forcedWithdrawalMessage`, docs/LEDGER.md §4).
 */
export async function signedForcedWithdrawal(
  c: LedgerChain,
  wallet: Wallet,
  slot: number,
  tokenId: bigint,
  amount: bigint,
  recipient: string,
  salt: bigint,
): Promise<ILedgerSignatureVerifier.ForcedWithdrawalStruct> {
  const unsigned = {
    slot: BigInt(slot),
    tokenId,
    amount,
    recipient,
    salt,
    ax: wallet.pubKey.Ax,
    ay: wallet.pubKey.Ay,
    r8x: 0n,
    r8y: 0n,
    s: 0n,
  };
  const message = await c.signatureVerifier.forcedWithdrawalMessage(c.chainId, unsigned);
  const sig = wallet.sign(message);
  return { ...unsigned, r8x: sig.R8x, r8y: sig.R8y, s: sig.S };
}

const ETH = (wei: bigint): string => `${formatEther(wei)} ETH`;
const TOK = (units: bigint): string => `${formatEther(units)} TOK`;

/** Scenario 1: forced withdrawal ignored → freeze → escape. */
async function runEscapeScenario(ethers: HardhatEthers, ignition: Ignition, helpers: NetworkHelpers): Promise<void> {
  console.log("\n\nClusterKit demo: an operator ignores a forced withdrawal → freeze → escape hatch");
  const signers = await ethers.getSigners();
  const [admin] = signers;
  const [operator, alice, bob, watcher] = signers.slice(12, 16);
  if (!admin || !operator || !alice || !bob || !watcher) throw new Error("demo-security: not enough accounts");
  const CHAIN = 7n;
  const c = await deployLedgerChain(ethers, ignition, CHAIN, admin, operator);
  const { registry, queue, ledger } = c;
  const qi = queue.interface as unknown as Interface;
  const token = await ethers.deployContract("MockERC20", ["Demo Token", "TOK"]);
  const tokenAddress = await token.getAddress();
  await queue.connect(admin).registerToken(tokenAddress);
  const TOKEN_ID = await queue.tokenIdOf(tokenAddress);
  const config = await ethers.getContractAt("IClusterConfig", await registry.clusterConfig());
  const [forcedDeadline, forcedFee] = [await config.param(0), await config.param(1)];
  console.log(
    `  chain ${CHAIN}: development verifier, escape verifier LedgerEscapeVerifier (D = ${D}) at ${c.escapeVerifier}`,
  );
  console.log(
    `  request queue ${await queue.getAddress()}; token TOK registered as id ${TOKEN_ID}; ` +
      `forced fee ${ETH(forcedFee)}, forced deadline ${forcedDeadline} s`,
  );

  const aliceKey = Wallet.fromSeed("security demo alice", c.crypto);
  const bobKey = Wallet.fromSeed("security demo bob", c.crypto);
  const SLOT = { aliceEth: 0, aliceTok: 1, bobEth: 2 } as const;
  const amounts = { aliceEth: parseEther("3"), aliceTok: parseEther("500"), bobEth: parseEther("1") };
  await token.getFunction("mint")(alice.address, amounts.aliceTok);
  await (token.connect(alice) as typeof token).getFunction("approve")(await queue.getAddress(), amounts.aliceTok);

  const gDepEth = await gasOf(
    queue.connect(alice).depositEth(CHAIN, SLOT.aliceEth, aliceKey.keyHash, alice.address, { value: amounts.aliceEth }),
  );
  const gDepTok = await gasOf(
    queue
      .connect(alice)
      .depositErc20(CHAIN, TOKEN_ID, SLOT.aliceTok, aliceKey.keyHash, alice.address, amounts.aliceTok),
  );
  const gDepBob = await gasOf(
    queue.connect(bob).depositEth(CHAIN, SLOT.bobEth, bobKey.keyHash, bob.address, { value: amounts.bobEth }),
  );
  console.log(
    `  deposits: alice ${ETH(amounts.aliceEth)} → slot ${SLOT.aliceEth} (depositEth gas ${gDepEth}), ` +
      `${TOK(amounts.aliceTok)} → slot ${SLOT.aliceTok} (depositErc20 gas ${gDepTok}); ` +
      `bob ${ETH(amounts.bobEth)} → slot ${SLOT.bobEth} (gas ${gDepBob})`,
  );

  // Batch 1 consumes the three deposits; batch 2 (empty) acknowledges a later block and finalizes batch 1.
  const ops1 = [
    depositOp(0n, SLOT.aliceEth, amounts.aliceEth, aliceKey.keyHash, alice.address),
    depositOp(TOKEN_ID, SLOT.aliceTok, amounts.aliceTok, aliceKey.keyHash, alice.address),
    depositOp(0n, SLOT.bobEth, amounts.bobEth, bobKey.keyHash, bob.address),
  ];
  const t1 = ledger.executeBatch(ops1);
  if (hex32(t1.after.queueHash) !== (await queue.hashAt(CHAIN, 3n))) throw new Error("ledger and queue disagree");
  const g1 = await submitTrace(c, helpers, ethers, t1);
  const g2 = await submitTrace(c, helpers, ethers, ledger.executeBatch([]));
  const status = async () => {
    const info = await registry.chain(CHAIN);
    return `latest #${info.latestIndex}, final #${info.finalizedIndex}, queue consumed up to ${await registry.queuePosition(CHAIN)} of ${await queue.length(CHAIN)}`;
  };
  console.log(
    `  batch 1 consumes the deposits (submitUpdate gas ${g1}); batch 2 finalizes it (gas ${g2}): ${await status()}`,
  );
  console.log(
    `    ledger: alice slot ${SLOT.aliceEth} ${ETH(ledger.leaf(SLOT.aliceEth).balance)}, slot ${SLOT.aliceTok} ` +
      `${TOK(ledger.leaf(SLOT.aliceTok).balance)}; bob slot ${SLOT.bobEth} ${ETH(ledger.leaf(SLOT.bobEth).balance)}`,
  );

  // Alice forces a withdrawal of 1 ETH, signed with her ledger key, fee paid.
  const w = await signedForcedWithdrawal(c, aliceKey, SLOT.aliceEth, 0n, parseEther("1"), alice.address, 1n);
  const gForce = await gasOf(queue.connect(alice).forceWithdrawal(CHAIN, w, { value: forcedFee }));
  const position = await queue.length(CHAIN);
  const deadline = await queue.forcedDeadline(CHAIN, position);
  console.log(
    `  alice forces a withdrawal of 1 ETH (forceWithdrawal gas ${gForce}, fee ${ETH(forcedFee)}): queue item ` +
      `${position}, deadline ${new Date(Number(deadline) * 1000).toISOString()}`,
  );

  // The operator ignores it: batch 3 (empty) consumes nothing; batch 2 becomes final.
  const g3 = await submitTrace(c, helpers, ethers, ledger.executeBatch([]));
  console.log(`  the operator settles batch 3 without consuming item ${position} (gas ${g3}): ${await status()}`);
  const early = await revertOf(() => queue.connect(watcher).freeze.staticCall(CHAIN, position), qi);
  console.log(`  a freeze before the deadline is refused: ${early}`);

  await helpers.time.increase(forcedDeadline + 1n);
  // Batch 4, still ignoring it, finalizes batch 3: the escape proofs are built against batch 3's state.
  const finalState = ledger.stateRoot();
  const proofs = {
    eth: buildEscapeProof(ledger, aliceKey, SLOT.aliceEth, alice.address),
    tok: buildEscapeProof(ledger, aliceKey, SLOT.aliceTok, alice.address),
  };
  const g4 = await submitTrace(c, helpers, ethers, ledger.executeBatch([]));
  const lateProof = buildEscapeProof(ledger, aliceKey, SLOT.aliceEth, alice.address);
  console.log(`  past the deadline the operator settles batch 4, still ignoring it (gas ${g4}): ${await status()}`);
  // Bob deposits again; the frozen chain will never consume it, so he reclaims it.
  await queue.connect(bob).depositEth(CHAIN, SLOT.bobEth, bobKey.keyHash, bob.address, { value: parseEther("0.5") });
  const bobDepositPosition = await queue.length(CHAIN);

  const gFreeze = await gasOf(queue.connect(watcher).freeze(CHAIN, position));
  const [latestAfterFreeze] = await registry.latestCommitment(CHAIN);
  console.log(
    `  a watcher freezes the chain (freeze gas ${gFreeze}): status ${(await registry.chainStatus(CHAIN)) === 2n ? "Frozen" : "?"}; ` +
      `pending batch 4 discarded (latest #${latestAfterFreeze}); final root ${(await registry.finalizedCommitment(CHAIN))[1].root.slice(0, 18)}… = ledger state after batch 3 ` +
      `${hex32(finalState).slice(0, 18)}…`,
  );
  const refusedUpdate = await revertOf(
    () =>
      registry
        .connect(operator)
        .submitUpdate.staticCall(updateData(CHAIN, hex32(ledger.stateRoot()), demoRoot(CHAIN, 9), 1n, 5n), "0x"),
    registry.interface as unknown as Interface,
  );
  console.log(`    the operator's next update is refused: ${refusedUpdate}`);

  const balances = async () => ({
    aliceEth: await ethers.provider.getBalance(alice.address),
    aliceTok: (await token.getFunction("balanceOf")(alice.address)) as bigint,
    bobEth: await ethers.provider.getBalance(bob.address),
    escrowEth: await queue.escrowed(CHAIN, 0n),
    escrowTok: await queue.escrowed(CHAIN, TOKEN_ID),
  });
  const before = await balances();
  console.log(
    `  before the escape: escrow ${ETH(before.escrowEth)} + ${TOK(before.escrowTok)}; ` +
      `alice holds ${ETH(before.aliceEth)} and ${TOK(before.aliceTok)} on the settlement chain`,
  );
  const verifier = await ethers.getContractAt("LedgerEscapeVerifier", c.escapeVerifier);
  const pending = await revertOf(
    () => queue.connect(watcher).escape.staticCall(CHAIN, alice.address, lateProof.encoded),
    qi,
    verifier.interface as unknown as Interface,
  );
  console.log(`    a proof against the discarded batch 4 is refused: ${pending}`);
  // The watcher submits Alice's signed proofs (anyone may): the money goes to the recipient she signed for.
  const gEscEth = await gasOf(queue.connect(watcher).escape(CHAIN, alice.address, proofs.eth.encoded));
  const gEscTok = await gasOf(queue.connect(watcher).escape(CHAIN, alice.address, proofs.tok.encoded));
  const again = await revertOf(
    () => queue.connect(watcher).escape.staticCall(CHAIN, alice.address, proofs.eth.encoded),
    qi,
  );
  const bobItem = depositItem({
    tokenId: 0n,
    accountIndex: BigInt(SLOT.bobEth),
    amount: parseEther("0.5"),
    keyHash: bobKey.keyHash,
    refund: BigInt(bob.address),
  });
  const gReclaim = await gasOf(
    queue.connect(watcher).reclaimDeposit(CHAIN, bobDepositPosition, bobItem.w0, bobItem.w1, bobItem.w2),
  );
  const after = await balances();
  console.log(
    `  alice escapes with LedgerEscapeVerifier proofs against the final root: slot ${SLOT.aliceEth} pays ` +
      `${ETH(after.aliceEth - before.aliceEth)} (escape gas ${gEscEth}), slot ${SLOT.aliceTok} pays ` +
      `${TOK(after.aliceTok - before.aliceTok)} (gas ${gEscTok})`,
  );
  console.log(`    a second escape of slot ${SLOT.aliceEth} is refused: ${again}`);
  console.log(
    `  bob reclaims his unconsumed deposit (item ${bobDepositPosition}): ${ETH(after.bobEth - before.bobEth)} ` +
      `(reclaimDeposit gas ${gReclaim}); his 1 ETH in slot ${SLOT.bobEth} stays escapable`,
  );
  const [feesPaid, feesClaimed] = await queue.forcedFees(CHAIN);
  console.log(
    `  after: escrow ${ETH(after.escrowEth)} + ${TOK(after.escrowTok)} (bob's slot); alice holds ` +
      `${ETH(after.aliceEth)} and ${TOK(after.aliceTok)}; forced fees paid ${ETH(feesPaid)}, claimed by the ` +
      `operator ${ETH(feesClaimed)} (never consumed, never earned)`,
  );
}

/** Where the EmergencyElection module is expected (written in parallel; optional until it exists). */
const ELECTION_MODULE = path.join(process.cwd(), "ignition/modules/EmergencyElection.ts");
const ELECTION_SOURCE = path.join(process.cwd(), "contracts/security/EmergencyElection.sol");

/** Whether `contracts/security/EmergencyElection.sol` and its Ignition module exist. */
export function electionBuilt(): boolean {
  return existsSync(ELECTION_MODULE) && existsSync(ELECTION_SOURCE);
}

/** Loads the EmergencyElection Ignition module (only call when `electionBuilt()`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function loadElectionModule(): Promise<any> {
  return (await import(pathToFileURL(ELECTION_MODULE).href)).default;
}

/** A deployment of the EmergencyElection module: the election contract, its registry and the treasury. */
export interface ElectionDeployment {
  election: IEmergencyElection;
  registry: ValidiumRegistry;
  treasury: string;
  verifier: string;
}

/** Deploys the EmergencyElection module (with `clusterConfig` parameters) and the development verifier. */
export async function deployElection(
  ethers: HardhatEthers,
  ignition: Ignition,
  clusterConfig: Record<string, unknown>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  electionModule?: any,
): Promise<ElectionDeployment> {
  const deployed = (await ignition.deploy(electionModule ?? (await loadElectionModule()), {
    parameters: { ClusterConfig: clusterConfig },
  })) as Record<string, BaseContract>;
  const key = Object.keys(deployed).find((k) => /election/i.test(k));
  if (key === undefined) throw new Error("the EmergencyElection module returns no election contract");
  const election = (await ethers.getContractAt(
    "IEmergencyElection",
    await deployed[key]!.getAddress(),
  )) as unknown as IEmergencyElection;
  const registry = (await ethers.getContractAt(
    "ValidiumRegistry",
    await election.registry(),
  )) as unknown as ValidiumRegistry;
  const { developmentVerifier } = await ignition.deploy(DevelopmentVerifierModule);
  return { election, registry, treasury: await election.treasury(), verifier: await developmentVerifier.getAddress() };
}

/**
 * Scenario 2: a parent withholds data → its descendants elect a new operator → the chain continues.
 * `electionModule` defaults to ignition/modules/EmergencyElection.ts.
 */
export async function runElectionScenario(
  ethers: HardhatEthers,
  ignition: Ignition,
  helpers: NetworkHelpers,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  electionModule?: any,
): Promise<void> {
  console.log("\n\nClusterKit demo: a parent withholds data → its descendants elect a new operator");
  if (electionModule === undefined && !electionBuilt()) {
    console.log("  skipped: EmergencyElection not built (contracts/security/EmergencyElection.sol or its module)");
    return;
  }
  const signers = await ethers.getSigners();
  const [deployer] = signers;
  const [opP, opC1, opC2, opC3, opG, newOperator, anyone] = signers.slice(12, 19);
  if (!deployer || !opP || !opC1 || !opC2 || !opC3 || !opG || !newOperator || !anyone) {
    throw new Error("demo-security: not enough accounts");
  }
  const { election, registry, treasury, verifier } = await deployElection(
    ethers,
    ignition,
    { maxFanOut: 16, maxDepth: 16, minStake: 0n },
    electionModule,
  );
  const ri = registry.interface as unknown as Interface;
  const ei = election.interface as unknown as Interface;
  const members = [
    { id: 1n, name: "P", parent: 0n, op: opP },
    { id: 2n, name: "C1", parent: 1n, op: opC1 },
    { id: 3n, name: "C2", parent: 1n, op: opC2 },
    { id: 4n, name: "C3", parent: 1n, op: opC3 },
    { id: 5n, name: "G", parent: 2n, op: opG },
  ] as const;
  const names = new Map<bigint, string>(members.map((m) => [m.id, m.name]));
  const byName = Object.fromEntries(members.map((m) => [m.name, m])) as Record<string, (typeof members)[number]>;
  const stake = parseEther("4");
  for (const m of members) {
    await registry
      .connect(deployer)
      .registerChain(m.id, m.parent, m.op.address, verifier, demoRoot(m.id, 0), { value: m.id === 1n ? stake : 0n });
  }
  const cfg = await ethers.getContractAt("IClusterConfig", await registry.clusterConfig());
  const [votingPeriod, bond] = [await cfg.param(3), await cfg.param(4)];
  console.log(
    `  EmergencyElection ${await election.getAddress()} on registry ${await registry.getAddress()}; treasury ` +
      `(timelock) ${treasury}; bond ${ETH(bond)}, voting period ${votingPeriod} s, initiator share ` +
      `${await election.INITIATOR_SHARE_BPS()} bps`,
  );
  console.log(
    `  tree: P (stake ${ETH(stake)}) under the root; C1, C2, C3 under P; G under C1. b(P) = ${await registry.subtreeSize(1n)}`,
  );

  const next = new Map<bigint, number>(members.map((m) => [m.id, 1]));
  /** An update of `name` by `signer` (its operator unless given) on top of its latest root, acknowledging `ack`. */
  const update = async (name: string, ack: bigint | "now", signer?: HardhatEthersSigner) => {
    const m = byName[name]!;
    // A fresh block first, so that "now" is later than every commitment made so far (a(c) counts acks > t_c).
    if (ack === "now") await helpers.mine();
    const [, latest] = await registry.latestCommitment(m.id);
    const block = BigInt(await ethers.provider.getBlockNumber());
    const j = next.get(m.id)!;
    next.set(m.id, j + 1);
    return gasOf(
      registry
        .connect(signer ?? m.op)
        .submitUpdate(updateData(m.id, latest.root, demoRoot(m.id, j), ack === "now" ? block : ack), "0x"),
    );
  };
  const showP = async (label: string) => {
    const rows = (await readCommitments(registry)).filter((r) => r.chainId === 1n && r.status !== "pruned");
    console.log(`    ${label}: ${rows.map((r) => formatRow(r, names)).join(", ")}`);
  };

  // Everyone updates and acknowledges: P's commitment k becomes final.
  await update("P", "now");
  for (const n of ["C1", "G", "C2", "C3"]) await update(n, "now");
  const k = (await registry.chain(1n)).finalizedIndex;
  await showP(`everyone updates and acknowledges: P#${k} is final`);
  const ackBeforeWithholding = BigInt(await ethers.provider.getBlockNumber());

  // P commits k+1 and k+2 but withholds their data: descendants keep updating with their old ack block.
  const gP1 = await update("P", "now");
  const gP2 = await update("P", "now");
  for (const n of ["C1", "G", "C2", "C3"]) await update(n, ackBeforeWithholding);
  await showP(
    `P commits #${k + 1n} (gas ${gP1}) and #${k + 2n} (gas ${gP2}) and withholds their data; descendants keep ` +
      `updating with ack block ${ackBeforeWithholding}`,
  );

  // C1's operator starts an election for a new operator of P; C1, G and C2 vote.
  const electionId = (await election.electionCount()) + 1n;
  const gStart = await gasOf(election.connect(opC1).startElection(1n, newOperator.address, { value: bond }));
  console.log(
    `  C1's operator starts election ${electionId} for P's new operator ${newOperator.address} ` +
      `(startElection gas ${gStart}, bond ${ETH(bond)})`,
  );
  for (const n of ["C1", "G", "C2"]) {
    const g = await gasOf(election.connect(byName[n]!.op).vote(electionId, byName[n]!.id));
    const [votes, electorate] = await election.tally(electionId);
    console.log(`    ${n} votes (gas ${g}): ${votes} of ${electorate} Active strict descendants`);
  }

  const initiatorBefore = await ethers.provider.getBalance(opC1.address);
  const treasuryBefore = await ethers.provider.getBalance(treasury);
  const tx = await election.connect(anyone).finalize(electionId);
  const receipt = (await tx.wait())!;
  const succeeded = receipt.logs
    .map((l) => {
      try {
        return election.interface.parseLog(l);
      } catch {
        return null;
      }
    })
    .find((e) => e?.name === "ElectionSucceeded");
  const info = await registry.chain(1n);
  const initiatorGain = (await ethers.provider.getBalance(opC1.address)) - initiatorBefore;
  const treasuryGain = (await ethers.provider.getBalance(treasury)) - treasuryBefore;
  console.log(
    `  finalize (gas ${receipt.gasUsed}): ${["None", "Open", "Succeeded", "Expired", "Superseded"][Number((await election.election(electionId)).state)]}; ` +
      `P's operator is now ${info.operator === newOperator.address ? "the elected one" : info.operator}`,
  );
  if (succeeded) {
    const [slashed, reward] = [BigInt(succeeded.args.slashed), BigInt(succeeded.args.initiatorReward)];
    console.log(
      `    rolled back to #${succeeded.args.rolledBackTo} (latest index now ${info.latestIndex}, finalized ` +
        `${info.finalizedIndex}); slashed ${ETH(slashed)}: initiator ${ETH(reward)}, treasury ${ETH(slashed - reward)}`,
    );
  }
  console.log(
    `    balances: initiator +${ETH(initiatorGain)} (bond refunded + reward), treasury +${ETH(treasuryGain)}; ` +
      `P's stake now ${ETH(info.stake)}`,
  );
  await showP("P after the rollback");

  const [, rolledBack] = await registry.latestCommitment(1n);
  const refused = await revertOf(
    () => registry.connect(opP).submitUpdate.staticCall(updateData(1n, rolledBack.root, demoRoot(1n, 99), 0n), "0x"),
    ri,
    ei,
  );
  console.log(`  the old operator's update is refused: ${refused}`);
  const gNew = await update("P", "now", newOperator);
  await showP(`the new operator's update on top of P#${k}'s root is accepted (gas ${gNew})`);
  for (const n of ["C1", "G", "C2"]) await update(n, "now");
  await showP("C1, G and C2 acknowledge it");
}

/** Runs both security scenarios. */
export async function runSecurityScenarios(
  ethers: HardhatEthers,
  ignition: Ignition,
  networkHelpers: NetworkHelpers,
): Promise<void> {
  await runEscapeScenario(ethers, ignition, networkHelpers);
  await runElectionScenario(ethers, ignition, networkHelpers);
}
