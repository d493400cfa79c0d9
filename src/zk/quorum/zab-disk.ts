import type { DiskDone, NodeContext } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import type { ZkMessage } from "../server/messages.js";
import { decodeLogRecord, encodeLogRecord, TXN_LOG } from "../server/txn-log.js";
import { hex } from "../server/wire.js";
import type { LoggedTxn, ZkDb } from "../server/zkdb.js";
import { QUORUM_BUGGIFY } from "./buggify-points.js";

export const SNAPSHOT = "snapshot";
export const ACCEPTED_EPOCH = "acceptedEpoch";
export const CURRENT_EPOCH = "currentEpoch";

/** zxid = epoch << 32 | counter. */
export const epochOf = (zxid: bigint): number => Number(zxid >> 32n);
export const counterOf = (zxid: bigint): number => Number(zxid & 0xffffffffn);
export const makeZxid = (epoch: number, counter: number): bigint => (BigInt(epoch) << 32n) | BigInt(counter);

type Ctx = NodeContext<ZkMessage>;

/**
 * A peer's durable state (`FileTxnSnapLog` and the epoch files of QuorumPeer): the txn log with
 * group fsync, the snapshot, `acceptedEpoch` and `currentEpoch`. Writes the real server makes
 * synchronously take a continuation that runs once the disk made them durable.
 */
export class ZabDisk {
  private readonly waits = new Map<string, (() => void)[]>();
  private nextTag = 0;
  /** Appended, not yet covered by an fsync that was issued. */
  private unsynced: LoggedTxn[] = [];
  private syncing: LoggedTxn[] | null = null;
  /** Runs with each batch once it is durable, in log order. */
  onSynced: (ctx: Ctx, batch: readonly LoggedTxn[]) => void = () => undefined;
  /** Continuations waiting for the fsync that covers everything appended so far. */
  private syncWaiters: (() => void)[] = [];

  // ---------------------------------------------------------------- loading

  /**
   * `ZKDatabase.loadDataBase`: the snapshot's txns, then every logged txn after it, committed or
   * not (the uncommitted tail included: zab.md §3). Traced per txn as `zk-apply`.
   */
  static load(ctx: Ctx, db: ZkDb, why: "start" | "trunc" | "unfinished-snap"): void {
    ctx.trace({ type: "zk-db-reset", why });
    db.clear();
    if (ctx.disk.exists(SNAPSHOT)) for (const rec of ctx.disk.read(SNAPSHOT)) apply(ctx, db, rec);
    for (const rec of ctx.disk.read(TXN_LOG)) {
      const { hdr } = decodeLogRecord(rec);
      if (hdr.zxid > db.lastZxid) apply(ctx, db, rec);
    }
  }

  /** The epoch files; a missing one reads as the epoch of the last logged zxid (QuorumPeer.loadDataBase). */
  static readEpoch(ctx: Ctx, file: string, fallback: number): number {
    if (!ctx.disk.exists(file)) return fallback;
    const recs = ctx.disk.read(file);
    return typeof recs[0] === "number" ? recs[0] : fallback;
  }

  // ---------------------------------------------------------------- the txn log

  /** The newest zxid appended to the log by this incarnation (0 after a truncation below it). */
  lastAppended = 0n;

  /** Txns logged since the last snapshot, and the count that triggers the next (`SyncRequestProcessor`). */
  private sinceSnapshot = 0;
  private snapAt = Number.MAX_SAFE_INTEGER;
  private snapCount = 0;
  /** Called when enough txns were logged for a snapshot. */
  snapDue: (ctx: Ctx) => void = () => undefined;

  /**
   * `SyncRequestProcessor`: a snapshot once the txns logged since the last exceed snapCount/2 plus
   * randRoll, drawn in [0, snapCount/2) (`nextInt(snapCount / 2)`, integer halves): the same
   * schedule as the standalone server's `SnapSchedule`.
   */
  rollSnapshots(ctx: Ctx, snapCount: number): void {
    this.snapCount = Math.max(2, snapCount);
    const half = Math.floor(this.snapCount / 2);
    this.snapAt = half + 1 + ctx.random.below(half);
    // Any moment is a valid one for the (fuzzy) snapshot: what the database applied so far.
    if (ctx.buggify(QUORUM_BUGGIFY.diskSnapshotEarly)) this.snapAt = 1 + ctx.random.below(Math.min(8, this.snapAt));
    this.sinceSnapshot = 0;
  }

  append(ctx: Ctx, t: LoggedTxn): void {
    if (t.hdr.zxid > this.lastAppended) this.lastAppended = t.hdr.zxid;
    if (++this.sinceSnapshot >= this.snapAt) {
      this.rollSnapshots(ctx, this.snapCount);
      this.snapDue(ctx);
    }
    ctx.disk.append(TXN_LOG, encodeLogRecord(t.hdr, t.txn));
    this.unsynced.push(t);
    this.startSync(ctx);
  }

  /** Runs `then` once everything appended so far is durable (the learner's synchronous log at NEWLEADER). */
  whenSynced(ctx: Ctx, then: () => void): void {
    if (this.unsynced.length === 0 && this.syncing === null) return then();
    this.syncWaiters.push(then);
    this.startSync(ctx);
  }

  get pending(): number {
    return this.unsynced.length + (this.syncing?.length ?? 0);
  }

  private startSync(ctx: Ctx): void {
    if (this.syncing !== null || this.unsynced.length === 0) return;
    // A group flushed in two (SyncRequestProcessor's maxBatchSize): the rest waits for the next fsync.
    const n = this.unsynced.length >= 2 && ctx.buggify(QUORUM_BUGGIFY.diskFsyncSplit) ? 1 + ctx.random.below(this.unsynced.length - 1) : this.unsynced.length;
    this.syncing = this.unsynced.slice(0, n);
    this.unsynced = this.unsynced.slice(n);
    ctx.disk.fsync(TXN_LOG, hex((this.syncing[this.syncing.length - 1] as LoggedTxn).hdr.zxid));
  }

  /**
   * `FileTxnSnapLog.truncateLog`: the log keeps txns up to `zxid`. A snapshot beyond `zxid` (the one
   * `lead()` takes of a database fast-forwarded over an uncommitted log tail, say) keeps only its
   * history up to `zxid`: the real data dir still holds every older snapshot (nothing purges it)
   * and the log, which is what the reload reads once the newer snapshot is out of the way. The whole
   * file must not go: after a SNAP sync the txns before the leader's zxid are in no log, only in the
   * snapshot, and a reload from the log alone would replay its tail onto an empty tree. (Real 3.8
   * leaves snapshot.<zxid> in place and `loadDataBase` would read it again, uncommitted tail and
   * all; zksim does not model that dirty reload.)
   */
  truncate(ctx: Ctx, zxid: bigint): void {
    ctx.disk.truncate(TXN_LOG, keptUpTo(ctx.disk.read(TXN_LOG), zxid));
    this.unsynced = this.unsynced.filter((t) => t.hdr.zxid <= zxid);
    if (this.lastAppended > zxid) this.lastAppended = zxid;
    if (ctx.disk.exists(SNAPSHOT)) {
      const snap = ctx.disk.read(SNAPSHOT);
      const keep = keptUpTo(snap, zxid);
      if (keep < snap.length) {
        ctx.mark("zab: TRUNC reached below the snapshot");
        ctx.disk.truncate(SNAPSHOT, keep);
      }
    }
  }

  // ---------------------------------------------------------------- snapshots and epoch files

  /** Writes the snapshot (the db's whole history) and runs `then` when it is durable. */
  snapshot(ctx: Ctx, db: ZkDb, then: () => void = () => undefined): void {
    ctx.trace({ type: "zab-snapshot", zxid: hex(db.lastZxid) });
    this.writeAtomic(ctx, SNAPSHOT, db.history.map((t) => encodeLogRecord(t.hdr, t.txn)), then);
  }

  writeEpoch(ctx: Ctx, file: typeof ACCEPTED_EPOCH | typeof CURRENT_EPOCH, epoch: number, then: () => void): void {
    ctx.trace({ type: "zab-epoch", which: file === ACCEPTED_EPOCH ? "accepted" : "current", epoch });
    this.writeAtomic(ctx, file, [epoch], then);
  }

  private writeAtomic(ctx: Ctx, file: string, records: readonly TraceValue[], then: () => void): void {
    const tag = `${file}#${this.nextTag++}`;
    this.waits.set(tag, [then]);
    ctx.disk.writeAtomic(file, records, tag);
  }

  /** Returns true when the completion was one of ours. */
  onDiskDone(ctx: Ctx, done: DiskDone): boolean {
    if (done.file === TXN_LOG) {
      const batch = this.syncing ?? [];
      this.syncing = null;
      this.onSynced(ctx, batch);
      if (this.unsynced.length === 0) for (const w of this.syncWaiters.splice(0)) w();
      this.startSync(ctx);
      return true;
    }
    const w = this.waits.get(done.tag);
    if (w === undefined) return false;
    this.waits.delete(done.tag);
    for (const f of w) f();
    return true;
  }
}

/** How many leading records of a log or snapshot have a zxid up to `zxid`. */
function keptUpTo(records: readonly TraceValue[], zxid: bigint): number {
  let keep = 0;
  while (keep < records.length && decodeLogRecord(records[keep] as TraceValue).hdr.zxid <= zxid) keep++;
  return keep;
}

function apply(ctx: Ctx, db: ZkDb, rec: TraceValue): void {
  const { hdr, txn } = decodeLogRecord(rec);
  db.apply(ctx, hdr, txn);
}
