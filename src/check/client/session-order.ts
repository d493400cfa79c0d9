/**
 * Per-session order (zab.md §4 "Client order"; ZooKeeper's sequential consistency and
 * read-your-writes): the zxids of the replies a session receives never decrease. A read is
 * answered at the zxid the server had applied, a write at its txn's zxid, a ping at the server's
 * last zxid; a session that moves to another server sends the newest zxid it saw, and a server
 * behind it refuses it. So a reply below one the session already received means it read an older
 * state than one it had seen, or its own write went missing.
 *
 * Judged from the kernel's messages, so only what the client really received counts: a reply the
 * server sent on a connection that broke before delivering it is not held against the next server
 * (a lost reply is not a seen state), and neither is a late message from a server the client has
 * already left (the library drops those). Sessions are told apart by the ConnectResponse that
 * opened them; an expired one ends.
 *
 * For the register workload, the same per session and key on data versions: the versions a
 * session reads and writes on one key never decrease (read-your-writes on the data itself).
 */
import type { NodeId } from "../../sim/node.js";
import type { TraceEvent } from "../../sim/trace.js";
import type { ZabRule } from "../zab/rule.js";
import { parseZxid, showZxid } from "../zab/zxid.js";

type Sent = { readonly kind: "reply"; readonly z: number; readonly from: NodeId } | { readonly kind: "connect"; readonly session: string; readonly ok: boolean };

interface Seen {
  /** The server of its current connection (the client library ignores everything else). */
  peer: NodeId | null;
  session: string | null;
  maxZxid: number;
  maxFrom: NodeId;
}

export function sessionOrderRule(isServer: (n: NodeId) => boolean): ZabRule {
  const sent = new Map<number, Sent>();
  const clients = new Map<NodeId, Seen>();
  const client = (id: NodeId): Seen => {
    let c = clients.get(id);
    if (c === undefined) {
      c = { peer: null, session: null, maxZxid: 0, maxFrom: id };
      clients.set(id, c);
    }
    return c;
  };
  const versions = new Map<string, { readonly version: number; readonly index: string }>();
  return {
    invariant: "session-order",
    eventTypes: ["conn-up", "conn-down", "send", "drop", "recv", "register-complete"],
    onEvent(_m, e: TraceEvent) {
      switch (e.type) {
        case "conn-up":
        case "conn-down": {
          const node = e["node"];
          const peer = e["peer"];
          if (typeof node !== "string" || typeof peer !== "string" || isServer(node) || e["ch"] !== "main") return null;
          const c = client(node);
          if (e.type === "conn-up") c.peer = peer;
          else if (c.peer === peer) c.peer = null;
          return null;
        }
        case "send": {
          const from = e["from"];
          const to = e["to"];
          const msg = e["msg"];
          const id = e["id"];
          if (typeof from !== "string" || typeof to !== "string" || typeof id !== "number" || !isServer(from) || isServer(to)) return null;
          if (typeof msg !== "object" || msg === null || Array.isArray(msg)) return null;
          const m = msg as Record<string, unknown>;
          if (m["type"] === "Reply") {
            const z = parseZxid(m["zxid"]);
            if (z !== null) sent.set(id, { kind: "reply", z, from });
          } else if (m["type"] === "ConnectResponse" && typeof m["sessionId"] === "string") {
            sent.set(id, { kind: "connect", session: m["sessionId"], ok: typeof m["timeoutMs"] === "number" && m["timeoutMs"] > 0 });
          }
          return null;
        }
        case "drop": {
          const id = e["id"];
          if (typeof id === "number") sent.delete(id);
          return null;
        }
        case "recv": {
          const id = e["id"];
          const to = e["to"];
          if (typeof id !== "number" || typeof to !== "string") return null;
          const s = sent.get(id);
          if (s === undefined) return null;
          sent.delete(id);
          const c = client(to);
          if (e["from"] !== c.peer) return null;
          if (s.kind === "connect") {
            if (!s.ok) c.session = null;
            else if (s.session !== c.session) Object.assign(c, { session: s.session, maxZxid: 0, maxFrom: to });
            return null;
          }
          if (c.session === null) return null;
          if (s.z >= c.maxZxid) {
            c.maxZxid = s.z;
            c.maxFrom = s.from;
            return null;
          }
          return {
            nodes: [to, s.from, c.maxFrom].filter((n, i, a) => a.indexOf(n) === i),
            message: `session ${c.session} of ${to} received a reply at ${showZxid(s.z)} from ${s.from} after one at ${showZxid(c.maxZxid)} from ${c.maxFrom}`,
          };
        }
        case "register-complete": {
          const session = e["session"];
          const key = e["key"];
          const version = e["version"];
          if (e["outcome"] !== "ok" || typeof session !== "string" || typeof key !== "string" || typeof version !== "number" || version < 0) return null;
          const k = `${session} ${key}`;
          const before = versions.get(k);
          if (before === undefined || version >= before.version) {
            versions.set(k, { version, index: String(e["f"]) });
            return null;
          }
          const node = typeof e["node"] === "string" ? e["node"] : "?";
          return { nodes: [node], message: `session ${session} of ${node} saw version ${version} of ${key} (${String(e["f"])}) after version ${before.version} (${before.index})` };
        }
        default:
          return null;
      }
    },
  };
}
