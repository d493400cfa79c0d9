import type { ConnectionChange, NodeContext, NodeId } from "../../sim/node.js";
import { OPEN_ACL_UNSAFE } from "../acl.js";
import { ERR } from "../errors.js";
import type { ClientOp, ZkMessage } from "../server/messages.js";
import { fromWire, toWire } from "../server/wire.js";
import type { Stat } from "../stat.js";
import type { WatchEventType } from "../watch-trigger.js";
import { ClientSession, type SessionEvent, type SessionPhase, type SessionReply } from "./session.js";

/** A one-shot watcher: called once with the event that fired it. */
export type Watcher = (ctx: NodeContext<ZkMessage>, event: WatchEventType, path: string) => void;

/** An async call's completion: `err` is 0 on success (then `value` holds the result), else a KeeperException code. */
export type Done<T> = (ctx: NodeContext<ZkMessage>, err: number, value: T) => void;

export type HandleListener = (ctx: NodeContext<ZkMessage>, event: SessionEvent, sessionId: string) => void;

type WatchKind = "data" | "exist" | "child";

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/**
 * The asynchronous `ZooKeeper` API (create, delete, exists, getData, setData, getChildren, sync)
 * over a `ClientSession`, for client nodes such as the recipes. Data travels as UTF-8 strings; ACLs
 * are world:anyone:cdrwa.
 *
 * Watches are kept as `ZKWatchManager` keeps them: registered when the reply succeeds (an exists on a
 * missing node arms an exist watch), materialised per event type (NodeDeleted fires data, exist and
 * child watchers), each watcher called once per event. On every (re)connection the handle sends the
 * paths it watches with the last zxid it saw, ahead of any queued request, so the server re-arms
 * them or fires what was missed (`primeConnection`). Expired clears them. Unlike Java, watchers hear
 * node events only; session events go to the listener.
 */
export class ZkHandle {
  readonly session: ClientSession;
  private readonly listener: HandleListener;
  private readonly watches: Record<WatchKind, Map<string, Set<Watcher>>> = { data: new Map(), exist: new Map(), child: new Map() };

  constructor(listener: HandleListener, timerPrefix = "zk-client/") {
    this.listener = listener;
    this.session = new ClientSession(
      {
        onSessionEvent: (ctx, event, id) => this.onSessionEvent(ctx, event, id),
        onNotification: (ctx, event, path) => this.onNotification(ctx, event, path),
      },
      timerPrefix,
    );
  }

  get sessionId(): string {
    return this.session.sessionId;
  }

  get state(): SessionPhase {
    return this.session.state;
  }

  open(ctx: NodeContext<ZkMessage>, servers: readonly NodeId[], sessionTimeoutMs: number): void {
    this.clearWatches();
    this.session.open(ctx, servers, sessionTimeoutMs);
  }

  close(ctx: NodeContext<ZkMessage>): void {
    this.clearWatches();
    this.session.close(ctx, true);
  }

  // ---------------------------------------------------------------- forwarding from the node

  onConnection(ctx: NodeContext<ZkMessage>, change: ConnectionChange): void {
    this.session.onConnection(ctx, change);
  }

  onMessage(ctx: NodeContext<ZkMessage>, from: NodeId, msg: ZkMessage): void {
    this.session.onMessage(ctx, from, msg);
  }

  /** False when the timer is not the handle's. */
  onTimer(ctx: NodeContext<ZkMessage>, name: string): boolean {
    return this.session.onTimer(ctx, name);
  }

  // ---------------------------------------------------------------- the API

  create(ctx: NodeContext<ZkMessage>, path: string, data: string | null, flags: number, done: Done<string | null>): void {
    const req = { type: "create", path, data: data === null ? null : utf8.encode(data), acl: OPEN_ACL_UNSAFE, flags, ttlMs: -1n } as const;
    this.call(ctx, { op: "write", req }, (c, r) => done(c, r.err, r.err === 0 ? ((r.body as string | null) ?? path) : null));
  }

  delete(ctx: NodeContext<ZkMessage>, path: string, version: number, done: Done<null>): void {
    this.call(ctx, { op: "write", req: { type: "delete", path, version } }, (c, r) => done(c, r.err, null));
  }

  setData(ctx: NodeContext<ZkMessage>, path: string, data: string | null, version: number, done: Done<Stat | null>): void {
    const req = { type: "setData", path, data: data === null ? null : utf8.encode(data), version } as const;
    this.call(ctx, { op: "write", req }, (c, r) => done(c, r.err, r.err === 0 ? fromWire<Stat>(r.body) : null));
  }

  /** The node's stat, or null when it does not exist (a watcher then waits for its creation). */
  exists(ctx: NodeContext<ZkMessage>, path: string, watcher: Watcher | null, done: Done<Stat | null>): void {
    this.call(ctx, { op: "exists", path, watch: watcher !== null }, (c, r) => {
      const missing = r.err === ERR.NoNode || (r.err === 0 && r.body === null);
      if (watcher !== null && (r.err === 0 || missing)) this.register(missing ? "exist" : "data", path, watcher);
      done(c, missing ? 0 : r.err, r.err === 0 && !missing ? fromWire<Stat>(r.body) : null);
    });
  }

  getData(ctx: NodeContext<ZkMessage>, path: string, watcher: Watcher | null, done: Done<{ readonly data: string | null; readonly stat: Stat } | null>): void {
    this.call(ctx, { op: "getData", path, watch: watcher !== null }, (c, r) => {
      if (r.err !== 0) return done(c, r.err, null);
      if (watcher !== null) this.register("data", path, watcher);
      const v = fromWire<{ data: Uint8Array | null; stat: Stat }>(r.body);
      done(c, 0, { data: v.data === null ? null : fromUtf8.decode(v.data), stat: v.stat });
    });
  }

  /** The children's names in the server's order. */
  getChildren(ctx: NodeContext<ZkMessage>, path: string, watcher: Watcher | null, done: Done<readonly string[]>): void {
    this.call(ctx, { op: "getChildren", path, watch: watcher !== null }, (c, r) => {
      if (r.err !== 0) return done(c, r.err, []);
      if (watcher !== null) this.register("child", path, watcher);
      done(c, 0, fromWire<{ children: string[] }>(r.body).children);
    });
  }

  sync(ctx: NodeContext<ZkMessage>, path: string, done: Done<null>): void {
    this.call(ctx, { op: "sync", path }, (c, r) => done(c, r.err, null));
  }

  private call(ctx: NodeContext<ZkMessage>, op: ClientOp, onReply: (ctx: NodeContext<ZkMessage>, r: SessionReply) => void): void {
    this.session.request(ctx, toWire(op), onReply);
  }

  // ---------------------------------------------------------------- watches

  private register(kind: WatchKind, path: string, w: Watcher): void {
    const m = this.watches[kind];
    let set = m.get(path);
    if (set === undefined) {
      set = new Set();
      m.set(path, set);
    }
    set.add(w);
  }

  private clearWatches(): void {
    for (const m of Object.values(this.watches)) m.clear();
  }

  /** `ZKWatchManager.materialize`: which registrations an event consumes. */
  private onNotification(ctx: NodeContext<ZkMessage>, event: WatchEventType, path: string): void {
    const kinds: readonly WatchKind[] =
      event === "NodeChildrenChanged" ? ["child"] : event === "NodeDeleted" ? ["data", "exist", "child"] : ["data", "exist"];
    const fire = new Set<Watcher>();
    for (const k of kinds) {
      for (const w of this.watches[k].get(path) ?? []) fire.add(w);
      this.watches[k].delete(path);
    }
    for (const w of fire) w(ctx, event, path);
  }

  private onSessionEvent(ctx: NodeContext<ZkMessage>, event: SessionEvent, sessionId: string): void {
    if (event === "SyncConnected") this.resendWatches(ctx);
    if (event === "Expired") this.clearWatches();
    this.listener(ctx, event, sessionId);
  }

  private resendWatches(ctx: NodeContext<ZkMessage>): void {
    const paths = (k: WatchKind): string[] => [...this.watches[k].keys()].sort();
    const op: ClientOp = {
      op: "setWatches",
      relativeZxid: this.session.lastZxid,
      data: paths("data"),
      exist: paths("exist"),
      child: paths("child"),
      persistent: [],
      persistentRecursive: [],
    };
    if (op.data.length + op.exist.length + op.child.length === 0) return;
    ctx.mark("zk-client: watches re-set on reconnect");
    this.session.request(ctx, toWire(op), () => undefined);
  }
}
