/** The wire messages of Two-Phase Commit, including the participants' cooperative termination queries. */
import type { Decision, Vote } from "../txn/decision.js";

/** What a participant tells a peer that asks about a transaction. */
export type PeerAnswer = Decision | "uncertain";

/** Every 2PC message; `tx` names the transaction. */
export type TwoPcMessage =
  | { readonly type: "PREPARE"; readonly tx: number }
  | { readonly type: "VOTE"; readonly tx: number; readonly vote: Vote }
  | { readonly type: "COMMIT"; readonly tx: number }
  | { readonly type: "ABORT"; readonly tx: number }
  | { readonly type: "ACK"; readonly tx: number }
  /** A participant without a decision asks the coordinator or a peer (termination, recovery). */
  | { readonly type: "DECISION_REQ"; readonly tx: number }
  /** A peer's answer to DECISION_REQ. */
  | { readonly type: "STATE"; readonly tx: number; readonly state: PeerAnswer };

/** The decision message for an outcome. */
export const decisionMessage = (tx: number, d: Decision): TwoPcMessage => (d === "commit" ? { type: "COMMIT", tx } : { type: "ABORT", tx });
