/**
 * Integrity (zab.md §4): every txn a server applies was proposed by some primary, as that txn.
 * Judged on every apply, tentative ones included: a server's log only ever holds what a leader
 * proposed, so a replay or fast-forward of anything else is a bug too.
 */
import type { ZabRule } from "./rule.js";
import { showZxid } from "./zxid.js";

export function integrityRule(): ZabRule {
  return {
    invariant: "integrity",
    onApply(m, s, entry) {
      const proposed = m.proposals.get(entry.z);
      if (proposed === undefined) return { nodes: [s.id], message: `${s.id} applied ${showZxid(entry.z)} (${entry.what}), which no leader proposed` };
      if (!proposed.includes(entry.what)) {
        return { nodes: [s.id], message: `${s.id} applied ${showZxid(entry.z)} as ${entry.what}, but it was proposed as ${proposed.join(" / ")}` };
      }
      return null;
    },
  };
}
