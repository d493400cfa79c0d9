/**
 * The lab's worker threads: each takes one case at a time and sends back its result. Results are
 * put back in case order, so the comparison never depends on the number of workers.
 */
// eslint-disable-next-line no-restricted-imports -- the lab runs cases on threads, like the fuzz pool
import { Worker } from "node:worker_threads";
import type { CaseResult, CaseSpec } from "./case.js";

/** From a worker to the pool. */
export type FromCaseWorker =
  | { readonly kind: "ready" }
  | { readonly kind: "result"; readonly index: number; readonly result: CaseResult }
  | { readonly kind: "error"; readonly index: number; readonly message: string };

/** From the pool to a worker. */
export type ToCaseWorker = { readonly kind: "case"; readonly index: number; readonly spec: CaseSpec } | { readonly kind: "stop" };

export type CaseOutcome = { readonly ok: true; readonly result: CaseResult } | { readonly ok: false; readonly spec: CaseSpec; readonly message: string };

/** The compiled worker beside this file (dist/src/compare/worker.js). */
const WORKER_URL = new URL("./worker.js", import.meta.url);

export async function runOnWorkers(specs: readonly CaseSpec[], size: number, onDone: (o: CaseOutcome) => void): Promise<CaseOutcome[]> {
  if (specs.length === 0) return [];
  const out: (CaseOutcome | undefined)[] = new Array<CaseOutcome | undefined>(specs.length).fill(undefined);
  let next = 0;
  const one = (): Promise<void> =>
    new Promise<void>((done, fail) => {
      const w = new Worker(WORKER_URL);
      const handOut = (): void => {
        const msg: ToCaseWorker = next < specs.length ? { kind: "case", index: next, spec: specs[next++] as CaseSpec } : { kind: "stop" };
        w.postMessage(msg);
      };
      w.on("message", (m: FromCaseWorker) => {
        if (m.kind !== "ready") {
          const o: CaseOutcome = m.kind === "result" ? { ok: true, result: m.result } : { ok: false, spec: specs[m.index] as CaseSpec, message: m.message };
          out[m.index] = o;
          onDone(o);
        }
        handOut();
      });
      w.on("error", fail);
      w.on("exit", (code) => (code === 0 ? done() : fail(new Error(`compare worker exited with code ${code}`))));
    });
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(size, specs.length)) }, one));
  const bad = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (bad !== undefined) throw bad.reason;
  return out.map((o, i) => o ?? { ok: false, spec: specs[i] as CaseSpec, message: "never run" });
}
