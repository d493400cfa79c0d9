/** The comparison as a terminal table: one block per fault set, one line per protocol. */
import { availability, ms1, ratio1, type Row } from "./aggregate.js";
import type { FaultSetName } from "./fault-sets.js";
import type { SubjectEntry } from "./subject.js";

export const COLUMNS = ["protocol", "commits", "aborts", "undecided", "blocked ms", "violations", "msgs/commit", "fsyncs/commit", "p50 ms", "p99 ms", "availability"] as const;

/** The cells of one row, as the table, the Markdown and the HTML show them. */
export function cells(title: string, r: Row): string[] {
  return [
    title,
    String(r.commits),
    String(r.aborts),
    String(r.undecided),
    ms1(r.blockedUsMax),
    r.violationRuns === 0 ? "0" : `${r.violationRuns}/${r.runs} runs: ${r.invariants.join(", ")}`,
    ratio1(r.messages, r.commits),
    ratio1(r.fsyncs, r.commits),
    ms1(r.p50Us),
    ms1(r.p99Us),
    availability(r),
  ];
}

export function renderTable(subjects: readonly SubjectEntry[], faults: readonly FaultSetName[], rowOf: (protocol: string, fault: FaultSetName) => Row | null): string {
  const blocks: string[][][] = [];
  for (const fault of faults) {
    const lines: string[][] = [];
    for (const s of subjects) {
      const r = s.available ? rowOf(s.name, fault) : null;
      lines.push(r === null ? [s.title, "not available", "", "", "", "", "", "", "", "", ""] : cells(s.title, r));
    }
    blocks.push(lines);
  }
  const all = [[...COLUMNS], ...blocks.flat()];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((l) => (l[i] ?? "").length)));
  const fmt = (l: readonly string[]): string =>
    l
      .map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join("  ")
      .trimEnd();
  const out: string[] = [];
  faults.forEach((fault, i) => {
    out.push("", `faults: ${fault}`, fmt([...COLUMNS]));
    for (const l of blocks[i] ?? []) out.push(fmt(l));
  });
  return `${out.join("\n").trimStart()}\n`;
}
