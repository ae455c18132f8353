import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { poseidonArtifact } from "../../src/ledger/poseidon-contract.ts";
import RegistryModule from "./Registry.ts";

/**
 * The settlement side of the reference validium (docs/LEDGER.md): the circomlibjs-generated Poseidon
 * contract, the per-chain request queue whose rolling hash the circuit recomputes, the Groth16 verifier
 * generated for the shipped ledger instance (LedgerK4D8Groth16Verifier, circuits/artifacts) and the
 * adapter that chains register as their `IUpdateVerifier`.
 *
 * No parameters of its own; it uses the Registry module (and so its parameters).
 */
export default buildModule("ReferenceValidium", (m) => {
  const { registry } = m.useModule(RegistryModule);
  const poseidon = m.contract("PoseidonT5", poseidonArtifact(4), [], { id: "PoseidonT5" });
  const requestQueue = m.contract("RequestQueue", [registry, poseidon]);
  const ledgerGroth16 = m.contract("LedgerK4D8Groth16Verifier", [], { id: "LedgerGroth16Verifier" });
  const groth16UpdateVerifier = m.contract("Groth16UpdateVerifier", [ledgerGroth16, requestQueue]);
  return { registry, poseidon, requestQueue, ledgerGroth16, groth16UpdateVerifier };
});
