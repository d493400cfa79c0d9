/**
 * Consensus safety, first half: at most one value is chosen per instance (per slot). A second
 * value reaching a quorum of acceptors, in any ballot, is the violation, reported at the accept
 * event that completed its quorum.
 */
import type { Checker, Violation } from "./checker.js";
import { ChosenValues, type ConsensusModel } from "./chosen-values.js";

export function singleChoiceChecker(model: ConsensusModel): Checker {
  const chosen = new ChosenValues(model);
  return {
    name: "single-choice",
    onEvent(e, index): Violation | null {
      const c = chosen.onEvent(e, index);
      if (c === null) return null;
      const earlier = chosen.first(c.inst);
      if (earlier === null || earlier.val === c.val) return null;
      return {
        invariant: "single-choice",
        eventIndex: index,
        t: e.t,
        nodes: [...new Set([...earlier.nodes, ...c.nodes])].sort(),
        message: `instance ${c.inst}: ${JSON.stringify(earlier.val)} was chosen in ballot ${earlier.bal} (event ${earlier.index}, by ${earlier.nodes.join(",")}) and ${JSON.stringify(c.val)} in ballot ${c.bal} (by ${c.nodes.join(",")})`,
      };
    },
  };
}
