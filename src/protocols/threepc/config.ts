/** What every 3PC node is built with: the cluster, its timeouts and the scripted NO votes. */
import type { NodeId } from "../../sim/node.js";
import type { NoVote } from "../txn/votes.js";

/**
 * 3PC node settings, all times in microseconds. 3PC is non-blocking only if timeouts bound the
 * coordinator's rounds: a participant's waits must outlast the coordinator's own timeouts.
 */
export interface ThreePcConfig {
  readonly participants: readonly NodeId[];
  /** The coordinator aborts a transaction whose votes are not all in after this long. */
  readonly voteTimeoutUs: number;
  /** The coordinator commits anyway this long after PreCommit (a silent participant has failed and will learn). */
  readonly ackTimeoutUs: number;
  /** A participant that voted yes waits this long for PreCommit before terminating (usually: abort). */
  readonly precommitTimeoutUs: number;
  /** A precommitted participant waits this long for DoCommit before terminating (usually: commit). */
  readonly commitTimeoutUs: number;
  /** Period of resends, of termination re-tries, and the time a termination round waits for answers. */
  readonly retryUs: number;
  readonly noVotes: readonly NoVote[];
}
