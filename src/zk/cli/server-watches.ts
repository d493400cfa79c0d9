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

  add(path: string, mode: WatcherMode): void {
    this.table.set(path, mode);
  }

  /** `WatchManager.removeWatcher`: any mode goes. */
  remove(path: string): boolean {
    return this.table.delete(path);
  }

  has(path: string): boolean {
    return this.table.has(path);
  }

  clear(): void {
    this.table.clear();
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
        if (mode === "STANDARD") this.table.delete(local);
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
