/**
 * The durable transaction log both protocols keep: one `{tx, rec}` record per state change, forced
 * to disk before the node acts on it (the textbook force-write before replying).
 */
import { assert } from "../../sim/assert.js";
import type { DiskContext, DiskDone } from "../../sim/node.js";
import type { Decision } from "./decision.js";
import { keyOf, parseKey } from "./keys.js";

/** The single log file of a coordinator or participant. */
export const TX_LOG = "txlog";

/** Appends a record and forces it; `onDiskDone` then sees the tag `rec/tx`. */
export function forceRecord(disk: DiskContext, tx: number, rec: string): void {
  disk.append(TX_LOG, { tx, rec });
  disk.fsync(TX_LOG, keyOf(rec, tx));
}

/** What the log says about one transaction: its records in the order they were written. */
export interface TxHistory<K extends string> {
  readonly tx: number;
  readonly recs: readonly K[];
}

/** Reads the log back after a restart, grouped by transaction in increasing tx order. */
export function readTxLog<K extends string>(disk: DiskContext, kinds: readonly K[]): TxHistory<K>[] {
  const byTx = new Map<number, K[]>();
  for (const r of disk.read(TX_LOG)) {
    assert(typeof r === "object" && r !== null && !Array.isArray(r), `${TX_LOG} holds a non-record`);
    const { tx, rec } = r as { readonly tx?: unknown; readonly rec?: unknown };
    assert(typeof tx === "number" && Number.isSafeInteger(tx), `${TX_LOG} record without a tx`);
    assert(typeof rec === "string" && kinds.includes(rec as K), `${TX_LOG} record of unknown kind ${String(rec)}`);
    const recs = byTx.get(tx) ?? [];
    recs.push(rec as K);
    byTx.set(tx, recs);
  }
  return [...byTx.entries()].sort(([a], [b]) => a - b).map(([tx, recs]) => ({ tx, recs }));
}

/** A forced record became durable: which record, for which transaction, and that transaction's state. */
export function durableRecord<K extends string, T>(done: DiskDone, kinds: readonly K[], txs: ReadonlyMap<number, T>): { kind: K; tx: number; t: T } {
  assert(done.file === TX_LOG, `unexpected disk completion on ${done.file}`);
  const { kind, tx } = parseKey(done.tag, kinds);
  const t = txs.get(tx);
  assert(t !== undefined, `log record for an unknown tx ${tx}`);
  return { kind, tx, t };
}

/** The decision a transaction's log records, if any. */
export const loggedDecision = (recs: readonly string[]): Decision | null =>
  recs.includes("commit") ? "commit" : recs.includes("abort") ? "abort" : null;
