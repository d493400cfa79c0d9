/**
 * Watch order (ZooKeeper's guarantee: "a client will see a watch event for a znode it is watching
 * before seeing the new data that corresponds to that znode"): once a session's read of a key
 * armed a data watch at version v, the session must receive the watch event before any reply that
 * shows the key past v, its own write's reply included. A watch event lost while the session
 * lives (a reconnect that failed to re-arm it, a server that skipped it) shows up the next time
 * the session reads or writes the key.
 *
 * Judged on the register workload's facts (`register-complete` with the version a reply carried
 * and `watched`, `register-watch` when the client library delivered the event), per session: an
 * expired session's watches are gone with it.
 */
import type { TraceEvent } from "../../sim/trace.js";
import type { ZabRule } from "../zab/rule.js";

export function watchOrderRule(): ZabRule {
  /** `session key` -> the version the armed watch was set at. */
  const armed = new Map<string, number>();
  return {
    invariant: "watch-order",
    eventTypes: ["register-watch", "register-complete"],
    onEvent(_m, e: TraceEvent) {
      const session = e["session"];
      const key = e["key"];
      if (typeof session !== "string" || typeof key !== "string") return null;
      const k = `${session} ${key}`;
      if (e.type === "register-watch") {
        armed.delete(k);
        return null;
      }
      if (e.type !== "register-complete" || e["outcome"] !== "ok") return null;
      const version = e["version"];
      if (typeof version !== "number") return null;
      const at = armed.get(k);
      if (at !== undefined && version > at) {
        armed.delete(k);
        const node = typeof e["node"] === "string" ? e["node"] : "?";
        return { nodes: [node], message: `session ${session} of ${node} saw version ${version} of ${key} (${String(e["f"])} reply) before the watch event it armed at version ${at}` };
      }
      if (e["watched"] === true && version >= 0 && at === undefined) armed.set(k, version);
      return null;
    },
  };
}
