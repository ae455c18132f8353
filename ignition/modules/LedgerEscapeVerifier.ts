import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import ReferenceValidiumModule from "./ReferenceValidium.ts";

/**
 * The reference ledger's escape verifier (docs/LEDGER.md §9): `LedgerEscapeVerifier` for account trees of
 * depth `depth`, with the circomlibjs-generated Poseidon contracts with 2, 4 and 5 inputs (PoseidonT3,
 * PoseidonT5, PoseidonT6) reused from the ReferenceValidium module (deployed once, shared with the forced
 * withdrawals' signature verifier).
 *
 * Parameters (under "LedgerEscapeVerifier"):
 * - depth  the account tree depth D of the chains it serves (default 8, the shipped ledger instance K4D8)
 */
export default buildModule("LedgerEscapeVerifier", (m) => {
  const { poseidon: poseidonT5, poseidonT3, poseidonT6 } = m.useModule(ReferenceValidiumModule);
  const depth = m.getParameter("depth", 8);
  const ledgerEscapeVerifier = m.contract("LedgerEscapeVerifier", [depth, poseidonT3, poseidonT5, poseidonT6]);
  return { poseidonT3, poseidonT5, poseidonT6, ledgerEscapeVerifier };
});
