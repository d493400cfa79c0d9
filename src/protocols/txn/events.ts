/**
 * The trace facts of atomic commit (the kernel adds `t` and `node`). `decide` is written exactly
 * once per node per transaction, when the decision record is durable: that is the moment the node
 * can no longer change its mind, and a crash before it leaves no decision behind.
 */
import type { NodeContext } from "../../sim/node.js";
import type { Decision, Via, Vote } from "./decision.js";

/** One protocol fact about one transaction. */
export type TxEvent =
  | { readonly type: "tx-begin"; readonly tx: number }
  | { readonly type: "vote"; readonly tx: number; readonly vote: Vote }
  | { readonly type: "precommit"; readonly tx: number }
  | { readonly type: "decide"; readonly tx: number; readonly decision: Decision; readonly via: Via }
  | { readonly type: "blocked"; readonly tx: number };

/** Writes a transaction fact to the node's trace. */
export function traceTx(ctx: Pick<NodeContext, "trace">, e: TxEvent): void {
  ctx.trace(e);
}
