/**
 * The `Cluster` Ignition module ends with no EOA holding any role (docs/GOVERNANCE.md §3). For every
 * AccessControl contract of the deployment, every RoleGranted and RoleRevoked event from block 0 is
 * replayed to compute the current holders of every role; `hasRole` must agree with the replay for every
 * account that ever appeared, every holder must be a contract (the zero address, TimelockController's
 * "anyone may execute", is the one non-contract holder, and only of EXECUTOR_ROLE), and the holders must
 * be exactly the expected ones. Then the wiring between seats, governor and timelock, and the seat
 * invariant on the fresh deployment.
 */
import { expect } from "chai";
import { ZeroAddress, ZeroHash, type EventLog, type Log } from "ethers";

import type { ClusterTimelock } from "../../typechain-types/index.ts";
import {
  assertSeatInvariant,
  clusterFixture,
  ethers,
  networkHelpers,
  type ClusterFixture,
} from "../helpers/governance.ts";

/** The surface of OpenZeppelin's AccessControl that the replay needs (every contract here has it). */
type AccessControlled = ClusterTimelock;

interface Subject {
  name: string;
  contract: AccessControlled;
  /** role name → role id. */
  roles: Record<string, string>;
  /** role name → expected holders, by fixture key. */
  expected: Record<string, string[]>;
}

/** Current holders of every role of `contract`, by replaying its role events in chain order. */
async function replayRoles(
  contract: AccessControlled,
): Promise<{ holders: Map<string, Set<string>>; seen: Set<string> }> {
  const granted = await contract.queryFilter(contract.filters.RoleGranted(), 0, "latest");
  const revoked = await contract.queryFilter(contract.filters.RoleRevoked(), 0, "latest");
  const events = [...granted, ...revoked] as Array<EventLog | Log>;
  events.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  const holders = new Map<string, Set<string>>();
  const seen = new Set<string>();
  for (const e of events) {
    const parsed = contract.interface.parseLog(e)!;
    const [role, account] = [parsed.args[0] as string, parsed.args[1] as string];
    seen.add(account);
    const set = holders.get(role) ?? new Set<string>();
    if (parsed.name === "RoleGranted") set.add(account);
    else set.delete(account);
    holders.set(role, set);
  }
  return { holders, seen };
}

async function subjects(fx: ClusterFixture): Promise<Subject[]> {
  const { registry, clusterConfig, teeCommitteeVerifier, latencyOracle, attestationVerifier, timelock, requestQueue } =
    fx;
  const as = (c: unknown) => c as AccessControlled;
  const timelockOnly = (names: string[]) => Object.fromEntries(names.map((n) => [n, [fx.addresses.timelock]]));
  return [
    {
      name: "ValidiumRegistry",
      contract: as(registry),
      roles: {
        DEFAULT_ADMIN: ZeroHash,
        REGISTRAR: await registry.REGISTRAR_ROLE(),
        STATUS: await registry.STATUS_ROLE(),
        APPROVER: await registry.APPROVER_ROLE(),
        FREEZER: await registry.FREEZER_ROLE(),
        ELECTION: await registry.ELECTION_ROLE(),
        RELOCATOR: await registry.RELOCATOR_ROLE(),
      },
      expected: {
        ...timelockOnly(["DEFAULT_ADMIN", "REGISTRAR", "STATUS", "APPROVER"]),
        FREEZER: [fx.addresses.requestQueue],
        ELECTION: [fx.addresses.emergencyElection],
        RELOCATOR: [fx.addresses.chainRelocation],
      },
    },
    {
      name: "RequestQueue",
      contract: as(requestQueue),
      roles: { DEFAULT_ADMIN: ZeroHash, TOKEN_ADMIN: await requestQueue.TOKEN_ADMIN_ROLE() },
      expected: timelockOnly(["DEFAULT_ADMIN", "TOKEN_ADMIN"]),
    },
    {
      name: "ClusterConfig",
      contract: as(clusterConfig),
      roles: { DEFAULT_ADMIN: ZeroHash },
      expected: timelockOnly(["DEFAULT_ADMIN"]),
    },
    {
      name: "TeeCommitteeVerifier",
      contract: as(teeCommitteeVerifier),
      roles: { DEFAULT_ADMIN: ZeroHash, KEY_ADMIN: await teeCommitteeVerifier.KEY_ADMIN_ROLE() },
      expected: timelockOnly(["DEFAULT_ADMIN", "KEY_ADMIN"]),
    },
    {
      name: "LatencyOracle",
      contract: as(latencyOracle),
      roles: { DEFAULT_ADMIN: ZeroHash },
      expected: timelockOnly(["DEFAULT_ADMIN"]),
    },
    {
      name: "SignedMeasurementAttestationVerifier",
      contract: as(attestationVerifier),
      roles: { DEFAULT_ADMIN: ZeroHash },
      expected: timelockOnly(["DEFAULT_ADMIN"]),
    },
    {
      name: "ClusterTimelock",
      contract: timelock,
      roles: {
        DEFAULT_ADMIN: ZeroHash,
        PROPOSER: await timelock.PROPOSER_ROLE(),
        CANCELLER: await timelock.CANCELLER_ROLE(),
        EXECUTOR: await timelock.EXECUTOR_ROLE(),
      },
      expected: {
        DEFAULT_ADMIN: [fx.addresses.timelock],
        PROPOSER: [fx.addresses.governor],
        CANCELLER: [fx.addresses.governor],
        EXECUTOR: [ZeroAddress],
      },
    },
  ];
}

async function isContract(address: string): Promise<boolean> {
  return (await ethers.provider.getCode(address)) !== "0x";
}

describe("Cluster deployment: role handover", function () {
  it("test_handover_everyRoleOfEveryContractIsHeldByContractsOnly", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const eoas = [fx.deployer, fx.founderGovernance, fx.founderOperator, fx.guardian, ...fx.applicants];
    for (const s of await subjects(fx)) {
      const { holders, seen } = await replayRoles(s.contract);
      const names = new Map(Object.entries(s.roles).map(([n, id]) => [id, n]));
      // Every role that has a holder now is a known role, with exactly the expected holders.
      for (const [role, set] of holders) {
        if (set.size === 0) continue;
        expect(names.has(role), `${s.name}: unexpected role ${role} held by ${[...set].join(", ")}`).to.equal(true);
      }
      for (const [name, role] of Object.entries(s.roles)) {
        const now = [...(holders.get(role) ?? new Set<string>())].sort();
        expect(now, `${s.name}.${name} holders`).to.deep.equal([...s.expected[name]!].sort());
        for (const holder of now) {
          if (holder === ZeroAddress) {
            // TimelockController's open role: anyone may execute a *ready* operation.
            expect(name, `${s.name}: the zero address holds ${name}`).to.equal("EXECUTOR");
          } else {
            expect(await isContract(holder), `${s.name}.${name} holder ${holder} is a contract`).to.equal(true);
          }
        }
        // hasRole agrees with the replay for every account that ever appeared, and for the usual EOAs.
        for (const account of new Set([...seen, ...eoas.map((e) => e.address)])) {
          expect(await s.contract.hasRole(role, account), `${s.name}.hasRole(${name}, ${account})`).to.equal(
            now.includes(account),
          );
        }
        // Every role is administered by DEFAULT_ADMIN_ROLE, i.e. by the timelock alone.
        expect(await s.contract.getRoleAdmin(role), `${s.name}.getRoleAdmin(${name})`).to.equal(ZeroHash);
      }
      // The deployer did hold roles during the deployment, and holds none now.
      expect(seen.has(fx.deployer.address), `${s.name}: the deployer appears in the role events`).to.equal(true);
    }
  });

  it("test_handover_noEoaHoldsAnyRoleEvenUnderAnUnlistedRoleId", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    // Whatever role ids the events name, none of them is held by an account without code (but for the
    // timelock's open executor role).
    for (const s of await subjects(fx)) {
      const { holders } = await replayRoles(s.contract);
      for (const [role, set] of holders) {
        for (const holder of set) {
          if (holder === ZeroAddress && role === (await fx.timelock.EXECUTOR_ROLE())) continue;
          expect(await isContract(holder), `${s.name}: ${holder} holds ${role}`).to.equal(true);
        }
      }
    }
  });

  it("test_handover_wiringOfSeatsGovernorAndTimelock", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    expect(await fx.seats.registry()).to.equal(fx.addresses.registry);
    expect(await fx.registry.seats()).to.equal(fx.addresses.seats);
    expect(await fx.registry.clusterConfig()).to.equal(fx.addresses.clusterConfig);
    expect(await fx.governor.timelock()).to.equal(fx.addresses.timelock);
    expect(await fx.governor.token()).to.equal(fx.addresses.seats);
    expect(await fx.seats.CLOCK_MODE()).to.equal("mode=timestamp");
    expect(await fx.governor.CLOCK_MODE()).to.equal("mode=timestamp");
    expect(await fx.governor.proposalThreshold()).to.equal(1n);
    expect(await fx.governor["quorumNumerator()"]()).to.equal(50n);
    // The guardian is deliberately an EOA (the deployer by default), and is no role holder.
    expect(await fx.clusterConfig.guardian()).to.equal(fx.guardian.address);
    expect(await fx.clusterConfig.pauseArmed()).to.equal(true);
  });

  it("test_handover_foundingMemberHoldsTheOnlySeat", async function () {
    const fx = await networkHelpers.loadFixture(clusterFixture);
    const members = await assertSeatInvariant(fx.registry, fx.seats, "after deploy");
    expect(members.map((m) => [m.chainId, m.governance])).to.deep.equal([
      [fx.founderChainId, fx.founderGovernance.address],
    ]);
    const sec = await fx.registry.securityConfig(fx.founderChainId);
    expect([sec.operator, sec.verifier, sec.escapeVerifier, sec.codeHash, sec.configHash]).to.deep.equal([
      fx.founderSecurity.operator,
      fx.founderSecurity.verifier,
      fx.founderSecurity.escapeVerifier,
      fx.founderSecurity.codeHash,
      fx.founderSecurity.configHash,
    ]);
    expect((await fx.registry.commitment(fx.founderChainId, 0)).root).to.equal(fx.founderGenesisRoot);
  });
});
