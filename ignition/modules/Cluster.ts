import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import LatencyModule from "./Latency.ts";
import ReferenceValidiumModule from "./ReferenceValidium.ts";
import RegistryModule from "./Registry.ts";
import TeeCommitteeVerifierModule from "./TeeCommitteeVerifier.ts";

/**
 * The whole suite as it stands: the registry; the reference validium's settlement side (request queue,
 * generated Groth16 verifier and its adapter); the TEE committee verifier; and the latency oracle with its
 * attestation verifier. A `LeaderSchedule` is deployed per pair of networks with `./LeaderSchedule.ts`, and a
 * `BatchGroth16Verifier` with `./BatchGroth16Verifier.ts` (its verifying-key parameter comes from
 * `batchVerifierParameters` in src/prover/vkey.ts). Later subsystems (forced operations, escape hatch,
 * elections, governance) join here, each from its own module.
 */
export default buildModule("Cluster", (m) => {
  const { registry } = m.useModule(RegistryModule);
  const { requestQueue, groth16UpdateVerifier, ledgerGroth16, poseidon } = m.useModule(ReferenceValidiumModule);
  const { teeCommitteeVerifier } = m.useModule(TeeCommitteeVerifierModule);
  const { latencyOracle, attestationVerifier } = m.useModule(LatencyModule);
  return {
    registry,
    requestQueue,
    groth16UpdateVerifier,
    ledgerGroth16,
    poseidon,
    teeCommitteeVerifier,
    latencyOracle,
    attestationVerifier,
  };
});
