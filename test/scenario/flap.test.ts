// A `flap:` fault in the trace: one line for the schedule when it is armed, then every change of
// the link (down, up, each direction) at the time it happens, so a seed explains its own run.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinRegistry } from "../../src/scenario/builtins.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";

const SCENARIO = `description: the link between s1 and s2 flaps for a quarter of a second
protocol: zookeeper
params:
  servers: 3
  config: { tickTime: 100, initLimit: 10, syncLimit: 5 }
faults:
  - { at: 1s, flap: { a: s1, b: s2, period: 100ms, down: 30ms, until: 1250ms } }
run: { until: 2s }
`;

async function flapLines(): Promise<string[]> {
  const file = join(mkdtempSync(join(tmpdir(), "zksim-flap-")), "flap.yaml");
  writeFileSync(file, SCENARIO);
  const r = runScenario(await loadScenarioFile(file, builtinRegistry()), { sink: { kind: "memory" } });
  return (r.lines ?? []).filter((l) => /"type":"(flap|link-down|link-up)"/.test(l));
}

describe("flap faults in the trace", () => {
  it("traces the schedule once, then each change as it happens, both directions, until the flap ends", async () => {
    const lines = await flapLines();
    expect(lines[0]).toBe('{"t":1000000,"type":"flap","a":"s1","b":"s2","downUs":30000,"periodUs":100000,"untilUs":1250000}');
    const changes = lines.slice(1).map((l) => {
      const e = JSON.parse(l) as { t: number; type: string; from: string; to: string };
      return `${e.t / 1000} ${e.type} ${e.from}>${e.to}`;
    });
    expect(changes).toEqual([
      "1000 link-down s1>s2",
      "1000 link-down s2>s1",
      "1030 link-up s1>s2",
      "1030 link-up s2>s1",
      "1100 link-down s1>s2",
      "1100 link-down s2>s1",
      "1130 link-up s1>s2",
      "1130 link-up s2>s1",
      "1200 link-down s1>s2",
      "1200 link-down s2>s1",
      "1230 link-up s1>s2",
      "1230 link-up s2>s1",
    ]);
  });
});
