// A small reference model of what a ZooKeeper 3.8 client sees of one standalone server: the tree
// with full Stats, zxids, sessions and their ephemerals, and one-shot watches as both the server
// and the client library hold them. Written from ../shared/reference/zk-semantics.md, not from
// src/zk (it imports nothing from there): plain maps and sets, one rule per line, no cleverness.

export const CODE = {
  OK: 0,
  RuntimeInconsistency: -2,
  ConnectionLoss: -4,
  Unimplemented: -6,
  BadArguments: -8,
  NoNode: -101,
  NoAuth: -102,
  BadVersion: -103,
  NoChildrenForEphemerals: -108,
  NodeExists: -110,
  NotEmpty: -111,
  SessionExpired: -112,
  InvalidACL: -114,
} as const;

export const PERMS = { READ: 1, WRITE: 2, CREATE: 4, DELETE: 8, ADMIN: 16, ALL: 31 } as const;

/** The address every simulated client connects from: each session carries the id `ip:<it>`. */
export const CLIENT_IP = "127.0.0.1";

export type MAcl = { readonly perms: number; readonly id: { readonly scheme: string; readonly id: string } };

/** What the model knows of a txn's wall-clock time (ms): the server stamps it between send and reply. */
export type TimeWindow = { lo: number; hi: number };

export type MNode = {
  data: Uint8Array | null;
  acl: readonly MAcl[];
  czxid: bigint;
  mzxid: bigint;
  pzxid: bigint;
  ctime: TimeWindow;
  mtime: TimeWindow;
  version: number;
  /** As clients see it: +1 for every child created or deleted. */
  cversion: number;
  aversion: number;
  /** Children ever created here: the next sequential suffix. */
  childCreates: number;
  /** The owning session of an ephemeral; 0 otherwise (containers too). */
  owner: bigint;
  ephemeral: boolean;
  children: Set<string>;
};

/** A Stat as the client API returns it (ctime and mtime are checked against windows). */
export type MStat = {
  readonly czxid: bigint;
  readonly mzxid: bigint;
  readonly ctime: number;
  readonly mtime: number;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: bigint;
  readonly dataLength: number;
  readonly numChildren: number;
  readonly pzxid: bigint;
};

export type EventType = "NodeCreated" | "NodeDeleted" | "NodeDataChanged" | "NodeChildrenChanged";

/** A watch trigger with the ACL of the node it concerns at that moment (DataTree.triggerWatch). */
type Trigger = { readonly manager: "data" | "child"; readonly event: EventType; readonly path: string; readonly acl: readonly MAcl[] };

/** One session as the server and the client library each hold its watches. */
export type MSession = {
  readonly id: bigint;
  /** Its client is connected (notifications reach it). */
  connected: boolean;
  readonly server: { readonly data: Set<string>; readonly child: Set<string> };
  readonly client: { readonly data: Set<string>; readonly exist: Set<string>; readonly child: Set<string> };
};

export type CreateFlags = 0 | 1 | 2 | 3 | 4 | 5 | 6;
export type MultiOpSpec =
  | { readonly type: "create"; readonly path: string; readonly data: Uint8Array | null; readonly acl: readonly MAcl[]; readonly flags: CreateFlags }
  | { readonly type: "delete"; readonly path: string; readonly version: number }
  | { readonly type: "setData"; readonly path: string; readonly data: Uint8Array | null; readonly version: number }
  | { readonly type: "check"; readonly path: string; readonly version: number };

export type WriteOutcome = { readonly err: number; readonly path?: string; readonly stat?: MStat };

type Tree = Map<string, MNode>;
type OpCtx = { readonly zxid: bigint; readonly time: TimeWindow; readonly session: bigint };
type OpResult = { readonly err: 0; readonly path?: string; readonly stat?: MStat } | { readonly err: number };

const SPECIAL = new Set(["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"]);
const OPEN: readonly MAcl[] = [{ perms: PERMS.ALL, id: { scheme: "world", id: "anyone" } }];
const READ_ONLY: readonly MAcl[] = [{ perms: PERMS.READ, id: { scheme: "world", id: "anyone" } }];

export const parentOf = (path: string): string => (path.lastIndexOf("/") === 0 ? "/" : path.slice(0, path.lastIndexOf("/")));
const nameOf = (path: string): string => path.slice(path.lastIndexOf("/") + 1);
const pad10 = (n: number): string => String(n).padStart(10, "0");
const exact = (ms: number): TimeWindow => ({ lo: ms, hi: ms });

function builtin(acl: readonly MAcl[], cversion: number, aversion: number, children: string[]): MNode {
  return {
    data: new Uint8Array(0),
    acl,
    czxid: 0n,
    mzxid: 0n,
    pzxid: 0n,
    ctime: exact(0),
    mtime: exact(0),
    version: 0,
    cversion,
    aversion,
    childCreates: 0,
    owner: 0n,
    ephemeral: false,
    children: new Set(children),
  };
}

/** The ids a session is authenticated as (no addauth in these runs): the world and its address. */
function idMatches(id: MAcl["id"]): boolean {
  return (id.scheme === "world" && id.id === "anyone") || (id.scheme === "ip" && id.id === CLIENT_IP);
}

/** ZooKeeperServer.checkACL: an empty ACL allows; else some matching entry must share a bit. */
export function allowed(acl: readonly MAcl[], perm: number): boolean {
  if (acl.length === 0) return true;
  return acl.some((a) => (a.perms & perm) !== 0 && idMatches(a.id));
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/\d{1,2})?$/;

/** PrepRequestProcessor.fixupACL for the schemes these runs use: validity, then duplicates dropped. */
function fixupAcl(acl: readonly MAcl[]): readonly MAcl[] | null {
  const out: MAcl[] = [];
  for (const a of acl) {
    if (a.id.scheme === "world" && a.id.id !== "anyone") return null;
    if (a.id.scheme === "ip" && !IPV4.test(a.id.id)) return null;
    if (a.id.scheme === "auth") return null; // no digest identity in these sessions
    if (!["world", "ip"].includes(a.id.scheme)) return null;
    if (!out.some((b) => b.perms === a.perms && b.id.scheme === a.id.scheme && b.id.id === a.id.id)) out.push(a);
  }
  return out.length === 0 ? null : out;
}

function cloneTree(t: Tree): Tree {
  const out: Tree = new Map();
  for (const [p, n] of t) out.set(p, { ...n, children: new Set(n.children) });
  return out;
}

export function statOf(n: MNode): MStat {
  return {
    czxid: n.czxid,
    mzxid: n.mzxid,
    ctime: n.ctime.lo,
    mtime: n.mtime.lo,
    version: n.version,
    cversion: n.cversion,
    aversion: n.aversion,
    ephemeralOwner: n.ephemeral ? n.owner : 0n,
    dataLength: n.data?.length ?? 0,
    numChildren: n.children.size,
    pzxid: n.pzxid,
  };
}

/** Version -1 matches anything. */
const versionOk = (expected: number, current: number): boolean => expected === -1 || expected === current;

/**
 * Which ACL a notification's READ check reads. `at-trigger` is ZooKeeper 3.8.4 (DataTree hands
 * triggerWatch the node's ACL as it is at that point of the txn: a created node's, a deleted node's
 * last one, the parent's), and zksim's server does the same. `after-txn` is the rule zksim's server
 * had before (the path looked up once the whole txn is applied, falling back to the ACL a deleted
 * node had before the txn, else an empty ACL, which lets anyone read); it differs only inside a
 * multi that creates and deletes one path, and is kept so a test can show the property notices.
 */
export type NotificationAcl = "at-trigger" | "after-txn";

export class ReferenceTree {
  constructor(readonly notificationAcl: NotificationAcl = "at-trigger") {}

  tree: Tree = new Map([
    ["/", builtin(OPEN, -1, 0, ["zookeeper"])],
    ["/zookeeper", builtin(OPEN, -2, 0, ["quota", "config"])],
    ["/zookeeper/quota", builtin(OPEN, 0, 0, [])],
    ["/zookeeper/config", builtin(READ_ONLY, 0, -1, [])],
  ]);
  /** The last zxid the server spent (createSession, closeSession and every write, failed or not). */
  zxid = 0n;
  /** Sessions by id; gone once closed or expired. */
  readonly sessions = new Map<bigint, MSession>();
  /** Notifications each session's default watcher is due, in order, not yet matched against the real ones. */
  readonly due = new Map<bigint, string[]>();

  node(path: string): MNode | undefined {
    return this.tree.get(path);
  }

  paths(): string[] {
    return [...this.tree.keys()].sort();
  }

  // ------------------------------------------------------------------ sessions

  createSession(id: bigint): void {
    this.zxid += 1n;
    this.sessions.set(id, {
      id,
      connected: true,
      server: { data: new Set(), child: new Set() },
      client: { data: new Set(), exist: new Set(), child: new Set() },
    });
    this.due.set(id, []);
  }

  /** The client went away: the server forgets the connection's watches; the session lives on. */
  disconnect(id: bigint): void {
    const s = this.session(id);
    s.connected = false;
    s.server.data.clear();
    s.server.child.clear();
  }

  /** closeSession (asked by the client, or by expiry): one zxid deletes every ephemeral it owns. */
  closeSession(id: bigint): void {
    this.zxid += 1n;
    const triggers: Trigger[] = [];
    const before = cloneTree(this.tree);
    for (const path of this.paths()) {
      const n = this.tree.get(path) as MNode;
      if (!n.ephemeral || n.owner !== id) continue;
      const parent = this.tree.get(parentOf(path)) as MNode;
      this.removeNode(this.tree, path, parent, this.zxid, triggers);
    }
    this.deliver(triggers, before);
    this.sessions.delete(id);
  }

  // ------------------------------------------------------------------ writes

  create(session: bigint, path: string, data: Uint8Array | null, acl: readonly MAcl[], flags: CreateFlags, time: TimeWindow): WriteOutcome {
    return this.write(session, time, (tree, ctx, triggers) => this.opCreate(tree, ctx, triggers, path, data, acl, flags));
  }

  delete(session: bigint, path: string, version: number, time: TimeWindow): WriteOutcome {
    return this.write(session, time, (tree, ctx, triggers) => this.opDelete(tree, ctx, triggers, path, version));
  }

  setData(session: bigint, path: string, data: Uint8Array | null, version: number, time: TimeWindow): WriteOutcome {
    return this.write(session, time, (tree, ctx, triggers) => this.opSetData(tree, ctx, triggers, path, data, version));
  }

  setAcl(session: bigint, path: string, acl: readonly MAcl[], version: number, time: TimeWindow): WriteOutcome {
    return this.write(session, time, (tree) => {
      const fixed = fixupAcl(acl); // InvalidACL before NoNode
      if (fixed === null) return { err: CODE.InvalidACL };
      const n = tree.get(path);
      if (n === undefined) return { err: CODE.NoNode };
      if (!allowed(n.acl, PERMS.ADMIN)) return { err: CODE.NoAuth };
      if (!versionOk(version, n.aversion)) return { err: CODE.BadVersion };
      n.acl = fixed;
      n.aversion += 1;
      return { err: 0, stat: statOf(n) };
    });
  }

  /** All or nothing: one zxid, ops see the earlier ops' effects; the first failure's code is the answer. */
  multi(session: bigint, ops: readonly MultiOpSpec[], time: TimeWindow): WriteOutcome {
    return this.write(session, time, (tree, ctx, triggers) => {
      for (const op of ops) {
        const r = this.multiOp(tree, ctx, triggers, op);
        if (r.err !== 0) return { err: r.err };
      }
      return { err: 0 };
    });
  }

  private multiOp(tree: Tree, ctx: OpCtx, triggers: Trigger[], op: MultiOpSpec): OpResult {
    switch (op.type) {
      case "create":
        return this.opCreate(tree, ctx, triggers, op.path, op.data, op.acl, op.flags);
      case "delete":
        return this.opDelete(tree, ctx, triggers, op.path, op.version);
      case "setData":
        return this.opSetData(tree, ctx, triggers, op.path, op.data, op.version);
      case "check": {
        const n = tree.get(op.path);
        if (n === undefined) return { err: CODE.NoNode };
        if (!allowed(n.acl, PERMS.READ)) return { err: CODE.NoAuth };
        if (!versionOk(op.version, n.version)) return { err: CODE.BadVersion };
        return { err: 0 };
      }
    }
  }

  /**
   * Every write spends a zxid. The op runs on a copy of the tree; the copy replaces the tree only
   * if the op succeeds, and only then do its watch triggers fire.
   */
  private write(session: bigint, time: TimeWindow, op: (tree: Tree, ctx: OpCtx, triggers: Trigger[]) => OpResult): WriteOutcome {
    this.zxid += 1n;
    const draft = cloneTree(this.tree);
    const triggers: Trigger[] = [];
    const r = op(draft, { zxid: this.zxid, time, session }, triggers);
    if (r.err !== 0) return { err: r.err };
    const before = this.tree;
    this.tree = draft;
    this.deliver(triggers, before);
    return r;
  }

  private opCreate(
    tree: Tree,
    ctx: OpCtx,
    triggers: Trigger[],
    path: string,
    data: Uint8Array | null,
    acl: readonly MAcl[],
    flags: CreateFlags,
  ): OpResult {
    if (flags === 5 || flags === 6) return { err: CODE.Unimplemented }; // TTL without extendedTypesEnabled
    const fixed = fixupAcl(acl);
    if (fixed === null) return { err: CODE.InvalidACL };
    const parentPath = parentOf(path);
    const parent = tree.get(parentPath);
    if (parent === undefined) return { err: CODE.NoNode };
    if (!allowed(parent.acl, PERMS.CREATE)) return { err: CODE.NoAuth };
    const sequential = flags === 2 || flags === 3;
    const actual = sequential ? path + pad10(parent.childCreates) : path;
    if (tree.has(actual)) return { err: CODE.NodeExists };
    if (parent.ephemeral) return { err: CODE.NoChildrenForEphemerals };
    const ephemeral = flags === 1 || flags === 3;
    parent.children.add(nameOf(actual));
    parent.childCreates += 1;
    parent.cversion += 1;
    parent.pzxid = ctx.zxid;
    tree.set(actual, {
      data,
      acl: fixed,
      czxid: ctx.zxid,
      mzxid: ctx.zxid,
      pzxid: ctx.zxid,
      ctime: ctx.time,
      mtime: ctx.time,
      version: 0,
      cversion: 0,
      aversion: 0,
      childCreates: 0,
      owner: ephemeral ? ctx.session : 0n,
      ephemeral,
      children: new Set(),
    });
    triggers.push({ manager: "data", event: "NodeCreated", path: actual, acl: fixed });
    triggers.push({ manager: "child", event: "NodeChildrenChanged", path: parentPath, acl: parent.acl });
    return { err: 0, path: actual };
  }

  private opDelete(tree: Tree, ctx: OpCtx, triggers: Trigger[], path: string, version: number): OpResult {
    if (SPECIAL.has(path)) return { err: CODE.BadArguments };
    const parent = tree.get(parentOf(path));
    if (parent === undefined) return { err: CODE.NoNode };
    if (!allowed(parent.acl, PERMS.DELETE)) return { err: CODE.NoAuth }; // before the target's existence
    const n = tree.get(path);
    if (n === undefined) return { err: CODE.NoNode };
    if (!versionOk(version, n.version)) return { err: CODE.BadVersion };
    if (n.children.size > 0) return { err: CODE.NotEmpty };
    this.removeNode(tree, path, parent, ctx.zxid, triggers);
    return { err: 0 };
  }

  private removeNode(tree: Tree, path: string, parent: MNode, zxid: bigint, triggers: Trigger[]): void {
    const n = tree.get(path) as MNode;
    tree.delete(path);
    parent.children.delete(nameOf(path));
    parent.cversion += 1;
    if (zxid > parent.pzxid) parent.pzxid = zxid;
    triggers.push({ manager: "data", event: "NodeDeleted", path, acl: n.acl });
    triggers.push({ manager: "child", event: "NodeDeleted", path, acl: n.acl });
    triggers.push({ manager: "child", event: "NodeChildrenChanged", path: parentOf(path), acl: parent.acl });
  }

  private opSetData(tree: Tree, ctx: OpCtx, triggers: Trigger[], path: string, data: Uint8Array | null, version: number): OpResult {
    const n = tree.get(path);
    if (n === undefined) return { err: CODE.NoNode };
    if (!allowed(n.acl, PERMS.WRITE)) return { err: CODE.NoAuth };
    if (!versionOk(version, n.version)) return { err: CODE.BadVersion };
    n.data = data;
    n.version += 1;
    n.mzxid = ctx.zxid;
    n.mtime = ctx.time;
    triggers.push({ manager: "data", event: "NodeDataChanged", path, acl: n.acl });
    return { err: 0, stat: statOf(n) };
  }

  // ------------------------------------------------------------------ reads (no zxid)

  getData(session: bigint, path: string, watch: boolean): { err: number; data?: Uint8Array | null; stat?: MStat } {
    const n = this.tree.get(path);
    if (n === undefined) return { err: CODE.NoNode };
    if (!allowed(n.acl, PERMS.READ)) return { err: CODE.NoAuth };
    if (watch) this.watch(session, "data", path);
    return { err: 0, data: n.data, stat: statOf(n) };
  }

  /** No ACL check (3.8.0); a missing node still arms the watch, as an exist watch. */
  exists(session: bigint, path: string, watch: boolean): { err: number; stat?: MStat | null } {
    const n = this.tree.get(path);
    if (watch) this.watch(session, n === undefined ? "exist" : "data", path);
    return { err: 0, stat: n === undefined ? null : statOf(n) };
  }

  getChildren(session: bigint, path: string, watch: boolean): { err: number; children?: string[]; stat?: MStat } {
    const n = this.tree.get(path);
    if (n === undefined) return { err: CODE.NoNode };
    if (!allowed(n.acl, PERMS.READ)) return { err: CODE.NoAuth };
    if (watch) this.watch(session, "child", path);
    return { err: 0, children: [...n.children].sort(), stat: statOf(n) };
  }

  getAcl(path: string): { err: number; acl?: readonly MAcl[]; stat?: MStat } {
    const n = this.tree.get(path);
    if (n === undefined) return { err: CODE.NoNode };
    if (!allowed(n.acl, PERMS.READ | PERMS.ADMIN)) return { err: CODE.NoAuth };
    return { err: 0, acl: n.acl, stat: statOf(n) };
  }

  // ------------------------------------------------------------------ watches

  session(id: bigint): MSession {
    const s = this.sessions.get(id);
    if (s === undefined) throw new Error(`model: no session 0x${id.toString(16)}`);
    return s;
  }

  /** A successful read with watch=true: the server arms it (data or child manager), the client records it. */
  private watch(session: bigint, kind: "data" | "exist" | "child", path: string): void {
    const s = this.session(session);
    (kind === "child" ? s.server.child : s.server.data).add(path);
    s.client[kind].add(path);
  }

  /**
   * Each session's server-side watches fire once and are gone; NodeDeleted through the data
   * manager suppresses the child manager's; a notification about a node the session may not READ
   * is dropped (the watch is still spent: CVE-2024-23944, 3.8.4); a disconnected session gets
   * nothing. What arrives goes through the client's watch records (`ZKWatchManager.materialize`).
   */
  private deliver(triggers: readonly Trigger[], before: Tree): void {
    const aclOf = (t: Trigger): readonly MAcl[] =>
      this.notificationAcl === "at-trigger" ? t.acl : (this.tree.get(t.path)?.acl ?? before.get(t.path)?.acl ?? []);
    for (const s of this.sessions.values()) {
      const viaData = new Set<string>();
      for (const t of triggers) {
        const armed = t.manager === "data" ? s.server.data : s.server.child;
        if (!armed.delete(t.path)) continue;
        if (t.manager === "data" && t.event === "NodeDeleted") viaData.add(t.path);
        else if (t.manager === "child" && t.event === "NodeDeleted" && viaData.has(t.path)) continue;
        if (!allowed(aclOf(t), PERMS.READ)) continue;
        if (!s.connected) continue;
        this.notify(s, t.event, t.path);
      }
    }
  }

  /** A notification reaches the client: its default watcher runs if the client held a matching watch. */
  private notify(s: MSession, event: EventType, path: string): void {
    const c = s.client;
    let hit = false;
    const take = (set: Set<string>): void => {
      if (set.delete(path)) hit = true;
    };
    if (event === "NodeDataChanged" || event === "NodeCreated") {
      take(c.data);
      take(c.exist);
    } else if (event === "NodeChildrenChanged") {
      take(c.child);
    } else {
      take(c.data);
      take(c.exist);
      take(c.child);
    }
    if (hit) (this.due.get(s.id) as string[]).push(`${event} ${path}`);
  }

  /**
   * The client reconnected (after a server restart) and re-sent its watches with the last zxid it
   * saw (`ClientCnxn.primeConnection`, `DataTree.setWatches`): what changed since fires at once,
   * the rest is armed again.
   */
  reconnect(id: bigint, lastZxid: bigint): void {
    const s = this.session(id);
    s.connected = true;
    s.server.data.clear();
    s.server.child.clear();
    const fire: [EventType, string][] = [];
    for (const path of s.client.data) {
      const n = this.tree.get(path);
      if (n === undefined) fire.push(["NodeDeleted", path]);
      else if (n.mzxid > lastZxid) fire.push(["NodeDataChanged", path]);
      else s.server.data.add(path);
    }
    for (const path of s.client.exist) {
      if (this.tree.has(path)) fire.push(["NodeCreated", path]);
      else s.server.data.add(path);
    }
    for (const path of s.client.child) {
      const n = this.tree.get(path);
      if (n === undefined) fire.push(["NodeDeleted", path]);
      else if (n.pzxid > lastZxid) fire.push(["NodeChildrenChanged", path]);
      else s.server.child.add(path);
    }
    for (const [event, path] of fire) this.notify(s, event, path);
  }

  /** Takes the notifications due to a session so far. */
  takeDue(id: bigint): string[] {
    const d = this.due.get(id) ?? [];
    this.due.set(id, []);
    return d;
  }

  /**
   * Narrows a node's time windows to what the server showed: once seen, a txn's time is exact, for
   * every node that txn stamped (the window objects are shared).
   */
  pinTimes(path: string, ctime: number, mtime: number): void {
    const n = this.tree.get(path);
    if (n === undefined) return;
    n.ctime.lo = n.ctime.hi = ctime;
    n.mtime.lo = n.mtime.hi = mtime;
  }
}
