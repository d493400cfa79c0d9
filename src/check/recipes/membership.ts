/**
 * Group membership: the group each member observes converges to the live sessions. At the end of
 * the run, an observer whose session is alive must last have seen exactly the znodes of the members
 * whose sessions are alive (a member's child lives as long as the session that created it, as the
 * servers' `zk-session` events tell). Judged at the end only: views in between may lag.
 */
import type { NodeId } from "../../sim/node.js";
import type { TraceEvent } from "../../sim/trace.js";
import type { Checker, Violation } from "../checker.js";
import { SessionEnds, str } from "./session-ends.js";

type View = { readonly node: NodeId; readonly group: string; readonly session: string; readonly members: readonly string[]; readonly index: number; readonly t: number };

export function membershipChecker(): Checker {
  const ends = new SessionEnds();
  /** Group -> znode name -> the session that created it. */
  const joined = new Map<string, Map<string, string>>();
  /** Observer/group -> last view. */
  const views = new Map<string, View>();

  return {
    name: "membership",
    onEvent(e: TraceEvent, index: number): Violation | null {
      ends.observe(e, index);
      const node = str(e, "node");
      const group = str(e, "group");
      const session = str(e, "session");
      if (node === null || group === null || session === null) return null;
      if (e.type === "group-joined") {
        const znode = str(e, "znode");
        if (znode === null) return null;
        const g = joined.get(group) ?? new Map<string, string>();
        g.set(znode.slice(znode.lastIndexOf("/") + 1), session);
        joined.set(group, g);
      }
      if (e.type === "group-view") {
        const members = e["members"];
        if (!Array.isArray(members)) return null;
        views.set(`${node}\u0000${group}`, { node, group, session, members: (members as unknown[]).map(String), index, t: e.t });
      }
      return null;
    },
    finish(lastIndex: number): readonly Violation[] {
      const out: Violation[] = [];
      for (const v of views.values()) {
        if (ends.has(v.session)) continue;
        const live = [...(joined.get(v.group) ?? new Map<string, string>())].filter(([, s]) => !ends.has(s)).map(([name]) => name);
        const want = live.sort().join(",");
        const got = [...v.members].sort().join(",");
        if (want === got) continue;
        out.push({
          invariant: "group-converges",
          eventIndex: lastIndex,
          t: v.t,
          nodes: [v.node],
          message: `${v.group}: ${v.node} last saw [${got}] (event ${v.index}) but the live members are [${want}]`,
        });
      }
      return out;
    },
  };
}
