/** The one place a report touches the disk. */
import { closeSync, copyFileSync, mkdirSync, openSync, readSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ScenarioRunResult } from "../scenario/run.js";
import type { ReportCollector } from "./collector.js";
import { REPORT_FILES } from "./files.js";
import { finalLine } from "./final-line.js";
import type { ReportInput } from "./input.js";
import { allProofIndexes } from "./proof.js";
import { renderReport, type ReportTexts } from "./report.js";

const TRACE = REPORT_FILES[3];

/** Creates the directory and returns where the run should stream its trace. */
export function prepareReportDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return join(dir, TRACE);
}

/** Writes the report's text files; copies the trace in when the run wrote it elsewhere (`--trace`). */
export function writeReport(dir: string, texts: ReportTexts, tracePath: string): void {
  mkdirSync(dir, { recursive: true });
  for (const name of REPORT_FILES) {
    if (name === TRACE) continue;
    writeFileSync(join(dir, name), texts[name]);
  }
  if (resolve(tracePath) !== resolve(join(dir, TRACE))) copyFileSync(tracePath, join(dir, TRACE));
}

/**
 * Lines of a trace file by index (0-based), read in one pass without holding the file: the events a
 * report quotes as proof. Indexes past the end are missing from the answer.
 */
export function readTraceLines(path: string, indexes: readonly number[]): Map<number, string> {
  const want = new Set(indexes);
  const out = new Map<number, string>();
  if (want.size === 0) return out;
  const last = Math.max(...want);
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(1 << 20);
    let line = 0;
    let partial: Buffer[] = [];
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      let start = 0;
      for (let i = buf.indexOf(10, 0); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) {
        if (want.has(line)) out.set(line, Buffer.concat([...partial, buf.subarray(start, i)]).toString("utf8"));
        partial = [];
        start = i + 1;
        line++;
        if (line > last) return out;
      }
      // Only a wanted line's head is worth keeping across chunks.
      partial = want.has(line) ? [...partial, Buffer.from(buf.subarray(start, n))] : [];
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/**
 * A run's whole report: what the collector gathered, the proving events read back from the trace
 * (which must be complete on disk at `tracePath`), rendered and written into `dir`.
 */
export function writeRunReport(
  dir: string,
  tracePath: string,
  collector: ReportCollector,
  run: ScenarioRunResult,
  how: { readonly source: ReportInput["source"]; readonly reproduced?: boolean },
): void {
  const { timeline, charts, trees } = collector.finish();
  const proof = readTraceLines(tracePath, allProofIndexes(run.violations));
  const { texts } = renderReport({
    source: how.source,
    run,
    timeline,
    charts,
    trees,
    proof,
    finalLine: finalLine(run),
    ...(how.reproduced !== undefined && { reproduced: how.reproduced }),
  });
  writeReport(dir, texts, tracePath);
}
