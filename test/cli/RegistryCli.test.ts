/**
 * The CLI's operator actions (src/cli/registry-commands.ts) against the registry deployed by the
 * Ignition modules: what `npm run cli -- <command>` runs, minus argument parsing and the RPC connection.
 */
import { expect } from "chai";

import { CliError, register, setStatus, show, update } from "../../src/cli/registry-commands.ts";
import { demoRoot } from "../../src/sdk/registry.ts";
import { networkHelpers, registryFixture } from "../helpers/fixtures.ts";

describe("CLI: registry commands", function () {
  it("test_cli_registerUpdateFreezeShow", async function () {
    const { registry, verifierAddress, operators } = await networkHelpers.loadFixture(registryFixture);
    const op = operators[0]!;
    const common = { operator: op.address, verifier: verifierAddress };
    const out1 = await register(registry, { chain: "7", ...common, genesis: demoRoot(7, 0) });
    expect(out1[0]).to.match(/^registered chain 7 under 0: tx 0x[0-9a-f]+ in block \d+, gas \d+$/);
    await register(registry, { chain: "8", parent: "7", ...common, genesis: demoRoot(8, 0) });

    const asOp = registry.connect(op);
    const out2 = await update(asOp, { chain: "8", "new-root": demoRoot(8, 1) });
    expect(out2[0]).to.match(/^chain 8 commitment #1 \(ack \d+\): tx/);
    await update(asOp, { chain: "8", "new-root": demoRoot(8, 2) });
    expect((await registry.chain(8n)).finalizedIndex).to.equal(1n);

    const out3 = await setStatus(registry, { chain: "8", status: "frozen" });
    expect(out3[0]).to.match(/^chain 8 is now frozen/);
    expect(await registry.subtreeSize(7n)).to.equal(1n);

    const lines = await show(registry);
    expect(lines[0]).to.equal("2 chains");
    expect(lines.some((l) => /chain 8 parent 7 frozen b=0/.test(l))).to.equal(true);
    expect(lines).to.include("  chain8#0 pruned");
    expect(lines).to.include("  chain8#1 0/0 final");
    // The freeze discarded the pending #2: a frozen chain shows its final state only.
    expect(lines.some((l) => l.startsWith("  chain8#2"))).to.equal(false);
  });

  it("test_cli_rejectsMalformedArguments", async function () {
    const { registry, verifierAddress, operators } = await networkHelpers.loadFixture(registryFixture);
    const before = await registry.chainCount();
    await expectCliError(
      register(registry, { chain: "x", operator: operators[0]!.address, verifier: verifierAddress }),
    );
    await expectCliError(register(registry, { chain: "1", verifier: verifierAddress }));
    await expectCliError(
      register(registry, { chain: "1", operator: operators[0]!.address, verifier: verifierAddress, genesis: "0x12" }),
    );
    await expectCliError(setStatus(registry, { chain: "1", status: "paused" }));
    await register(registry, { chain: "1", operator: operators[0]!.address, verifier: verifierAddress });
    await expectCliError(update(registry.connect(operators[0]!), { chain: "1" }));
    await expectCliError(
      update(registry.connect(operators[0]!), { chain: "1", "new-root": demoRoot(1, 1), proof: "zz" }),
    );
    expect(await registry.chainCount()).to.equal(before + 1n);
  });

  it("test_cli_surfacesContractErrors", async function () {
    const { registry, verifierAddress, operators, outsider } = await networkHelpers.loadFixture(registryFixture);
    await register(registry, { chain: "1", operator: operators[0]!.address, verifier: verifierAddress });
    await expect(update(registry.connect(outsider), { chain: "1", "new-root": demoRoot(1, 1) }))
      .to.be.revertedWithCustomError(registry, "RegistryNotOperator")
      .withArgs(1n, outsider.address);
  });
});

async function expectCliError(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(CliError);
    return;
  }
  expect.fail("expected a CliError");
}
