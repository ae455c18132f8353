/**
 * Subtree relocation end to end: `ChainRelocation` deployed through its Ignition module (over `Governance`, so the
 * root acceptor is the cluster timelock), chains registered by the deployer (REGISTRAR_ROLE in the non-Cluster
 * modules; each chain's governance is its operator), and moves made through the SDK (src/sdk/relocation.ts):
 * request by the moving chain's governance, acceptance by the new parent's governance, which computes the
 * subtree list itself.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import ChainRelocationModule from "../../ignition/modules/ChainRelocation.ts";
import DevelopmentVerifierModule from "../../ignition/modules/DevelopmentVerifier.ts";
import { ChainStatus, demoRoot, updateData } from "../../src/sdk/registry.ts";
import { acceptRelocation, cancelRelocation, requestRelocation, subtreeOf } from "../../src/sdk/relocation.ts";
import type { ChainRelocation, ValidiumRegistry } from "../../typechain-types/index.ts";

const { ethers, ignition, networkHelpers } = await network.getOrCreate();

const LIMITS = { maxFanOut: 3n, maxDepth: 5n, minStake: 0n };

interface Fixture {
  registry: ValidiumRegistry;
  relocation: ChainRelocation;
  timelock: string;
  verifier: string;
  /** Governance (and operator) of chain id `i` is `govs[i]`. */
  govs: HardhatEthersSigner[];
}

/**
 * Tree: top level 1 and 10; 1 → 2, 3; 2 → 7, 5 (registered 7 first: the subtree list must still order 5 before
 * 7); 5 → 6; 10 → 11.
 */
async function relocationFixture(): Promise<Fixture> {
  const parameters = { ClusterConfig: LIMITS };
  const { chainRelocation } = await ignition.deploy(ChainRelocationModule, { parameters });
  const relocation = chainRelocation as unknown as ChainRelocation;
  // The module returns only the relocation contract: reach the registry and the timelock through it.
  const reg = (await ethers.getContractAt(
    "ValidiumRegistry",
    await relocation.registry(),
  )) as unknown as ValidiumRegistry;
  const { developmentVerifier } = await ignition.deploy(DevelopmentVerifierModule);
  const verifier = await developmentVerifier.getAddress();
  const govs = await ethers.getSigners();
  const tree: [number, number][] = [
    [1, 0],
    [10, 0],
    [2, 1],
    [3, 1],
    [7, 2],
    [5, 2],
    [6, 5],
    [11, 10],
  ];
  for (const [id, parent] of tree) {
    await reg.registerChain(id, parent, govs[id]!.address, verifier, demoRoot(id, 0));
  }
  return {
    registry: reg,
    relocation,
    timelock: await relocation.rootAcceptor(),
    verifier,
    govs,
  };
}

async function update(fx: Fixture, id: number, ackBlock: bigint): Promise<void> {
  const [, latest] = await fx.registry.latestCommitment(id);
  const block = BigInt(await ethers.provider.getBlockNumber()) + 1n;
  await fx.registry
    .connect(fx.govs[id]!)
    .submitUpdate(updateData(id, latest.root, demoRoot(id, Number(block)), ackBlock), "0x");
}

describe("ChainRelocation: subtree moves through the SDK", function () {
  it("test_deploy_wiresRegistryAndTimelock", async function () {
    const fx = await networkHelpers.loadFixture(relocationFixture);
    const timelock = await ethers.getContractAt("ClusterTimelock", fx.timelock);
    expect(await timelock.getMinDelay()).to.equal(2n * 86_400n);
    expect(await fx.relocation.registry()).to.equal(await fx.registry.getAddress());
    expect(await fx.relocation.rootAcceptor()).to.equal(fx.timelock);
    expect(await fx.relocation.REQUEST_TTL()).to.equal(30n * 86_400n);
    const role = await fx.registry.RELOCATOR_ROLE();
    expect(await fx.registry.hasRole(role, await fx.relocation.getAddress())).to.equal(true);
  });

  it("test_subtreeOf_bfsWithSiblingsByIdAndEjectedChains", async function () {
    const fx = await networkHelpers.loadFixture(relocationFixture);
    await fx.registry.setChainStatus(6, ChainStatus.Ejected);
    expect(await subtreeOf(fx.registry, 1)).to.deep.equal({
      subtree: [1n, 2n, 3n, 5n, 7n, 6n],
      parentIndex: [0n, 0n, 0n, 1n, 1n, 3n],
    });
    expect(await subtreeOf(fx.registry, 6n)).to.deep.equal({ subtree: [6n], parentIndex: [0n] });
    let error: unknown;
    await subtreeOf(fx.registry, 99).catch((e: unknown) => (error = e));
    expect(String(error)).to.contain("not registered");
  });

  it("test_acceptRelocation_movesSubtreeUnderNewParent", async function () {
    const fx = await networkHelpers.loadFixture(relocationFixture);
    await update(fx, 5, BigInt(await ethers.provider.getBlockNumber()));
    expect((await fx.registry.chain(5)).latestAck).to.not.equal(0n);
    await requestRelocation(fx.relocation.connect(fx.govs[2]!), 2, 11);
    expect((await fx.relocation.request(2)).newParent).to.equal(11n);
    const receipt = await acceptRelocation(fx.relocation.connect(fx.govs[11]!), fx.registry, 2, 11);
    const relocated = receipt.logs
      .map((l) => fx.registry.interface.parseLog(l))
      .find((l) => l?.name === "ChainRelocated");
    expect(relocated?.args.toArray()).to.deep.equal([2n, 1n, 11n, 4n, 4n]);
    expect((await fx.registry.chain(2)).parent).to.equal(11n);
    expect((await fx.registry.chain(2)).depth).to.equal(3n);
    expect((await fx.registry.chain(6)).depth).to.equal(5n);
    expect((await fx.registry.chain(5)).latestAck).to.equal(0n);
    expect(await fx.registry.subtreeSize(1)).to.equal(2n);
    expect(await fx.registry.subtreeSize(10)).to.equal(6n);
    expect(await fx.registry.ancestors(6)).to.deep.equal([5n, 2n, 11n, 10n]);
    expect((await fx.relocation.request(2)).expiresAt).to.equal(0n);
    // The moved chain keeps updating; its new ack counts on the new path.
    const [i10] = await fx.registry.latestCommitment(10);
    await update(fx, 2, BigInt(await ethers.provider.getBlockNumber()));
    expect((await fx.registry.commitment(10, i10)).a).to.equal(1n);
  });

  it("test_acceptRelocation_toTopLevelByTimelock", async function () {
    const fx = await networkHelpers.loadFixture(relocationFixture);
    await requestRelocation(fx.relocation.connect(fx.govs[5]!), 5, 0);
    await expect(acceptRelocation(fx.relocation.connect(fx.govs[1]!), fx.registry, 5, 0))
      .to.be.revertedWithCustomError(fx.relocation, "RelocationNotAcceptor")
      .withArgs(0n, fx.govs[1]!.address);
    await networkHelpers.impersonateAccount(fx.timelock);
    await networkHelpers.setBalance(fx.timelock, 10n ** 18n);
    const timelock = await ethers.getSigner(fx.timelock);
    await acceptRelocation(fx.relocation.connect(timelock), fx.registry, 5, 0);
    expect((await fx.registry.chain(5)).parent).to.equal(0n);
    expect((await fx.registry.chain(6)).depth).to.equal(2n);
    expect(await fx.registry.subtreeSize(1)).to.equal(4n);
  });

  it("test_cancelRelocation_blocksAcceptance", async function () {
    const fx = await networkHelpers.loadFixture(relocationFixture);
    await requestRelocation(fx.relocation.connect(fx.govs[3]!), 3, 10);
    await cancelRelocation(fx.relocation.connect(fx.govs[3]!), 3);
    await expect(acceptRelocation(fx.relocation.connect(fx.govs[10]!), fx.registry, 3, 10))
      .to.be.revertedWithCustomError(fx.relocation, "RelocationNoRequest")
      .withArgs(3n);
    expect((await fx.registry.chain(3)).parent).to.equal(1n);
  });
});
