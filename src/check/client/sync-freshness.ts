/**
 * Reads after `sync` are not stale: a session that calls sync and then reads sees at least every
 * txn committed before it called sync. When a server of the newest active epoch takes a sync
 * (`zk-request` op sync), the newest committed zxid is noted; the sync's reply and the session's
 * next read reply on that server must carry a zxid at least as new.
 *
 * Not judged: a sync taken by a server of an older epoch. ZooKeeper's sync is not a quorum
 * operation: a leader that has not yet noticed it lost its quorum (within syncLimit ticks, or
 * longer after a stop-the-world pause) answers it from its own state, as 3.8 does.
 */
import type { TraceEvent } from "../../sim/trace.js";
import type { ZabRule } from "../zab/rule.js";
import { parseZxid, showZxid } from "../zab/zxid.js";

const READS: readonly string[] = Object.freeze(["getData", "exists", "getChildren", "getAllChildrenNumber", "getEphemerals", "getACL"]);

export function syncFreshnessRule(): ZabRule {
  /** session -> what its sync must reach, and on which server. */
  const waiting = new Map<string, { readonly frontier: number; readonly node: string; synced: boolean }>();
  return {
    invariant: "sync-freshness",
    eventTypes: ["zk-request", "zk-response"],
    onEvent(m, e: TraceEvent) {
      const node = e["node"];
      const session = e["session"];
      if (typeof node !== "string" || typeof session !== "string") return null;
      const op = e["op"];
      if (e.type === "zk-request" && op === "sync") {
        const s = m.servers.get(node);
        if (s !== undefined && s.serving && s.epoch === m.ghostEpoch) waiting.set(session, { frontier: m.lastCommitted, node, synced: false });
        else waiting.delete(session);
        return null;
      }
      if (e.type !== "zk-response" || e["err"] !== 0) return null;
      const w = waiting.get(session);
      if (w === undefined || w.node !== node || (op !== "sync" && !(w.synced && typeof op === "string" && READS.includes(op)))) return null;
      const z = parseZxid(e["zxid"]);
      if (op === "sync") w.synced = true;
      else waiting.delete(session);
      if (z === null || z >= w.frontier) return null;
      return { nodes: [node], message: `session ${session} on ${node}: ${op === "sync" ? "sync answered" : `${String(op)} after sync read`} at ${showZxid(z)}, but ${showZxid(w.frontier)} was committed before the sync` };
    },
  };
}
