/** Node names of a commit-protocol cluster: one coordinator and participants p1..pN. */
import { assert } from "../../sim/assert.js";
import type { NodeId } from "../../sim/node.js";

/** The coordinator's node id in both 2PC and 3PC. */
export const COORDINATOR: NodeId = "coord";

/** Participant ids in their canonical order (p1, p2, ..., p10: numeric, not string order). */
export function participantIds(count: number): NodeId[] {
  assert(Number.isSafeInteger(count) && count >= 1, `participant count must be a positive integer, got ${count}`);
  return Array.from({ length: count }, (_, i) => `p${i + 1}`);
}
