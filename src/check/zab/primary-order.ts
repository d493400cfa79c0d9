/**
 * Local and global primary order (zab.md §4).
 *
 * Local: a primary's txns are delivered in the order it proposed them, with none skipped. A
 * leader's proposals of one epoch have counters 1, 2, 3, ...; so within a history, the txn after
 * <e,c> of the same epoch is <e,c+1>, and the first txn of an epoch in a history is <e,1>. The
 * proposals themselves are checked the same way (the next zxid, `ProposalConsistent`).
 *
 * Global: the epochs a server delivers never decrease (within a history; a reset starts anew).
 *
 * Both are judged on every apply, tentative ones included: the log a server replays was appended
 * in the leader's order, and TRUNC cuts it at a txn boundary.
 */
import type { ZabRule } from "./rule.js";
import { counterOf, epochOf, showZxid } from "./zxid.js";

export function localPrimaryOrderRule(): ZabRule {
  return {
    invariant: "local-primary-order",
    onApply(_m, s, entry) {
      const last = s.history[s.history.length - 1];
      const z = entry.z;
      if (last !== undefined && epochOf(last.z) === epochOf(z)) {
        if (counterOf(z) === counterOf(last.z) + 1) return null;
        return { nodes: [s.id], message: `${s.id} applied ${showZxid(z)} right after ${showZxid(last.z)}: the primary of epoch ${epochOf(z)} proposed them in another order or with others between` };
      }
      if (counterOf(z) === 1) return null;
      const after = last === undefined ? "as the first txn of its history" : `right after ${showZxid(last.z)} of epoch ${epochOf(last.z)}`;
      return { nodes: [s.id], message: `${s.id} applied ${showZxid(z)} ${after}, without <${epochOf(z)},1>..<${epochOf(z)},${counterOf(z) - 1}> before it` };
    },
    onPropose(_m, s, epoch, entry) {
      const lead = s.lead;
      const prev = lead?.proposed[lead.proposed.length - 1];
      const z = entry.z;
      if (epochOf(z) !== epoch) return { nodes: [s.id], message: `${s.id} proposed ${showZxid(z)} in epoch ${epoch}` };
      if (prev !== undefined && epochOf(prev) === epoch) {
        if (z === prev + 1) return null;
        return { nodes: [s.id], message: `${s.id} proposed ${showZxid(z)} right after ${showZxid(prev)}` };
      }
      if (counterOf(z) === 1) return null;
      return { nodes: [s.id], message: `${s.id} proposed ${showZxid(z)} as its first proposal of epoch ${epoch}` };
    },
  };
}

export function globalPrimaryOrderRule(): ZabRule {
  return {
    invariant: "global-primary-order",
    onApply(_m, s, entry) {
      const last = s.history[s.history.length - 1];
      if (last === undefined || epochOf(entry.z) >= epochOf(last.z)) return null;
      return { nodes: [s.id], message: `${s.id} applied ${showZxid(entry.z)} of epoch ${epochOf(entry.z)} after ${showZxid(last.z)} of epoch ${epochOf(last.z)}` };
    },
  };
}
