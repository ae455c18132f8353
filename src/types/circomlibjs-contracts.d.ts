/** Typings for circomlibjs' EVM code generators (the rest of circomlibjs is typed in circomlibjs.d.ts). */
declare module "circomlibjs" {
  export const poseidonContract: {
    /** EVM bytecode (0x-prefixed creation code) of a Poseidon contract with `nInputs` inputs. */
    createCode(nInputs: number): string;
    /** Its ABI: `poseidon(uint256[n])` and `poseidon(bytes32[n])`. */
    generateABI(nInputs: number): unknown[];
  };
}
