/**
 * The double barrier: nobody leaves a round before every member entered it. A member excused is one
 * that dropped out: a session it joined the round with ended on the server before it entered (its
 * znode went with the session, so the others may rightly go on without it). Rounds are told apart by
 * the barrier path the events carry (`/b/r3`); the group size comes with the events.
 */
import type { TraceEvent } from "../../sim/trace.js";
import type { Checker, Violation } from "../checker.js";
import { int, SessionEnds, str } from "./session-ends.js";

type Round = { readonly entered: Set<string>; readonly joins: Map<string, Set<string>> };

export function barrierChecker(): Checker {
  const ends = new SessionEnds();
  const rounds = new Map<string, Round>();
  const roundOf = (barrier: string): Round => {
    let r = rounds.get(barrier);
    if (r === undefined) {
      r = { entered: new Set(), joins: new Map() };
      rounds.set(barrier, r);
    }
    return r;
  };

  return {
    name: "barrier",
    onEvent(e: TraceEvent, index: number): Violation | null {
      ends.observe(e, index);
      if (e.type !== "barrier-joining" && e.type !== "barrier-entered" && e.type !== "barrier-left") return null;
      const barrier = str(e, "barrier");
      const member = str(e, "member");
      const session = str(e, "session");
      const size = int(e, "size");
      const node = str(e, "node");
      if (barrier === null || member === null || session === null || size === null || node === null) return null;
      const r = roundOf(barrier);
      if (e.type === "barrier-joining") {
        const s = r.joins.get(member) ?? new Set<string>();
        s.add(session);
        r.joins.set(member, s);
        return null;
      }
      if (e.type === "barrier-entered") {
        r.entered.add(member);
        return null;
      }
      const dropped = [...r.joins].filter(([m, sessions]) => !r.entered.has(m) && [...sessions].some((s) => ends.has(s))).map(([m]) => m);
      if (r.entered.size + dropped.length >= size) return null;
      const waiting = [...r.joins.keys()].filter((m) => !r.entered.has(m) && !dropped.includes(m)).sort();
      return {
        invariant: "barrier-leave-after-enter",
        eventIndex: index,
        t: e.t,
        nodes: [node],
        message: `${barrier}: ${member} left when ${r.entered.size} of ${size} members had entered${waiting.length > 0 ? ` (not yet: ${waiting.join(", ")})` : ""}`,
      };
    },
  };
}
