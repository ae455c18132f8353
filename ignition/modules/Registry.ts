import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import ClusterConfigModule from "./ClusterConfig.ts";

/**
 * The validium registry: the tree of chains, their commitments and (a, b) finality, member seats and
 * members' security configurations. Its limits (max fan-out, max depth, minimum stake) and the upgrade
 * delay are read from `ClusterConfig` (parameters under "ClusterConfig"). The registry creates its
 * `ClusterSeats` contract itself.
 *
 * Parameters (all under "Registry"):
 * - registrar      account that admits chains (default: deployer; the timelock after `Cluster`)
 * - statusManager  account that freezes, unfreezes and ejects chains (default: deployer)
 * - approver       account that approves members' security changes (default: deployer)
 *
 * The deployer holds DEFAULT_ADMIN_ROLE after this module; `Cluster` hands every role to the timelock.
 */
export default buildModule("Registry", (m) => {
  const deployer = m.getAccount(0);
  const { clusterConfig } = m.useModule(ClusterConfigModule);
  const registrar = m.getParameter("registrar", deployer);
  const statusManager = m.getParameter("statusManager", deployer);
  const approver = m.getParameter("approver", deployer);

  const registry = m.contract("ValidiumRegistry", [deployer, clusterConfig]);

  const registrarRole = m.staticCall(registry, "REGISTRAR_ROLE", [], 0, { id: "registrarRole" });
  const statusRole = m.staticCall(registry, "STATUS_ROLE", [], 0, { id: "statusRole" });
  const approverRole = m.staticCall(registry, "APPROVER_ROLE", [], 0, { id: "approverRole" });
  m.call(registry, "grantRole", [registrarRole, registrar], { id: "grantRegistrar" });
  m.call(registry, "grantRole", [statusRole, statusManager], { id: "grantStatus" });
  m.call(registry, "grantRole", [approverRole, approver], { id: "grantApprover" });

  const seatsAddress = m.staticCall(registry, "seats", [], 0, { id: "seatsAddress" });
  const seats = m.contractAt("ClusterSeats", seatsAddress, { id: "ClusterSeats" });

  return { registry, clusterConfig, seats };
});
