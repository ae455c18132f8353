import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Latency-optimal leader rotation for one ordered pair of networks (A, B), reading the latency oracle
 * (docs/LATENCY.md §2–4). Deploy one per pair; the module id is fixed, so a second pair needs its own
 * deployment id (`--deployment-id`).
 *
 * Parameters (all under "LeaderSchedule"):
 * - oracle           address of the LatencyOracle (the "latencyOracle" of the Latency module). The parameter
 *                    files carry the zero address, which the constructor refuses: a deployment that was not
 *                    given the real oracle fails instead of pointing at nothing.
 * - networkA         chain id of network A (rows of the oracle's matrix)
 * - networkB         chain id of network B (columns); must differ from A
 * - epochsPerWindow  E: epochs per window (1..65535); window k is measured in epoch k·E − 2 and proposed
 *                    in epoch k·E − 1
 * - minShareA, maxShareA  epochs every node of A leads per window (0 ≤ min ≤ max ≤ E)
 * - minShareB, maxShareB  likewise for B
 * - maxRun           R: the most consecutive epochs a node may lead (≥ 1; R = E means no limit)
 *
 * The contract has no owner and no admin: proposals are permissionless and checked against the oracle.
 * The constructor reverts with ScheduleInvalidConfig on an invalid configuration.
 */
export default buildModule("LeaderSchedule", (m) => {
  const oracle = m.getParameter<string>("oracle");
  const networkA = m.getParameter<bigint>("networkA");
  const networkB = m.getParameter<bigint>("networkB");
  const epochsPerWindow = m.getParameter<number>("epochsPerWindow");
  const minShareA = m.getParameter<number>("minShareA", 0);
  const maxShareA = m.getParameter<number>("maxShareA");
  const minShareB = m.getParameter<number>("minShareB", 0);
  const maxShareB = m.getParameter<number>("maxShareB");
  const maxRun = m.getParameter<number>("maxRun");

  const leaderSchedule = m.contract("LeaderSchedule", [
    oracle,
    networkA,
    networkB,
    { epochsPerWindow, minShareA, maxShareA, minShareB, maxShareB, maxRun },
  ]);

  return { leaderSchedule };
});
