// BUGGIFY in fuzz runs: each seed switches the fault points of the ZooKeeper code on or off (on
// for most), the points fire and the checkers still find nothing, they reach recovery paths the
// same seeds do not reach without them, and a seed run with them replays byte for byte.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { replayCommand } from "../../src/cli/commands.js";
import { EXIT } from "../../src/cli/exit.js";
import { defaultFaultWindowUs, SeedRunner, type FuzzSettings } from "../../src/fuzz/campaign.js";
import { formatSettings, planFaults, toFaults } from "../../src/fuzz/nemesis.js";
import type { SeedOutcome } from "../../src/fuzz/pool.js";
import { loadRepro, writeRepro } from "../../src/fuzz/repro.js";
import { builtinRegistry } from "../../src/scenario/builtins.js";
import { loadScenarioDocument, loadScenarioFile, type Scenario } from "../../src/scenario/load.js";
import { runScenario, type ScenarioRunResult } from "../../src/scenario/run.js";
import { YamlSource } from "../../src/scenario/yaml-source.js";
import type { TraceEvent } from "../../src/sim/trace.js";
import { ZK_BUGGIFY_POINTS } from "../../src/zk/quorum/buggify-points.js";

const ROOT = join(import.meta.dirname, "../..");
const SCENARIO = join(ROOT, "scenarios/fuzz/zk-fuzz.yaml");
const SEEDS = 24;
const registry = builtinRegistry();

/** A seed as `zksim fuzz` runs it (SeedRunner.run): the nemesis's schedule and settings line, its BUGGIFY switch unless `buggify` says otherwise. */
function fuzzRun(s: Scenario, seed: number, opts: { readonly buggify?: boolean; readonly observer?: (e: TraceEvent) => void } = {}): ScenarioRunResult {
  const nodes = s.nodes.filter((n) => n.role !== "client").map((n) => n.id);
  const clients = s.nodes.filter((n) => n.role === "client").map((n) => n.id);
  const plan = planFaults(seed, { nodes, clients, faultWindowUs: defaultFaultWindowUs(s) });
  return runScenario(s, {
    seed,
    faults: [...s.faults, ...toFaults(plan.entries)],
    stopOnViolation: true,
    nemesis: formatSettings(plan.settings),
    buggify: opts.buggify ?? plan.settings.buggify,
    ...(opts.observer !== undefined && { observer: opts.observer }),
  });
}

const io = (): { out: string[]; io: { out: (t: string) => void; err: (t: string) => void } } => {
  const out: string[] = [];
  return { out, io: { out: (t) => out.push(t), err: (t) => out.push(t) } };
};

describe("BUGGIFY in fuzz runs", () => {
  it(`fires many distinct points over ${SEEDS} seeds of zk-fuzz, finds no violation, and reaches paths the same seeds miss without it`, async () => {
    const s = await loadScenarioFile(SCENARIO, registry);
    const seedsPerPoint = new Map<string, number>();
    const on: number[] = [];
    const marksWith: Record<string, number> = {};
    for (let seed = 1; seed <= SEEDS; seed++) {
      const fired = new Set<string>();
      const r = fuzzRun(s, seed, { observer: (e) => e.type === "buggify" && fired.add(String(e["name"])) });
      expect(r.violations.map((v) => `seed ${seed}: ${v.invariant}: ${v.message}`)).toEqual([]);
      expect(r.result, `seed ${seed}`).toBe("pass");
      if (!r.buggify) {
        expect([...fired], `seed ${seed} has BUGGIFY off`).toEqual([]);
        continue;
      }
      on.push(seed);
      for (const name of fired) seedsPerPoint.set(name, (seedsPerPoint.get(name) ?? 0) + 1);
      for (const [mark, n] of Object.entries(r.summary.marks)) marksWith[mark] = (marksWith[mark] ?? 0) + n;
    }
    expect(on.length).toBeGreaterThan(SEEDS / 2);
    expect(on.length).toBeLessThan(SEEDS);
    const names = [...seedsPerPoint.keys()].sort();
    expect(names.filter((n) => !ZK_BUGGIFY_POINTS.includes(n))).toEqual([]);
    expect(names.length, `fired: ${names.join(", ")}`).toBeGreaterThanOrEqual(8);
    expect(names).toEqual(expect.arrayContaining(["zab.leader.commit-delay", "zab.leader.force-snap", "zab.learner.ack-delay", "zk.client.drop-after-write"]));

    // The same seeds without the fault points: fewer SNAP syncs (forceSnapSync) and fewer client
    // reconnects that re-set watches (a connection dropped after a write).
    const marksWithout: Record<string, number> = {};
    for (const seed of on) {
      for (const [mark, n] of Object.entries(fuzzRun(s, seed, { buggify: false }).summary.marks)) marksWithout[mark] = (marksWithout[mark] ?? 0) + n;
    }
    for (const mark of ["zab: SNAP sync", "zk-client: watches re-set on reconnect"]) {
      expect(marksWith[mark] ?? 0, mark).toBeGreaterThan(marksWithout[mark] ?? 0);
    }
  });

  it("replays a seed with BUGGIFY on to the same trace hash, which the fault points changed", async () => {
    const s = await loadScenarioFile(SCENARIO, registry);
    const seed = [1, 2, 3, 4, 5].find((x) => fuzzRun(s, x).buggify) as number;
    const a = fuzzRun(s, seed);
    const b = fuzzRun(s, seed);
    expect(a.buggify).toBe(true);
    expect(b.summary.sha256).toBe(a.summary.sha256);
    expect(b.summary.events).toBe(a.summary.events);
    expect(fuzzRun(s, seed, { buggify: false }).summary.sha256).not.toBe(a.summary.sha256);
  });

  it("writes buggify: true into a failing seed's repro, and zksim replay reproduces it exactly", async () => {
    // The fuzz scenario with a deliberate bug, so that a BUGGIFY seed fails and gets a repro.
    const base = await loadScenarioFile(SCENARIO, registry);
    const doc = { ...base.document, params: { ...(base.document["params"] as Record<string, unknown>), mutations: ["out-of-order-commit"] } };
    const s = await loadScenarioDocument({ yaml: YamlSource.parse(SCENARIO, JSON.stringify(doc)), base: [], dir: dirname(SCENARIO) }, doc, registry);
    const outDir = mkdtempSync(join(tmpdir(), "zksim-buggify-"));
    const settings: FuzzSettings = { scenarioFile: SCENARIO, seedStart: 1, runs: 1, shard: null, faultWindowUs: null, lostTail: false, shrink: false, outDir };
    const runner = new SeedRunner(s, settings, registry);
    let fail: Extract<SeedOutcome, { kind: "fail" }> | null = null;
    for (let seed = 1; seed <= 20 && fail === null; seed++) {
      if (!fuzzRun(s, seed).buggify) continue;
      await runner.run(seed, (o) => {
        if (o.kind === "fail") fail = o;
      });
    }
    if (fail === null) throw new Error("no BUGGIFY seed in 1..20 fails zk-fuzz with out-of-order-commit");
    const f = fail as Extract<SeedOutcome, { kind: "fail" }>;
    expect(f.settings).toMatch(/ buggify=on$/);
    expect(f.repro.buggify).toBe(true);
    expect(f.repro.scenario["nemesis"]).toBe(f.settings);
    writeRepro(f.path, f.repro);
    expect((await loadRepro(f.path, registry)).file.buggify).toBe(true);
    const { out, io: sink } = io();
    expect(await replayCommand(sink, registry, f.path, {})).toBe(EXIT.pass);
    expect(out.join("")).toMatch(/reproduced: trace_sha256 and violations? total-order@\d+/);
    // Replayed without its fault points, the very same seed runs otherwise.
    const loaded = await loadRepro(f.path, registry);
    expect(runScenario(loaded.scenario, { seed: f.seed, stopOnViolation: true, buggify: false }).summary.sha256).not.toBe(f.repro.expected.traceSha256);
  });

  it("honours the settings line of a fuzz seed's scenario document when nothing says otherwise (zksim run of a crash file)", async () => {
    const base = await loadScenarioFile(SCENARIO, registry);
    const withLine = async (line: string): Promise<Scenario> => {
      const doc = { ...base.document, nemesis: line };
      return loadScenarioDocument({ yaml: YamlSource.parse(SCENARIO, JSON.stringify(doc)), base: [], dir: dirname(SCENARIO) }, doc, registry);
    };
    const doc = await withLine("crash=1/16 buggify=on");
    let fired = 0;
    const on = runScenario(doc, { seed: 1, observer: (e) => void (e.type === "buggify" && fired++) });
    expect(on.buggify).toBe(true);
    expect(fired).toBeGreaterThan(0);
    expect(runScenario(await withLine("crash=1/16 buggify=off"), { seed: 1 }).buggify).toBe(false);
    expect(runScenario(base, { seed: 1 }).buggify).toBe(false);
    // An explicit choice (a repro's `buggify`) wins over the line.
    const off = runScenario(doc, { seed: 1, buggify: false });
    expect(off.buggify).toBe(false);
    expect(off.summary.sha256).not.toBe(on.summary.sha256);
  });
});
