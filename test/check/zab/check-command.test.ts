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
