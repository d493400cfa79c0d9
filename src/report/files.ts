/** The files every report directory holds; docs, the CLI and tests import these names. */
export const REPORT_FILES = ["index.html", "report.md", "summary.json", "trace.jsonl"] as const;
export type ReportFile = (typeof REPORT_FILES)[number];

/**
 * Above this many messages the diagram draws a window (the first `REPORT_PREFIX_MESSAGES` messages,
 * then `REPORT_VIOLATION_CONTEXT` drawn events before and after each violation, and
 * `REPORT_FAULT_CONTEXT` around each of the first `REPORT_FAULT_WINDOWS` faults: crashes, restarts,
 * partitions, heals, pauses) and says so. The time charts cover the whole run whatever its length.
 */
export const REPORT_MAX_MESSAGES = 20_000;
export const REPORT_PREFIX_MESSAGES = 2_000;
export const REPORT_VIOLATION_CONTEXT = 300;
export const REPORT_FAULT_CONTEXT = 150;
export const REPORT_FAULT_WINDOWS = 40;
