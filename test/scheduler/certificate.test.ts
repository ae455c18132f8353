/**
 * The checker (the TypeScript mirror of LeaderSchedule.propose) rejects tampered schedules and certificates,
 * each with its reason. Base case: the seed matrix with E = 6, A nodes at most 2 epochs, B nodes at most 3,
 * R = 2 (optimum T* = 40, sum 203, cut S = {s, A2}; derivation in solver.test.ts).
 */
import { expect } from "chai";

import {
  checkCut,
  checkSchedule,
  cutBalance,
  MISSING,
  solveTwoNetworks,
  type Cut,
  type Schedule,
  type TwoNetworkInstance,
} from "../../src/scheduler/index.ts";

const L = [
  [32, 35],
  [27, 28],
  [40, 42],
];
const INST: TwoNetworkInstance = {
  latency: L,
  epochs: 6,
  minShareA: 0,
  maxShareA: 2,
  minShareB: 0,
  maxShareB: 3,
  maxRun: 2,
};
// a valid optimal schedule, written out: pairs (2,0) (1,1) (0,0) (2,0) (1,1) (0,1)
const SCHEDULE: Schedule = { leadersA: [2, 1, 0, 2, 1, 0], leadersB: [0, 1, 0, 0, 1, 1], threshold: 40, sum: 203 };
const CUT: Cut = { sourceIn: true, sinkIn: false, inA: [false, false, true], inB: [false, false] };

function withClaims(leadersA: number[], leadersB: number[], latency = L): Schedule {
  let threshold = 0;
  let sum = 0;
  leadersA.forEach((a, e) => {
    const l = latency[a]![leadersB[e]!]!;
    threshold = Math.max(threshold, l);
    sum += l;
  });
  return { leadersA, leadersB, threshold, sum };
}

function reasonOf(inst: TwoNetworkInstance, schedule: Schedule, cut: Cut): string {
  const r = checkSchedule(inst, schedule, cut);
  expect(r.ok, "expected a rejection").to.equal(false);
  return r.ok ? "" : r.reason;
}

describe("scheduler: checkSchedule / checkCut reject tampering", function () {
  it("test_checkSchedule_acceptsTheOptimum", function () {
    expect(checkSchedule(INST, SCHEDULE, CUT)).to.deep.equal({ ok: true });
    expect(cutBalance(INST, CUT)).to.deep.equal({ lowerIn: 6, upperOut: 4 });
    const solved = solveTwoNetworks(INST);
    expect(solved.cut).to.deep.equal(CUT);
  });

  /*
   * Every single-bit flip of S = {s, A2} breaks the certificate (lowerIn / upperOut after the flip):
   *   sourceIn: S = {A2}           lowerIn 0 (s → A2, lower 0)  upperOut 0          → not violated
   *   sinkIn:   S = {s, t, A2}     lowerIn 0                    upperOut 2 + 2      → not violated
   *   inA[0]:   S = {s, A0, A2}    edge A0 → B0 (32 < 40) leaves S                  → crosses an edge
   *   inA[1]:   S = {s, A1, A2}    edge A1 → B0 (27 < 40) leaves S                  → crosses an edge
   *   inA[2]:   S = {s}            lowerIn 6                    upperOut 2 + 2 + 2  → not violated
   *   inB[0]:   S = {s, A2, B0}    lowerIn 6                    upperOut 4 + 3      → not violated
   *   inB[1]:   S = {s, A2, B1}    lowerIn 6                    upperOut 4 + 3      → not violated
   */
  it("test_checkCut_rejectsEverySingleBitFlip", function () {
    const flips: [string, (c: Cut) => void, RegExp][] = [
      ["sourceIn", (c) => (c.sourceIn = !c.sourceIn), /^ScheduleCutNotViolated: lowerIn 0 <= upperOut 0/],
      ["sinkIn", (c) => (c.sinkIn = !c.sinkIn), /^ScheduleCutNotViolated: lowerIn 0 <= upperOut 4/],
      ["inA[0]", (c) => (c.inA[0] = !c.inA[0]), /^ScheduleCutCrossesEdge: edge A_0 -> B_0 \(latency 32 < 40\)/],
      ["inA[1]", (c) => (c.inA[1] = !c.inA[1]), /^ScheduleCutCrossesEdge: edge A_1 -> B_0 \(latency 27 < 40\)/],
      ["inA[2]", (c) => (c.inA[2] = !c.inA[2]), /^ScheduleCutNotViolated: lowerIn 6 <= upperOut 6/],
      ["inB[0]", (c) => (c.inB[0] = !c.inB[0]), /^ScheduleCutNotViolated: lowerIn 6 <= upperOut 7/],
      ["inB[1]", (c) => (c.inB[1] = !c.inB[1]), /^ScheduleCutNotViolated: lowerIn 6 <= upperOut 7/],
    ];
    for (const [name, flip, reason] of flips) {
      const cut: Cut = { ...CUT, inA: CUT.inA.slice(), inB: CUT.inB.slice() };
      flip(cut);
      expect(reasonOf(INST, SCHEDULE, cut), name).to.match(reason);
    }
  });

  it("test_checkCut_rejectsWrongMaskLengths", function () {
    expect(reasonOf(INST, SCHEDULE, { ...CUT, inA: [false, false, true, false] })).to.match(
      /^cut masks have lengths 4, 2/,
    );
    expect(reasonOf(INST, SCHEDULE, { ...CUT, inB: [false] })).to.match(/^cut masks have lengths 3, 1/);
  });

  it("test_checkSchedule_rejectsChangedLeader", function () {
    for (let e = 0; e < 6; e++) {
      for (const side of ["A", "B"] as const) {
        const size = side === "A" ? 3 : 2;
        const original = side === "A" ? SCHEDULE.leadersA[e]! : SCHEDULE.leadersB[e]!;
        for (let x = 0; x < size; x++) {
          if (x === original) continue;
          const leadersA = SCHEDULE.leadersA.slice();
          const leadersB = SCHEDULE.leadersB.slice();
          (side === "A" ? leadersA : leadersB)[e] = x;
          // claims left as they were: the claimed threshold or sum no longer matches
          expect(reasonOf(INST, { ...SCHEDULE, leadersA, leadersB }, CUT)).to.match(
            /^(pair above the claimed threshold|threshold mismatch|sum mismatch)/,
          );
          // honest claims: every node is at its maximum share, so the changed one exceeds it
          expect(reasonOf(INST, withClaims(leadersA, leadersB), CUT)).to.match(
            new RegExp(`^ScheduleShareViolated: ${side} node ${x} leads ${side === "A" ? 3 : 4} epochs`),
          );
        }
      }
    }
  });

  it("test_checkSchedule_rejectsMinimumShareViolation", function () {
    const inst = { ...INST, epochs: 4, minShareA: 1, maxShareA: 4, minShareB: 1, maxShareB: 4, maxRun: 1 };
    // A2 never leads: cheaper (T = 32) but breaks A2's minimum share
    const schedule = withClaims([1, 0, 1, 0], [1, 0, 1, 0]);
    expect(schedule.threshold).to.equal(32);
    expect(reasonOf(inst, schedule, CUT)).to.match(/^ScheduleShareViolated: A node 2 leads 0 epochs, bounds \[1, 4\]/);
  });

  it("test_checkSchedule_rejectsRunTooLong", function () {
    // same pairs as SCHEDULE, B0 three times in a row
    const b = withClaims([2, 2, 0, 1, 1, 0], [0, 0, 0, 1, 1, 1]);
    expect(b.threshold).to.equal(40);
    expect(b.sum).to.equal(203);
    expect(reasonOf(INST, b, CUT)).to.match(
      /^ScheduleRunTooLong: B node 0 leads 3 consecutive epochs ending at epoch 2/,
    );
    // R = 1: A1 twice in a row
    const inst = { ...INST, epochs: 3, maxShareA: 3, maxShareB: 3, maxRun: 1 };
    const cut: Cut = { sourceIn: true, sinkIn: false, inA: [true, false, true], inB: [false, false] };
    expect(checkSchedule(inst, withClaims([1, 0, 1], [1, 0, 1]), cut)).to.deep.equal({ ok: true });
    expect(reasonOf(inst, withClaims([1, 1, 0], [1, 0, 1]), cut)).to.match(/^ScheduleRunTooLong: A node 1 leads 2/);
  });

  it("test_checkSchedule_rejectsWrongLength", function () {
    const short = { ...SCHEDULE, leadersA: SCHEDULE.leadersA.slice(0, 5), leadersB: SCHEDULE.leadersB.slice(0, 5) };
    expect(reasonOf(INST, short, CUT)).to.match(/^ScheduleWrongLength: leadersA 5, leadersB 5, expected 6/);
    const long = { ...SCHEDULE, leadersA: [...SCHEDULE.leadersA, 0], leadersB: [...SCHEDULE.leadersB, 0] };
    expect(reasonOf(INST, long, CUT)).to.match(/^ScheduleWrongLength: leadersA 7, leadersB 7/);
    const ragged = { ...SCHEDULE, leadersB: SCHEDULE.leadersB.slice(0, 5) };
    expect(reasonOf(INST, ragged, CUT)).to.match(/^ScheduleWrongLength: leadersA 6, leadersB 5/);
  });

  it("test_checkSchedule_rejectsNodeOutOfRange", function () {
    for (const bad of [3, -1, 1.5]) {
      const leadersA = SCHEDULE.leadersA.slice();
      leadersA[4] = bad;
      expect(reasonOf(INST, { ...SCHEDULE, leadersA }, CUT)).to.match(
        new RegExp(`^ScheduleNodeOutOfRange: epoch 4, A node ${bad}`),
      );
    }
    const leadersB = SCHEDULE.leadersB.slice();
    leadersB[0] = 2;
    expect(reasonOf(INST, { ...SCHEDULE, leadersB }, CUT)).to.match(/^ScheduleNodeOutOfRange: epoch 0, B node 2/);
  });

  it("test_checkSchedule_rejectsMissingLatency", function () {
    const latency = L.map((r) => r.slice());
    latency[0]![1] = MISSING;
    const inst = { ...INST, latency };
    expect(reasonOf(inst, SCHEDULE, CUT)).to.match(/^ScheduleMissingLatency: epoch 5/);
  });

  it("test_checkSchedule_rejectsPairAboveClaimedThreshold", function () {
    expect(reasonOf(INST, { ...SCHEDULE, threshold: 39 }, CUT)).to.match(
      /^pair above the claimed threshold: epoch 0 has latency 40 > threshold 39/,
    );
    expect(reasonOf(INST, { ...SCHEDULE, threshold: 41 }, CUT)).to.match(/^threshold mismatch: claimed 41/);
    expect(reasonOf(INST, { ...SCHEDULE, sum: 202 }, CUT)).to.match(/^sum mismatch: claimed 202, actual 203/);
  });

  it("test_checkCut_rejectsCutForAnotherThreshold", function () {
    // without share bounds the optimum is 27; a schedule at 32 cannot reuse a cut, nor be certified
    const inst = { ...INST, maxShareA: 6, maxShareB: 6, maxRun: 6 };
    const opt = solveTwoNetworks(inst);
    expect(opt.schedule.threshold).to.equal(27);
    const worse = withClaims([0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]);
    expect(reasonOf(inst, worse, opt.cut)).to.match(/^ScheduleCutCrossesEdge: edge A_1 -> B_0 \(latency 27 < 32\)/);
    expect(checkCut(inst, opt.cut, 27)).to.deep.equal({ ok: true });
    expect(checkCut(inst, opt.cut, 28).ok).to.equal(false);
  });
});
