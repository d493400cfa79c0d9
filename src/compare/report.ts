/**
 * The comparison report: `compare.md` (for a pull request or docs), `index.html` (self-contained:
 * inline CSS and SVG charts, nothing fetched), `summary.json` (every row and case), and under
 * `cases/` the scenario file of each run that broke an invariant, so `zksim run` replays it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { VERSION } from "../version.js";
import { availabilityTenths, ratio1, type Row } from "./aggregate.js";
import { caseName, caseYaml, type CaseSpec } from "./case.js";
import { barChart, PALETTE, type Series } from "./charts.js";
import type { Comparison } from "./compare.js";
import { rowOf } from "./compare.js";
import { FAULT_DESCRIPTIONS } from "./fault-sets.js";
import { renderCompareHtml } from "./html.js";
import { renderCompareMarkdown } from "./markdown.js";
import type { CompareSubject } from "./subject.js";

export const COMPARE_REPORT_FILES = ["index.html", "compare.md", "summary.json"] as const;
/** At most this many scenario files of violating runs are written. */
export const MAX_CASE_FILES = 30;

export interface ReportData {
  readonly c: Comparison;
  readonly command: string;
  readonly runnable: readonly CompareSubject[];
  /** Scenario files written for violating runs, relative to the report directory. */
  readonly caseFiles: readonly { readonly spec: CaseSpec; readonly path: string }[];
}

export function reportData(c: Comparison, command: string): ReportData {
  const runnable = c.options.subjects.filter((s): s is CompareSubject => s.available);
  const caseFiles = c.results
    .filter((r) => r.violations.length > 0)
    .slice(0, MAX_CASE_FILES)
    .map((r) => ({ spec: r.spec, path: `cases/${caseName(r.spec)}.yaml` }));
  return { c, command, runnable, caseFiles };
}

export function writeCompareReport(dir: string, c: Comparison, command: string): void {
  const d = reportData(c, command);
  mkdirSync(dir, { recursive: true });
  if (d.caseFiles.length > 0) mkdirSync(join(dir, "cases"), { recursive: true });
  for (const f of d.caseFiles) writeFileSync(join(dir, f.path), caseYaml(f.spec));
  writeFileSync(join(dir, "compare.md"), renderCompareMarkdown(d));
  writeFileSync(join(dir, "index.html"), renderCompareHtml(d, charts(d)));
  writeFileSync(join(dir, "summary.json"), `${JSON.stringify(summaryJson(d), null, 1)}\n`);
}

/** The charts of the HTML report, as SVG strings. */
export function charts(d: ReportData): string[] {
  const { c, runnable } = d;
  const series: Series[] = runnable.map((s, i) => ({ name: s.title, colour: PALETTE[i % PALETTE.length] as string }));
  const faults = c.options.faults;
  const at = rowOf(c);
  const grid = (f: (r: Row) => number | null): (number | null)[][] => faults.map((fault) => runnable.map((s) => {
    const r = at(s.name, fault);
    return r === null ? null : f(r);
  }));
  const tenthsPct = (v: number): string => `${Math.floor(v / 10)}%`;
  const ms = (v: number): string => `${Math.round(v / 1000)}ms`;
  const out = [
    barChart({ title: "Availability: commands committed (of those submitted)", groups: faults, series, values: grid(availabilityTenths), label: tenthsPct, max: 1000 }),
    barChart({ title: "Commit latency p99 (virtual ms)", groups: faults, series, values: grid((r) => r.p99Us), label: ms }),
    barChart({ title: "Time blocked: the longest wait for an outcome (virtual ms)", groups: faults, series, values: grid((r) => r.blockedUsMax), label: ms }),
    barChart({ title: "Runs with a safety violation", groups: faults, series, values: grid((r) => r.violationRuns), label: (v) => String(v), max: Math.max(1, c.options.seeds) }),
  ];
  if (faults.includes("none")) {
    const per = (f: (r: Row) => number): (number | null)[] =>
      runnable.map((s) => {
        const r = at(s.name, "none");
        return r === null || r.commits === 0 ? null : Math.round((f(r) * 10) / r.commits);
      });
    out.push(
      barChart({
        title: "Cost per commit without faults (messages, fsyncs)",
        groups: ["messages", "fsyncs"],
        series,
        values: [per((r) => r.messages), per((r) => r.fsyncs)],
        label: (v) => `${Math.floor(v / 10)}.${v % 10}`,
      }),
    );
  }
  return out;
}

function summaryJson(d: ReportData): unknown {
  const o = d.c.options;
  return {
    zksim: VERSION,
    command: d.command,
    settings: { seeds: o.seeds, seedStart: o.seedStart, voters: o.voters, commands: o.commands, faults: o.faults, protocols: o.subjects.map((s) => s.name) },
    unavailable: o.subjects.filter((s) => !s.available).map((s) => ({ protocol: s.name, why: s.available ? "" : s.why })),
    faults: Object.fromEntries(o.faults.map((f) => [f, FAULT_DESCRIPTIONS[f]])),
    rows: d.c.rows.map((r) => ({ ...r, messagesPerCommit: ratio1(r.messages, r.commits), fsyncsPerCommit: ratio1(r.fsyncs, r.commits) })),
    cases: d.c.results.map((r) => ({ ...r.spec, commits: r.commits, aborts: r.aborts, undecided: r.undecided, messages: r.messages, fsyncs: r.fsyncs, violations: r.violations, traceSha256: r.traceSha256 })),
    crashes: d.c.crashes.map((x) => ({ ...x.spec, message: x.message.split("\n")[0] })),
    caseFiles: d.caseFiles.map((f) => f.path),
  };
}
