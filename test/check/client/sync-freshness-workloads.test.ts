// sync-freshness reads the servers' zk-request / zk-response lines, not a workload's own events, so
// it judges any client's sync and the read after it: here the zkCli script of zk-stale-read-sync.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checkEvents } from "../../../src/check/checker.js";
import { zookeeperCheckers } from "../../../src/check/client/index.js";
import { shapeOfFact, type EnsembleShape } from "../../../src/check/zab/index.js";
import { builtinRegistry } from "../../../src/scenario/builtins.js";
import { loadScenarioFile } from "../../../src/scenario/load.js";
import { runScenario } from "../../../src/scenario/run.js";
import type { TraceEvent } from "../../../src/sim/trace.js";

const ROOT = resolve(import.meta.dirname, "../../..");

async function scriptedRun(): Promise<{ events: TraceEvent[]; shape: EnsembleShape }> {
  const r = runScenario(await loadScenarioFile(resolve(ROOT, "scenarios/zk-stale-read-sync.yaml"), builtinRegistry()), { sink: { kind: "memory" } });
  const events = (r.lines ?? []).map((l) => JSON.parse(l) as TraceEvent);
  const shape = shapeOfFact(events.find((e) => e.type === "ensemble") as TraceEvent);
  if (typeof shape === "string") throw new Error(shape);
  return { events, shape };
}

const judge = (events: readonly TraceEvent[], shape: EnsembleShape): string[] =>
  checkEvents(zookeeperCheckers(shape, new Set(["sync-freshness"])), events).map((v) => `${v.invariant}@${v.eventIndex}`);

describe("sync-freshness on a scripted client", () => {
  it("accepts cReader's sync /k and get /k, and fires at the get when its answer is made older than the sync's", async () => {
    const { events, shape } = await scriptedRun();
    expect(events.some((e) => e.type === "register-invoke")).toBe(false);
    expect(judge(events, shape)).toEqual([]);
    const synced = events.findIndex((e) => e.type === "zk-response" && e["op"] === "sync");
    const read = events.findIndex((e, i) => i > synced && e.type === "zk-response" && e["op"] === "getData" && e["session"] === events[synced]?.["session"]);
    expect(synced).toBeGreaterThan(0);
    expect(read).toBeGreaterThan(synced);
    // The read before the sync answered at the older zxid: the same answer after it is stale.
    const before = events.find((e, i) => i < synced && e.type === "zk-response" && e["op"] === "getData" && e["session"] === events[synced]?.["session"]);
    expect(before?.["zxid"]).not.toBe(events[read]?.["zxid"]);
    const stale = events.map((e, i) => (i === read ? { ...e, zxid: before?.["zxid"] ?? null } : e));
    expect(judge(stale, shape)).toEqual([`sync-freshness@${read}`]);
  });
});
