/**
 * Mutual exclusion as ZooKeeper guarantees it for the lock and the leader election recipes: at most
 * one holder at a time, counting from ZooKeeper's view. A holding starts with the client's
 * `lock-acquired` / `election-leader` and ends when the client lets go (`lock-released` /
 * `election-resigned`, traced as its delete is sent) or when its session ends on the server
 * (`zk-session` expired or closed), whichever comes first; a client that still believes it holds
 * after its session ended does not count (it cannot know yet). An acquisition while another live
 * session holds is a violation.
 */
import type { NodeId } from "../../sim/node.js";
import type { TraceEvent } from "../../sim/trace.js";
import type { Checker, Violation } from "../checker.js";
import { SessionEnds, str } from "./session-ends.js";

type Holding = { readonly node: NodeId; readonly session: string; readonly index: number };

type Spec = {
  readonly invariant: string;
  /** The event that starts a holding, and the one that ends it. */
  readonly start: string;
  readonly end: string;
  /** The field naming the resource (`lock`, `election`). */
  readonly key: string;
  readonly holder: string;
};

function exclusiveChecker(spec: Spec): Checker {
  const ends = new SessionEnds();
  /** Resource -> live holdings by session. */
  const holdings = new Map<string, Map<string, Holding>>();

  return {
    name: spec.invariant,
    onEvent(e: TraceEvent, index: number): Violation | null {
      ends.observe(e, index);
      if (e.type !== spec.start && e.type !== spec.end) return null;
      const resource = str(e, spec.key);
      const session = str(e, "session");
      const node = str(e, "node");
      if (resource === null || session === null || node === null) return null;
      let held = holdings.get(resource);
      if (held === undefined) {
        held = new Map();
        holdings.set(resource, held);
      }
      for (const [s] of held) if (ends.has(s)) held.delete(s);
      if (e.type === spec.end) {
        held.delete(session);
        return null;
      }
      // A session ZooKeeper already ended holds nothing, whatever its client saw.
      if (ends.has(session)) return null;
      const other = [...held.values()].find((h) => h.session !== session);
      held.set(session, { node, session, index });
      if (other === undefined) return null;
      return {
        invariant: spec.invariant,
        eventIndex: index,
        t: e.t,
        nodes: [other.node, node],
        message: `${resource}: ${node} (session ${session}) became ${spec.holder} while ${other.node} (session ${other.session}) has been ${spec.holder} since event ${other.index}`,
      };
    },
  };
}

/** No two clients hold the same lock at once. */
export const lockChecker = (): Checker => exclusiveChecker({ invariant: "lock-exclusive", start: "lock-acquired", end: "lock-released", key: "lock", holder: "holder" });

/** At most one leader per election at once. */
export const electionChecker = (): Checker =>
  exclusiveChecker({ invariant: "single-leader", start: "election-leader", end: "election-resigned", key: "election", holder: "leader" });
