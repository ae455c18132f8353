import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { poseidonArtifact } from "../../src/ledger/poseidon-contract.ts";
import ReferenceValidiumModule from "./ReferenceValidium.ts";

/**
 * The reference ledger's escape verifier (docs/LEDGER.md §9): the circomlibjs-generated Poseidon contracts
 * with 2 and 5 inputs (PoseidonT3, PoseidonT6), the 4-input one (PoseidonT5) reused from the
 * ReferenceValidium module, and `LedgerEscapeVerifier` for account trees of depth `depth`.
 *
 * Parameters (under "LedgerEscapeVerifier"):
 * - depth  the account tree depth D of the chains it serves (default 8, the shipped ledger instance K4D8)
 */
export default buildModule("LedgerEscapeVerifier", (m) => {
  const { poseidon: poseidonT5 } = m.useModule(ReferenceValidiumModule);
  const depth = m.getParameter("depth", 8);
  const poseidonT3 = m.contract("PoseidonT3", poseidonArtifact(2), [], { id: "PoseidonT3" });
  const poseidonT6 = m.contract("PoseidonT6", poseidonArtifact(5), [], { id: "PoseidonT6" });
  const ledgerEscapeVerifier = m.contract("LedgerEscapeVerifier", [depth, poseidonT3, poseidonT5, poseidonT6]);
  return { poseidonT3, poseidonT5, poseidonT6, ledgerEscapeVerifier };
});
