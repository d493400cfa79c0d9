// The CLI contract: final lines, exit codes, repro round trips, list and schema.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FINAL_LINE, tempDir, zksim } from "./cli-helpers.js";

describe("zksim run", () => {
  it("ends with the contract line and exit 0 when expectations hold", () => {
    const r = zksim(["run", "2pc-happy"]);
    const last = r.stdout.trim().split("\n").pop() ?? "";
    expect(last).toMatch(FINAL_LINE);
    expect(last).toMatch(/violations=0 result=pass$/);
    expect(r.code).toBe(0);
  });

  it("exits 1 when an expectation fails", () => {
    const dir = tempDir();
    const f = join(dir, "wrong.yaml");
    writeFileSync(f, "description: expects a commit that a NO vote prevents\nprotocol: twopc\nparams: { noVotes: [{ participant: p2, tx: 1 }] }\nrun: { until: 2s }\nexpect:\n  trace: [{ type: decide, node: p1, decision: commit }]\n");
    const r = zksim(["run", f]);
    expect(r.stdout).toMatch(/result=fail$/m);
    expect(r.stdout).toMatch(/✗ trace has \{ type: "decide", node: "p1", decision: "commit" \} \(never seen\)/);
    expect(r.code).toBe(1);
  });

  it("--json prints one object and then the final line", () => {
    const r = zksim(["run", "2pc-happy", "--json"]);
    const [obj, line] = r.stdout.trim().split("\n");
    expect(JSON.parse(obj ?? "{}")).toMatchObject({ scenario: "2pc-happy", protocol: "twopc", result: "pass" });
    expect(line).toMatch(FINAL_LINE);
  });
});

describe("repro and replay", () => {
  it("a repro written by run replays exactly (exit 0)", () => {
    const dir = tempDir();
    const repro = join(dir, "split.json");
    const run = zksim(["run", "3pc-partition", "--quiet", "--repro-out", repro]);
    const replay = zksim(["replay", repro]);
    expect(replay.stdout).toContain(FINAL_LINE.exec(run.stdout)?.[0] ?? "missing");
    expect(replay.stdout).toMatch(/reproduced: trace_sha256 and violation atomicity@\d+ match/);
    expect(replay.code).toBe(0);
  });

  it("a repro whose run differs names the first event where the traces part (exit 1)", () => {
    const dir = tempDir();
    const repro = join(dir, "r.json");
    zksim(["run", "2pc-happy", "--quiet", "--repro-out", repro]);
    const doc = JSON.parse(readFileSync(repro, "utf8")) as { scenario: { faults?: unknown[] } };
    doc.scenario.faults = [{ at: "150ms", crash: "p2" }];
    writeFileSync(repro, JSON.stringify(doc));
    const r = zksim(["replay", repro]);
    expect(r.stdout).toMatch(/NOT reproduced/);
    expect(r.stdout).toMatch(/the traces part at event (\d+)/);
    expect(r.stdout).toMatch(/replay has: \{"t":150000,"type":"crash","node":"p2"\}/);
    expect(r.code).toBe(1);
  });
});

describe("list, schema, help", () => {
  it("list shows every scenario with its protocol and description", () => {
    const r = zksim(["list"]);
    expect(r.stdout).toMatch(/scenarios\/2pc-coordinator-crash\.yaml\s+twopc\s+\S/);
    expect(r.stdout).toMatch(/scenarios\/3pc-partition\.yaml\s+threepc\s+\S/);
    expect(r.code).toBe(0);
  });

  it("schema prints a JSON Schema with each protocol's params", () => {
    const r = zksim(["schema"]);
    const schema = JSON.parse(r.stdout) as Record<string, unknown>;
    const text = JSON.stringify(schema);
    expect(text).toContain('"twopc"');
    expect(text).toContain('"threepc"');
    expect(text).toContain("participants");
    expect(r.code).toBe(0);
  });

  it("--help works everywhere", () => {
    for (const args of [["--help"], ["run", "--help"], ["replay", "--help"], ["list", "--help"]]) {
      const r = zksim(args);
      expect(r.stdout).toMatch(/Usage: zksim/);
      expect(r.code).toBe(0);
    }
  });
});

describe("budgets", () => {
  it("a run that exhausts its event budget fails unless the scenario expects it", () => {
    const dir = tempDir();
    const base = "description: a budget too small for the story\nprotocol: twopc\nparams: { transactions: { count: 5 } }\nrun: { until: 5s, maxEvents: 50 }\n";
    const f = join(dir, "budget.yaml");
    writeFileSync(f, base);
    const r = zksim(["run", f]);
    expect(r.stdout).toMatch(/✗ run ends within its budget \(ended by event-budget/);
    expect(r.code).toBe(1);
    writeFileSync(f, `${base}expect: { endReason: event-budget }\n`);
    expect(zksim(["run", f]).code).toBe(0);
  });
});
