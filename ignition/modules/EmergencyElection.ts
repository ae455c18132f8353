import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import GovernanceModule from "./Governance.ts";

/**
 * Emergency-control elections (DESIGN.md §4, contracts/security/EmergencyElection.sol): the strict descendants of a
 * chain replace its operator by a strict majority. Deploys `EmergencyElection` with the registry and, as its
 * treasury (forfeited bonds and the non-initiator half of slashed stakes), the cluster timelock; then grants it the
 * registry's ELECTION_ROLE, so the deployer must still hold the registry's admin role (as after `Registry`, before
 * `Cluster` hands it to the timelock). The voting period and the bond are cluster parameters (`ClusterConfig`:
 * ElectionVotingPeriod, ElectionBond), read at each election.
 *
 * No parameters of its own; it uses the Governance module (and so its parameters and those of Registry).
 */
export default buildModule("EmergencyElection", (m) => {
  const { registry, timelock } = m.useModule(GovernanceModule);

  const emergencyElection = m.contract("EmergencyElection", [registry, timelock]);

  const electionRole = m.staticCall(registry, "ELECTION_ROLE", [], 0, { id: "electionRole" });
  m.call(registry, "grantRole", [electionRole, emergencyElection], { id: "grantElection" });

  return { emergencyElection };
});
