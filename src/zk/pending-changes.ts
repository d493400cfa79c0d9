import type { Acl } from "./acl.js";
import type { DataTree } from "./datatree.js";
import type { StatPersisted } from "./stat.js";

/**
 * What PrepRequestProcessor believes about a path while earlier txns are still in flight
 * (`ZooKeeperServer.ChangeRecord`). `stat === null` records a delete.
 */
export type ChangeRecord = {
  readonly zxid: bigint;
  readonly path: string;
  readonly stat: StatPersisted | null;
  readonly childCount: number;
  readonly acl: readonly Acl[];
  readonly data: Uint8Array | null;
};

/**
 * The outstanding-changes overlay PrepRequestProcessor validates against
 * (`zks.outstandingChanges`, `outstandingChangesForPath`): the newest record for a path wins over
 * the tree. With one request in flight it is empty and prep sees the tree. Multi ops see earlier
 * ops' records; a failed multi restores the overlay as it was (`rollbackPendingChanges`).
 */
export class PendingChanges {
  private readonly byPath = new Map<string, ChangeRecord>();
  private readonly log: ChangeRecord[] = [];

  constructor(private readonly tree: DataTree) {}

  /** `getRecordForPath`: the newest record, else the tree's node; null when neither exists. */
  record(path: string): ChangeRecord | null {
    const key = path === "" ? "/" : path;
    const pending = this.byPath.get(key);
    if (pending !== undefined) return pending.stat === null ? null : pending;
    const n = this.tree.node(key);
    if (n === undefined) return null;
    return { zxid: -1n, path: key, stat: { ...n.stat }, childCount: n.children.size, acl: n.acl, data: n.data };
  }

  add(c: ChangeRecord): void {
    const key = c.path === "" ? "/" : c.path;
    const rec = key === c.path ? c : { ...c, path: key };
    this.byPath.set(key, rec);
    this.log.push(rec);
  }

  /** Records in the order they were added (closeSession prep walks them). */
  outstanding(): readonly ChangeRecord[] {
    return this.log;
  }

  /** A restore point for a multi. */
  mark(): { readonly byPath: ReadonlyMap<string, ChangeRecord>; readonly logLength: number } {
    return { byPath: new Map(this.byPath), logLength: this.log.length };
  }

  rollback(to: ReturnType<PendingChanges["mark"]>): void {
    this.byPath.clear();
    for (const [k, v] of to.byPath) this.byPath.set(k, v);
    this.log.length = to.logLength;
  }

  /**
   * FinalRequestProcessor drops records up to the applied zxid once the txn is in the tree; the
   * newest record for a path goes only if it is that old.
   */
  applied(zxid: bigint): void {
    let drop = 0;
    while (drop < this.log.length && (this.log[drop]?.zxid ?? zxid + 1n) <= zxid) drop++;
    const gone = this.log.splice(0, drop);
    for (const c of gone) if (this.byPath.get(c.path) === c) this.byPath.delete(c.path);
  }
}
