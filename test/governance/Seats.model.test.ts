/**
 * Model-based test of membership: random short sequences of admit / freeze / unfreeze / eject (and
 * invalid status changes), each executed by a real proposal through the governor and the timelock, are
 * compared with a plain TypeScript model of the member set. After deployment and after every step the
 * seat invariant holds (`assertSeatInvariant`: seatCount = number of Active or Frozen chains, each with
 * exactly one seat owned by its governance address, votes = seats), and the registry's statuses and
 * governance addresses equal the model's.
 *
 * Each step is several transactions (propose, one vote per holder, queue, execute), so runs are few and
 * short. Reproduce with SEATS_MODEL_SEED=<seed>; SEATS_MODEL_RUNS changes the number of runs.
 */
import { expect } from "chai";
import fc from "fast-check";

import { admitProposal, ejectProposal, execute, queue, type ProposalActions } from "../../src/sdk/governance.ts";
import { ChainStatus } from "../../src/sdk/registry.ts";
import {
  admissionFor,
  assertSeatInvariant,
  clusterFixture,
  ethers,
  networkHelpers,
  nextChainId,
  passByAll,
  proposeAndVote,
  readChains,
  readMembers,
  untilEta,
  type ClusterFixture,
} from "../helpers/governance.ts";

const SEED = Number(process.env.SEATS_MODEL_SEED ?? 0x5ea7);
const RUNS = Number(process.env.SEATS_MODEL_RUNS ?? 5);
const MAX_OPS = 6;

type Op =
  | { kind: "admit"; governance: number; parent: number | null }
  /** Freezes an Active member or unfreezes a Frozen one. */
  | { kind: "toggle"; pick: number }
  | { kind: "eject"; pick: number }
  /** A status change the registry refuses: to the chain's own status or to None, or anything once ejected. */
  | { kind: "invalid"; pick: number; to: number };

const admitArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constant("admit" as const),
  // 0: the founder's governance (which then holds two seats), 1..3: applicants.
  governance: fc.nat({ max: 3 }),
  parent: fc.option(fc.nat({ max: 7 }), { nil: null }),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: admitArb },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("toggle" as const), pick: fc.nat({ max: 7 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("eject" as const), pick: fc.nat({ max: 7 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("invalid" as const), pick: fc.nat({ max: 7 }), to: fc.nat({ max: 3 }) }),
  },
);

/** A sequence: an admission first (so there is something to act on), then up to MAX_OPS − 1 more. */
const opsArb: fc.Arbitrary<Op[]> = fc
  .tuple(admitArb, fc.array(opArb, { minLength: 2, maxLength: MAX_OPS - 1 }))
  .map(([first, rest]) => [first, ...rest]);

/**
 * One hand-written sequence, run before the random ones, that reaches every kind of step: a holder of two
 * seats (the founder's governance governs chain 3 too), a child chain, freeze and unfreeze, a refused
 * change, and the ejection of one of the two seats of the same holder.
 */
const EXAMPLE: Op[] = [
  { kind: "admit", governance: 1, parent: null },
  { kind: "admit", governance: 0, parent: 0 },
  { kind: "toggle", pick: 1 },
  { kind: "invalid", pick: 1, to: 2 },
  { kind: "toggle", pick: 1 },
  { kind: "eject", pick: 2 },
];

/** The model: every registered chain's status and governance address. */
class MembershipModel {
  readonly chains = new Map<bigint, { status: number; governance: string; parent: bigint }>();

  withStatus(...statuses: number[]): bigint[] {
    return [...this.chains].filter(([, c]) => statuses.includes(c.status)).map(([id]) => id);
  }

  members(): bigint[] {
    return this.withStatus(ChainStatus.Active, ChainStatus.Frozen);
  }

  seatsOf(holder: string): number {
    return [...this.chains.values()].filter(
      (c) => c.governance === holder && (c.status === ChainStatus.Active || c.status === ChainStatus.Frozen),
    ).length;
  }
}

function statusProposal(fx: ClusterFixture, chainId: bigint, status: number, step: number): ProposalActions {
  return {
    targets: [fx.addresses.registry],
    values: [0n],
    calldatas: [fx.registry.interface.encodeFunctionData("setChainStatus", [chainId, status])],
    description: `step ${step}: status of chain ${chainId} to ${status}`,
  };
}

/** A proposal that the registry refuses at execution: it stays Queued and nothing changes. */
async function executeRefused(
  fx: ClusterFixture,
  actions: ProposalActions,
  id: bigint,
  from: number,
  to: number,
): Promise<void> {
  const holders = [...new Set((await readMembers(fx.registry)).map((m) => m.governance))];
  const voters = await Promise.all(holders.map((h) => ethers.getSigner(h)));
  const proposalId = await proposeAndVote(
    fx,
    voters[0]!,
    actions,
    voters.map((v) => [v, "for"] as const),
  );
  await queue(fx.governor, actions);
  await untilEta(fx, proposalId);
  await expect(execute(fx.governor, actions))
    .to.be.revertedWithCustomError(fx.registry, "RegistryInvalidStatusChange")
    .withArgs(id, from, to);
  expect(await fx.governor.state(proposalId)).to.equal(5n); // Queued
}

/** Applies `op` to the contracts (by proposal) and to the model; returns a label, or null if skipped. */
async function step(fx: ClusterFixture, model: MembershipModel, op: Op, n: number): Promise<string | null> {
  const pool = [fx.founderGovernance, ...fx.applicants.slice(0, 3)];
  if (op.kind === "admit") {
    const chainId = await nextChainId(fx.registry);
    const active = model.withStatus(ChainStatus.Active);
    const parent = op.parent === null || active.length === 0 ? 0n : active[op.parent % active.length]!;
    const governance = pool[op.governance]!.address;
    await passByAll(fx, admitProposal(fx.addresses.registry, admissionFor(fx, chainId, governance, { parent })));
    model.chains.set(chainId, { status: ChainStatus.Active, governance, parent });
    return `admit ${chainId} under ${parent} (governance #${op.governance})`;
  }
  if (op.kind === "invalid") {
    const all = [...model.chains.keys()];
    const id = all[op.pick % all.length]!;
    const from = model.chains.get(id)!.status;
    // To its own status, or (ejected) to anything: both refused. Status None is refused too.
    const to = from === ChainStatus.Ejected ? op.to : op.to === ChainStatus.None ? ChainStatus.None : from;
    await executeRefused(fx, statusProposal(fx, id, to, n), id, from, to);
    return `refused chain ${id} from ${from} to ${to}`;
  }
  const members = model.members();
  // Never eject the last member: nobody could propose any more.
  if (op.kind === "eject" && members.length < 2) return null;
  const id = members[op.pick % members.length]!;
  if (op.kind === "eject") {
    await passByAll(fx, ejectProposal(fx.addresses.registry, id));
    model.chains.get(id)!.status = ChainStatus.Ejected;
    return `eject ${id}`;
  }
  const frozen = model.chains.get(id)!.status === ChainStatus.Frozen;
  const to = frozen ? ChainStatus.Active : ChainStatus.Frozen;
  await passByAll(fx, statusProposal(fx, id, to, n));
  model.chains.get(id)!.status = to;
  return `${frozen ? "unfreeze" : "freeze"} ${id}`;
}

/** The registry and the seats agree with the model. */
async function compare(fx: ClusterFixture, model: MembershipModel, label: string): Promise<void> {
  const members = await assertSeatInvariant(fx.registry, fx.seats, label);
  const chains = await readChains(fx.registry);
  expect(
    chains.map((c) => [c.chainId, c.status, c.governance]),
    `${label}: chains`,
  ).to.deep.equal([...model.chains].map(([id, c]) => [id, c.status, c.governance]));
  expect(
    members.map((m) => m.chainId),
    `${label}: members`,
  ).to.deep.equal(model.members());
  for (const [id, c] of model.chains) {
    expect((await fx.registry.chain(id)).parent, `${label}: parent of ${id}`).to.equal(c.parent);
  }
  for (const holder of new Set([...model.chains.values()].map((c) => c.governance))) {
    expect(await fx.seats.getVotes(holder), `${label}: votes of ${holder}`).to.equal(BigInt(model.seatsOf(holder)));
  }
}

describe("Seats: model-based membership through proposals", function () {
  it("test_seats_randomAdmitFreezeUnfreezeEjectSequencesMatchTheModel", async function () {
    const stats = { runs: 0, steps: 0, skipped: 0, kinds: new Set<string>() };
    await fc.assert(
      fc.asyncProperty(opsArb, async (ops) => {
        const fx = await networkHelpers.loadFixture(clusterFixture);
        const model = new MembershipModel();
        model.chains.set(fx.founderChainId, {
          status: ChainStatus.Active,
          governance: fx.founderGovernance.address,
          parent: 0n,
        });
        await compare(fx, model, "after deploy");
        const log: string[] = [];
        for (const [i, op] of ops.entries()) {
          const label = await step(fx, model, op, i);
          if (label === null) {
            stats.skipped++;
            continue;
          }
          log.push(label);
          stats.kinds.add(label.split(" ")[0]!);
          if (process.env.SEATS_MODEL_VERBOSE) console.log(`    ${label}`);
          stats.steps++;
          await compare(fx, model, `after ${log.join(" → ")}`);
        }
        stats.runs++;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true, examples: [[EXAMPLE]] },
    );
    expect(stats.runs).to.be.at.least(RUNS);
    expect(stats.steps).to.be.greaterThan(RUNS);
    expect([...stats.kinds].sort()).to.deep.equal(["admit", "eject", "freeze", "refused", "unfreeze"]);
  });
});
