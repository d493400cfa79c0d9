/**
 * `npm start`: the stories the protocols tell best so far, each written as a report. First
 * ZooKeeper's: the leader dies in the middle of a broadcast, the followers elect a new one, the
 * writer fails over, and every write the old leader acknowledged is on every server at the end.
 * Then atomic commit: a coordinator dies after asking everyone to prepare: 2PC participants wait,
 * holding their locks, until it comes back; 3PC participants decide without it; and 3PC's way out
 * breaks atomicity once the network splits at the wrong time.
 */
import chalk from "chalk";
import { join, relative, resolve } from "node:path";
import { ReportCollector } from "../report/collector.js";
import type { ServerTree } from "../report/input.js";
import { prepareReportDir, writeRunReport } from "../report/write.js";
import { loadScenarioFile } from "../scenario/load.js";
import type { ProtocolRegistry } from "../scenario/plugin.js";
import { runScenario, type ScenarioRunResult } from "../scenario/run.js";
import type { TraceEvent } from "../sim/trace.js";
import { formatUs } from "../sim/time.js";
import type { Io } from "./commands.js";
import { EXIT, type ExitCode } from "./exit.js";
import { finalLine } from "./final-line.js";
import { resolveScenario } from "./paths.js";
import { collectStory } from "./summary.js";

/** A path as the user can type it: relative to where they are, unless it lies elsewhere. */
function shown(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel === "" || rel.startsWith("..") ? resolve(p) : rel;
}

/** Where `npm start` writes the reports unless told otherwise (reports/ is ignored by git). */
export const SHOWCASE_DIR = join("reports", "showcase");

const ZK_STORY = { scenario: "zk-showcase", title: "ZooKeeper, the leader crashes mid-broadcast" } as const;

const STORIES = [
  { scenario: "2pc-coordinator-crash", title: "2PC, coordinator crashes after sending PREPARE" },
  { scenario: "3pc-coordinator-crash", title: "3PC, coordinator crashes after sending CanCommit" },
  { scenario: "3pc-partition", title: "3PC, partition right after PreCommit reached one participant" },
] as const;

function verdict(r: ScenarioRunResult): string {
  const m = r.metrics;
  const blocked = m["blockedUsMax"] ?? 0;
  const parts = [`commits ${m["commits"] ?? 0}`, `aborts ${m["aborts"] ?? 0}`, `longest wait holding locks ${formatUs(blocked)}`];
  if ((m["undecided"] ?? 0) > 0) parts.push(chalk.yellow(`${m["undecided"]} still undecided`));
  const v = r.violations[0];
  if (v !== undefined) parts.push(chalk.red(`${v.invariant} violated: ${v.message}`));
  return parts.join(", ");
}

/**
 * What the ZooKeeper story proves: every acknowledged create is on every live server. A create
 * answered ConnectionLoss may or may not have happened; the ones that did are worth a word.
 */
function survival(acked: readonly string[], unsure: readonly string[], trees: readonly ServerTree[]): { readonly text: string; readonly ok: boolean } {
  const up = trees.filter((t) => t.state === "up");
  const has = (t: ServerTree, p: string): boolean => t.entries.some((e) => e.path === p);
  const missing = up.flatMap((t) => acked.filter((p) => !has(t, p)).map((p) => `${p} on ${t.node}`));
  if (missing.length > 0 || up.length === 0) return { text: chalk.red(`acknowledged writes LOST: ${missing.join(", ") || "no live server"}`), ok: false };
  const happened = unsure.filter((p) => up.every((t) => has(t, p)));
  const note = happened.length === 0 ? "" : `; ${happened.join(", ")}, answered ConnectionLoss, committed all the same (a quorum had logged it before the leader died)`;
  return { text: `all ${acked.length} acknowledged creates are on every live server (${up.map((t) => t.node).join(", ")})${note}`, ok: true };
}

export async function showcaseCommand(io: Io, registry: ProtocolRegistry, flags: { readonly report?: string } = {}): Promise<ExitCode> {
  const outDir = flags.report ?? SHOWCASE_DIR;
  const results: ScenarioRunResult[] = [];
  const reports: string[] = [];
  /** Runs one story with its report; `watch` sees the events too. */
  const tell = async (name: string, title: string, watch?: (e: TraceEvent) => void): Promise<{ r: ScenarioRunResult; collector: ReportCollector; dir: string }> => {
    const scenario = await loadScenarioFile(resolveScenario(name), registry);
    const told = collectStory(scenario.plugin.describe?.bind(scenario.plugin));
    const dir = join(outDir, name);
    const tracePath = prepareReportDir(dir);
    const collector = ReportCollector.forScenario(scenario);
    const r = runScenario(scenario, {
      sink: { kind: "file", path: tracePath },
      observer: (e, i) => {
        told.observer(e);
        watch?.(e);
        collector.onEvent(e, i);
      },
      atEnd: collector.atEnd,
    });
    writeRunReport(dir, tracePath, collector, r, { source: "run" });
    results.push(r);
    reports.push(join(dir, "index.html"));
    io.out(`${chalk.bold.cyan(title)} ${chalk.dim(`(zksim run ${name})`)}\n`);
    for (const line of told.lines().slice(0, 34)) io.out(`  ${line}\n`);
    return { r, collector, dir };
  };

  io.out(`${chalk.bold("zksim showcase")}: when the one in charge dies\n\n`);
  const acked: string[] = [];
  const unsure: string[] = [];
  const zk = await tell(ZK_STORY.scenario, ZK_STORY.title, (e) => {
    if (e.type !== "client-complete" || e["op"] !== "create") return;
    if (e["err"] === "ok" && typeof e["value"] === "string") acked.push(e["value"]);
    if (e["err"] === "ConnectionLoss" && typeof e["path"] === "string") unsure.push(e["path"]);
  });
  const kept = survival(acked, unsure, zk.collector.finalTrees ?? []);
  const m = zk.r.metrics;
  io.out(`  ${chalk.bold("=>")} new leader s${m["leader"] ?? "?"} in epoch ${m["epoch"] ?? "?"} after ${formatUs(m["leaderlessUsMax"] ?? 0)} without one; ${kept.text}\n`);
  io.out(`  ${chalk.bold("report:")} ${shown(join(zk.dir, "index.html"))}\n\n`);

  io.out(`${chalk.bold("and atomic commit")}: when the coordinator dies\n\n`);
  for (const story of STORIES) {
    const { r } = await tell(story.scenario, story.title);
    io.out(`  ${chalk.bold("=>")} ${verdict(r)}\n\n`);
  }
  io.out(chalk.bold("what it teaches\n"));
  const [, two, three, split] = results;
  io.out(
    `  ZooKeeper's Zab loses no acknowledged write when its leader dies: a write is acknowledged only once a quorum logged it,\n` +
      `  and the next leader is elected from that quorum, so it has the write and commits it in the new epoch.\n` +
      `  2PC is safe but blocks: its participants held locks for ${formatUs(two?.metrics["blockedUsMax"] ?? 0)} waiting for a coordinator.\n` +
      `  3PC does not block (longest wait ${formatUs(three?.metrics["blockedUsMax"] ?? 0)}), but only while the network behaves:\n` +
      `  under a partition its timeouts decide both ways (${split?.violations.length ?? 0} atomicity violation caught by the checker).\n\n`,
  );
  for (const r of results) io.out(`${r.scenario.name}: ${finalLine(r)}\n`);
  io.out(`\nreports (open in a browser): ${reports.map(shown).join(" ")}\n`);
  return results.every((r) => r.result === "pass") && kept.ok ? EXIT.pass : EXIT.fail;
}
