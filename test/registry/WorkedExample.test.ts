/**
 * The worked example of DESIGN.md §2 / docs/PROTOCOL.md §5, block by block: every commitment of every
 * chain, with its (a, b) and status, after every block.
 */
import { expect } from "chai";

import { demoRoot, formatRow, readCommitments, updateData } from "../../src/sdk/registry.ts";
import { ethers, networkHelpers, registryFixture } from "../helpers/fixtures.ts";

const V = 1n,
  C1 = 2n,
  C2 = 3n,
  C3 = 4n,
  G = 5n;
const NAMES = new Map([
  [V, "V"],
  [C1, "C1"],
  [C2, "C2"],
  [C3, "C3"],
  [G, "G"],
]);
/**
 * The example's block 10 is T0 + 10 here: T0 is the first multiple of 100 after the fixture's blocks
 * (the fixture may be restored at any height, depending on which test file loaded it first).
 */

/** Expected state after each block of the example; commitments listed by chain, then index. */
const EXPECTED: Array<[number, string[]]> = [
  [10, ["V#0 1/5 final", "V#1 0/5 pending", "C1#0 0/2 final", "C2#0 0/1 final", "C3#0 0/1 final", "G#0 0/1 final"]],
  [
    11,
    [
      "V#0 2/5 final",
      "V#1 1/5 pending",
      "C1#0 1/2 final",
      "C1#1 0/2 pending",
      "C2#0 0/1 final",
      "C3#0 0/1 final",
      "G#0 0/1 final",
    ],
  ],
  [
    12,
    [
      "V#0 3/5 final",
      "V#1 2/5 pending",
      "C1#0 2/2 final",
      "C1#1 1/2 pending",
      "C2#0 0/1 final",
      "C3#0 0/1 final",
      "G#0 1/1 final",
      "G#1 0/1 pending",
    ],
  ],
  [
    13,
    [
      "V#0 pruned",
      "V#1 3/5 final",
      "V#2 0/5 pending",
      "C1#0 2/2 final",
      "C1#1 1/2 pending",
      "C2#0 0/1 final",
      "C3#0 0/1 final",
      "G#0 1/1 final",
      "G#1 0/1 pending",
    ],
  ],
  [
    14,
    [
      "V#0 pruned",
      "V#1 4/5 final",
      "V#2 1/5 pending",
      "C1#0 2/2 final",
      "C1#1 1/2 pending",
      "C2#0 1/1 final",
      "C2#1 0/1 pending",
      "C3#0 0/1 final",
      "G#0 1/1 final",
      "G#1 0/1 pending",
    ],
  ],
  [
    15,
    [
      "V#0 pruned",
      "V#1 4/5 final",
      "V#2 2/5 pending",
      "C1#0 pruned",
      "C1#1 2/2 final",
      "C1#2 0/2 pending",
      "C2#0 1/1 final",
      "C2#1 0/1 pending",
      "C3#0 0/1 final",
      "G#0 1/1 final",
      "G#1 0/1 pending",
    ],
  ],
  [
    16,
    [
      "V#0 pruned",
      "V#1 pruned",
      "V#2 3/5 final",
      "C1#0 pruned",
      "C1#1 2/2 final",
      "C1#2 0/2 pending",
      "C2#0 1/1 final",
      "C2#1 0/1 pending",
      "C3#0 1/1 final",
      "C3#1 0/1 pending",
      "G#0 1/1 final",
      "G#1 0/1 pending",
    ],
  ],
];

describe("ValidiumRegistry: the worked example", function () {
  it("test_workedExample_everyAcceptancePairAfterEveryBlock", async function () {
    const { registry, verifierAddress, operators } = await networkHelpers.loadFixture(registryFixture);
    const ids = [V, C1, C2, C3, G];
    const parents = [0n, V, V, V, C1];
    const ops = new Map(ids.map((id, i) => [id, operators[i]!]));
    for (let i = 0; i < ids.length; i++) {
      await registry.registerChain(
        ids[i]!,
        parents[i]!,
        ops.get(ids[i]!)!.address,
        verifierAddress,
        demoRoot(ids[i]!, 0),
      );
    }
    expect(await registry.subtreeSize(V)).to.equal(5n);
    expect(await registry.subtreeSize(C1)).to.equal(2n);

    const T0 = Math.ceil(((await ethers.provider.getBlockNumber()) + 1) / 100) * 100;
    const next = new Map(ids.map((id) => [id, 1]));
    const schedule: Array<[number, bigint]> = [
      [10, V],
      [11, C1],
      [12, G],
      [13, V],
      [14, C2],
      [15, C1],
      [16, C3],
    ];
    for (const [blk, id] of schedule) {
      if ((await ethers.provider.getBlockNumber()) < T0 + blk - 1) await networkHelpers.mineUpTo(T0 + blk - 1);
      const j = next.get(id)!;
      // Every update acknowledges everything before its own block.
      const data = updateData(id, demoRoot(id, j - 1), demoRoot(id, j), T0 + blk);
      const tx = await registry.connect(ops.get(id)!).submitUpdate(data, "0x");
      const receipt = await tx.wait();
      expect(receipt!.blockNumber).to.equal(T0 + blk);
      next.set(id, j + 1);

      const rows = await readCommitments(registry);
      const got = rows.map((r) => formatRow(r, NAMES));
      const want = EXPECTED.find(([b]) => b === blk)![1];
      const order = (s: string) => ids.indexOf([...NAMES].find(([, n]) => n === s.split("#")[0])![0]);
      const sorted = [...got].sort((x, y) => order(x) - order(y) || x.localeCompare(y, "en", { numeric: true }));
      expect(sorted, `after block ${blk}`).to.deep.equal(want);
    }
  });
});
