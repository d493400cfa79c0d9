/** Scripted NO votes: which participant votes NO on which transaction (scenarios set them). */
import type { NodeId } from "../../sim/node.js";

/** One scripted NO vote. */
export interface NoVote {
  readonly participant: NodeId;
  readonly tx: number;
}

/** Whether `participant` is scripted to vote NO on `tx`. */
export const votesNo = (noVotes: readonly NoVote[], participant: NodeId, tx: number): boolean =>
  noVotes.some((v) => v.participant === participant && v.tx === tx);
