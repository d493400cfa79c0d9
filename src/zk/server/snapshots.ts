import type { DiskContext } from "../../sim/node.js";
import type { Stream } from "../../sim/random.js";
import type { TraceValue } from "../../sim/trace.js";
import { decodeLogRecord, encodeLogRecord } from "./txn-log.js";
import type { LoggedTxn } from "./zkdb.js";

/**
 * A standalone server's snapshots on its disk (`FileSnap`, `FileTxnSnapLog.save` / `restore`):
 * one file per snapshot, named `snapshot.<zxid in hex>` after the last txn it holds
 * (`Util.makeSnapshotName`), older ones left in place (purging is off by default).
 *
 * A snapshot holds the txns that built the tree, as the ensemble's does (zab-disk.ts): replaying
 * them rebuilds the tree exactly, child order included. A last record seals it with their count,
 * standing in for the checksum and the "/" end mark FileSnap writes last: a file a crash cut
 * short, or emptied before its write was durable, has no seal and is passed over on recovery.
 */
export const SNAPSHOT_PREFIX = "snapshot.";

export const snapshotFile = (zxid: bigint): string => `${SNAPSHOT_PREFIX}${BigInt.asUintN(64, zxid).toString(16)}`;

/** `Util.getZxidFromName`: the zxid a snapshot's name carries, or null for another file. */
export function snapshotZxid(file: string): bigint | null {
  const parts = file.split(".");
  if (parts.length < 2 || `${parts[0]}.` !== SNAPSHOT_PREFIX || !/^[0-9a-fA-F]{1,16}$/.test(parts[1] ?? "")) return null;
  return BigInt.asIntN(64, BigInt(`0x${parts[1]}`));
}

/** The records of a snapshot of `history` (every txn applied since the empty tree, in order). */
export function encodeSnapshot(history: readonly LoggedTxn[]): TraceValue[] {
  return [...history.map((t) => encodeLogRecord(t.hdr, t.txn)), { seal: history.length }];
}

/** The txns of a snapshot file's records, or null when the seal is missing or wrong. */
export function decodeSnapshot(records: readonly TraceValue[]): LoggedTxn[] | null {
  const seal = records[records.length - 1];
  if (seal === undefined || seal === null || typeof seal !== "object" || Array.isArray(seal)) return null;
  if ((seal as { readonly seal?: TraceValue }).seal !== records.length - 1) return null;
  return records.slice(0, -1).map((r) => decodeLogRecord(r));
}

export type LoadedSnapshot = {
  readonly file: string;
  readonly zxid: bigint;
  readonly txns: readonly LoggedTxn[];
};

/**
 * `FileSnap.deserialize`: snapshots newest first (by the zxid in their names), the first that
 * reads back whole wins; `skipped` names the newer ones that did not. `found` is null when no
 * snapshot is whole (the real server then starts empty if the log is empty too).
 */
export function newestValidSnapshot(disk: DiskContext): { readonly found: LoadedSnapshot | null; readonly skipped: readonly string[] } {
  const candidates: { file: string; zxid: bigint }[] = [];
  for (const file of disk.files()) {
    const zxid = snapshotZxid(file);
    if (zxid !== null) candidates.push({ file, zxid });
  }
  candidates.sort((a, b) => (a.zxid > b.zxid ? -1 : a.zxid < b.zxid ? 1 : 0));
  const skipped: string[] = [];
  for (const c of candidates) {
    const txns = decodeSnapshot(disk.read(c.file));
    if (txns !== null) return { found: { ...c, txns }, skipped };
    skipped.push(c.file);
  }
  return { found: null, skipped };
}

/**
 * `SyncRequestProcessor`'s snapshot schedule: after each logged txn, a snapshot is due once the
 * txns logged since the last one exceed snapCount/2 + randRoll, where randRoll is drawn in
 * [0, snapCount/2) at start and after each snapshot; so a snapshot comes every
 * snapCount/2 + 1 to 2 x (snapCount/2) txns. snapCount is at least 2 (`ZooKeeperServer.getSnapCount`).
 */
export class SnapSchedule {
  readonly snapCount: number;
  private logged = 0;
  private randRoll = 0;

  constructor(snapCount: number) {
    this.snapCount = Math.max(2, Math.floor(snapCount));
  }

  /** `resetSnapshotStats` (the size-based roll is not modelled: snapSizeLimitInKb defaults to 4 GB). */
  roll(random: Stream): void {
    this.randRoll = random.below(Math.floor(this.snapCount / 2));
  }

  /** The txn count that makes the next snapshot due, counted from the last one. */
  get dueAt(): number {
    return Math.floor(this.snapCount / 2) + this.randRoll + 1;
  }

  /**
   * One txn appended to the log. When that makes a snapshot due, returns how many txns were
   * logged since the last one, and the count starts again (`ZKDatabase.rollLog` resets it) under
   * a new roll; else null.
   */
  append(random: Stream): number | null {
    this.logged++;
    if (this.logged < this.dueAt) return null;
    const logged = this.logged;
    this.roll(random);
    this.logged = 0;
    return logged;
  }
}
