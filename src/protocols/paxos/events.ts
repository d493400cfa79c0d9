/**
 * The trace facts of the Paxos family (the kernel adds `t` and `node`). The checkers read `accept`
 * (an acceptor's acceptance, written once it is durable), `chosen` (a proposer saw a quorum accept)
 * and `learn` (a learner was told); the rest tell the story.
 */
import type { NodeContext } from "../../sim/node.js";
import type { Ballot } from "./ballot.js";

export type PaxosEvent =
  /** A client hands in a command, retries it, or hears the outcome (`ok`: its own value was chosen). */
  | { readonly type: "submit"; readonly cmd: number; readonly val: string }
  | { readonly type: "retry"; readonly cmd: number; readonly to: string; readonly attempt: number }
  | { readonly type: "reply"; readonly cmd: number; readonly inst: number; readonly val: string; readonly ok: boolean }
  /** A proposer starts phase 1 for one instance (`inst`) or, as a would-be leader, for all from `from`. */
  | { readonly type: "prepare"; readonly inst: number; readonly bal: Ballot }
  | { readonly type: "campaign"; readonly bal: Ballot; readonly from: number }
  | { readonly type: "leader"; readonly bal: Ballot; readonly from: number; readonly reproposed: number; readonly noops: number }
  | { readonly type: "step-down"; readonly bal: Ballot; readonly by: Ballot }
  /** Phase 2: the proposer asks the acceptors to accept `val`. */
  | { readonly type: "propose"; readonly inst: number; readonly bal: Ballot; readonly val: string }
  | { readonly type: "preempted"; readonly inst: number; readonly bal: Ballot; readonly by: Ballot }
  | { readonly type: "phase-timeout"; readonly inst: number; readonly bal: Ballot }
  | { readonly type: "chosen"; readonly inst: number; readonly bal: Ballot; readonly val: string }
  /** An acceptor's promise and acceptance, each traced once durable. `fast`: accepted in a fast round. */
  /** `all`: a leader's promise for every instance from `inst` on (Multi-Paxos, Fast Paxos). */
  | { readonly type: "promise"; readonly inst: number; readonly bal: Ballot; readonly all: boolean }
  | { readonly type: "accept"; readonly inst: number; readonly bal: Ballot; readonly val: string; readonly fast: boolean }
  | { readonly type: "learn"; readonly inst: number; readonly val: string }
  /** Fast Paxos: no value can reach a fast quorum; the coordinator recovers with a classic round. */
  | { readonly type: "collision"; readonly inst: number; readonly bal: Ballot; readonly votes: readonly (readonly [string, string])[] }
  | { readonly type: "recover"; readonly inst: number; readonly bal: Ballot; readonly val: string; readonly coordinated: boolean };

export function tracePaxos(ctx: Pick<NodeContext, "trace">, e: PaxosEvent): void {
  ctx.trace(e);
}
