import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { NodeContext } from "../../src/sim/node.js";
import { Stream } from "../../src/sim/random.js";
import type { TraceEvent } from "../../src/sim/trace.js";
import { World } from "../../src/sim/world.js";
import { handlerEvents, inputAt, ofType, readTrace, recorderWorld, startAll } from "./helpers.js";

const FIXED = { dist: "fixed", minUs: 100, maxUs: 100 } as const;

const indexOf = (ev: readonly TraceEvent[], type: string, node: string, nth = 0): number => {
  const hits = ev.flatMap((e, i) => (e.type === type && e["node"] === node ? [i] : []));
  const i = hits[nth];
  if (i === undefined) throw new Error(`no ${type} #${nth} for ${node}`);
  return i;
};

describe("crash and restart", () => {
  it("a timer set before a crash never fires after the restart", () => {
    const w = recorderWorld({ seed: 1 }, ["a"]);
    w.start("a");
    inputAt(w, 0, "a", { op: "timer", name: "t", delayUs: 1_000 });
    inputAt(w, 0, "a", { op: "timer", name: "u", delayUs: 5_000 });
    w.at(500, () => w.crash("a"));
    w.at(600, () => w.restart("a"));
    // The new incarnation's own timer of the same name fires, at its own time, once.
    inputAt(w, 700, "a", { op: "timer", name: "u", delayUs: 50 });
    w.run();
    const ev = readTrace(w);
    expect(ofType(ev, "timer").map((e) => [e["name"], e.t])).toEqual([["u", 750]]);
    expect(ofType(ev, "saw-timer").map((e) => [e["name"], e.t])).toEqual([["u", 750]]);
  });

  it("restart calls onStart with recovered and counts incarnations", () => {
    const w = recorderWorld({ seed: 2 }, ["a"]);
    w.start("a");
    w.crash("a");
    w.crash("a"); // no-op
    w.restart("a");
    w.restart("a"); // no-op: alive
    w.crash("a");
    w.start("a");
    const ev = readTrace(w);
    expect(ev.filter((e) => ["start", "restart", "crash"].includes(e.type)).map((e) => [e.type, e["inc"] ?? null])).toEqual([
      ["start", 1],
      ["crash", null],
      ["restart", 2],
      ["crash", null],
      ["restart", 3],
    ]);
    expect(ofType(ev, "saw-start").map((e) => e["how"])).toEqual(["fresh", "recovered", "recovered"]);
  });

  it("the node's random stream continues across restarts (not replayed)", () => {
    const w = recorderWorld({ seed: 3 }, ["a", "b"], { drawOnStart: 3 });
    startAll(w);
    w.crash("a");
    w.restart("a");
    inputAt(w, 10, "a", { op: "draw", count: 2 });
    w.run();
    const ev = readTrace(w);
    const drawn = ofType(ev, "drew", "a").flatMap((e) => e["values"] as number[]);
    const reference = new Stream(3, "node/a");
    expect(drawn).toEqual(Array.from({ length: 8 }, () => reference.u32()));
    // b's stream is its own, untouched by a's draws and restarts.
    const b = new Stream(3, "node/b");
    expect(ofType(ev, "drew", "b")[0]?.["values"]).toEqual([b.u32(), b.u32(), b.u32()]);
  });

  it("messages in flight to a crashed node are dropped as node-down; inputs to it are lost", () => {
    const w = recorderWorld({ seed: 4, network: { latency: FIXED } }, ["a", "b"]);
    startAll(w);
    inputAt(w, 1_000, "a", { op: "burst", to: "b", count: 3 });
    w.at(1_050, () => w.crash("b"));
    inputAt(w, 1_060, "b", { op: "now" });
    w.run();
    const ev = readTrace(w);
    expect(ofType(ev, "drop").map((e) => [e.t, e["to"], e["reason"]])).toEqual([
      [1_100, "b", "node-down"],
      [1_100, "b", "node-down"],
      [1_100, "b", "node-down"],
    ]);
    expect(ofType(ev, "input", "b").map((e) => e["lost"])).toEqual([true]);
    expect(ofType(ev, "saw-input", "b")).toEqual([]);
  });

  it("a node object that outlives its crash cannot act", () => {
    const w = new World({ seed: 5, trace: { sink: { kind: "memory" } } });
    const contexts: NodeContext[] = [];
    w.addNode("a", () => ({
      onStart(ctx) {
        contexts.push(ctx);
      },
      onMessage() {},
    }));
    w.addNode("b", () => ({ onStart() {}, onMessage() {} }));
    startAll(w);
    w.crash("a");
    w.restart("a");
    const old = contexts[0] as NodeContext;
    expect(() => old.send("b", { type: "x" })).toThrow(/acted after it crashed/);
    expect(() => old.setTimer("t", 5)).toThrow(/acted after it crashed/);
    expect(() => old.connect("b")).toThrow(/acted after it crashed/);
    expect(() => (contexts[1] as NodeContext).setTimer("t", 5)).not.toThrow();
  });

  it("setTimer re-arms, cancelTimer cancels, hasTimer reports", () => {
    const w = new World({ seed: 6, trace: { sink: { kind: "memory" } } });
    const seen: string[] = [];
    w.addNode("a", () => ({
      onStart(ctx) {
        ctx.setTimer("x", 1_000);
        ctx.setTimer("y", 2_000);
        ctx.setTimer("z", 10);
        seen.push(`has:${ctx.hasTimer("x")}:${ctx.hasTimer("nope")}`);
      },
      onMessage() {},
      onTimer(ctx, name) {
        seen.push(`${name}@${ctx.now()}:${ctx.hasTimer(name)}`);
        if (name === "z") {
          ctx.setTimer("x", 3_000); // re-armed: fires at 3010 only
          ctx.cancelTimer("y");
        }
      },
    }));
    w.start("a");
    w.run();
    expect(seen).toEqual(["has:true:false", "z@10:false", "x@3010:false"]);
  });
});

describe("pause", () => {
  it("defers deliveries, timers and disk notices until resume, then runs them in their original order", () => {
    const w = recorderWorld({ seed: 7, network: { latency: FIXED }, disk: { fsync: { dist: "fixed", minUs: 300, maxUs: 300 } } }, ["a", "b"]);
    startAll(w);
    inputAt(w, 1_000, "a", { op: "timer", name: "x", delayUs: 500 }); // due 1500
    inputAt(w, 1_000, "a", { op: "append", file: "log", value: 1 });
    inputAt(w, 1_000, "a", { op: "fsync", file: "log", tag: "s" }); // durable 1300
    w.at(1_000, () => w.pause("a", 1_000));
    inputAt(w, 1_100, "b", { op: "send", to: "a", n: 0 }); // arrives 1200
    inputAt(w, 1_300, "b", { op: "send", to: "a", n: 1 }); // arrives 1400
    inputAt(w, 1_600, "b", { op: "send", to: "a", n: 2 }); // arrives 1700
    w.at(1_500, () => expect(w.isPaused("a")).toBe(true));
    w.run();
    const ev = readTrace(w);
    const pauseAt = indexOf(ev, "pause", "a");
    const resumeAt = indexOf(ev, "resume", "a");
    expect([ev[pauseAt]?.t, ev[resumeAt]?.t, ev[resumeAt]?.["queued"]]).toEqual([1_000, 2_000, 5]);
    expect(handlerEvents(ev, "a", pauseAt, resumeAt)).toEqual([]);
    // The device finished the write during the pause: durable at 1300, noticed after resume.
    expect(ofType(ev, "durable", "a").map((e) => e.t)).toEqual([1_300]);
    const after = handlerEvents(ev, "a", resumeAt, ev.length).map((e) => [e.t, e.type, e["n"] ?? e["name"] ?? e["tag"]]);
    expect(after).toEqual([
      [2_000, "saw-msg", 0],
      [2_000, "saw-disk", "s"],
      [2_000, "saw-msg", 1],
      [2_000, "saw-timer", "x"],
      [2_000, "saw-msg", 2],
    ]);
    expect(w.isPaused("a")).toBe(false);
  });

  it("a crash during a pause drops what was deferred; the restart is not paused", () => {
    const w = recorderWorld({ seed: 8, network: { latency: FIXED } }, ["a", "b"]);
    startAll(w);
    w.at(1_000, () => w.pause("a"));
    inputAt(w, 1_000, "b", { op: "send", to: "a" });
    w.at(1_500, () => w.crash("a"));
    w.at(1_600, () => w.restart("a"));
    w.at(1_700, () => w.resume("a")); // no-op: not paused
    w.run();
    const ev = readTrace(w);
    expect(ofType(ev, "saw-msg", "a")).toEqual([]);
    expect(ofType(ev, "resume")).toEqual([]);
    expect(w.isPaused("a")).toBe(false);
  });

  // Regression test for a fixed bug (src/sim/world.ts, World.resume). What used to happen: deferred events are pushed back into the queue at the
  // current time with fresh sequence numbers, so any event already queued for that same microsecond
  // runs first, even one that would originally have come later. Here m1 reaches the paused node at
  // 1450 and m2 (same connection) at 1500, the resume time: after resume, m2 is delivered before m1,
  // breaking TCP FIFO and the "original order" of a pause. resume should dispatch the deferred events
  // before anything else (e.g. inline, in order), not re-queue them behind same-time events.
  it("resume keeps FIFO with a message arriving at the very resume time", () => {
    const w = recorderWorld({ seed: 9, network: { latency: FIXED } }, ["a", "b"]);
    startAll(w);
    w.at(1_000, () => w.pause("a", 500)); // resume queued at t=1000 for 1500
    inputAt(w, 1_350, "b", { op: "send", to: "a", n: 1 }); // arrives 1450: deferred
    inputAt(w, 1_400, "b", { op: "send", to: "a", n: 2 }); // arrives 1500, queued after the resume
    w.run();
    expect(ofType(readTrace(w), "saw-msg", "a").map((e) => e["n"])).toEqual([1, 2]);
  });

  // Regression test for a fixed bug (src/sim/world.ts, World.input). What used to happen: input() calls onInput on a paused node at once, so a
  // stop-the-world-paused server handles a client request. It should defer the input like a
  // delivery (or report it lost).
  it("no handler runs for a paused node, including outside inputs", () => {
    const w = recorderWorld({ seed: 10 }, ["a"]);
    w.start("a");
    w.at(1_000, () => w.pause("a", 1_000));
    inputAt(w, 1_500, "a", { op: "now" });
    w.run();
    const ev = readTrace(w);
    expect(handlerEvents(ev, "a", indexOf(ev, "pause", "a"), indexOf(ev, "resume", "a"))).toEqual([]);
  });

  // Regression test for a fixed semantic (src/sim/world.ts, World.pause with durationUs). What used to happen: the timed resume is an anonymous
  // call that is never cancelled, so it ends any later pause of the node (after a manual resume, or
  // after a crash and restart), cutting that pause short.
  it("a timed pause's resume does not end a later pause", () => {
    const w = recorderWorld({ seed: 11 }, ["a"]);
    w.start("a");
    w.pause("a", 1_000);
    w.at(100, () => w.resume("a"));
    w.at(200, () => w.pause("a"));
    w.run({ untilUs: 1_500 });
    expect(w.isPaused("a")).toBe(true);
  });
});

describe("clocks", () => {
  it("skew and drift are visible in ctx.now()", () => {
    const w = recorderWorld({ seed: 12 }, ["a", "b"]);
    startAll(w);
    w.setClock("a", 5_000);
    w.setClock("b", -300, 1_000); // +1000 ppm
    inputAt(w, 2_000_000, "a", { op: "now" });
    inputAt(w, 2_000_000, "b", { op: "now" });
    w.run();
    const ev = readTrace(w);
    expect(ofType(ev, "saw-now").map((e) => [e["node"], e["local"]])).toEqual([
      ["a", 2_005_000],
      ["b", 2_000_000 - 300 + 2_000],
    ]);
    expect(ofType(ev, "clock").map((e) => [e["node"], e["skewUs"], e["driftPpm"]])).toEqual([
      ["a", 5_000, 0],
      ["b", -300, 1_000],
    ]);
  });

  it("timer delays follow local time: they fire after delayUs of the node's clock", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: -900_000, max: 1_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (skew, drift, atUs, delayUs) => {
          const w = recorderWorld({ seed: 13 }, ["a"]);
          w.start("a");
          w.setClock("a", skew, drift);
          inputAt(w, atUs, "a", { op: "timer", name: "x", delayUs });
          w.run();
          const ev = readTrace(w);
          const set = ofType(ev, "set-timer")[0] as TraceEvent;
          const fired = ofType(ev, "saw-timer")[0] as TraceEvent;
          const elapsed = (fired["local"] as number) - (set["local"] as number);
          expect(elapsed).toBeGreaterThanOrEqual(delayUs);
          expect(elapsed).toBeLessThanOrEqual(delayUs + 2);
          if (drift > 0) expect(fired.t - set.t).toBeLessThanOrEqual(delayUs);
          if (drift < 0) expect(fired.t - set.t).toBeGreaterThanOrEqual(delayUs);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rejects non-integer skew or drift and drift at or below -100%", () => {
    const w = recorderWorld({ seed: 14 }, ["a"]);
    expect(() => w.setClock("a", 0.5)).toThrow(/integers/);
    expect(() => w.setClock("a", 0, 1.5)).toThrow(/integers/);
    expect(() => w.setClock("a", 0, -1_000_000)).toThrow(/integers/);
  });
});
