/**
 * Agreement (zab.md §4): if s delivers a and t delivers b, then s delivers b or t delivers a.
 *
 * Two parts. Online, every apply of a zxid (tentative or served, on any server) must be the same
 * txn: one zxid never names two txns. At the end of the run, the sets of zxids each server ever
 * served (across restarts) must be ordered by inclusion: neither holds something the other lacks.
 * Tentative applies are left out of the second part, since a txn a crashed leader logged alone is
 * replayed by it and truncated later, which ZooKeeper allows (it was never delivered).
 */
import type { NodeId } from "../../sim/node.js";
import type { Finding, ZabRule } from "./rule.js";
import { showZxid } from "./zxid.js";

export function agreementRule(): ZabRule {
  const first = new Map<number, { readonly what: string; readonly node: NodeId }>();
  return {
    invariant: "agreement",
    onApply(_m, s, entry) {
      const known = first.get(entry.z);
      if (known === undefined) {
        first.set(entry.z, { what: entry.what, node: s.id });
        return null;
      }
      if (known.what === entry.what) return null;
      return { nodes: [known.node, s.id], message: `${showZxid(entry.z)} is ${known.what} on ${known.node} but ${entry.what} on ${s.id}` };
    },
    finish(m) {
      const out: Finding[] = [];
      const servers = [...m.servers.values()].filter((s) => s.served.size > 0).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (let i = 0; i < servers.length; i++) {
        for (let j = i + 1; j < servers.length; j++) {
          const a = servers[i] as (typeof servers)[number];
          const b = servers[j] as (typeof servers)[number];
          const onlyA = firstMissing(a.served, b.served);
          const onlyB = firstMissing(b.served, a.served);
          if (onlyA === null || onlyB === null) continue;
          out.push({
            nodes: [a.id, b.id],
            message: `${a.id} delivered ${showZxid(onlyA)}, which ${b.id} never did, and ${b.id} delivered ${showZxid(onlyB)}, which ${a.id} never did`,
          });
        }
      }
      return out;
    },
  };
}

/** The smallest member of `a` missing from `b`, or null. */
function firstMissing(a: ReadonlySet<number>, b: ReadonlySet<number>): number | null {
  let best: number | null = null;
  for (const z of a) if (!b.has(z) && (best === null || z < best)) best = z;
  return best;
}
