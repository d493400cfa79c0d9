/** `index.html` of the comparison: self-contained (inline CSS and SVG), the tables and the charts. */
import { esc } from "../report/escape.js";
import { VERSION } from "../version.js";
import { rowOf } from "./compare.js";
import { FAULT_DESCRIPTIONS } from "./fault-sets.js";
import type { ReportData } from "./report.js";
import { COLUMNS, cells } from "./table.js";

const CSS = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{background:#1d2330;color:#f5f6f8;padding:14px 22px}
header h1{margin:0 0 4px;font-size:20px}header p{margin:0;color:#c9cfdb}
header code{font-family:ui-monospace,monospace;color:#fff}
main{padding:14px 22px}
section{background:#fff;border:1px solid #d8dce3;border-radius:6px;padding:10px 14px;margin:0 0 14px}
h2{font-size:16px;margin:0 0 6px}p.what{margin:0 0 8px;color:#546e7a}
table{border-collapse:collapse;font-size:13px}th,td{padding:2px 12px 2px 0;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}th{border-bottom:1px solid #d8dce3}
td.bad{color:#c62828;font-weight:600}td.na{color:#9aa3b5;text-align:left}
.charts{display:flex;flex-wrap:wrap;gap:14px}
.chart{background:#fff;border:1px solid #d8dce3;border-radius:6px}
.chart text{font:11px system-ui,sans-serif;fill:#333}
.chart .ctitle{font:bold 13px system-ui,sans-serif}
.chart .tick{text-anchor:end;fill:#7a8296}.chart .group{text-anchor:middle}.chart .na{text-anchor:middle;fill:#9aa3b5;font-size:9px}
.chart .grid{stroke:#eceff1}
footer{padding:10px 22px 30px;color:#7a8296}
`;

export function renderCompareHtml(d: ReportData, charts: readonly string[]): string {
  const { c } = d;
  const o = c.options;
  const at = rowOf(c);
  const out: string[] = [];
  out.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>zksim compare</title><style>${CSS}</style></head><body>`);
  out.push(
    `<header><h1>zksim compare</h1><p><code>${esc(d.command)}</code></p><p>zksim ${esc(VERSION)}; seeds ${o.seedStart}..${o.seedStart + o.seeds - 1}; ${o.voters} voters; ${o.commands} commands a run; virtual time.</p></header><main>`,
  );
  out.push(`<section><div class="charts">${charts.join("")}</div></section>`);
  for (const fault of o.faults) {
    out.push(`<section><h2>${esc(fault)}</h2><p class="what">${esc(FAULT_DESCRIPTIONS[fault])}</p><table><tr>${COLUMNS.map((h) => `<th>${esc(h)}</th>`).join("")}</tr>`);
    for (const s of o.subjects) {
      const r = s.available ? at(s.name, fault) : null;
      if (r === null) {
        out.push(`<tr><td>${esc(s.title)}</td><td class="na" colspan="${COLUMNS.length - 1}">not available${s.available ? "" : `: ${esc(s.why)}`}</td></tr>`);
        continue;
      }
      const cs = cells(s.title, r);
      out.push(`<tr>${cs.map((x, i) => `<td${i === 5 && r.violationRuns > 0 ? ' class="bad"' : ""}>${esc(x)}</td>`).join("")}</tr>`);
    }
    out.push("</table></section>");
  }
  out.push(`<section><h2>The crash steps</h2><table><tr><th>protocol</th><th>crash-phase1</th><th>crash-phase2</th><th>crash-phase3</th></tr>`);
  for (const s of d.runnable) out.push(`<tr><td>${esc(s.title)}</td>${s.steps.map((x) => `<td style="text-align:left">${esc(x)}</td>`).join("")}</tr>`);
  out.push("</table></section>");
  if (d.caseFiles.length > 0) {
    out.push(`<section><h2>Runs that broke an invariant</h2><p class="what">Each file is a scenario: <code>zksim run FILE</code> replays the run.</p><ul>`);
    for (const f of d.caseFiles) out.push(`<li><a href="${esc(f.path)}">${esc(f.path)}</a></li>`);
    out.push("</ul></section>");
  }
  out.push(`</main><footer>Written by zksim ${esc(VERSION)}. compare.md has the same tables and the textbook costs; summary.json every run.</footer></body></html>\n`);
  return out.join("\n");
}
