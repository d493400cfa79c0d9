/**
 * `zksim fuzz <scenario> --runs N [--seed-start S] [--workers K] [--shard I/N] [--time-budget SECONDS]
 * [--out DIR] [--no-shrink]`, ending with exactly
 * `runs=N failures=F first_failing_seed=S|none repro=PATH|none` (the smallest failing seed's repro).
 */
import { availableParallelism } from "node:os";
import { InvalidArgumentError } from "commander";
import { campaignLine, campaignSeeds, DEFAULT_OUT_DIR, defaultFaultWindowUs, parseShard, reportDirOf, runCampaign, type Shard } from "../fuzz/campaign.js";
import type { SeedOutcome } from "../fuzz/pool.js";
import { builtinRegistry } from "../scenario/builtins.js";
import { InputError } from "../scenario/errors.js";
import { loadScenarioFile } from "../scenario/load.js";
import type { ProtocolRegistry } from "../scenario/plugin.js";
import { parseDuration } from "../sim/time.js";
import type { Io } from "./commands.js";
import { EXIT, type ExitCode } from "./exit.js";
import { resolveScenario } from "./paths.js";
import { startProgress, Stopwatch } from "./progress.js";

export interface FuzzFlags {
  readonly runs: number;
  readonly seedStart?: number;
  readonly workers?: number;
  readonly shard?: Shard;
  readonly timeBudget?: number;
  readonly out?: string;
  /** Commander's `--no-shrink`: true unless given. */
  readonly shrink: boolean;
  readonly faultWindow?: number;
  readonly lostTail?: boolean;
  readonly verbose?: boolean;
}

/** `--runs`, `--workers`, `--time-budget`: integers of at least 1. */
export function positiveArg(v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)) || Number(v) < 1) throw new InvalidArgumentError("expected an integer of at least 1");
  return Number(v);
}

/** `--observers`: an integer of at least 0. */
export function countArg(v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError("expected an integer of at least 0");
  return Number(v);
}

export function shardArg(v: string): Shard {
  const s = parseShard(v);
  if (typeof s === "string") throw new InvalidArgumentError(s);
  return s;
}

export function durationArg(v: string): number {
  const us = parseDuration(/^\d+$/.test(v) ? `${v}ms` : v);
  if (us === null) throw new InvalidArgumentError("expected a duration like 2400ms or 2s (a bare number is milliseconds)");
  return us;
}

export async function fuzzCommand(io: Io, registry: ProtocolRegistry, scenarioArg: string, flags: FuzzFlags, tty: boolean): Promise<ExitCode> {
  const file = resolveScenario(scenarioArg);
  const scenario = await loadScenarioFile(file, registry);
  // Workers build their own registry: they know the built-in protocols and `module:` ones only.
  if (!builtinRegistry().has(scenario.plugin.name) && typeof scenario.document["module"] !== "string") {
    throw InputError.at(file, `protocol "${scenario.plugin.name}" is registered in this process only; fuzz workers need a built-in protocol or a module: one`);
  }
  const faultWindowUs = flags.faultWindow ?? defaultFaultWindowUs(scenario);
  if (faultWindowUs > scenario.run.untilUs) {
    throw InputError.at("--fault-window", `the fault window (${faultWindowUs}us) is longer than the run (run.until = ${scenario.run.untilUs}us)`);
  }
  const seedStart = flags.seedStart ?? 0;
  const shard = flags.shard ?? null;
  const workers = flags.workers ?? availableParallelism();
  const outDir = flags.out ?? DEFAULT_OUT_DIR;
  const seeds = campaignSeeds(seedStart, flags.runs, shard);
  const shardText = shard === null ? "" : ` shard=${shard.index}/${shard.count} (seed s is in shard (s mod ${shard.count}) + 1)`;
  io.out(
    `fuzz ${scenario.name}: seeds ${seedStart}..${seedStart + flags.runs - 1}${shardText}, ${seeds.length} to run, workers=${workers} fault_window_ms=${Math.floor(faultWindowUs / 1_000)} out=${outDir}${flags.shrink ? "" : " (no shrinking)"}\n`,
  );

  const clock = new Stopwatch();
  const budgetMs = flags.timeBudget === undefined ? null : flags.timeBudget * 1_000;
  const progress = startProgress(seeds.length, io.out, tty, clock);
  let outOfTime = false;
  const onOutcome = (o: SeedOutcome): void => {
    switch (o.kind) {
      case "pass":
        if (flags.verbose) progress.log(`seed=${o.seed} pass events=${o.events} ${o.settings}`);
        return progress.seedDone(false);
      case "fail":
        if (flags.verbose) progress.log(`seed=${o.seed} fail events=${o.events} ${o.settings}`);
        progress.log(`FAIL seed=${o.seed} ${o.failure} repro=${o.path} (zksim replay ${o.path}) report=${reportDirOf(o.path)}/index.html`);
        return progress.seedDone(true);
      case "crash":
        if (flags.verbose) progress.log(`seed=${o.seed} crash ${o.settings}`);
        progress.log(`CRASH seed=${o.seed} ${o.error} (a bug in zksim) scenario=${o.path} (zksim run ${o.path})`);
        return progress.seedDone(true);
      case "shrunk":
        return progress.log(`shrunk seed=${o.seed} ${o.sizes} repro=${o.path}`);
    }
  };
  const summary = await runCampaign(
    { scenarioFile: file, seedStart, runs: flags.runs, shard, faultWindowUs, lostTail: flags.lostTail ?? false, shrink: flags.shrink, outDir },
    workers,
    {
      onOutcome,
      shouldStop: () => {
        outOfTime ||= budgetMs !== null && clock.elapsedMs() >= budgetMs;
        return outOfTime;
      },
    },
  );
  progress.finish();
  if (outOfTime) io.out(`time budget of ${flags.timeBudget}s spent: ${summary.runs} of ${seeds.length} seeds run\n`);
  io.out(`${campaignLine(summary)}\n`);
  return summary.failures === 0 ? EXIT.pass : EXIT.fail;
}
