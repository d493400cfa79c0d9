import type { ConnectionChange, Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { ZkMessage } from "../server/messages.js";
import type { ZkHandle } from "./zk-handle.js";

/**
 * A client node built on a `ZkHandle`: connection changes, messages and the handle's timers go to
 * the handle; the node's own timers reach `onOwnTimer`. Workload and recipe clients extend it.
 */
export abstract class ZkClientNode<I = never> implements Node<ZkMessage, I> {
  protected abstract readonly zk: ZkHandle;

  abstract onStart(ctx: NodeContext<ZkMessage>, how: StartKind): void;

  onConnection(ctx: NodeContext<ZkMessage>, change: ConnectionChange): void {
    this.zk.onConnection(ctx, change);
  }

  onMessage(ctx: NodeContext<ZkMessage>, from: NodeId, msg: ZkMessage): void {
    this.zk.onMessage(ctx, from, msg);
  }

  onTimer(ctx: NodeContext<ZkMessage>, name: string): void {
    if (!this.zk.onTimer(ctx, name)) this.onOwnTimer(ctx, name);
  }

  /** A timer the node set itself. */
  protected onOwnTimer(_ctx: NodeContext<ZkMessage>, _name: string): void {}
}
