import type { NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import { OPEN_ACL_UNSAFE } from "../acl.js";
import type { SessionEvent, SessionReply } from "../client/session.js";
import { ZkClientNode } from "../client/zk-client-node.js";
import { ZkHandle, type Watcher } from "../client/zk-handle.js";
import { CREATE_MODE } from "../create-mode.js";
import { ERR, errName } from "../errors.js";
import type { ClientOp, ZkMessage } from "../server/messages.js";
import { fromWire, toWire } from "../server/wire.js";

export type RegisterClientParams = {
  readonly servers: readonly NodeId[];
  readonly sessionTimeoutMs: number;
  /** Registers `/r0` .. `/r<keys-1>`. */
  readonly keys: number;
  /** Register operations this client makes (probes included). */
  readonly ops: number;
  /** Pause after each operation before the next. */
  readonly periodUs: number;
};

/** Values written are small integers, as in Jepsen's cas-register tests: cas often finds what it expects. */
const VALUES = 5;
/** Where each session's ephemeral lives; clients list it now and then. */
export const LIVE_DIR = "/live";

const NEXT = "register/next";
const REOPEN = "register/reopen";
const REOPEN_US = 100_000;

type F = "read" | "write" | "cas";
type Outcome = "ok" | "fail" | "info";

/** A read or a cas's read: the value (null: no such znode) and its version (-1 then). */
type Read = { readonly value: number | null; readonly version: number };

const key = (k: number): string => `/r${k}`;

const valueOf = (data: string | null): number | null => (data !== null && /^\d+$/.test(data) ? Number(data) : null);

/**
 * A client of a Jepsen-style CAS register workload over ZooKeeper: a few keys (`/r0`, `/r1`, ...),
 * each a register whose value is the znode's data and whose absence is null. One operation at a
 * time, each traced as `register-invoke` and `register-complete` with Jepsen's outcomes:
 *
 * - read: getData (with a data watch, and after a `sync` half of the time): ok with the value;
 *   fail when it got no answer (a read that failed changed nothing);
 * - write v: setData(v, any version): ok, fail on NoNode, info when the answer was lost;
 * - cas e n: create(n) when e is null (NodeExists: fail); else getData, fail if the value is not
 *   e, then setData(n, the version read) (BadVersion, NoNode: fail; no answer: info).
 *
 * Completions carry the version the reply showed and the session, for the per-session checkers;
 * watch events are traced as `register-watch`. Each session creates an ephemeral
 * `/live/<client>-<n>` (`register-ephemeral`, with the create's zxid), and now and then the client
 * lists `/live` (`register-probe`, with the zxid of the state listed). An expired session is
 * replaced by a new one, as an application would.
 */
export class RegisterClient extends ZkClientNode<never> {
  protected readonly zk: ZkHandle;
  private session = "0x0";
  private generation = 0;
  private done = 0;
  private busy = false;
  private setupDue = false;
  /** The value this client last saw on each key (what its next cas likely expects). */
  private readonly lastSeen = new Map<number, number | null>();
  private readonly watcher: Watcher;
  private id: NodeId = "";

  constructor(private readonly params: RegisterClientParams) {
    super();
    this.zk = new ZkHandle((ctx, event, session) => this.onSession(ctx, event, session), "register-zk/");
    this.watcher = (ctx, event, path) => ctx.trace({ type: "register-watch", session: this.zk.sessionId, key: path, event });
  }

  onStart(ctx: NodeContext<ZkMessage>, _how: StartKind): void {
    this.id = ctx.id;
    this.zk.open(ctx, this.params.servers, this.params.sessionTimeoutMs);
  }



  protected override onOwnTimer(ctx: NodeContext<ZkMessage>, name: string): void {
    if (name === NEXT) this.next(ctx);
    if (name === REOPEN) this.zk.open(ctx, this.params.servers, this.params.sessionTimeoutMs);
  }

  private onSession(ctx: NodeContext<ZkMessage>, event: SessionEvent, session: string): void {
    ctx.trace({ type: "client-session", event, session });
    if (event === "SyncConnected" && session !== this.session) {
      this.session = session;
      this.generation++;
      this.setupDue = true;
      if (!this.busy) this.next(ctx);
    }
    if (event === "Expired") ctx.setTimer(REOPEN, REOPEN_US);
  }

  /** Runs the next step: a new session's ephemeral first, then the register operations. */
  private next(ctx: NodeContext<ZkMessage>): void {
    if (this.busy) return;
    if (this.setupDue) {
      this.setupDue = false;
      this.busy = true;
      this.setup(ctx);
      return;
    }
    if (this.done >= this.params.ops) return;
    if (this.zk.state === "closed") {
      // The session expired and a new one is on its way: an operation now could not leave the client.
      ctx.setTimer(NEXT, this.params.periodUs);
      return;
    }
    this.done++;
    this.busy = true;
    const r = ctx.random;
    const k = r.below(this.params.keys);
    const pick = r.below(9);
    if (pick < 3) this.read(ctx, k, r.below(2) === 0);
    else if (pick < 5) this.write(ctx, k, r.below(VALUES));
    else if (pick < 8) {
      const seen = this.lastSeen.get(k);
      const expected = seen !== undefined && r.below(3) > 0 ? seen : r.below(VALUES + 1) === VALUES ? null : r.below(VALUES);
      this.cas(ctx, k, expected, r.below(VALUES));
    } else this.probe(ctx);
  }

  private finished(ctx: NodeContext<ZkMessage>): void {
    this.busy = false;
    if (this.setupDue) this.next(ctx);
    else ctx.setTimer(NEXT, this.params.periodUs);
  }

  // ---------------------------------------------------------------- the register

  private invoke(ctx: NodeContext<ZkMessage>, k: number, f: F, value: TraceValue): void {
    ctx.trace({ type: "register-invoke", process: this.id, key: key(k), f, value });
  }

  private complete(ctx: NodeContext<ZkMessage>, k: number, f: F, outcome: Outcome, err: number, read: Read | null, extra: { readonly watched?: boolean } = {}): void {
    if (outcome === "ok" && read !== null) this.lastSeen.set(k, read.value);
    ctx.trace({
      type: "register-complete",
      process: this.id,
      key: key(k),
      f,
      outcome,
      value: f === "read" && read !== null ? read.value : null,
      version: read?.version ?? -1,
      session: this.zk.sessionId,
      err: err === 0 ? "ok" : (errName(err) ?? String(err)),
      watched: extra.watched ?? false,
    });
    this.finished(ctx);
  }

  private read(ctx: NodeContext<ZkMessage>, k: number, sync: boolean): void {
    this.invoke(ctx, k, "read", null);
    const get = (): void =>
      this.zk.getData(ctx, key(k), this.watcher, (c, err, v) => {
        if (err === ERR.NoNode) return this.complete(c, k, "read", "ok", 0, { value: null, version: -1 });
        if (err !== 0 || v === null) return this.complete(c, k, "read", "fail", err, null);
        this.complete(c, k, "read", "ok", 0, { value: valueOf(v.data), version: v.stat.version }, { watched: true });
      });
    if (!sync) return get();
    this.zk.sync(ctx, key(k), (c, err) => (err === 0 ? get() : this.complete(c, k, "read", "fail", err, null)));
  }

  private write(ctx: NodeContext<ZkMessage>, k: number, v: number): void {
    this.invoke(ctx, k, "write", v);
    this.zk.setData(ctx, key(k), String(v), -1, (c, err, stat) => {
      if (err === 0 && stat !== null) return this.complete(c, k, "write", "ok", 0, { value: v, version: stat.version });
      this.complete(c, k, "write", definite(err) ? "fail" : "info", err, null);
    });
  }

  private cas(ctx: NodeContext<ZkMessage>, k: number, expected: number | null, v: number): void {
    this.invoke(ctx, k, "cas", [expected, v]);
    if (expected === null) {
      this.zk.create(ctx, key(k), String(v), CREATE_MODE.PERSISTENT, (c, err) => {
        if (err === 0) return this.complete(c, k, "cas", "ok", 0, { value: v, version: 0 });
        this.complete(c, k, "cas", definite(err) ? "fail" : "info", err, null);
      });
      return;
    }
    this.zk.getData(ctx, key(k), null, (c, err, got) => {
      // Nothing was written yet: whatever went wrong, the cas did not happen.
      if (err !== 0 || got === null) return this.complete(c, k, "cas", "fail", err, err === ERR.NoNode ? { value: null, version: -1 } : null);
      const seen = { value: valueOf(got.data), version: got.stat.version };
      if (seen.value !== expected) return this.complete(c, k, "cas", "fail", 0, seen);
      this.zk.setData(c, key(k), String(v), got.stat.version, (c2, err2, stat) => {
        if (err2 === 0 && stat !== null) return this.complete(c2, k, "cas", "ok", 0, { value: v, version: stat.version });
        this.complete(c2, k, "cas", definite(err2) ? "fail" : "info", err2, null);
      });
    });
  }

  // ---------------------------------------------------------------- ephemerals

  /** A raw request: the reply's zxid is the state it was answered from (what the ephemeral checks need). */
  private request(ctx: NodeContext<ZkMessage>, op: ClientOp, then: (c: NodeContext<ZkMessage>, r: SessionReply) => void): void {
    this.zk.session.request(ctx, toWire(op), then);
  }

  private setup(ctx: NodeContext<ZkMessage>): void {
    const path = `${LIVE_DIR}/${this.id}-${this.generation}`;
    const create = (p: string, flags: number): ClientOp => ({ op: "write", req: { type: "create", path: p, data: null, acl: OPEN_ACL_UNSAFE, flags, ttlMs: -1n } });
    this.request(ctx, create(LIVE_DIR, CREATE_MODE.PERSISTENT), (c) => {
      const session = this.zk.sessionId;
      this.request(c, create(path, CREATE_MODE.EPHEMERAL), (c2, r) => {
        const outcome: Outcome = r.err === 0 ? "ok" : definite(r.err) ? "fail" : "info";
        c2.trace({ type: "register-ephemeral", path, session, zxid: r.err === 0 ? r.zxid : null, outcome, err: r.err === 0 ? "ok" : (errName(r.err) ?? String(r.err)) });
        this.finished(c2);
      });
    });
  }

  private probe(ctx: NodeContext<ZkMessage>): void {
    this.request(ctx, { op: "getChildren", path: LIVE_DIR, watch: false }, (c, r) => {
      if (r.err === 0) {
        const children = [...fromWire<{ children: string[] }>(r.body).children].sort();
        c.trace({ type: "register-probe", parent: LIVE_DIR, children, zxid: r.zxid, session: this.zk.sessionId });
      }
      this.finished(c);
    });
  }
}

/** Errors that prove a write did not happen (the server refused it); anything else may have. */
function definite(err: number): boolean {
  return err === ERR.NodeExists || err === ERR.BadVersion || err === ERR.NoNode;
}
