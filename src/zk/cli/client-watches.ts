import type { EventType, WatcherType } from "./client-api.js";
import { ancestorsOrSelf } from "./server-watches.js";

/**
 * The client's record of the watches it set (`ZKWatchManager`), for zkCli's single default watcher:
 * it decides whether an incoming event reaches the watcher (`materialize`) and what removeWatches may
 * remove. Sets of watchers collapse to sets of paths because zkCli only ever passes `watch = true`.
 */
export class ClientWatches {
  readonly data = new Set<string>();
  readonly exist = new Set<string>();
  readonly child = new Set<string>();
  readonly persistent = new Set<string>();
  readonly persistentRecursive = new Set<string>();

  clear(): void {
    for (const s of [this.data, this.exist, this.child, this.persistent, this.persistentRecursive]) s.clear();
  }

  /**
   * `ZKWatchManager.materialize`: whether the default watcher runs. 3.8.0 does not yet filter
   * NodeChildrenChanged out of recursive watches on the client (the server does).
   */
  materialize(type: EventType, path: string): boolean {
    let hit = false;
    const take = (s: Set<string>): void => {
      if (s.delete(path)) hit = true;
    };
    switch (type) {
      case "NodeDataChanged":
      case "NodeCreated":
        take(this.data);
        take(this.exist);
        break;
      case "NodeChildrenChanged":
        take(this.child);
        break;
      case "NodeDeleted":
        take(this.data);
        take(this.exist);
        take(this.child);
        break;
      default:
        return true;
    }
    if (this.persistent.has(path)) hit = true;
    if (ancestorsOrSelf(path).some((p) => this.persistentRecursive.has(p))) hit = true;
    return hit;
  }

  /** `ZKWatchManager.containsWatcher`: persistent watches count for every type. */
  contains(path: string, type: WatcherType): boolean {
    const persistent = this.persistent.has(path) || this.persistentRecursive.has(path);
    switch (type) {
      case "Children":
        return this.child.has(path) || persistent;
      case "Data":
        return this.data.has(path) || this.exist.has(path) || persistent;
      case "Any":
        return this.child.has(path) || this.data.has(path) || this.exist.has(path) || persistent;
    }
  }

  /**
   * `ZKWatchManager.removeWatcher` after the server answered OK (or locally): the event types of the
   * removed watches, or null when nothing
   * of that type was there (NoWatcher).
   */
  remove(path: string, type: WatcherType): EventType[] | null {
    const events: EventType[] = [];
    const child = type !== "Data" && this.child.delete(path);
    const dataHit = type !== "Children" && this.data.delete(path);
    const existHit = type !== "Children" && this.exist.delete(path);
    const p1 = type === "Any" && this.persistent.delete(path);
    const p2 = type === "Any" && this.persistentRecursive.delete(path);
    // ClientCnxn.finishPacket walks a HashMap keyed by EventType, i.e. by the enum constants' identity
    // hashes; every recording printed data before child (transcript 42), which is what we fix on.
    if (dataHit || existHit) events.push("DataWatchRemoved");
    if (child) events.push("ChildWatchRemoved");
    if (p1 || p2) events.push("PersistentWatchRemoved");
    return events.length === 0 ? null : events;
  }
}
