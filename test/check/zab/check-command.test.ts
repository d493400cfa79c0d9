// `zksim check` over a trace file: the same verdict as the online run, exit codes 0/1/2, bad input
// named by line, and --invariant to pick checkers.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checkCommand } from "../../../src/cli/check-command.js";
import { builtinRegistry } from "../../../src/scenario/builtins.js";
import { InputError } from "../../../src/scenario/errors.js";
import { loadScenarioFile } from "../../../src/scenario/load.js";
import { runScenario } from "../../../src/scenario/run.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const registry = builtinRegistry();

function io(): { out: string[]; io: { out(t: string): void; err(t: string): void } } {
  const out: string[] = [];
  return { out, io: { out: (t) => void out.push(t), err: (t) => void out.push(t) } };
}

async function traceOf(scenario: string): Promise<{ file: string; invariants: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "zksim-check-"));
  const file = join(dir, "trace.jsonl");
  const r = runScenario(await loadScenarioFile(join(ROOT, scenario), registry), { sink: { kind: "file", path: file } });
  return { file, invariants: r.violations.map((v) => `${v.invariant}@${v.eventIndex}`) };
}

describe("zksim check", () => {
  it("finds offline what the run found online, at the same events, and exits 1", async () => {
    const { file, invariants } = await traceOf("scenarios/mutations/skip-trunc.yaml");
    expect(invariants.length).toBeGreaterThan(0);
    const o = io();
    expect(checkCommand(o.io, registry, file, [])).toBe(1);
    const found = o.out.filter((l) => l.startsWith("violation ")).map((l) => /^violation (\S+) at event (\d+)/.exec(l)?.slice(1, 3).join("@"));
    expect(found).toEqual(invariants);
    expect(o.out[o.out.length - 1]).toMatch(/^events=\d+ invariants=\d+ violations=1 result=fail\n$/);
  });

  it("passes a clean run with exit 0, and a mutation's trace when its invariant is not picked", async () => {
    const clean = await traceOf("scenarios/zk-follower-restart-diff.yaml");
    expect(checkCommand(io().io, registry, clean.file, [])).toBe(0);
    const { file } = await traceOf("scenarios/mutations/follower-expires-sessions.yaml");
    expect(checkCommand(io().io, registry, file, ["session-expiry"])).toBe(1);
    expect(checkCommand(io().io, registry, file, ["integrity", "total-order"])).toBe(0);
  });

  it("rejects bad input with a located message: a bad line, no scenario event, an unknown invariant", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zksim-check-"));
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, '{"t":0,"type":"scenario","protocol":"zookeeper","nodes":["s1"]}\n{"t":1,"type":"start"\n');
    expect(() => checkCommand(io().io, registry, bad, [])).toThrow(InputError);
    expect(() => checkCommand(io().io, registry, bad, [])).toThrow(/bad\.jsonl:2:\d+: not JSON/);
    const noTime = join(dir, "no-time.jsonl");
    writeFileSync(noTime, '{"type":"scenario"}\n');
    expect(() => checkCommand(io().io, registry, noTime, [])).toThrow(/no-time\.jsonl:1:1: t: expected "t"/);
    const noScenario = join(dir, "none.jsonl");
    writeFileSync(noScenario, '{"t":0,"type":"start","node":"s1"}\n');
    expect(() => checkCommand(io().io, registry, noScenario, [])).toThrow(/no scenario event/);
    const { file } = await traceOf("scenarios/zk-leader-crash.yaml");
    expect(() => checkCommand(io().io, registry, file, ["no-such-thing"])).toThrow(/unknown invariant "no-such-thing".*prefix-consistency/);
    expect(() => checkCommand(io().io, registry, join(dir, "missing.jsonl"), [])).toThrow(/no such trace file/);
    expect(readFileSync(bad, "utf8")).toContain("start");
  });
});

describe("zksim check, end-of-run checkers", () => {
  it("places a liveness violation at the same event offline as online", async () => {
    const { file, invariants } = await traceOf("scenarios/mutations/no-step-down.yaml");
    expect(invariants[0]).toMatch(/^liveness@/);
    const o = io();
    expect(checkCommand(o.io, registry, file, ["liveness"])).toBe(1);
    const found = o.out.filter((l) => l.startsWith("violation ")).map((l) => /^violation (\S+) at event (\d+)/.exec(l)?.slice(1, 3).join("@"));
    expect(found).toEqual(invariants);
  });
});

describe("zksim check, the ensemble the run traced", () => {
  /** no-step-down with longer limits: the liveness bound is 2 s + (initLimit + syncLimit) x 100 ms. */
  async function limitsTrace(initLimit: number, syncLimit: number, untilMs: number): Promise<{ file: string; invariants: string[]; lines: string[] }> {
    const dir = mkdtempSync(join(tmpdir(), "zksim-check-"));
    const text = readFileSync(join(ROOT, "scenarios/mutations/no-step-down.yaml"), "utf8")
      .replace("initLimit: 10, syncLimit: 5", `initLimit: ${initLimit}, syncLimit: ${syncLimit}`)
      .replace("run: { until: 7s }", `run: { until: ${untilMs}ms }`)
      .replace(/expect:[\s\S]*$/, "");
    const scenario = join(dir, "limits.yaml");
    writeFileSync(scenario, text);
    const file = join(dir, "trace.jsonl");
    const r = runScenario(await loadScenarioFile(scenario, registry), { sink: { kind: "file", path: file } });
    return { file, invariants: r.violations.map((v) => `${v.invariant}@${v.eventIndex}`), lines: readFileSync(file, "utf8").split("\n") };
  }

  function offline(file: string): { code: number; found: string[] } {
    const o = io();
    const code = checkCommand(o.io, registry, file, []);
    return { code, found: o.out.filter((l) => l.startsWith("violation ")).map((l) => /^violation (\S+) at event (\d+)/.exec(l)?.slice(1, 3).join("@") ?? l) };
  }

  it("traces servers, observers, tickTime, initLimit and syncLimit right after the scenario event", async () => {
    const { lines } = await limitsTrace(20, 10, 7_000);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ type: "scenario" });
    expect(lines[1]).toBe('{"t":0,"type":"ensemble","initLimit":20,"observers":[],"servers":["s1","s2","s3"],"syncLimit":10,"tickTimeMs":100}');
  });

  it("judges with the run's initLimit/syncLimit: no liveness verdict before their bound, online or offline", async () => {
    // Healed at 2.5 s, over at 7 s: 4.5 s of quiet, under the 5 s bound of 20/10 (10/5's is 3.5 s).
    const { file, invariants } = await limitsTrace(20, 10, 7_000);
    expect(invariants).toEqual([]);
    expect(offline(file)).toEqual({ code: 0, found: [] });
  });

  it("judges with the run's initLimit/syncLimit: the same liveness violations at the same events once past their bound", async () => {
    const { file, invariants } = await limitsTrace(20, 10, 8_000);
    expect(invariants.length).toBeGreaterThan(0);
    for (const v of invariants) expect(v).toMatch(/^liveness@/);
    expect(offline(file)).toEqual({ code: 1, found: invariants });
  });

  it("falls back to the old guesses (10/5) for a trace without the ensemble event, and says where a bad one is", async () => {
    const { file, lines } = await limitsTrace(20, 10, 7_000);
    // The same run judged as an older trace: the guessed 3.5 s bound has passed, so liveness fires.
    const older = file.replace(/trace\.jsonl$/, "older.jsonl");
    writeFileSync(older, lines.filter((l) => !l.includes('"type":"ensemble"')).join("\n"));
    const guessed = offline(older);
    expect(guessed.code).toBe(1);
    expect(guessed.found.length).toBeGreaterThan(0);
    for (const f of guessed.found) expect(f).toMatch(/^liveness@/);
    const bad = file.replace(/trace\.jsonl$/, "bad.jsonl");
    writeFileSync(bad, lines.map((l) => l.replace('"initLimit":20', '"initLimit":"20"')).join("\n"));
    expect(() => offline(bad)).toThrow(/bad\.jsonl:2:\d+: the ensemble event: "initLimit": expected a positive integer/);
  });
});
