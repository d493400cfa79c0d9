import { assert, assertNever } from "../../sim/assert.js";
import type { ConnectionChange, NodeContext, NodeId } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import type { Id } from "../acl.js";
import { PERM } from "../acl.js";
import { ServerWatches, WatchTable } from "../cli/server-watches.js";
import { authInfoOrder, digestId, sessionAclHook, userOf } from "../cli/session-auth.js";
import type { DataTree } from "../datatree.js";
import { ERR } from "../errors.js";
import { exists, getAcl, getAllChildrenNumber, getChildren2, getData, getEphemerals, type ReadResult } from "../reads.js";
import type { Txn, TxnHeader } from "../txn.js";
import type { WriteRequest } from "../validate.js";
import type { WatchEventType, WatchTrigger } from "../watch-trigger.js";
import { ExpiryQueue } from "./expiry-queue.js";
import type { ServerSnapshot } from "./four-letter-words.js";
import { opName, opPath, type ClientOp, type ZkMessage } from "./messages.js";
import type { StandaloneConfig } from "./standalone-server.js";
import { fromWire, hex, toWire } from "./wire.js";
import { txnErr, type ZkDb } from "./zkdb.js";

/** A request waiting for its turn to be answered (reads queue behind the same session's writes). */
type Queued = {
  readonly xid: number;
  readonly op: ClientOp;
  readonly receivedUs: number;
  /** Set once a write is applied; reads are evaluated when they reach the head. */
  reply: { readonly zxid: bigint; readonly err: number; readonly body: TraceValue } | null;
  readonly write: boolean;
};

/** A session connected to this server: its connection, auth ids, watches and request queue. */
export type LocalSession = {
  readonly id: bigint;
  /** `id` as the trace writes it (every request and response line carries it). */
  readonly hexId: string;
  readonly timeoutMs: number;
  readonly authIds: Id[];
  readonly data: ServerWatches;
  readonly child: ServerWatches;
  conn: NodeId | null;
  readonly queue: Queued[];
};

type Conn = { readonly peer: NodeId; readonly port: number; sessionId: bigint | null; recved: number; sent: number };

type Latency = { min: number; max: number; sum: number; count: number };

/**
 * Where a write goes once the serving core has it: a standalone server preps and logs it; a
 * leader preps and proposes it; a learner forwards it to the leader. Whichever way, it comes back
 * through `ServingCore.commit` in zxid order. `xid` null: no client waits (an expiry's close).
 */
export interface WritePath {
  submit(ctx: NodeContext<ZkMessage>, session: LocalSession | { readonly id: bigint; readonly authIds: readonly Id[] }, xid: number | null, req: WriteRequest): void;
  /**
   * `sync`: answer through `ServingCore.syncDone` once everything the leader had proposed when the
   * sync reached it is applied here (a standalone server: at once).
   */
  sync(ctx: NodeContext<ZkMessage>, session: LocalSession, xid: number): void;
  /** Requests handed over and not yet committed (the `Outstanding` of srvr). */
  outstanding(): number;
}

export type ServingOptions = {
  readonly cfg: StandaloneConfig;
  /** `SessionTrackerImpl.initializeNextSession(sid)`: the top byte of every id this server makes. */
  readonly serverId: number;
  /** Only a standalone server and a leader expire sessions; learners report touches instead. */
  readonly expires: boolean;
};

export const EXPIRE_TIMER = "session-expiry";

/** `ClientCnxn.PING_XID`. */
const PING_XID = -2;

/** `SessionTrackerImpl.initializeNextSession`: (wall ms << 24) >>> 8, the server id in the top byte. */
function firstSessionId(nowMs: number, serverId: number): bigint {
  const mask = (1n << 64n) - 1n;
  return ((((BigInt(nowMs) << 24n) & mask) >> 8n) | (BigInt(serverId) << 56n)) & mask;
}

/**
 * The client-facing half of a running ZooKeeperServer: client connections and their sessions,
 * reads answered from the local tree in session order, committed txns applied with their watches
 * fired before the reply, session expiry in tick buckets (where this server owns it). A standalone
 * server keeps one for its life; a quorum peer builds one each time it starts serving (after
 * UPTODATE, or as a leader after NEWLEADER's quorum) and drops it, with every client connection,
 * when it leaves that role.
 */
export class ServingCore {
  private readonly cfg: StandaloneConfig;
  private nextSessionId = 0n;
  readonly sessions = new Map<bigint, LocalSession>();
  private readonly conns = new Map<NodeId, Conn>();
  private readonly expiry: ExpiryQueue<bigint> | null;
  /** Sessions whose close (asked or by expiry) is in flight. */
  private readonly closing = new Set<bigint>();
  /** A learner's touches since its last ping reply (`LearnerSessionTracker.touchTable`). */
  private readonly touched = new Map<bigint, number>();
  private nextPort = 40000;
  received = 0;
  sent = 0;
  private readonly latency: Latency = { min: 0, max: 0, sum: 0, count: 0 };
  /** The data watch manager's own tables (DataTree.dataWatches), which the watch four-letter words print. */
  readonly dataWatchTable = new WatchTable();
  /** Events a setWatches found missed; they go out just before its reply. */
  private readonly pendingNotes: { readonly to: NodeId; readonly event: WatchEventType; readonly path: string }[] = [];

  constructor(
    ctx: NodeContext<ZkMessage>,
    private readonly db: ZkDb,
    private readonly writes: WritePath,
    private readonly opts: ServingOptions,
  ) {
    this.cfg = opts.cfg;
    this.nextSessionId = firstSessionId(this.wallMs(ctx), opts.serverId);
    this.expiry = opts.expires ? new ExpiryQueue(opts.cfg.tickTimeMs) : null;
    if (this.expiry !== null && db.sessions.size > 0) {
      // The tracker starts every known session with a full timeout (SessionTrackerImpl's load).
      for (const [id, timeoutMs] of db.sessions) this.expiry.update(id, this.nowMs(ctx), timeoutMs);
      this.armExpiry(ctx);
    }
  }

  /** The session tracker's buckets, where this server expires sessions (null on a learner); `dump` lists them. */
  get expiryQueue(): ExpiryQueue<bigint> | null {
    return this.expiry;
  }

  get minTimeoutMs(): number {
    return this.cfg.minSessionTimeoutMs === -1 ? this.cfg.tickTimeMs * 2 : this.cfg.minSessionTimeoutMs;
  }

  get maxTimeoutMs(): number {
    return this.cfg.maxSessionTimeoutMs === -1 ? this.cfg.tickTimeMs * 20 : this.cfg.maxSessionTimeoutMs;
  }

  private get tree(): DataTree {
    return this.db.tree;
  }

  private nowMs(ctx: NodeContext<ZkMessage>): number {
    return Math.floor(ctx.now() / 1000);
  }

  wallMs(ctx: NodeContext<ZkMessage>): number {
    return this.cfg.epochMs + this.nowMs(ctx);
  }

  // ---------------------------------------------------------------- connections

  onConnection(ctx: NodeContext<ZkMessage>, change: ConnectionChange): void {
    if (change.up) {
      this.conns.set(change.peer, { peer: change.peer, port: this.nextPort++, sessionId: null, recved: 0, sent: 0 });
      return;
    }
    const c = this.conns.get(change.peer);
    this.conns.delete(change.peer);
    const s = c?.sessionId == null ? undefined : this.sessions.get(c.sessionId);
    if (s !== undefined && s.conn === change.peer) {
      // The session outlives its connection until it expires (the client may reconnect anywhere).
      s.conn = null;
      s.data.clear();
      s.child.clear();
    }
    void ctx;
  }

  /** Closes every client connection (the server stops serving: a role change or shutdown). */
  closeAll(ctx: NodeContext<ZkMessage>): void {
    for (const peer of this.conns.keys()) ctx.disconnect(peer);
    this.conns.clear();
    ctx.cancelTimer(EXPIRE_TIMER);
  }

  onMessage(ctx: NodeContext<ZkMessage>, from: NodeId, msg: ZkMessage): void {
    const c = this.conns.get(from);
    if (c === undefined) return;
    c.recved++;
    this.received++;
    switch (msg.type) {
      case "ConnectRequest":
        return this.onConnect(ctx, c, BigInt(msg.sessionId), msg.timeoutMs, BigInt(msg.lastZxid));
      case "Ping": {
        // FinalRequestProcessor answers a ping with a reply of xid -2 carrying the last zxid.
        this.touch(ctx, c);
        const s = c.sessionId === null ? undefined : this.sessions.get(c.sessionId);
        if (s !== undefined && s.conn === c.peer) this.send(ctx, c.peer, { type: "Reply", xid: PING_XID, zxid: hex(this.tree.lastProcessedZxid), err: 0, body: null });
        return;
      }
      case "Request":
        return this.onRequest(ctx, c, msg.xid, fromWire<ClientOp>(msg.body));
      case "ConnectResponse":
      case "Reply":
      case "Notification":
        return;
      default:
        return assertNever(msg);
    }
  }

  private send(ctx: NodeContext<ZkMessage>, to: NodeId, msg: ZkMessage): void {
    const c = this.conns.get(to);
    if (c !== undefined) c.sent++;
    this.sent++;
    ctx.send(to, msg);
  }

  private touch(ctx: NodeContext<ZkMessage>, c: Conn): void {
    const s = c.sessionId === null ? undefined : this.sessions.get(c.sessionId);
    if (s === undefined || this.closing.has(s.id)) return;
    this.touchSession(ctx, s.id, s.timeoutMs);
  }

  /** A session was heard from, here or (for a leader) through a learner's ping. */
  touchSession(ctx: NodeContext<ZkMessage>, id: bigint, timeoutMs: number): void {
    if (this.expiry === null) {
      this.touched.set(id, timeoutMs);
      return;
    }
    if (!this.db.sessions.has(id) || this.closing.has(id)) return;
    this.expiry.update(id, this.nowMs(ctx), timeoutMs);
    this.armExpiry(ctx);
  }

  /** A learner's touches since the last call, for its ping reply. */
  takeTouches(): [bigint, number][] {
    const out = [...this.touched];
    this.touched.clear();
    return out;
  }

  /** `ZooKeeperServer.processConnectRequest`: a new session, or a reconnect to a live one. */
  private onConnect(ctx: NodeContext<ZkMessage>, c: Conn, sessionId: bigint, askedMs: number, clientZxid: bigint): void {
    if (clientZxid > this.tree.lastProcessedZxid) {
      // The client has seen a newer state than this server holds: refuse, it tries another server.
      ctx.trace({ type: "zk-session", session: hex(sessionId), event: "refused-behind-client", timeoutMs: 0 });
      ctx.mark("zk-server: refused a client that has seen a newer zxid");
      this.conns.delete(c.peer);
      ctx.disconnect(c.peer);
      return;
    }
    const timeoutMs = Math.min(Math.max(askedMs, this.minTimeoutMs), this.maxTimeoutMs);
    ctx.trace({ type: "zk-request", session: hex(sessionId), xid: 0, op: "connect", path: null });
    const connected = (id: bigint, err: number): void =>
      ctx.trace({ type: "zk-response", session: hex(id), xid: 0, op: "connect", path: null, zxid: hex(this.tree.lastProcessedZxid), err });
    if (sessionId !== 0n) {
      const known = this.db.sessions.get(sessionId);
      if (known === undefined || this.closing.has(sessionId)) {
        ctx.trace({ type: "zk-session", session: hex(sessionId), event: "reconnect-expired", timeoutMs: 0 });
        connected(sessionId, ERR.SessionExpired);
        this.send(ctx, c.peer, { type: "ConnectResponse", sessionId: hex(sessionId), timeoutMs: 0 });
        return;
      }
      let s = this.sessions.get(sessionId);
      if (s === undefined) {
        s = newSession(sessionId, known, [], this.dataWatchTable);
        this.sessions.set(sessionId, s);
      }
      if (s.conn !== null && s.conn !== c.peer) {
        const old = this.conns.get(s.conn);
        if (old !== undefined) old.sessionId = null;
      }
      s.conn = c.peer;
      c.sessionId = s.id;
      addId(s.authIds, { scheme: "ip", id: this.cfg.clientIp });
      this.touch(ctx, c);
      ctx.trace({ type: "zk-session", session: s.hexId, event: "reconnected", timeoutMs: s.timeoutMs });
      connected(s.id, 0);
      this.send(ctx, c.peer, { type: "ConnectResponse", sessionId: s.hexId, timeoutMs: s.timeoutMs });
      return;
    }
    const id = this.nextSessionId++;
    const s = newSession(id, timeoutMs, [{ scheme: "ip", id: this.cfg.clientIp }], this.dataWatchTable);
    s.conn = c.peer;
    c.sessionId = id;
    this.sessions.set(id, s);
    ctx.trace({ type: "zk-session", session: hex(id), event: "create", timeoutMs });
    this.writes.submit(ctx, s, null, { type: "createSession", timeoutMs });
  }

  // ---------------------------------------------------------------- requests

  private onRequest(ctx: NodeContext<ZkMessage>, c: Conn, xid: number, op: ClientOp): void {
    const s = c.sessionId === null ? undefined : this.sessions.get(c.sessionId);
    if (s === undefined || s.conn !== c.peer) return;
    this.touch(ctx, c);
    ctx.trace({ type: "zk-request", session: s.hexId, xid, op: opName(op), path: opPath(op) });
    if (this.closing.has(s.id) || !this.db.sessions.has(s.id)) {
      this.respond(ctx, s, { xid, op, receivedUs: ctx.now(), reply: { zxid: this.tree.lastProcessedZxid, err: ERR.SessionExpired, body: null }, write: false });
      return;
    }
    if (op.op === "write") {
      if (op.req.type === "closeSession") this.closing.add(s.id);
      s.queue.push({ xid, op, receivedUs: ctx.now(), reply: null, write: true });
      this.writes.submit(ctx, s, xid, op.req);
      return;
    }
    if (op.op === "sync") {
      // Later requests of the session wait behind it, as behind a write (CommitProcessor).
      s.queue.push({ xid, op, receivedUs: ctx.now(), reply: null, write: true });
      this.writes.sync(ctx, s, xid);
      return;
    }
    s.queue.push({ xid, op, receivedUs: ctx.now(), reply: null, write: false });
    this.drain(ctx, s);
  }

  /**
   * FinalRequestProcessor: apply a committed txn, fire watches (notifications go out before the
   * reply), and answer its client if that client is connected here (`xid` set by the server that
   * took the request: only that server's queue holds it).
   */
  commit(ctx: NodeContext<ZkMessage>, hdr: TxnHeader, txn: Txn, xid: number | null, expired = xid === null): void {
    const timeoutMs = this.db.sessions.get(hdr.sessionId) ?? 0;
    const { result, triggers } = this.db.apply(ctx, hdr, txn);
    this.deliver(ctx, triggers);
    const s = this.sessions.get(hdr.sessionId);
    if (txn.type === "createSession") {
      this.expiry?.update(hdr.sessionId, this.nowMs(ctx), txn.timeoutMs);
      if (this.expiry !== null) this.armExpiry(ctx);
      if (s !== undefined) ctx.trace({ type: "zk-response", session: s.hexId, xid: 0, op: "connect", path: null, zxid: hex(hdr.zxid), err: 0 });
      if (s?.conn != null) this.send(ctx, s.conn, { type: "ConnectResponse", sessionId: s.hexId, timeoutMs: txn.timeoutMs });
      return;
    }
    if (txn.type === "closeSession") {
      this.closing.delete(hdr.sessionId);
      this.expiry?.remove(hdr.sessionId);
      if (this.expiry !== null) this.armExpiry(ctx);
    }
    if (s === undefined) {
      // Every server notes a session's end, connected here or not (checkers key on the first).
      if (txn.type === "closeSession") ctx.trace({ type: "zk-session", session: hex(hdr.sessionId), event: expired ? "expired" : "closed", timeoutMs });
      return;
    }
    if (xid !== null) {
      const q = s.queue.find((x) => x.write && x.xid === xid && x.reply === null);
      if (q !== undefined && q.op.op === "write") {
        const err = txnErr(txn);
        q.reply = { zxid: hdr.zxid, err, body: err === 0 ? this.writeBody(q.op.req, result.path, result.stat) : null };
        this.drain(ctx, s);
      }
    }
    if (txn.type === "closeSession") {
      this.sessions.delete(s.id);
      // Its connection closes with it, and the watch managers drop the connection's watches.
      s.data.clear();
      s.child.clear();
      ctx.trace({ type: "zk-session", session: s.hexId, event: expired ? "expired" : "closed", timeoutMs: s.timeoutMs });
      if (s.conn !== null) {
        const c = this.conns.get(s.conn);
        if (c !== undefined) c.sessionId = null;
        if (xid === null) ctx.disconnect(s.conn);
      }
    }
  }

  private writeBody(req: WriteRequest, path: string | null, stat: unknown): TraceValue {
    switch (req.type) {
      case "create":
        return path;
      case "setData":
      case "setACL": {
        if (stat !== null) return toWire(stat);
        const n = this.tree.node(req.path);
        return n === undefined ? null : toWire(this.tree.statOf(n));
      }
      default:
        return null;
    }
  }

  /** The write path's answer to a `sync`: the session's queue moves on from it. */
  syncDone(ctx: NodeContext<ZkMessage>, sessionId: bigint, xid: number): void {
    const s = this.sessions.get(sessionId);
    const q = s?.queue.find((x) => x.op.op === "sync" && x.xid === xid && x.reply === null);
    if (s === undefined || q === undefined) return;
    q.reply = { zxid: this.tree.lastProcessedZxid, err: 0, body: 0 };
    this.drain(ctx, s);
  }

  /**
   * DataTree's triggers through every session's watch-manager entries (see StoreClient.deliver): a
   * NodeDeleted sent through the data manager is not sent again through the child manager, and a
   * notification about a node the session may not READ is dropped (CVE-2024-23944), judged by the
   * ACL the trigger carries (the node's at that point of the txn, as DataTree hands triggerWatch).
   */
  private deliver(ctx: NodeContext<ZkMessage>, triggers: readonly WatchTrigger[]): void {
    if (triggers.length === 0) return;
    for (const s of this.sessions.values()) {
      if (s.data.size === 0 && s.child.size === 0) continue;
      const viaData = new Set<string>();
      for (const t of triggers) {
        const fired = (t.manager === "data" ? s.data : s.child).trigger(t.path, t.event);
        if (!fired) continue;
        if (t.manager === "data" && t.event === "NodeDeleted") viaData.add(t.path);
        else if (t.manager === "child" && t.event === "NodeDeleted" && viaData.has(t.path)) continue;
        if (!sessionAclHook(s.authIds)(t.acl, PERM.READ, t.path)) continue;
        if (s.conn === null) continue;
        ctx.trace({ type: "zk-watch", session: s.hexId, event: t.event, path: t.path });
        this.send(ctx, s.conn, { type: "Notification", event: t.event, path: t.path });
      }
    }
  }

  /** Answers the session's queue from the head: applied writes, and reads once nothing is before them. */
  private drain(ctx: NodeContext<ZkMessage>, s: LocalSession): void {
    while (s.queue.length > 0) {
      const head = s.queue[0] as Queued;
      if (head.write && head.reply === null) return;
      s.queue.shift();
      if (!head.write) head.reply = this.read(s, head.op);
      this.respond(ctx, s, head);
    }
  }

  private respond(ctx: NodeContext<ZkMessage>, s: LocalSession, q: Queued): void {
    const r = q.reply;
    assert(r !== null, "a request is answered with a reply");
    const ms = Math.floor((ctx.now() - q.receivedUs) / 1000);
    const l = this.latency;
    l.min = l.count === 0 ? ms : Math.min(l.min, ms);
    l.max = Math.max(l.max, ms);
    l.sum += ms;
    l.count++;
    for (const n of this.pendingNotes.splice(0)) this.send(ctx, n.to, { type: "Notification", event: n.event, path: n.path });
    ctx.trace({ type: "zk-response", session: s.hexId, xid: q.xid, op: opName(q.op), path: opPath(q.op), zxid: hex(r.zxid), err: r.err });
    if (s.conn !== null) this.send(ctx, s.conn, { type: "Reply", xid: q.xid, zxid: hex(r.zxid), err: r.err, body: r.body });
  }

  private read(s: LocalSession, op: ClientOp): { zxid: bigint; err: number; body: TraceValue } {
    const acl = sessionAclHook(s.authIds);
    const zxid = this.tree.lastProcessedZxid;
    const ok = (body: unknown): { zxid: bigint; err: number; body: TraceValue } => ({ zxid, err: 0, body: toWire(body) });
    const fail = (err: number): { zxid: bigint; err: number; body: TraceValue } => ({ zxid, err, body: null });
    const answer = <T>(r: ReadResult<T>, watch: (() => void) | null): { zxid: bigint; err: number; body: TraceValue } => {
      if (!r.ok) return fail(r.error.code);
      watch?.();
      return ok(r.value);
    };
    switch (op.op) {
      case "getData":
        return answer(getData(this.tree, op.path, acl), op.watch ? () => s.data.add(op.path, "STANDARD") : null);
      case "exists":
        return answer(exists(this.tree, op.path, acl), op.watch ? () => s.data.add(op.path, "STANDARD") : null);
      case "getChildren":
        return answer(getChildren2(this.tree, op.path, acl), op.watch ? () => s.child.add(op.path, "STANDARD") : null);
      case "getAllChildrenNumber":
        return answer(getAllChildrenNumber(this.tree, op.path, acl), null);
      case "getEphemerals":
        return ok(getEphemerals(this.tree, s.id, op.path));
      case "getACL":
        return answer(getAcl(this.tree, op.path, acl), null);
      case "addWatch":
        s.data.add(op.path, op.mode);
        s.child.add(op.path, op.mode);
        return ok(null);
      case "removeWatches": {
        const child = op.type !== "Data" && s.child.remove(op.path);
        const data = op.type !== "Children" && s.data.remove(op.path);
        return child || data ? ok(null) : fail(ERR.NoWatcher);
      }
      case "sync":
        return ok(0);
      case "whoAmI":
        return ok(authInfoOrder(s.authIds).map((id) => ({ scheme: id.scheme, id: userOf(id) })));
      case "addAuth":
        return this.addAuth(s, op.scheme, op.auth) ? ok(null) : fail(ERR.AuthFailed);
      case "reconfig":
        return fail(ERR.ReconfigDisabled);
      case "setWatches":
        this.setWatches(s, op);
        return ok(null);
      case "write":
        throw new Error("writes are not reads");
      default:
        return assertNever(op);
    }
  }

  /**
   * `DataTree.setWatches`: re-arms the watches a reconnecting client holds, or fires at once the
   * events it missed since `relativeZxid` (a node gone, changed, created, or its children changed).
   */
  private setWatches(s: LocalSession, op: Extract<ClientOp, { op: "setWatches" }>): void {
    const notify = (event: WatchEventType, path: string): void => {
      if (s.conn !== null) this.pendingNotes.push({ to: s.conn, event, path });
    };
    for (const path of op.data) {
      const n = this.tree.node(path);
      if (n === undefined) notify("NodeDeleted", path);
      else if (n.stat.mzxid > op.relativeZxid) notify("NodeDataChanged", path);
      else s.data.add(path, "STANDARD");
    }
    for (const path of op.exist) {
      if (this.tree.node(path) !== undefined) notify("NodeCreated", path);
      else s.data.add(path, "STANDARD");
    }
    for (const path of op.child) {
      const n = this.tree.node(path);
      if (n === undefined) notify("NodeDeleted", path);
      else if (n.stat.pzxid > op.relativeZxid) notify("NodeChildrenChanged", path);
      else s.child.add(path, "STANDARD");
    }
    for (const path of op.persistent) {
      s.data.add(path, "PERSISTENT");
      s.child.add(path, "PERSISTENT");
    }
    for (const path of op.persistentRecursive) {
      s.data.add(path, "PERSISTENT_RECURSIVE");
      s.child.add(path, "PERSISTENT_RECURSIVE");
    }
  }

  /** The digest provider always accepts (adding `super` for the super digest), ip re-adds the address. */
  private addAuth(s: LocalSession, scheme: string, auth: Uint8Array | null): boolean {
    if (scheme === "digest" && auth !== null) {
      const digest = digestId(new TextDecoder().decode(auth));
      if (this.cfg.superDigest !== null && digest === this.cfg.superDigest) addId(s.authIds, { scheme: "super", id: "" });
      addId(s.authIds, { scheme: "digest", id: digest });
      return true;
    }
    if (scheme === "ip" && auth !== null) {
      addId(s.authIds, { scheme: "ip", id: this.cfg.clientIp });
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- expiry

  private armExpiry(ctx: NodeContext<ZkMessage>): void {
    const next = this.expiry?.nextExpirationMs() ?? null;
    if (next === null) {
      ctx.cancelTimer(EXPIRE_TIMER);
      return;
    }
    ctx.setTimer(EXPIRE_TIMER, Math.max(0, next * 1000 - ctx.now()));
  }

  /** The expiry timer: every session still in the due bucket gets a closeSession txn. */
  onExpiryTimer(ctx: NodeContext<ZkMessage>): void {
    if (this.expiry === null) return;
    for (const id of this.expiry.poll(this.nowMs(ctx))) {
      if (!this.db.sessions.has(id) || this.closing.has(id)) continue;
      this.closing.add(id);
      const timeoutMs = this.db.sessions.get(id) ?? 0;
      ctx.trace({ type: "zk-session", session: hex(id), event: "expiring", timeoutMs });
      const local = this.sessions.get(id);
      this.writes.submit(ctx, local ?? { id, authIds: [] }, null, { type: "closeSession" });
    }
    this.armExpiry(ctx);
  }

  // ---------------------------------------------------------------- four-letter words

  /** `ServerStats.reset` (srst): request latencies and the packet counters start again. */
  resetServerStats(): void {
    this.received = 0;
    this.sent = 0;
    Object.assign(this.latency, { min: 0, max: 0, sum: 0, count: 0 });
  }

  /** `ServerCnxnFactory.resetAllConnectionStats` (crst): every connection's packet counters start again. */
  resetConnectionStats(): void {
    for (const c of this.conns.values()) {
      c.recved = 0;
      c.sent = 0;
    }
  }

  snapshot(ctx: NodeContext<ZkMessage>, logRecords: number): ServerSnapshot {
    return {
      cfg: this.cfg,
      minSessionTimeoutMs: this.minTimeoutMs,
      maxSessionTimeoutMs: this.maxTimeoutMs,
      tree: this.tree,
      zxid: this.tree.lastProcessedZxid,
      received: this.received,
      sent: this.sent,
      latency: { ...this.latency },
      outstanding: this.writes.outstanding(),
      uptimeMs: this.nowMs(ctx),
      logRecords,
      conns: [...this.conns.values()].map((c) => {
        const s = c.sessionId === null ? undefined : this.sessions.get(c.sessionId);
        return { port: c.port, recved: c.recved, sent: c.sent, queued: s?.queue.length ?? 0, sessionId: s?.id ?? null, timeoutMs: s?.timeoutMs ?? 0 };
      }),
      watches: [...this.sessions.values()].map((s) => ({ paths: new Set([...s.data.paths(), ...s.child.paths()]), count: s.data.size + s.child.size })),
      dataWatches: { ...this.dataWatchTable.summary(), byConnection: this.dataWatchTable.byWatcher(), byPath: this.dataWatchTable.byPath() },
      sessions: this.db.sessions.size,
      actions: { resetServerStats: () => this.resetServerStats(), resetConnectionStats: () => this.resetConnectionStats() },
    };
  }
}

function newSession(id: bigint, timeoutMs: number, authIds: Id[], dataWatches: WatchTable): LocalSession {
  return { id, hexId: hex(id), timeoutMs, authIds, data: new ServerWatches(dataWatches, id), child: new ServerWatches(), conn: null, queue: [] };
}

function addId(ids: Id[], id: Id): void {
  if (!ids.some((a) => a.scheme === id.scheme && a.id === id.id)) ids.push(id);
}
