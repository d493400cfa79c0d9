import type { NodeContext } from "../../sim/node.js";
import type { ZkMessage } from "../server/messages.js";

/**
 * The facts the recipe nodes trace (the kernel adds `t` and `node`). Sessions are the hex ids the
 * server gave (`zk-session` events use the same form); `znode` is a full path. Checkers in
 * src/check/recipes read these together with the server's `zk-session` events.
 */
export type RecipeEvent =
  /** A recipe client has a new session and starts (or starts over) on it. */
  | { readonly type: "recipe-start"; readonly recipe: string; readonly session: string }
  /** The client learnt that its session expired; what it held is gone, it starts over. */
  | { readonly type: "recipe-expired"; readonly recipe: string; readonly session: string }
  /** A request failed in a way the recipe does not expect (it retries after a pause). */
  | { readonly type: "recipe-error"; readonly recipe: string; readonly op: string; readonly err: number; readonly session: string }
  /** The client's znode is the lowest: it holds the lock from here. */
  | { readonly type: "lock-acquired"; readonly lock: string; readonly session: string; readonly znode: string }
  /** The holder stops using the lock and sends the delete of its znode. */
  | { readonly type: "lock-released"; readonly lock: string; readonly session: string; readonly znode: string }
  /** The holder learnt that its session expired while it held the lock. */
  | { readonly type: "lock-lost"; readonly lock: string; readonly session: string; readonly znode: string }
  | { readonly type: "election-leader"; readonly election: string; readonly session: string; readonly znode: string }
  /** The leader ends its term and sends the delete of its znode (it then volunteers again). */
  | { readonly type: "election-resigned"; readonly election: string; readonly session: string; readonly znode: string }
  | { readonly type: "election-lost"; readonly election: string; readonly session: string; readonly znode: string }
  /** The producer knows its item is in the queue (create acknowledged, or found after a ConnectionLoss). */
  | { readonly type: "queue-produced"; readonly queue: string; readonly item: string; readonly znode: string }
  /** The producer cannot tell whether its item went in (not found after a ConnectionLoss); it never retries it. */
  | { readonly type: "queue-produce-unknown"; readonly queue: string; readonly item: string }
  /** The consumer's delete of the item succeeded: the item is consumed, by this consumer. */
  | { readonly type: "queue-consumed"; readonly queue: string; readonly item: string; readonly znode: string; readonly session: string }
  /** The consumer's delete was lost with the connection and the item is gone: maybe taken by this consumer. */
  | { readonly type: "queue-take-unknown"; readonly queue: string; readonly item: string; readonly znode: string }
  /** A consumer starts a scan (sync, then list); `scan` numbers the consumer's scans. */
  | { readonly type: "queue-scan"; readonly queue: string; readonly scan: number }
  /** That scan found the queue empty. */
  | { readonly type: "queue-empty"; readonly queue: string; readonly scan: number }
  /** The member sends the create of its node in the round (the session it joins with). */
  | { readonly type: "barrier-joining"; readonly barrier: string; readonly round: number; readonly member: string; readonly session: string; readonly size: number }
  /** The member passed the enter barrier of the round. */
  | { readonly type: "barrier-entered"; readonly barrier: string; readonly round: number; readonly member: string; readonly session: string; readonly size: number }
  /** The member passed the leave barrier of the round. */
  | { readonly type: "barrier-left"; readonly barrier: string; readonly round: number; readonly member: string; readonly session: string; readonly size: number }
  /** A setData of the config was acknowledged with this data version. */
  | { readonly type: "config-written"; readonly path: string; readonly version: number; readonly value: string }
  /** A reader read the config (after each change notification). */
  | { readonly type: "config-seen"; readonly path: string; readonly version: number; readonly value: string; readonly session: string }
  /** The member's ephemeral znode in the group exists (created, or found after a ConnectionLoss). */
  | { readonly type: "group-joined"; readonly group: string; readonly member: string; readonly session: string; readonly znode: string }
  /** The member leaves for good: it closes its session. */
  | { readonly type: "group-leaving"; readonly group: string; readonly member: string; readonly session: string }
  /** An observer's view of the group changed: the sorted child names. */
  | { readonly type: "group-view"; readonly group: string; readonly members: readonly string[]; readonly session: string };

export function traceRecipe(ctx: NodeContext<ZkMessage>, e: RecipeEvent): void {
  ctx.trace(e);
}
