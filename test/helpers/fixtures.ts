/**
 * Fixtures built from the real Ignition modules, shared by the TypeScript tests.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";

import DevelopmentVerifierModule from "../../ignition/modules/DevelopmentVerifier.ts";
import RegistryModule from "../../ignition/modules/Registry.ts";
import type { DevelopmentVerifier, ValidiumRegistry } from "../../typechain-types/index.ts";

export const connection = await network.getOrCreate();
export const { ethers, ignition, networkHelpers } = connection;

export interface RegistryFixture {
  registry: ValidiumRegistry;
  verifier: DevelopmentVerifier;
  verifierAddress: string;
  admin: HardhatEthersSigner;
  operators: HardhatEthersSigner[];
  outsider: HardhatEthersSigner;
}

export const DEFAULT_LIMITS = { maxFanOut: 16, maxDepth: 16, minStake: 0n };

/** Deploys the registry and the development verifier through their Ignition modules. */
export async function deployRegistry(limits = DEFAULT_LIMITS): Promise<RegistryFixture> {
  const { registry } = await ignition.deploy(RegistryModule, {
    parameters: { Registry: { maxFanOut: limits.maxFanOut, maxDepth: limits.maxDepth, minStake: limits.minStake } },
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
