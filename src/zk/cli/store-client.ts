import { PERM, type Acl, type AclHook, type Id } from "../acl.js";
import { ERR, type ErrCode } from "../errors.js";
import { pathError } from "../path.js";
import { exists, getAcl, getAllChildrenNumber, getChildren2, getData, getEphemerals } from "../reads.js";
import type { Stat } from "../stat.js";
import type { WriteOutcome, ZkStore } from "../store.js";
import type { WriteRequest } from "../validate.js";
import type { WatchTrigger } from "../watch-trigger.js";
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
} from "./client-api.js";
import { GatedClient } from "./client-gate.js";
import { ClientWatches } from "./client-watches.js";
import { packetBytes } from "./packet-size.js";
import { ServerWatches } from "./server-watches.js";
import { authInfoOrder, digestId, sessionAclHook, userOf } from "./session-auth.js";
import { canonicalAddress, parseConnectString } from "../client/connect-string.js";

export type StoreClientOptions = {
  readonly store: ZkStore;
  /** The one address that answers; `connect` to any other leaves the client CONNECTING. */
  readonly serverAddress: string;
  /** The connect string the client starts with. */
  readonly host: string;
  /** Time stamped on each txn (ms since the epoch): the caller's clock, never the host's. */
  readonly clockMs: () => number;
  readonly firstSessionId: bigint;
  /** The address the server sees the client at (`ip:` id of every session). */
  readonly clientIp: string;
  /** `zookeeper.DigestAuthenticationProvider.superDigest` (`super:<base64>`), or null. */
  readonly superDigest: string | null;
  /** The server's `jute.maxbuffer` (default 0xfffff): a longer request packet drops the connection. */
  readonly juteMaxBufferBytes?: number;
};

/**
 * A synchronous in-process client over a ZkStore: the Java client's own checks (PathUtils, validateACL,
 * watch bookkeeping in ZKWatchManager) plus the server's per-session state (auth ids, the session's
 * entries in the data and child watch managers). Calls answer at once; watch events reach the default
 * watcher while the write that caused them is applied, before it returns (the server sends them
 * before the reply). One session at a time, as a zkCli has.
 */
export class StoreClient extends GatedClient implements ZkClientApi {
  private readonly opts: StoreClientOptions;
  private sessionId: bigint | null = null;
  private nextSessionId: bigint;
  private authIds: Id[] = [];
  private readonly serverData = new ServerWatches();
  private readonly serverChild = new ServerWatches();
  private readonly watches = new ClientWatches();
  private watcher: (e: WatchedEvent) => void = () => undefined;
  host: string;

  constructor(opts: StoreClientOptions) {
    super(opts.juteMaxBufferBytes ?? 0xfffff);
    this.opts = opts;
    this.nextSessionId = opts.firstSessionId;
    this.host = opts.host;
    this.open(opts.host);
  }

  state(): ClientState {
    return this.current;
  }

  /** The live session's id, or null while none is established. */
  get session(): bigint | null {
    return this.sessionId;
  }

  setDefaultWatcher(watcher: (e: WatchedEvent) => void): void {
    this.watcher = watcher;
  }

  private get store(): ZkStore {
    return this.opts.store;
  }

  private get acl(): AclHook {
    return sessionAclHook(this.authIds);
  }

  private open(host: string): void {
    this.host = host;
    this.serverData.clear();
    this.serverChild.clear();
    this.watches.clear();
    this.authFailPending = false;
    const parsed = parseConnectString(host);
    const server = canonicalAddress(this.opts.serverAddress);
    const reaches = parsed.addresses.length > 0 && parsed.addresses.every((a) => canonicalAddress(a) === server);
    this.chroot = parsed.chroot;
    if (!reaches || (parsed.chroot !== null && pathError(parsed.chroot) !== null)) {
      this.chroot = null;
      this.current = "CONNECTING";
      this.sessionId = null;
      return;
    }
    this.sessionId = this.nextSessionId;
    this.nextSessionId += 1n;
    this.authIds = [{ scheme: "ip", id: this.opts.clientIp }];
    this.current = "CONNECTED";
    this.write({ type: "createSession", timeoutMs: 30000 });
    this.watcher({ state: "SyncConnected", type: "None", path: null });
  }

  connect(host: string): void {
    if (isAlive(this.current)) this.close();
    this.open(host);
  }

  /** `ZooKeeper.close`: a closeSession txn (its ephemerals' events still reach this session), then Closed. */
  close(): void {
    if (!isAlive(this.current)) return;
    if (this.sessionId !== null) this.write({ type: "closeSession" });
    this.current = "CLOSED";
    this.sessionId = null;
    this.serverData.clear();
    this.serverChild.clear();
    this.watches.clear();
    this.event("Closed", "None", null);
  }

  protected event(state: KeeperState, type: EventType, path: string | null): void {
    this.watcher({ state, type, path });
  }

  private write(req: WriteRequest): WriteOutcome {
    const sessionId = this.sessionId;
    if (sessionId === null) throw new Error("write without a session");
    const outcome = this.store.write(req, { sessionId, timeMs: this.opts.clockMs(), authIds: authInfoOrder(this.authIds), checkAcl: this.acl });
    this.deliver(outcome.triggers);
    return outcome;
  }

  /**
   * DataTree's triggers through this session's watch-manager entries. A NodeDeleted that reached the
   * session through the data manager is not sent again through the child manager (the `supress`
   * argument of WatchManager.triggerWatch). Debian's 3.8.0 carries the CVE-2024-23944 fix: a
   * notification about a node the session may not READ (the parent for NodeChildrenChanged, which is
   * the trigger's own path) is dropped silently, the one-shot watch still consumed. The ACL judged is
   * the one the trigger carries: the node's at that point of the txn (inside a multi, later ops may
   * change or delete it).
   */
  private deliver(triggers: readonly WatchTrigger[]): void {
    const viaData = new Set<string>();
    for (const t of triggers) {
      const fired = (t.manager === "data" ? this.serverData : this.serverChild).trigger(t.path, t.event);
      if (!fired) continue;
      if (t.manager === "data" && t.event === "NodeDeleted") viaData.add(t.path);
      else if (t.manager === "child" && t.event === "NodeDeleted" && viaData.has(t.path)) continue;
      if (!this.acl(t.acl, PERM.READ, t.path)) continue;
      const clientPath = this.toClient(t.path);
      if (this.watches.materialize(t.event, clientPath)) this.watcher({ state: "SyncConnected", type: t.event, path: clientPath });
    }
  }

  private writeResult(outcome: WriteOutcome, clientPath: string | null): ZkResult<null> {
    return outcome.error === null ? okResult(null) : keeperFailure(outcome.error.code, clientPath);
  }

  create(path: string, data: Uint8Array | null, acl: readonly Acl[], flags: number, ttlMs: bigint): ZkResult<string> {
    const refused = this.createRefusal(path, data, acl, flags);
    if (refused !== null) return refused;
    const outcome = this.write({ type: "create", path: this.toServer(path), data, acl, flags, ttlMs });
    if (outcome.error !== null) return keeperFailure(outcome.error.code, path);
    return okResult(outcome.result.path === null ? path : this.toClient(outcome.result.path));
  }

  delete(path: string, version: number): ZkResult<null> {
    return this.checked(path, () => this.writeResult(this.write({ type: "delete", path: this.toServer(path), version }), path));
  }

  setData(path: string, data: Uint8Array | null, version: number): ZkResult<Stat> {
    return this.checked(path, () => {
      if (this.overMaxBuffer(packetBytes(path, data, null, 4))) return keeperFailure(ERR.ConnectionLoss, path);
      const outcome = this.write({ type: "setData", path: this.toServer(path), data, version });
      if (outcome.error !== null) return keeperFailure(outcome.error.code, path);
      return okResult(this.statAfterWrite(outcome, this.toServer(path)));
    });
  }

  private statAfterWrite(outcome: WriteOutcome, path: string): Stat {
    if (outcome.result.stat !== null) return outcome.result.stat;
    const n = this.store.tree.node(path);
    if (n === undefined) throw new Error(`no node ${path} after a successful write`);
    return this.store.tree.statOf(n);
  }

  private failWith<T>(code: ErrCode, path: string): ZkResult<T> {
    return keeperFailure(code, path);
  }

  getData(path: string, watch: boolean): ZkResult<{ data: Uint8Array | null; stat: Stat }> {
    return this.readData(path, this.toServer(path), watch);
  }

  private readData(path: string, serverPath: string, watch: boolean): ZkResult<{ data: Uint8Array | null; stat: Stat }> {
    return this.checked(path, () => {
      const r = getData(this.store.tree, serverPath, this.acl);
      if (!r.ok) return this.failWith(r.error.code, path);
      if (watch) {
        this.serverData.add(serverPath, "STANDARD");
        this.watches.data.add(path);
      }
      return okResult(r.value);
    });
  }

  exists(path: string, watch: boolean): ZkResult<Stat | null> {
    return this.checked(path, () => {
      const r = exists(this.store.tree, this.toServer(path), this.acl);
      if (!r.ok) return this.failWith(r.error.code, path);
      if (watch) {
        this.serverData.add(this.toServer(path), "STANDARD");
        (r.value === null ? this.watches.exist : this.watches.data).add(path);
      }
      return okResult(r.value);
    });
  }

  getChildren(path: string, watch: boolean): ZkResult<{ children: readonly string[]; stat: Stat }> {
    return this.checked(path, () => {
      const r = getChildren2(this.store.tree, this.toServer(path), this.acl);
      if (!r.ok) return this.failWith(r.error.code, path);
      if (watch) {
        this.serverChild.add(this.toServer(path), "STANDARD");
        this.watches.child.add(path);
      }
      return okResult(r.value);
    });
  }

  getAllChildrenNumber(path: string): ZkResult<number> {
    return this.checked(path, () => {
      const r = getAllChildrenNumber(this.store.tree, this.toServer(path), this.acl);
      return r.ok ? okResult(r.value) : this.failWith(r.error.code, path);
    });
  }

  /** `ZooKeeper.getEphemerals` sends the prefix as given: no chroot prepended (transcript 95). */
  getEphemerals(prefixPath: string | null): ZkResult<readonly string[]> {
    const prefix = prefixPath ?? "/";
    return this.checked(prefix, () => okResult(getEphemerals(this.store.tree, this.sessionId ?? 0n, prefix)));
  }

  getACL(path: string): ZkResult<{ acl: readonly Acl[]; stat: Stat }> {
    return this.checked(path, () => {
      const r = getAcl(this.store.tree, this.toServer(path), this.acl);
      return r.ok ? okResult(r.value) : this.failWith(r.error.code, path);
    });
  }

  setACL(path: string, acl: readonly Acl[], version: number): ZkResult<Stat> {
    const refused = this.setAclRefusal(path, acl);
    if (refused !== null) return refused;
    const outcome = this.write({ type: "setACL", path: this.toServer(path), acl, version });
    if (outcome.error !== null) return keeperFailure(outcome.error.code, path);
    return okResult(this.statAfterWrite(outcome, this.toServer(path)));
  }

  /** `ZooKeeper.getConfig`: getData of /zookeeper/config, never under the chroot. */
  getConfig(watch: boolean): ZkResult<{ data: Uint8Array | null; stat: Stat }> {
    return this.readData("/zookeeper/config", "/zookeeper/config", watch);
  }

  /**
   * The async `ZooKeeper.multi` deleteall uses: an op with an invalid path fails the whole batch
   * with BadArguments before anything is sent (`ZooKeeper.validatePath(Iterable<Op>)`).
   */
  multi(ops: readonly MultiDelete[]): ZkResult<null> {
    if (ops.some((o) => pathError(o.path) !== null)) return keeperFailure(ERR.BadArguments, null);
    const gated = this.gate(null);
    if (gated !== null) return gated;
    return this.writeResult(this.write({ type: "multi", ops: ops.map((o) => ({ ...o, path: this.toServer(o.path) })) }), null);
  }

  addWatch(path: string, mode: AddWatchMode): ZkResult<null> {
    return this.checked(path, () => {
      this.serverData.add(this.toServer(path), mode);
      this.serverChild.add(this.toServer(path), mode);
      (mode === "PERSISTENT" ? this.watches.persistent : this.watches.persistentRecursive).add(path);
      return okResult(null);
    });
  }

  /**
   * removeWatches: the server removes its entries first (DataTree.removeWatch, NoWatcher if none);
   * then the client checks its own record (ZKWatchManager.removeWatcher), which can refuse with
   * NoWatcher after the server already dropped a persistent entry (transcript 42). Removed watches are
   * announced as DataWatchRemoved / ChildWatchRemoved / PersistentWatchRemoved events.
   */
  removeAllWatches(path: string, type: WatcherType, local: boolean): ZkResult<null> {
    return this.checked(path, () => {
      const child = type !== "Data" && this.serverChild.remove(this.toServer(path));
      const data = type !== "Children" && this.serverData.remove(this.toServer(path));
      const rc = child || data ? 0 : ERR.NoWatcher;
      if (!this.watches.contains(path, type)) return keeperFailure(ERR.NoWatcher, path);
      if (rc !== 0 && !local) return keeperFailure(ERR.NoWatcher, path);
      const events = this.watches.remove(path, type);
      if (events === null) return keeperFailure(ERR.NoWatcher, path);
      for (const e of events) this.watcher({ state: "SyncConnected", type: e, path });
      return okResult(null);
    });
  }

  /**
   * A standalone server has reconfigEnabled=false: ReconfigDisabled. The real server refuses it in
   * PrepRequestProcessor, spending a zxid on an error txn; ZkStore has no such request yet, so no
   * zxid is spent here (a divergence no transcript shows).
   */
  reconfig(_joining: string | null, _leaving: string | null, _members: string | null, _fromConfig: bigint): ZkResult<string> {
    const gated = this.gate(null);
    return gated ?? keeperFailure(ERR.ReconfigDisabled, null);
  }

  sync(path: string): ZkResult<number> {
    return this.checked(path, () => okResult(0));
  }

  /**
   * `ZooKeeper.addAuthInfo`: the digest provider always accepts (adding `super` first when the digest
   * is the configured superDigest), ip re-adds the connection's address, any other scheme or missing
   * credentials fail: an AuthFailed event now, AuthFailed for the next request.
   */
  addAuthInfo(scheme: string, auth: Uint8Array | null): void {
    if (!isAlive(this.current) || this.sessionId === null) return;
    const add = (id: Id): void => {
      if (!this.authIds.some((a) => a.scheme === id.scheme && a.id === id.id)) this.authIds.push(id);
    };
    if (scheme === "digest" && auth !== null) {
      const digest = digestId(new TextDecoder().decode(auth));
      if (this.opts.superDigest !== null && digest === this.opts.superDigest) add({ scheme: "super", id: "" });
      add({ scheme: "digest", id: digest });
      return;
    }
    if (scheme === "ip" && auth !== null) {
      add({ scheme: "ip", id: this.opts.clientIp });
      return;
    }
    this.authFailPending = true;
    this.watcher({ state: "AuthFailed", type: "None", path: null });
  }

  whoAmI(): ZkResult<readonly ClientInfo[]> {
    const gated = this.gate(null);
    if (gated !== null) return gated;
    return okResult(authInfoOrder(this.authIds).map((id) => ({ authScheme: id.scheme, user: userOf(id) })));
  }
}
