/**
 * Only the leader expires sessions (zab.md §2.5: `LeaderSessionTracker`; learners report the
 * sessions they heard from in their ping replies). A server that starts expiring a session
 * (`zk-session` event `expiring`) must be LEADING in BROADCAST at that moment; a learner doing it
 * would end sessions whose clients are alive and talking to other servers.
 */
import type { TraceEvent } from "../../sim/trace.js";
import type { ZabRule } from "../zab/rule.js";

export function sessionExpiryRule(): ZabRule {
  return {
    invariant: "session-expiry",
    eventTypes: ["zk-session"],
    onEvent(m, e: TraceEvent) {
      if (e.type !== "zk-session" || e["event"] !== "expiring") return null;
      const node = e["node"];
      if (typeof node !== "string") return null;
      const s = m.servers.get(node);
      if (s !== undefined && s.state === "LEADING" && s.serving) return null;
      return { nodes: [node], message: `${node} (${s?.state ?? "unknown"}/${s?.phase ?? "-"}) expired session ${String(e["session"])}: only the leader expires sessions` };
    },
  };
}
