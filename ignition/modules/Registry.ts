import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The validium registry: the tree of chains, their commitments and (a, b) finality.
 *
 * Parameters (all under "Registry"):
 * - maxFanOut   children per chain, settlement chain included (1..1024)
 * - maxDepth    deepest level a chain may sit at; top-level chains are at depth 1 (1..32)
 * - minStake    wei a registration must carry
 * - registrar   account that registers chains (governance's timelock in production; default: deployer)
 * - statusManager account that freezes, unfreezes and ejects chains (default: deployer)
 *
 * The deployer holds DEFAULT_ADMIN_ROLE after this module; the governance module hands it to the
 * timelock.
 */
export default buildModule("Registry", (m) => {
  const deployer = m.getAccount(0);
  const maxFanOut = m.getParameter<number>("maxFanOut");
  const maxDepth = m.getParameter<number>("maxDepth");
  const minStake = m.getParameter<bigint>("minStake");
  const registrar = m.getParameter("registrar", deployer);
  const statusManager = m.getParameter("statusManager", deployer);

  const registry = m.contract("ValidiumRegistry", [deployer, { maxFanOut, maxDepth, minStake }]);

  const registrarRole = m.staticCall(registry, "REGISTRAR_ROLE", [], 0, { id: "registrarRole" });
  const statusRole = m.staticCall(registry, "STATUS_ROLE", [], 0, { id: "statusRole" });
  m.call(registry, "grantRole", [registrarRole, registrar], { id: "grantRegistrar" });
  m.call(registry, "grantRole", [statusRole, statusManager], { id: "grantStatus" });

  return { registry };
});
