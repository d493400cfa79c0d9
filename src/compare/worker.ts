/** A compare worker thread: runs the cases the pool hands it, one at a time. */
// eslint-disable-next-line no-restricted-imports -- the lab runs cases on threads, like the fuzz pool
import { parentPort } from "node:worker_threads";
import { runCase } from "./case.js";
import type { FromCaseWorker, ToCaseWorker } from "./pool.js";

const port = parentPort;
if (port === null) throw new Error("src/compare/worker.ts runs as a worker thread of src/compare/pool.ts");
const post = (m: FromCaseWorker): void => port.postMessage(m);
port.on("message", (m: ToCaseWorker) => {
  if (m.kind === "stop") return port.close();
  runCase(m.spec).then(
    (result) => post({ kind: "result", index: m.index, result }),
    (e: unknown) => post({ kind: "error", index: m.index, message: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
post({ kind: "ready" });
