import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The development verifier, which accepts every update.
 *
 * It is refused on every network except the in-process Hardhat network and local development nodes:
 * the contract's constructor reverts with `DevelopmentVerifierNotLocal(chainId)` unless the chain id
 * is 31337 or 1337, so this module's deployment fails anywhere else. Production chains register a real
 * verifier (Groth16 adapter, TEE committee) instead.
 */
export default buildModule("DevelopmentVerifier", (m) => {
  const developmentVerifier = m.contract("DevelopmentVerifier");
  return { developmentVerifier };
});
