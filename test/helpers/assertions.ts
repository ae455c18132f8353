/** Assertions shared by the TypeScript tests. */
import { expect } from "chai";

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
