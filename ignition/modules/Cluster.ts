import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import LatencyModule from "./Latency.ts";
import RegistryModule from "./Registry.ts";

/**
 * The whole suite as it stands: the registry, and the latency oracle with its attestation verifier.
 * A `LeaderSchedule` is deployed per pair of networks with `./LeaderSchedule.ts`, given this module's
 * `latencyOracle` address. Later subsystems (forced operations, escape hatch, elections, governance) join
 * here, each from its own module.
 */
export default buildModule("Cluster", (m) => {
  const { registry } = m.useModule(RegistryModule);
  const { latencyOracle, attestationVerifier } = m.useModule(LatencyModule);
  return { registry, latencyOracle, attestationVerifier };
});
