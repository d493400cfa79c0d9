/**
 * The fuzz worker pool: K worker threads, each loading the scenario itself and running the seeds
 * handed to it one at a time. A worker asks for the next seed only when it is done with the last
 * (run, repro, shrink), so the pool keeps every thread busy and a slow shrink holds up no one.
 */
import { Worker } from "node:worker_threads";
import { InputError, type Located } from "../scenario/errors.js";
import type { FuzzSettings } from "./campaign.js";
import type { ReproFile } from "./repro.js";

/** What a worker starts with (structured-cloned into it). */
export interface WorkerSetup {
  readonly settings: FuzzSettings;
}

/** What a worker reports, per seed: pass, or fail (then maybe shrunk), in that order. */
export type SeedOutcome =
  | { readonly kind: "pass"; readonly seed: number; readonly settings: string; readonly events: number }
  | {
      readonly kind: "fail";
      readonly seed: number;
      readonly settings: string;
      readonly events: number;
      readonly failure: string;
      readonly path: string;
      readonly repro: ReproFile;
    }
  | { readonly kind: "shrunk"; readonly seed: number; readonly path: string; readonly repro: ReproFile; readonly sizes: string }
  /** The run threw: an assertion in the kernel or a protocol, a bug in zksim. `text` is a scenario file that re-runs it. */
  | { readonly kind: "crash"; readonly seed: number; readonly settings: string; readonly error: string; readonly path: string; readonly text: string };

/** Messages from a worker to the pool. */
export type FromWorker =
  | { readonly kind: "ready" }
  | { readonly kind: "outcome"; readonly outcome: SeedOutcome }
  | { readonly kind: "idle" }
  | { readonly kind: "bad-input"; readonly errors: readonly Located[] };

/** Messages from the pool to a worker. */
export type ToWorker = { readonly kind: "seed"; readonly seed: number } | { readonly kind: "stop" };

export interface PoolHooks {
  readonly onOutcome: (o: SeedOutcome) => void;
  readonly shouldStop: () => boolean;
}

/** The compiled worker beside this file (dist/src/fuzz/worker.js). */
const WORKER_URL = new URL("./worker.js", import.meta.url);

export async function runPool(setup: WorkerSetup, seeds: readonly number[], size: number, hooks: PoolHooks): Promise<void> {
  if (seeds.length === 0) return;
  const count = Math.max(1, Math.min(size, seeds.length));
  let next = 0;
  // After one worker fails, the others finish their seed and get no more.
  let aborted = false;
  const handOut = (w: Worker): void => {
    if (!aborted && next < seeds.length && !hooks.shouldStop()) {
      const msg: ToWorker = { kind: "seed", seed: seeds[next++] as number };
      w.postMessage(msg);
    } else {
      const msg: ToWorker = { kind: "stop" };
      w.postMessage(msg);
    }
  };
  const one = (): Promise<void> =>
    new Promise<void>((done, fail) => {
      const w = new Worker(WORKER_URL, { workerData: setup });
      let failed = false;
      const bail = (e: unknown): void => {
        failed = true;
        aborted = true;
        void w.terminate();
        fail(e);
      };
      w.on("message", (m: FromWorker) => {
        try {
          switch (m.kind) {
            case "ready":
            case "idle":
              return handOut(w);
            case "outcome":
              return hooks.onOutcome(m.outcome);
            case "bad-input":
              return bail(new InputError(m.errors));
          }
        } catch (e) {
          bail(e);
        }
      });
      w.on("error", bail);
      w.on("exit", (code) => {
        if (failed) return;
        if (code === 0) done();
        else fail(new Error(`fuzz worker exited with code ${code}`));
      });
    });
  const all = Array.from({ length: count }, one);
  // Settle them all before reporting, so no thread outlives the campaign.
  const results = await Promise.allSettled(all);
  const bad = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (bad !== undefined) throw bad.reason;
}
