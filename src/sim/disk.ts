/**
 * A node's disk as data: files of records, each with a durable prefix. The world owns one per node
 * and keeps it across crashes; `crash` applies what a crash does to unsynced data.
 */
import { assert } from "./assert.js";
import type { LatencySpec } from "./network.js";
import type { TraceValue } from "./trace.js";

export interface DiskConfig {
  /** Latency of an fsync (and of an atomic file write). Completions on one disk are in order. */
  readonly fsync: LatencySpec;
}

export const DEFAULT_DISK: DiskConfig = {
  fsync: { dist: "uniform", minUs: 500, maxUs: 2_000 },
};

/** What a crash may do beyond losing unsynced data: tear the record being written, or lose a durable tail. */
export type DiskFaultKind = "torn-write" | "lost-tail";

interface FileState {
  /** Identity of this content: a removed-and-recreated file, or one replaced atomically, gets a new one. */
  uid: number;
  records: TraceValue[];
  /** Records [0, durable) survive a crash. */
  durable: number;
  /** Truncations so far (`seq` increasing), so a late fsync completion never claims a truncated record. */
  truncations: { readonly seq: number; readonly length: number }[];
  /** While atomic writes are pending: the durable content a crash falls back to. */
  shadow: TraceValue[] | null;
  /** Pending atomic writes of this file by id, each with the content it writes. */
  pendingAtomic: Map<number, readonly TraceValue[]>;
  latestAtomic: number;
  tornTail: boolean;
}

export interface CrashLoss {
  readonly file: string;
  readonly lostRecords: number;
  readonly fault: DiskFaultKind | null;
}

/** What an fsync saw when it was issued: the file's identity, its length, its truncation count. */
export interface FsyncTicket {
  readonly uid: number;
  readonly length: number;
  readonly truncSeq: number;
}

export class DiskState {
  private readonly fileMap = new Map<string, FileState>();
  private nextUid = 1;
  private nextAtomic = 1;

  private file(name: string): FileState {
    let f = this.fileMap.get(name);
    if (f === undefined) {
      f = { uid: this.nextUid++, records: [], durable: 0, truncations: [], shadow: null, pendingAtomic: new Map(), latestAtomic: 0, tornTail: false };
      this.fileMap.set(name, f);
    }
    return f;
  }

  append(name: string, record: TraceValue): number {
    const f = this.file(name);
    f.records.push(record);
    return f.records.length;
  }

  length(name: string): number {
    return this.fileMap.get(name)?.records.length ?? 0;
  }

  /** Captures what an fsync issued now covers. */
  fsyncTicket(name: string): FsyncTicket {
    const f = this.file(name);
    return { uid: f.uid, length: f.records.length, truncSeq: f.truncations.length };
  }

  /** An fsync has completed: what it covered, less anything truncated since, is durable. */
  markDurable(name: string, t: FsyncTicket): void {
    const f = this.fileMap.get(name);
    if (f === undefined || f.uid !== t.uid) return;
    let covered = t.length;
    for (let i = t.truncSeq; i < f.truncations.length; i++) covered = Math.min(covered, (f.truncations[i] as { length: number }).length);
    f.durable = Math.max(f.durable, Math.min(covered, f.records.length));
  }

  /** Replaces the content atomically (write, fsync, rename); returns the write's id for `atomicDone`. */
  writeAtomic(name: string, records: readonly TraceValue[]): number {
    const f = this.file(name);
    if (f.shadow === null) f.shadow = f.records.slice(0, f.durable);
    const id = this.nextAtomic++;
    const content = records.slice();
    f.pendingAtomic.set(id, content);
    f.latestAtomic = id;
    f.uid = this.nextUid++;
    f.records = content.slice();
    f.durable = 0;
    f.truncations = [];
    return id;
  }

  /** An atomic write has completed: its content is what a crash now falls back to (or simply durable). */
  atomicDone(name: string, id: number): void {
    const f = this.fileMap.get(name);
    const content = f?.pendingAtomic.get(id);
    if (f === undefined || content === undefined) return;
    f.pendingAtomic.delete(id);
    if (id === f.latestAtomic) {
      f.shadow = null;
      f.durable = Math.max(f.durable, Math.min(content.length, f.records.length));
      f.pendingAtomic.clear();
    } else {
      f.shadow = content.slice();
    }
  }

  truncate(name: string, length: number): void {
    assert(Number.isSafeInteger(length) && length >= 0, `truncate to ${length}`);
    const f = this.file(name);
    if (length < f.records.length) f.records.length = length;
    f.durable = Math.min(f.durable, length);
    f.truncations.push({ seq: f.truncations.length, length });
  }

  remove(name: string): void {
    this.fileMap.delete(name);
  }

  read(name: string): readonly TraceValue[] {
    return this.fileMap.get(name)?.records.slice() ?? [];
  }

  exists(name: string): boolean {
    return this.fileMap.has(name);
  }

  tornTail(name: string): boolean {
    return this.fileMap.get(name)?.tornTail ?? false;
  }

  files(): string[] {
    return [...this.fileMap.keys()].sort();
  }

  /** Durable records per file (sorted by name): what a checker or test may compare after a crash. */
  durableView(): Record<string, readonly TraceValue[]> {
    const out: Record<string, readonly TraceValue[]> = {};
    for (const name of this.files()) {
      const f = this.fileMap.get(name) as FileState;
      out[name] = f.shadow !== null ? f.shadow.slice() : f.records.slice(0, f.durable);
    }
    return out;
  }

  /**
   * Applies a crash: unsynced records vanish, pending atomic writes fall back. `fault` (armed
   * beforehand) tears the first unsynced record of the first file that has one (recovery finds its
   * checksum wrong and drops it, so the file says `tornTail`) or loses up to `lostTail` durable
   * records at the end of the first non-empty log (a disk that lied about fsync).
   */
  crash(fault: DiskFaultKind | null, lostTail: number): CrashLoss[] {
    const losses: CrashLoss[] = [];
    let faultUsed = false;
    for (const name of this.files()) {
      const f = this.fileMap.get(name) as FileState;
      f.tornTail = false;
      f.uid = this.nextUid++;
      f.truncations = [];
      if (f.shadow !== null) {
        losses.push({ file: name, lostRecords: f.records.length, fault: null });
        f.records = f.shadow;
        f.durable = f.records.length;
        f.shadow = null;
        f.pendingAtomic.clear();
        continue;
      }
      const unsynced = f.records.length - f.durable;
      let fileFault: DiskFaultKind | null = null;
      if (!faultUsed && fault === "torn-write" && unsynced > 0) {
        f.tornTail = true;
        fileFault = fault;
        faultUsed = true;
      }
      f.records.length = f.durable;
      let lost = unsynced;
      if (!faultUsed && fault === "lost-tail" && f.durable > 0 && lostTail > 0) {
        const k = Math.min(lostTail, f.durable);
        f.records.length = f.durable - k;
        f.durable -= k;
        lost += k;
        fileFault = fault;
        faultUsed = true;
      }
      if (lost > 0 || fileFault !== null) losses.push({ file: name, lostRecords: lost, fault: fileFault });
    }
    return losses;
  }
}
