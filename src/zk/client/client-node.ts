import { assertNever } from "../../sim/assert.js";
import type { ConnectionChange, Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import type { ZkMessage } from "../server/messages.js";
import { ClientSession } from "./session.js";

/**
 * What the client library asks of its connection node: open a session (a new handle) at the servers
 * of a connect string, send a request, or shut down after close. `servers` lists the connect string's
 * servers in the order written (null: an address nothing listens on, so connecting there is
 * refused); the older single `server` form is one such entry.
 */
export type ClientInput =
  | {
      readonly type: "open";
      readonly server?: NodeId | null;
      readonly servers?: readonly (NodeId | null)[];
      readonly timeoutMs: number;
    }
  | { readonly type: "request"; readonly xid: number; readonly body: TraceValue }
  | { readonly type: "shutdown" };

/**
 * What the client node reports, as trace events the library reads (`zk-client-*`): session state
 * changes (traced by the session itself), replies and watch notifications, in the order they
 * arrived on the connection. The session also traces `zk-client-connecting` and `zk-client-dropped`.
 */
export type ClientReport =
  | { readonly type: "zk-client-state"; readonly state: "SyncConnected" | "Disconnected" | "Expired"; readonly session: string; readonly timeoutMs: number }
  | { readonly type: "zk-client-reply"; readonly xid: number; readonly zxid: string; readonly err: number; readonly body: TraceValue }
  | { readonly type: "zk-client-watch"; readonly event: string; readonly path: string };

/**
 * The node behind `SimClient`: a `ClientSession` (the network half of `ClientCnxn`) whose replies
 * and notifications are reported as trace events for the synchronous library to read.
 */
export class ClientNode implements Node<ZkMessage, ClientInput> {
  private readonly session = new ClientSession({
    onSessionEvent: () => undefined,
    onNotification: (ctx, event, path) => this.report(ctx, { type: "zk-client-watch", event, path }),
  });

  onStart(_ctx: NodeContext<ZkMessage>, _how: StartKind): void {}

  onInput(ctx: NodeContext<ZkMessage>, input: ClientInput): void {
    switch (input.type) {
      case "open":
        this.session.open(ctx, input.servers ?? [input.server ?? null], input.timeoutMs);
        return;
      case "request":
        this.session.submit(ctx, input.xid, input.body, (c, r) => this.report(c, { type: "zk-client-reply", xid: r.xid, zxid: r.zxid, err: r.err, body: r.body }));
        return;
      case "shutdown":
        this.session.close(ctx, false);
        return;
      default:
        return assertNever(input);
    }
  }

  private report(ctx: NodeContext<ZkMessage>, r: ClientReport): void {
    ctx.trace(r);
  }

  onConnection(ctx: NodeContext<ZkMessage>, change: ConnectionChange): void {
    this.session.onConnection(ctx, change);
  }

  onTimer(ctx: NodeContext<ZkMessage>, name: string): void {
    this.session.onTimer(ctx, name);
  }

  onMessage(ctx: NodeContext<ZkMessage>, from: NodeId, msg: ZkMessage): void {
    this.session.onMessage(ctx, from, msg);
  }

  /** The servers in the order this node's current handle tries them. */
  hostOrder(): readonly (NodeId | null)[] {
    return this.session.hostOrder();
  }
}

export const clientNode = (_id: NodeId): ClientNode => new ClientNode();
