/**
 * Leadership (zab.md §4, Leadership1/2): at most one server establishes each epoch (a quorum of
 * ACKEPOCHs, `zab-established`), and never do two live servers lead the same epoch in
 * SYNCHRONIZATION or BROADCAST at once. Leaders of different epochs may overlap for a while (an old
 * one has not yet noticed it lost its quorum); that is allowed here and judged by the other rules.
 */
import type { NodeId } from "../../sim/node.js";
import type { ZabRule } from "./rule.js";

export function leadershipRule(): ZabRule {
  const established = new Map<number, NodeId>();
  return {
    invariant: "leadership",
    onEstablished(_m, s, epoch) {
      const first = established.get(epoch);
      if (first === undefined) {
        established.set(epoch, s.id);
        return null;
      }
      if (first === s.id) return null;
      return { nodes: [first, s.id], message: `${s.id} established epoch ${epoch}, which ${first} had established already` };
    },
    onLeading(m, s) {
      const other = m.leadersOf(s.epoch).find((x) => x.id !== s.id);
      if (other === undefined) return null;
      return { nodes: [other.id, s.id], message: `${other.id} and ${s.id} both lead epoch ${s.epoch} (${other.phase} and ${s.phase})` };
    },
  };
}
