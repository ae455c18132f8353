import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import RegistryModule from "./Registry.ts";

/**
 * The whole suite as it stands: today the registry. Later subsystems (forced operations, escape
 * hatch, elections, governance, latency) join here, each from its own module.
 */
export default buildModule("Cluster", (m) => {
  const { registry } = m.useModule(RegistryModule);
  return { registry };
});
