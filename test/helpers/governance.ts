/**
 * Governance fixtures and helpers: the whole `Cluster` Ignition module deployed with
 * ignition/parameters/hardhat.json (founder chain 1, governance = account #1, operator = account #2;
 * voting delay 1 s, voting period 300 s, timelock delay 60 s, upgrade delay 3600 s, pause 86400 s), typed
 * contracts and named signers; admission of further members by real proposals (src/sdk/governance.ts
 * `passProposal`); and the seat invariant (G3 of docs/PROPERTIES.md) as a reusable assertion.
 *
 * Fixtures are snapshotted by `loadFixture` and never mutated: who the members are is always read back
 * from the registry (`readMembers`), so a helper works after any sequence of proposals.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { getAddress, id as keccakText, ZeroAddress } from "ethers";
import { network } from "hardhat";

import ClusterModule from "../../ignition/modules/Cluster.ts";
import DevelopmentVerifierModule from "../../ignition/modules/DevelopmentVerifier.ts";
import {
  admitProposal,
  castVote,
  passProposal,
  propose,
  type Admission,
  type ProposalActions,
  type SecurityConfig,
  type SupportName,
} from "../../src/sdk/governance.ts";
import { loadIgnitionParameters } from "../../src/sdk/ignition-params.ts";
import { ChainStatus, demoRoot } from "../../src/sdk/registry.ts";
import type {
  ChainRelocation,
  ClusterConfig,
  ClusterGovernor,
  ClusterSeats,
  ClusterTimelock,
  DevelopmentVerifier,
  EmergencyElection,
  Groth16UpdateVerifier,
  LatencyOracle,
  RequestQueue,
  SignedMeasurementAttestationVerifier,
  TeeCommitteeVerifier,
  ValidiumRegistry,
} from "../../typechain-types/index.ts";

export const { ethers, ignition, networkHelpers } = await network.getOrCreate();

export const PARAMETERS_FILE = "ignition/parameters/hardhat.json";

/** The values of ignition/parameters/hardhat.json that the tests rely on (asserted by the fixture). */
export const HARDHAT_PARAMS = {
  founderChainId: 1n,
  votingDelay: 1n,
  votingPeriod: 300n,
  minDelay: 60n,
  upgradeDelay: 3600n,
  pauseDuration: 86_400n,
  quorumPercent: 50n,
} as const;

/** Applicants: accounts #3 .. #17 (15 of them, so a cluster can reach 16 voters). */
export const APPLICANT_ACCOUNTS = [3, 17] as const;

export interface ClusterFixture {
  registry: ValidiumRegistry;
  clusterConfig: ClusterConfig;
  seats: ClusterSeats;
  timelock: ClusterTimelock;
  governor: ClusterGovernor;
  requestQueue: RequestQueue;
  groth16UpdateVerifier: Groth16UpdateVerifier;
  teeCommitteeVerifier: TeeCommitteeVerifier;
  latencyOracle: LatencyOracle;
  attestationVerifier: SignedMeasurementAttestationVerifier;
  emergencyElection: EmergencyElection;
  chainRelocation: ChainRelocation;
  /** Deployed next to the cluster (not part of it): a verifier for security-change tests. */
  developmentVerifier: DevelopmentVerifier;
  addresses: {
    registry: string;
    clusterConfig: string;
    seats: string;
    timelock: string;
    governor: string;
    requestQueue: string;
    groth16UpdateVerifier: string;
    teeCommitteeVerifier: string;
    latencyOracle: string;
    attestationVerifier: string;
    ledgerEscapeVerifier: string;
    emergencyElection: string;
    chainRelocation: string;
    developmentVerifier: string;
  };
  /** Account #0: deployed everything; holds no role afterwards. */
  deployer: HardhatEthersSigner;
  /** Account #1: the founder chain's governance address (its seat holder). */
  founderGovernance: HardhatEthersSigner;
  /** Account #2: the founder chain's operator. */
  founderOperator: HardhatEthersSigner;
  /** The ClusterConfig guardian: the deployer (the module's default). */
  guardian: HardhatEthersSigner;
  /** Accounts #3 .. #17: would-be members' governance addresses, in admission order. */
  applicants: HardhatEthersSigner[];
  /** Account #18: a spare account that is never admitted (a new guardian, a new operator...). */
  spare: HardhatEthersSigner;
  /** Account #19: never a member, never anything. */
  outsider: HardhatEthersSigner;
  founderChainId: bigint;
  /** The founder's security configuration as admitted. */
  founderSecurity: SecurityConfig;
  founderGenesisRoot: string;
}

/** Deploys `Cluster` (and, beside it, the development verifier) and returns typed handles. */
export async function deployCluster(): Promise<ClusterFixture> {
  const parameters = loadIgnitionParameters(PARAMETERS_FILE);
  const deployed = await ignition.deploy(ClusterModule, { parameters });
  const { developmentVerifier } = await ignition.deploy(DevelopmentVerifierModule);
  const signers = await ethers.getSigners();
  if (signers.length < 20) throw new Error("the governance fixtures need 20 accounts");
  const [deployer, founderGovernance, founderOperator] = signers as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];
  const c = parameters.Cluster as Record<string, unknown>;
  const fx: ClusterFixture = {
    registry: deployed.registry as unknown as ValidiumRegistry,
    clusterConfig: deployed.clusterConfig as unknown as ClusterConfig,
    seats: deployed.seats as unknown as ClusterSeats,
    timelock: deployed.timelock as unknown as ClusterTimelock,
    governor: deployed.governor as unknown as ClusterGovernor,
    requestQueue: deployed.requestQueue as unknown as RequestQueue,
    groth16UpdateVerifier: deployed.groth16UpdateVerifier as unknown as Groth16UpdateVerifier,
    teeCommitteeVerifier: deployed.teeCommitteeVerifier as unknown as TeeCommitteeVerifier,
    latencyOracle: deployed.latencyOracle as unknown as LatencyOracle,
    attestationVerifier: deployed.attestationVerifier as unknown as SignedMeasurementAttestationVerifier,
    emergencyElection: deployed.emergencyElection as unknown as EmergencyElection,
    chainRelocation: deployed.chainRelocation as unknown as ChainRelocation,
    developmentVerifier: developmentVerifier as unknown as DevelopmentVerifier,
    addresses: {
      registry: await deployed.registry.getAddress(),
      clusterConfig: await deployed.clusterConfig.getAddress(),
      seats: await deployed.seats.getAddress(),
      timelock: await deployed.timelock.getAddress(),
      governor: await deployed.governor.getAddress(),
      requestQueue: await deployed.requestQueue.getAddress(),
      groth16UpdateVerifier: await deployed.groth16UpdateVerifier.getAddress(),
      teeCommitteeVerifier: await deployed.teeCommitteeVerifier.getAddress(),
      latencyOracle: await deployed.latencyOracle.getAddress(),
      attestationVerifier: await deployed.attestationVerifier.getAddress(),
      ledgerEscapeVerifier: await deployed.ledgerEscapeVerifier.getAddress(),
      emergencyElection: await deployed.emergencyElection.getAddress(),
      chainRelocation: await deployed.chainRelocation.getAddress(),
      developmentVerifier: await developmentVerifier.getAddress(),
    },
    deployer,
    founderGovernance,
    founderOperator,
    guardian: deployer,
    applicants: signers.slice(APPLICANT_ACCOUNTS[0], APPLICANT_ACCOUNTS[1] + 1),
    spare: signers[18]!,
    outsider: signers[19]!,
    founderChainId: c.founderChainId as bigint,
    founderSecurity: {
      operator: getAddress(c.founderOperator as string),
      verifier: await deployed.groth16UpdateVerifier.getAddress(),
      escapeVerifier: await deployed.ledgerEscapeVerifier.getAddress(),
      codeHash: c.founderCodeHash as string,
      configHash: c.founderConfigHash as string,
    },
    founderGenesisRoot: c.founderGenesisRoot as string,
  };
  // The tests below rely on these values of the parameter file.
  expect(fx.founderChainId).to.equal(HARDHAT_PARAMS.founderChainId);
  expect(getAddress(c.founderGovernance as string)).to.equal(founderGovernance.address);
  expect(fx.founderSecurity.operator).to.equal(founderOperator.address);
  expect(await fx.governor.votingDelay()).to.equal(HARDHAT_PARAMS.votingDelay);
  expect(await fx.governor.votingPeriod()).to.equal(HARDHAT_PARAMS.votingPeriod);
  expect(await fx.timelock.getMinDelay()).to.equal(HARDHAT_PARAMS.minDelay);
  expect(await fx.clusterConfig.guardian()).to.equal(deployer.address);
  return fx;
}

/* ------------------------------------------------------------------------------------- members */

/** A member as the registry sees it. */
export interface Member {
  chainId: bigint;
  status: number;
  governance: string;
}

/** Every registered chain with its status and governance address, in registration order. */
export async function readChains(registry: ValidiumRegistry): Promise<Member[]> {
  const n = Number(await registry.chainCount());
  const out: Member[] = [];
  for (let i = 0; i < n; i++) {
    const chainId = await registry.chainIdAt(i);
    const [status, governance] = await Promise.all([registry.chainStatus(chainId), registry.chainGovernance(chainId)]);
    out.push({ chainId, status: Number(status), governance });
  }
  return out;
}

/** The members: chains that are Active or Frozen. */
export async function readMembers(registry: ValidiumRegistry): Promise<Member[]> {
  return (await readChains(registry)).filter((m) => m.status === ChainStatus.Active || m.status === ChainStatus.Frozen);
}

/** The governor connected to each distinct seat holder (every voter, once). */
export async function voterGovernors(fx: ClusterFixture): Promise<ClusterGovernor[]> {
  const holders = [...new Set((await readMembers(fx.registry)).map((m) => m.governance))];
  return Promise.all(holders.map(async (h) => fx.governor.connect(await ethers.getSigner(h))));
}

/** `passProposal` through every current voter; the first voter proposes. */
export async function passByAll(fx: ClusterFixture, actions: ProposalActions): Promise<bigint> {
  const voters = await voterGovernors(fx);
  if (voters.length === 0) throw new Error("no member left to propose");
  return passProposal(voters[0]!, voters, actions, increaseTime);
}

/**
 * The first half of a proposal's life, step by step: `proposer` proposes, time passes the voting delay,
 * each `[voter, support]` votes, time passes the voting period. Returns the id; the proposal is then
 * Succeeded or Defeated, and the caller queues (or not) and executes.
 */
export async function proposeAndVote(
  fx: ClusterFixture,
  proposer: HardhatEthersSigner,
  actions: ProposalActions,
  votes: ReadonlyArray<readonly [HardhatEthersSigner, SupportName]>,
): Promise<bigint> {
  const { proposalId } = await propose(fx.governor.connect(proposer), actions);
  await increaseTime((await fx.governor.votingDelay()) + 1n);
  for (const [voter, support] of votes) await castVote(fx.governor.connect(voter), proposalId, support);
  await increaseTime((await fx.governor.votingPeriod()) + 1n);
  return proposalId;
}

/** Advances time so that the next block is at a queued proposal's eta (its timelock operation is ready). */
export async function untilEta(fx: ClusterFixture, proposalId: bigint): Promise<bigint> {
  const eta = await fx.governor.proposalEta(proposalId);
  if (eta === 0n) throw new Error(`proposal ${proposalId} is not queued`);
  const now = BigInt(await networkHelpers.time.latest());
  if (eta > now) await networkHelpers.time.setNextBlockTimestamp(eta);
  return eta;
}

/** The latest block's timestamp. */
export async function latestTime(): Promise<bigint> {
  return BigInt(await networkHelpers.time.latest());
}

/** Time travel in the shape `passProposal` takes. */
export async function increaseTime(seconds: bigint): Promise<void> {
  await networkHelpers.time.increase(seconds);
}

/** A deterministic operator address for a chain that needs none to sign. */
export function operatorOf(chainId: bigint): string {
  return getAddress("0x" + keccakText(`clusterkit.test.operator.${chainId}`).slice(-40));
}

/** The admission the tests use for chain `chainId`: top level, Groth16 adapter, demo hashes. */
export function admissionFor(
  fx: ClusterFixture,
  chainId: bigint,
  governance: string,
  overrides: Partial<Omit<Admission, "security">> & { security?: Partial<SecurityConfig> } = {},
): Admission {
  return {
    chainId,
    parent: overrides.parent ?? 0n,
    governance: overrides.governance ?? governance,
    genesisRoot: overrides.genesisRoot ?? demoRoot(chainId, 0),
    security: {
      operator: operatorOf(chainId),
      verifier: fx.addresses.groth16UpdateVerifier,
      escapeVerifier: ZeroAddress,
      codeHash: keccakText(`code ${chainId}`),
      configHash: keccakText(`config ${chainId}`),
      ...overrides.security,
    },
  };
}

/** The next unused chain id (ids are registered 1, 2, 3, ... by these helpers). */
export async function nextChainId(registry: ValidiumRegistry): Promise<bigint> {
  const chains = await readChains(registry);
  return chains.reduce((max, c) => (c.chainId > max ? c.chainId : max), 0n) + 1n;
}

/** The first applicant that governs no registered chain yet. */
export async function nextApplicant(fx: ClusterFixture): Promise<HardhatEthersSigner> {
  const used = new Set((await readChains(fx.registry)).map((c) => c.governance));
  const a = fx.applicants.find((s) => !used.has(s.address));
  if (!a) throw new Error("no applicant left");
  return a;
}

/**
 * Admits `n` more members, one proposal each, voted for by every current voter. Each new chain gets the
 * next chain id and the next unused applicant as governance. Returns the new chain ids.
 */
export async function admitMembers(fx: ClusterFixture, n: number, stake = 0n): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (let i = 0; i < n; i++) {
    const chainId = await nextChainId(fx.registry);
    const applicant = await nextApplicant(fx);
    if (stake > 0n) await fx.deployer.sendTransaction({ to: fx.addresses.timelock, value: stake });
    await passByAll(fx, admitProposal(fx.addresses.registry, admissionFor(fx, chainId, applicant.address), stake));
    ids.push(chainId);
  }
  return ids;
}

/* ------------------------------------------------------------------------------------ fixtures */

/** The deployment as Ignition leaves it: one member (the founder, chain 1). */
export async function clusterFixture(): Promise<ClusterFixture> {
  return deployCluster();
}

/** Founder + chains 2 and 3 (governance accounts #3 and #4): three voters. */
export async function threeMemberFixture(): Promise<ClusterFixture> {
  const fx = await deployCluster();
  await admitMembers(fx, 2);
  return fx;
}

/** Founder + chains 2, 3 and 4: four voters (quorum 2). */
export async function fourMemberFixture(): Promise<ClusterFixture> {
  const fx = await deployCluster();
  await admitMembers(fx, 3);
  return fx;
}

/** Founder + chains 2 .. 5: five voters (quorum 2). */
export async function fiveMemberFixture(): Promise<ClusterFixture> {
  const fx = await deployCluster();
  await admitMembers(fx, 4);
  return fx;
}

/* ---------------------------------------------------------------------------------- invariants */

/**
 * G3 (docs/PROPERTIES.md): `seatCount()` equals the number of chains with status Active or Frozen; each
 * such chain has exactly one seat (token id = chain id) owned by `chainGovernance(id)`; a chain that is
 * not a member has no seat. Also G2: every holder's votes equal its number of seats, and the total
 * supply of votes equals `seatCount()`. Returns the members.
 */
export async function assertSeatInvariant(
  registry: ValidiumRegistry,
  seats: ClusterSeats,
  label = "seat invariant",
): Promise<Member[]> {
  const chains = await readChains(registry);
  const members = chains.filter((m) => m.status === ChainStatus.Active || m.status === ChainStatus.Frozen);
  expect(await seats.seatCount(), `${label}: seatCount`).to.equal(BigInt(members.length));
  const perHolder = new Map<string, bigint>();
  for (const c of chains) {
    const isMember = members.includes(c);
    expect(await seats.hasSeat(c.chainId), `${label}: hasSeat(${c.chainId})`).to.equal(isMember);
    if (isMember) {
      expect(await seats.ownerOf(c.chainId), `${label}: ownerOf(${c.chainId})`).to.equal(c.governance);
      perHolder.set(c.governance, (perHolder.get(c.governance) ?? 0n) + 1n);
    } else {
      await expect(seats.ownerOf(c.chainId), `${label}: ownerOf(${c.chainId})`)
        .to.be.revertedWithCustomError(seats, "ERC721NonexistentToken")
        .withArgs(c.chainId);
    }
  }
  const everyone = new Set([...chains.map((c) => c.governance)]);
  for (const holder of everyone) {
    const count = perHolder.get(holder) ?? 0n;
    expect(await seats.balanceOf(holder), `${label}: balanceOf(${holder})`).to.equal(count);
    expect(await seats.getVotes(holder), `${label}: getVotes(${holder})`).to.equal(count);
    if (count > 0n) expect(await seats.delegates(holder), `${label}: delegates(${holder})`).to.equal(holder);
  }
  // Total votes: the latest checkpoint of the total supply (a past timepoint, so mine first if needed).
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  await networkHelpers.mine();
  expect(await seats.getPastTotalSupply(now), `${label}: total votes`).to.equal(BigInt(members.length));
  return members;
}
