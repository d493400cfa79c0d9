/**
 * `npm run bench`: wall-clock figures for the kernel and the protocols. Prints a table; with
 * `--json`, one JSON object as the last line. Ratios to the bare heap loop measured in the same run
 * make figures comparable on a noisy machine. (The bench harness is allowed to read the host clock.)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { builtinRegistry } from "../scenario/builtins.js";
import { loadScenarioFile } from "../scenario/load.js";
import { runScenario } from "../scenario/run.js";
import { bareHeapLoop, kernelLoop } from "./workloads.js";
import { twopcThroughputScenario } from "./twopc.js";
import { ZK_BENCH_SESSIONS, zkStandaloneOps } from "./zk.js";
import { failoverWallMs, zab3Commits } from "./zab.js";
import { MUTATION_SEEDS_MAX, mutationFigures } from "./mutations.js";
import { FUZZ_MEMORY_DEFAULT_RUNS, fuzzMemory, fuzzMemoryFigures, type FuzzMemorySample } from "./fuzz-memory.js";

const EVENTS = 2_000_000;
const MEMORY_EVENTS = 10_000_000;

function timed<T>(fn: () => T): { value: T; seconds: number } {
  const start = performance.now();
  const value = fn();
  return { value, seconds: (performance.now() - start) / 1000 };
}

/** Best of `n` runs: the least disturbed by the rest of the machine. */
function best(n: number, fn: () => number): number {
  let top = 0;
  for (let i = 0; i < n; i++) top = Math.max(top, fn());
  return top;
}

function memoryChild(): void {
  const dir = mkdtempSync(join(tmpdir(), "zksim-bench-"));
  try {
    const r = kernelLoop(MEMORY_EVENTS, { kind: "file", path: join(dir, "trace.jsonl") });
    const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
    process.stdout.write(`${JSON.stringify({ peakMb, dispatched: r.dispatched, traceEvents: r.traceEvents })}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--memory-child") return memoryChild();
  const json = args.includes("--json");
  if (args.includes("--fuzz-memory")) return fuzzMemoryMode(args, json);
  if (args.includes("--mutations")) return mutationsMode(json);
  const quick = args.includes("--quick");
  const events = quick ? EVENTS / 10 : EVENTS;
  const runs = quick ? 1 : 3;

  bareHeapLoop(events / 4); // warm-up
  kernelLoop(events / 10, false);
  kernelLoop(events / 10, { kind: "none" });
  // Interleaved rounds, best of each: the three loops see the same machine weather, so their
  // ratios mean something even when the machine is busy.
  let bare = 0;
  let kernel = 0;
  let traced = 0;
  for (let round = 0; round < runs; round++) {
    bare = Math.max(bare, events / timed(() => bareHeapLoop(events)).seconds);
    const k = timed(() => kernelLoop(events, false));
    kernel = Math.max(kernel, k.value.dispatched / k.seconds);
    const t = timed(() => kernelLoop(events, { kind: "none" }));
    traced = Math.max(traced, t.value.dispatched / t.seconds);
  }

  const registry = builtinRegistry();
  const scenario = await loadScenarioFile(twopcThroughputScenario(), registry);
  const twopc = best(runs, () => {
    const t = timed(() => runScenario(scenario));
    return (t.value.metrics["commits"] ?? 0) / t.seconds;
  });

  const zkOps = quick ? 3_000 : 30_000;
  zkStandaloneOps(zkOps / 10);
  const zk = best(runs, () => {
    const t = timed(() => zkStandaloneOps(zkOps));
    return t.value / t.seconds;
  });

  // Three servers, 10 closed-loop writers with 10 requests in flight each.
  const zabWrites = quick ? 100 : 1_000;
  zab3Commits(9, 10, zabWrites / 10, 10);
  const zab3 = best(runs, () => {
    const r = zab3Commits(1, 10, zabWrites, 10);
    return r.commits / r.seconds;
  });
  failoverWallMs(9);
  let failover = Number.MAX_SAFE_INTEGER;
  for (let i = 0; i < runs; i++) failover = Math.min(failover, failoverWallMs(1 + i).wallMs);

  // The default ZooKeeper fuzz scenario (3 servers, register clients, nemesis and checkers on) on all
  // cores, as `zksim fuzz` runs it: seeds per wall second, process start-up and the workers' warm-up
  // included. 1,000 seeds (about 20 s) is the shortest campaign whose rate says what an hour gives;
  // over 300 the first seconds of cold code weigh a quarter of the figure.
  const fuzzRuns = quick ? 40 : 1000;
  const fuzzDir = mkdtempSync(join(tmpdir(), "zksim-bench-fuzz-"));
  let fuzzPerS = 0;
  try {
    const bin = fileURLToPath(new URL("../cli/bin.js", import.meta.url));
    const f = timed(() => execFileSync(process.execPath, [bin, "fuzz", "fuzz/zk-fuzz", "--runs", String(fuzzRuns), "--seed-start", "1", "--out", fuzzDir], { encoding: "utf8" }));
    fuzzPerS = fuzzRuns / f.seconds;
  } finally {
    rmSync(fuzzDir, { recursive: true, force: true });
  }

  let peakRssMb = -1;
  if (!quick) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), "--memory-child"], { encoding: "utf8" });
    peakRssMb = (JSON.parse(out.trim().split("\n").pop() as string) as { peakMb: number }).peakMb;
  }

  const figures: Record<string, number> = {
    bare_heap_events_per_s: Math.round(bare),
    kernel_events_per_s: Math.round(kernel),
    traced_events_per_s: Math.round(traced),
    kernel_vs_bare_pct: Math.round((kernel / bare) * 100),
    traced_vs_bare_pct: Math.round((traced / bare) * 100),
    twopc_txns_per_s: Math.round(twopc),
    zk_standalone_ops_per_s: Math.round(zk),
    zab3_commits_per_s: Math.round(zab3),
    failover_wall_ms: Math.round(failover),
    fuzz_runs_per_s: Math.round(fuzzPerS * 10) / 10,
    peak_rss_mb: peakRssMb,
  };
  const rows: [string, string, string][] = [
    ["bare_heap_events_per_s", fmt(figures.bare_heap_events_per_s), "bare binary-heap loop (physical-limit probe)"],
    ["kernel_events_per_s", fmt(figures.kernel_events_per_s), `kernel, sends + timers, trace off (${figures.kernel_vs_bare_pct}% of bare; target >= 50%)`],
    ["traced_events_per_s", fmt(figures.traced_events_per_s), `kernel with canonical JSONL + SHA-256 (${figures.traced_vs_bare_pct}% of bare; target >= 25%)`],
    ["twopc_txns_per_s", fmt(figures.twopc_txns_per_s), "2PC transactions committed per wall second (trace on)"],
    ["zk_standalone_ops_per_s", fmt(figures.zk_standalone_ops_per_s), `ZooKeeper create/setData/getData from ${ZK_BENCH_SESSIONS} closed-loop sessions through the simulated pipeline and disk, trace on (target >= 100,000)`],
    ["zab3_commits_per_s", fmt(figures.zab3_commits_per_s), "3-server ensemble, 10 writers x 10 in flight, commits per wall second, trace on (target >= 20,000)"],
    ["failover_wall_ms", fmt(figures.failover_wall_ms), "3 servers: start and elect, 1000 writes, kill the leader, re-elect: wall ms (target <= 50; real 3.8: ~10,500)"],
    ["fuzz_runs_per_s", String(figures.fuzz_runs_per_s), `scenarios/fuzz/zk-fuzz.yaml, ${fuzzRuns} seeds on all cores, checkers on (target >= 28)`],
    ["peak_rss_mb", quick ? "skipped" : String(peakRssMb), `${MEMORY_EVENTS / 1e6}M-event run, trace streamed to a file (target < 200)`],
  ];
  for (const [k, v, note] of rows) process.stdout.write(`${k.padEnd(24)} ${v.padStart(12)}  ${note}\n`);
  if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** The whole number after `flag` (>= `min`), `fallback` without the flag, or null after a usage message (exit 2). */
function countFlag(args: readonly string[], flag: string, fallback: number, min: number): number | null {
  const at = args.indexOf(flag);
  const text = at < 0 ? String(fallback) : args[at + 1];
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < min) {
    process.stderr.write(`bench: ${flag}: expected a whole number >= ${min}, got ${text === undefined ? "nothing" : `"${text}"`}\n`);
    process.exitCode = 2;
    return null;
  }
  return Number(text);
}

/**
 * `--fuzz-memory [--runs N] [--every K]`: one fuzz worker's heap after a forced GC at 100, 1,000
 * and 10,000 runs (those below N, and N), and every K runs with `--every`.
 */
async function fuzzMemoryMode(args: readonly string[], json: boolean): Promise<void> {
  const runs = countFlag(args, "--runs", FUZZ_MEMORY_DEFAULT_RUNS, 1);
  const every = countFlag(args, "--every", 0, 0);
  if (runs === null || every === null) return;
  if ((globalThis as { gc?: unknown }).gc === undefined) {
    // V8 flags are per process (a Worker's execArgv cannot set them): run again with the GC exposed.
    const child = spawnSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), ...args], { stdio: "inherit" });
    process.exitCode = child.status ?? 1;
    return;
  }
  const mb = (bytes: number): string => (bytes / 1048576).toFixed(1);
  const progress = (s: FuzzMemorySample): void => {
    process.stderr.write(`fuzz-memory: ${s.runs} runs, heap ${mb(s.heapUsedBytes)} MB (old space ${mb(s.oldSpaceBytes)}, code ${mb(s.codeSpaceBytes)}), rss ${mb(s.rssBytes)} MB\n`);
  };
  const r = await fuzzMemory(runs, progress, every);
  const { figures, rows } = fuzzMemoryFigures(r);
  for (const [k, v, note] of rows) process.stdout.write(`${k.padEnd(34)} ${v.padStart(8)}  ${note}\n`);
  if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** `--mutations`: per deliberate bug, the first fuzz seed that catches it, and its shrink. */
async function mutationsMode(json: boolean): Promise<void> {
  const file = fileURLToPath(new URL("../../../scenarios/fuzz/zk-fuzz.yaml", import.meta.url));
  const figures = await mutationFigures(file, (f) => {
    const found = f.seed === null ? `not found in ${MUTATION_SEEDS_MAX} seeds` : `seed ${f.seed} ${f.failure ?? ""}`;
    process.stdout.write(`${f.mutation.padEnd(26)} ${found}; fuzz ${f.fuzzSeconds.toFixed(1)} s, shrink ${f.shrinkSeconds.toFixed(1)} s: ${f.sizes ?? "-"}\n`);
  });
  if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function fmt(n: number | undefined): string {
  return (n ?? 0).toLocaleString("en-US");
}

await main();
