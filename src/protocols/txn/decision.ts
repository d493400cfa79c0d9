/** The vocabulary every atomic-commit protocol shares: votes, outcomes and how an outcome was reached. */

/** A participant's answer to PREPARE (2PC) or CanCommit (3PC). */
export type Vote = "yes" | "no";

/** The outcome of one transaction; atomicity means every node reaches the same one. */
export type Decision = "commit" | "abort";

/**
 * How a node reached its decision: told by the coordinator, by its own timeout rule, by the
 * termination protocol among participants, while recovering from its log, or by voting no (a NO
 * vote is a unilateral abort: nothing the coordinator says can make that participant commit).
 */
export type Via = "coordinator" | "timeout" | "termination" | "recovery" | "vote";
