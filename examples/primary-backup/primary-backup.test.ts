// The worked example runs on the same runner as the built-in protocols, and its checker can fire.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkEvents } from "../../src/check/checker.js";
import { loadScenarioDocument } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import { YamlSource } from "../../src/scenario/yaml-source.js";
import type { TraceEvent } from "../../src/sim/trace.js";
import { plugin, replicationChecker } from "./protocol.js";

async function scenario() {
  const file = join(import.meta.dirname, "scenario.yaml");
  const yaml = YamlSource.parse(file, readFileSync(file, "utf8"));
  const doc = yaml.toJS() as Record<string, unknown>;
  delete doc["module"]; // the test registers the TypeScript plugin directly
  return loadScenarioDocument({ yaml, base: [], dir: import.meta.dirname }, doc, new Map([[plugin.name, plugin]]));
}

describe("primary-backup example", () => {
  it("acknowledges every write and lets the crashed backup catch up", async () => {
    const r = runScenario(await scenario(), { sink: { kind: "memory" } });
    expect(r.violations).toEqual([]);
    expect(r.result).toBe("pass");
    const events = (r.lines ?? []).map((l) => JSON.parse(l) as TraceEvent);
    const applied2 = events.filter((e) => e.type === "apply" && e["node"] === "backup2").map((e) => e["seq"]);
    expect(applied2).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const acknowledged = events.filter((e) => e.type === "acknowledged").map((e) => e["seq"]);
    expect(acknowledged).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it("stalls acknowledgements while a backup is down (it needs every backup)", async () => {
    const r = runScenario(await scenario(), { sink: { kind: "memory" } });
    const events = (r.lines ?? []).map((l) => JSON.parse(l) as TraceEvent);
    const crashAt = events.find((e) => e.type === "crash")?.t ?? 0;
    const restartAt = events.find((e) => e.type === "restart")?.t ?? 0;
    const during = events.filter((e) => e.type === "acknowledged" && e.t > crashAt + 20_000 && e.t < restartAt);
    expect(during).toEqual([]);
  });

  it("its checker fires on an acknowledgement a backup never applied", () => {
    const events: TraceEvent[] = [
      { t: 1, type: "apply", node: "backup1", seq: 1, value: 5 },
      { t: 2, type: "acknowledged", node: "primary", seq: 1, value: 5 },
    ];
    const found = checkEvents([replicationChecker(["backup1", "backup2"])], events);
    expect(found.map((v) => [v.invariant, v.eventIndex])).toEqual([["acknowledged-durable", 1]]);
  });

  it("its checker fires on a gap in a backup's order", () => {
    const events: TraceEvent[] = [
      { t: 1, type: "apply", node: "backup1", seq: 1, value: 5 },
      { t: 2, type: "apply", node: "backup1", seq: 3, value: 7 },
    ];
    expect(checkEvents([replicationChecker(["backup1"])], events).map((v) => v.invariant)).toEqual(["backup-order"]);
  });
});
