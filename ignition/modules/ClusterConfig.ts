import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Cluster-wide parameters and the guardian's pause (contracts/governance/ClusterConfig.sol,
 * docs/GOVERNANCE.md §4–5). The one place where parameters live; only governance changes them, each
 * within hard bounds fixed in code.
 *
 * Parameters (all under "ClusterConfig"; times in seconds, amounts in wei):
 * - maxFanOut, maxDepth, minStake   registration limits (required)
 * - forcedDeadline (7 days), forcedFee (1e15), forcedPerBlock (10)
 * - electionVotingPeriod (3 days), electionBond (1e18)
 * - upgradeDelay (7 days), pauseDuration (90 days), delta (1 hour)
 * - governance   holder of DEFAULT_ADMIN_ROLE (default: deployer; `Cluster` hands it to the timelock)
 * - guardian     may pause user entry points once, until the pause expires (default: deployer)
 */
export default buildModule("ClusterConfig", (m) => {
  const deployer = m.getAccount(0);
  const governance = m.getParameter("governance", deployer);
  const guardian = m.getParameter("guardian", deployer);
  const params = {
    forcedDeadline: m.getParameter<bigint>("forcedDeadline", 7n * 86_400n),
    forcedFee: m.getParameter<bigint>("forcedFee", 10n ** 15n),
    forcedPerBlock: m.getParameter<bigint>("forcedPerBlock", 10n),
    electionVotingPeriod: m.getParameter<bigint>("electionVotingPeriod", 3n * 86_400n),
    electionBond: m.getParameter<bigint>("electionBond", 10n ** 18n),
    maxFanOut: m.getParameter<bigint>("maxFanOut"),
    maxDepth: m.getParameter<bigint>("maxDepth"),
    minStake: m.getParameter<bigint>("minStake"),
    upgradeDelay: m.getParameter<bigint>("upgradeDelay", 7n * 86_400n),
    pauseDuration: m.getParameter<bigint>("pauseDuration", 90n * 86_400n),
    delta: m.getParameter<bigint>("delta", 3_600n),
  };
  const clusterConfig = m.contract("ClusterConfig", [governance, guardian, params]);
  return { clusterConfig };
});
