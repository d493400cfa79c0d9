/**
 * Total order (zab.md §4): if a server delivers a before b, anyone who delivers b delivered a
 * first. Checked as its equivalent on sequences without repeats: every zxid has one predecessor,
 * the same in every history that holds it (or none, being first). Then the whole prefix before b
 * is the same everywhere b appears.
 *
 * Judged on every apply, tentative ones included: a fast-forward or replay applies the log in the
 * order it was accepted, which is the leader's order; a TRUNC reload starts a new history. What
 * this does not judge is whether a history goes on after a txn that was never committed (that is
 * prefix consistency, on what servers serve).
 */
import type { NodeId } from "../../sim/node.js";
import type { ZabRule } from "./rule.js";
import { showZxid } from "./zxid.js";

const NONE = -1;

export function totalOrderRule(): ZabRule {
  const pred = new Map<number, { readonly before: number; readonly node: NodeId }>();
  const show = (z: number): string => (z === NONE ? "nothing (first)" : showZxid(z));
  return {
    invariant: "total-order",
    onApply(_m, s, entry) {
      const before = s.history[s.history.length - 1]?.z ?? NONE;
      const known = pred.get(entry.z);
      if (known === undefined) {
        pred.set(entry.z, { before, node: s.id });
        return null;
      }
      if (known.before === before) return null;
      return {
        nodes: known.node === s.id ? [s.id] : [known.node, s.id],
        message: `${s.id} applied ${showZxid(entry.z)} right after ${show(before)}, but ${known.node} applied it right after ${show(known.before)}`,
      };
    },
  };
}
