import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinRegistry } from "../../../src/scenario/builtins.js";
import { loadScenarioFile } from "../../../src/scenario/load.js";
import { runScenario } from "../../../src/scenario/run.js";
import type { TraceEvent } from "../../../src/sim/trace.js";

const FIXTURES = join(import.meta.dirname, "fixtures");

async function run(name: string): Promise<{ events: TraceEvent[]; r: ReturnType<typeof runScenario> }> {
  const s = await loadScenarioFile(join(FIXTURES, name), builtinRegistry());
  const events: TraceEvent[] = [];
  const r = runScenario(s, { observer: (e) => events.push(e) });
  return { events, r };
}

// Failures zksim fuzz found in long campaigns, kept as their shrunk schedules.
describe("regressions found by the fuzzer", () => {
  it("seed 6881: a follower whose acceptedEpoch write outlives its role leads next with a higher epoch, never a lower one", async () => {
    const { events, r } = await run("fuzz-6881-epoch.yaml");
    expect(r.violations).toEqual([]);
    // The race the schedule exists for: s2's role ended while its acceptedEpoch write was in flight.
    const accepted = events.findIndex((e) => e.type === "zab-epoch" && e.node === "s2" && e.which === "accepted" && e.epoch === 3);
    const shutdown = events.findIndex((e, i) => i > accepted && e.type === "zab-shutdown" && e.node === "s2");
    const durable = events.findIndex((e, i) => i > accepted && e.type === "durable" && e.node === "s2" && e.file === "acceptedEpoch");
    expect(accepted).toBeGreaterThan(0);
    expect(shutdown).toBeGreaterThan(accepted);
    expect(durable).toBeGreaterThan(shutdown);
    // s2 then leads, and the epoch it writes is past the one it accepted.
    const later = events.filter((e, i) => i > durable && e.type === "zab-epoch" && e.node === "s2" && e.which === "accepted").map((e) => e.epoch as number);
    expect(later.length).toBeGreaterThan(0);
    for (const epoch of later) expect(epoch).toBeGreaterThan(3);
  });
});
