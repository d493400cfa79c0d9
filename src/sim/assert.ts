/**
 * Assertions mark bugs in zksim itself (kernel or protocol code). A protocol property that a run
 * breaks is a finding for a checker, never an assertion.
 */
export class AssertionError extends Error {
  override readonly name = "AssertionError";
}

export function assert(cond: unknown, why: string): asserts cond {
  if (!cond) throw new AssertionError(why);
}

export function assertNever(x: never, what = "value"): never {
  throw new AssertionError(`unexpected ${what}: ${JSON.stringify(x)}`);
}
