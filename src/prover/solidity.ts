/**
 * Encodes snarkjs Groth16 proofs the way the Solidity verifiers take them (docs/LEDGER.md §7):
 * `abi.encode(uint256[2] a, uint256[2][2] b, uint256[2] c)`, with each G2 coordinate's two limbs
 * swapped relative to snarkjs' JSON (the EVM pairing precompile takes (imaginary, real)).
 */
import { AbiCoder } from "ethers";
import type { Groth16Proof } from "snarkjs";

/** The proof as the eight words (a.x, a.y, b.x1, b.x0, b.y1, b.y0, c.x, c.y). */
export function proofWords(proof: Groth16Proof): bigint[] {
  const w = (s: string | undefined): bigint => {
    if (s === undefined) throw new Error("malformed Groth16 proof");
    return BigInt(s);
  };
  return [
    w(proof.pi_a[0]),
    w(proof.pi_a[1]),
    w(proof.pi_b[0]?.[1]),
    w(proof.pi_b[0]?.[0]),
    w(proof.pi_b[1]?.[1]),
    w(proof.pi_b[1]?.[0]),
    w(proof.pi_c[0]),
    w(proof.pi_c[1]),
  ];
}

/** The proof bytes the Groth16 adapters take (256 bytes). */
export function encodeProof(proof: Groth16Proof): string {
  const [ax, ay, bx1, bx0, by1, by0, cx, cy] = proofWords(proof) as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  return AbiCoder.defaultAbiCoder().encode(
    ["uint256[2]", "uint256[2][2]", "uint256[2]"],
    [
      [ax, ay],
      [
        [bx1, bx0],
        [by1, by0],
      ],
      [cx, cy],
    ],
  );
}
