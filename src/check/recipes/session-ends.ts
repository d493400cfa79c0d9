/**
 * Which sessions ZooKeeper has ended, from the servers' `zk-session` events: `expired` (the server
 * expired it) or `closed` (the client closed it). From then on the session's ephemerals are gone,
 * whatever the client still believes; the recipe checkers count from ZooKeeper's view.
 */
import type { TraceEvent } from "../../sim/trace.js";

export class SessionEnds {
  /** Session -> index of the first event that ended it. */
  private readonly ended = new Map<string, number>();

  observe(e: TraceEvent, index: number): void {
    if (e.type !== "zk-session") return;
    const session = e["session"];
    const event = e["event"];
    if (typeof session !== "string" || (event !== "expired" && event !== "closed")) return;
    if (!this.ended.has(session)) this.ended.set(session, index);
  }

  has(session: string): boolean {
    return this.ended.has(session);
  }

  /** The index of the event that ended the session, or null while it lives. */
  endedAt(session: string): number | null {
    return this.ended.get(session) ?? null;
  }
}

/** A string field of an event, or null when absent or of another type. */
export const str = (e: TraceEvent, key: string): string | null => {
  const v = e[key];
  return typeof v === "string" ? v : null;
};

/** An integer field of an event, or null. */
export const int = (e: TraceEvent, key: string): number | null => {
  const v = e[key];
  return typeof v === "number" ? v : null;
};
