import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The TEE committee verifier: accepts an update signed by `threshold` registered enclave keys from at
 * least `minVendors` distinct TEE vendors, so that one broken vendor is never enough.
 *
 * Parameters (all under "TeeCommitteeVerifier"):
 * - admin       holder of DEFAULT_ADMIN_ROLE and KEY_ADMIN_ROLE (default: deployer; the timelock in
 *               production)
 * - threshold   least number of distinct signers (minVendors ≤ threshold ≤ 64)
 * - minVendors  least number of distinct vendors among the signers (≥ 2)
 *
 * The committee starts with no keys: the key admin adds them (`addKey(key, vendor)`) after deployment,
 * and `isSatisfiable()` stays false until enough keys from enough vendors are registered.
 */
export default buildModule("TeeCommitteeVerifier", (m) => {
  const deployer = m.getAccount(0);
  const admin = m.getParameter("admin", deployer);
  const threshold = m.getParameter<number>("threshold");
  const minVendors = m.getParameter<number>("minVendors");

  const teeCommitteeVerifier = m.contract("TeeCommitteeVerifier", [admin, threshold, minVendors]);

  return { teeCommitteeVerifier };
});
