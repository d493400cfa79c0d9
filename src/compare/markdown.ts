/** `compare.md`: the comparison as Markdown tables, with what each fault and step means and the textbook costs. */
import { VERSION } from "../version.js";
import { ratio1 } from "./aggregate.js";
import { rowOf } from "./compare.js";
import { FAULT_DESCRIPTIONS } from "./fault-sets.js";
import type { ReportData } from "./report.js";
import { COLUMNS, cells } from "./table.js";

const cell = (s: string): string => s.replace(/\|/g, "\\|");
const row = (cs: readonly string[]): string => `| ${cs.map(cell).join(" | ")} |`;

export function renderCompareMarkdown(d: ReportData): string {
  const { c } = d;
  const o = c.options;
  const at = rowOf(c);
  const out: string[] = [];
  out.push("# zksim compare", "");
  out.push(`\`${d.command}\``, "");
  out.push(
    `zksim ${VERSION}; seeds ${o.seedStart}..${o.seedStart + o.seeds - 1}; ${o.voters} voters (participants or acceptors); ${o.commands} commands a run, one every 50ms; times are virtual.`,
    "",
  );
  for (const fault of o.faults) {
    out.push(`## ${fault}`, "", FAULT_DESCRIPTIONS[fault], "", row(COLUMNS), row(COLUMNS.map(() => "---")));
    for (const s of o.subjects) {
      const r = s.available ? at(s.name, fault) : null;
      out.push(r === null ? row([s.title, "not available", "", "", "", "", "", "", "", "", ""]) : row(cells(s.title, r)));
    }
    out.push("");
  }
  for (const s of o.subjects) if (!s.available) out.push(`${s.title} is not available: ${s.why}.`, "");
  out.push("## The crash steps", "", row(["protocol", "crash-phase1", "crash-phase2", "crash-phase3"]), row(["---", "---", "---", "---"]));
  for (const s of d.runnable) out.push(row([s.title, ...s.steps]));
  out.push("");
  if (o.faults.includes("none")) {
    const n = o.voters;
    out.push(
      "## Textbook costs without faults",
      "",
      `Per commit, n = ${n} voters, L = 2 learners; measured = the fault-free runs' totals less the one-time election, per commit.`,
      "",
      row(["protocol", "messages: formula", "= at n", "measured", "fsyncs: formula", "= at n", "measured"]),
      row(["---", "---", "---", "---", "---", "---", "---"]),
    );
    for (const s of d.runnable) {
      const r = at(s.name, "none");
      if (r === null) continue;
      const f = s.formula;
      out.push(
        row([
          s.title,
          f.messagesText,
          String(f.messages(n)),
          ratio1(r.messages - r.runs * f.setupMessages(n), r.commits),
          f.fsyncsText,
          String(f.fsyncs(n)),
          ratio1(r.fsyncs - r.runs * f.setupFsyncs(n), r.commits),
        ]),
      );
    }
    out.push("");
  }
  const bad = c.rows.filter((r) => r.violationRuns > 0);
  out.push("## Runs that broke an invariant", "");
  if (bad.length === 0) out.push("None.", "");
  for (const r of bad) {
    const title = o.subjects.find((s) => s.name === r.protocol)?.title ?? r.protocol;
    const file = d.caseFiles.find((f) => f.spec.protocol === r.protocol && f.spec.fault === r.fault);
    const rerun = file === undefined ? "" : ` Re-run one: \`zksim run ${file.path}\` (in the report directory).`;
    out.push(`- **${title}, ${r.fault}**: ${r.violationRuns} of ${r.runs} runs (${r.invariants.join(", ")}); seeds ${r.violationSeeds.join(", ")}.${rerun}`);
  }
  if (bad.length > 0) out.push("");
  if (c.crashes.length > 0) {
    out.push("## Crashes (bugs in zksim)", "");
    for (const x of c.crashes) out.push(`- ${x.spec.protocol} ${x.spec.fault} seed ${x.spec.seed}: ${x.message.split("\n")[0] ?? ""}`);
    out.push("");
  }
  out.push("The charts are in `index.html`; every row and run is in `summary.json`.", "");
  return out.join("\n");
}
