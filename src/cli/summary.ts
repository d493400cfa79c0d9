/** The coloured, human summary of a run: what happened, the figures, the verdict. */
import chalk from "chalk";
import type { ScenarioRunResult } from "../scenario/run.js";
import type { TraceEvent } from "../sim/trace.js";
import { formatUs } from "../sim/time.js";
import { finalLine } from "./final-line.js";

const MAX_STORY_LINES = 60;

/** Kernel facts worth a line in any summary. */
function describeKernel(e: TraceEvent): string | null {
  switch (e.type) {
    case "crash":
      return chalk.red(`${String(e["node"])} crashed`);
    case "restart":
      return chalk.green(`${String(e["node"])} restarted from its disk`);
    case "pause":
      return chalk.yellow(`${String(e["node"])} paused${e["forUs"] !== null ? ` for ${formatUs(e["forUs"] as number)}` : ""}`);
    case "resume":
      return chalk.yellow(`${String(e["node"])} resumed (${String(e["queued"])} inputs had queued up)`);
    case "partition":
      return chalk.magenta(`partition ${(e["sides"] as string[][]).map((s) => `{${s.join(",")}}`).join(" | ")}`);
    case "partition-one-way":
      return chalk.magenta(`one-way partition {${(e["from"] as string[]).join(",")}} -/-> {${(e["to"] as string[]).join(",")}}`);
    case "partition-bridge":
      return chalk.magenta(`bridge partition {${(e["left"] as string[]).join(",")}} | ${String(e["bridge"])} | {${(e["right"] as string[]).join(",")}}`);
    case "heal":
      return chalk.magenta("network healed");
    case "disk-loss":
      return chalk.red(`${String(e["node"])} lost ${String(e["lost"])} unsynced record(s) of ${String(e["file"])}${e["fault"] ? ` (${String(e["fault"])})` : ""}`);
    case "violation":
      return chalk.bgRed.white(` VIOLATION ${String(e["invariant"])} `) + chalk.red(` ${String(e["message"])}`);
    default:
      return null;
  }
}

export function collectStory(describe: ((e: TraceEvent) => string | null) | undefined): {
  observer: (e: TraceEvent) => void;
  lines: () => readonly string[];
} {
  const lines: string[] = [];
  let skipped = 0;
  return {
    observer: (e) => {
      const text = describeKernel(e) ?? describe?.(e) ?? null;
      if (text === null) return;
      if (lines.length >= MAX_STORY_LINES && e.type !== "violation") {
        skipped++;
        return;
      }
      lines.push(`${chalk.dim(formatUs(e.t).padStart(9))}  ${text}`);
    },
    lines: () => (skipped > 0 ? [...lines, chalk.dim(`           … ${skipped} more events of note (see the trace)`)] : lines),
  };
}

export function renderSummary(r: ScenarioRunResult, story: readonly string[]): string {
  const s = r.scenario;
  const out: string[] = [];
  out.push(`${chalk.bold(s.name)} ${chalk.dim(`(${s.plugin.name}, seed ${r.seed})`)}`);
  out.push(chalk.dim(s.description));
  out.push("");
  out.push(...story);
  if (story.length > 0) out.push("");
  const metricNames = Object.keys(r.metrics).sort();
  if (metricNames.length > 0) {
    out.push(chalk.bold("figures"));
    for (const k of metricNames) {
      const v = r.metrics[k] as number;
      const shown = /Us(Max|Total|Min|P\d+)?$/.test(k) ? `${formatUs(v)}` : String(v);
      out.push(`  ${k.padEnd(24)} ${shown}`);
    }
    out.push("");
  }
  out.push(chalk.bold("expectations"));
  for (const x of r.expectations) out.push(`  ${x.ok ? chalk.green("✓") : chalk.red("✗")} ${x.text}`);
  out.push(chalk.dim(`  run ended by ${r.summary.reason} at ${formatUs(r.summary.simUs)} after ${r.summary.dispatched} dispatched events`));
  out.push("");
  const line = finalLine(r);
  out.push(line);
  return `${out.join("\n")}\n`;
}
