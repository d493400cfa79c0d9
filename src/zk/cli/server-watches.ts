import { JavaHashSet } from "../java-hash-set.js";
import type { WatchEventType } from "../watch-trigger.js";

/**
 * One session's entries in one of the server's two watch managers (`server/watch/WatchManager`,
 * `WatcherModeManager`): DataTree keeps a data manager (getData, exists) and a child manager
 * (getChildren); addWatch registers in both. The mode is keyed by (connection, path), so a later
 * standard watch on a path turns a persistent entry one-shot (3.8 quirk, transcript 40).
 */
export type WatcherMode = "STANDARD" | "PERSISTENT" | "PERSISTENT_RECURSIVE";

export class ServerWatches {
  private readonly table = new Map<string, WatcherMode>();

  /**
   * `shared`: the manager-wide tables this session's entries also go into (a server's data
   * manager, for the watch four-letter words), with `watcher` the session id they print.
   */
  constructor(
    private readonly shared: WatchTable | null = null,
    private readonly watcher: bigint = 0n,
  ) {}

  add(path: string, mode: WatcherMode): void {
    this.table.set(path, mode);
    this.shared?.add(this.watcher, path);
  }

  /** `WatchManager.removeWatcher`: any mode goes. */
  remove(path: string): boolean {
    const had = this.table.delete(path);
    if (had) this.shared?.remove(this.watcher, path);
    return had;
  }

  has(path: string): boolean {
    return this.table.has(path);
  }

  /** The connection is gone (`WatchManager.removeWatcher(watcher)`). */
  clear(): void {
    this.table.clear();
    this.shared?.drop(this.watcher);
  }

  /** How many paths this session watches here (for the `wchs` four-letter word). */
  get size(): number {
    return this.table.size;
  }

  paths(): string[] {
    return [...this.table.keys()];
  }

  /**
   * `WatchManager.triggerWatch` for this session's watcher: true when it is notified. Recursive
   * entries on the path or an ancestor match every event but NodeChildrenChanged; others match only
   * on the path itself, and a standard one is consumed.
   */
  trigger(path: string, type: WatchEventType): boolean {
    if (this.table.size === 0) return false;
    let fired = false;
    let recursive = false;
    for (const m of this.table.values()) if (m === "PERSISTENT_RECURSIVE") recursive = true;
    for (const local of recursive ? ancestorsOrSelf(path) : [path]) {
      const mode = this.table.get(local);
      if (mode === undefined) continue;
      if (mode === "PERSISTENT_RECURSIVE") {
        if (type !== "NodeChildrenChanged") fired = true;
      } else if (local === path) {
        fired = true;
        if (mode === "STANDARD") {
          this.table.delete(local);
          this.shared?.remove(this.watcher, local);
        }
      }
    }
    return fired;
  }
}

/** `PathParentIterator.forAll`: the path, then each parent up to "/". */
export function ancestorsOrSelf(path: string): string[] {
  const out = [path];
  let p = path;
  while (p !== "/") {
    const i = p.lastIndexOf("/");
    p = i <= 0 ? "/" : p.slice(0, i);
    out.push(p);
  }
  return out;
}

/**
 * A watch manager's own tables (`WatchManager.watchTable`, path to watchers, and `watch2Paths`,
 * watcher to paths), kept beside the sessions' entries only for what the watch four-letter words
 * print and in the order they print it. Both path collections are Java hash sets whose order
 * depends on their history (a removed key leaves no trace, a table never shrinks), so they are
 * fed the same adds and removes as the real ones. The watchers are connections, which Java
 * orders by identity hash (different in every JVM run): zksim lists them in registration order.
 * A watcher keeps its `watch2Paths` entry, even with no path left, until its connection goes:
 * `wchs` counts it among the "connections watching".
 */
export class WatchTable {
  /** The keys of `watchTable` (`new HashMap<>()`): paths with a watcher. */
  private readonly paths = new JavaHashSet();
  private readonly watchersOf = new Map<string, bigint[]>();
  /** `watch2Paths`: each watcher's paths (`new HashSet<>()`). */
  private readonly pathsOf = new Map<bigint, JavaHashSet>();

  /** `addWatch(path, watcher)`. */
  add(watcher: bigint, path: string): void {
    let watchers = this.watchersOf.get(path);
    if (watchers === undefined) {
      watchers = [];
      this.watchersOf.set(path, watchers);
      this.paths.add(path);
    }
    if (!watchers.includes(watcher)) watchers.push(watcher);
    let paths = this.pathsOf.get(watcher);
    if (paths === undefined) {
      paths = new JavaHashSet();
      this.pathsOf.set(watcher, paths);
    }
    paths.add(path);
  }

  /** A one-shot watch fired, or `removeWatcher(path, watcher)`: the pair goes, and the path with its last watcher. */
  remove(watcher: bigint, path: string): void {
    this.pathsOf.get(watcher)?.delete(path);
    const watchers = this.watchersOf.get(path);
    if (watchers === undefined) return;
    const i = watchers.indexOf(watcher);
    if (i >= 0) watchers.splice(i, 1);
    if (watchers.length === 0) {
      this.watchersOf.delete(path);
      this.paths.delete(path);
    }
  }

  /** `removeWatcher(watcher)`: the connection closed. */
  drop(watcher: bigint): void {
    const paths = this.pathsOf.get(watcher);
    if (paths === undefined) return;
    this.pathsOf.delete(watcher);
    for (const p of paths.values()) this.remove(watcher, p);
  }

  /** `WatchManager.toString` (`wchs`): watchers with an entry, paths watched, (watcher, path) pairs. */
  summary(): { readonly connections: number; readonly paths: number; readonly total: number } {
    let total = 0;
    for (const p of this.pathsOf.values()) total += p.size;
    return { connections: this.pathsOf.size, paths: this.paths.size, total };
  }

  /** `dumpWatches(pw, false)` (`wchc`): each watcher with its paths. */
  byWatcher(): [bigint, string[]][] {
    return [...this.pathsOf].map(([w, paths]) => [w, paths.values()]);
  }

  /** `dumpWatches(pw, true)` (`wchp`): each path with its watchers. */
  byPath(): [string, bigint[]][] {
    return this.paths.values().map((p) => [p, [...(this.watchersOf.get(p) ?? [])]]);
  }
}
