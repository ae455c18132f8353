/**
 * TypeScript side of the TEE committee verifier (contracts/verifiers/TeeCommitteeVerifier.sol): vendor
 * ids, the EIP-712 domain and type that committee keys sign, the update digest, and the proof layout
 * (65-byte `r ‖ s ‖ v` signatures sorted by strictly increasing signer address).
 */
import {
  concat,
  getBytes,
  hexlify,
  id as keccakId,
  Signature,
  TypedDataEncoder,
  type Signer,
  type SigningKey,
  type TypedDataDomain,
  type TypedDataField,
} from "ethers";

import type { UpdatePublicData } from "./registry.ts";

export const TEE_COMMITTEE_DOMAIN_NAME = "ClusterKit TEE Committee";
export const TEE_COMMITTEE_DOMAIN_VERSION = "1";
/** Bytes per signature in a committee proof. */
export const SIGNATURE_LENGTH = 65;
/** Most keys a committee may have (TeeCommitteeVerifier.MAX_KEYS). */
export const MAX_COMMITTEE_KEYS = 64;

/** The vendor id of a TEE vendor name: keccak256 of its UTF-8 bytes. */
export function vendorId(name: string): string {
  return keccakId(name);
}

/** The vendor ids used by convention. */
export const TeeVendor = {
  IntelTdx: vendorId("intel-tdx"),
  AmdSevSnp: vendorId("amd-sev-snp"),
  AwsNitro: vendorId("aws-nitro"),
} as const;

/** EIP-712 types of an update. ChainId is a uint64 on chain. */
export const UPDATE_PUBLIC_DATA_TYPES: Record<string, TypedDataField[]> = {
  UpdatePublicData: [
    { name: "chainId", type: "uint64" },
    { name: "ackBlock", type: "uint64" },
    { name: "l2Block", type: "uint64" },
    { name: "queuePosition", type: "uint64" },
    { name: "prevRoot", type: "bytes32" },
    { name: "newRoot", type: "bytes32" },
    { name: "queueHash", type: "bytes32" },
    { name: "outboxRoot", type: "bytes32" },
    { name: "inboxRoot", type: "bytes32" },
    { name: "withdrawalRoot", type: "bytes32" },
  ],
};

/** The committee verifier's EIP-712 domain on chain `chainId` at `verifierAddress`. */
export function teeCommitteeDomain(verifierAddress: string, chainId: bigint | number): TypedDataDomain {
  return {
    name: TEE_COMMITTEE_DOMAIN_NAME,
    version: TEE_COMMITTEE_DOMAIN_VERSION,
    chainId: BigInt(chainId),
    verifyingContract: verifierAddress,
  };
}

/** The update as the typed-data value (plain fields; ethers range-checks them while encoding). */
export function updateValue(data: UpdatePublicData): Record<string, unknown> {
  return {
    chainId: data.chainId,
    ackBlock: data.ackBlock,
    l2Block: data.l2Block,
    queuePosition: data.queuePosition,
    prevRoot: data.prevRoot,
    newRoot: data.newRoot,
    queueHash: data.queueHash,
    outboxRoot: data.outboxRoot,
    inboxRoot: data.inboxRoot,
    withdrawalRoot: data.withdrawalRoot,
  };
}

/** The EIP-712 digest committee keys sign for `data` (equals `TeeCommitteeVerifier.updateDigest`). */
export function teeUpdateDigest(verifierAddress: string, chainId: bigint | number, data: UpdatePublicData): string {
  return TypedDataEncoder.hash(
    teeCommitteeDomain(verifierAddress, chainId),
    UPDATE_PUBLIC_DATA_TYPES,
    updateValue(data),
  );
}

/** Where a committee proof is valid: the verifier's address and the chain it lives on. */
export interface TeeCommitteeTarget {
  verifierAddress: string;
  chainId: bigint | number;
}

/**
 * A committee member: an ethers `Wallet` (or anything with a `signingKey`), which signs the digest
 * directly, or any signer with an address that signs EIP-712 typed data (a Hardhat signer).
 */
export type CommitteeSigner =
  { signingKey: SigningKey; address: string } | Pick<Signer, "signTypedData" | "getAddress">;

/** One signature of a committee proof and who made it. */
export interface CommitteeSignature {
  signer: string;
  /** 65 bytes `r ‖ s ‖ v`, hex. */
  signature: string;
}

/** Signs `data` with one committee member; the signature is low-s with v ∈ {27, 28}. */
export async function signUpdate(
  signer: CommitteeSigner,
  target: TeeCommitteeTarget,
  data: UpdatePublicData,
): Promise<CommitteeSignature> {
  if ("signingKey" in signer) {
    const digest = teeUpdateDigest(target.verifierAddress, target.chainId, data);
    return { signer: signer.address, signature: signer.signingKey.sign(digest).serialized };
  }
  const signature = await signer.signTypedData(
    teeCommitteeDomain(target.verifierAddress, target.chainId),
    UPDATE_PUBLIC_DATA_TYPES,
    updateValue(data),
  );
  // Normalised through ethers' Signature: 65 bytes, v ∈ {27, 28}.
  return { signer: await signer.getAddress(), signature: Signature.from(signature).serialized };
}

/**
 * The proof bytes from individual signatures: sorted by strictly increasing signer address and
 * concatenated. Throws on a duplicate signer or a signature that is not 65 bytes.
 */
export function encodeCommitteeProof(signatures: ReadonlyArray<CommitteeSignature>): string {
  const sorted = [...signatures].sort((x, y) => {
    const a = BigInt(x.signer);
    const b = BigInt(y.signer);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  for (let i = 0; i < sorted.length; i++) {
    if (getBytes(sorted[i]!.signature).length !== SIGNATURE_LENGTH) {
      throw new RangeError(`signature of ${sorted[i]!.signer} is not ${SIGNATURE_LENGTH} bytes`);
    }
    if (i > 0 && BigInt(sorted[i]!.signer) === BigInt(sorted[i - 1]!.signer)) {
      throw new Error(`duplicate committee signer ${sorted[i]!.signer}`);
    }
  }
  return sorted.length === 0 ? "0x" : hexlify(concat(sorted.map((s) => s.signature)));
}

/** Splits proof bytes into its 65-byte signatures, in order. Throws if the length is not a multiple of 65. */
export function splitCommitteeProof(proof: string): string[] {
  const bytes = getBytes(proof);
  if (bytes.length % SIGNATURE_LENGTH !== 0) {
    throw new RangeError(`proof of ${bytes.length} bytes is not a whole number of signatures`);
  }
  const out: string[] = [];
  for (let o = 0; o < bytes.length; o += SIGNATURE_LENGTH) out.push(hexlify(bytes.subarray(o, o + SIGNATURE_LENGTH)));
  return out;
}

/**
 * Signs `data` with every committee member in `signers` and returns the proof bytes that
 * `TeeCommitteeVerifier.verify` expects (signatures sorted by signer address). Throws if a signer
 * appears twice.
 */
export async function signUpdateAsCommittee(
  data: UpdatePublicData,
  signers: ReadonlyArray<CommitteeSigner>,
  target: TeeCommitteeTarget,
): Promise<string> {
  const signatures: CommitteeSignature[] = [];
  for (const signer of signers) signatures.push(await signUpdate(signer, target, data));
  return encodeCommitteeProof(signatures);
}
