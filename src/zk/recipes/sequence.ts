import { assert } from "../../sim/assert.js";

/** The width of the counter ZooKeeper appends to a sequential node's name (`%010d`). */
const SEQUENCE_DIGITS = 10;

/** The sequence number a sequential node's name ends with. */
export function sequenceOf(name: string): number {
  const digits = name.slice(-SEQUENCE_DIGITS);
  assert(/^\d{10}$/.test(digits), `${name} is not a sequential node's name`);
  return Number(digits);
}

/** The name without its sequence suffix (what the client asked for). */
export const sequencePrefix = (name: string): string => name.slice(0, -SEQUENCE_DIGITS);

/** Sequential names in creation order (by their counter, as `ZNodeName` orders them). */
export function bySequence(names: readonly string[]): string[] {
  return [...names].sort((a, b) => sequenceOf(a) - sequenceOf(b) || (a < b ? -1 : a > b ? 1 : 0));
}
