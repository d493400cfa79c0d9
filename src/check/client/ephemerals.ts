/**
 * Ephemerals (ZooKeeper's session guarantee): an ephemeral znode exists exactly while the session
 * that created it lives. The register workload's clients each create one ephemeral per session
 * (`register-ephemeral`, with the zxid of its create) and list their siblings now and then
 * (`register-probe`, with the zxid of the state the listing shows). At that zxid r, a known
 * ephemeral created at c must be listed iff c <= r and its session's closeSession (committed: read
 * from the model's `Committed`) is not at or before r.
 *
 * An ephemeral whose create the client never heard back about is not judged (it may or may not
 * exist); a listing is exact because a server answers a read from the state at its last zxid.
 */
import type { TraceEvent } from "../../sim/trace.js";
import type { ZabRule } from "../zab/rule.js";
import { parseZxid, showZxid } from "../zab/zxid.js";

interface Ephemeral {
  readonly parent: string;
  readonly name: string;
  readonly owner: string;
  readonly created: number;
}

export function ephemeralsRule(): ZabRule {
  const known: Ephemeral[] = [];
  return {
    invariant: "ephemerals",
    eventTypes: ["register-ephemeral", "register-probe"],
    onEvent(m, e: TraceEvent) {
      if (e.type === "register-ephemeral") {
        const path = e["path"];
        const session = e["session"];
        const z = parseZxid(e["zxid"]);
        if (e["outcome"] !== "ok" || typeof path !== "string" || typeof session !== "string" || z === null) return null;
        const slash = path.lastIndexOf("/");
        known.push({ parent: slash === 0 ? "/" : path.slice(0, slash), name: path.slice(slash + 1), owner: session, created: z });
        return null;
      }
      if (e.type !== "register-probe") return null;
      const parent = e["parent"];
      const children = e["children"];
      const r = parseZxid(e["zxid"]);
      if (typeof parent !== "string" || !Array.isArray(children) || r === null) return null;
      const listed = new Set(children.filter((c): c is string => typeof c === "string"));
      const node = typeof e["node"] === "string" ? e["node"] : "?";
      for (const eph of known) {
        if (eph.parent !== parent || eph.created > r) continue;
        const closed = m.sessionClosedAt.get(eph.owner);
        const ended = closed !== undefined && closed <= r;
        const present = listed.has(eph.name);
        if (present && ended) {
          return { nodes: [node], message: `${node} listed ${parent}/${eph.name} at ${showZxid(r)}, but its session ${eph.owner} ended at ${showZxid(closed)}` };
        }
        if (!present && !ended) {
          return { nodes: [node], message: `${node} did not list ${parent}/${eph.name} at ${showZxid(r)}, created at ${showZxid(eph.created)} by session ${eph.owner}, which ${closed === undefined ? "lives" : `ended only at ${showZxid(closed)}`}` };
        }
      }
      return null;
    },
  };
}
