/**
 * Atomicity of a commit protocol: every node that decides a transaction decides the same outcome,
 * and no node changes its mind. Reads only `decide` events ({tx, decision: commit|abort}), so it
 * judges 2PC, 3PC or any protocol that writes them, live or from a trace file.
 */
import type { NodeId } from "../sim/node.js";
import type { TraceEvent } from "../sim/trace.js";
import type { Checker, Violation } from "./checker.js";

interface Decided {
  readonly node: NodeId;
  readonly decision: string;
  readonly index: number;
}

/** Flags two nodes deciding one transaction differently, and a node that decides twice differently. */
export function atomicityChecker(): Checker {
  /** The first decision seen per tx: every later one is compared with it. */
  const first = new Map<number, Decided>();
  /** Each node's own first decision per tx (`node/tx`). */
  const own = new Map<string, Decided>();

  const violation = (e: TraceEvent, index: number, nodes: readonly NodeId[], message: string): Violation => ({
    invariant: "atomicity",
    eventIndex: index,
    t: e.t,
    nodes,
    message,
  });

  return {
    name: "atomicity",
    onEvent(e: TraceEvent, index: number): Violation | null {
      if (e.type !== "decide") return null;
      const { node, tx, decision } = e;
      // Other protocols may write their own `decide` shapes; only commit/abort decisions are judged.
      if (typeof node !== "string" || typeof tx !== "number" || (decision !== "commit" && decision !== "abort")) return null;
      const mine = own.get(`${node}/${tx}`);
      if (mine !== undefined) {
        if (mine.decision === decision) return null;
        return violation(e, index, [node], `tx ${tx}: ${node} decided ${mine.decision} (event ${mine.index}) and later ${decision}`);
      }
      const d: Decided = { node, decision, index };
      own.set(`${node}/${tx}`, d);
      const ref = first.get(tx);
      if (ref === undefined) {
        first.set(tx, d);
        return null;
      }
      if (ref.decision === decision) return null;
      return violation(e, index, [ref.node, node], `tx ${tx}: ${ref.node} decided ${ref.decision} (event ${ref.index}) but ${node} decided ${decision}`);
    },
  };
}
