import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import type { BatchVerifyingKey } from "../../src/prover/vkey.ts";

/**
 * The batch Groth16 verifier of the reference ledger (five public signals): checks N proofs with one
 * pairing check of N + 3 pairs, and registry updates like Groth16UpdateVerifier does.
 *
 * Parameters (all under "BatchGroth16Verifier"):
 * - vkey   the verifying key in the precompiles' encoding (`IBatchGroth16Verifier.VerifyingKey`:
 *          { alpha1, beta2, gamma2, delta2, ic }, G2 coordinates imaginary part first). Ignition
 *          parameters are resolved at execution, not when the module is built, so the module cannot
 *          convert a snarkjs vkey.json itself: `batchVerifierParameters(vkeyJson, queue)` in
 *          src/prover/vkey.ts produces this parameter (and `queue`) from vkey.json. The constructor
 *          reverts with `BatchGroth16VerifierInvalidKey` for a point off its curve, which catches a key
 *          passed in snarkjs' coordinate order.
 * - queue  the settlement chain's RequestQueue
 */
export default buildModule("BatchGroth16Verifier", (m) => {
  const vkey = m.getParameter<BatchVerifyingKey>("vkey");
  const queue = m.getParameter<string>("queue");

  const batchGroth16Verifier = m.contract("BatchGroth16Verifier", [vkey, queue]);

  return { batchGroth16Verifier };
});
