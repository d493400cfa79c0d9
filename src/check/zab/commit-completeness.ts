/**
 * Commit completeness (zab.md §4: CommittedLogMonotonicity / CommitCompleteness, and the leader's
 * side of CommitConsistent): a leader commits only in an epoch it made active, only txns it
 * proposed in this leadership, and strictly in the order it proposed them, none skipped; so its
 * committed log is always a prefix of its proposals, and (with prefix consistency on what it
 * applies) `Committed` stays a prefix of every broadcasting leader's committed log.
 */
import type { ZabRule } from "./rule.js";
import { showZxid } from "./zxid.js";

export function commitCompletenessRule(): ZabRule {
  return {
    invariant: "commit-completeness",
    onCommit(_m, s, z) {
      const lead = s.lead;
      if (lead === null || !lead.active) return { nodes: [s.id], message: `${s.id} committed ${showZxid(z)} without leading an active epoch` };
      const next = lead.proposed[lead.nextCommit];
      if (next === z) return null;
      if (lead.committed.has(z)) return { nodes: [s.id], message: `${s.id} committed ${showZxid(z)} twice` };
      if (!lead.proposed.includes(z)) return { nodes: [s.id], message: `${s.id} committed ${showZxid(z)}, which it did not propose as leader of epoch ${lead.epoch}` };
      return { nodes: [s.id], message: `${s.id} committed ${showZxid(z)} before ${next === undefined ? "?" : showZxid(next)}, which it proposed earlier` };
    },
  };
}
