/**
 * LatencyOracle and SignedMeasurementAttestationVerifier unit tests: deployment, networks and nodes,
 * attestation and enclave keys, reports and the combined matrix (the seed example, one-sided and
 * missing pairs, disagreement), and every rejection with its exact error and no state change. Every
 * fixture comes from the Latency Ignition module (test/helpers/latency.ts).
 */
import { expect } from "chai";
import { concat, id as keccakId, TypedDataEncoder, ZeroAddress, ZeroHash } from "ethers";

import {
  buildAttestation,
  combineMatrix,
  latencyOracleDomain,
  LATENCY_REPORT_TYPES,
  MISSING,
  PairFlag,
  registrationDigest,
  reportDigest,
  reportValue,
  signReport,
  unflattenMatrix,
} from "../../src/sdk/latency.ts";
import { ethers, networkHelpers } from "../helpers/fixtures.ts";
import {
  ATTESTER,
  attestation,
  DISAGREEMENT_BPS,
  deployedFixture,
  enclaveWallet,
  EPOCH_DURATION,
  expectNoLatencyChange,
  goToEpoch,
  MEASUREMENT,
  NET_A,
  NET_B,
  NET_C,
  networksFixture,
  OTHER_MEASUREMENT,
  registeredFixture,
  registerKey,
  report,
  reportArg,
  ROGUE_ATTESTER,
  SEED_A,
  SEED_B,
  SEED_COMBINED_MS,
  submit,
  submitSeed,
  type LatencyFixture,
} from "../helpers/latency.ts";

const UNKNOWN = 99n;

async function matrixOf(f: LatencyFixture, epoch: bigint | number, a: bigint, b: bigint) {
  const [values, flags] = await f.oracle.matrix(epoch, a, b);
  return unflattenMatrix(values, flags, Number(await f.oracle.nodeCount(b)));
}

describe("LatencyOracle: deployment", function () {
  it("test_constructor_setsParametersThroughIgnitionModule", async function () {
    const f = await networkHelpers.loadFixture(deployedFixture);
    expect(await f.oracle.genesisTime()).to.equal(f.genesisTime);
    expect(await f.oracle.epochDuration()).to.equal(EPOCH_DURATION);
    expect(await f.oracle.disagreementBps()).to.equal(BigInt(DISAGREEMENT_BPS));
    expect(await f.oracle.attestationVerifier()).to.equal(f.verifierAddress);
    expect(await f.oracle.MISSING()).to.equal(BigInt(MISSING));
    expect(await f.oracle.MAX_NODES()).to.equal(256n);
    expect(await f.oracle.REPORT_TYPEHASH()).to.equal(
      keccakId("LatencyReport(uint64 epoch,uint64 network,uint32 node,uint64 peerNetwork,uint32[] rtts)"),
    );
    expect(await f.verifier.REGISTRATION_TYPEHASH()).to.equal(
      keccakId("EnclaveRegistration(uint64 network,uint32 node,address enclaveKey,bytes32 measurement)"),
    );
    const [, name, version, chainId, verifyingContract] = await f.oracle.eip712Domain();
    expect([name, version, chainId, verifyingContract]).to.deep.equal([
      "ClusterKit LatencyOracle",
      "1",
      f.chainId,
      f.oracleAddress,
    ]);
    const [, vName, vVersion, vChainId, vContract] = await f.verifier.eip712Domain();
    expect([vName, vVersion, vChainId, vContract]).to.deep.equal([
      "ClusterKit Attestation",
      "1",
      f.chainId,
      f.verifierAddress,
    ]);
    expect(await f.oracle.networkCount()).to.equal(0n);
    expect(await f.oracle.epochStart(3)).to.equal(f.genesisTime + 3n * EPOCH_DURATION);
  });

  it("test_constructor_grantsAdminToDeployer", async function () {
    const { oracle, verifier, admin, outsider } = await networkHelpers.loadFixture(deployedFixture);
    expect(await oracle.hasRole(ZeroHash, admin.address)).to.equal(true);
    expect(await verifier.hasRole(ZeroHash, admin.address)).to.equal(true);
    expect(await oracle.hasRole(ZeroHash, outsider.address)).to.equal(false);
    expect(await verifier.hasRole(ZeroHash, outsider.address)).to.equal(false);
  });

  it("test_constructor_revertsOnInvalidParameters", async function () {
    const { verifierAddress, admin } = await networkHelpers.loadFixture(deployedFixture);
    const factory = await ethers.getContractFactory("LatencyOracle");
    await expect(factory.deploy(ZeroAddress, verifierAddress, 0, 600, 0)).to.be.revertedWithCustomError(
      factory,
      "OracleZeroAddress",
    );
    await expect(factory.deploy(admin.address, ZeroAddress, 0, 600, 0)).to.be.revertedWithCustomError(
      factory,
      "OracleZeroAddress",
    );
    await expect(factory.deploy(admin.address, verifierAddress, 0, 0, 0)).to.be.revertedWithCustomError(
      factory,
      "OracleInvalidParameters",
    );
    await expect(factory.deploy(admin.address, verifierAddress, 0, 600, 100_001)).to.be.revertedWithCustomError(
      factory,
      "OracleInvalidParameters",
    );
    const ok = await factory.deploy(admin.address, verifierAddress, 0, 1, 100_000);
    expect(await ok.disagreementBps()).to.equal(100_000n);
  });

  it("test_verifierConstructor_revertsOnZeroAdmin", async function () {
    const factory = await ethers.getContractFactory("SignedMeasurementAttestationVerifier");
    await expect(factory.deploy(ZeroAddress)).to.be.revertedWithCustomError(factory, "AttestationZeroAddress");
  });
});

describe("LatencyOracle: networks, nodes and tolerance", function () {
  it("test_addNetwork_recordsAndEmits", async function () {
    const { oracle } = await networkHelpers.loadFixture(deployedFixture);
    await expect(oracle.addNetwork(NET_A)).to.emit(oracle, "NetworkAdded").withArgs(NET_A);
    await expect(oracle.addNetwork(0n)).to.emit(oracle, "NetworkAdded").withArgs(0n);
    expect(await oracle.isNetwork(NET_A)).to.equal(true);
    expect(await oracle.isNetwork(NET_B)).to.equal(false);
    expect(await oracle.networkCount()).to.equal(2n);
    expect(await oracle.networkAt(0)).to.equal(NET_A);
    expect(await oracle.nodeCount(NET_A)).to.equal(0n);
  });

  it("test_addNetwork_revertsOnDuplicate", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    await expectNoLatencyChange(f, () =>
      expect(f.oracle.addNetwork(NET_A)).to.be.revertedWithCustomError(f.oracle, "OracleNetworkExists").withArgs(NET_A),
    );
  });

  it("test_addNode_assignsIndicesInOrder", async function () {
    const { oracle } = await networkHelpers.loadFixture(deployedFixture);
    await oracle.addNetwork(NET_A);
    for (let i = 0; i < 3; i++) {
      expect(await oracle.addNode.staticCall(NET_A)).to.equal(BigInt(i));
      await expect(oracle.addNode(NET_A)).to.emit(oracle, "NodeAdded").withArgs(NET_A, i);
    }
    expect(await oracle.nodeCount(NET_A)).to.equal(3n);
    expect(await oracle.enclaveKey(NET_A, 2)).to.equal(ZeroAddress);
  });

  it("test_addNode_revertsOnUnknownNetwork", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    await expectNoLatencyChange(f, () =>
      expect(f.oracle.addNode(UNKNOWN))
        .to.be.revertedWithCustomError(f.oracle, "OracleUnknownNetwork")
        .withArgs(UNKNOWN),
    );
  });

  it("test_addNode_revertsAfter256Nodes", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    const big = 44n;
    await f.oracle.addNetwork(big);
    for (let i = 0; i < 256; i++) await f.oracle.addNode(big);
    expect(await f.oracle.nodeCount(big)).to.equal(256n);
    await expect(f.oracle.addNode(big)).to.be.revertedWithCustomError(f.oracle, "OracleTooManyNodes").withArgs(big);
    expect(await f.oracle.nodeCount(big)).to.equal(256n);
  });

  it("test_setDisagreementBps_updatesAndEmits", async function () {
    const { oracle } = await networkHelpers.loadFixture(deployedFixture);
    await expect(oracle.setDisagreementBps(500)).to.emit(oracle, "DisagreementToleranceUpdated").withArgs(500);
    expect(await oracle.disagreementBps()).to.equal(500n);
  });

  it("test_setDisagreementBps_revertsAboveMaximum", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    await expectNoLatencyChange(f, () =>
      expect(f.oracle.setDisagreementBps(100_001)).to.be.revertedWithCustomError(f.oracle, "OracleInvalidParameters"),
    );
  });

  it("test_adminActions_revertWithoutAdminRole", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    const o = f.oracle.connect(f.outsider);
    const v = f.verifier.connect(f.outsider);
    const who = f.outsider.address;
    await expectNoLatencyChange(f, async () => {
      for (const tx of [o.addNetwork(UNKNOWN), o.addNode(NET_A), o.setDisagreementBps(1), o.grantRole(ZeroHash, who)]) {
        await expect(tx)
          .to.be.revertedWithCustomError(f.oracle, "AccessControlUnauthorizedAccount")
          .withArgs(who, ZeroHash);
      }
      for (const tx of [
        v.approveMeasurement(OTHER_MEASUREMENT),
        v.revokeMeasurement(MEASUREMENT),
        v.approveAttestationKey(ROGUE_ATTESTER.address),
        v.revokeAttestationKey(ATTESTER.address),
        v.grantRole(ZeroHash, who),
      ]) {
        await expect(tx)
          .to.be.revertedWithCustomError(f.verifier, "AccessControlUnauthorizedAccount")
          .withArgs(who, ZeroHash);
      }
    });
  });
});

describe("SignedMeasurementAttestationVerifier", function () {
  it("test_approveAndRevoke_emitAndUpdate", async function () {
    const { verifier } = await networkHelpers.loadFixture(deployedFixture);
    await expect(verifier.approveMeasurement(MEASUREMENT))
      .to.emit(verifier, "MeasurementApproved")
      .withArgs(MEASUREMENT);
    expect(await verifier.isMeasurementApproved(MEASUREMENT)).to.equal(true);
    await expect(verifier.revokeMeasurement(MEASUREMENT)).to.emit(verifier, "MeasurementRevoked").withArgs(MEASUREMENT);
    expect(await verifier.isMeasurementApproved(MEASUREMENT)).to.equal(false);
    await expect(verifier.approveAttestationKey(ATTESTER.address))
      .to.emit(verifier, "AttestationKeyApproved")
      .withArgs(ATTESTER.address);
    expect(await verifier.isAttestationKeyApproved(ATTESTER.address)).to.equal(true);
    await expect(verifier.revokeAttestationKey(ATTESTER.address))
      .to.emit(verifier, "AttestationKeyRevoked")
      .withArgs(ATTESTER.address);
    expect(await verifier.isAttestationKeyApproved(ATTESTER.address)).to.equal(false);
  });

  it("test_approveAndRevoke_revertOnNoOpOrZero", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    const v = f.verifier;
    await expectNoLatencyChange(f, async () => {
      await expect(v.approveMeasurement(MEASUREMENT))
        .to.be.revertedWithCustomError(v, "AttestationMeasurementUnchanged")
        .withArgs(MEASUREMENT, true);
      await expect(v.revokeMeasurement(OTHER_MEASUREMENT))
        .to.be.revertedWithCustomError(v, "AttestationMeasurementUnchanged")
        .withArgs(OTHER_MEASUREMENT, false);
      await expect(v.approveMeasurement(ZeroHash)).to.be.revertedWithCustomError(v, "AttestationZeroMeasurement");
      await expect(v.approveAttestationKey(ATTESTER.address))
        .to.be.revertedWithCustomError(v, "AttestationKeyUnchanged")
        .withArgs(ATTESTER.address, true);
      await expect(v.revokeAttestationKey(ROGUE_ATTESTER.address))
        .to.be.revertedWithCustomError(v, "AttestationKeyUnchanged")
        .withArgs(ROGUE_ATTESTER.address, false);
      await expect(v.approveAttestationKey(ZeroAddress)).to.be.revertedWithCustomError(v, "AttestationZeroAddress");
    });
  });

  it("test_verifyAttestation_returnsMeasurement", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    const key = enclaveWallet(NET_A, 1).address;
    expect(await f.verifier.verifyAttestation(NET_A, 1, key, await attestation(f, NET_A, 1, key))).to.equal(
      MEASUREMENT,
    );
    const reg = { network: NET_A, node: 1, enclaveKey: key, measurement: MEASUREMENT };
    expect(await f.verifier.registrationDigest(NET_A, 1, key, MEASUREMENT)).to.equal(
      registrationDigest(f.verifierAddress, f.chainId, reg),
    );
  });

  it("test_verifyAttestation_revertsOnMalformedEncoding", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    const key = enclaveWallet(NET_A, 1).address;
    const good = await attestation(f, NET_A, 1, key);
    const bad = [
      "0x",
      good.slice(0, 2 + 2 * 95), // shorter than the head
      good.slice(0, -2), // not padded
      good + "00".repeat(32), // trailing word
      "0x" + good.slice(2, 66) + (0x60).toString(16).padStart(64, "0") + good.slice(130), // offset 0x60
      "0x" + good.slice(2, 130) + "ff".repeat(32) + good.slice(194), // absurd length
    ];
    for (const att of bad) {
      await expect(f.verifier.verifyAttestation(NET_A, 1, key, att)).to.be.revertedWithCustomError(
        f.verifier,
        "AttestationMalformed",
      );
    }
  });

  it("test_verifyAttestation_revertsOnBadSignatureBytes", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    const key = enclaveWallet(NET_A, 1).address;
    for (const sig of ["0x", "0x" + "11".repeat(64), "0x" + "00".repeat(65)]) {
      await expect(
        f.verifier.verifyAttestation(NET_A, 1, key, buildAttestation(MEASUREMENT, sig)),
      ).to.be.revertedWithCustomError(f.verifier, "AttestationInvalidSignature");
    }
  });
});

describe("LatencyOracle: registerEnclaveKey", function () {
  it("test_registerEnclaveKey_byAnyoneWithAttestation", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    const key = enclaveWallet(NET_B, 1).address;
    const att = await attestation(f, NET_B, 1, key);
    await expect(f.oracle.connect(f.outsider).registerEnclaveKey(NET_B, 1, key, att))
      .to.emit(f.oracle, "EnclaveKeyRegistered")
      .withArgs(NET_B, 1, key, MEASUREMENT);
    expect(await f.oracle.enclaveKey(NET_B, 1)).to.equal(key);
    expect(await f.oracle.enclaveKey(NET_B, 0)).to.equal(ZeroAddress);
  });

  it("test_registerEnclaveKey_rotatesAndRetiresOldKey", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    const old = enclaveWallet(NET_A, 0, 0);
    const oldAttestation = await attestation(f, NET_A, 0, old.address);
    const fresh = enclaveWallet(NET_A, 0, 1);
    await expect(f.oracle.registerEnclaveKey(NET_A, 0, fresh.address, await attestation(f, NET_A, 0, fresh.address)))
      .to.emit(f.oracle, "EnclaveKeyRegistered")
      .withArgs(NET_A, 0, fresh.address, MEASUREMENT);
    expect(await f.oracle.enclaveKey(NET_A, 0)).to.equal(fresh.address);
    expect(await f.oracle.isKeyRetired(NET_A, 0, old.address)).to.equal(true);
    // The old key's reports are refused; the new key's are accepted.
    const r = report(0, NET_A, 0, NET_B, SEED_A[0]!);
    await expect(submit(f, r, old))
      .to.be.revertedWithCustomError(f.oracle, "OracleBadSignature")
      .withArgs(old.address, fresh.address);
    await expect(submit(f, r, fresh))
      .to.emit(f.oracle, "ReportSubmitted")
      .withArgs(0, NET_A, 0, NET_B);
    // The old (still valid) attestation cannot bring the retired key back.
    await expectNoLatencyChange(f, () =>
      expect(f.oracle.registerEnclaveKey(NET_A, 0, old.address, oldAttestation))
        .to.be.revertedWithCustomError(f.oracle, "OracleKeyRetired")
        .withArgs(NET_A, 0, old.address),
    );
    // Re-registering the current key is allowed (a no-op with an event).
    await expect(
      f.oracle.registerEnclaveKey(NET_A, 0, fresh.address, await attestation(f, NET_A, 0, fresh.address)),
    ).to.emit(f.oracle, "EnclaveKeyRegistered");
    expect(await f.oracle.isKeyRetired(NET_A, 0, fresh.address)).to.equal(false);
  });

  it("test_registerEnclaveKey_revertsOnUnknownNetworkNodeOrZeroKey", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    const key = enclaveWallet(NET_A, 0).address;
    const att = await attestation(f, NET_A, 0, key);
    await expectNoLatencyChange(f, async () => {
      await expect(f.oracle.registerEnclaveKey(UNKNOWN, 0, key, att))
        .to.be.revertedWithCustomError(f.oracle, "OracleUnknownNetwork")
        .withArgs(UNKNOWN);
      await expect(f.oracle.registerEnclaveKey(NET_A, 3, key, att))
        .to.be.revertedWithCustomError(f.oracle, "OracleUnknownNode")
        .withArgs(NET_A, 3);
      await expect(f.oracle.registerEnclaveKey(NET_A, 0, ZeroAddress, att)).to.be.revertedWithCustomError(
        f.oracle,
        "OracleZeroAddress",
      );
    });
  });

  it("test_registerEnclaveKey_revertsOnUnapprovedMeasurement", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    const key = enclaveWallet(NET_A, 0).address;
    const att = await attestation(f, NET_A, 0, key, { measurement: OTHER_MEASUREMENT });
    await expectNoLatencyChange(f, () =>
      expect(f.oracle.registerEnclaveKey(NET_A, 0, key, att))
        .to.be.revertedWithCustomError(f.verifier, "AttestationMeasurementNotApproved")
        .withArgs(OTHER_MEASUREMENT),
    );
  });

  it("test_registerEnclaveKey_revertsOnRevokedMeasurement", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    const key = enclaveWallet(NET_A, 0).address;
    const att = await attestation(f, NET_A, 0, key);
    await f.verifier.revokeMeasurement(MEASUREMENT);
    await expectNoLatencyChange(f, () =>
      expect(f.oracle.registerEnclaveKey(NET_A, 0, key, att))
        .to.be.revertedWithCustomError(f.verifier, "AttestationMeasurementNotApproved")
        .withArgs(MEASUREMENT),
    );
  });

  it("test_registerEnclaveKey_revertsOnUnapprovedAttestationKey", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    const key = enclaveWallet(NET_A, 0).address;
    const att = await attestation(f, NET_A, 0, key, { attester: ROGUE_ATTESTER });
    await expectNoLatencyChange(f, () =>
      expect(f.oracle.registerEnclaveKey(NET_A, 0, key, att))
        .to.be.revertedWithCustomError(f.verifier, "AttestationKeyNotApproved")
        .withArgs(ROGUE_ATTESTER.address),
    );
  });

  it("test_registerEnclaveKey_revertsOnAttestationForAnotherNodeKeyOrDomain", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    const key = enclaveWallet(NET_A, 0).address;
    const reg = { network: NET_A, node: 0, enclaveKey: key, measurement: MEASUREMENT };
    const digest = registrationDigest(f.verifierAddress, f.chainId, reg);
    // The attestation signs (A, 0, key): used for another node, network or key, or signed for another
    // chain or verifier, it recovers some unapproved address.
    const cases: Array<[bigint, number, string, string]> = [
      [NET_A, 1, key, await attestation(f, NET_A, 0, key)],
      [NET_B, 0, key, await attestation(f, NET_A, 0, key)],
      [NET_A, 0, enclaveWallet(NET_A, 0, 1).address, await attestation(f, NET_A, 0, key)],
      [NET_A, 0, key, await attestation(f, NET_A, 0, key, { chainId: 1n })],
      [NET_A, 0, key, await attestation(f, NET_A, 0, key, { verifierAddress: f.oracleAddress })],
    ];
    await expectNoLatencyChange(f, async () => {
      for (const [network, node, enclave, att] of cases) {
        const recovered = ethers.recoverAddress(
          await f.verifier.registrationDigest(network, node, enclave, MEASUREMENT),
          ethers.AbiCoder.defaultAbiCoder().decode(["bytes32", "bytes"], att)[1] as string,
        );
        expect(recovered).to.not.equal(ATTESTER.address);
        await expect(f.oracle.registerEnclaveKey(network, node, enclave, att))
          .to.be.revertedWithCustomError(f.verifier, "AttestationKeyNotApproved")
          .withArgs(recovered);
      }
    });
    expect(digest).to.equal(await f.verifier.registrationDigest(NET_A, 0, key, MEASUREMENT));
  });
});

describe("LatencyOracle: reports and the combined matrix", function () {
  it("test_currentEpoch_followsTime", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    await expect(f.oracle.currentEpoch()).to.be.revertedWithCustomError(f.oracle, "OracleBeforeGenesis");
    await networkHelpers.time.increaseTo(f.genesisTime);
    expect(await f.oracle.currentEpoch()).to.equal(0n);
    await networkHelpers.time.increaseTo(f.genesisTime + EPOCH_DURATION - 1n);
    expect(await f.oracle.currentEpoch()).to.equal(0n);
    await networkHelpers.time.increaseTo(f.genesisTime + 5n * EPOCH_DURATION);
    expect(await f.oracle.currentEpoch()).to.equal(5n);
  });

  it("test_reportDigest_matchesSdk", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    const r = report(7, NET_A, 2, NET_B, [1, 0, 4294967295]);
    const sdk = reportDigest(f.oracleAddress, f.chainId, r);
    expect(await f.oracle.reportDigest(reportArg(r))).to.equal(sdk);
    expect(
      TypedDataEncoder.hash(latencyOracleDomain(f.oracleAddress, f.chainId), LATENCY_REPORT_TYPES, reportValue(r)),
    ).to.equal(sdk);
    expect(() => reportValue(report(0, NET_A, 0, NET_B, [2 ** 32]))).to.throw(RangeError);
  });

  it("test_submitReport_seedExampleGivesCombinedMatrix", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    await expect(submit(f, report(0, NET_A, 0, NET_B, SEED_A[0]!)))
      .to.emit(f.oracle, "ReportSubmitted")
      .withArgs(0, NET_A, 0, NET_B);
    for (const [i, rtts] of SEED_A.entries()) if (i > 0) await submit(f, report(0, NET_A, i, NET_B, rtts));
    for (const [j, rtts] of SEED_B.entries()) await submit(f, report(0, NET_B, j, NET_A, rtts));

    const ab = await matrixOf(f, 0, NET_A, NET_B);
    expect(ab.values).to.deep.equal(SEED_COMBINED_MS.map((row) => row.map((ms) => ms * 1000)));
    expect(ab.flags).to.deep.equal(SEED_COMBINED_MS.map((row) => row.map(() => PairFlag.Agree)));
    expect(ab).to.deep.equal(combineMatrix(SEED_A, SEED_B, DISAGREEMENT_BPS));
    // The other orientation is the transpose.
    const ba = await matrixOf(f, 0, NET_B, NET_A);
    expect(ba.values).to.deep.equal([0, 1].map((j) => [0, 1, 2].map((i) => ab.values[i]![j]!)));
    // Pointwise views agree.
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        const [value, flag] = await f.oracle.latency(0, NET_A, i, NET_B, j);
        expect([Number(value), Number(flag)]).to.deep.equal([ab.values[i]![j], ab.flags[i]![j]]);
        expect(await f.oracle.rtt(0, NET_A, i, NET_B, j)).to.equal(BigInt(SEED_A[i]![j]!));
        expect(await f.oracle.rtt(0, NET_B, j, NET_A, i)).to.equal(BigInt(SEED_B[j]![i]!));
      }
    }
    expect(await f.oracle.reporters(0, NET_A, NET_B)).to.equal(0b111n);
    expect(await f.oracle.reporters(0, NET_B, NET_A)).to.equal(0b11n);
    // Other epochs are untouched.
    const next = await matrixOf(f, 1, NET_A, NET_B);
    expect(next.values.flat()).to.deep.equal(Array(6).fill(MISSING));
    expect(next.flags.flat()).to.deep.equal(Array(6).fill(PairFlag.Missing));
  });

  it("test_matrix_oneSidedAndMissingPairs", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    // A0 measured B0 only; A1 measured nothing (zeros); A2 did not report; B1 measured A1 only.
    await submit(f, report(0, NET_A, 0, NET_B, [30_000, 0]));
    await submit(f, report(0, NET_A, 1, NET_B, [0, 0]));
    await submit(f, report(0, NET_B, 1, NET_A, [0, 25_000, 0]));
    const got = await matrixOf(f, 0, NET_A, NET_B);
    expect(got.values).to.deep.equal([
      [30_000, MISSING],
      [MISSING, 25_000],
      [MISSING, MISSING],
    ]);
    expect(got.flags).to.deep.equal([
      [PairFlag.OneSided, PairFlag.Missing],
      [PairFlag.Missing, PairFlag.OneSided],
      [PairFlag.Missing, PairFlag.Missing],
    ]);
    expect(got).to.deep.equal(combineMatrix([[30_000, 0], [0, 0], null], [null, [0, 25_000, 0]], DISAGREEMENT_BPS));
    const [value, flag] = await f.oracle.latency(0, NET_A, 2, NET_B, 1);
    expect([value, flag]).to.deep.equal([BigInt(MISSING), BigInt(PairFlag.Missing)]);
  });

  it("test_matrix_flagsDisagreementAtTolerance", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    // Tolerance 20 %: 36 vs 30 is exactly 20 % (Agree); 36.001 vs 30 is more (Disagree).
    await submit(f, report(0, NET_A, 0, NET_B, [30_000, 30_000]));
    await submit(f, report(0, NET_B, 0, NET_A, [36_000, 0, 0]));
    await submit(f, report(0, NET_B, 1, NET_A, [36_001, 0, 0]));
    let got = await matrixOf(f, 0, NET_A, NET_B);
    expect(got.values[0]).to.deep.equal([36_000, 36_001]);
    expect(got.flags[0]).to.deep.equal([PairFlag.Agree, PairFlag.Disagree]);
    // The flag is read at view time: a wider tolerance accepts both, zero tolerance flags both.
    await f.oracle.setDisagreementBps(2001);
    got = await matrixOf(f, 0, NET_A, NET_B);
    expect(got.flags[0]).to.deep.equal([PairFlag.Agree, PairFlag.Agree]);
    await f.oracle.setDisagreementBps(0);
    got = await matrixOf(f, 0, NET_A, NET_B);
    expect(got.flags[0]).to.deep.equal([PairFlag.Disagree, PairFlag.Disagree]);
    expect(got.values[0]).to.deep.equal([36_000, 36_001]);
    const [, flag] = await f.oracle.latency(0, NET_A, 0, NET_B, 0);
    expect(flag).to.equal(BigInt(PairFlag.Disagree));
  });

  it("test_matrix_laterEpochAndNewNodes", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    await submitSeed(f, 0);
    await goToEpoch(f, 1);
    await submitSeed(f, 1);
    // A node added later appears in both epochs as not measured.
    await f.oracle.addNode(NET_B);
    const got = await matrixOf(f, 0, NET_A, NET_B);
    expect(got.values.map((row) => row.slice(0, 2))).to.deep.equal(
      SEED_COMBINED_MS.map((row) => row.map((ms) => ms * 1000)),
    );
    expect(got.values.map((row) => row[2])).to.deep.equal([MISSING, MISSING, MISSING]);
    expect(await matrixOf(f, 1, NET_A, NET_B)).to.deep.equal(got);
  });

  it("test_matrix_emptyWhenANetworkHasNoNodes", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    const empty = 77n;
    await f.oracle.addNetwork(empty);
    for (const [a, b] of [
      [empty, NET_A],
      [NET_A, empty],
    ] as const) {
      const [values, flags] = await f.oracle.matrix(0, a, b);
      expect([values.length, flags.length]).to.deep.equal([0, 0]);
    }
    // A report on a network without nodes is the empty vector.
    await expect(submit(f, report(0, NET_A, 0, empty, []))).to.emit(f.oracle, "ReportSubmitted");
  });

  it("test_views_revertOnUnknownOrSameNetworkOrNode", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    const o = f.oracle;
    await expect(o.matrix(0, UNKNOWN, NET_B))
      .to.be.revertedWithCustomError(o, "OracleUnknownNetwork")
      .withArgs(UNKNOWN);
    await expect(o.matrix(0, NET_A, UNKNOWN))
      .to.be.revertedWithCustomError(o, "OracleUnknownNetwork")
      .withArgs(UNKNOWN);
    await expect(o.matrix(0, NET_A, NET_A))
      .to.be.revertedWithCustomError(o, "OracleSameNetwork")
      .withArgs(NET_A);
    await expect(o.latency(0, NET_A, 3, NET_B, 0))
      .to.be.revertedWithCustomError(o, "OracleUnknownNode")
      .withArgs(NET_A, 3);
    await expect(o.latency(0, NET_A, 0, NET_B, 2))
      .to.be.revertedWithCustomError(o, "OracleUnknownNode")
      .withArgs(NET_B, 2);
    await expect(o.latency(0, NET_A, 0, NET_A, 1))
      .to.be.revertedWithCustomError(o, "OracleSameNetwork")
      .withArgs(NET_A);
    await expect(o.rtt(0, NET_A, 0, UNKNOWN, 0))
      .to.be.revertedWithCustomError(o, "OracleUnknownNetwork")
      .withArgs(UNKNOWN);
    await expect(o.rtt(0, NET_C, 1, NET_A, 0))
      .to.be.revertedWithCustomError(o, "OracleUnknownNode")
      .withArgs(NET_C, 1);
    await expect(o.nodeCount(UNKNOWN)).to.be.revertedWithCustomError(o, "OracleUnknownNetwork").withArgs(UNKNOWN);
    await expect(o.enclaveKey(NET_B, 2)).to.be.revertedWithCustomError(o, "OracleUnknownNode").withArgs(NET_B, 2);
  });
});

describe("LatencyOracle: submitReport rejections", function () {
  it("test_submitReport_revertsOnUnregisteredKey", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    await networkHelpers.time.increaseTo(f.genesisTime);
    await expectNoLatencyChange(f, () =>
      expect(submit(f, report(0, NET_A, 1, NET_B, SEED_A[1]!)))
        .to.be.revertedWithCustomError(f.oracle, "OracleKeyNotRegistered")
        .withArgs(NET_A, 1),
    );
  });

  it("test_submitReport_revertsOnReplay", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    const r = report(0, NET_A, 1, NET_B, SEED_A[1]!);
    const signature = await signReport(enclaveWallet(NET_A, 1), f.oracleAddress, f.chainId, r);
    await f.oracle.submitReport(reportArg(r), signature);
    await expectNoLatencyChange(f, async () => {
      await expect(f.oracle.submitReport(reportArg(r), signature))
        .to.be.revertedWithCustomError(f.oracle, "OracleAlreadyReported")
        .withArgs(0, NET_A, 1, NET_B);
      // A second, different report of the same node on the same peer network in the same epoch.
      await expect(submit(f, report(0, NET_A, 1, NET_B, [1, 1])))
        .to.be.revertedWithCustomError(f.oracle, "OracleAlreadyReported")
        .withArgs(0, NET_A, 1, NET_B);
    });
    // The same node may still report on another peer network.
    await expect(submit(f, report(0, NET_A, 1, NET_C, [5_000]))).to.emit(f.oracle, "ReportSubmitted");
  });

  it("test_submitReport_revertsOnPastEpoch", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    const r = report(0, NET_A, 0, NET_B, SEED_A[0]!);
    const signature = await signReport(enclaveWallet(NET_A, 0), f.oracleAddress, f.chainId, r);
    await goToEpoch(f, 2);
    await expectNoLatencyChange(f, async () => {
      await expect(f.oracle.submitReport(reportArg(r), signature))
        .to.be.revertedWithCustomError(f.oracle, "OracleWrongEpoch")
        .withArgs(0, 2);
      await expect(submit(f, report(1, NET_A, 0, NET_B, SEED_A[0]!)))
        .to.be.revertedWithCustomError(f.oracle, "OracleWrongEpoch")
        .withArgs(1, 2);
    });
  });

  it("test_submitReport_revertsOnFutureEpoch", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    await expectNoLatencyChange(f, async () => {
      for (const e of [1n, 2n ** 64n - 1n]) {
        await expect(submit(f, report(e, NET_A, 0, NET_B, SEED_A[0]!)))
          .to.be.revertedWithCustomError(f.oracle, "OracleWrongEpoch")
          .withArgs(e, 0);
      }
    });
  });

  it("test_submitReport_revertsBeforeGenesis", async function () {
    const f = await networkHelpers.loadFixture(networksFixture);
    await registerKey(f, NET_A, 0);
    await expectNoLatencyChange(f, () =>
      expect(submit(f, report(0, NET_A, 0, NET_B, SEED_A[0]!))).to.be.revertedWithCustomError(
        f.oracle,
        "OracleBeforeGenesis",
      ),
    );
  });

  it("test_submitReport_revertsOnUnknownNetworkOrNode", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    await expectNoLatencyChange(f, async () => {
      await expect(submit(f, report(0, UNKNOWN, 0, NET_B, [1, 2])))
        .to.be.revertedWithCustomError(f.oracle, "OracleUnknownNetwork")
        .withArgs(UNKNOWN);
      await expect(submit(f, report(0, NET_A, 0, UNKNOWN, [1, 2])))
        .to.be.revertedWithCustomError(f.oracle, "OracleUnknownNetwork")
        .withArgs(UNKNOWN);
      await expect(submit(f, report(0, NET_A, 3, NET_B, [1, 2])))
        .to.be.revertedWithCustomError(f.oracle, "OracleUnknownNode")
        .withArgs(NET_A, 3);
    });
  });

  it("test_submitReport_revertsOnSameNetwork", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    await expectNoLatencyChange(f, () =>
      expect(submit(f, report(0, NET_A, 0, NET_A, [0, 1, 2])))
        .to.be.revertedWithCustomError(f.oracle, "OracleSameNetwork")
        .withArgs(NET_A),
    );
  });

  it("test_submitReport_revertsOnWrongLength", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    await expectNoLatencyChange(f, async () => {
      for (const rtts of [[], [1], [1, 2, 3]]) {
        await expect(submit(f, report(0, NET_A, 0, NET_B, rtts)))
          .to.be.revertedWithCustomError(f.oracle, "OracleMalformedReport")
          .withArgs(rtts.length, 2);
      }
    });
  });

  it("test_submitReport_revertsOnSignatureForAnotherChainId", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    const r = report(0, NET_A, 0, NET_B, SEED_A[0]!);
    const key = enclaveWallet(NET_A, 0);
    const signature = await signReport(key, f.oracleAddress, 1n, r);
    const recovered = ethers.recoverAddress(reportDigest(f.oracleAddress, f.chainId, r), signature);
    await expectNoLatencyChange(f, () =>
      expect(f.oracle.submitReport(reportArg(r), signature))
        .to.be.revertedWithCustomError(f.oracle, "OracleBadSignature")
        .withArgs(recovered, key.address),
    );
  });

  it("test_submitReport_revertsOnSignatureForAnotherOracle", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    const r = report(0, NET_A, 0, NET_B, SEED_A[0]!);
    const key = enclaveWallet(NET_A, 0);
    const signature = await signReport(key, f.verifierAddress, f.chainId, r);
    const recovered = ethers.recoverAddress(reportDigest(f.oracleAddress, f.chainId, r), signature);
    await expectNoLatencyChange(f, () =>
      expect(f.oracle.submitReport(reportArg(r), signature))
        .to.be.revertedWithCustomError(f.oracle, "OracleBadSignature")
        .withArgs(recovered, key.address),
    );
  });

  it("test_submitReport_revertsOnAnotherNodesKey", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    const r = report(0, NET_A, 0, NET_B, SEED_A[0]!);
    const other = enclaveWallet(NET_A, 1);
    await expectNoLatencyChange(f, async () => {
      await expect(submit(f, r, other))
        .to.be.revertedWithCustomError(f.oracle, "OracleBadSignature")
        .withArgs(other.address, enclaveWallet(NET_A, 0).address);
      // The key of B's node 0 cannot report for A's node 0 either.
      await expect(submit(f, r, enclaveWallet(NET_B, 0)))
        .to.be.revertedWithCustomError(f.oracle, "OracleBadSignature")
        .withArgs(enclaveWallet(NET_B, 0).address, enclaveWallet(NET_A, 0).address);
    });
  });

  it("test_submitReport_revertsOnTamperedOrMalformedSignature", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    const r = report(0, NET_A, 0, NET_B, SEED_A[0]!);
    const key = enclaveWallet(NET_A, 0);
    const signature = await signReport(key, f.oracleAddress, f.chainId, r);
    const tampered = report(0, NET_A, 0, NET_B, [1, 1]);
    const recovered = ethers.recoverAddress(reportDigest(f.oracleAddress, f.chainId, tampered), signature);
    await expectNoLatencyChange(f, async () => {
      await expect(f.oracle.submitReport(reportArg(tampered), signature))
        .to.be.revertedWithCustomError(f.oracle, "OracleBadSignature")
        .withArgs(recovered, key.address);
      for (const bad of ["0x", signature.slice(0, -2), concat([signature, "0x00"])]) {
        await expect(f.oracle.submitReport(reportArg(r), bad))
          .to.be.revertedWithCustomError(f.oracle, "OracleBadSignature")
          .withArgs(ZeroAddress, key.address);
      }
    });
  });
});
