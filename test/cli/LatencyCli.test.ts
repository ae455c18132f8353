/**
 * The CLI's latency commands (src/cli/latency-commands.ts): `schedule` on a matrix file and on the chain
 * (with --submit), and `report` from a key file, against the Ignition-deployed oracle and schedule.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import LeaderScheduleModule from "../../ignition/modules/LeaderSchedule.ts";
import { report, scheduleFromChain, scheduleFromFile } from "../../src/cli/latency-commands.ts";
import { CliError } from "../../src/cli/registry-commands.ts";
import type { LeaderSchedule } from "../../typechain-types/index.ts";
import { ignition, networkHelpers } from "../helpers/fixtures.ts";
import { enclaveWallet, goToEpoch, NET_A, NET_B, registeredFixture, SEED_A, SEED_B } from "../helpers/latency.ts";

const dir = mkdtempSync(path.join(tmpdir(), "clusterkit-cli-"));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe("CLI: latency commands", function () {
  it("test_cli_scheduleFromFileWithShareBounds", function () {
    const csv = file("seed.csv", "# seed matrix, µs\n32000,35000\n27000,28000\n40000,42000\n");
    // docs/LATENCY.md §6 case (b): every A node leads exactly 2 of 6 epochs, so node 3 (40 ms) must lead.
    const lines = scheduleFromFile({
      matrix: csv,
      epochs: "6",
      "max-share-a": "2",
      "max-share-b": "3",
      "max-run": "2",
    });
    expect(lines).to.have.length(9);
    expect(lines[7]).to.match(/^bottleneck 40\.000 ms \(proven optimal by the cut\), sum 203\.000 ms \(minimal\)/);
    const free = scheduleFromFile({
      matrix: file("seed.json", '{"latency": [[32000,35000],[27000,28000],[40000,42000]]}'),
    });
    expect(free[free.length - 2]).to.match(/^bottleneck 27\.000 ms \(proven optimal by the cut\)/);
  });

  it("test_cli_scheduleRejectsBadInput", function () {
    expect(() => scheduleFromFile({})).to.throw(CliError);
    expect(() => scheduleFromFile({ matrix: file("bad.csv", "1,x\n") })).to.throw(
      CliError,
      /not a nonnegative integer/,
    );
    expect(() => scheduleFromFile({ matrix: path.join(dir, "absent.csv") })).to.throw(CliError, /cannot read/);
    expect(() => scheduleFromFile({ matrix: file("ok.csv", "1,2\n"), epochs: "-1" })).to.throw(CliError);
  });

  it("test_cli_reportThenScheduleFromChainAndSubmit", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    const { leaderSchedule } = await ignition.deploy(LeaderScheduleModule, {
      parameters: {
        LeaderSchedule: {
          oracle: f.oracleAddress,
          networkA: NET_A,
          networkB: NET_B,
          epochsPerWindow: 4,
          minShareA: 0,
          maxShareA: 4,
          minShareB: 0,
          maxShareB: 4,
          maxRun: 4,
        },
      },
    });
    const schedule = leaderSchedule as unknown as LeaderSchedule;
    await goToEpoch(f, 2); // window 1 (E = 4) is measured in epoch 2
    for (const [net, rows, peer] of [
      [NET_A, SEED_A, NET_B],
      [NET_B, SEED_B, NET_A],
    ] as const) {
      for (const [node, rtts] of rows.entries()) {
        const keyFile = file(
          `key-${net}-${node}.json`,
          JSON.stringify({ privateKey: enclaveWallet(net, node).privateKey, network: Number(net), node }),
        );
        const out = await report(f.oracle, { "key-file": keyFile, "peer-network": String(peer), rtts: rtts.join(",") });
        expect(out[0]).to.match(
          new RegExp(`^node ${node} of network ${net} reported ${rtts.length} RTTs .* epoch 2: tx`),
        );
      }
    }
    await goToEpoch(f, 3);
    const lines = await scheduleFromChain(schedule, f.oracle, { window: "1", submit: true });
    expect(lines[0]).to.equal("window 1: epochs 4..7, matrix of epoch 2 (3×2)");
    expect(lines.at(-1)).to.match(/^proposed: tx 0x[0-9a-f]+ in block \d+, gas \d+$/);
    const stored = await schedule.scheduleOf(1n);
    expect(stored.threshold).to.equal(27_000n);
    expect(stored.leadersA.map(Number)).to.deep.equal([1, 1, 1, 1]);
    expect(stored.leadersB.map(Number)).to.deep.equal([0, 0, 0, 0]);
  });

  it("test_cli_reportRejectsBadInput", async function () {
    const f = await networkHelpers.loadFixture(registeredFixture);
    const keyFile = file(
      "k.json",
      JSON.stringify({ privateKey: enclaveWallet(NET_A, 0).privateKey, network: 11, node: 0 }),
    );
    for (const o of [
      { "peer-network": "22", rtts: "1,2" },
      { "key-file": path.join(dir, "absent.json"), "peer-network": "22", rtts: "1,2" },
      { "key-file": keyFile, "peer-network": "22" },
      { "key-file": keyFile, "peer-network": "22", rtts: "1,zz" },
      { "key-file": keyFile, rtts: "1,2" },
    ]) {
      try {
        await report(f.oracle, o);
        expect.fail("expected a CliError");
      } catch (e) {
        expect(e).to.be.instanceOf(CliError);
      }
    }
    // A well-formed report of the wrong length reaches the contract and is refused there.
    await expect(report(f.oracle, { "key-file": keyFile, "peer-network": "22", rtts: "1" }))
      .to.be.revertedWithCustomError(f.oracle, "OracleMalformedReport")
      .withArgs(1n, 2n);
  });
});
