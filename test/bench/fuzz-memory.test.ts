// `npm run bench -- --fuzz-memory` (run `npm run build` first): a worker thread runs fuzz seeds and
// reports its heap after a forced GC at each checkpoint; bad flags exit 2 with a message.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fuzzMemoryFigures, type FuzzMemorySample } from "../../src/bench/fuzz-memory.js";
import { ROOT } from "../cli/cli-helpers.js";

const BENCH = join(ROOT, "dist/src/bench/main.js");
const MB = 1024 * 1024;

const sample = (runs: number, heapMb: number, codeMb: number): FuzzMemorySample => ({
  runs,
  heapUsedBytes: heapMb * MB,
  heapTotalBytes: 2 * heapMb * MB,
  oldSpaceBytes: (heapMb - codeMb) * MB,
  codeSpaceBytes: codeMb * MB,
  externalBytes: MB,
  rssBytes: 100 * MB,
});

describe("fuzz-memory figures", () => {
  it("names one heap and one RSS figure per checkpoint, and the growth per 1,000 runs from the 100th", () => {
    const { figures, rows } = fuzzMemoryFigures({ samples: [sample(0, 10, 1), sample(100, 16, 2), sample(1_000, 16.9, 2.45)], passed: 999, failed: [{ seed: 7, failure: "violation:liveness" }], seconds: 100 });
    expect(figures).toEqual({
      fuzz_heap_mb_at_0: 10,
      fuzz_rss_mb_at_0: 100,
      fuzz_heap_mb_at_100: 16,
      fuzz_rss_mb_at_100: 100,
      fuzz_heap_mb_at_1000: 16.9,
      fuzz_rss_mb_at_1000: 100,
      // 0.9 MB over 900 runs, 0.45 MB of it compiled code.
      fuzz_heap_growth_kb_per_1000_runs: 1024,
      fuzz_code_growth_kb_per_1000_runs: 512,
      fuzz_memory_runs_per_s: 10,
      fuzz_memory_failures: 1,
    });
    expect(rows[rows.length - 1]?.[2]).toBe("seeds per wall second in the one worker (999 passed, 1 failed: seed 7 violation:liveness)");
    expect(rows.map((r) => r[0])).toEqual(Object.keys(figures).filter((k) => k !== "fuzz_code_growth_kb_per_1000_runs" && k !== "fuzz_memory_failures"));
  });
});

describe("npm run bench -- --fuzz-memory", () => {
  it("runs the seeds in a worker and ends with the figures as one JSON object", () => {
    const r = spawnSync(process.execPath, [BENCH, "--fuzz-memory", "--runs", "3", "--json"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).toBe(0);
    const last = JSON.parse(r.stdout.trimEnd().split("\n").pop() ?? "{}") as Record<string, number>;
    expect(Object.keys(last)).toEqual(["fuzz_heap_mb_at_0", "fuzz_rss_mb_at_0", "fuzz_heap_mb_at_3", "fuzz_rss_mb_at_3", "fuzz_heap_growth_kb_per_1000_runs", "fuzz_code_growth_kb_per_1000_runs", "fuzz_memory_runs_per_s", "fuzz_memory_failures"]);
    expect(last["fuzz_heap_mb_at_3"]).toBeGreaterThan(last["fuzz_heap_mb_at_0"] ?? Infinity);
    expect(r.stderr).toMatch(/^fuzz-memory: 3 runs, heap [\d.]+ MB/m);
  });

  it("rejects a bad --runs with a message and exit 2, no stack trace", () => {
    const r = spawnSync(process.execPath, [BENCH, "--fuzz-memory", "--runs", "ten"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('bench: --runs: expected a whole number >= 1, got "ten"\n');
  });
});
