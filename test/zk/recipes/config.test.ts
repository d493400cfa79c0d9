// The configuration service recipe: readers follow a writer through a server restart and a reader's
// session expiry; and the checker failing on stale, inconsistent or unconverged reads.
import { describe, expect, it } from "vitest";
import { checkEvents } from "../../../src/check/checker.js";
import { configChecker } from "../../../src/check/recipes/config.js";
import { configReader, configWriter } from "../../../src/zk/recipes/config-service.js";
import { ev, RecipeWorld, SERVERS, SESSION_MS } from "./harness.js";

const PATH = "/app/config";
const WRITES = 40;

describe("configuration service recipe", () => {
  it("readers never go back, and all end on the last write", () => {
    const reader = configReader({ servers: SERVERS, sessionTimeoutMs: SESSION_MS, configPath: PATH });
    const w = new RecipeWorld(1, [
      ["w1", configWriter({ servers: SERVERS, sessionTimeoutMs: SESSION_MS, configPath: PATH, writes: WRITES, intervalMs: 1500 })],
      ["r1", reader],
      ["r2", reader],
      ["r3", reader],
    ]);
    w.run(90_000, { crashAtMs: 12_000, downMs: 2000, isolate: "r2", isolateAtMs: 25_000, isolateMs: 20_000 });
    expect(w.check(configChecker())).toEqual([]);
    const written = w.of("config-written").map((e) => e["version"] as number);
    expect(written.length).toBeGreaterThan(WRITES - 3);
    const last = Math.max(...written);
    for (const id of ["r1", "r2", "r3"]) {
      const seen = w.of("config-seen", id);
      expect(seen.length).toBeGreaterThan(20);
      expect(seen[seen.length - 1]?.["version"]).toBe(last);
    }
    expect(w.of("recipe-expired", "r2")).toHaveLength(1);
  });
});

describe("config checker", () => {
  const seen = (t: number, node: string, session: string, version: number, value = `v${version}`) => ev(t, "config-seen", node, { path: PATH, version, value, session });
  const written = (t: number, version: number, value = `v${version}`) => ev(t, "config-written", "w1", { path: PATH, version, value });

  it("flags a reader going back within its session", () => {
    const bad = [written(1, 1), written(2, 2), seen(3, "r1", "0x1", 2), seen(4, "r1", "0x1", 1), seen(5, "r1", "0x1", 2)];
    expect(checkEvents([configChecker()], bad).map((v) => [v.invariant, v.eventIndex])).toEqual([["config-monotonic", 3]]);
    // A new session may start from anywhere.
    expect(checkEvents([configChecker()], [written(1, 1), written(2, 2), seen(3, "r1", "0x1", 2), seen(4, "r1", "0x2", 1), seen(5, "r1", "0x2", 2)])).toEqual([]);
  });

  it("flags one version with two values", () => {
    const bad = [written(1, 1, "a"), seen(2, "r1", "0x1", 1, "b")];
    expect(checkEvents([configChecker()], bad).map((v) => v.invariant)).toEqual(["config-version-value"]);
  });

  it("flags a reader that never caught up with the last write", () => {
    const bad = [written(1, 1), seen(2, "r1", "0x1", 1), written(3, 2), seen(4, "r2", "0x2", 2)];
    const v = checkEvents([configChecker()], bad);
    expect(v.map((x) => [x.invariant, x.nodes])).toEqual([["config-converges", ["r1"]]]);
  });
});
