/** The CLI's commands as functions returning an exit code; `main.ts` wires them to arguments. */
import chalk from "chalk";
import { relative } from "node:path";
import { firstDivergence, loadRepro, makeRepro, writeRepro } from "../fuzz/repro.js";
import { InputError } from "../scenario/errors.js";
import { loadScenarioFile, type Scenario } from "../scenario/load.js";
import type { ProtocolRegistry } from "../scenario/plugin.js";
import { runScenario, type ScenarioRunResult } from "../scenario/run.js";
import { ReportCollector } from "../report/collector.js";
import { prepareReportDir, writeRunReport } from "../report/write.js";
import { scenarioJsonSchema } from "../scenario/schema.js";
import { canonicalLine, type TraceEvent } from "../sim/trace.js";
import { EXIT, type ExitCode } from "./exit.js";
import { finalLine } from "./final-line.js";
import { resolveScenario, scenarioFiles, SCENARIO_DIR, PACKAGE_ROOT } from "./paths.js";
import { collectStory, renderSummary } from "./summary.js";

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export interface RunFlags {
  readonly seed?: number;
  readonly trace?: string;
  readonly reproOut?: string;
  readonly quiet?: boolean;
  readonly json?: boolean;
  readonly stopOnViolation?: boolean;
  /** Write index.html, report.md, summary.json and trace.jsonl into this directory. */
  readonly report?: string;
}

export async function runCommand(io: Io, registry: ProtocolRegistry, scenarioArg: string, flags: RunFlags): Promise<ExitCode> {
  const scenario = await loadScenarioFile(resolveScenario(scenarioArg), registry);
  const story = collectStory(scenario.plugin.describe?.bind(scenario.plugin));
  const stopOnViolation = flags.stopOnViolation ?? scenario.run.stopOnViolation;
  const report = reportTarget(flags.report, flags.trace, scenario);
  const storyObserver = flags.quiet || flags.json ? undefined : story.observer;
  const r = runScenario(scenario, {
    ...(flags.seed !== undefined && { seed: flags.seed }),
    sink: report ? { kind: "file", path: report.tracePath } : flags.trace ? { kind: "file", path: flags.trace } : { kind: "none" },
    lineDigests: flags.reproOut !== undefined,
    stopOnViolation,
    observer: report
      ? (e, i) => {
          storyObserver?.(e);
          report.collector.onEvent(e, i);
        }
      : storyObserver,
    ...(report && { atEnd: report.collector.atEnd }),
  });
  if (report) finishReport(report, r, "run");
  if (flags.reproOut) writeRepro(flags.reproOut, makeRepro(r, flags.reproOut, "zksim run", { stopOnViolation }));
  if (flags.json) {
    io.out(
      `${JSON.stringify({
        scenario: scenario.name,
        protocol: scenario.plugin.name,
        seed: r.seed,
        result: r.result,
        endReason: r.summary.reason,
        events: r.summary.events,
        simUs: r.summary.simUs,
        traceSha256: r.summary.sha256,
        violations: r.violations,
        expectations: r.expectations,
        metrics: r.metrics,
        marks: r.summary.marks,
      })}\n`,
    );
  } else if (!flags.quiet) io.out(renderSummary(r, story.lines()));
  if (flags.quiet || flags.json) io.out(`${finalLine(r)}\n`);
  if (flags.reproOut && !flags.quiet && !flags.json) io.out(chalk.dim(`repro written to ${flags.reproOut} (zksim replay ${flags.reproOut})\n`));
  if (report && !flags.quiet && !flags.json) io.out(chalk.dim(`report written to ${report.dir}/index.html\n`));
  return r.result === "pass" ? EXIT.pass : EXIT.fail;
}

export async function replayCommand(io: Io, registry: ProtocolRegistry, path: string, flags: { trace?: string; report?: string }): Promise<ExitCode> {
  const repro = await loadRepro(path, registry);
  const f = repro.file;
  const report = reportTarget(flags.report, flags.trace, repro.scenario);
  const r = runScenario(repro.scenario, {
    seed: f.seed,
    buggify: f.buggify,
    stopOnViolation: f.stopOnViolation,
    lineDigests: true,
    sink: report ? { kind: "file", path: report.tracePath } : flags.trace ? { kind: "file", path: flags.trace } : { kind: "none" },
    ...(report && { observer: report.collector.onEvent, atEnd: report.collector.atEnd }),
  });
  io.out(`${finalLine(r)}\n`);
  const sameHash = r.summary.sha256 === f.expected.traceSha256;
  const want = f.expected.violations.map((v) => `${v.invariant}@${v.eventIndex}`).join(",");
  const got = r.violations.map((v) => `${v.invariant}@${v.eventIndex}`).join(",");
  if (report) {
    finishReport(report, r, "replay", sameHash && want === got);
    io.out(`report written to ${report.dir}/index.html\n`);
  }
  if (sameHash && want === got) {
    io.out(
      `reproduced: trace_sha256 and ${f.expected.violations.length === 0 ? "the absence of violations" : `violation${f.expected.violations.length > 1 ? "s" : ""} ${want}`} match ${path}\n`,
    );
    return EXIT.pass;
  }
  io.out(`NOT reproduced: expected trace_sha256=${f.expected.traceSha256} events=${f.expected.events} violations=[${want}], got [${got}]\n`);
  if (!sameHash) {
    if (repro.digests === null || r.lineDigests === null) {
      io.out("the repro keeps no per-event digests (run too long), so the first differing event cannot be named\n");
    } else {
      const i = firstDivergence(repro.digests, r.lineDigests);
      io.out(`the traces part at event ${i} (0-based line ${i} of the trace)\n`);
      const line = lineAt(repro.scenario, f.seed, f.buggify, f.stopOnViolation, i);
      io.out(line === null ? `  the replay has no event ${i} (it ended after ${r.summary.events} events)\n` : `  replay has: ${line}\n`);
      if (i >= repro.digests.length) io.out(`  the original ended after ${repro.digests.length} events\n`);
    }
  }
  return EXIT.fail;
}

interface ReportTarget {
  readonly dir: string;
  /** Where the run streams its trace: the report's trace.jsonl, or the --trace file when both are given. */
  readonly tracePath: string;
  readonly collector: ReportCollector;
}

function reportTarget(dir: string | undefined, trace: string | undefined, scenario: Scenario): ReportTarget | null {
  if (dir === undefined) return null;
  const inDir = prepareReportDir(dir);
  return { dir, tracePath: trace ?? inDir, collector: ReportCollector.forScenario(scenario) };
}

function finishReport(t: ReportTarget, r: ScenarioRunResult, source: "run" | "replay", reproduced?: boolean): void {
  writeRunReport(t.dir, t.tracePath, t.collector, r, { source, ...(reproduced !== undefined && { reproduced }) });
}

/** Re-runs to fetch one line of the trace without keeping the whole trace in memory. */
function lineAt(scenario: Parameters<typeof runScenario>[0], seed: number, buggify: boolean, stopOnViolation: boolean, index: number): string | null {
  let found: string | null = null;
  runScenario(scenario, {
    seed,
    buggify,
    stopOnViolation,
    observer: (e: TraceEvent, i: number) => {
      if (i === index) found = canonicalLine(e);
    },
  });
  return found;
}

export async function listCommand(io: Io, registry: ProtocolRegistry, dir?: string): Promise<ExitCode> {
  const root = dir ?? SCENARIO_DIR;
  const files = scenarioFiles(root);
  if (files.length === 0) throw InputError.at(root, "no scenario files (*.yaml) here");
  let bad = 0;
  const rows: [string, string, string][] = [];
  for (const file of files) {
    const shown = relative(dir ? process.cwd() : PACKAGE_ROOT, file);
    try {
      const s = await loadScenarioFile(file, registry);
      rows.push([shown, s.plugin.name, s.description]);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      bad++;
      rows.push([shown, "invalid", e.message.split("\n")[0] ?? ""]);
    }
  }
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [f, p, d] of rows) io.out(`${f.padEnd(w0)}  ${p.padEnd(w1)}  ${d}\n`);
  return bad > 0 ? EXIT.badInput : EXIT.pass;
}

export function schemaCommand(io: Io, registry: ProtocolRegistry): ExitCode {
  io.out(`${JSON.stringify(scenarioJsonSchema(registry), null, 2)}\n`);
  return EXIT.pass;
}
