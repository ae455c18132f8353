/**
 * TeeCommitteeVerifier unit tests: deployment through the Ignition module, key and policy management
 * (bounds, roles, events, no state change on rejection), the EIP-712 update digest, `verify` (accepted
 * committees, `false` for too few signers or vendors, and every revert with its exact error), and an
 * end-to-end run through ValidiumRegistry.submitUpdate.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import {
  AbiCoder,
  concat,
  dataSlice,
  getAddress,
  getBytes,
  hexlify,
  id as keccakId,
  recoverAddress,
  Signature,
  toBeHex,
  TypedDataEncoder,
  Wallet,
  ZeroAddress,
  ZeroHash,
} from "ethers";

import TeeCommitteeVerifierModule from "../../ignition/modules/TeeCommitteeVerifier.ts";
import { demoRoot, updateData, type UpdatePublicData } from "../../src/sdk/registry.ts";
import {
  encodeCommitteeProof,
  signUpdate,
  signUpdateAsCommittee,
  splitCommitteeProof,
  teeCommitteeDomain,
  teeUpdateDigest,
  TeeVendor,
  UPDATE_PUBLIC_DATA_TYPES,
  updateValue,
  vendorId,
  type CommitteeSigner,
} from "../../src/sdk/tee.ts";
import type { TeeCommitteeVerifier } from "../../typechain-types/index.ts";
import { deployRegistry, ethers, ignition, networkHelpers } from "../helpers/fixtures.ts";

const { IntelTdx: INTEL, AmdSevSnp: AMD, AwsNitro: NITRO } = TeeVendor;
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const MAX_KEYS = 64;

/** A fixed enclave key per label (the private key is keccak256 of the label). */
function enclave(label: string): Wallet {
  return new Wallet(keccakId(`tee ${label}`));
}

/** The committee of the default fixture: three Intel TDX keys, two AMD SEV-SNP keys, one AWS Nitro key. */
const INTEL_KEYS = [enclave("intel/0"), enclave("intel/1"), enclave("intel/2")];
const AMD_KEYS = [enclave("amd/0"), enclave("amd/1")];
const NITRO_KEYS = [enclave("nitro/0")];
const OUTSIDER_KEY = enclave("not registered");

interface TeeFixture {
  verifier: TeeCommitteeVerifier;
  address: string;
  chainId: bigint;
  admin: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  data: UpdatePublicData;
}

/** Deploys the verifier through its Ignition module with the given policy (and admin, if given). */
async function deployVerifier(threshold: number, minVendors: number, admin?: string): Promise<TeeCommitteeVerifier> {
  const { teeCommitteeVerifier } = await ignition.deploy(TeeCommitteeVerifierModule, {
    parameters: { TeeCommitteeVerifier: admin ? { threshold, minVendors, admin } : { threshold, minVendors } },
  });
  return teeCommitteeVerifier as unknown as TeeCommitteeVerifier;
}

async function baseFixture(threshold: number, minVendors: number): Promise<TeeFixture> {
  const verifier = await deployVerifier(threshold, minVendors);
  const [admin, outsider] = (await ethers.getSigners()) as [HardhatEthersSigner, HardhatEthersSigner];
  return {
    verifier,
    address: await verifier.getAddress(),
    chainId: (await ethers.provider.getNetwork()).chainId,
    admin,
    outsider,
    data: updateData(7n, demoRoot(7n, 0), demoRoot(7n, 1), 0n, 42n),
  };
}

/** Policy 3-of-N from ≥ 2 vendors, no keys. */
async function emptyFixture(): Promise<TeeFixture> {
  return baseFixture(3, 2);
}

/** Policy 3-of-6 from ≥ 2 vendors; keys: 3 Intel, 2 AMD, 1 Nitro. */
async function committeeFixture(): Promise<TeeFixture> {
  const f = await baseFixture(3, 2);
  for (const k of INTEL_KEYS) await f.verifier.addKey(k.address, INTEL);
  for (const k of AMD_KEYS) await f.verifier.addKey(k.address, AMD);
  for (const k of NITRO_KEYS) await f.verifier.addKey(k.address, NITRO);
  return f;
}

function proofOf(f: TeeFixture, signers: ReadonlyArray<CommitteeSigner>, data = f.data): Promise<string> {
  return signUpdateAsCommittee(data, signers, { verifierAddress: f.address, chainId: f.chainId });
}

/** The 65-byte signatures of `wallets` over `f.data`, in the order given (not sorted). */
function rawSignatures(f: TeeFixture, wallets: ReadonlyArray<Wallet>, data = f.data): string[] {
  const digest = teeUpdateDigest(f.address, f.chainId, data);
  return wallets.map((w) => w.signingKey.sign(digest).serialized);
}

function byAddress(wallets: ReadonlyArray<Wallet>): Wallet[] {
  return [...wallets].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
}

/** Everything the verifier exposes about its keys and policy, for "no state change" checks. */
async function snapshot(verifier: TeeCommitteeVerifier): Promise<unknown> {
  const keys = [...(await verifier.keys())].sort();
  const vendors = [...(await verifier.vendors())].sort();
  return {
    threshold: await verifier.threshold(),
    minVendors: await verifier.minVendors(),
    keys,
    keyVendors: await Promise.all(keys.map((k) => verifier.keyVendor(k))),
    vendors,
    vendorKeyCounts: await Promise.all(vendors.map((v) => verifier.vendorKeyCount(v))),
    satisfiable: await verifier.isSatisfiable(),
  };
}

describe("TeeCommitteeVerifier: deployment", function () {
  it("test_constructor_setsPolicyAndRolesThroughIgnitionModule", async function () {
    const { verifier, address, chainId, admin, outsider } = await networkHelpers.loadFixture(emptyFixture);
    expect(await verifier.threshold()).to.equal(3n);
    expect(await verifier.minVendors()).to.equal(2n);
    expect(await verifier.MAX_KEYS()).to.equal(BigInt(MAX_KEYS));
    expect(await verifier.KEY_ADMIN_ROLE()).to.equal(keccakId("clusterkit.teeCommittee.KEY_ADMIN"));
    expect(await verifier.UPDATE_TYPEHASH()).to.equal(
      keccakId(
        "UpdatePublicData(uint64 chainId,uint64 ackBlock,uint64 l2Block,uint64 queuePosition,bytes32 prevRoot," +
          "bytes32 newRoot,bytes32 queueHash,bytes32 outboxRoot,bytes32 inboxRoot,bytes32 withdrawalRoot)",
      ),
    );
    expect(await verifier.UPDATE_TYPEHASH()).to.equal(
      keccakId(TypedDataEncoder.from(UPDATE_PUBLIC_DATA_TYPES).encodeType("UpdatePublicData")),
    );
    const [, name, version, domainChainId, verifyingContract] = await verifier.eip712Domain();
    expect([name, version, domainChainId, verifyingContract]).to.deep.equal([
      "ClusterKit TEE Committee",
      "1",
      chainId,
      address,
    ]);
    const keyAdmin = await verifier.KEY_ADMIN_ROLE();
    expect(await verifier.hasRole(ZeroHash, admin.address)).to.equal(true);
    expect(await verifier.hasRole(keyAdmin, admin.address)).to.equal(true);
    expect(await verifier.hasRole(ZeroHash, outsider.address)).to.equal(false);
    expect(await verifier.hasRole(keyAdmin, outsider.address)).to.equal(false);
    expect(await verifier.keyCount()).to.equal(0n);
    expect(await verifier.vendorCount()).to.equal(0n);
    expect(await verifier.keys()).to.deep.equal([]);
    expect(await verifier.vendors()).to.deep.equal([]);
    expect(await verifier.isSatisfiable()).to.equal(false);
  });

  it("test_constructor_grantsRolesToAdminParameter", async function () {
    const [deployer, other] = await ethers.getSigners();
    const verifier = await deployVerifier(2, 2, other!.address);
    const keyAdmin = await verifier.KEY_ADMIN_ROLE();
    expect(await verifier.hasRole(ZeroHash, other!.address)).to.equal(true);
    expect(await verifier.hasRole(keyAdmin, other!.address)).to.equal(true);
    expect(await verifier.hasRole(ZeroHash, deployer!.address)).to.equal(false);
    expect(await verifier.hasRole(keyAdmin, deployer!.address)).to.equal(false);
    await expect(verifier.addKey(INTEL_KEYS[0]!.address, INTEL))
      .to.be.revertedWithCustomError(verifier, "AccessControlUnauthorizedAccount")
      .withArgs(deployer!.address, keyAdmin);
    await expect(verifier.connect(other!).addKey(INTEL_KEYS[0]!.address, INTEL)).to.emit(verifier, "KeyAdded");
  });

  it("test_constructor_emitsPolicyUpdated", async function () {
    const [admin] = await ethers.getSigners();
    const factory = await ethers.getContractFactory("TeeCommitteeVerifier");
    const verifier = await factory.deploy(admin!.address, 5, 3);
    await expect(verifier.deploymentTransaction()).to.emit(verifier, "PolicyUpdated").withArgs(5, 3);
  });

  it("test_constructor_revertsOnInvalidParameters", async function () {
    const [admin] = await ethers.getSigners();
    const factory = await ethers.getContractFactory("TeeCommitteeVerifier");
    await expect(factory.deploy(ZeroAddress, 2, 2)).to.be.revertedWithCustomError(factory, "TeeCommitteeZeroAddress");
    for (const [t, v] of [
      [0, 0],
      [1, 1],
      [3, 1],
      [2, 3],
      [65, 2],
    ] as const) {
      await expect(factory.deploy(admin!.address, t, v))
        .to.be.revertedWithCustomError(factory, "TeeCommitteeInvalidPolicy")
        .withArgs(t, v);
    }
    const edge = await factory.deploy(admin!.address, 64, 64);
    expect(await edge.threshold()).to.equal(64n);
  });
});

describe("TeeCommitteeVerifier: keys", function () {
  it("test_addKey_registersAndEmits", async function () {
    const { verifier } = await networkHelpers.loadFixture(emptyFixture);
    const [k0, k1] = INTEL_KEYS as [Wallet, Wallet];
    await expect(verifier.addKey(k0.address, INTEL)).to.emit(verifier, "KeyAdded").withArgs(k0.address, INTEL);
    await expect(verifier.addKey(k1.address, INTEL)).to.emit(verifier, "KeyAdded").withArgs(k1.address, INTEL);
    await expect(verifier.addKey(AMD_KEYS[0]!.address, AMD))
      .to.emit(verifier, "KeyAdded")
      .withArgs(AMD_KEYS[0]!.address, AMD);
    expect(await verifier.isKey(k0.address)).to.equal(true);
    expect(await verifier.isKey(OUTSIDER_KEY.address)).to.equal(false);
    expect(await verifier.keyVendor(k1.address)).to.equal(INTEL);
    expect(await verifier.keyVendor(AMD_KEYS[0]!.address)).to.equal(AMD);
    expect(await verifier.keyVendor(OUTSIDER_KEY.address)).to.equal(ZeroHash);
    expect(await verifier.keyCount()).to.equal(3n);
    expect(await verifier.keys()).to.deep.equal([k0.address, k1.address, AMD_KEYS[0]!.address]);
    expect(await verifier.vendorCount()).to.equal(2n);
    expect(await verifier.vendors()).to.deep.equal([INTEL, AMD]);
    expect(await verifier.vendorKeyCount(INTEL)).to.equal(2n);
    expect(await verifier.vendorKeyCount(AMD)).to.equal(1n);
    expect(await verifier.vendorKeyCount(NITRO)).to.equal(0n);
    expect(await verifier.isSatisfiable()).to.equal(true);
  });

  it("test_addKey_revertsOnZeroKeyOrVendor", async function () {
    const { verifier } = await networkHelpers.loadFixture(committeeFixture);
    const before = await snapshot(verifier);
    await expect(verifier.addKey(ZeroAddress, INTEL)).to.be.revertedWithCustomError(
      verifier,
      "TeeCommitteeZeroAddress",
    );
    await expect(verifier.addKey(OUTSIDER_KEY.address, ZeroHash)).to.be.revertedWithCustomError(
      verifier,
      "TeeCommitteeZeroVendor",
    );
    expect(await snapshot(verifier)).to.deep.equal(before);
  });

  it("test_addKey_revertsOnRegisteredKey", async function () {
    const { verifier } = await networkHelpers.loadFixture(committeeFixture);
    const before = await snapshot(verifier);
    const key = INTEL_KEYS[1]!.address;
    await expect(verifier.addKey(key, INTEL))
      .to.be.revertedWithCustomError(verifier, "TeeCommitteeKeyExists")
      .withArgs(key, INTEL);
    // Moving a key to another vendor needs a removal first.
    await expect(verifier.addKey(key, AMD))
      .to.be.revertedWithCustomError(verifier, "TeeCommitteeKeyExists")
      .withArgs(key, INTEL);
    expect(await snapshot(verifier)).to.deep.equal(before);
  });

  it("test_addKey_revertsWhenCommitteeIsFull", async function () {
    const { verifier } = await networkHelpers.loadFixture(emptyFixture);
    // 64 keys over 64 vendors: every vendor slot is used.
    for (let i = 0; i < MAX_KEYS; i++) await verifier.addKey(enclave(`full/${i}`).address, vendorId(`vendor ${i}`));
    expect(await verifier.keyCount()).to.equal(BigInt(MAX_KEYS));
    expect(await verifier.vendorCount()).to.equal(BigInt(MAX_KEYS));
    const before = await snapshot(verifier);
    await expect(verifier.addKey(OUTSIDER_KEY.address, INTEL))
      .to.be.revertedWithCustomError(verifier, "TeeCommitteeTooManyKeys")
      .withArgs(MAX_KEYS);
    await expect(verifier.addKey(OUTSIDER_KEY.address, vendorId("vendor 0")))
      .to.be.revertedWithCustomError(verifier, "TeeCommitteeTooManyKeys")
      .withArgs(MAX_KEYS);
    expect(await snapshot(verifier)).to.deep.equal(before);
    // Removing one frees a key and a vendor slot, which a new vendor takes.
    await verifier.removeKey(enclave("full/17").address);
    await verifier.addKey(OUTSIDER_KEY.address, NITRO);
    expect(await verifier.keyVendor(OUTSIDER_KEY.address)).to.equal(NITRO);
    expect(await verifier.vendorCount()).to.equal(BigInt(MAX_KEYS));
    expect((await verifier.vendors())[17]).to.equal(NITRO);
  });

  it("test_removeKey_updatesViewsAndEmits", async function () {
    const { verifier } = await networkHelpers.loadFixture(committeeFixture);
    const first = INTEL_KEYS[0]!.address;
    await expect(verifier.removeKey(first)).to.emit(verifier, "KeyRemoved").withArgs(first, INTEL);
    expect(await verifier.isKey(first)).to.equal(false);
    expect(await verifier.keyVendor(first)).to.equal(ZeroHash);
    expect(await verifier.keyCount()).to.equal(5n);
    // The last key moved into the gap.
    expect(await verifier.keys()).to.deep.equal([
      NITRO_KEYS[0]!.address,
      INTEL_KEYS[1]!.address,
      INTEL_KEYS[2]!.address,
      AMD_KEYS[0]!.address,
      AMD_KEYS[1]!.address,
    ]);
    expect(await verifier.vendorKeyCount(INTEL)).to.equal(2n);
    // Removing the moved key works too (its position was updated).
    await verifier.removeKey(NITRO_KEYS[0]!.address);
    expect(await verifier.vendorKeyCount(NITRO)).to.equal(0n);
    expect(await verifier.vendors()).to.deep.equal([INTEL, AMD]);
    expect(await verifier.vendorCount()).to.equal(2n);
    // The vendor's slot is reused by the next new vendor; the key may come back.
    const other = vendorId("other-vendor");
    await verifier.addKey(first, other);
    expect(await verifier.vendors()).to.deep.equal([INTEL, AMD, other]);
    expect(await verifier.keyVendor(first)).to.equal(other);
  });

  it("test_removeKey_lastKeysMakePolicyUnsatisfiable", async function () {
    const { verifier } = await networkHelpers.loadFixture(committeeFixture);
    await verifier.removeKey(NITRO_KEYS[0]!.address);
    for (const k of AMD_KEYS) await verifier.removeKey(k.address);
    // Three Intel keys meet the threshold but not the vendor count: removal is still allowed.
    expect(await verifier.keyCount()).to.equal(3n);
    expect(await verifier.vendorCount()).to.equal(1n);
    expect(await verifier.isSatisfiable()).to.equal(false);
    for (const k of INTEL_KEYS) await verifier.removeKey(k.address);
    expect(await verifier.keyCount()).to.equal(0n);
    expect(await verifier.vendors()).to.deep.equal([]);
    expect(await verifier.vendorKeyCount(INTEL)).to.equal(0n);
  });

  it("test_removeKey_revertsOnUnknownKey", async function () {
    const { verifier } = await networkHelpers.loadFixture(committeeFixture);
    const before = await snapshot(verifier);
    await expect(verifier.removeKey(OUTSIDER_KEY.address))
      .to.be.revertedWithCustomError(verifier, "TeeCommitteeKeyNotRegistered")
      .withArgs(OUTSIDER_KEY.address);
    await verifier.removeKey(AMD_KEYS[0]!.address);
    await expect(verifier.removeKey(AMD_KEYS[0]!.address))
      .to.be.revertedWithCustomError(verifier, "TeeCommitteeKeyNotRegistered")
      .withArgs(AMD_KEYS[0]!.address);
    expect(await verifier.keyCount()).to.equal(BigInt((before as { keys: string[] }).keys.length - 1));
  });

  it("test_keyAdminFunctions_rejectOthersWithAccessControlError", async function () {
    const { verifier, outsider } = await networkHelpers.loadFixture(committeeFixture);
    const before = await snapshot(verifier);
    const role = await verifier.KEY_ADMIN_ROLE();
    const v = verifier.connect(outsider);
    await expect(v.addKey(OUTSIDER_KEY.address, INTEL))
      .to.be.revertedWithCustomError(verifier, "AccessControlUnauthorizedAccount")
      .withArgs(outsider.address, role);
    await expect(v.removeKey(INTEL_KEYS[0]!.address))
      .to.be.revertedWithCustomError(verifier, "AccessControlUnauthorizedAccount")
      .withArgs(outsider.address, role);
    await expect(v.setPolicy(2, 2))
      .to.be.revertedWithCustomError(verifier, "AccessControlUnauthorizedAccount")
      .withArgs(outsider.address, role);
    await expect(v.grantRole(role, outsider.address))
      .to.be.revertedWithCustomError(verifier, "AccessControlUnauthorizedAccount")
      .withArgs(outsider.address, ZeroHash);
    expect(await snapshot(verifier)).to.deep.equal(before);
  });

  it("test_grantRole_delegatesKeyAdministration", async function () {
    const { verifier, admin, outsider } = await networkHelpers.loadFixture(committeeFixture);
    const role = await verifier.KEY_ADMIN_ROLE();
    await verifier.grantRole(role, outsider.address);
    await expect(verifier.connect(outsider).addKey(OUTSIDER_KEY.address, NITRO)).to.emit(verifier, "KeyAdded");
    await expect(verifier.connect(outsider).setPolicy(4, 3)).to.emit(verifier, "PolicyUpdated").withArgs(4, 3);
    await verifier.revokeRole(role, admin.address);
    await expect(verifier.removeKey(OUTSIDER_KEY.address))
      .to.be.revertedWithCustomError(verifier, "AccessControlUnauthorizedAccount")
      .withArgs(admin.address, role);
  });
});

describe("TeeCommitteeVerifier: policy", function () {
  it("test_setPolicy_updatesAndEmits", async function () {
    const { verifier } = await networkHelpers.loadFixture(committeeFixture);
    await expect(verifier.setPolicy(5, 3)).to.emit(verifier, "PolicyUpdated").withArgs(5, 3);
    expect(await verifier.threshold()).to.equal(5n);
    expect(await verifier.minVendors()).to.equal(3n);
    // Setting the same policy again is allowed and emits again.
    await expect(verifier.setPolicy(5, 3)).to.emit(verifier, "PolicyUpdated").withArgs(5, 3);
    await expect(verifier.setPolicy(2, 2)).to.emit(verifier, "PolicyUpdated").withArgs(2, 2);
    await expect(verifier.setPolicy(64, 2)).to.emit(verifier, "PolicyUpdated").withArgs(64, 2);
    await expect(verifier.setPolicy(64, 64)).to.emit(verifier, "PolicyUpdated").withArgs(64, 64);
  });

  it("test_setPolicy_revertsOutOfBoundsWithoutChange", async function () {
    const { verifier } = await networkHelpers.loadFixture(committeeFixture);
    const before = await snapshot(verifier);
    for (const [t, v] of [
      [0, 0], // nothing
      [1, 1], // one key of one vendor
      [5, 1], // one vendor is never enough
      [5, 0],
      [2, 3], // more vendors than signers: never met
      [0, 2],
      [65, 2], // above MAX_KEYS: never met
      [65535, 65535],
    ] as const) {
      await expect(verifier.setPolicy(t, v))
        .to.be.revertedWithCustomError(verifier, "TeeCommitteeInvalidPolicy")
        .withArgs(t, v);
    }
    expect(await snapshot(verifier)).to.deep.equal(before);
  });

  it("test_isSatisfiable_followsKeysAndPolicy", async function () {
    const { verifier } = await networkHelpers.loadFixture(committeeFixture);
    expect(await verifier.isSatisfiable()).to.equal(true); // 6 keys, 3 vendors; policy 3 of ≥ 2
    await verifier.setPolicy(6, 3);
    expect(await verifier.isSatisfiable()).to.equal(true);
    // A policy the keys cannot meet is allowed (keys may come later) and visible.
    await expect(verifier.setPolicy(7, 3)).to.emit(verifier, "PolicyUpdated").withArgs(7, 3);
    expect(await verifier.isSatisfiable()).to.equal(false);
    await verifier.setPolicy(4, 4);
    expect(await verifier.isSatisfiable()).to.equal(false);
    await verifier.addKey(OUTSIDER_KEY.address, vendorId("fourth-vendor"));
    expect(await verifier.isSatisfiable()).to.equal(true);
  });
});

describe("TeeCommitteeVerifier: update digest", function () {
  it("test_updateDigest_matchesSdkAndTypedData", async function () {
    const { verifier, address, chainId, data } = await networkHelpers.loadFixture(emptyFixture);
    const full: UpdatePublicData = {
      chainId: 2n ** 64n - 1n,
      ackBlock: 123n,
      l2Block: 2n ** 63n,
      queuePosition: 9n,
      prevRoot: keccakId("prev"),
      newRoot: keccakId("new"),
      queueHash: keccakId("queue"),
      outboxRoot: keccakId("outbox"),
      inboxRoot: keccakId("inbox"),
      withdrawalRoot: keccakId("withdrawal"),
    };
    for (const d of [data, full]) {
      const digest = await verifier.updateDigest(d);
      expect(digest).to.equal(teeUpdateDigest(address, chainId, d));
      expect(digest).to.equal(
        TypedDataEncoder.hash(teeCommitteeDomain(address, chainId), UPDATE_PUBLIC_DATA_TYPES, updateValue(d)),
      );
    }
  });

  it("test_updateDigest_bindsEveryFieldChainAndVerifier", async function () {
    const { verifier, address, chainId } = await networkHelpers.loadFixture(emptyFixture);
    const base = updateData(7n, demoRoot(7n, 0), demoRoot(7n, 1), 5n, 6n);
    const digests = new Set<string>([await verifier.updateDigest(base)]);
    const variants: Partial<UpdatePublicData>[] = [
      { chainId: 8n },
      { ackBlock: 6n },
      { l2Block: 7n },
      { queuePosition: 1n },
      { prevRoot: keccakId("x") },
      { newRoot: keccakId("x") },
      { queueHash: keccakId("x") },
      { outboxRoot: keccakId("x") },
      { inboxRoot: keccakId("x") },
      { withdrawalRoot: keccakId("x") },
    ];
    for (const change of variants) digests.add(await verifier.updateDigest({ ...base, ...change }));
    expect(digests.size).to.equal(variants.length + 1);
    // Another chain id or verifier address gives another digest.
    const here = teeUpdateDigest(address, chainId, base);
    expect(teeUpdateDigest(address, chainId + 1n, base)).to.not.equal(here);
    expect(teeUpdateDigest(OUTSIDER_KEY.address, chainId, base)).to.not.equal(here);
  });
});

describe("TeeCommitteeVerifier: verify", function () {
  it("test_verify_acceptsThresholdFromTwoVendors", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    for (const signers of [
      [INTEL_KEYS[0]!, INTEL_KEYS[1]!, AMD_KEYS[0]!], // 3 of 6 from 2 vendors
      [INTEL_KEYS[2]!, NITRO_KEYS[0]!, AMD_KEYS[1]!], // 3 vendors
      [AMD_KEYS[0]!, AMD_KEYS[1]!, NITRO_KEYS[0]!],
      [...INTEL_KEYS, ...AMD_KEYS, ...NITRO_KEYS], // everyone
    ]) {
      expect(await f.verifier.verify(f.data, await proofOf(f, signers))).to.equal(true);
    }
  });

  it("test_verify_acceptsTypedDataSignersInAnyInputOrder", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    // Hardhat accounts sign through eth_signTypedData_v4 (the SDK's second path).
    const accounts = (await ethers.getSigners()).slice(5, 8);
    await f.verifier.addKey(accounts[0]!.address, INTEL);
    await f.verifier.addKey(accounts[1]!.address, AMD);
    await f.verifier.addKey(accounts[2]!.address, NITRO);
    const reversed = [...accounts].reverse();
    const proof = await proofOf(f, reversed);
    expect(await f.verifier.verify(f.data, proof)).to.equal(true);
    // Typed-data signatures equal raw digest signatures (RFC 6979 is deterministic).
    const mixed = await proofOf(f, [accounts[0]!, INTEL_KEYS[0]!, AMD_KEYS[0]!]);
    expect(await f.verifier.verify(f.data, mixed)).to.equal(true);
  });

  it("test_verify_returnsFalseBelowThreshold", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    expect(await f.verifier.verify(f.data, "0x")).to.equal(false);
    expect(await f.verifier.verify(f.data, await proofOf(f, [INTEL_KEYS[0]!]))).to.equal(false);
    expect(await f.verifier.verify(f.data, await proofOf(f, [INTEL_KEYS[0]!, AMD_KEYS[0]!]))).to.equal(false);
    await f.verifier.setPolicy(6, 3);
    expect(await f.verifier.verify(f.data, await proofOf(f, [...INTEL_KEYS, AMD_KEYS[0]!, NITRO_KEYS[0]!]))).to.equal(
      false,
    );
  });

  it("test_verify_returnsFalseForSameVendorPadding", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    // Three Intel keys meet the threshold of 3 but come from one vendor.
    expect(await f.verifier.verify(f.data, await proofOf(f, INTEL_KEYS))).to.equal(false);
    // Even a whole committee of one vendor is not enough.
    for (let i = 3; i < 10; i++) await f.verifier.addKey(enclave(`intel/${i}`).address, INTEL);
    const allIntel = [...INTEL_KEYS, ...Array.from({ length: 7 }, (_, i) => enclave(`intel/${i + 3}`))];
    expect(await f.verifier.verify(f.data, await proofOf(f, allIntel))).to.equal(false);
    // With minVendors 3, two vendors are not enough either.
    await f.verifier.setPolicy(4, 3);
    expect(await f.verifier.verify(f.data, await proofOf(f, [...INTEL_KEYS, ...AMD_KEYS]))).to.equal(false);
    expect(await f.verifier.verify(f.data, await proofOf(f, [...INTEL_KEYS, NITRO_KEYS[0]!, AMD_KEYS[0]!]))).to.equal(
      true,
    );
  });

  it("test_verify_revertsOnDuplicateSigner", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    const [a, b, c] = byAddress([INTEL_KEYS[0]!, AMD_KEYS[0]!, NITRO_KEYS[0]!]) as [Wallet, Wallet, Wallet];
    const [sa, sb, sc] = rawSignatures(f, [a, b, c]) as [string, string, string];
    await expect(f.verifier.verify(f.data, concat([sa, sb, sb, sc])))
      .to.be.revertedWithCustomError(f.verifier, "TeeCommitteeSignersNotSorted")
      .withArgs(2, b.address, b.address);
    // Four signatures by three keys: the duplicate must not count towards a threshold of 4.
    await f.verifier.setPolicy(4, 2);
    await expect(f.verifier.verify(f.data, concat([sa, sa, sb, sc])))
      .to.be.revertedWithCustomError(f.verifier, "TeeCommitteeSignersNotSorted")
      .withArgs(1, a.address, a.address);
    expect(() =>
      encodeCommitteeProof([
        { signer: a.address, signature: sa },
        { signer: a.address, signature: sa },
      ]),
    ).to.throw(/duplicate/);
  });

  it("test_verify_revertsOnUnsortedSigners", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    const [a, b, c] = byAddress([INTEL_KEYS[1]!, AMD_KEYS[1]!, NITRO_KEYS[0]!]) as [Wallet, Wallet, Wallet];
    const [sa, sb, sc] = rawSignatures(f, [a, b, c]) as [string, string, string];
    expect(await f.verifier.verify(f.data, concat([sa, sb, sc]))).to.equal(true);
    await expect(f.verifier.verify(f.data, concat([sb, sa, sc])))
      .to.be.revertedWithCustomError(f.verifier, "TeeCommitteeSignersNotSorted")
      .withArgs(1, a.address, b.address);
    await expect(f.verifier.verify(f.data, concat([sa, sc, sb])))
      .to.be.revertedWithCustomError(f.verifier, "TeeCommitteeSignersNotSorted")
      .withArgs(2, b.address, c.address);
  });

  it("test_verify_revertsOnUnknownKey", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    const members = byAddress([INTEL_KEYS[0]!, AMD_KEYS[0]!, NITRO_KEYS[0]!, OUTSIDER_KEY]);
    const index = members.indexOf(OUTSIDER_KEY);
    await expect(f.verifier.verify(f.data, concat(rawSignatures(f, members))))
      .to.be.revertedWithCustomError(f.verifier, "TeeCommitteeUnknownSigner")
      .withArgs(index, OUTSIDER_KEY.address);
  });

  it("test_verify_revertsOnMalleableSignature", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    const members = byAddress([INTEL_KEYS[0]!, AMD_KEYS[0]!, NITRO_KEYS[0]!]);
    const sigs = rawSignatures(f, members);
    const digest = teeUpdateDigest(f.address, f.chainId, f.data);
    for (let i = 0; i < sigs.length; i++) {
      const sig = Signature.from(sigs[i]!);
      // The same signature with s' = n − s and v flipped: ecrecover gives the same signer, OZ refuses it.
      const highS = toBeHex(SECP256K1_N - BigInt(sig.s), 32);
      const flippedV = sig.v === 27 ? 28 : 27;
      const malleable = concat([sig.r, highS, toBeHex(flippedV, 1)]);
      // The ecrecover precompile (address 1) accepts it and gives the same signer.
      const recovered = await ethers.provider.call({
        to: "0x0000000000000000000000000000000000000001",
        data: AbiCoder.defaultAbiCoder().encode(
          ["bytes32", "uint8", "bytes32", "bytes32"],
          [digest, flippedV, sig.r, highS],
        ),
      });
      expect(getAddress(dataSlice(recovered, 12))).to.equal(members[i]!.address);
      const tampered = [...sigs];
      tampered[i] = malleable;
      await expect(f.verifier.verify(f.data, concat(tampered)))
        .to.be.revertedWithCustomError(f.verifier, "TeeCommitteeInvalidSignature")
        .withArgs(i);
    }
  });

  it("test_verify_revertsOnBadV", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    const members = byAddress([INTEL_KEYS[0]!, AMD_KEYS[0]!, NITRO_KEYS[0]!]);
    const sigs = rawSignatures(f, members);
    for (const v of [0, 1, 26, 29, 255]) {
      const bytes = getBytes(sigs[1]!);
      bytes[64] = v;
      await expect(f.verifier.verify(f.data, concat([sigs[0]!, hexlify(bytes), sigs[2]!])))
        .to.be.revertedWithCustomError(f.verifier, "TeeCommitteeInvalidSignature")
        .withArgs(1);
    }
    // r = 0 recovers no signer.
    const zeroR = concat([ZeroHash, dataSlice(sigs[0]!, 32)]);
    await expect(f.verifier.verify(f.data, zeroR))
      .to.be.revertedWithCustomError(f.verifier, "TeeCommitteeInvalidSignature")
      .withArgs(0);
  });

  it("test_verify_revertsOnWrongLength", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    const proof = await proofOf(f, [INTEL_KEYS[0]!, AMD_KEYS[0]!, NITRO_KEYS[0]!]);
    const bytes = getBytes(proof);
    for (const bad of [
      bytes.subarray(0, 64),
      bytes.subarray(0, 1),
      bytes.subarray(0, bytes.length - 1),
      concat([proof, "0x00"]),
      concat([proof, ZeroHash, ZeroHash]), // 64 extra bytes: not a signature
    ]) {
      const length = getBytes(bad).length;
      await expect(f.verifier.verify(f.data, bad))
        .to.be.revertedWithCustomError(f.verifier, "TeeCommitteeMalformedProof")
        .withArgs(length);
    }
    // More than MAX_KEYS signatures: refused by length before any recovery.
    const tooMany = concat(Array.from({ length: MAX_KEYS + 1 }, () => dataSlice(proof, 0, 65)));
    await expect(f.verifier.verify(f.data, tooMany))
      .to.be.revertedWithCustomError(f.verifier, "TeeCommitteeMalformedProof")
      .withArgs(65 * (MAX_KEYS + 1));
    expect(splitCommitteeProof(proof)).to.have.length(3);
    expect(() => splitCommitteeProof(concat([proof, "0x00"]))).to.throw(RangeError);
  });

  it("test_verify_rejectsSignaturesOverAnotherUpdate", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    const signers = [INTEL_KEYS[0]!, AMD_KEYS[0]!, NITRO_KEYS[0]!];
    const other = { ...f.data, newRoot: keccakId("another root") };
    const proof = await proofOf(f, signers, other);
    expect(await f.verifier.verify(other, proof)).to.equal(true);
    // Over f.data the first signature recovers to some address that is not a key.
    const digest = teeUpdateDigest(f.address, f.chainId, f.data);
    const recovered = recoverAddress(digest, splitCommitteeProof(proof)[0]!);
    await expect(f.verifier.verify(f.data, proof))
      .to.be.revertedWithCustomError(f.verifier, "TeeCommitteeUnknownSigner")
      .withArgs(0, recovered);
  });

  it("test_verify_rejectsSignaturesForAnotherChainOrVerifier", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    const signers = [INTEL_KEYS[0]!, AMD_KEYS[0]!, NITRO_KEYS[0]!];
    // Another verifier with the same keys and policy, at another address.
    const twin = await deployVerifier(3, 2);
    for (const k of signers) await twin.addKey(k.address, await f.verifier.keyVendor(k.address));
    const twinAddress = await twin.getAddress();
    const forTwin = await signUpdateAsCommittee(f.data, signers, { verifierAddress: twinAddress, chainId: f.chainId });
    expect(await twin.verify(f.data, forTwin)).to.equal(true);
    const forOtherChain = await signUpdateAsCommittee(f.data, signers, {
      verifierAddress: f.address,
      chainId: f.chainId + 1n,
    });
    const digest = teeUpdateDigest(f.address, f.chainId, f.data);
    for (const proof of [forTwin, forOtherChain]) {
      await expect(f.verifier.verify(f.data, proof))
        .to.be.revertedWithCustomError(f.verifier, "TeeCommitteeUnknownSigner")
        .withArgs(0, recoverAddress(digest, splitCommitteeProof(proof)[0]!));
    }
  });

  it("test_verify_removedKeyNoLongerCounts", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    const signers = [INTEL_KEYS[0]!, AMD_KEYS[0]!, NITRO_KEYS[0]!];
    const proof = await proofOf(f, signers);
    expect(await f.verifier.verify(f.data, proof)).to.equal(true);
    await f.verifier.removeKey(NITRO_KEYS[0]!.address);
    const index = byAddress(signers).indexOf(NITRO_KEYS[0]!);
    await expect(f.verifier.verify(f.data, proof))
      .to.be.revertedWithCustomError(f.verifier, "TeeCommitteeUnknownSigner")
      .withArgs(index, NITRO_KEYS[0]!.address);
    // Without it, the remaining two are below the threshold.
    expect(await f.verifier.verify(f.data, await proofOf(f, [INTEL_KEYS[0]!, AMD_KEYS[0]!]))).to.equal(false);
    // Re-registered under another vendor, it counts for that vendor.
    await f.verifier.addKey(NITRO_KEYS[0]!.address, INTEL);
    expect(await f.verifier.verify(f.data, proof)).to.equal(true);
    await f.verifier.removeKey(AMD_KEYS[0]!.address);
    await f.verifier.addKey(AMD_KEYS[0]!.address, INTEL);
    expect(await f.verifier.verify(f.data, proof)).to.equal(false); // all three are Intel keys now
  });

  it("test_verify_followsPolicyChanges", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    const two = await proofOf(f, [INTEL_KEYS[0]!, AMD_KEYS[0]!]);
    expect(await f.verifier.verify(f.data, two)).to.equal(false);
    await f.verifier.setPolicy(2, 2);
    expect(await f.verifier.verify(f.data, two)).to.equal(true);
    await f.verifier.setPolicy(7, 2); // unsatisfiable: nothing verifies
    const all = await proofOf(f, [...INTEL_KEYS, ...AMD_KEYS, ...NITRO_KEYS]);
    expect(await f.verifier.verify(f.data, all)).to.equal(false);
  });

  it("test_signUpdate_producesLowSSignatures", async function () {
    const f = await networkHelpers.loadFixture(committeeFixture);
    for (const signer of [INTEL_KEYS[0]!, (await ethers.getSigners())[3]!]) {
      const { signature } = await signUpdate(signer, { verifierAddress: f.address, chainId: f.chainId }, f.data);
      const sig = Signature.from(signature);
      expect(BigInt(sig.s) <= SECP256K1_N / 2n).to.equal(true);
      expect(getBytes(signature)).to.have.length(65);
    }
  });
});

describe("TeeCommitteeVerifier: with ValidiumRegistry", function () {
  const CHAIN = 101n;

  async function registryWithCommitteeFixture() {
    const r = await deployRegistry();
    const f = await committeeFixture();
    const operator = r.operators[0]!;
    await r.registry.registerChain(CHAIN, 0n, operator.address, f.address, demoRoot(CHAIN, 0));
    return { ...r, f, operator };
  }

  it("test_submitUpdate_acceptsCommitteeSignedUpdate", async function () {
    const { registry, f, operator } = await networkHelpers.loadFixture(registryWithCommitteeFixture);
    const data = updateData(CHAIN, demoRoot(CHAIN, 0), demoRoot(CHAIN, 1), 0n, 1n);
    const proof = await proofOf(f, [INTEL_KEYS[2]!, AMD_KEYS[1]!, NITRO_KEYS[0]!], data);
    await expect(registry.connect(operator).submitUpdate(data, proof))
      .to.emit(registry, "UpdateSubmitted")
      .withArgs(CHAIN, 1, demoRoot(CHAIN, 1), 0n, 1n);
    const [index, latest] = await registry.latestCommitment(CHAIN);
    expect(index).to.equal(1n);
    expect(latest.root).to.equal(demoRoot(CHAIN, 1));
    // The next update builds on it.
    const next = updateData(CHAIN, demoRoot(CHAIN, 1), demoRoot(CHAIN, 2), 0n, 2n);
    await registry
      .connect(operator)
      .submitUpdate(next, await proofOf(f, [INTEL_KEYS[0]!, AMD_KEYS[0]!, AMD_KEYS[1]!], next));
    expect((await registry.latestCommitment(CHAIN))[0]).to.equal(2n);
  });

  it("test_submitUpdate_rejectsTamperedCommitteeProof", async function () {
    const { registry, f, operator } = await networkHelpers.loadFixture(registryWithCommitteeFixture);
    const data = updateData(CHAIN, demoRoot(CHAIN, 0), demoRoot(CHAIN, 1), 0n, 1n);
    const signers = byAddress([INTEL_KEYS[2]!, AMD_KEYS[1]!, NITRO_KEYS[0]!]);
    const sigs = rawSignatures(f, signers, data);
    const reg = registry.connect(operator);
    // A signature dropped: valid but not enough, so the verifier says false.
    await expect(reg.submitUpdate(data, concat(sigs.slice(0, 2))))
      .to.be.revertedWithCustomError(registry, "RegistryInvalidProof")
      .withArgs(CHAIN, f.address);
    // Same-vendor padding: three Intel keys.
    await expect(reg.submitUpdate(data, await proofOf(f, INTEL_KEYS, data)))
      .to.be.revertedWithCustomError(registry, "RegistryInvalidProof")
      .withArgs(CHAIN, f.address);
    // The update changed after signing: the verifier's own error comes through the registry.
    const tampered = { ...data, newRoot: keccakId("forged root") };
    await expect(reg.submitUpdate(tampered, concat(sigs))).to.be.revertedWithCustomError(
      f.verifier,
      "TeeCommitteeUnknownSigner",
    );
    // Nothing was committed.
    expect((await registry.latestCommitment(CHAIN))[0]).to.equal(0n);
    await expect(reg.submitUpdate(data, concat(sigs))).to.emit(registry, "UpdateSubmitted");
  });
});
