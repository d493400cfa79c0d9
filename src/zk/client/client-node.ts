import { assertNever } from "../../sim/assert.js";
import type { ConnectionChange, Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import { ERR } from "../errors.js";
import type { ZkMessage } from "../server/messages.js";

/**
 * What the client library asks of its connection node: open a session at a server (null: an
 * address nothing listens on, so it stays CONNECTING), send a request, or shut down after close.
 */
export type ClientInput =
  | { readonly type: "open"; readonly server: NodeId | null; readonly timeoutMs: number }
  | { readonly type: "request"; readonly xid: number; readonly body: TraceValue }
  | { readonly type: "shutdown" };

/**
 * What the client node reports, as trace events the library reads (`zk-client-*`): session state
 * changes, replies and watch notifications, in the order they arrived on the connection.
 */
export type ClientReport =
  | { readonly type: "zk-client-state"; readonly state: "SyncConnected" | "Disconnected" | "Expired"; readonly session: string; readonly timeoutMs: number }
  | { readonly type: "zk-client-reply"; readonly xid: number; readonly zxid: string; readonly err: number; readonly body: TraceValue }
  | { readonly type: "zk-client-watch"; readonly event: string; readonly path: string };

const PING = "ping";
const RECONNECT = "reconnect";

/**
 * The network half of `ClientCnxn`: one connection to one server, the session handshake (a new
 * session, or the old one on reconnect), pings at a third of the session timeout while idle, a
 * reconnect after a random backoff below a second when the connection drops, and ConnectionLoss for
 * every request in flight when it does.
 */
export class ClientNode implements Node<ZkMessage, ClientInput> {
  private server: NodeId | null = null;
  private sessionId = "0x0";
  private timeoutMs = 30000;
  private established = false;
  private closed = false;
  private readonly pending = new Set<number>();

  onStart(_ctx: NodeContext<ZkMessage>, _how: StartKind): void {}

  onInput(ctx: NodeContext<ZkMessage>, input: ClientInput): void {
    switch (input.type) {
      case "open":
        this.shutdown(ctx);
        this.closed = false;
        this.server = input.server;
        this.sessionId = "0x0";
        this.timeoutMs = input.timeoutMs;
        if (this.server !== null) ctx.connect(this.server);
        return;
      case "request":
        if (!this.established || this.server === null) {
          this.report(ctx, { type: "zk-client-reply", xid: input.xid, zxid: "0x0", err: ERR.ConnectionLoss, body: null });
          return;
        }
        this.pending.add(input.xid);
        ctx.send(this.server, { type: "Request", xid: input.xid, body: input.body });
        this.armPing(ctx);
        return;
      case "shutdown":
        this.shutdown(ctx);
        return;
      default:
        return assertNever(input);
    }
  }

  private shutdown(ctx: NodeContext<ZkMessage>): void {
    this.closed = true;
    this.established = false;
    ctx.cancelTimer(PING);
    ctx.cancelTimer(RECONNECT);
    if (this.server !== null && ctx.isConnected(this.server)) ctx.disconnect(this.server);
    this.failPending(ctx);
  }

  private report(ctx: NodeContext<ZkMessage>, r: ClientReport): void {
    ctx.trace(r);
  }

  private failPending(ctx: NodeContext<ZkMessage>): void {
    for (const xid of this.pending) this.report(ctx, { type: "zk-client-reply", xid, zxid: "0x0", err: ERR.ConnectionLoss, body: null });
    this.pending.clear();
  }

  private armPing(ctx: NodeContext<ZkMessage>): void {
    ctx.setTimer(PING, Math.floor(this.timeoutMs / 3) * 1000);
  }

  onConnection(ctx: NodeContext<ZkMessage>, change: ConnectionChange): void {
    if (this.closed || change.peer !== this.server) return;
    if (change.up) {
      ctx.send(change.peer, { type: "ConnectRequest", sessionId: this.sessionId, timeoutMs: this.timeoutMs, lastZxid: "0x0" });
      return;
    }
    if (this.established) {
      this.established = false;
      ctx.cancelTimer(PING);
      this.failPending(ctx);
      this.report(ctx, { type: "zk-client-state", state: "Disconnected", session: this.sessionId, timeoutMs: this.timeoutMs });
    }
    ctx.setTimer(RECONNECT, (1 + ctx.random.below(1000)) * 1000);
  }

  onTimer(ctx: NodeContext<ZkMessage>, name: string): void {
    if (this.server === null) return;
    if (name === RECONNECT) {
      ctx.connect(this.server);
      return;
    }
    if (this.established) {
      ctx.send(this.server, { type: "Ping" });
      this.armPing(ctx);
    }
  }

  onMessage(ctx: NodeContext<ZkMessage>, from: NodeId, msg: ZkMessage): void {
    if (this.closed || from !== this.server) return;
    switch (msg.type) {
      case "ConnectResponse":
        if (msg.timeoutMs === 0) {
          this.report(ctx, { type: "zk-client-state", state: "Expired", session: msg.sessionId, timeoutMs: 0 });
          this.shutdown(ctx);
          return;
        }
        this.sessionId = msg.sessionId;
        this.timeoutMs = msg.timeoutMs;
        this.established = true;
        this.armPing(ctx);
        this.report(ctx, { type: "zk-client-state", state: "SyncConnected", session: msg.sessionId, timeoutMs: msg.timeoutMs });
        return;
      case "Reply":
        if (!this.pending.delete(msg.xid)) return;
        this.report(ctx, { type: "zk-client-reply", xid: msg.xid, zxid: msg.zxid, err: msg.err, body: msg.body });
        return;
      case "Notification":
        this.report(ctx, { type: "zk-client-watch", event: msg.event, path: msg.path });
        return;
      case "ConnectRequest":
      case "Request":
      case "Ping":
        return;
      default:
        return assertNever(msg);
    }
  }
}

export const clientNode = (_id: NodeId): ClientNode => new ClientNode();
