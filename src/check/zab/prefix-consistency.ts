/**
 * Prefix consistency (zab.md §4: committed prefixes agree position-wise; with ProcessConsistency
 * and CommitConsistency): whatever a server serves is a prefix of `Committed`. On entering
 * BROADCAST its whole history is judged; while it serves, each txn it applies must be the txn
 * `Committed` holds at that position. A txn served beyond `Committed` is a txn clients can read
 * that no quorum committed.
 *
 * Tentative applies (a fast-forward while LOOKING, a replay at start) are not judged: ZooKeeper
 * applies logged, uncommitted txns while it does not serve, and a TRUNC takes them back.
 */
import { sameEntry } from "./model.js";
import type { ZabRule } from "./rule.js";
import { showZxid } from "./zxid.js";

export function prefixConsistencyRule(): ZabRule {
  return {
    invariant: "prefix-consistency",
    onServed(m, s, entry, pos) {
      const c = m.committed[pos];
      if (c !== undefined && sameEntry(c, entry)) return null;
      if (c === undefined) {
        const last = m.committed.length === 0 ? "nothing" : showZxid(m.lastCommitted);
        return { nodes: [s.id], message: `${s.id} serves ${showZxid(entry.z)} (${entry.what}) at position ${pos}, beyond what is committed (${m.committed.length} txns, up to ${last})` };
      }
      return { nodes: [s.id], message: `${s.id} serves ${showZxid(entry.z)} (${entry.what}) at position ${pos}, where the committed history holds ${showZxid(c.z)} (${c.what})` };
    },
  };
}
