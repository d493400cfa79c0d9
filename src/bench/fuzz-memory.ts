/**
 * `npm run bench -- --fuzz-memory [--runs N]`: memory of one fuzz worker as it runs seed after seed
 * of the default fuzz scenario. A worker must keep nothing from one seed to the next, so its heap
 * after a forced GC stays flat whether it has run 100 seeds or 10,000; growth means a leak.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { FuzzSettings } from "../fuzz/campaign.js";
import type { SeedOutcome } from "../fuzz/pool.js";

/** Checkpoints (runs done) at which the worker reports its heap, beside the last run. */
export const FUZZ_MEMORY_CHECKPOINTS = [100, 1_000, 10_000] as const;
export const FUZZ_MEMORY_DEFAULT_RUNS = 10_000;

export interface FuzzMemorySetup {
  readonly settings: FuzzSettings;
  readonly checkpoints: readonly number[];
}

export interface FuzzMemorySample {
  readonly runs: number;
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  readonly oldSpaceBytes: number;
  readonly codeSpaceBytes: number;
  readonly externalBytes: number;
  /** The whole process's resident set (the parent thread included). */
  readonly rssBytes: number;
}

export type FuzzMemoryFromWorker = ({ readonly kind: "sample" } & FuzzMemorySample) | { readonly kind: "outcome"; readonly outcome: SeedOutcome };

export interface FuzzMemoryResult {
  readonly samples: readonly FuzzMemorySample[];
  readonly passed: number;
  /** Seeds that failed (an expectation, e.g. a violation) or crashed, with why: a fuzz campaign would report them. */
  readonly failed: readonly { readonly seed: number; readonly failure: string }[];
  readonly seconds: number;
}

const WORKER_URL = new URL("./fuzz-memory-worker.js", import.meta.url);

/** The default fuzz scenario, the one `fuzz_runs_per_s` runs too. */
function fuzzScenarioFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ["../..", "../../.."]) {
    const p = join(here, up, "scenarios/fuzz/zk-fuzz.yaml");
    if (existsSync(p)) return p;
  }
  throw new Error("scenarios/fuzz/zk-fuzz.yaml is missing");
}

/** Runs seeds 1..runs of scenarios/fuzz/zk-fuzz.yaml in one worker thread, as a fuzz worker does. */
export async function fuzzMemory(runs: number, onSample: (s: FuzzMemorySample) => void = () => {}, everyRuns = 0): Promise<FuzzMemoryResult> {
  const outDir = mkdtempSync(join(tmpdir(), "zksim-bench-fuzz-memory-"));
  const settings: FuzzSettings = { scenarioFile: fuzzScenarioFile(), seedStart: 1, runs, shard: null, faultWindowUs: null, lostTail: false, shrink: false, outDir };
  const every = everyRuns > 0 ? Array.from({ length: Math.floor(runs / everyRuns) }, (_, i) => (i + 1) * everyRuns) : [];
  const checkpoints = [...new Set([...FUZZ_MEMORY_CHECKPOINTS.filter((c) => c < runs), ...every, runs])].sort((a, b) => a - b);
  const setup: FuzzMemorySetup = { settings, checkpoints };
  const samples: FuzzMemorySample[] = [];
  let passed = 0;
  const failed: { seed: number; failure: string }[] = [];
  const start = performance.now();
  try {
    await new Promise<void>((done, fail) => {
      // The worker inherits --expose-gc from this process (V8 flags are per process).
      const w = new Worker(WORKER_URL, { workerData: setup });
      w.on("message", (m: FuzzMemoryFromWorker) => {
        if (m.kind === "sample") {
          const { kind: _kind, ...s } = m;
          samples.push(s);
          onSample(s);
        } else if (m.outcome.kind === "pass") passed++;
        else if (m.outcome.kind === "fail") failed.push({ seed: m.outcome.seed, failure: m.outcome.failure });
        else if (m.outcome.kind === "crash") failed.push({ seed: m.outcome.seed, failure: `crash:${m.outcome.error}` });
      });
      w.on("error", fail);
      w.on("exit", (code) => (code === 0 ? done() : fail(new Error(`fuzz-memory worker exited with code ${code}`))));
    });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return { samples, passed, failed, seconds: (performance.now() - start) / 1000 };
}

const mb = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/** The figures, one key each (`fuzz_heap_mb_at_N`, `fuzz_rss_mb_at_N`), and table rows. */
export function fuzzMemoryFigures(r: FuzzMemoryResult): { figures: Record<string, number>; rows: [string, string, string][] } {
  const figures: Record<string, number> = {};
  const rows: [string, string, string][] = [];
  const first = r.samples.find((s) => s.runs === FUZZ_MEMORY_CHECKPOINTS[0]) ?? r.samples[0];
  const last = r.samples[r.samples.length - 1];
  for (const s of r.samples) {
    figures[`fuzz_heap_mb_at_${s.runs}`] = mb(s.heapUsedBytes);
    figures[`fuzz_rss_mb_at_${s.runs}`] = mb(s.rssBytes);
    const label = s.runs === 0 ? "scenario loaded, no seed run yet" : `after ${s.runs.toLocaleString("en-US")} runs`;
    rows.push([`fuzz_heap_mb_at_${s.runs}`, String(mb(s.heapUsedBytes)), `one fuzz worker's heap after a forced GC, ${label} (old space ${mb(s.oldSpaceBytes)}, code ${mb(s.codeSpaceBytes)}, external ${mb(s.externalBytes)})`]);
    rows.push([`fuzz_rss_mb_at_${s.runs}`, String(mb(s.rssBytes)), `process RSS (parent + worker), ${label}`]);
  }
  if (first !== undefined && last !== undefined && last.runs > first.runs) {
    const perK = (bytes: number): number => Math.round((bytes / 1024 / (last.runs - first.runs)) * 1000);
    const heap = perK(last.heapUsedBytes - first.heapUsedBytes);
    const code = perK(last.codeSpaceBytes - first.codeSpaceBytes);
    figures["fuzz_heap_growth_kb_per_1000_runs"] = heap;
    figures["fuzz_code_growth_kb_per_1000_runs"] = code;
    rows.push(["fuzz_heap_growth_kb_per_1000_runs", String(heap), `heap growth from ${first.runs} to ${last.runs} runs, of which compiled code ${code} KB (the JIT, not seeds' state)`]);
  }
  figures["fuzz_memory_runs_per_s"] = Math.round(((r.passed + r.failed.length) / r.seconds) * 10) / 10;
  figures["fuzz_memory_failures"] = r.failed.length;
  const failures = r.failed.length === 0 ? "" : `: ${r.failed.map((f) => `seed ${f.seed} ${f.failure}`).join(", ")}`;
  rows.push(["fuzz_memory_runs_per_s", String(figures["fuzz_memory_runs_per_s"]), `seeds per wall second in the one worker (${r.passed} passed, ${r.failed.length} failed${failures})`]);
  return { figures, rows };
}
