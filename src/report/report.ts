/** Turns a finished run and its timeline into the report's text files (`write.ts` puts them on disk). */
import type { ReportInput } from "./input.js";
import { renderHtml } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import { renderSummaryJson } from "./summary.js";
import { renderDiagram, type Diagram } from "./svg.js";

/** The report's files except `trace.jsonl`, which the run streams to disk itself. */
export interface ReportTexts {
  readonly "index.html": string;
  readonly "report.md": string;
  readonly "summary.json": string;
}

export function renderReport(input: ReportInput): { readonly texts: ReportTexts; readonly diagram: Diagram } {
  const diagram = renderDiagram(input.timeline, input.run.violations);
  return {
    texts: {
      "index.html": renderHtml(input, diagram),
      "report.md": renderMarkdown(input),
      "summary.json": renderSummaryJson(input, diagram),
    },
    diagram,
  };
}
