/**
 * Consensus safety over time: a chosen value never changes. A node that saw or was told a value
 * chosen for an instance (`chosen`, `learn`) never later reports another one, and nobody reports a
 * value other than the one the acceptors' quorum actually chose (see ChosenValues).
 */
import type { NodeId } from "../sim/node.js";
import type { Checker, Violation } from "./checker.js";
import { ChosenValues, reportFields, type ConsensusModel } from "./chosen-values.js";

export function stableChoiceChecker(model: ConsensusModel): Checker {
  const chosen = new ChosenValues(model);
  /** What each node first reported per instance (`node/inst`). */
  const reported = new Map<string, { readonly val: string; readonly index: number }>();
  /** Every report per instance, to judge the ones made before the quorum became visible. */
  const byInst = new Map<number, { readonly node: NodeId; readonly val: string; readonly index: number }[]>();

  const violation = (t: number, index: number, nodes: readonly NodeId[], message: string): Violation => ({ invariant: "stable-choice", eventIndex: index, t, nodes, message });

  return {
    name: "stable-choice",
    onEvent(e, index): Violation | null {
      const c = chosen.onEvent(e, index);
      if (c !== null) {
        const first = chosen.first(c.inst);
        const wrong = (byInst.get(c.inst) ?? []).find((r) => first !== null && r.val !== first.val);
        if (wrong !== undefined && first === c) {
          return violation(e.t, index, [wrong.node], `instance ${c.inst}: ${wrong.node} reported ${JSON.stringify(wrong.val)} chosen (event ${wrong.index}) but the acceptors chose ${JSON.stringify(c.val)}`);
        }
        return null;
      }
      const r = reportFields(e);
      if (r === null) return null;
      const key = `${r.node}/${r.inst}`;
      const mine = reported.get(key);
      const list = byInst.get(r.inst) ?? [];
      list.push({ node: r.node, val: r.val, index });
      byInst.set(r.inst, list);
      if (mine === undefined) reported.set(key, { val: r.val, index });
      else if (mine.val !== r.val) {
        return violation(e.t, index, [r.node], `instance ${r.inst}: ${r.node} reported ${JSON.stringify(mine.val)} chosen (event ${mine.index}) and later ${JSON.stringify(r.val)}`);
      }
      const truth = chosen.first(r.inst);
      if (truth !== null && truth.val !== r.val) {
        return violation(e.t, index, [r.node], `instance ${r.inst}: ${r.node} reports ${JSON.stringify(r.val)} chosen but the acceptors chose ${JSON.stringify(truth.val)} (event ${truth.index})`);
      }
      return null;
    },
  };
}
