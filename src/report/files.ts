/** The files every report directory holds; docs, the CLI and tests import these names. */
export const REPORT_FILES = ["index.html", "report.md", "summary.json", "trace.jsonl"] as const;
export type ReportFile = (typeof REPORT_FILES)[number];

/**
 * Above this many messages the diagram draws a window (the first `REPORT_PREFIX_MESSAGES` messages,
 * then `REPORT_VIOLATION_CONTEXT` drawn events before and after each violation) and says so.
 */
export const REPORT_MAX_MESSAGES = 20_000;
export const REPORT_PREFIX_MESSAGES = 2_000;
export const REPORT_VIOLATION_CONTEXT = 300;
