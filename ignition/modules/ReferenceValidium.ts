import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { poseidonArtifact } from "../../src/ledger/poseidon-contract.ts";
import RegistryModule from "./Registry.ts";

/**
 * The settlement side of the reference validium (docs/LEDGER.md): the circomlibjs-generated Poseidon
 * contracts with 2, 3, 4 and 5 inputs (PoseidonT3, PoseidonT4, PoseidonT5, PoseidonT6; the queue hashes
 * withdrawal entries with PoseidonT4 and withdrawal tree nodes with PoseidonT3), the signature verifier of forced
 * withdrawals (LedgerSignatureVerifier), the per-chain request queue whose rolling hash the circuit
 * recomputes (also the escrow entry and forced-operation queue, administered by the deployer until the
 * Cluster module's handover), the Groth16 verifier generated for the shipped ledger instance
 * (LedgerK4D8Groth16Verifier, circuits/artifacts) and the adapter that chains register as their
 * `IUpdateVerifier`. Binds the queue to the registry (every update must then name a queue point) and grants
 * the queue the registry's FREEZER_ROLE, so the deployer must still hold the registry's admin role.
 *
 * No parameters of its own; it uses the Registry module (and so its parameters).
 */
export default buildModule("ReferenceValidium", (m) => {
  const deployer = m.getAccount(0);
  const { registry } = m.useModule(RegistryModule);
  const poseidon = m.contract("PoseidonT5", poseidonArtifact(4), [], { id: "PoseidonT5" });
  const poseidonT3 = m.contract("PoseidonT3", poseidonArtifact(2), [], { id: "PoseidonT3" });
  const poseidonT4 = m.contract("PoseidonT4", poseidonArtifact(3), [], { id: "PoseidonT4" });
  const poseidonT6 = m.contract("PoseidonT6", poseidonArtifact(5), [], { id: "PoseidonT6" });
  const signatureVerifier = m.contract("LedgerSignatureVerifier", [poseidonT3, poseidon, poseidonT6]);
  const requestQueue = m.contract("RequestQueue", [
    registry,
    poseidon,
    poseidonT3,
    poseidonT4,
    signatureVerifier,
    deployer,
  ]);
  m.call(registry, "bindRequestQueue", [requestQueue], { id: "bindRequestQueue" });
  const freezerRole = m.staticCall(registry, "FREEZER_ROLE", [], 0, { id: "freezerRole" });
  m.call(registry, "grantRole", [freezerRole, requestQueue], { id: "grantFreezer" });
  const ledgerGroth16 = m.contract("LedgerK4D8Groth16Verifier", [], { id: "LedgerGroth16Verifier" });
  const groth16UpdateVerifier = m.contract("Groth16UpdateVerifier", [ledgerGroth16, requestQueue]);
  return {
    registry,
    poseidon,
    poseidonT3,
    poseidonT4,
    poseidonT6,
    signatureVerifier,
    requestQueue,
    ledgerGroth16,
    groth16UpdateVerifier,
  };
});
