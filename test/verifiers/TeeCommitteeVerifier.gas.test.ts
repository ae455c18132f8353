/**
 * Gas of TeeCommitteeVerifier.verify for 2-of-3, 3-of-5 and 5-of-8 committees (keys spread round-robin
 * over three vendors, policy minVendors = 2), signed by exactly `threshold` keys and by all n keys, with
 * upper bounds so that a regression fails. Figures are estimateGas of the eth_call (21000 intrinsic gas
 * and calldata included) and that minus intrinsic and calldata gas (the execution alone, what the
 * registry pays inside submitUpdate on top of its own work). `TEE_GAS=1` prints the table.
 */
import { expect } from "chai";
import { getBytes, id as keccakId, Wallet } from "ethers";

import TeeCommitteeVerifierModule from "../../ignition/modules/TeeCommitteeVerifier.ts";
import { demoRoot, updateData } from "../../src/sdk/registry.ts";
import { signUpdateAsCommittee, TeeVendor } from "../../src/sdk/tee.ts";
import type { TeeCommitteeVerifier } from "../../typechain-types/index.ts";
import { ethers, ignition } from "../helpers/fixtures.ts";

const VENDORS = [TeeVendor.IntelTdx, TeeVendor.AmdSevSnp, TeeVendor.AwsNitro];

/** Calldata gas: 4 per zero byte, 16 per non-zero byte. */
function calldataGas(data: string): bigint {
  let gas = 0n;
  for (const b of getBytes(data)) gas += b === 0 ? 4n : 16n;
  return gas;
}

const gasTable: Record<string, { total: bigint; execution: bigint }> = {};

describe("TeeCommitteeVerifier: gas", function () {
  after(function () {
    if (process.env.TEE_GAS) console.table(gasTable);
  });

  for (const [threshold, n, bound] of [
    [2, 3, 44_500n],
    [3, 5, 52_500n],
    [5, 8, 68_000n],
  ] as const) {
    it(`test_verify_gas_${threshold}of${n}`, async function () {
      const { teeCommitteeVerifier } = await ignition.deploy(TeeCommitteeVerifierModule, {
        parameters: { TeeCommitteeVerifier: { threshold, minVendors: 2 } },
      });
      const verifier = teeCommitteeVerifier as unknown as TeeCommitteeVerifier;
      const target = {
        verifierAddress: await verifier.getAddress(),
        chainId: (await ethers.provider.getNetwork()).chainId,
      };
      const keys = Array.from({ length: n }, (_, i) => new Wallet(keccakId(`gas enclave ${n}/${i}`)));
      for (let i = 0; i < n; i++) await verifier.addKey(keys[i]!.address, VENDORS[i % VENDORS.length]!);
      const data = updateData(7n, demoRoot(7n, 0), demoRoot(7n, 1), 1n, 2n);

      for (const signers of [keys.slice(0, threshold), keys]) {
        const proof = await signUpdateAsCommittee(data, signers, target);
        expect(await verifier.verify(data, proof)).to.equal(true);
        const total = await verifier.verify.estimateGas(data, proof);
        const calldata = verifier.interface.encodeFunctionData("verify", [data, proof]);
        const execution = total - 21_000n - calldataGas(calldata);
        gasTable[`${threshold}-of-${n}, ${signers.length} signers`] = { total, execution };
        if (signers.length === threshold) expect(total).to.be.lessThan(bound);
      }
    });
  }
});
