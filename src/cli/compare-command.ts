/**
 * `zksim compare [--protocols a,b] [--faults x,y] [--seeds K] [--seed-start S] [--nodes N]
 * [--commands C] [--workers W] [--report DIR]`: the protocol lab. Prints a table per fault set and,
 * with --report, writes compare.md, index.html (inline SVG charts) and summary.json. Exit 0 when
 * every case ran (violations are findings the table shows, such as 3PC's split decision), 1 when a
 * case crashed (a bug in zksim), 2 for bad input.
 */
import { availableParallelism } from "node:os";
import { relative } from "node:path";
import { runComparison, rowOf } from "../compare/compare.js";
import { parseOptions, type CompareOptions, type RawOptions } from "../compare/options.js";
import { writeCompareReport } from "../compare/report.js";
import { renderTable } from "../compare/table.js";
import type { Io } from "./commands.js";
import { EXIT, type ExitCode } from "./exit.js";
import { startProgress, Stopwatch } from "./progress.js";

export interface CompareFlags extends RawOptions {
  readonly workers?: number;
  readonly report?: string;
}

export async function compareCommand(io: Io, flags: CompareFlags, tty: boolean): Promise<ExitCode> {
  const parsed = parseOptions(flags);
  if ("errors" in parsed) {
    for (const e of parsed.errors) io.err(`error: ${e}\n`);
    return EXIT.badInput;
  }
  const workers = flags.workers ?? availableParallelism();
  const runnable = parsed.subjects.filter((s) => s.available);
  const total = runnable.length * parsed.faults.length * parsed.seeds;
  io.out(
    `compare ${parsed.subjects.map((s) => s.name).join(",")} under ${parsed.faults.join(",")}: seeds ${parsed.seedStart}..${parsed.seedStart + parsed.seeds - 1}, ${parsed.voters} voters, ${parsed.commands} commands a run, ${total} runs, workers=${workers}\n`,
  );
  const progress = startProgress(total, io.out, tty, new Stopwatch());
  const c = await runComparison(parsed, workers, (o) => {
    if (!o.ok) progress.log(`CRASH ${o.spec.protocol} ${o.spec.fault} seed=${o.spec.seed}: ${o.message.split("\n")[0] ?? ""}`);
    progress.seedDone(!o.ok);
  });
  progress.finish();
  io.out(renderTable(parsed.subjects, parsed.faults, rowOf(c)));
  for (const s of parsed.subjects) if (!s.available) io.out(`${s.title}: not available: ${s.why}\n`);
  if (flags.report !== undefined) {
    writeCompareReport(flags.report, c, commandLine(parsed));
    io.out(`report written to ${relative(process.cwd(), flags.report) || "."}/index.html\n`);
  }
  const violations = c.rows.reduce((n, r) => n + r.violationRuns, 0);
  io.out(`runs=${c.results.length + c.crashes.length} crashes=${c.crashes.length} runs_with_violations=${violations}\n`);
  return c.crashes.length === 0 ? EXIT.pass : EXIT.fail;
}

/** The command that reproduces a comparison (every setting spelled out; the worker count changes nothing). */
export function commandLine(o: CompareOptions): string {
  return [
    "zksim compare",
    `--protocols ${o.subjects.map((s) => s.name).join(",")}`,
    `--faults ${o.faults.join(",")}`,
    `--seeds ${o.seeds}`,
    `--seed-start ${o.seedStart}`,
    `--nodes ${o.voters}`,
    `--commands ${o.commands}`,
  ].join(" ");
}
