import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ratio } from "../../src/sim/random.js";
import type { TraceOptions } from "../../src/sim/trace.js";
import { World } from "../../src/sim/world.js";
import { Recorder, inputAt, readTrace, type Cmd } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "zksim-det-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A busy run: echoes, timers, disk, random latency, partitions, crashes, pauses, clock skew. */
function scenario(seed: number, mode: "tcp" | "datagram", trace: TraceOptions = { sink: { kind: "memory" }, lineDigests: true }): World {
  const w = new World({
    seed,
    trace,
    network: { mode, latency: { dist: "bell", minUs: 100, maxUs: 3_000 }, loss: ratio(1, 20), duplicate: ratio(1, 20), breakDetectUs: 500 },
    disk: { fsync: { dist: "uniform", minUs: 200, maxUs: 4_000 } },
  });
  const ids = ["a", "b", "c"];
  for (const id of ids) w.addNode(id, () => new Recorder({ echo: true, drawOnStart: 1, readOnStart: ["log"], timersOnStart: [{ name: "tick", delayUs: 777 }] }));
  for (const id of ids) w.start(id);
  w.setClock("c", 1_234, 50);
  for (let i = 0; i < 60; i++) {
    const from = ids[i % 3] as string;
    const to = ids[(i + 1) % 3] as string;
    inputAt(w, i * 700, from, { op: "burst", to, count: 3 });
    inputAt(w, i * 700 + 1, from, { op: "append", file: "log", value: i });
    if (i % 4 === 0) inputAt(w, i * 700 + 2, from, { op: "fsync", file: "log", tag: `s${i}` });
  }
  w.at(9_000, () => w.partition([["a"], ["b", "c"]]));
  w.at(15_000, () => w.heal());
  w.at(20_000, () => w.crash("b"));
  w.at(26_000, () => w.restart("b"));
  w.at(30_000, () => w.pause("c", 4_000));
  w.run();
  w.end("quiet");
  return w;
}

describe("determinism", () => {
  for (const mode of ["tcp", "datagram"] as const) {
    it(`${mode}: the same seed gives identical trace lines and hash; another seed does not`, () => {
      const one = scenario(7, mode);
      const two = scenario(7, mode);
      expect(two.traceLines()).toEqual(one.traceLines());
      expect(two.traceDigests()).toEqual(one.traceDigests());
      const sha = one.end("quiet").sha256;
      expect(two.end("quiet").sha256).toBe(sha);
      expect(scenario(8, mode).end("quiet").sha256).not.toBe(sha);
      // The run did real work in both modes.
      const ev = readTrace(one);
      expect(ev.filter((e) => e.type === "recv").length).toBeGreaterThan(200);
      expect(ev.filter((e) => e.type === "saw-disk").length).toBeGreaterThan(5);
    });
  }

  it("a file sink replays to the same bytes and hash as the memory sink", () => {
    const path = join(dir, "run.jsonl");
    const mem = scenario(11, "tcp");
    const file = scenario(11, "tcp", { sink: { kind: "file", path } });
    expect(file.end("quiet").sha256).toBe(mem.end("quiet").sha256);
    expect(readFileSync(path, "utf8")).toBe(`${mem.traceLines().join("\n")}\n`);
  });

  it("holds for arbitrary seeds", () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 31 }), (seed) => {
        expect(scenario(seed, "tcp").end("quiet").sha256).toBe(scenario(seed, "tcp").end("quiet").sha256);
      }),
      { numRuns: 8 },
    );
  });

  it("an idle extra node does not shift the network's draws (explicit connect)", () => {
    const build = (withIdle: boolean): string[] => {
      const w = new World({ seed: 5, trace: { sink: { kind: "memory" } }, network: { connect: "explicit", latency: { dist: "uniform", minUs: 1, maxUs: 9_999 } } });
      for (const id of ["a", "b"]) w.addNode(id, () => new Recorder({ drawOnStart: 2 }));
      if (withIdle) w.addNode("idle", () => new Recorder({ drawOnStart: 5 }));
      for (const id of w.nodeIds()) w.start(id);
      inputAt(w, 0, "a", { op: "connect", to: "b" });
      for (let i = 0; i < 30; i++) inputAt(w, 20_000 + i * 10, "a", { op: "send", to: "b" });
      w.run();
      return w.traceLines().filter((l) => !l.includes('"idle"'));
    };
    expect(build(true)).toEqual(build(false));
  });
});

describe("the kernel's ready-made trace lines", () => {
  // Unobserved runs write kernel lines straight from templates; observed runs build event objects
  // and canonicalize them. Both must give the same bytes, or the hash would depend on who watches.
  // Strict mode checks every hand-built line against canonicalLine of its event object.
  function story(observed: boolean): readonly string[] {
    const w = new World({ seed: 5, network: { latency: { dist: "uniform", minUs: 100, maxUs: 900 } }, trace: { sink: { kind: "memory" }, strict: observed } });
    for (const id of ["a", "b", "c"]) w.addNode(id, () => new Recorder({ echo: true }));
    if (observed) w.observe(() => undefined);
    for (const id of ["a", "b", "c"]) w.start(id);
    const cmds: [number, string, Cmd][] = [
      [5_000, "a", { op: "burst", to: "b", count: 5 }],
      [5_000, "a", { op: "connect", to: "c", ch: "zab" }],
      [6_000, "a", { op: "send", to: "c", ch: "zab", n: 1 }],
      [6_000, "b", { op: "timer", name: "tick \"quoted\"", delayUs: 700 }],
      [6_000, "c", { op: "append", file: "log/é", value: { zxid: "0x100000001", data: "ünïcödé" } }],
      [6_000, "c", { op: "fsync", file: "log/é", tag: "t" }],
      [7_000, "a", { op: "send", to: "b", n: 2 }],
    ];
    for (const [t, node, cmd] of cmds) w.at(t, () => w.input(node, cmd));
    w.at(7_100, () => w.partition([["a"], ["b", "c"]]));
    w.at(7_150, () => w.input("b", { op: "send", to: "a", n: 3 }));
    w.at(9_000, () => w.heal());
    w.run({ untilUs: 50_000 });
    w.end("until");
    return w.traceLines();
  }

  it("are byte-identical to the canonical lines of the same events", () => {
    const fast = story(false);
    const canonical = story(true);
    for (const type of ["send", "recv", "drop", "timer", "durable"]) expect(fast.some((l) => l.includes(`"type":"${type}"`))).toBe(true);
    expect(fast.some((l) => l.includes('"ch":"zab"'))).toBe(true);
    expect(fast).toEqual(canonical);
  });
});
