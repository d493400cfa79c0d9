import type { DataTree } from "./datatree.js";
import { ttlOf } from "./ephemeral-type.js";

/**
 * Which nodes the ContainerManager would delete now (`ContainerManager.getCandidates`); it then
 * sends a deleteContainer request for each, at most maxPerMinute a minute. Elapsed time is measured
 * from the node's mtime with the leader's wall clock. Sorted; ZooKeeper's own order is a HashSet's.
 */
export type ReapingOptions = {
  /** `znode.container.maxNeverUsedIntervalMs`: 0 (default) keeps never-used containers forever. */
  readonly maxNeverUsedIntervalMs: number;
};

export function reapingCandidates(tree: DataTree, nowMs: number, options: ReapingOptions = { maxNeverUsedIntervalMs: 0 }): string[] {
  const out = new Set<string>();
  for (const path of tree.containerPaths()) {
    const n = tree.node(path);
    if (n === undefined || n.children.size > 0) continue;
    // Stored cversion > 0: it once had a child. A fresh container survives the next sweep.
    if (n.stat.cversion > 0) out.add(path);
    else if (options.maxNeverUsedIntervalMs !== 0 && nowMs - n.stat.mtime > options.maxNeverUsedIntervalMs) out.add(path);
  }
  for (const path of tree.ttlPaths()) {
    const n = tree.node(path);
    if (n === undefined || n.children.size > 0 || tree.kindOf(n) !== "TTL") continue;
    const ttl = ttlOf(n.stat.ephemeralOwner);
    // A TTL node lives while it has children; its clock restarts with every setData (mtime).
    if (ttl !== 0n && BigInt(nowMs - n.stat.mtime) > ttl) out.add(path);
  }
  return [...out].sort();
}
