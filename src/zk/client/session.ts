import { assert, assertNever } from "../../sim/assert.js";
import type { ConnectionChange, NodeContext, NodeId } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import { ERR } from "../errors.js";
import type { ZkMessage } from "../server/messages.js";
import { hex } from "../server/wire.js";
import type { WatchEventType } from "../watch-trigger.js";
import { CLIENT_BUGGIFY } from "./buggify-points.js";
import { HostProvider, SPIN_DELAY_MS } from "./host-provider.js";

/** The session events (`Watcher.Event.EventType.None`) the network half raises. */
export type SessionEvent = "SyncConnected" | "Disconnected" | "Expired";

/** A server's answer to one request, or the client's own verdict (ConnectionLoss, SessionExpired). */
export type SessionReply = { readonly xid: number; readonly zxid: string; readonly err: number; readonly body: TraceValue };

export type ReplyHandler = (ctx: NodeContext<ZkMessage>, reply: SessionReply) => void;

/** What the owner of a session hears, inside the node handler that caused it. */
export interface SessionListener {
  /** A session event, deduplicated as `ClientCnxn.EventThread` does (the same state twice is one event). */
  onSessionEvent(ctx: NodeContext<ZkMessage>, event: SessionEvent, sessionId: string): void;
  /** A watch notification, in the order it arrived among the replies. */
  onNotification(ctx: NodeContext<ZkMessage>, event: WatchEventType, path: string): void;
}

/** `ClientCnxn.PING_XID`: the server answers a ping with a reply carrying this xid. */
export const PING_XID = -2;

/** `ClientCnxn.SendThread.run`'s cap on idle sending: a ping once nothing went out for this long. */
const MAX_SEND_PING_INTERVAL_MS = 10_000;

/** Where the handle is: before `open`, trying servers, holding a session, or ended for good. */
export type SessionPhase = "idle" | "connecting" | "connected" | "closed";

type Outgoing = { readonly xid: number; readonly body: TraceValue; readonly onReply: ReplyHandler };

const T_CONNECT = "connect";
const T_CONNECT_TIMEOUT = "connect-timeout";
const T_READ_TIMEOUT = "read-timeout";
const T_PING = "ping";
const T_REFUSED = "refused";
const T_LATER = "later";
/** BUGGIFY `zk.client.drop-after-write`: the connection breaks once the write has gone out. */
const T_DROP = "drop";

/**
 * The network half of the ZooKeeper client (`ClientCnxn` with `StaticHostProvider`), embedded in a
 * node that forwards its connection changes, messages and timers here:
 *
 * - The connect string's servers are shuffled once (the node's seeded stream) and tried round-robin;
 *   back at the server of the last success, a full cycle pauses a second; every attempt after the
 *   first TCP connection of the handle waits a random 0-999 ms first (`startConnect`).
 * - An attempt that has not produced a session within sessionTimeout / #servers fails (the connect
 *   timeout). A refused, unreachable or closed connection fails at once. Either way the next server
 *   is tried, with the same session id and the newest zxid the client has seen, so that a server
 *   behind the client can refuse it (it closes the connection).
 * - Connected: a ping after readTimeout / 2 without sending (readTimeout = 2/3 of the negotiated
 *   timeout), and the connection is dropped when nothing was heard for readTimeout.
 * - On a drop, every request sent or queued fails with ConnectionLoss, then Disconnected is raised.
 *   A reconnect answered with timeout 0 raises Expired and closes the handle for good: queued and
 *   later requests fail with SessionExpired.
 * - Requests made while connecting wait for the attempt under way: sent once the session is
 *   (re)established, failed with ConnectionLoss if the attempt fails.
 *
 * The read timeout is enforced once some server has answered a ping (a reply with xid -2, as
 * `FinalRequestProcessor` sends): against a server that never answers pings, every idle connection
 * would trip it. Requests have no timeout of their own (`zookeeper.request.timeout` defaults to 0).
 */
export class ClientSession {
  private readonly listener: SessionListener;
  private readonly prefix: string;
  private phase: SessionPhase = "idle";
  private hosts: HostProvider<NodeId | null> | null = null;
  /** The server of the attempt or connection under way; `attempting` says whether there is one. */
  private target: NodeId | null = null;
  private attempting = false;
  /** The host chosen for the attempt that waits out its backoff. */
  private nextHost: NodeId | null = null;
  private tcpUp = false;
  private id = "0x0";
  /** `seenRwServerBefore`: the session id goes into reconnects once a server gave us one. */
  private established = false;
  /** `isFirstConnect`: no random backoff until the handle's first TCP connection. */
  private firstConnect = true;
  private requestedMs = 30_000;
  private negotiatedMs = 0;
  private seenZxid = 0n;
  private lastEvent: SessionEvent = "Disconnected";
  private pingAnswered = false;
  private lastSendUs = 0;
  private nextXid = 1;
  private outgoing: Outgoing[] = [];
  private pending = new Map<number, ReplyHandler>();
  private later: { readonly reply: SessionReply; readonly onReply: ReplyHandler }[] = [];
  /** Bumped by open, close and expiry, so work scheduled for an older handle does nothing. */
  private generation = 0;

  constructor(listener: SessionListener, timerPrefix = "zk-client/") {
    this.listener = listener;
    this.prefix = timerPrefix;
  }

  get state(): SessionPhase {
    return this.phase;
  }

  /** The session id as the server gave it (hex), "0x0" before the first session. */
  get sessionId(): string {
    return this.id;
  }

  /** The newest zxid any reply carried (what reconnects and setWatches send). */
  get lastZxid(): bigint {
    return this.seenZxid;
  }

  get negotiatedTimeoutMs(): number {
    return this.negotiatedMs;
  }

  /** The server the session is connected to, or null. */
  get server(): NodeId | null {
    return this.phase === "connected" ? this.target : null;
  }

  /** The servers in the order this handle tries them (after the shuffle). */
  hostOrder(): readonly (NodeId | null)[] {
    return this.hosts?.order() ?? [];
  }

  private get readTimeoutMs(): number {
    return Math.floor(((this.established ? this.negotiatedMs : this.requestedMs) * 2) / 3);
  }

  private get connectTimeoutMs(): number {
    const n = this.hosts?.size ?? 1;
    return Math.floor((this.established ? this.negotiatedMs : this.requestedMs) / n);
  }

  // ---------------------------------------------------------------- the handle's life

  /**
   * A new handle (`new ZooKeeper(connectString, sessionTimeout, ...)`): forgets any earlier one
   * (without closing its session), shuffles the servers and makes the first attempt at once.
   * `null` stands for an address nothing listens on: connecting to it is refused.
   */
  open(ctx: NodeContext<ZkMessage>, hosts: readonly (NodeId | null)[], sessionTimeoutMs: number): void {
    assert(hosts.length > 0, "a connect string names at least one server");
    assert(Number.isSafeInteger(sessionTimeoutMs) && sessionTimeoutMs > 0, "the session timeout is a positive integer");
    this.shutdown(ctx, ERR.SessionExpired);
    this.generation++;
    this.hosts = new HostProvider(hosts, ctx.random);
    this.phase = "connecting";
    this.id = "0x0";
    this.established = false;
    this.firstConnect = true;
    this.requestedMs = sessionTimeoutMs;
    if (ctx.buggify(CLIENT_BUGGIFY.shortSessionTimeout)) this.requestedMs = Math.max(1, Math.floor(sessionTimeoutMs / 4));
    this.negotiatedMs = 0;
    this.seenZxid = 0n;
    this.lastEvent = "Disconnected";
    this.nextXid = 1;
    this.nextAttempt(ctx);
  }

  /**
   * Ends the handle (`ZooKeeper.close`): with `closeSession`, a connected session is closed on the
   * server first (the request goes out before the connection closes, so the server applies it).
   * Whatever is still waiting fails with SessionExpired, as requests on a closed handle do.
   */
  close(ctx: NodeContext<ZkMessage>, closeSession: boolean): void {
    if (closeSession && this.phase === "connected" && this.target !== null) {
      ctx.send(this.target, { type: "Request", xid: this.nextXid++, body: { op: "write", req: { type: "closeSession" } } });
    }
    this.generation++;
    this.shutdown(ctx, ERR.SessionExpired);
  }

  private shutdown(ctx: NodeContext<ZkMessage>, err: number): void {
    if (this.phase === "idle") return;
    if (this.attempting || this.phase === "connected") this.trace(ctx, "zk-client-dropped", { reason: "closed-by-client" });
    this.dropLink(ctx);
    this.phase = "closed";
    for (const t of [T_CONNECT, T_CONNECT_TIMEOUT, T_READ_TIMEOUT, T_PING, T_REFUSED, T_DROP]) ctx.cancelTimer(this.prefix + t);
    this.failAll(ctx, err);
  }

  // ---------------------------------------------------------------- requests

  /** Sends a request (wire-encoded ClientOp) with the next xid; the handler gets its reply. */
  request(ctx: NodeContext<ZkMessage>, body: TraceValue, onReply: ReplyHandler): number {
    const xid = this.nextXid++;
    this.submit(ctx, xid, body, onReply);
    return xid;
  }

  /** Sends a request under an xid the caller chose (the client library numbers its own calls). */
  submit(ctx: NodeContext<ZkMessage>, xid: number, body: TraceValue, onReply: ReplyHandler): void {
    if (xid >= this.nextXid) this.nextXid = xid + 1;
    switch (this.phase) {
      case "idle":
        return this.answerLater(ctx, { xid, zxid: "0x0", err: ERR.ConnectionLoss, body: null }, onReply);
      case "closed":
        return this.answerLater(ctx, { xid, zxid: "0x0", err: ERR.SessionExpired, body: null }, onReply);
      case "connecting":
        this.outgoing.push({ xid, body, onReply });
        return;
      case "connected":
        return this.sendRequest(ctx, { xid, body, onReply });
      default:
        return assertNever(this.phase);
    }
  }

  private sendRequest(ctx: NodeContext<ZkMessage>, o: Outgoing): void {
    assert(this.target !== null, "a connected session has a server");
    this.pending.set(o.xid, o.onReply);
    this.sendToServer(ctx, { type: "Request", xid: o.xid, body: o.body });
    if (isWrite(o.body) && ctx.buggify(CLIENT_BUGGIFY.dropAfterWrite)) ctx.setTimer(this.prefix + T_DROP, 0);
  }

  private sendToServer(ctx: NodeContext<ZkMessage>, msg: ZkMessage): void {
    assert(this.target !== null, "sending needs a server");
    ctx.send(this.target, msg);
    this.lastSendUs = ctx.now();
    if (this.phase === "connected") this.armPing(ctx);
  }

  /** A verdict the client reaches without the server is handed over from a timer, never re-entrantly. */
  private answerLater(ctx: NodeContext<ZkMessage>, reply: SessionReply, onReply: ReplyHandler): void {
    this.later.push({ reply, onReply });
    ctx.setTimer(this.prefix + T_LATER, 0);
  }

  private failAll(ctx: NodeContext<ZkMessage>, err: number): void {
    const waiting: { readonly xid: number; readonly onReply: ReplyHandler }[] = [...this.pending].map(([xid, onReply]) => ({ xid, onReply }));
    waiting.push(...this.outgoing);
    this.pending = new Map();
    this.outgoing = [];
    for (const w of waiting) w.onReply(ctx, { xid: w.xid, zxid: "0x0", err, body: null });
  }

  // ---------------------------------------------------------------- connecting

  private nextAttempt(ctx: NodeContext<ZkMessage>): void {
    assert(this.hosts !== null, "attempts need a host list");
    let { host, spin } = this.hosts.next();
    if (!this.firstConnect && this.hosts.size > 1 && ctx.buggify(CLIENT_BUGGIFY.reconnectElsewhere)) {
      // This server is passed over, as one whose connection failed at once would be.
      const after = this.hosts.next();
      host = after.host;
      spin ||= after.spin;
    }
    const delayMs = (spin ? SPIN_DELAY_MS : 0) + (this.firstConnect ? 0 : ctx.random.below(1000));
    this.nextHost = host;
    if (delayMs === 0) this.startAttempt(ctx);
    else ctx.setTimer(this.prefix + T_CONNECT, delayMs * 1000);
  }

  private startAttempt(ctx: NodeContext<ZkMessage>): void {
    const host = this.nextHost;
    this.target = host;
    this.attempting = true;
    this.tcpUp = false;
    this.trace(ctx, "zk-client-connecting", { lastZxid: hex(this.seenZxid) });
    ctx.setTimer(this.prefix + T_CONNECT_TIMEOUT, this.connectTimeoutMs * 1000);
    if (host === null) ctx.setTimer(this.prefix + T_REFUSED, 0);
    else ctx.connect(host);
  }

  onConnection(ctx: NodeContext<ZkMessage>, change: ConnectionChange): void {
    const ours = this.attempting && this.target !== null && change.peer === this.target;
    if (!ours) {
      // A connection from an attempt this handle gave up on: close it.
      if (change.up) ctx.disconnect(change.peer, change.channel);
      return;
    }
    if (change.up) {
      if (this.tcpUp) return;
      this.tcpUp = true;
      this.firstConnect = false;
      this.sendToServer(ctx, {
        type: "ConnectRequest",
        sessionId: this.established ? this.id : "0x0",
        timeoutMs: this.requestedMs,
        lastZxid: hex(this.seenZxid),
      });
      return;
    }
    this.tcpUp = false;
    this.lose(ctx, change.reason);
  }

  /** The attempt or the connection ended: ConnectionLoss for everything waiting, Disconnected, next server. */
  private lose(ctx: NodeContext<ZkMessage>, reason: string): void {
    assert(this.phase === "connecting" || this.phase === "connected", "only a live handle loses its connection");
    this.trace(ctx, "zk-client-dropped", { reason });
    this.dropLink(ctx);
    this.phase = "connecting";
    for (const t of [T_CONNECT_TIMEOUT, T_READ_TIMEOUT, T_PING, T_REFUSED, T_DROP]) ctx.cancelTimer(this.prefix + t);
    const gen = this.generation;
    this.failAll(ctx, ERR.ConnectionLoss);
    if (gen !== this.generation) return;
    this.raise(ctx, "Disconnected");
    if (gen !== this.generation) return;
    this.nextAttempt(ctx);
  }

  private dropLink(ctx: NodeContext<ZkMessage>): void {
    if (this.tcpUp && this.target !== null && ctx.isConnected(this.target)) ctx.disconnect(this.target);
    this.tcpUp = false;
    this.attempting = false;
  }

  private raise(ctx: NodeContext<ZkMessage>, event: SessionEvent): void {
    if (event === this.lastEvent) return;
    this.lastEvent = event;
    ctx.trace({ type: "zk-client-state", state: event, session: this.id, timeoutMs: event === "Expired" ? 0 : this.negotiatedMs });
    this.listener.onSessionEvent(ctx, event, this.id);
  }

  // ---------------------------------------------------------------- messages

  onMessage(ctx: NodeContext<ZkMessage>, from: NodeId, msg: ZkMessage): void {
    if (!this.attempting || !this.tcpUp || from !== this.target) return;
    if (this.phase === "connected") {
      this.armRead(ctx);
      this.pingOnWake(ctx);
    }
    switch (msg.type) {
      case "ConnectResponse":
        if (this.phase !== "connecting") return;
        if (msg.timeoutMs <= 0) return this.expire(ctx);
        return this.connected(ctx, msg.sessionId, msg.timeoutMs);
      case "Reply": {
        const z = BigInt(msg.zxid);
        if (z > this.seenZxid) this.seenZxid = z;
        if (msg.xid === PING_XID) {
          if (!this.pingAnswered) {
            this.pingAnswered = true;
            this.armRead(ctx);
          }
          return;
        }
        const onReply = this.pending.get(msg.xid);
        if (onReply === undefined) return;
        this.pending.delete(msg.xid);
        onReply(ctx, { xid: msg.xid, zxid: msg.zxid, err: msg.err, body: msg.body });
        return;
      }
      case "Notification":
        this.listener.onNotification(ctx, msg.event, msg.path);
        return;
      case "ConnectRequest":
      case "Request":
      case "Ping":
        return;
      default:
        return assertNever(msg);
    }
  }

  /** `SendThread.onConnected`: the session is (re)established; queued requests go out after the event. */
  private connected(ctx: NodeContext<ZkMessage>, sessionId: string, timeoutMs: number): void {
    assert(this.hosts !== null, "connected without a host list");
    ctx.cancelTimer(this.prefix + T_CONNECT_TIMEOUT);
    this.hosts.onConnected();
    this.id = sessionId;
    this.negotiatedMs = timeoutMs;
    this.established = true;
    this.phase = "connected";
    this.armRead(ctx);
    this.armPing(ctx);
    const gen = this.generation;
    // The listener may send first (the client library's setWatches precedes queued requests).
    this.raise(ctx, "SyncConnected");
    if (gen !== this.generation || this.phase !== "connected") return;
    const queued = this.outgoing;
    this.outgoing = [];
    for (const o of queued) this.sendRequest(ctx, o);
  }

  /** The server no longer knows the session: Expired, then SessionExpired for everything waiting. */
  private expire(ctx: NodeContext<ZkMessage>): void {
    this.trace(ctx, "zk-client-dropped", { reason: "session-expired" });
    this.dropLink(ctx);
    this.phase = "closed";
    this.generation++;
    for (const t of [T_CONNECT, T_CONNECT_TIMEOUT, T_READ_TIMEOUT, T_PING, T_REFUSED, T_DROP]) ctx.cancelTimer(this.prefix + t);
    const waiting = { pending: this.pending, outgoing: this.outgoing };
    this.pending = new Map();
    this.outgoing = [];
    this.raise(ctx, "Expired");
    for (const [xid, onReply] of waiting.pending) onReply(ctx, { xid, zxid: "0x0", err: ERR.SessionExpired, body: null });
    for (const o of waiting.outgoing) o.onReply(ctx, { xid: o.xid, zxid: "0x0", err: ERR.SessionExpired, body: null });
  }

  // ---------------------------------------------------------------- timers

  private armRead(ctx: NodeContext<ZkMessage>): void {
    if (this.phase === "connected" && this.pingAnswered) ctx.setTimer(this.prefix + T_READ_TIMEOUT, this.readTimeoutMs * 1000);
  }

  /** The send thread sleeps until readTimeout / 2 after its last send, then pings. */
  private armPing(ctx: NodeContext<ZkMessage>): void {
    ctx.setTimer(this.prefix + T_PING, Math.floor(this.readTimeoutMs / 2) * 1000);
  }

  /**
   * Woken by a packet, the send thread also pings when it is within a second of the ping deadline
   * (once more than a second has passed since sending) or has sent nothing for 10 s.
   */
  private pingOnWake(ctx: NodeContext<ZkMessage>): void {
    const idleSendMs = Math.floor((ctx.now() - this.lastSendUs) / 1000);
    const toPingMs = Math.floor(this.readTimeoutMs / 2) - idleSendMs - (idleSendMs > 1000 ? 1000 : 0);
    if (toPingMs <= 0 || idleSendMs > MAX_SEND_PING_INTERVAL_MS) this.sendToServer(ctx, { type: "Ping" });
  }

  /** Handles the session's own timers; returns false for a timer that is not the session's. */
  onTimer(ctx: NodeContext<ZkMessage>, name: string): boolean {
    if (!name.startsWith(this.prefix)) return false;
    switch (name.slice(this.prefix.length)) {
      case T_CONNECT:
        if (this.phase === "connecting" && !this.attempting) this.startAttempt(ctx);
        return true;
      case T_CONNECT_TIMEOUT:
        if (this.phase === "connecting" && this.attempting) {
          ctx.mark("zk-client: connect timeout");
          this.lose(ctx, "connect-timeout");
        }
        return true;
      case T_READ_TIMEOUT:
        if (this.phase === "connected") {
          ctx.mark("zk-client: read timeout");
          this.lose(ctx, "read-timeout");
        }
        return true;
      case T_PING:
        if (this.phase === "connected") this.sendToServer(ctx, { type: "Ping" });
        return true;
      case T_REFUSED:
        if (this.phase === "connecting" && this.attempting && this.target === null) this.lose(ctx, "refused");
        return true;
      case T_DROP:
        if (this.phase === "connected") this.lose(ctx, "closed");
        return true;
      case T_LATER: {
        const due = this.later;
        this.later = [];
        for (const d of due) d.onReply(ctx, d.reply);
        return true;
      }
      default:
        return true;
    }
  }

  private trace(ctx: NodeContext<ZkMessage>, type: "zk-client-connecting" | "zk-client-dropped", fields: Record<string, string>): void {
    ctx.trace({ type, server: this.target, session: this.id, ...fields });
  }
}

/** A wire-encoded request that changes the tree (`{ op: "write", req }`). */
function isWrite(body: TraceValue): boolean {
  return typeof body === "object" && body !== null && !Array.isArray(body) && (body as { readonly op?: TraceValue }).op === "write";
}
