/** Case results folded into one row per (protocol, fault set): sums, maxima and pooled latency percentiles. */
import type { CaseResult } from "./case.js";
import type { FaultSetName } from "./fault-sets.js";

export interface Row {
  readonly protocol: string;
  readonly fault: FaultSetName;
  readonly runs: number;
  readonly commands: number;
  readonly commits: number;
  readonly aborts: number;
  readonly undecided: number;
  /** The longest wait for an outcome over every run (virtual us). */
  readonly blockedUsMax: number;
  /** Runs in which a checker found a violation, and which invariants. */
  readonly violationRuns: number;
  readonly invariants: readonly string[];
  readonly messages: number;
  readonly fsyncs: number;
  /** Commit latency percentiles over every committed command of every run (null: none committed). */
  readonly p50Us: number | null;
  readonly p99Us: number | null;
  /** Seeds whose run had a violation (to re-run them). */
  readonly violationSeeds: readonly number[];
}

/** Nearest-rank percentile of sorted integers. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}

export function aggregate(protocol: string, fault: FaultSetName, results: readonly CaseResult[]): Row {
  const latencies = results.flatMap((r) => r.commitLatenciesUs).sort((a, b) => a - b);
  const bad = results.filter((r) => r.violations.length > 0);
  const sum = (f: (r: CaseResult) => number): number => results.reduce((acc, r) => acc + f(r), 0);
  return {
    protocol,
    fault,
    runs: results.length,
    commands: sum((r) => r.commands),
    commits: sum((r) => r.commits),
    aborts: sum((r) => r.aborts),
    undecided: sum((r) => r.undecided),
    blockedUsMax: results.reduce((m, r) => Math.max(m, r.blockedUsMax), 0),
    violationRuns: bad.length,
    invariants: [...new Set(bad.flatMap((r) => r.violations))].sort(),
    messages: sum((r) => r.messages),
    fsyncs: sum((r) => r.fsyncs),
    p50Us: percentile(latencies, 50),
    p99Us: percentile(latencies, 99),
    violationSeeds: bad.map((r) => r.spec.seed).sort((a, b) => a - b),
  };
}

/** `a / b` with one decimal, integer arithmetic only ("-" when b is 0). */
export function ratio1(a: number, b: number): string {
  if (b === 0) return "-";
  const tenths = Math.floor((a * 10 + Math.floor(b / 2)) / b);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

/** Virtual microseconds as milliseconds with one decimal. */
export function ms1(us: number | null): string {
  if (us === null) return "-";
  const tenths = Math.floor((us + 50) / 100);
  return `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

/** commits / commands as a percentage with one decimal. */
export const availability = (r: Row): string => (r.commands === 0 ? "-" : `${ratio1(r.commits * 100, r.commands)}%`);

/** Availability in tenths of a percent (for charts). */
export const availabilityTenths = (r: Row): number | null => (r.commands === 0 ? null : Math.floor((r.commits * 1000) / r.commands));
