/** Assertions shared by the TypeScript tests. */
import { expect } from "chai";

import { ChainRejection } from "../../src/cli/governance-commands.ts";

/** Awaits `p` and asserts that it rejects with an instance of `type` whose message matches `pattern`. */
export async function expectRejection(
  p: Promise<unknown>,
  type: abstract new (...args: never[]) => Error,
  pattern: RegExp = /./,
): Promise<void> {
  let thrown: unknown;
  try {
    await p;
  } catch (e) {
    thrown = e;
  }
  expect(thrown).to.be.instanceOf(type);
  expect((thrown as Error).message).to.match(pattern);
}

/** Expects `p` (a CLI command) to be rejected by the chain with custom error `name`, and returns the message. */
export async function expectChainRejection(p: Promise<unknown>, name: string): Promise<string> {
  let thrown: unknown;
  try {
    await p;
  } catch (e) {
    thrown = e;
  }
  expect(thrown).to.be.instanceOf(ChainRejection);
  const r = thrown as ChainRejection;
  expect(r.errorName).to.equal(name);
  expect(r.message).to.match(new RegExp(`^rejected by the chain: ${name}\\(`));
  return r.message;
}
