// Bad input gets `file:line:col: field: message`, exit code 2, and never a stack trace.
import { describe, expect, it } from "vitest";
import { tempDir, writeScenario, zksim } from "./cli-helpers.js";

const GOOD = `description: a 2PC run
protocol: twopc
params:
  participants: 3
faults:
  - at: 50ms
    crash: coord
run:
  until: 1s
`;

function expectBadInput(args: string[], pattern: RegExp): void {
  const r = zksim(args);
  expect(r.stderr).toMatch(pattern);
  expect(r.code).toBe(2);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe("bad input", () => {
  const dir = tempDir();

  it("a good file runs (the cases below differ from it in one place)", () => {
    const r = zksim(["run", writeScenario(dir, "good.yaml", GOOD), "--quiet"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("missing file", () => {
    expectBadInput(["run", `${dir}/nope.yaml`], /nope\.yaml:1:1: no such scenario file/);
  });

  it("YAML syntax error", () => {
    const f = writeScenario(dir, "syntax.yaml", GOOD.replace("  participants: 3", "  participants: [3"));
    expectBadInput(["run", f], /syntax\.yaml:\d+:\d+: YAML syntax error/);
  });

  it("unknown field, with the fields that were expected", () => {
    const f = writeScenario(dir, "unknown.yaml", GOOD.replace("run:", "netwrok: {}\nrun:"));
    expectBadInput(["run", f], /unknown\.yaml:8:1: netwrok: unknown field "netwrok" \(expected one of: .*network/);
  });

  it("wrong type", () => {
    const f = writeScenario(dir, "type.yaml", GOOD.replace("participants: 3", "participants: three"));
    expectBadInput(["run", f], /type\.yaml:4:17: params\.participants: expected number, received string/);
  });

  it("unknown node in a fault", () => {
    const f = writeScenario(dir, "node.yaml", GOOD.replace("crash: coord", "crash: p9"));
    expectBadInput(["run", f], /node\.yaml:7:12: faults\[0\]\.crash: unknown node "p9" \(nodes: coord, p1, p2, p3\)/);
  });

  it("negative time", () => {
    const f = writeScenario(dir, "negative.yaml", GOOD.replace("at: 50ms", "at: -50ms"));
    expectBadInput(["run", f], /negative\.yaml:6:9: faults\[0\]\.at: expected a duration like 250ms/);
  });

  it("missing required field", () => {
    const f = writeScenario(dir, "missing.yaml", GOOD.replace("run:\n  until: 1s\n", ""));
    expectBadInput(["run", f], /missing\.yaml:1:1: run: required field is missing/);
  });

  it("unknown protocol", () => {
    const f = writeScenario(dir, "proto.yaml", GOOD.replace("protocol: twopc", "protocol: fourpc"));
    expectBadInput(["run", f], /proto\.yaml:2:11: protocol: unknown protocol "fourpc" \(known: fastpaxos, multipaxos, paxos, threepc, twopc/);
  });

  it("a fault with two actions", () => {
    const f = writeScenario(dir, "two.yaml", GOOD.replace("crash: coord", "crash: coord\n    restart: coord"));
    expectBadInput(["run", f], /two\.yaml:6:5: faults\[0\]: a fault has one action, this one has crash, restart/);
  });

  it("a bad seed", () => {
    expectBadInput(["run", writeScenario(dir, "seed.yaml", GOOD), "--seed", "-3"], /--seed.*expected a non-negative integer/);
  });

  it("an unknown command", () => {
    expectBadInput(["frobnicate"], /unknown command 'frobnicate'/);
  });

  it("a damaged repro file", () => {
    const f = writeScenario(dir, "repro.json", '{"zksim": "0.1.0", "format": 1, "seed": "x"}');
    expectBadInput(["replay", f], /repro\.json:\d+:\d+: .*damaged repro file/);
  });

  it("a repro from another version names both versions", () => {
    const f = writeScenario(dir, "old.json", '{"zksim": "0.0.1", "format": 1}');
    expectBadInput(["replay", f], /made by zksim 0\.0\.1; this is zksim 0\.1\.0/);
  });
});
