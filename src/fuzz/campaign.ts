/**
 * A fuzz campaign: seeds [seedStart, seedStart + runs), those of this shard, each run with the
 * nemesis's schedule for that seed and stopping at the first violation. A failure (any expectation
 * failed, e.g. an unexpected violation) becomes a repro file the moment it is found, with its report
 * (`reportDirOf`) beside it, then, unless shrinking is off, a shrunk repro.
 *
 * Sharding: with `--shard I/N`, seed s belongs to shard (s mod N) + 1, so N machines given the same
 * seed range and shards 1/N .. N/N run every seed exactly once between them.
 *
 * Results never depend on the number of workers: a seed's run, repro and shrink are functions of
 * the seed alone, and the summary names the smallest failing seed, not the first one found.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../scenario/errors.js";
import { loadScenarioDocument, type Scenario } from "../scenario/load.js";
import type { ProtocolRegistry } from "../scenario/plugin.js";
import { ReportCollector } from "../report/collector.js";
import { prepareReportDir, writeRunReport } from "../report/write.js";
import { runScenario } from "../scenario/run.js";
import { YamlSource } from "../scenario/yaml-source.js";
import { assert } from "../sim/assert.js";
import { formatSettings, planFaults, toFaults } from "./nemesis.js";
import { runPool, type SeedOutcome, type WorkerSetup } from "./pool.js";
import { makeRepro, writeRepro, type ReproFile } from "./repro.js";
import { failureOf, formatSizes, shrinkRepro } from "./shrink.js";

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

/** Fuzz settings (the scenario schema has no `fuzz:` section yet: they come from CLI flags). */
export interface FuzzSettings {
  /** The scenario file as the user named it (it labels the repro files). */
  readonly scenarioFile: string;
  readonly seedStart: number;
  readonly runs: number;
  readonly shard: Shard | null;
  /** Faults fall in [0, faultWindowUs]; null: 60% of the scenario's run.until. */
  readonly faultWindowUs: number | null;
  /** Let the nemesis arm lost tails (fsynced records lost: a lying disk); see NemesisOptions. */
  readonly lostTail: boolean;
  readonly shrink: boolean;
  readonly outDir: string;
}

export const FAULT_WINDOW_PERCENT = 60;
export const DEFAULT_OUT_DIR = "fuzz-out";

export function defaultFaultWindowUs(s: Scenario): number {
  return Math.floor((s.run.untilUs * FAULT_WINDOW_PERCENT) / 100);
}

/** Parses `I/N`; null with a reason when it is not a shard of N. */
export function parseShard(text: string): Shard | string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return `expected I/N, e.g. 1/4, got "${text}"`;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return `shard ${index}/${count} does not exist: I must be between 1 and N`;
  return { index, count };
}

export const inShard = (seed: number, shard: Shard | null): boolean => shard === null || (seed % shard.count) + 1 === shard.index;

/** The seeds this shard runs, in order. */
export function campaignSeeds(seedStart: number, runs: number, shard: Shard | null): number[] {
  const out: number[] = [];
  for (let s = seedStart; s < seedStart + runs; s++) if (inShard(s, shard)) out.push(s);
  return out;
}

export function reproPath(outDir: string, scenarioName: string, seed: number): string {
  return join(outDir, `${scenarioName}-seed${seed}.json`);
}

/** A run that threw has no trace to pin: it becomes a scenario file with the seed and schedule in it. */
export function crashPath(outDir: string, scenarioName: string, seed: number): string {
  return join(outDir, `${scenarioName}-seed${seed}.crash.yaml`);
}

/** A failure's report directory, beside its repro: `NAME-seedS-report/` (index.html and the rest). */
export function reportDirOf(repro: string): string {
  return `${repro.replace(/\.json$/, "")}-report`;
}

export function shrunkPath(original: string): string {
  return original.replace(/\.json$/, "") + ".shrunk.json";
}

/** Runs single seeds of one scenario; a worker holds one and keeps nothing from seed to seed. */
export class SeedRunner {
  private readonly windowUs: number;
  private readonly nodes: readonly string[];
  private readonly clients: readonly string[];

  constructor(
    private readonly scenario: Scenario,
    private readonly settings: FuzzSettings,
    private readonly registry: ProtocolRegistry,
  ) {
    this.windowUs = settings.faultWindowUs ?? defaultFaultWindowUs(scenario);
    // Clients are partitioned, never crashed or paused: the nemesis faults the system under test.
    this.nodes = scenario.nodes.filter((n) => n.role !== "client").map((n) => n.id);
    this.clients = scenario.nodes.filter((n) => n.role === "client").map((n) => n.id);
  }

  async run(seed: number, report: (o: SeedOutcome) => void): Promise<void> {
    const s = this.scenario;
    const plan = planFaults(seed, { nodes: this.nodes, clients: this.clients, faultWindowUs: this.windowUs, lostTail: this.settings.lostTail });
    const settings = formatSettings(plan.settings);
    const faults = [...s.faults, ...toFaults(plan.entries)];
    // The repro's document spells the schedule out.
    const doc: Record<string, unknown> = {
      ...s.document,
      name: s.name,
      description: `${s.description} [zksim fuzz seed ${seed}]`,
      nemesis: settings,
      faults: [...((s.document["faults"] as unknown[] | undefined) ?? []), ...plan.entries],
    };
    const opts = { seed, faults, stopOnViolation: true, nemesis: settings, buggify: plan.settings.buggify } as const;
    let r: ReturnType<typeof runScenario>;
    try {
      // Checkers are observers: a seed that passes needs no trace line, so none is built or hashed.
      r = runScenario(s, { ...opts, hash: false });
    } catch (e) {
      // An assertion fired: the fuzzer found a bug in zksim itself. `zksim run FILE` re-runs it.
      if (!(e instanceof Error)) throw e;
      const error = `${e.name}: ${e.message.split("\n")[0] ?? ""}`;
      const text = `# zksim fuzz: seed ${seed} of ${s.name} threw ${error}\n# re-run it with: zksim run FILE\n${stringify({ ...doc, seed, run: { ...(doc["run"] as object), stopOnViolation: true } })}`;
      report({ kind: "crash", seed, settings, error, path: crashPath(this.settings.outDir, s.name, seed), text });
      return;
    }
    const failure = failureOf(r);
    if (failure === null) {
      report({ kind: "pass", seed, settings, events: r.summary.events });
      return;
    }
    // The failing run once more, hashed; then through the loader, as `zksim replay` will run it:
    // that must give the very same trace.
    const hashed = runScenario(s, opts);
    assert(hashed.summary.events === r.summary.events, `fuzz seed ${seed}: a hashed run of the seed differs from the first`);
    const loaded = await loadScenarioDocument({ yaml: YamlSource.parse(s.file, JSON.stringify(doc)), base: [], dir: dirname(resolve(s.file)) }, doc, this.registry);
    const path = reproPath(this.settings.outDir, s.name, seed);
    // That run also writes the failure's report (only failures pay for one).
    const reportDir = reportDirOf(path);
    const tracePath = prepareReportDir(reportDir);
    const collector = ReportCollector.forScenario(loaded);
    const again = runScenario(loaded, {
      seed,
      buggify: plan.settings.buggify,
      stopOnViolation: true,
      lineDigests: true,
      sink: { kind: "file", path: tracePath },
      observer: collector.onEvent,
      atEnd: collector.atEnd,
    });
    assert(again.summary.sha256 === hashed.summary.sha256, `fuzz seed ${seed}: the repro's scenario document does not replay its run`);
    writeRunReport(reportDir, tracePath, collector, again, { source: "fuzz" });
    const repro = makeRepro(again, path, "zksim fuzz", { stopOnViolation: true });
    report({ kind: "fail", seed, settings, events: r.summary.events, failure, path, repro });
    if (!this.settings.shrink) return;
    const out = shrunkPath(path);
    const shrunk = await shrinkRepro(repro, path, out, this.registry);
    report({ kind: "shrunk", seed, path: out, repro: shrunk.repro, sizes: formatSizes(shrunk.before, shrunk.after) });
  }
}

export interface CampaignHooks {
  /** Sees every outcome as it arrives (progress, verbose lines); repros are on disk by then. */
  readonly onOutcome?: (o: SeedOutcome) => void;
  /** Asked before each seed is handed out: true ends the campaign early (a time budget). */
  readonly shouldStop?: () => boolean;
}

export interface CampaignSummary {
  readonly runs: number;
  readonly failures: number;
  readonly firstFailingSeed: number | null;
  readonly firstRepro: string | null;
  readonly failing: readonly { readonly seed: number; readonly path: string; readonly failure: string }[];
}

/** The campaign line every `zksim fuzz` ends with; CI greps it. */
export function campaignLine(c: CampaignSummary): string {
  return `runs=${c.runs} failures=${c.failures} first_failing_seed=${c.firstFailingSeed ?? "none"} repro=${c.firstRepro ?? "none"}`;
}

export async function runCampaign(settings: FuzzSettings, workers: number, hooks: CampaignHooks = {}): Promise<CampaignSummary> {
  if (settings.runs < 1) throw InputError.at("--runs", "expected at least 1 run");
  const seeds = campaignSeeds(settings.seedStart, settings.runs, settings.shard);
  mkdirSync(settings.outDir, { recursive: true });
  const failing: { seed: number; path: string; failure: string }[] = [];
  let runs = 0;
  const setup: WorkerSetup = { settings };
  await runPool(setup, seeds, workers, {
    shouldStop: hooks.shouldStop ?? (() => false),
    onOutcome: (o) => {
      if (o.kind === "fail" || o.kind === "shrunk") writeRepro(o.path, o.repro as ReproFile);
      if (o.kind === "crash") writeAtomically(o.path, o.text);
      if (o.kind === "fail") failing.push({ seed: o.seed, path: o.path, failure: o.failure });
      if (o.kind === "crash") failing.push({ seed: o.seed, path: o.path, failure: `crash:${o.error}` });
      if (o.kind !== "shrunk") runs++;
      hooks.onOutcome?.(o);
    },
  });
  failing.sort((a, b) => a.seed - b.seed);
  const first = failing[0];
  return { runs, failures: failing.length, firstFailingSeed: first?.seed ?? null, firstRepro: first?.path ?? null, failing };
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
