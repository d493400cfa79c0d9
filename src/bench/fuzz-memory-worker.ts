/**
 * The fuzz-memory bench's worker thread: it runs seeds exactly as a fuzz worker does (one
 * `SeedRunner` for the loaded scenario, seeds one after another, outcomes posted to the parent),
 * and at each checkpoint forces a full GC and posts what the heap still holds. Whatever a seed
 * leaves behind shows up as growth from one checkpoint to the next. Its process runs with `--expose-gc`.
 */
import { getHeapSpaceStatistics, getHeapStatistics } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";
import { SeedRunner, type FuzzSettings } from "../fuzz/campaign.js";
import { builtinRegistry } from "../scenario/builtins.js";
import { loadScenarioFile } from "../scenario/load.js";
import type { FuzzMemoryFromWorker, FuzzMemorySetup } from "./fuzz-memory.js";

function forcedGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("the fuzz-memory worker needs a process started with --expose-gc");
  // Twice: the first pass may only queue finalizers and weak callbacks that free more.
  gc();
  gc();
}

async function serve(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("src/bench/fuzz-memory-worker.ts runs as a worker thread of src/bench/fuzz-memory.ts");
  const post = (m: FuzzMemoryFromWorker): void => port.postMessage(m);
  const setup = workerData as FuzzMemorySetup;
  const settings: FuzzSettings = setup.settings;
  const registry = builtinRegistry();
  const runner = new SeedRunner(await loadScenarioFile(settings.scenarioFile, registry), settings, registry);
  const sample = (runs: number): void => {
    forcedGc();
    const heap = getHeapStatistics();
    const spaces = getHeapSpaceStatistics();
    const used = (name: string): number => spaces.find((x) => x.space_name === name)?.space_used_size ?? 0;
    const mem = process.memoryUsage();
    post({
      kind: "sample",
      runs,
      heapUsedBytes: heap.used_heap_size,
      heapTotalBytes: heap.total_heap_size,
      // Compiled code grows as the JIT meets new paths; objects a seed left behind stay in old space.
      oldSpaceBytes: used("old_space") + used("large_object_space"),
      codeSpaceBytes: used("code_space") + used("code_large_object_space"),
      externalBytes: heap.external_memory,
      rssBytes: mem.rss,
    });
  };
  sample(0);
  const checkpoints = new Set(setup.checkpoints);
  for (let i = 0; i < settings.runs; i++) {
    // As the pool does: each outcome is structured-cloned to the parent thread.
    await runner.run(settings.seedStart + i, (outcome) => post({ kind: "outcome", outcome }));
    if (checkpoints.has(i + 1)) sample(i + 1);
  }
  port.close();
}

void serve();
