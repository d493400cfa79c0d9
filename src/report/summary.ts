/** `summary.json`: the run's verdict and numbers for scripts and CI, one JSON object. */
import { VERSION } from "../version.js";
import { REPORT_FILES } from "./files.js";
import type { ReportInput } from "./input.js";
import type { Diagram } from "./svg.js";
import { diffTrees } from "./tree-html.js";

export function renderSummaryJson(input: ReportInput, diagram: Diagram): string {
  const { run: r, timeline: tl } = input;
  const diff = input.trees === undefined || input.trees === null ? null : diffTrees(input.trees).diff;
  const doc = {
    scenario: r.scenario.name,
    description: r.scenario.description,
    protocol: r.scenario.plugin.name,
    seed: r.seed,
    zksimVersion: VERSION,
    source: input.source,
    ...(input.reproduced !== undefined && { reproduced: input.reproduced }),
    result: r.result,
    endReason: r.summary.reason,
    events: r.summary.events,
    simUs: r.summary.simUs,
    traceSha256: r.summary.sha256,
    nemesis: tl.nemesis,
    finalLine: input.finalLine,
    violations: r.violations,
    expectations: r.expectations,
    metrics: r.metrics,
    marks: r.summary.marks,
    diagram: { messages: tl.messages, arrows: diagram.arrows, drops: diagram.drops, windowed: tl.windowed, messageTypes: diagram.messageTypes },
    leaders: input.charts?.roles.leaders ?? [],
    operations: input.charts === undefined ? null : { total: input.charts.ops.total, drawnOneIn: input.charts.ops.stride, stats: input.charts.ops.stats },
    trees:
      input.trees === undefined || input.trees === null
        ? null
        : {
            servers: input.trees.map((t) => ({ node: t.node, state: t.state, lastZxid: t.lastZxid, znodes: t.entries.length })),
            paths: diff?.paths ?? 0,
            differing: diff?.differing ?? [],
          },
    files: REPORT_FILES,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
