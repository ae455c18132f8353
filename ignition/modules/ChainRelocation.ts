import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import GovernanceModule from "./Governance.ts";

/**
 * Subtree relocation consent (docs/PROTOCOL.md "Relocation"): `ChainRelocation` over the registry, with the
 * cluster timelock as the root acceptor (it accepts moves to the top level), holding the registry's
 * RELOCATOR_ROLE so that an accepted request executes `relocate`. The deployer must still hold the registry's
 * DEFAULT_ADMIN_ROLE (true after `Governance`; `Cluster` hands it to the timelock).
 */
export default buildModule("ChainRelocation", (m) => {
  const { registry, timelock } = m.useModule(GovernanceModule);

  const chainRelocation = m.contract("ChainRelocation", [registry, timelock]);

  const relocatorRole = m.staticCall(registry, "RELOCATOR_ROLE", [], 0, { id: "relocatorRole" });
  m.call(registry, "grantRole", [relocatorRole, chainRelocation], { id: "grantRelocator" });

  return { chainRelocation };
});
