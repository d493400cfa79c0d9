/**
 * Committed-log durability (zab.md §4: CommittedLogDurability, LeaderLogCompleteness): a txn that
 * was committed is never lost, whatever crashes, restarts, TRUNCs and SNAPs happen. Judged where a
 * loss would surface:
 *
 * - a leader establishing a newer epoch (`zab-established`) or becoming active in one
 *   (`zab-active`) must hold all of `Committed` as a prefix of its history;
 * - a leader of an older epoch still running may commit (a late quorum of ACKs) only a txn that
 *   the newer epoch's leader held when it became active, and may become active only on a history
 *   that is a prefix of `Committed`.
 *
 * A leader that establishes an epoch older than the newest active one is not judged at that point:
 * a late ACKEPOCH can complete it, and it can never become active with a quorum that moved on.
 */
import { prefixMismatch, type ServerState, type ZabModel } from "./model.js";
import type { Found, ZabRule } from "./rule.js";
import { epochOf, showZxid } from "./zxid.js";

function lacksCommitted(m: ZabModel, s: ServerState, epoch: number, how: string): Found {
  const i = prefixMismatch(m.committed, s.history);
  if (i < 0) return null;
  const c = m.committed[i];
  const has = s.history[i];
  const instead = has === undefined ? "its history ends before it" : `it holds ${showZxid(has.z)} there`;
  const who = m.ghostLeader === null ? [s.id] : [...new Set([m.ghostLeader, s.id])];
  return { nodes: who, message: `${s.id} ${how} epoch ${epoch} without committed ${c === undefined ? "?" : showZxid(c.z)} (position ${i} of epoch ${m.ghostEpoch}'s committed history): ${instead}` };
}

export function durabilityRule(): ZabRule {
  return {
    invariant: "committed-log-durability",
    onEstablished(m, s, epoch) {
      return epoch > m.ghostEpoch ? lacksCommitted(m, s, epoch, "established") : null;
    },
    onActive(m, s, epoch) {
      if (epoch >= m.ghostEpoch) return lacksCommitted(m, s, epoch, "became active in");
      const i = prefixMismatch(s.history, m.committed);
      if (i < 0) return null;
      const own = s.history[i];
      return { nodes: [s.id], message: `${s.id} became active in old epoch ${epoch} holding ${own === undefined ? "?" : showZxid(own.z)} at position ${i}, which epoch ${m.ghostEpoch}'s committed history does not hold there` };
    },
    onCommit(m, s, z) {
      if (epochOf(z) >= m.ghostEpoch || m.committedAt.has(z)) return null;
      return { nodes: m.ghostLeader === null ? [s.id] : [s.id, m.ghostLeader], message: `${s.id} committed ${showZxid(z)} of epoch ${epochOf(z)}, but ${m.ghostLeader ?? "the leader"} became active in epoch ${m.ghostEpoch} without it` };
    },
  };
}
