/**
 * Fixtures built from the real Ignition modules, shared by the TypeScript tests.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";

import DevelopmentVerifierModule from "../../ignition/modules/DevelopmentVerifier.ts";
import RegistryModule from "../../ignition/modules/Registry.ts";
import type {
  ClusterConfig,
  ClusterSeats,
  DevelopmentVerifier,
  ValidiumRegistry,
} from "../../typechain-types/index.ts";

export const connection = await network.getOrCreate();
export const { ethers, ignition, networkHelpers } = connection;

export interface RegistryFixture {
  registry: ValidiumRegistry;
  /** Where the registry reads its limits; `admin` is its governance (DEFAULT_ADMIN_ROLE) and guardian. */
  clusterConfig: ClusterConfig;
  /** The seats the registry created (one per member chain). */
  seats: ClusterSeats;
  verifier: DevelopmentVerifier;
  verifierAddress: string;
  admin: HardhatEthersSigner;
  operators: HardhatEthersSigner[];
  outsider: HardhatEthersSigner;
}

export const DEFAULT_LIMITS = { maxFanOut: 16, maxDepth: 16, minStake: 0n };

/** Parameter of `ClusterConfig.setParam` (IClusterConfig.Param, in declaration order). */
export { Param as ConfigParam } from "../../src/sdk/governance.ts";

/**
 * Deploys the registry (with its cluster configuration, whose limits are `limits`, and its seats) and the
 * development verifier through their Ignition modules. The deployer (`admin`) holds every registry role
 * and is the configuration's governance and guardian.
 */
export async function deployRegistry(limits = DEFAULT_LIMITS): Promise<RegistryFixture> {
  const { registry, clusterConfig, seats } = await ignition.deploy(RegistryModule, {
    parameters: {
      ClusterConfig: { maxFanOut: limits.maxFanOut, maxDepth: limits.maxDepth, minStake: limits.minStake },
    },
  });
  const { developmentVerifier } = await ignition.deploy(DevelopmentVerifierModule);
  const signers = await ethers.getSigners();
  const [admin, outsider, ...operators] = signers as [
    HardhatEthersSigner,
    HardhatEthersSigner,
    ...HardhatEthersSigner[],
  ];
  return {
    registry: registry as unknown as ValidiumRegistry,
    clusterConfig: clusterConfig as unknown as ClusterConfig,
    seats: seats as unknown as ClusterSeats,
    verifier: developmentVerifier as unknown as DevelopmentVerifier,
    verifierAddress: await developmentVerifier.getAddress(),
    admin,
    operators,
    outsider,
  };
}

/** The default fixture, snapshotted by loadFixture. */
export async function registryFixture(): Promise<RegistryFixture> {
  return deployRegistry();
}
