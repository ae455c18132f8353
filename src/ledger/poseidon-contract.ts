/**
 * The on-chain Poseidon used by the request queue's rolling hash (docs/LEDGER.md §4), generated from
 * circomlibjs rather than written by hand, so its constants are circomlib's by construction.
 */
import { poseidonContract } from "circomlibjs";

/** An Ignition/ethers-compatible artifact for a generated contract (no Solidity source). */
export interface GeneratedArtifact {
  _format: string;
  contractName: string;
  sourceName: string;
  abi: readonly unknown[];
  bytecode: string;
  deployedBytecode: string;
  linkReferences: Record<string, never>;
  deployedLinkReferences: Record<string, never>;
}

/** Artifact of the Poseidon contract with `nInputs` inputs (circomlibjs `poseidonContract`). */
export function poseidonArtifact(nInputs = 4): GeneratedArtifact {
  return {
    _format: "hh3-artifact-1",
    contractName: `PoseidonT${nInputs + 1}`,
    sourceName: "circomlibjs/src/poseidon_gencontract.js",
    abi: poseidonContract.generateABI(nInputs),
    bytecode: poseidonContract.createCode(nInputs),
    deployedBytecode: "0x",
    linkReferences: {},
    deployedLinkReferences: {},
  };
}
