/** What every 2PC node is built with: the cluster, its timeouts and the scripted NO votes. */
import type { NodeId } from "../../sim/node.js";
import type { NoVote } from "../txn/votes.js";

/** 2PC node settings, all times in microseconds. */
export interface TwoPcConfig {
  readonly participants: readonly NodeId[];
  /** The coordinator aborts a transaction whose votes are not all in after this long. */
  readonly voteTimeoutUs: number;
  /** A prepared participant starts the termination protocol after waiting this long for the decision. */
  readonly decisionTimeoutUs: number;
  /** Period of every resend: PREPARE to silent participants, decisions until ACKed, termination queries. */
  readonly retryUs: number;
  readonly noVotes: readonly NoVote[];
}
