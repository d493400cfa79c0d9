import { javaStringHash } from "./java-int.js";

/**
 * The iteration order of a `java.util.HashSet<String>`, which ZooKeeper leaks to clients:
 * `getChildren` returns a node's child set in this order (`DataTree.getChildren`), `getEphemerals`
 * a clone of the session's set (`DataTree.getEphemerals`), and `closeSession` deletes ephemerals in
 * that clone's order, which orders the watch events. Only zkCli's `ls` sorts.
 *
 * HashMap (JDK 8+): bucket = (h ^ h>>>16) & (cap-1); a new key goes to its bucket's tail; when size
 * exceeds 3/4 of the capacity the table doubles and each bucket splits into a low and a high half,
 * keeping order; removal keeps the order of the rest. A bucket of 8 or more keys turns the table to a
 * tree only once the capacity is 64; below that HashMap doubles instead, which we model. Tree bins
 * (64+ buckets and 8+ colliding keys) are not modelled: their order would differ.
 */
export class JavaHashSet {
  private buckets: string[][] | null = null;
  private count = 0;
  /** What HashMap keeps in `threshold` before the table exists: the capacity it will allocate. */
  private initialCapacity: number;

  /** `new HashSet<>()` is 16; `DataNode.addChild` uses `new HashSet<>(8)`. */
  constructor(initialCapacity = 16) {
    this.initialCapacity = tableSizeFor(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  /** Capacity of the table (0 before the first add), for tests. */
  get capacity(): number {
    return this.buckets?.length ?? 0;
  }

  has(key: string): boolean {
    if (this.buckets === null) return false;
    return this.bucketOf(this.buckets, key).includes(key);
  }

  add(key: string): boolean {
    if (this.buckets === null) this.buckets = emptyTable(this.initialCapacity);
    const bucket = this.bucketOf(this.buckets, key);
    if (bucket.includes(key)) return false;
    bucket.push(key);
    // HashMap.putVal: binCount >= TREEIFY_THRESHOLD - 1 calls treeifyBin, which resizes below 64.
    if (bucket.length > 8 && this.buckets.length < 64) this.resize();
    this.count++;
    if (this.count > (this.buckets.length * 3) / 4) this.resize();
    return true;
  }

  delete(key: string): boolean {
    if (this.buckets === null) return false;
    const bucket = this.bucketOf(this.buckets, key);
    const i = bucket.indexOf(key);
    if (i < 0) return false;
    bucket.splice(i, 1);
    this.count--;
    return true;
  }

  /** Keys in Java iteration order. */
  values(): string[] {
    return this.buckets === null ? [] : this.buckets.flat();
  }

  /**
   * `HashSet.clone()`: HashMap.clone re-inserts the entries, in iteration order, into a table
   * pre-sized by `putMapEntries` to tableSizeFor(size / 0.75 + 1), often smaller than the original.
   */
  clone(): JavaHashSet {
    const s = this.count;
    const copy = new JavaHashSet(s > 0 ? Math.floor((4 * s) / 3) + 1 : 16);
    for (const k of this.values()) copy.add(k);
    return copy;
  }

  private bucketOf(table: string[][], key: string): string[] {
    const h = javaStringHash(key);
    const bucket = table[(h ^ (h >>> 16)) & (table.length - 1)];
    if (bucket === undefined) throw new Error("hash bucket out of range");
    return bucket;
  }

  private resize(): void {
    const old = this.buckets ?? [];
    const next = emptyTable(old.length * 2);
    for (const bucket of old) for (const k of bucket) this.bucketOf(next, k).push(k);
    this.buckets = next;
  }
}

const emptyTable = (n: number): string[][] => Array.from({ length: n }, () => []);

/** HashMap.tableSizeFor: the least power of two >= n (1 for n <= 1). */
export function tableSizeFor(n: number): number {
  let c = 1;
  while (c < n) c *= 2;
  return c;
}
