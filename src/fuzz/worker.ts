/**
 * A fuzz worker thread: loads the scenario itself, then runs the seeds the pool hands it, one at a
 * time. Nothing but the loaded scenario survives from one seed to the next, so memory stays flat.
 */
import { parentPort, workerData } from "node:worker_threads";
import { builtinRegistry } from "../scenario/builtins.js";
import { InputError } from "../scenario/errors.js";
import { loadScenarioFile } from "../scenario/load.js";
import { SeedRunner } from "./campaign.js";
import type { FromWorker, ToWorker, WorkerSetup } from "./pool.js";

async function serve(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("src/fuzz/worker.ts runs as a worker thread of src/fuzz/pool.ts");
  const post = (m: FromWorker): void => port.postMessage(m);
  const setup = workerData as WorkerSetup;
  const registry = builtinRegistry();
  let runner: SeedRunner;
  try {
    runner = new SeedRunner(await loadScenarioFile(setup.settings.scenarioFile, registry), setup.settings, registry);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    post({ kind: "bad-input", errors: e.errors });
    return;
  }
  port.on("message", (m: ToWorker) => {
    if (m.kind === "stop") {
      port.close();
      return;
    }
    runner.run(m.seed, (outcome) => post({ kind: "outcome", outcome })).then(
      () => post({ kind: "idle" }),
      (e: unknown) => {
        // Rethrown outside the promise, so the pool sees the worker's `error` event with its stack.
        process.nextTick(() => {
          throw e;
        });
      },
    );
  });
  post({ kind: "ready" });
}

void serve();
