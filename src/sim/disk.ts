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
  records: TraceValue[];
  /** Records [0, durable) survive a crash. */
  durable: number;
  /** Bumped by truncate, remove and atomic writes so a late fsync completion cannot over-claim. */
  generation: number;
  /** While an atomic write is pending: the content a crash falls back to. */
  shadow: TraceValue[] | null;
  tornTail: boolean;
}

export interface CrashLoss {
  readonly file: string;
  readonly lostRecords: number;
  readonly fault: DiskFaultKind | null;
}

export class DiskState {
  private readonly fileMap = new Map<string, FileState>();

  private file(name: string): FileState {
    let f = this.fileMap.get(name);
    if (f === undefined) {
      f = { records: [], durable: 0, generation: 0, shadow: null, tornTail: false };
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

  generation(name: string): number {
    return this.fileMap.get(name)?.generation ?? 0;
  }

  /** An fsync issued when the file had `length` records, at `generation`, has completed. */
  markDurable(name: string, length: number, generation: number): void {
    const f = this.fileMap.get(name);
    if (f === undefined || f.generation !== generation) return;
    f.durable = Math.max(f.durable, Math.min(length, f.records.length));
  }

  writeAtomic(name: string, records: readonly TraceValue[]): number {
    const f = this.file(name);
    if (f.shadow === null) f.shadow = f.records.slice(0, f.durable);
    f.records = records.slice();
    f.durable = 0;
    f.generation++;
    return f.generation;
  }

  atomicDone(name: string, generation: number): void {
    const f = this.fileMap.get(name);
    if (f === undefined || f.generation !== generation) return;
    f.durable = f.records.length;
    f.shadow = null;
  }

  truncate(name: string, length: number): void {
    assert(Number.isSafeInteger(length) && length >= 0, `truncate to ${length}`);
    const f = this.file(name);
    if (length < f.records.length) f.records.length = length;
    f.durable = Math.min(f.durable, length);
    f.generation++;
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
      out[name] = (f.shadow ?? f.records).slice(0, f.shadow ? undefined : f.durable);
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
      if (f.shadow !== null) {
        losses.push({ file: name, lostRecords: f.records.length, fault: null });
        f.records = f.shadow;
        f.durable = f.records.length;
        f.shadow = null;
        f.generation++;
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
      f.generation++;
      if (lost > 0 || fileFault !== null) losses.push({ file: name, lostRecords: lost, fault: fileFault });
    }
    return losses;
  }
}
