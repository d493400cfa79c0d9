/**
 * Consensus safety, the learners' view: no two learners learn different values for one instance.
 * Reads `learn` events ({node, inst, val}).
 */
import type { NodeId } from "../sim/node.js";
import type { Checker, Violation } from "./checker.js";

export function learnerAgreementChecker(): Checker {
  const first = new Map<number, { readonly node: NodeId; readonly val: string; readonly index: number }>();
  return {
    name: "learner-agreement",
    onEvent(e, index): Violation | null {
      if (e.type !== "learn") return null;
      const { node, inst, val } = e;
      if (typeof node !== "string" || typeof inst !== "number" || typeof val !== "string") return null;
      const ref = first.get(inst);
      if (ref === undefined) {
        first.set(inst, { node, val, index });
        return null;
      }
      if (ref.val === val || ref.node === node) return null;
      return {
        invariant: "learner-agreement",
        eventIndex: index,
        t: e.t,
        nodes: [ref.node, node].sort(),
        message: `instance ${inst}: ${ref.node} learned ${JSON.stringify(ref.val)} (event ${ref.index}) but ${node} learned ${JSON.stringify(val)}`,
      };
    },
  };
}
