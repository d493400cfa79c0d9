import { assert, assertNever } from "../sim/assert.js";
import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE, type Acl } from "./acl.js";
import { ERR, type ErrCode } from "./errors.js";
import { ephemeralKind, clientEphemeralOwner, type EphemeralKind } from "./ephemeral-type.js";
import { JavaHashSet } from "./java-hash-set.js";
import { int32TwiceMinus } from "./java-int.js";
import { basename, rawParent } from "./path.js";
import { LIMIT_NODE, parseStatsTrack, QUOTA_ROOT, QuotaRoots, quotaStatPath, STAT_NODE, statsTrackText, statsValue } from "./quota.js";
import { createStat, zeroStat, type Stat, type StatPersisted } from "./stat.js";
import { DIGEST_LOG_INTERVAL, DIGEST_LOG_LIMIT, DigestCalculator, type ZxidDigest } from "./tree-digest.js";
import type { Txn, TxnHeader } from "./txn.js";
import type { WatchTrigger } from "./watch-trigger.js";

/** A znode as DataTree keeps it (`DataNode`). */
export type ZNode = {
  data: Uint8Array | null;
  acl: readonly Acl[];
  readonly stat: StatPersisted;
  /** Child names in Java HashSet order (DataNode starts it with `new HashSet<>(8)`). */
  readonly children: JavaHashSet;
  /** The node's share of the tree digest as last added (`DataNode.digest`, cached until the node changes). */
  digest: number;
  /** Changed since: its old share is off the sum and the new one not yet computed (DataTree.digestPending). */
  digestStale: boolean;
};

export type DataTreeOptions = {
  /** `zookeeper.extendedTypesEnabled`: TTL nodes exist only with it on (default off). */
  readonly extendedTypesEnabled: boolean;
  /** `zookeeper.enforceQuota`: hard quota limits refuse writes (default off). */
  readonly enforceQuota?: boolean;
  /** Accept txns out of zxid order (only for the `out-of-order-commit` mutation: a bug shown on purpose). */
  readonly unordered?: boolean;
};

/** What applying one txn gave (`DataTree.ProcessTxnResult`). */
export type TxnResult = {
  readonly err: ErrCode | 0;
  /** The created path (suffixed for sequential nodes) or the path acted on. */
  readonly path: string | null;
  /** create2/container/TTL creates, setData and setACL return a stat. */
  readonly stat: Stat | null;
  readonly multi: readonly TxnResult[] | null;
};

export const SPECIAL_PATHS: readonly string[] = Object.freeze(["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"]);

const newNode = (data: Uint8Array | null, acl: readonly Acl[], stat: StatPersisted): ZNode => ({
  data,
  acl,
  stat,
  children: new JavaHashSet(8),
  digest: 0,
  digestStale: false,
});

/**
 * The replicated data tree (`server/DataTree`, `server/DataNode`): pure state, changed only by
 * `apply` with a txn, its zxid and its time. The root is stored once under "/"; DataTree also aliases
 * it under "" (a root child's parent), which `node("")` honours and `nodeCount` counts.
 */
export class DataTree {
  readonly extendedTypesEnabled: boolean;
  readonly enforceQuota: boolean;
  private readonly unordered: boolean;
  private readonly nodes = new Map<string, ZNode>();
  /** Per-session ephemeral paths, each a Java HashSet (DataTree.ephemerals). */
  private readonly ephemerals = new Map<bigint, JavaHashSet>();
  private readonly containers = new Set<string>();
  private readonly ttls = new Set<string>();
  private lastZxid = 0n;
  /** Paths that have a quota (DataTree.pTrie). */
  readonly quotaRoots = new QuotaRoots();
  /**
   * `NodeHashMapImpl`'s AdHash: the sum of the nodes' digests (a safe integer: each is below
   * 2^32). A changed node's new digest is only computed when the sum is read (`digestPending`):
   * the same sum as Java's eager one, as every change to a digested field goes through
   * preChange/postChange there, for a CRC per node per read instead of one per change.
   */
  private digestSum = 0;
  private readonly digestPending: { readonly path: string; readonly node: ZNode }[] = [];
  private readonly digests = new DigestCalculator();
  /** `DataTree.digestLog`: the digest after every zxid divisible by 128, the last 1024 of them. */
  private readonly zxidDigests: ZxidDigest[] = [];

  constructor(options: DataTreeOptions = { extendedTypesEnabled: false }) {
    this.extendedTypesEnabled = options.extendedTypesEnabled;
    this.enforceQuota = options.enforceQuota ?? false;
    this.unordered = options.unordered ?? false;
    // The DataTree constructor: empty data (not null), all-zero stats, world:anyone:cdrwa.
    const root = newNode(new Uint8Array(0), OPEN_ACL_UNSAFE, zeroStat());
    const proc = newNode(new Uint8Array(0), OPEN_ACL_UNSAFE, zeroStat());
    const quota = newNode(new Uint8Array(0), OPEN_ACL_UNSAFE, zeroStat());
    root.children.add("zookeeper");
    proc.children.add("quota");
    this.nodes.set("/", root);
    this.nodes.set("/zookeeper", proc);
    this.nodes.set("/zookeeper/quota", quota);
    this.digestAdded("/", root);
    this.digestAdded("/zookeeper", proc);
    // addConfigNode: /zookeeper/config is read-only to the world (ZOOKEEPER-2014), set through
    // setACL(…, -1), which is why its aversion reads -1 on a fresh server.
    proc.children.add("config");
    const config = newNode(new Uint8Array(0), READ_ACL_UNSAFE, zeroStat());
    config.stat.aversion = -1;
    this.nodes.set("/zookeeper/config", config);
  }

  /** The node at a path ("" is the root, as DataTree's alias). */
  node(path: string): ZNode | undefined {
    return this.nodes.get(path === "" ? "/" : path);
  }

  /** `DataTree.isSpecialPath`: these four can never be deleted. */
  isSpecialPath(path: string): boolean {
    return SPECIAL_PATHS.includes(path);
  }

  /** `DataTree.getNodeCount`: the path map's size, which holds the root twice. */
  get nodeCount(): number {
    return this.nodes.size + 1;
  }

  /** `DataTree.getTreeDigest`: the 64-bit sum of every node's digest (tree-digest.ts). */
  get digest(): bigint {
    for (const { path, node } of this.digestPending.splice(0)) {
      node.digestStale = false;
      // A node deleted (or deleted and created anew) since it changed has no share any more.
      if (this.node(path) !== node) continue;
      node.digest = this.digests.nodeDigest(path, node.data, node.stat);
      this.digestSum += node.digest;
    }
    return BigInt.asIntN(64, BigInt(this.digestSum));
  }

  /** `DataTree.getDigestLog`: (zxid, digest) after each zxid divisible by 128 this tree applied, oldest first. */
  digestLog(): readonly ZxidDigest[] {
    return this.zxidDigests.slice();
  }

  /**
   * Forgets the digests logged so far. A snapshot is read into DataTree without `processTxn`, so
   * the txns it holds leave no digest entries; zksim rebuilds a snapshot by replaying its txns and
   * calls this once they are in (the snapshot's own digest matches at once, as zksim's snapshots
   * are not fuzzy, so `compareSnapshotDigests` clears it and logging goes on with the next txn).
   */
  forgetDigestLog(): void {
    this.zxidDigests.length = 0;
  }

  /** The zxid of the last applied txn (`lastProcessedZxid`). */
  get lastProcessedZxid(): bigint {
    return this.lastZxid;
  }

  kindOf(n: ZNode): EphemeralKind {
    return ephemeralKind(n.stat.ephemeralOwner, this.extendedTypesEnabled);
  }

  /** `DataNode.copyStat`: shown cversion = 2 × stored − numChildren; encoded owners shown as 0. */
  statOf(n: ZNode): Stat {
    const numChildren = n.children.size;
    return {
      czxid: n.stat.czxid,
      mzxid: n.stat.mzxid,
      ctime: n.stat.ctime,
      mtime: n.stat.mtime,
      version: n.stat.version,
      cversion: int32TwiceMinus(n.stat.cversion, numChildren),
      aversion: n.stat.aversion,
      ephemeralOwner: clientEphemeralOwner(n.stat.ephemeralOwner, this.extendedTypesEnabled),
      dataLength: n.data === null ? 0 : n.data.length,
      numChildren,
      pzxid: n.stat.pzxid,
    };
  }

  /** Every path, sorted (for dumps, models and tests; ZooKeeper's own order is a hash map's). */
  paths(): string[] {
    return [...this.nodes.keys()].sort();
  }

  /** A session's ephemerals in the order getEphemerals and closeSession use (a HashSet clone). */
  ephemeralsOf(sessionId: bigint): string[] {
    return this.ephemeralSetOf(sessionId).values();
  }

  /** `DataTree.getEphemerals(sessionId)`: a clone of the session's set, or a new empty HashSet. */
  ephemeralSetOf(sessionId: bigint): JavaHashSet {
    return this.ephemerals.get(sessionId)?.clone() ?? new JavaHashSet();
  }

  /**
   * Sessions with an ephemerals entry, ascending. Like DataTree's map, a session stays listed after
   * deleting its last ephemeral, until the session closes (the 4lw `dump` count shows this).
   */
  sessionsWithEphemerals(): bigint[] {
    return [...this.ephemerals.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** `getEphemeralsCount` (mntr zk_ephemerals_count). */
  get ephemeralCount(): number {
    let n = 0;
    for (const set of this.ephemerals.values()) n += set.size;
    return n;
  }

  /** Container paths, sorted (DataTree keeps a concurrent set with no useful order). */
  containerPaths(): string[] {
    return [...this.containers].sort();
  }

  ttlPaths(): string[] {
    return [...this.ttls].sort();
  }

  /**
   * `DataTree.processTxn`. Returns what the txn did and the watch triggers it fired, in DataTree's
   * order. Errors inside a txn that prep accepted are bugs in zksim, except a closeSession's
   * NoNode, which DataTree ignores too.
   */
  apply(hdr: TxnHeader, txn: Txn): { result: TxnResult; triggers: WatchTrigger[] } {
    // Hot path: the message is built only when the check fails.
    if (!this.unordered && hdr.zxid <= this.lastZxid) assert(false, `txn zxid 0x${hdr.zxid.toString(16)} not after 0x${this.lastZxid.toString(16)}`);
    const triggers: WatchTrigger[] = [];
    const result = this.applyOne(hdr, txn, triggers);
    // processTxn only ever moves lastProcessedZxid forward (an out-of-order apply leaves it).
    if (hdr.zxid > this.lastZxid) this.lastZxid = hdr.zxid;
    // DataTree.logZxidDigest, once the whole txn (a multi included) is in.
    if (hdr.zxid % DIGEST_LOG_INTERVAL === 0n) {
      this.zxidDigests.push({ zxid: hdr.zxid, digest: this.digest });
      if (this.zxidDigests.length > DIGEST_LOG_LIMIT) this.zxidDigests.shift();
    }
    return { result, triggers };
  }

  private applyOne(hdr: TxnHeader, txn: Txn, out: WatchTrigger[]): TxnResult {
    const ok = (path: string | null, stat: Stat | null): TxnResult => ({ err: 0, path, stat, multi: null });
    if (this.unordered) {
      // Applied out of order, a txn may meet a tree its prep never saw: processTxn's caught
      // KeeperException becomes the txn's result instead of the assertion ordered applies keep.
      const err = this.unorderedError(txn);
      if (err !== 0) return { err, path: null, stat: null, multi: null };
    }
    switch (txn.type) {
      case "createSession":
        return ok(null, null);
      case "closeSession":
        this.killSession(hdr.sessionId, hdr.zxid, txn.paths, out);
        return ok(null, null);
      case "create": {
        const n = this.createNode(txn.path, txn.data, txn.acl, txn.ephemeralOwner, txn.parentCVersion, hdr.zxid, hdr.timeMs, out);
        return ok(txn.path, txn.kind === "create" ? null : this.statOf(n));
      }
      case "delete":
        this.deleteNode(txn.path, hdr.zxid, out);
        return ok(txn.path, null);
      case "setData":
        return ok(txn.path, this.setData(txn.path, txn.data, txn.version, hdr.zxid, hdr.timeMs, out));
      case "setACL":
        return ok(txn.path, this.setAcl(txn.path, txn.acl, txn.version));
      case "check":
        return ok(txn.path, null);
      case "error":
        return { err: txn.code, path: null, stat: null, multi: null };
      case "multi":
        return { err: 0, path: null, stat: null, multi: this.applyMulti(hdr, txn.txns, out) };
      default:
        return assertNever(txn, "txn");
    }
  }

  /**
   * A multi is all or nothing: if prep put an error in it, nothing applies and the results are
   * ErrorResult(0) before the failed op, its code at it, and RuntimeInconsistency after it
   * (DataTree.processTxn, case multi).
   */
  private applyMulti(hdr: TxnHeader, txns: readonly Txn[], out: WatchTrigger[]): TxnResult[] {
    const failedAt = txns.findIndex((t) => t.type === "error");
    if (failedAt >= 0) {
      return txns.map((t, i) => {
        const err = i < failedAt ? 0 : t.type === "error" ? t.code : ERR.RuntimeInconsistency;
        return { err, path: null, stat: null, multi: null };
      });
    }
    return txns.map((t) => {
      assert(t.type !== "multi" && t.type !== "createSession" && t.type !== "closeSession", "multi holds only node ops");
      return this.applyOne(hdr, t, out);
    });
  }

  /** `DataTree.createNode`. */
  private createNode(
    path: string,
    data: Uint8Array | null,
    acl: readonly Acl[],
    ephemeralOwner: bigint,
    parentCVersionIn: number,
    zxid: bigint,
    timeMs: number,
    out: WatchTrigger[],
  ): ZNode {
    const parentName = rawParent(path);
    const childName = basename(path);
    const parent = this.node(parentName);
    assert(parent !== undefined, `create ${path}: prep let a txn through with no parent`);
    assert(!parent.children.has(childName), `create ${path}: prep let a txn through for an existing node`);
    const parentCVersion = parentCVersionIn === -1 ? (parent.stat.cversion + 1) | 0 : parentCVersionIn;
    this.digestChanging(parentName, parent);
    // Only a larger cversion moves the parent's cversion and pzxid: a replay after a fuzzy snapshot
    // must not roll them back (DataTree.createNode).
    if (parentCVersion > parent.stat.cversion) {
      parent.stat.cversion = parentCVersion;
      parent.stat.pzxid = zxid;
    }
    const child = newNode(data, acl, createStat(zxid, timeMs, ephemeralOwner));
    parent.children.add(childName);
    this.nodes.set(path, child);
    this.digestAdded(path, child);
    const kind = this.kindOf(child);
    if (kind === "CONTAINER") this.containers.add(path);
    else if (kind === "TTL") this.ttls.add(path);
    else if (ephemeralOwner !== 0n) {
      let set = this.ephemerals.get(ephemeralOwner);
      if (set === undefined) {
        set = new JavaHashSet();
        this.ephemerals.set(ephemeralOwner, set);
      }
      set.add(path);
    }
    if (parentName.startsWith(QUOTA_ROOT)) {
      const quotaFor = parentName.slice(QUOTA_ROOT.length);
      if (childName === LIMIT_NODE) this.quotaRoots.add(quotaFor);
      if (childName === STAT_NODE) this.recountQuota(quotaFor);
    }
    this.updateQuotaStat(path, data?.length ?? 0, 1);
    // triggerWatch gets the ACL of the node the event is about, as it is now (a later op of the
    // same multi may change or delete the node before the notification is checked).
    out.push({ manager: "data", path, event: "NodeCreated", acl });
    out.push({ manager: "child", path: parentName === "" ? "/" : parentName, event: "NodeChildrenChanged", acl: parent.acl });
    return child;
  }

  /** `DataTree.deleteNode`: the parent's pzxid only moves forward; its stored cversion stays. */
  private deleteNode(path: string, zxid: bigint, out: WatchTrigger[]): boolean {
    const parentName = rawParent(path);
    const parent = this.node(parentName);
    if (parent === undefined) return false;
    this.digestChanging(parentName, parent);
    parent.children.delete(basename(path));
    if (zxid > parent.stat.pzxid) parent.stat.pzxid = zxid;
    const node = this.nodes.get(path);
    if (node === undefined) return false;
    this.nodes.delete(path);
    this.digestRemoved(node);
    const kind = this.kindOf(node);
    if (kind === "CONTAINER") this.containers.delete(path);
    else if (kind === "TTL") this.ttls.delete(path);
    else if (node.stat.ephemeralOwner !== 0n) this.ephemerals.get(node.stat.ephemeralOwner)?.delete(path);
    if (parentName.startsWith("/zookeeper") && basename(path) === LIMIT_NODE) this.quotaRoots.delete(parentName.slice(QUOTA_ROOT.length));
    this.updateQuotaStat(path, -(node.data?.length ?? 0), -1);
    out.push({ manager: "data", path, event: "NodeDeleted", acl: node.acl });
    out.push({ manager: "child", path, event: "NodeDeleted", acl: node.acl });
    out.push({ manager: "child", path: parentName === "" ? "/" : parentName, event: "NodeChildrenChanged", acl: parent.acl });
    return true;
  }

  /** `DataTree.setData`: the txn carries the new version; data may be identical and still bumps it. */
  private setData(path: string, data: Uint8Array | null, version: number, zxid: bigint, timeMs: number, out: WatchTrigger[]): Stat {
    const n = this.nodes.get(path);
    assert(n !== undefined, `setData ${path}: prep let a txn through for a missing node`);
    this.updateQuotaStat(path, (data?.length ?? 0) - (n.data?.length ?? 0), 0);
    this.digestChanging(path, n);
    n.data = data;
    n.stat.mtime = timeMs;
    n.stat.mzxid = zxid;
    n.stat.version = version;
    out.push({ manager: "data", path, event: "NodeDataChanged", acl: n.acl });
    return this.statOf(n);
  }

  /** `DataTree.updateQuotaStat` for a change at `path`: the deepest quota root's stats node, in place. */
  private updateQuotaStat(path: string, bytesDiff: number, countDiff: number): void {
    const root = this.quotaRoots.maxPrefix(path);
    if (root === null) return;
    const stat = this.nodes.get(quotaStatPath(root));
    if (stat === undefined) return; // DataTree logs "Missing count node for stat" and goes on
    const track = parseStatsTrack(new TextDecoder().decode(stat.data ?? new Uint8Array(0)));
    track.set("count", statsValue(track, "count") + BigInt(countDiff));
    track.set("bytes", statsValue(track, "bytes") + BigInt(bytesDiff));
    stat.data = new TextEncoder().encode(statsTrackText(track));
  }

  /** `DataTree.updateQuotaForPath`: the subtree's node count (itself included) and data bytes. */
  private recountQuota(path: string): void {
    const stat = this.nodes.get(quotaStatPath(path));
    if (stat === undefined) return;
    let count = 0n;
    let bytes = 0n;
    const stack = [path];
    while (stack.length > 0) {
      const p = stack.pop() ?? "";
      const n = this.nodes.get(p);
      if (n === undefined) continue;
      count += 1n;
      bytes += BigInt(n.data?.length ?? 0);
      for (const c of n.children.values()) stack.push(p === "/" ? `/${c}` : `${p}/${c}`);
    }
    stat.data = new TextEncoder().encode(statsTrackText(new Map([["count", count], ["bytes", bytes]])));
  }

  /** `DataTree.setACL`: aversion only, and no watch fires. */
  private setAcl(path: string, acl: readonly Acl[], version: number): Stat {
    const n = this.nodes.get(path);
    assert(n !== undefined, `setACL ${path}: prep let a txn through for a missing node`);
    this.digestChanging(path, n);
    n.stat.aversion = version;
    n.acl = acl;
    return this.statOf(n);
  }

  /** What processTxn's KeeperException would say of a txn meeting this tree (the `unordered` mutation only). */
  private unorderedError(txn: Txn): ErrCode | 0 {
    switch (txn.type) {
      case "create": {
        const parent = this.node(rawParent(txn.path));
        if (parent === undefined) return ERR.NoNode;
        return this.node(txn.path) === undefined ? 0 : ERR.NodeExists;
      }
      case "setData":
      case "setACL":
        return this.node(txn.path) === undefined ? ERR.NoNode : 0;
      default:
        return 0;
    }
  }

  /** `NodeHashMapImpl.preChange` (postChange follows when the digest is read): the node's share comes off. */
  private digestChanging(path: string, n: ZNode): void {
    if (n.digestStale) return;
    this.digestSum -= n.digest;
    n.digestStale = true;
    this.digestPending.push({ path, node: n });
  }

  /** `NodeHashMapImpl.put` of a new node: its share is added when the digest is read. */
  private digestAdded(path: string, n: ZNode): void {
    n.digestStale = true;
    this.digestPending.push({ path, node: n });
  }

  /** `NodeHashMapImpl.remove`: the node's share comes off (a changed one's already has). */
  private digestRemoved(n: ZNode): void {
    if (!n.digestStale) this.digestSum -= n.digest;
    n.digestStale = true;
  }

  /**
   * `DataTree.killSession`: deletes the paths the closeSession txn lists, then any ephemeral of the
   * session the txn missed; all at the txn's zxid. Missing nodes are skipped, as DataTree logs and
   * ignores their NoNodeException.
   */
  private killSession(sessionId: bigint, zxid: bigint, paths: readonly string[], out: WatchTrigger[]): void {
    const local = this.ephemerals.get(sessionId);
    this.ephemerals.delete(sessionId);
    for (const p of paths) this.deleteNode(p, zxid, out);
    if (local === undefined) return;
    for (const p of paths) local.delete(p);
    for (const p of local.values()) this.deleteNode(p, zxid, out);
  }
}
