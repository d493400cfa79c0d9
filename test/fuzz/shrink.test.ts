// Shrinking: a 3PC failure found by the fuzzer gets smaller, still fails the same way, and the
// result is the same bytes every time; BUGGIFY goes off when the failure does not need it.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { SeedRunner, campaignSeeds, parseShard, reproPath, type FuzzSettings } from "../../src/fuzz/campaign.js";
import type { SeedOutcome } from "../../src/fuzz/pool.js";
import { makeRepro, type ReproFile } from "../../src/fuzz/repro.js";
import { formatSizes, shrinkRepro } from "../../src/fuzz/shrink.js";
import { builtinRegistry } from "../../src/scenario/builtins.js";
import { loadScenarioDocument, loadScenarioFile } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import { YamlSource } from "../../src/scenario/yaml-source.js";

const ROOT = join(import.meta.dirname, "../..");
const SCENARIO = join(ROOT, "scenarios/fuzz/3pc-fuzz.yaml");
/** A seed the 3PC fuzz scenario fails on (found by `zksim fuzz fuzz/3pc-fuzz --runs 30`). */
const FAILING_SEED = 21;

async function failingRepro(out: string): Promise<{ repro: ReproFile; path: string }> {
  const registry = builtinRegistry();
  const settings: FuzzSettings = { scenarioFile: SCENARIO, seedStart: 0, runs: 1, shard: null, faultWindowUs: null, lostTail: false, shrink: false, outDir: out };
  const runner = new SeedRunner(await loadScenarioFile(SCENARIO, registry), settings, registry);
  const seen: SeedOutcome[] = [];
  await runner.run(FAILING_SEED, (o) => seen.push(o));
  const fail = seen.find((o) => o.kind === "fail");
  if (fail?.kind !== "fail") throw new Error(`seed ${FAILING_SEED} no longer fails 3pc-fuzz; pick another`);
  expect(fail.path).toBe(reproPath(out, "3pc-fuzz", FAILING_SEED));
  return { repro: fail.repro, path: fail.path };
}

describe("shrink", () => {
  it("makes a 3PC failure's schedule smaller, keeps the atomicity violation, and is deterministic", async () => {
    const out = mkdtempSync(join(tmpdir(), "zksim-shrink-"));
    const { repro, path } = await failingRepro(out);
    const registry = builtinRegistry();
    const a = await shrinkRepro(repro, path, join(out, "a.json"), registry);
    const b = await shrinkRepro(repro, path, join(out, "a.json"), registry);
    expect(a.failure).toBe("violation:atomicity");
    expect(a.after.faults).toBeLessThan(a.before.faults);
    expect(a.after.untilUs).toBeLessThan(a.before.untilUs);
    expect(a.repro.expected.violations.map((v) => v.invariant)).toEqual(["atomicity"]);
    expect(JSON.stringify(b.repro)).toBe(JSON.stringify(a.repro));
  });

  it("switches BUGGIFY off when the failure does not need it, and says so", async () => {
    // The out-of-order-commit mutation's story, expected to pass: it fails with total-order, BUGGIFY or not.
    const registry = builtinRegistry();
    const file = join(ROOT, "scenarios/mutations/out-of-order-commit.yaml");
    const story = await loadScenarioFile(file, registry);
    const doc = { ...story.document, nemesis: "crash=0/16 buggify=on", expect: { violations: [] } };
    const s = await loadScenarioDocument({ yaml: YamlSource.parse(file, JSON.stringify(doc)), base: [], dir: dirname(file) }, doc, registry);
    const out = mkdtempSync(join(tmpdir(), "zksim-shrink-"));
    const path = join(out, "ooo.json");
    let fired = 0;
    const r = runScenario(s, { seed: 2, stopOnViolation: true, lineDigests: true, observer: (e) => void (e.type === "buggify" && fired++) });
    expect(r.buggify).toBe(true);
    expect(fired).toBeGreaterThan(0);
    const shrunk = await shrinkRepro(makeRepro(r, path, "test", { stopOnViolation: true }), path, join(out, "ooo.shrunk.json"), registry);
    expect(shrunk.failure).toBe("violation:total-order");
    expect([shrunk.before.buggify, shrunk.after.buggify, shrunk.repro.buggify]).toEqual([true, false, false]);
    expect(shrunk.repro.scenario["nemesis"]).toBe("crash=0/16 buggify=off");
    expect(formatSizes(shrunk.before, shrunk.after)).toMatch(/ buggify=on->off$/);
  });

  it("refuses a repro that passes", async () => {
    const out = mkdtempSync(join(tmpdir(), "zksim-shrink-"));
    const { repro, path } = await failingRepro(out);
    const passing: ReproFile = { ...repro, scenario: { ...repro.scenario, faults: [] } };
    await expect(shrinkRepro(passing, path, join(out, "b.json"), builtinRegistry())).rejects.toThrow(/passes/);
  });
});

describe("shards", () => {
  it("put seed s in shard (s mod N) + 1, so the shards of a range cover it exactly once", () => {
    const all = [1, 2, 3].flatMap((i) => campaignSeeds(10, 20, { index: i, count: 3 }));
    expect(all.sort((x, y) => x - y)).toEqual(campaignSeeds(10, 20, null));
    expect(campaignSeeds(10, 6, { index: 1, count: 3 })).toEqual([12, 15]);
  });

  it("rejects shards that do not exist", () => {
    expect(parseShard("3/2")).toMatch(/does not exist/);
    expect(parseShard("0/2")).toMatch(/does not exist/);
    expect(parseShard("x")).toMatch(/expected I\/N/);
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
  });
});
