/**
 * Timer names and disk tags carry the transaction they belong to (`vote/3`, `decision/3`), so one
 * node can run many transactions with one timer per purpose per transaction.
 */
import { assert } from "../../sim/assert.js";

/** The name of a per-transaction timer or disk tag. */
export const keyOf = (kind: string, tx: number): string => `${kind}/${tx}`;

/** Splits a name built by `keyOf`; a name this node never built is a bug. */
export function parseKey<K extends string>(name: string, kinds: readonly K[]): { readonly kind: K; readonly tx: number } {
  const slash = name.lastIndexOf("/");
  const kind = name.slice(0, slash) as K;
  const tx = Number(name.slice(slash + 1));
  assert(slash > 0 && kinds.includes(kind), `unknown timer or disk tag ${name}`);
  assert(Number.isSafeInteger(tx), `timer or disk tag ${name} names no transaction`);
  return { kind, tx };
}
