import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { CallableContractFuture, StaticCallFuture } from "@nomicfoundation/ignition-core";

import ChainRelocationModule from "./ChainRelocation.ts";
import EmergencyElectionModule from "./EmergencyElection.ts";
import GovernanceModule from "./Governance.ts";
import LatencyModule from "./Latency.ts";
import LedgerEscapeVerifierModule from "./LedgerEscapeVerifier.ts";
import ReferenceValidiumModule from "./ReferenceValidium.ts";
import TeeCommitteeVerifierModule from "./TeeCommitteeVerifier.ts";

/**
 * The whole suite, governed: cluster configuration, registry and seats, governor and timelock; the
 * reference validium's settlement side (request queue with its forced-withdrawal signature verifier, generated
 * Groth16 verifier and its adapter, the ledger's escape verifier); emergency elections (`EmergencyElection`,
 * holding the registry's ELECTION_ROLE, paying the timelock) and relocation consent (`ChainRelocation`, holding
 * RELOCATOR_ROLE, with the timelock accepting top-level moves); the TEE committee verifier; the latency oracle
 * with its attestation verifier.
 *
 * Bootstrap: a Governor with no seats can pass nothing, so the module admits one founding member (the
 * reference validium chain, verified by the Groth16 adapter) while the deployer still holds the registrar
 * role. Every further member joins by proposal. Then every admin, registrar, status, approver and key-admin
 * role of every contract here is granted to the timelock and renounced by the deployer: the module ends
 * with no EOA holding any of them (test/governance/Handover.test.ts proves it). The guardian of
 * `ClusterConfig` is deliberately not the timelock: it is the fast, limited, expiring pause.
 *
 * Deploy with the default role holders of the sub-modules (the deployer): roles given to other accounts
 * by `Registry.registrar` etc. are not revoked here.
 *
 * Parameters (under "Cluster"): founderChainId, founderGovernance (its seat holder), founderOperator,
 * founderGenesisRoot, founderCodeHash, founderConfigHash, founderStake (wei, ≥ ClusterConfig.minStake).
 * A `LeaderSchedule` is deployed per pair of networks with `./LeaderSchedule.ts`, and a
 * `BatchGroth16Verifier` with `./BatchGroth16Verifier.ts`.
 */
export default buildModule("Cluster", (m) => {
  const deployer = m.getAccount(0);
  const { registry, clusterConfig, seats, timelock, governor } = m.useModule(GovernanceModule);
  const { requestQueue, groth16UpdateVerifier, ledgerGroth16, poseidon, signatureVerifier } =
    m.useModule(ReferenceValidiumModule);
  const { ledgerEscapeVerifier } = m.useModule(LedgerEscapeVerifierModule);
  const { emergencyElection } = m.useModule(EmergencyElectionModule);
  const { chainRelocation } = m.useModule(ChainRelocationModule);
  const { teeCommitteeVerifier } = m.useModule(TeeCommitteeVerifierModule);
  const { latencyOracle, attestationVerifier } = m.useModule(LatencyModule);

  const founder = {
    chainId: m.getParameter<bigint>("founderChainId"),
    parent: 0n,
    governance: m.getParameter("founderGovernance"),
    security: {
      operator: m.getParameter("founderOperator"),
      verifier: groth16UpdateVerifier,
      escapeVerifier: ledgerEscapeVerifier,
      codeHash: m.getParameter<string>("founderCodeHash"),
      configHash: m.getParameter<string>("founderConfigHash"),
    },
    genesisRoot: m.getParameter<string>("founderGenesisRoot"),
  };
  const admitFounder = m.call(registry, "admitChain", [founder], {
    id: "admitFounder",
    value: m.getParameter<bigint>("founderStake", 0n),
  });

  // Hand over: grant every role to the timelock, then the deployer renounces its own.
  type AnyContract = CallableContractFuture<string>;
  const role = (contract: AnyContract, name: string, id: string): StaticCallFuture<string, string> =>
    m.staticCall(contract, name, [], 0, { id });
  const admin = role(registry, "DEFAULT_ADMIN_ROLE", "adminRole");
  const handover: Array<[AnyContract, StaticCallFuture<string, string>, string]> = [
    [registry, role(registry, "REGISTRAR_ROLE", "hRegistrar"), "registryRegistrar"],
    [registry, role(registry, "STATUS_ROLE", "hStatus"), "registryStatus"],
    [registry, role(registry, "APPROVER_ROLE", "hApprover"), "registryApprover"],
    [teeCommitteeVerifier, role(teeCommitteeVerifier, "KEY_ADMIN_ROLE", "hKeyAdmin"), "teeKeyAdmin"],
    [requestQueue, role(requestQueue, "TOKEN_ADMIN_ROLE", "hTokenAdmin"), "queueTokenAdmin"],
    [registry, admin, "registryAdmin"],
    [requestQueue, admin, "queueAdmin"],
    [clusterConfig, admin, "configAdmin"],
    [teeCommitteeVerifier, admin, "teeAdmin"],
    [latencyOracle, admin, "oracleAdmin"],
    [attestationVerifier, admin, "attestationAdmin"],
  ];
  const grants = handover.map(([contract, r, id]) =>
    m.call(contract, "grantRole", [r, timelock], { id: `grant_${id}`, after: [admitFounder] }),
  );
  // Non-admin roles first, then the admin roles, then the timelock's own bootstrap admin. The ReferenceValidium
  // module's binding of the queue and the queue's FREEZER_ROLE, and the election and relocation modules' role
  // grants, need the registry admin: they come first.
  const renounced = handover.map(([contract, r, id]) =>
    m.call(contract, "renounceRole", [r, deployer], {
      id: `renounce_${id}`,
      after: [...grants, ReferenceValidiumModule, EmergencyElectionModule, ChainRelocationModule],
    }),
  );
  m.call(timelock, "renounceRole", [admin, deployer], { id: "renounce_timelockAdmin", after: renounced });

  return {
    registry,
    clusterConfig,
    seats,
    timelock,
    governor,
    requestQueue,
    signatureVerifier,
    groth16UpdateVerifier,
    ledgerGroth16,
    poseidon,
    ledgerEscapeVerifier,
    emergencyElection,
    chainRelocation,
    teeCommitteeVerifier,
    latencyOracle,
    attestationVerifier,
  };
});
