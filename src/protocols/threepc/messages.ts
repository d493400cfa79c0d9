/** The wire messages of Three-Phase Commit and of its termination protocol. */
import type { Decision, Vote } from "../txn/decision.js";

/**
 * A participant's state as the termination protocol sees it. `voted yes, no PreCommit yet` is
 * `uncertain`; a participant that had not voted aborts on its own before it answers.
 */
export type PeerState = "uncertain" | "precommitted" | "committed" | "aborted";

/** Every 3PC message; `tx` names the transaction. */
export type ThreePcMessage =
  | { readonly type: "CAN_COMMIT"; readonly tx: number }
  | { readonly type: "VOTE"; readonly tx: number; readonly vote: Vote }
  | { readonly type: "PRE_COMMIT"; readonly tx: number }
  | { readonly type: "PRE_ACK"; readonly tx: number }
  | { readonly type: "DO_COMMIT"; readonly tx: number }
  | { readonly type: "ABORT"; readonly tx: number }
  | { readonly type: "ACK"; readonly tx: number }
  /** A waiting participant asks the coordinator for the outcome. */
  | { readonly type: "DECISION_REQ"; readonly tx: number }
  /** A termination leader (participant or recovering coordinator), or a waiting participant, asks a participant. */
  | { readonly type: "STATE_REQ"; readonly tx: number }
  /** `recovered`: the state was read back from the log after a crash, so a PreCommit may have been missed. */
  | { readonly type: "STATE"; readonly tx: number; readonly state: PeerState; readonly recovered: boolean };

/** The decision message for an outcome. */
export const decisionMessage = (tx: number, d: Decision): ThreePcMessage => (d === "commit" ? { type: "DO_COMMIT", tx } : { type: "ABORT", tx });
