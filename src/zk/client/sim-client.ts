import type { NodeId } from "../../sim/node.js";
import type { TraceEvent, TraceValue } from "../../sim/trace.js";
import type { World } from "../../sim/world.js";
import type { Acl } from "../acl.js";
import {
  isAlive,
  keeperFailure,
  okResult,
  type AddWatchMode,
  type ClientInfo,
  type ClientState,
  type EventType,
  type KeeperState,
  type MultiDelete,
  type WatchedEvent,
  type WatcherType,
  type ZkClientApi,
  type ZkResult,
} from "../cli/client-api.js";
import { GatedClient } from "../cli/client-gate.js";
import { ClientWatches } from "../cli/client-watches.js";
import { packetBytes } from "../cli/packet-size.js";
import { ERR, type ErrCode } from "../errors.js";
import { pathError } from "../path.js";
import type { ClientOp, WhoAmIEntry } from "../server/messages.js";
import { fromWire, toWire } from "../server/wire.js";
import type { Stat } from "../stat.js";
import type { WriteRequest } from "../validate.js";
import type { ClientInput } from "./client-node.js";
import { canonicalAddress, parseConnectString } from "./connect-string.js";

export type SimClientOptions = {
  readonly world: World;
  /** The client node this library drives (built with `clientNode`). */
  readonly clientId: NodeId;
  /** Connect-string address (`host:port`) -> server node; connecting to any other address is refused. */
  readonly servers: ReadonlyMap<string, NodeId>;
  /** The connect string: `host:port`, or several comma-separated (the client fails over among them). */
  readonly host: string;
  /** The session timeout the client asks for (zkCli: 30000). */
  readonly sessionTimeoutMs?: number;
  /** How long (virtual) a call waits for its reply before failing with ConnectionLoss. */
  readonly requestTimeoutMs?: number;
  /** The server's `jute.maxbuffer` (default 0xfffff): a longer request packet drops the connection. */
  readonly juteMaxBufferBytes?: number;
};

type Reply = { readonly zxid: string; readonly err: number; readonly body: TraceValue };

type Report =
  | { readonly kind: "state"; readonly state: "SyncConnected" | "Disconnected" | "Expired" }
  | { readonly kind: "reply"; readonly xid: number; readonly reply: Reply }
  | { readonly kind: "watch"; readonly event: EventType; readonly path: string };

/**
 * The client library (`org.apache.zookeeper.ZooKeeper` with its ZKWatchManager) over a simulated
 * world: each call hands its request to the client node (`world.input`) and runs the world until the
 * reply arrives, so a synchronous zkCli call advances virtual time. What the client node hears
 * (`zk-client-*` trace events) is handled in arrival order: watch notifications reach the default
 * watcher before the reply of the write that fired them, as the server sends them first.
 */
export class SimClient extends GatedClient implements ZkClientApi {
  private readonly opts: SimClientOptions;
  private readonly world: World;
  private nextXid = 1;
  private everConnected = false;
  /** The last zxid a reply carried (setWatches' relativeZxid). */
  private lastZxid = 0n;
  private readonly inbox: Report[] = [];
  private readonly watches = new ClientWatches();
  private watcher: (e: WatchedEvent) => void = () => undefined;
  host: string;

  constructor(opts: SimClientOptions) {
    super(opts.juteMaxBufferBytes ?? 0xfffff);
    this.opts = opts;
    this.world = opts.world;
    this.host = opts.host;
    this.world.observe((e) => this.onTrace(e));
    this.open(opts.host);
  }

  private onTrace(e: TraceEvent): void {
    if (e["node"] !== this.opts.clientId) return;
    switch (e.type) {
      case "zk-client-state":
        this.inbox.push({ kind: "state", state: e["state"] as "SyncConnected" | "Disconnected" | "Expired" });
        return;
      case "zk-client-reply":
        this.inbox.push({ kind: "reply", xid: e["xid"] as number, reply: { zxid: e["zxid"] as string, err: e["err"] as number, body: e["body"] ?? null } });
        return;
      case "zk-client-watch":
        this.inbox.push({ kind: "watch", event: e["event"] as EventType, path: e["path"] as string });
        return;
      default:
        return;
    }
  }

  state(): ClientState {
    return this.current;
  }

  setDefaultWatcher(watcher: (e: WatchedEvent) => void): void {
    this.watcher = watcher;
  }

  private input(i: ClientInput): void {
    this.world.input(this.opts.clientId, i);
  }

  protected event(state: KeeperState, type: EventType, path: string | null): void {
    this.watcher({ state, type, path });
  }

  /** Hands everything the client node heard so far to the library, in order; returns the reply to `xid`. */
  private drainInbox(xid: number | null): Reply | null {
    let mine: Reply | null = null;
    while (this.inbox.length > 0) {
      const r = this.inbox.shift() as Report;
      switch (r.kind) {
        case "reply":
          if (r.reply.err === 0 && BigInt(r.reply.zxid) > this.lastZxid) this.lastZxid = BigInt(r.reply.zxid);
          if (r.xid === xid) mine = r.reply;
          break;
        case "watch": {
          const clientPath = this.toClient(r.path);
          if (this.watches.materialize(r.event, clientPath)) this.event("SyncConnected", r.event, clientPath);
          break;
        }
        case "state":
          this.onState(r.state);
          break;
      }
    }
    return mine;
  }

  private onState(state: "SyncConnected" | "Disconnected" | "Expired"): void {
    if (state === "SyncConnected" && this.current === "CONNECTING" && this.everConnected) this.resendWatches();
    if (state === "SyncConnected") {
      this.current = "CONNECTED";
      this.everConnected = true;
    }
    if (state === "Disconnected") this.current = "CONNECTING";
    if (state === "Expired") {
      this.current = "CLOSED";
      this.watches.clear();
    }
    this.event(state, "None", null);
  }

  /** On reconnect to the same session, the watches it holds go back to the server (`primeConnection`). */
  private resendWatches(): void {
    const w = this.watches;
    const op: ClientOp = {
      op: "setWatches",
      relativeZxid: this.lastZxid,
      data: [...w.data].map((p) => this.toServer(p)),
      exist: [...w.exist].map((p) => this.toServer(p)),
      child: [...w.child].map((p) => this.toServer(p)),
      persistent: [...w.persistent].map((p) => this.toServer(p)),
      persistentRecursive: [...w.persistentRecursive].map((p) => this.toServer(p)),
    };
    this.input({ type: "request", xid: this.nextXid++, body: toWire(op) });
  }

  /** Runs virtual time (the shell's `advance`) and delivers what arrived meanwhile. */
  pump(untilUs: number): void {
    this.world.run({ untilUs });
    this.drainInbox(null);
  }

  private waitFor(done: () => boolean, forMs: number): void {
    this.world.run({ untilUs: this.world.now + forMs * 1000, stopWhen: done });
  }

  private open(host: string): void {
    this.host = host;
    this.watches.clear();
    this.authFailPending = false;
    this.everConnected = false;
    this.current = "CONNECTING";
    const servers = this.serversOf(host);
    this.input({ type: "open", servers, timeoutMs: this.opts.sessionTimeoutMs ?? 30000 });
    if (servers.every((s) => s === null)) return;
    this.waitFor(() => this.inbox.some((r) => r.kind === "state"), this.opts.requestTimeoutMs ?? 10000);
    this.drainInbox(null);
  }

  /**
   * The server nodes a connect string names, in its order (null where nothing answers); sets the
   * chroot (an invalid one, which makes the real constructor throw, reaches no server).
   */
  private serversOf(host: string): (NodeId | null)[] {
    const parsed = parseConnectString(host);
    const slash = host.indexOf("/");
    const raw = (slash >= 0 ? host.slice(0, slash) : host)
      .split(",")
      .map((h) => h.trim())
      .filter((h) => h !== "");
    this.chroot = parsed.chroot;
    if (parsed.addresses.length === 0 || (parsed.chroot !== null && pathError(parsed.chroot) !== null)) {
      this.chroot = null;
      return [null];
    }
    const byAddress = (a: string): NodeId | null => {
      for (const [address, node] of this.opts.servers) if (canonicalAddress(address) === canonicalAddress(a)) return node;
      return null;
    };
    return parsed.addresses.map((a, i) => this.opts.servers.get(raw[i] ?? a) ?? this.opts.servers.get(a) ?? byAddress(a));
  }

  connect(host: string): void {
    if (isAlive(this.current)) this.close();
    this.open(host);
  }

  /** `ZooKeeper.close`: a closeSession request (its ephemerals' events still reach us), then Closed. */
  close(): void {
    if (!isAlive(this.current)) return;
    if (this.current === "CONNECTED") this.call({ op: "write", req: { type: "closeSession" } });
    this.input({ type: "shutdown" });
    this.drainInbox(null);
    this.current = "CLOSED";
    this.watches.clear();
    this.event("Closed", "None", null);
  }

  /** Sends one request and runs the world until its reply, or ConnectionLoss after the request timeout. */
  private call(op: ClientOp): Reply {
    const xid = this.nextXid++;
    this.input({ type: "request", xid, body: toWire(op) });
    this.waitFor(() => this.inbox.some((r) => r.kind === "reply" && r.xid === xid), this.opts.requestTimeoutMs ?? 10000);
    return this.drainInbox(xid) ?? { zxid: "0x0", err: ERR.ConnectionLoss, body: null };
  }

  private request<T>(op: ClientOp, path: string | null, ok: (body: TraceValue) => T): ZkResult<T> {
    const r = this.call(op);
    return r.err === 0 ? okResult(ok(r.body)) : keeperFailure(r.err as ErrCode, path);
  }

  private write<T>(req: WriteRequest, path: string | null, ok: (body: TraceValue) => T): ZkResult<T> {
    return this.request({ op: "write", req }, path, ok);
  }

  create(path: string, data: Uint8Array | null, acl: readonly Acl[], flags: number, ttlMs: bigint): ZkResult<string> {
    const refused = this.createRefusal(path, data, acl, flags);
    if (refused !== null) return refused;
    return this.write({ type: "create", path: this.toServer(path), data, acl, flags, ttlMs }, path, (b) => {
      const created = b as string | null;
      return created === null ? path : this.toClient(created);
    });
  }

  delete(path: string, version: number): ZkResult<null> {
    return this.checked(path, () => this.write({ type: "delete", path: this.toServer(path), version }, path, () => null));
  }

  setData(path: string, data: Uint8Array | null, version: number): ZkResult<Stat> {
    return this.checked(path, () => {
      if (this.overMaxBuffer(packetBytes(path, data, null, 4))) return keeperFailure(ERR.ConnectionLoss, path);
      return this.write({ type: "setData", path: this.toServer(path), data, version }, path, (b) => fromWire<Stat>(b));
    });
  }

  getData(path: string, watch: boolean): ZkResult<{ data: Uint8Array | null; stat: Stat }> {
    return this.readData(path, this.toServer(path), watch);
  }

  private readData(path: string, serverPath: string, watch: boolean): ZkResult<{ data: Uint8Array | null; stat: Stat }> {
    return this.checked(path, () =>
      this.request({ op: "getData", path: serverPath, watch }, path, (b) => {
        if (watch) this.watches.data.add(path);
        return fromWire<{ data: Uint8Array | null; stat: Stat }>(b);
      }),
    );
  }

  exists(path: string, watch: boolean): ZkResult<Stat | null> {
    return this.checked(path, () =>
      this.request({ op: "exists", path: this.toServer(path), watch }, path, (b) => {
        const stat = fromWire<Stat | null>(b);
        if (watch) (stat === null ? this.watches.exist : this.watches.data).add(path);
        return stat;
      }),
    );
  }

  getChildren(path: string, watch: boolean): ZkResult<{ children: readonly string[]; stat: Stat }> {
    return this.checked(path, () =>
      this.request({ op: "getChildren", path: this.toServer(path), watch }, path, (b) => {
        if (watch) this.watches.child.add(path);
        return fromWire<{ children: readonly string[]; stat: Stat }>(b);
      }),
    );
  }

  getAllChildrenNumber(path: string): ZkResult<number> {
    return this.checked(path, () => this.request({ op: "getAllChildrenNumber", path: this.toServer(path) }, path, (b) => b as number));
  }

  /** `ZooKeeper.getEphemerals` sends the prefix as given: no chroot prepended. */
  getEphemerals(prefixPath: string | null): ZkResult<readonly string[]> {
    const prefix = prefixPath ?? "/";
    return this.checked(prefix, () => this.request({ op: "getEphemerals", path: prefix }, prefix, (b) => b as string[]));
  }

  getACL(path: string): ZkResult<{ acl: readonly Acl[]; stat: Stat }> {
    return this.checked(path, () => this.request({ op: "getACL", path: this.toServer(path) }, path, (b) => fromWire<{ acl: readonly Acl[]; stat: Stat }>(b)));
  }

  setACL(path: string, acl: readonly Acl[], version: number): ZkResult<Stat> {
    const refused = this.setAclRefusal(path, acl);
    if (refused !== null) return refused;
    return this.write({ type: "setACL", path: this.toServer(path), acl, version }, path, (b) => fromWire<Stat>(b));
  }

  /** `ZooKeeper.getConfig`: getData of /zookeeper/config, never under the chroot. */
  getConfig(watch: boolean): ZkResult<{ data: Uint8Array | null; stat: Stat }> {
    return this.readData("/zookeeper/config", "/zookeeper/config", watch);
  }

  /** deleteall's async multi: an invalid path fails the batch with BadArguments before sending. */
  multi(ops: readonly MultiDelete[]): ZkResult<null> {
    if (ops.some((o) => pathError(o.path) !== null)) return keeperFailure(ERR.BadArguments, null);
    // ZooKeeper.multiInternal answers an empty multi itself: nothing is sent, no zxid is spent.
    if (ops.length === 0) return okResult(null);
    const gated = this.gate(null);
    if (gated !== null) return gated;
    return this.write({ type: "multi", ops: ops.map((o) => ({ ...o, path: this.toServer(o.path) })) }, null, () => null);
  }

  addWatch(path: string, mode: AddWatchMode): ZkResult<null> {
    return this.checked(path, () =>
      this.request({ op: "addWatch", path: this.toServer(path), mode }, path, () => {
        (mode === "PERSISTENT" ? this.watches.persistent : this.watches.persistentRecursive).add(path);
        return null;
      }),
    );
  }

  /** removeWatches: the server drops its entries first, then the client checks its own (see StoreClient). */
  removeAllWatches(path: string, type: WatcherType, local: boolean): ZkResult<null> {
    return this.checked(path, () => {
      const r = this.call({ op: "removeWatches", path: this.toServer(path), type });
      if (r.err !== 0 && r.err !== ERR.NoWatcher) return keeperFailure(r.err as ErrCode, path);
      if (!this.watches.contains(path, type)) return keeperFailure(ERR.NoWatcher, path);
      if (r.err !== 0 && !local) return keeperFailure(ERR.NoWatcher, path);
      const events = this.watches.remove(path, type);
      if (events === null) return keeperFailure(ERR.NoWatcher, path);
      for (const e of events) this.event("SyncConnected", e, path);
      return okResult(null);
    });
  }

  reconfig(_joining: string | null, _leaving: string | null, _members: string | null, _fromConfig: bigint): ZkResult<string> {
    const gated = this.gate(null);
    return gated ?? this.request({ op: "reconfig" }, null, () => "");
  }

  sync(path: string): ZkResult<number> {
    return this.checked(path, () => this.request({ op: "sync", path: this.toServer(path) }, path, () => 0));
  }

  /** Fire and forget for the caller: a refusal is an AuthFailed event now and AuthFailed next request. */
  addAuthInfo(scheme: string, auth: Uint8Array | null): void {
    if (this.current !== "CONNECTED") return;
    const r = this.call({ op: "addAuth", scheme, auth });
    if (r.err !== ERR.AuthFailed) return;
    this.authFailPending = true;
    this.event("AuthFailed", "None", null);
  }

  whoAmI(): ZkResult<readonly ClientInfo[]> {
    const gated = this.gate(null);
    if (gated !== null) return gated;
    return this.request({ op: "whoAmI" }, null, (b) => (b as WhoAmIEntry[]).map((e) => ({ authScheme: e.scheme, user: e.id })));
  }
}
