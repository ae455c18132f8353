/**
 * LeaderSchedule through TypeScript: the Ignition module with every parameter file, and the seed example
 * end to end on the real LatencyOracle (reports signed by enclave keys in the measurement epoch, then
 * proposals in the proposal epoch), with the hand-derived cut, the off-chain solver's certificate, and
 * solveOnChain. The contract's own unit, fuzz and gas tests are in test/solidity/LeaderSchedule.t.sol.
 */
import { expect } from "chai";
import { ZeroAddress } from "ethers";

import LeaderScheduleModule from "../../ignition/modules/LeaderSchedule.ts";
import { cutToStruct, solveTwoNetworks } from "../../src/scheduler/index.ts";
import { loadIgnitionParameters } from "../../src/sdk/ignition-params.ts";
import type { LeaderSchedule } from "../../typechain-types/index.ts";
import { ethers, ignition, networkHelpers } from "../helpers/fixtures.ts";
import { goToEpoch, NET_A, NET_B, registeredFixture, SEED_COMBINED_MS, submitSeed } from "../helpers/latency.ts";

interface ScheduleParameters {
  oracle: string;
  networkA: bigint;
  networkB: bigint;
  epochsPerWindow: number;
  minShareA: number;
  maxShareA: number;
  minShareB: number;
  maxShareB: number;
  maxRun: number;
}

const NO_LIMITS = { epochsPerWindow: 4, minShareA: 0, maxShareA: 4, minShareB: 0, maxShareB: 4, maxRun: 4 };
const SEED_US = SEED_COMBINED_MS.map((row) => row.map((ms) => ms * 1000));

async function deploySchedule(parameters: ScheduleParameters): Promise<LeaderSchedule> {
  const { leaderSchedule } = await ignition.deploy(LeaderScheduleModule, {
    parameters: { LeaderSchedule: { ...parameters } },
  });
  return leaderSchedule as unknown as LeaderSchedule;
}

/** The real oracle with the seed reports in epoch 2 (window 1's measurement epoch for E = 4), now in epoch 3. */
async function seedOracleFixture() {
  const f = await registeredFixture();
  await goToEpoch(f, 2);
  await submitSeed(f, 2);
  await goToEpoch(f, 3);
  return f;
}

describe("LeaderSchedule: Ignition module", function () {
  for (const file of ["hardhat", "localhost", "sepolia.example"]) {
    it(`test_module_deploysWithParameterFile_${file}`, async function () {
      const all = loadIgnitionParameters(`ignition/parameters/${file}.json`);
      const parameters = all.LeaderSchedule as unknown as ScheduleParameters;
      expect(parameters, "a LeaderSchedule section").to.not.equal(undefined);
      expect(parameters.oracle, "the files leave the oracle to the deployer").to.equal(ZeroAddress);
      const mock = await ethers.deployContract("MockLatencyOracle");
      const schedule = await deploySchedule({ ...parameters, oracle: await mock.getAddress() });
      expect(await schedule.oracle()).to.equal(await mock.getAddress());
      const [a, b] = await schedule.networks();
      expect([a, b]).to.deep.equal([parameters.networkA, parameters.networkB]);
      const cfg = await schedule.config();
      expect(cfg.epochsPerWindow).to.equal(BigInt(parameters.epochsPerWindow));
      expect(cfg.minShareA).to.equal(BigInt(parameters.minShareA));
      expect(cfg.maxShareA).to.equal(BigInt(parameters.maxShareA));
      expect(cfg.minShareB).to.equal(BigInt(parameters.minShareB));
      expect(cfg.maxShareB).to.equal(BigInt(parameters.maxShareB));
      expect(cfg.maxRun).to.equal(BigInt(parameters.maxRun));
    });
  }

  it("test_module_refusesTheZeroOracle", async function () {
    const parameters = loadIgnitionParameters("ignition/parameters/hardhat.json")
      .LeaderSchedule as unknown as ScheduleParameters;
    let message = "";
    try {
      await deploySchedule(parameters);
    } catch (e) {
      message = String((e as Error).message);
    }
    expect(message).to.match(/ScheduleInvalidConfig/);
  });
});

describe("LeaderSchedule: seed example on the real LatencyOracle", function () {
  it("test_propose_seedOptimumWithHandCut", async function () {
    const f = await networkHelpers.loadFixture(seedOracleFixture);
    const schedule = await deploySchedule({ oracle: f.oracleAddress, networkA: NET_A, networkB: NET_B, ...NO_LIMITS });
    expect(await f.oracle.currentEpoch()).to.equal(3n);
    await expect(schedule.propose(1, [1, 1, 1, 1], [0, 0, 0, 0], { sourceIn: true, sinkIn: false, maskA: 7, maskB: 0 }))
      .to.emit(schedule, "ScheduleAccepted")
      .withArgs(1n, f.admin.address, 27_000, 108_000);
    for (let epoch = 4n; epoch < 8n; epoch++) {
      expect(await schedule.leaderAt(NET_A, epoch)).to.deep.equal([1n, true]);
      expect(await schedule.leaderAt(NET_B, epoch)).to.deep.equal([0n, true]);
    }
    // Window 2 has no schedule: round robin.
    expect(await schedule.leaderAt(NET_A, 8n)).to.deep.equal([2n, false]);
    expect(await schedule.leaderAt(NET_B, 9n)).to.deep.equal([1n, false]);
  });

  it("test_propose_offChainCertificateAccepted", async function () {
    const f = await networkHelpers.loadFixture(seedOracleFixture);
    // R = 2: T = 32000 with the effective bound hi' = 3 (docs/LATENCY.md §2); and max share 2.
    for (const cfg of [
      { ...NO_LIMITS, maxRun: 2 },
      { ...NO_LIMITS, maxShareA: 2, maxShareB: 2 },
      { ...NO_LIMITS, minShareB: 1 },
    ]) {
      const solved = solveTwoNetworks({ latency: SEED_US, epochs: 4, ...cfg });
      expect(solved.stats.optimal, "certified").to.equal(true);
      const schedule = await deploySchedule({ oracle: f.oracleAddress, networkA: NET_A, networkB: NET_B, ...cfg });
      const { leadersA, leadersB, threshold, sum } = solved.schedule;
      await expect(schedule.propose(1, leadersA, leadersB, cutToStruct(solved.cut)))
        .to.emit(schedule, "ScheduleAccepted")
        .withArgs(1n, f.admin.address, threshold, sum);
      // solveOnChain finds the same bottleneck, and cannot beat the stored (T, sum).
      await expect(schedule.solveOnChain(1)).to.be.revertedWithCustomError(schedule, "ScheduleNotBetter");
    }
  });

  it("test_solveOnChain_seedOptimum", async function () {
    const f = await networkHelpers.loadFixture(seedOracleFixture);
    const schedule = await deploySchedule({ oracle: f.oracleAddress, networkA: NET_A, networkB: NET_B, ...NO_LIMITS });
    await expect(schedule.solveOnChain(1))
      .to.emit(schedule, "ScheduleAccepted")
      .withArgs(1n, f.admin.address, 27_000, 108_000);
    const stored = await schedule.scheduleOf(1);
    expect(stored.leadersA).to.deep.equal([1n, 1n, 1n, 1n]);
    expect(stored.leadersB).to.deep.equal([0n, 0n, 0n, 0n]);
  });

  it("test_propose_revertsOutsideProposalEpoch", async function () {
    const f = await networkHelpers.loadFixture(seedOracleFixture);
    const schedule = await deploySchedule({ oracle: f.oracleAddress, networkA: NET_A, networkB: NET_B, ...NO_LIMITS });
    await goToEpoch(f, 4);
    await expect(schedule.propose(1, [1, 1, 1, 1], [0, 0, 0, 0], { sourceIn: true, sinkIn: false, maskA: 7, maskB: 0 }))
      .to.be.revertedWithCustomError(schedule, "ScheduleNotProposalTime")
      .withArgs(1n, 4n);
  });
});
