import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The latency oracle and its attestation verifier (docs/LATENCY.md §1).
 *
 * Parameters (all under "Latency"):
 * - genesisTime      unix seconds at which epoch 0 starts; reports are refused before it
 * - epochDuration    seconds per epoch (> 0)
 * - disagreementBps  tolerance between the two directions of a pair before it is flagged Disagree
 *                    (basis points, ≤ 100000)
 *
 * The deployer holds DEFAULT_ADMIN_ROLE of both contracts after this module: it approves enclave
 * measurements and attestation keys on the verifier, and adds networks and nodes on the oracle. The
 * governance module hands both to the timelock.
 */
export default buildModule("Latency", (m) => {
  const deployer = m.getAccount(0);
  const genesisTime = m.getParameter<bigint>("genesisTime");
  const epochDuration = m.getParameter<bigint>("epochDuration");
  const disagreementBps = m.getParameter<number>("disagreementBps");

  const attestationVerifier = m.contract("SignedMeasurementAttestationVerifier", [deployer]);
  const latencyOracle = m.contract("LatencyOracle", [
    deployer,
    attestationVerifier,
    genesisTime,
    epochDuration,
    disagreementBps,
  ]);

  return { attestationVerifier, latencyOracle };
});
