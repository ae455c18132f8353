import { ZeroAddress } from "ethers";
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import RegistryModule from "./Registry.ts";

/**
 * Cluster governance (docs/GOVERNANCE.md): the seats the registry created (one non-transferable ERC-721
 * with ERC-5805 votes per member chain), the timelock, and an OpenZeppelin Governor that executes
 * through it. The governor becomes the timelock's only proposer and canceller; anyone may execute a
 * ready operation. The deployer keeps the timelock's bootstrap admin role until `Cluster` renounces it.
 *
 * Parameters (all under "Governance"; times in seconds, timestamp clock):
 * - minDelay            timelock delay between queue and execute (default 2 days)
 * - votingDelay         between proposal and voting start (default 1 day)
 * - votingPeriod        voting window (default 5 days)
 * - proposalThreshold   seats needed to propose (default 1: any member)
 * - quorumPercent       percent of all seats that must vote for or abstain (default 50)
 */
export default buildModule("Governance", (m) => {
  const deployer = m.getAccount(0);
  const { registry, clusterConfig, seats } = m.useModule(RegistryModule);
  const minDelay = m.getParameter<bigint>("minDelay", 2n * 86_400n);
  const votingDelay = m.getParameter<bigint>("votingDelay", 86_400n);
  const votingPeriod = m.getParameter<bigint>("votingPeriod", 5n * 86_400n);
  const proposalThreshold = m.getParameter<bigint>("proposalThreshold", 1n);
  const quorumPercent = m.getParameter<bigint>("quorumPercent", 50n);

  const timelock = m.contract("ClusterTimelock", [minDelay, [], [ZeroAddress], deployer]);
  const governor = m.contract("ClusterGovernor", [
    seats,
    timelock,
    votingDelay,
    votingPeriod,
    proposalThreshold,
    quorumPercent,
  ]);

  const proposerRole = m.staticCall(timelock, "PROPOSER_ROLE", [], 0, { id: "proposerRole" });
  const cancellerRole = m.staticCall(timelock, "CANCELLER_ROLE", [], 0, { id: "cancellerRole" });
  m.call(timelock, "grantRole", [proposerRole, governor], { id: "grantProposer" });
  m.call(timelock, "grantRole", [cancellerRole, governor], { id: "grantCanceller" });

  return { registry, clusterConfig, seats, timelock, governor };
});
