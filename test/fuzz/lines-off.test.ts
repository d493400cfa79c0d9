import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinRegistry } from "../../src/scenario/builtins.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import { canonicalLine } from "../../src/sim/trace.js";

const ROOT = join(import.meta.dirname, "..", "..");

// The fuzzer's first run of a seed keeps no hash and builds no line; its checkers must still see
// exactly the run a hashed replay sees.
describe("a run with the trace hash off", () => {
  it("shows observers the very events of the hashed run, and finds the same violations", async () => {
    const s = await loadScenarioFile(join(ROOT, "scenarios", "mutations", "commit-without-quorum.yaml"), builtinRegistry());
    const seen = (hash: boolean): { lines: string[]; r: ReturnType<typeof runScenario> } => {
      const lines: string[] = [];
      const r = runScenario(s, { hash, sink: hash ? { kind: "memory" } : { kind: "none" }, observer: (e) => lines.push(canonicalLine(e)) });
      return { lines, r };
    };
    const on = seen(true);
    const off = seen(false);
    expect(on.lines.length).toBeGreaterThan(200);
    expect(off.lines).toEqual(on.lines);
    expect(on.r.lines).toEqual(on.lines);
    expect(off.r.summary.sha256).toBeNull();
    expect(off.r.summary.events).toBe(on.r.summary.events);
    expect(on.r.violations.length).toBeGreaterThan(0);
    expect(off.r.violations.map((v) => `${v.invariant}@${v.eventIndex}`)).toEqual(on.r.violations.map((v) => `${v.invariant}@${v.eventIndex}`));
  });
});
