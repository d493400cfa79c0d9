/**
 * Primary integrity (zab.md §4): if the primary of epoch e proposes a, and anyone delivers b of an
 * epoch before e, then the primary delivered b before a. When a leader makes its first proposal of
 * an epoch, its history then (its initial history) is recorded; every txn of an older epoch that
 * any server serves, before or after that moment, must be in it.
 *
 * "Delivers" means served (see model.ts): a server's fast-forward of a txn that was never committed
 * (a crashed leader's last proposal, say) is not a delivery, and the new primary rightly lacks it.
 */
import type { NodeId } from "../../sim/node.js";
import type { Entry } from "./model.js";
import type { ZabRule } from "./rule.js";
import { epochOf, showZxid } from "./zxid.js";

interface Primary {
  readonly epoch: number;
  readonly node: NodeId;
  readonly initial: ReadonlySet<number>;
}

export function primaryIntegrityRule(): ZabRule {
  const primaries: Primary[] = [];
  /** zxids already judged against every primary of a later epoch recorded so far. */
  const judged = new Map<number, number>();
  const missing = (p: Primary, b: Entry, by: NodeId): { nodes: NodeId[]; message: string } => ({
    nodes: by === p.node ? [p.node] : [p.node, by],
    message: `${p.node} began proposing in epoch ${p.epoch} without ${showZxid(b.z)} of epoch ${epochOf(b.z)}, which ${by} delivered`,
  });
  return {
    invariant: "primary-integrity",
    onPropose(m, s, epoch) {
      if (s.lead === null || s.lead.proposed.length > 0 || primaries.some((p) => p.epoch === epoch && p.node === s.id)) return null;
      const p: Primary = { epoch, node: s.id, initial: new Set(s.history.map((x) => x.z)) };
      primaries.push(p);
      for (const b of m.servedAll.values()) {
        if (epochOf(b.z) < epoch && !p.initial.has(b.z)) {
          const by = [...m.servers.values()].find((x) => x.served.has(b.z))?.id ?? s.id;
          return missing(p, b, by);
        }
      }
      return null;
    },
    onServed(_m, s, entry) {
      // Judge a zxid once per set of primaries: serving it again elsewhere changes nothing.
      if (judged.get(entry.z) === primaries.length) return null;
      judged.set(entry.z, primaries.length);
      for (const p of primaries) if (p.epoch > epochOf(entry.z) && !p.initial.has(entry.z)) return missing(p, entry, s.id);
      return null;
    },
  };
}
