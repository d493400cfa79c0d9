import { assert, assertNever } from "../../sim/assert.js";
import type { ConnectionChange, DiskDone, Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import type { Acl, Id } from "../acl.js";
import { PERM } from "../acl.js";
import { ServerWatches } from "../cli/server-watches.js";
import { authInfoOrder, digestId, sessionAclHook, userOf } from "../cli/session-auth.js";
import { DataTree } from "../datatree.js";
import { ERR, type ErrCode } from "../errors.js";
import { PendingChanges } from "../pending-changes.js";
import { exists, getAcl, getAllChildrenNumber, getChildren2, getData, getEphemerals, type ReadResult } from "../reads.js";
import type { Txn, TxnHeader } from "../txn.js";
import { prepare, type WriteRequest } from "../validate.js";
import type { WatchEventType, WatchTrigger } from "../watch-trigger.js";
import { ExpiryQueue } from "./expiry-queue.js";
import { fourLetterWord, type ServerSnapshot } from "./four-letter-words.js";
import { opName, opPath, type ClientOp, type ZkMessage } from "./messages.js";
import { decodeLogRecord, encodeLogRecord, TXN_LOG } from "./txn-log.js";
import { fromWire, hex, toWire } from "./wire.js";

export type StandaloneConfig = {
  readonly tickTimeMs: number;
  /** -1: 2 x tickTime, as zoo.cfg's default. */
  readonly minSessionTimeoutMs: number;
  /** -1: 20 x tickTime. */
  readonly maxSessionTimeoutMs: number;
  readonly clientPort: number;
  readonly extendedTypesEnabled: boolean;
  readonly enforceQuota: boolean;
  /** `zookeeper.DigestAuthenticationProvider.superDigest`, or null. */
  readonly superDigest: string | null;
  /** The address every client connection comes from (the `ip:` id of its session). */
  readonly clientIp: string;
  /** Wall-clock ms at local time 0: txn times and session ids derive from it, never from the host. */
  readonly epochMs: number;
};

export const DEFAULT_STANDALONE: StandaloneConfig = {
  tickTimeMs: 2000,
  minSessionTimeoutMs: -1,
  maxSessionTimeoutMs: -1,
  clientPort: 2181,
  extendedTypesEnabled: false,
  enforceQuota: false,
  superDigest: null,
  clientIp: "127.0.0.1",
  epochMs: 1_700_000_000_000,
};

/** Inputs from outside the network: an operator's four-letter word (answered as a `zk-4lw` trace event). */
export type ServerInput = { readonly type: "4lw"; readonly word: string };

/** A request waiting for its turn to be answered (reads queue behind the same session's writes). */
type Queued = {
  readonly xid: number;
  readonly op: ClientOp;
  readonly receivedUs: number;
  /** Set once a write is applied; reads are evaluated when they reach the head. */
  reply: { readonly zxid: bigint; readonly err: number; readonly body: TraceValue } | null;
  readonly write: boolean;
};

type Session = {
  readonly id: bigint;
  readonly timeoutMs: number;
  readonly authIds: Id[];
  readonly data: ServerWatches;
  readonly child: ServerWatches;
  conn: NodeId | null;
  closing: boolean;
  readonly queue: Queued[];
};

type Conn = { readonly peer: NodeId; readonly port: number; sessionId: bigint | null; recved: number; sent: number };

/** A txn between prep and apply. `xid` null: no client waits for it (an expiry's closeSession). */
type InFlight = { readonly hdr: TxnHeader; readonly txn: Txn; readonly err: ErrCode | 0; readonly xid: number | null; readonly req: WriteRequest };

type Latency = { min: number; max: number; sum: number; count: number };

const EXPIRE_TIMER = "session-expiry";

/** `SessionTrackerImpl.initializeNextSession(1)`: a standalone server's ids have 0x01 on top. */
function firstSessionId(nowMs: number): bigint {
  const mask = (1n << 64n) - 1n;
  return ((((BigInt(nowMs) << 24n) & mask) >> 8n) | (1n << 56n)) & mask;
}

/**
 * A standalone ZooKeeper server (`ZooKeeperServer` with PrepRequestProcessor, SyncRequestProcessor,
 * FinalRequestProcessor) as a node: sessions with negotiated timeouts expiring in tick buckets,
 * writes validated and given a zxid at once, appended to the txn log and answered only after the
 * fsync that covers them (txns that queue during an fsync share the next one), then applied to the
 * tree, their watches fired before the reply. Reads wait behind the same session's writes. A restart
 * rebuilds the tree and the sessions by re-applying the log.
 */
export class StandaloneServer implements Node<ZkMessage, ServerInput> {
  private readonly cfg: StandaloneConfig;
  private tree: DataTree;
  private pending: PendingChanges;
  private zxid = 0n;
  private nextSessionId = 0n;
  private readonly sessions = new Map<bigint, Session>();
  private readonly conns = new Map<NodeId, Conn>();
  private expiry: ExpiryQueue<bigint>;
  private unsynced: InFlight[] = [];
  private syncing: InFlight[] | null = null;
  private nextPort = 40000;
  private received = 0;
  private sent = 0;
  private readonly latency: Latency = { min: 0, max: 0, sum: 0, count: 0 };
  /** Events a setWatches found missed; they go out just before its reply. */
  private readonly pendingNotes: { readonly to: NodeId; readonly event: WatchEventType; readonly path: string }[] = [];

  constructor(cfg: StandaloneConfig) {
    this.cfg = cfg;
    this.tree = new DataTree({ extendedTypesEnabled: cfg.extendedTypesEnabled, enforceQuota: cfg.enforceQuota });
    this.pending = new PendingChanges(this.tree);
    this.expiry = new ExpiryQueue(cfg.tickTimeMs);
  }

  private get minTimeoutMs(): number {
    return this.cfg.minSessionTimeoutMs === -1 ? this.cfg.tickTimeMs * 2 : this.cfg.minSessionTimeoutMs;
  }

  private get maxTimeoutMs(): number {
    return this.cfg.maxSessionTimeoutMs === -1 ? this.cfg.tickTimeMs * 20 : this.cfg.maxSessionTimeoutMs;
  }

  private nowMs(ctx: NodeContext<ZkMessage>): number {
    return Math.floor(ctx.now() / 1000);
  }

  private wallMs(ctx: NodeContext<ZkMessage>): number {
    return this.cfg.epochMs + this.nowMs(ctx);
  }

  // ---------------------------------------------------------------- start and recovery

  onStart(ctx: NodeContext<ZkMessage>, how: StartKind): void {
    this.nextSessionId = firstSessionId(this.wallMs(ctx));
    if (how === "recovered") this.recover(ctx);
    ctx.trace({ type: "zk-server-up", how, zxid: hex(this.zxid), sessions: this.sessions.size });
  }

  /** Replays the txn log: the tree and the open sessions come back; each session gets a fresh timeout. */
  private recover(ctx: NodeContext<ZkMessage>): void {
    const open = new Map<bigint, number>();
    for (const rec of ctx.disk.read(TXN_LOG)) {
      const { hdr, txn } = decodeLogRecord(rec);
      this.tree.apply(hdr, txn);
      this.zxid = hdr.zxid;
      if (txn.type === "createSession") open.set(hdr.sessionId, txn.timeoutMs);
      if (txn.type === "closeSession") open.delete(hdr.sessionId);
    }
    this.pending = new PendingChanges(this.tree);
    for (const [id, timeoutMs] of open) {
      this.sessions.set(id, newSession(id, timeoutMs, []));
      this.expiry.update(id, this.nowMs(ctx), timeoutMs);
    }
    if (open.size > 0) ctx.mark("zk-server: sessions recovered from the log");
    this.armExpiry(ctx);
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
      // The session outlives its connection until it expires (the client may reconnect).
      s.conn = null;
      s.data.clear();
      s.child.clear();
    }
    void ctx;
  }

  onMessage(ctx: NodeContext<ZkMessage>, from: NodeId, msg: ZkMessage): void {
    const c = this.conns.get(from);
    if (c === undefined) return;
    c.recved++;
    this.received++;
    switch (msg.type) {
      case "ConnectRequest":
        return this.onConnect(ctx, c, BigInt(msg.sessionId), msg.timeoutMs);
      case "Ping":
        this.touch(ctx, c);
        return;
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
    if (s === undefined || s.closing) return;
    this.expiry.update(s.id, this.nowMs(ctx), s.timeoutMs);
    this.armExpiry(ctx);
  }

  /** `ZooKeeperServer.processConnectRequest`: a new session, or a reconnect to a live one. */
  private onConnect(ctx: NodeContext<ZkMessage>, c: Conn, sessionId: bigint, askedMs: number): void {
    const timeoutMs = Math.min(Math.max(askedMs, this.minTimeoutMs), this.maxTimeoutMs);
    ctx.trace({ type: "zk-request", session: hex(sessionId), xid: 0, op: "connect", path: null });
    const connected = (id: bigint, err: number): void =>
      ctx.trace({ type: "zk-response", session: hex(id), xid: 0, op: "connect", path: null, zxid: hex(this.tree.lastProcessedZxid), err });
    if (sessionId !== 0n) {
      const s = this.sessions.get(sessionId);
      if (s === undefined || s.closing) {
        ctx.trace({ type: "zk-session", session: hex(sessionId), event: "reconnect-expired", timeoutMs: 0 });
        connected(sessionId, ERR.SessionExpired);
        this.send(ctx, c.peer, { type: "ConnectResponse", sessionId: hex(sessionId), timeoutMs: 0 });
        return;
      }
      if (s.conn !== null && s.conn !== c.peer) {
        const old = this.conns.get(s.conn);
        if (old !== undefined) old.sessionId = null;
      }
      s.conn = c.peer;
      c.sessionId = s.id;
      addId(s.authIds, { scheme: "ip", id: this.cfg.clientIp });
      this.touch(ctx, c);
      ctx.trace({ type: "zk-session", session: hex(s.id), event: "reconnected", timeoutMs: s.timeoutMs });
      connected(s.id, 0);
      this.send(ctx, c.peer, { type: "ConnectResponse", sessionId: hex(s.id), timeoutMs: s.timeoutMs });
      return;
    }
    const id = this.nextSessionId++;
    const s = newSession(id, timeoutMs, [{ scheme: "ip", id: this.cfg.clientIp }]);
    s.conn = c.peer;
    c.sessionId = id;
    this.sessions.set(id, s);
    this.touch(ctx, c);
    ctx.trace({ type: "zk-session", session: hex(id), event: "create", timeoutMs });
    this.submitWrite(ctx, s, -1, { type: "createSession", timeoutMs });
  }

  // ---------------------------------------------------------------- requests

  private onRequest(ctx: NodeContext<ZkMessage>, c: Conn, xid: number, op: ClientOp): void {
    const s = c.sessionId === null ? undefined : this.sessions.get(c.sessionId);
    if (s === undefined || s.conn !== c.peer) return;
    this.touch(ctx, c);
    ctx.trace({ type: "zk-request", session: hex(s.id), xid, op: opName(op), path: opPath(op) });
    if (s.closing) {
      this.respond(ctx, s, { xid, op, receivedUs: ctx.now(), reply: { zxid: this.zxid, err: ERR.SessionExpired, body: null }, write: false });
      return;
    }
    if (op.op === "write") {
      if (op.req.type === "closeSession") s.closing = true;
      this.submitWrite(ctx, s, xid, op.req, op);
      return;
    }
    s.queue.push({ xid, op, receivedUs: ctx.now(), reply: null, write: false });
    this.drain(ctx, s);
  }

  /** PrepRequestProcessor: validate against the tree and the in-flight changes, spend a zxid, log it. */
  private submitWrite(ctx: NodeContext<ZkMessage>, s: Session, xid: number, req: WriteRequest, op?: ClientOp): void {
    this.zxid += 1n;
    const prepared = prepare(this.tree, this.pending, req, {
      zxid: this.zxid,
      timeMs: this.wallMs(ctx),
      sessionId: s.id,
      authIds: authInfoOrder(s.authIds),
      checkAcl: sessionAclHook(s.authIds),
    });
    const err = prepared.error === null ? 0 : prepared.error.code;
    if (op !== undefined) s.queue.push({ xid, op, receivedUs: ctx.now(), reply: null, write: true });
    ctx.disk.append(TXN_LOG, encodeLogRecord(prepared.hdr, prepared.txn));
    this.unsynced.push({ hdr: prepared.hdr, txn: prepared.txn, err, xid: op === undefined ? null : xid, req });
    this.startSync(ctx);
  }

  /** SyncRequestProcessor: one fsync at a time; whatever queued meanwhile goes in the next one. */
  private startSync(ctx: NodeContext<ZkMessage>): void {
    if (this.syncing !== null || this.unsynced.length === 0) return;
    this.syncing = this.unsynced;
    this.unsynced = [];
    const last = this.syncing[this.syncing.length - 1] as InFlight;
    if (this.syncing.length > 1) ctx.mark("zk-server: group commit");
    ctx.disk.fsync(TXN_LOG, hex(last.hdr.zxid));
  }

  onDiskDone(ctx: NodeContext<ZkMessage>, done: DiskDone): void {
    assert(done.file === TXN_LOG && this.syncing !== null, "an fsync completed that the server did not issue");
    const batch = this.syncing;
    this.syncing = null;
    for (const f of batch) this.commit(ctx, f);
    this.startSync(ctx);
  }

  /** FinalRequestProcessor: apply, fire watches (notifications go out before the reply), answer. */
  private commit(ctx: NodeContext<ZkMessage>, f: InFlight): void {
    const deletedAcls = this.aclsOfDeleted(f.txn);
    const { result, triggers } = this.tree.apply(f.hdr, f.txn);
    this.pending.applied(f.hdr.zxid);
    ctx.trace({ type: "zk-apply", zxid: hex(f.hdr.zxid), session: hex(f.hdr.sessionId), txn: f.txn.type });
    this.deliver(ctx, triggers, deletedAcls);
    const s = this.sessions.get(f.hdr.sessionId);
    if (f.txn.type === "createSession") {
      if (s !== undefined) ctx.trace({ type: "zk-response", session: hex(s.id), xid: 0, op: "connect", path: null, zxid: hex(f.hdr.zxid), err: 0 });
      if (s?.conn != null) this.send(ctx, s.conn, { type: "ConnectResponse", sessionId: hex(s.id), timeoutMs: f.txn.timeoutMs });
      return;
    }
    if (s === undefined) return;
    if (f.xid !== null) {
      const q = s.queue.find((x) => x.write && x.xid === f.xid && x.reply === null);
      assert(q !== undefined, "an applied write has a waiting request");
      q.reply = { zxid: f.hdr.zxid, err: f.err, body: f.err === 0 ? this.writeBody(f.req, result.path, result.stat) : null };
      this.drain(ctx, s);
    }
    if (f.txn.type === "closeSession") {
      this.sessions.delete(s.id);
      this.expiry.remove(s.id);
      this.armExpiry(ctx);
      ctx.trace({ type: "zk-session", session: hex(s.id), event: f.xid === null ? "expired" : "closed", timeoutMs: s.timeoutMs });
      if (s.conn !== null) {
        const c = this.conns.get(s.conn);
        if (c !== undefined) c.sessionId = null;
        if (f.xid === null) ctx.disconnect(s.conn);
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

  /** ACLs of the nodes a txn may delete, for the notification READ check after they are gone. */
  private aclsOfDeleted(txn: Txn): Map<string, readonly Acl[]> {
    const out = new Map<string, readonly Acl[]>();
    const visit = (t: Txn): void => {
      const paths = t.type === "delete" ? [t.path] : t.type === "closeSession" ? t.paths : [];
      for (const p of paths) {
        const n = this.tree.node(p);
        if (n !== undefined) out.set(p, n.acl);
      }
      if (t.type === "multi") t.txns.forEach(visit);
    };
    visit(txn);
    return out;
  }

  /**
   * DataTree's triggers through every session's watch-manager entries (see StoreClient.deliver): a
   * NodeDeleted sent through the data manager is not sent again through the child manager, and a
   * notification about a node the session may not READ is dropped (CVE-2024-23944).
   */
  private deliver(ctx: NodeContext<ZkMessage>, triggers: readonly WatchTrigger[], deletedAcls: ReadonlyMap<string, readonly Acl[]>): void {
    for (const s of this.sessions.values()) {
      const viaData = new Set<string>();
      for (const t of triggers) {
        const fired = (t.manager === "data" ? s.data : s.child).trigger(t.path, t.event);
        if (!fired) continue;
        if (t.manager === "data" && t.event === "NodeDeleted") viaData.add(t.path);
        else if (t.manager === "child" && t.event === "NodeDeleted" && viaData.has(t.path)) continue;
        const acl = this.tree.node(t.path)?.acl ?? deletedAcls.get(t.path) ?? [];
        if (!sessionAclHook(s.authIds)(acl, PERM.READ, t.path)) continue;
        if (s.conn === null) continue;
        ctx.trace({ type: "zk-watch", session: hex(s.id), event: t.event, path: t.path });
        this.send(ctx, s.conn, { type: "Notification", event: t.event, path: t.path });
      }
    }
  }

  /** Answers the session's queue from the head: applied writes, and reads once nothing is before them. */
  private drain(ctx: NodeContext<ZkMessage>, s: Session): void {
    while (s.queue.length > 0) {
      const head = s.queue[0] as Queued;
      if (head.write && head.reply === null) return;
      s.queue.shift();
      if (!head.write) head.reply = this.read(s, head.op);
      this.respond(ctx, s, head);
    }
  }

  private respond(ctx: NodeContext<ZkMessage>, s: Session, q: Queued): void {
    const r = q.reply;
    assert(r !== null, "a request is answered with a reply");
    const ms = Math.floor((ctx.now() - q.receivedUs) / 1000);
    const l = this.latency;
    l.min = l.count === 0 ? ms : Math.min(l.min, ms);
    l.max = Math.max(l.max, ms);
    l.sum += ms;
    l.count++;
    for (const n of this.pendingNotes.splice(0)) this.send(ctx, n.to, { type: "Notification", event: n.event, path: n.path });
    ctx.trace({ type: "zk-response", session: hex(s.id), xid: q.xid, op: opName(q.op), path: opPath(q.op), zxid: hex(r.zxid), err: r.err });
    if (s.conn !== null) this.send(ctx, s.conn, { type: "Reply", xid: q.xid, zxid: hex(r.zxid), err: r.err, body: r.body });
  }

  private read(s: Session, op: ClientOp): { zxid: bigint; err: number; body: TraceValue } {
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
  private setWatches(s: Session, op: Extract<ClientOp, { op: "setWatches" }>): void {
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
  private addAuth(s: Session, scheme: string, auth: Uint8Array | null): boolean {
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
    const next = this.expiry.nextExpirationMs();
    if (next === null) {
      ctx.cancelTimer(EXPIRE_TIMER);
      return;
    }
    ctx.setTimer(EXPIRE_TIMER, Math.max(0, next * 1000 - ctx.now()));
  }

  onTimer(ctx: NodeContext<ZkMessage>, name: string): void {
    assert(name === EXPIRE_TIMER, `unknown timer ${name}`);
    for (const id of this.expiry.poll(this.nowMs(ctx))) {
      const s = this.sessions.get(id);
      if (s === undefined || s.closing) continue;
      s.closing = true;
      ctx.trace({ type: "zk-session", session: hex(id), event: "expiring", timeoutMs: s.timeoutMs });
      this.submitWrite(ctx, s, -1, { type: "closeSession" });
    }
    this.armExpiry(ctx);
  }

  // ---------------------------------------------------------------- four-letter words

  onInput(ctx: NodeContext<ZkMessage>, input: ServerInput): void {
    ctx.trace({ type: "zk-4lw", word: input.word, answer: fourLetterWord(input.word, this.snapshot(ctx)) });
  }

  private snapshot(ctx: NodeContext<ZkMessage>): ServerSnapshot {
    return {
      cfg: this.cfg,
      minSessionTimeoutMs: this.minTimeoutMs,
      maxSessionTimeoutMs: this.maxTimeoutMs,
      tree: this.tree,
      zxid: this.tree.lastProcessedZxid,
      received: this.received,
      sent: this.sent,
      latency: { ...this.latency },
      outstanding: this.unsynced.length + (this.syncing?.length ?? 0),
      uptimeMs: this.nowMs(ctx),
      logRecords: ctx.disk.read(TXN_LOG).length,
      conns: [...this.conns.values()].map((c) => {
        const s = c.sessionId === null ? undefined : this.sessions.get(c.sessionId);
        return { port: c.port, recved: c.recved, sent: c.sent, queued: s?.queue.length ?? 0, sessionId: s?.id ?? null, timeoutMs: s?.timeoutMs ?? 0 };
      }),
      watches: [...this.sessions.values()].map((s) => ({ paths: new Set([...s.data.paths(), ...s.child.paths()]), count: s.data.size + s.child.size })),
      sessions: this.sessions.size,
    };
  }

  /** The last zxid this server applied (for `status`). */
  get lastZxid(): bigint {
    return this.tree.lastProcessedZxid;
  }
}

function newSession(id: bigint, timeoutMs: number, authIds: Id[]): Session {
  return { id, timeoutMs, authIds, data: new ServerWatches(), child: new ServerWatches(), conn: null, closing: false, queue: [] };
}

function addId(ids: Id[], id: Id): void {
  if (!ids.some((a) => a.scheme === id.scheme && a.id === id.id)) ids.push(id);
}

/** The factory the kernel calls at every start and restart. */
export const standaloneServer =
  (cfg: StandaloneConfig) =>
  (_id: NodeId): StandaloneServer =>
    new StandaloneServer(cfg);
