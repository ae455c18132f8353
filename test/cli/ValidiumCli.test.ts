/**
 * The CLI's reference-validium commands (src/cli/validium-commands.ts): genesis, deposit, signing a
 * transfer and a withdrawal into a node's mempool, and node-run (sync, prove, settle) against the
 * ReferenceValidium module's contracts.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { parseEther, toBeHex } from "ethers";

import { CliError } from "../../src/cli/registry-commands.ts";
import { deposit, genesis, instanceShape, nodeRun, signOp } from "../../src/cli/validium-commands.ts";
import { getCrypto, genesisRoot, Wallet } from "../../src/ledger/index.ts";
import { readState } from "../../src/node/store.ts";
import { networkHelpers } from "../helpers/fixtures.ts";
import { validiumFixture } from "../helpers/validium.ts";
import { expectRejection } from "../helpers/assertions.ts";

const rejectsWithCliError = (p: Promise<unknown>, pattern?: RegExp) => expectRejection(p, CliError, pattern);
import { releaseCurveWorkers } from "../../src/prover/cpu-backend.ts";

describe("CLI: reference validium commands", function () {
  after(async function () {
    await releaseCurveWorkers();
  });

  it("test_cli_genesisIsTheLedgersGenesisRoot", async function () {
    const crypto = await getCrypto();
    expect(await genesis({})).to.deep.equal([toBeHex(genesisRoot(crypto, 8), 32)]);
    expect(await genesis({ instance: "ledger_k2_d4" })).to.deep.equal([toBeHex(genesisRoot(crypto, 4), 32)]);
    expect(instanceShape("ledger_k4_d8")).to.deep.equal({ K: 4, D: 8 });
    await rejectsWithCliError(genesis({ instance: "test_five" }), /not a ledger instance/);
  });

  it("test_cli_depositSignAndNodeRunSettleARealProof", async function () {
    const f = await networkHelpers.loadFixture(validiumFixture);
    const user = f.users[0]!;
    const q = f.queue.connect(user);
    const lines = await deposit(q, user.address, { chain: "1", slot: "0", seed: "cli-alice", eth: "1.5" });
    expect(lines[0]).to.match(/^deposited 1\.5 ETH into chain 1 slot 0 \(queue position 1\)/);
    await rejectsWithCliError(deposit(q, user.address, { chain: "1", slot: "0", eth: "1" }), /--seed/);
    await rejectsWithCliError(deposit(q, user.address, { chain: "1", slot: "x", seed: "a", eth: "1" }), /--slot/);
    await deposit(q, user.address, { chain: "1", slot: "1", seed: "cli-bob", eth: "0.5" });

    const dataDir = mkdtempSync(path.join(tmpdir(), "clusterkit-cli-node-"));
    const run1 = await nodeRun(f.registry, f.queue, f.operators[0]!, { chain: "1", "data-dir": dataDir });
    expect(run1.join("\n")).to.match(/batch 1: 2 deposit\(s\)/);

    await signOp("transfer", { "data-dir": dataDir, seed: "cli-alice", from: "0", to: "1", amount: "1000" });
    const out = await signOp("withdraw", {
      "data-dir": dataDir,
      seed: "cli-bob",
      from: "1",
      recipient: user.address,
      amount: String(parseEther("0.1")),
    });
    expect(out[0]).to.match(/nonce 0\) added to the mempool \(2 waiting\)/);
    await rejectsWithCliError(
      signOp("transfer", { "data-dir": dataDir, seed: "cli-mallory", from: "0", to: "1", amount: "1" }),
      /not an account of this key/,
    );

    const run2 = await nodeRun(f.registry, f.queue, f.operators[0]!, { chain: "1", "data-dir": dataDir });
    expect(run2.join("\n")).to.match(/batch 2: 0 deposit\(s\), 1 transfer\(s\), 1 withdrawal\(s\)/);
    const state = readState(path.join(dataDir, "state.json"))!;
    expect(state.mempool).to.have.length(0);
    const [, info] = await f.registry.latestCommitment(1n);
    expect(BigInt(info.root)).to.equal(BigInt(state.ledger.stateRoot));
    const bob = Wallet.fromSeed("cli-bob", await getCrypto());
    expect(state.ledger.accounts.find((a) => a.index === 1)!.keyHash).to.equal(bob.keyHash.toString());
  });
});
