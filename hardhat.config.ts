import { createRequire } from "node:module";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);

/**
 * The compiler comes from the npm `solc` package (solcjs, WebAssembly): Hardhat never downloads one.
 * Keep SOLC_VERSION equal to the pinned `solc` version in package.json.
 */
const SOLC_VERSION = "0.8.30";
const solcPath = require.resolve("solc/soljson.js");
const REGISTRY_RUNS = 200;

const compilerWithRuns = (runs: number) => ({
  version: SOLC_VERSION,
  path: solcPath,
  settings: {
    evmVersion: "prague",
    optimizer: { enabled: true, runs },
    viaIR: false,
  },
});

/**
 * Every contract is optimised for 10,000 runs except the registry, which must stay under the 24,576-byte code
 * limit (EIP-170) with elections and relocation: it is compiled for fewer runs (docs/DECISIONS.md #35).
 */
const compiler = {
  compilers: [compilerWithRuns(10_000)],
  overrides: { "contracts/registry/ValidiumRegistry.sol": compilerWithRuns(REGISTRY_RUNS) },
};

/**
 * Fuzz and invariant settings are the same locally and in CI: the committed gas snapshot records fuzz
 * medians, which depend on the number of runs.
 */
export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    profiles: {
      default: compiler,
      production: compiler,
    },
  },
  paths: {
    tests: {
      mocha: "test",
      solidity: "test/solidity",
    },
  },
  test: {
    solidity: {
      fuzz: { runs: 512, seed: "0x636c75737465726b6974" },
      invariant: { runs: 64, depth: 40, failOnRevert: false },
    },
    mocha: {
      timeout: 600_000,
    },
  },
  typechain: {
    outDir: "typechain-types",
  },
  networks: {
    hardhatMainnet: {
      type: "edr-simulated",
      chainType: "l1",
      hardfork: "prague",
    },
    localhost: {
      type: "http",
      chainType: "l1",
      url: "http://127.0.0.1:8545",
    },
    // Read only when used: `npx hardhat keystore set SEPOLIA_RPC_URL` (or the environment variable).
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY")],
    },
  },
});
