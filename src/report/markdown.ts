/** `report.md`: the run in a few lines for a pull request, pointing at `index.html` for the diagram. */
import { VERSION } from "../version.js";
import { fmtUs } from "./escape.js";
import type { ReportInput } from "./input.js";
import { proofIndexes } from "./proof.js";
import { diffTrees } from "./tree-html.js";

/** Markdown table cells: pipes and newlines would break the row. */
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderMarkdown(input: ReportInput): string {
  const { run: r, timeline: tl } = input;
  const out: string[] = [];
  const verdict = r.result === "pass" ? "✅ pass" : "❌ fail";
  out.push(`## zksim ${input.source}: \`${r.scenario.name}\` — ${verdict}`, "");
  out.push(r.scenario.description, "");
  out.push("| | |", "| --- | --- |");
  out.push(`| protocol | ${cell(r.scenario.plugin.name)} |`);
  out.push(`| seed | ${r.seed} |`);
  out.push(`| zksim | ${VERSION} |`);
  out.push(`| trace sha256 | \`${r.summary.sha256 ?? "none"}\` |`);
  out.push(`| events | ${r.summary.events} (${fmtUs(r.summary.simUs)} simulated, ended by ${r.summary.reason}) |`);
  if (tl.nemesis !== null) out.push(`| nemesis | \`${cell(tl.nemesis)}\` |`);
  if (input.reproduced !== undefined) out.push(`| reproduced | ${input.reproduced ? "yes" : "**no**"} |`);
  out.push("");
  out.push("```", input.finalLine, "```", "");
  out.push(`### Violations (${r.violations.length})`, "");
  if (r.violations.length === 0) out.push("none", "");
  else {
    for (const v of r.violations) {
      out.push(`- **${v.invariant}** at event ${v.eventIndex} (${fmtUs(v.t)}, nodes ${v.nodes.join(", ")}): ${v.message}`);
      for (const i of proofIndexes(v)) {
        const line = input.proof?.get(i);
        if (line !== undefined) out.push(`  - event ${i}: \`${line.replace(/`/g, "'")}\``);
      }
    }
    out.push("");
  }
  out.push("### Expectations", "");
  for (const x of r.expectations) out.push(`- [${x.ok ? "x" : " "}] ${x.text}`);
  out.push("");
  const metrics = Object.entries(r.metrics).sort(([a], [b]) => a.localeCompare(b));
  if (metrics.length > 0) {
    out.push("### Metrics", "", "| metric | value |", "| --- | --- |");
    for (const [k, v] of metrics) out.push(`| ${cell(k)} | ${v} |`);
    out.push("");
  }
  const c = input.charts;
  if (c !== undefined && c.roles.leaders.length > 0) {
    out.push("### Leaders", "");
    out.push(c.roles.leaders.map((l) => `${l.node} (epoch ${l.epoch}, ${fmtUs(l.from)}–${l.to === null ? "end" : fmtUs(l.to)})`).join(" → "), "");
  }
  if (c !== undefined && c.ops.stats.length > 0) {
    const us = (v: number | null): string => (v === null ? "–" : fmtUs(v));
    out.push("### Operations", "", "| seen by | op | count | failed | lost | p50 | p99 | max |", "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const st of c.ops.stats) out.push(`| ${st.kind} | ${cell(st.op)} | ${st.count} | ${st.failed} | ${st.lost} | ${us(st.p50)} | ${us(st.p99)} | ${us(st.max)} |`);
    out.push("");
  }
  if (input.trees !== undefined && input.trees !== null && input.trees.length > 0) {
    const { diff } = diffTrees(input.trees);
    const down = input.trees.filter((t) => t.state === "down").map((t) => t.node);
    out.push("### Final data trees", "");
    out.push(
      diff.differing.length === 0
        ? `The live servers hold the same ${diff.paths} znodes.${down.length > 0 ? ` Down at the end: ${down.join(", ")}.` : ""}`
        : `**${diff.differing.length} of ${diff.paths} paths differ** between the live servers: ${diff.differing.slice(0, 20).map((p) => `\`${p}\``).join(", ")}${diff.differing.length > 20 ? ", …" : ""}`,
      "",
    );
  }
  out.push(`The space-time diagram is in \`index.html\` (${tl.messages} messages${tl.windowed ? ", drawn as a window" : ""}); the trace is \`trace.jsonl\`.`, "");
  return out.join("\n");
}
