/** The one place a report touches the disk. */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { REPORT_FILES } from "./files.js";
import type { ReportTexts } from "./report.js";

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
