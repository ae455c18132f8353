/** The prover: backend interface, the CPU backend, artifacts and Solidity encoding. */
export * from "./backend.ts";
export * from "./cpu-backend.ts";
export * from "./artifacts.ts";
export * from "./solidity.ts";
