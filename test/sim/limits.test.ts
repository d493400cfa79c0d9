import { describe, expect, it } from "vitest";
import { hashLines } from "../../src/sim/trace.js";
import { World, type WorldOptions } from "../../src/sim/world.js";
import { PingPong, inputAt, lastIndex, ofType, readTrace, recorderWorld } from "./helpers.js";

function pingPongWorld(opts: Partial<WorldOptions> = {}): World {
  const w = new World({ seed: 1, trace: { sink: { kind: "memory" } }, ...opts });
  w.addNode("a", () => new PingPong("b"));
  w.addNode("b", () => new PingPong("a"));
  // b first: a datagram ping sent to a node not started yet is dropped (see the node-down test).
  w.start("b");
  w.start("a");
  return w;
}

describe("run limits", () => {
  it("a livelock ends with event-budget after exactly maxEvents dispatches", () => {
    const w = pingPongWorld({ limits: { maxEvents: 500 } });
    expect(w.run()).toBe("event-budget");
    const s = w.end("event-budget");
    expect(s.dispatched).toBe(500);
    expect(s.reason).toBe("event-budget");
    const ev = readTrace(w);
    expect(ofType(ev, "recv").length).toBeGreaterThan(400);
    expect(ev.at(-1)).toEqual({ t: w.now, type: "end", detail: null, dispatched: 500, reason: "event-budget" });
    // Asking again does not run past the budget.
    expect(w.run()).toBe("event-budget");
  });

  it("a livelock ends with time-bound before any event past maxTimeUs", () => {
    const w = pingPongWorld({ limits: { maxTimeUs: 50_000 } });
    expect(w.run()).toBe("time-bound");
    expect(w.now).toBeLessThanOrEqual(50_000);
    expect(Math.max(...readTrace(w).map((e) => e.t))).toBeLessThanOrEqual(50_000);
    // The next message would have come after the bound.
    expect(w.now).toBeGreaterThan(50_000 - 1_000);
  });

  it("a datagram livelock ends the same way", () => {
    const w = pingPongWorld({ network: { mode: "datagram" }, limits: { maxEvents: 100 } });
    expect(w.run()).toBe("event-budget");
    expect(ofType(readTrace(w), "recv")).toHaveLength(100);
  });

  it("run({untilUs}) stops at until, sets the clock there, and can continue", () => {
    const w = pingPongWorld();
    expect(w.run({ untilUs: 10_000 })).toBe("until");
    expect(w.now).toBe(10_000);
    const n = readTrace(w).length;
    expect(readTrace(w).every((e) => e.t <= 10_000)).toBe(true);
    expect(w.run({ untilUs: 20_000 })).toBe("until");
    expect(w.now).toBe(20_000);
    expect(readTrace(w).length).toBeGreaterThan(n);
  });

  it("run on an empty queue is quiet and advances to until", () => {
    const w = recorderWorld({ seed: 2 }, ["a"]);
    w.start("a");
    expect(w.run({ untilUs: 7_000 })).toBe("quiet");
    expect(w.now).toBe(7_000);
    expect(w.run()).toBe("quiet");
    expect(w.now).toBe(7_000);
  });

  // Asking to run until a time already past is a caller's bug: run refuses, and the clock stays.
  it("run({untilUs}) never moves virtual time backwards", () => {
    const w = pingPongWorld();
    w.run({ untilUs: 10_000 });
    expect(() => w.run({ untilUs: 5_000 })).toThrow(/in the past/);
    expect(w.now).toBe(10_000);
  });

  it("run({stopWhen}) returns condition right after the event that made it true", () => {
    const w = pingPongWorld();
    let recvs = 0;
    w.observe((e) => {
      if (e.type === "recv") recvs++;
    });
    expect(w.run({ stopWhen: () => recvs >= 10 })).toBe("condition");
    expect(recvs).toBe(10);
    const ev = readTrace(w);
    expect(ofType(ev, "recv")).toHaveLength(10);
    // Only the answer sent by that same event follows the 10th recv.
    expect(ev.slice(lastIndex(ev, (e) => e.type === "recv") + 1).map((e) => e.type)).toEqual(["send"]);
  });

  it("world.stop() ends the run call with stopped after the current event; the detail reaches end()", () => {
    const w = pingPongWorld();
    w.observe((e, i) => {
      if (e.type === "recv" && e["id"] === 7) w.stop(`saw id 7 at line ${i}`);
    });
    expect(w.run()).toBe("stopped");
    const ev = readTrace(w);
    const last = lastIndex(ev, (e) => e.type === "recv");
    expect(ev[last]?.["id"]).toBe(7);
    expect(ev.slice(last + 1).map((e) => e.type)).toEqual(["send"]);
    // A stop ends one run call; the world can go on, and end() still reports why it stopped.
    expect(w.run({ untilUs: w.now + 1_000 })).toBe("until");
    const s = w.end("stopped");
    expect(s.stopDetail).toMatch(/^saw id 7 at line \d+$/);
    expect(readTrace(w).at(-1)).toMatchObject({ type: "end", reason: "stopped", detail: s.stopDetail });
  });

  it("end() writes the end event, returns the sha256 of the trace, and is idempotent", () => {
    const w = pingPongWorld({ limits: { maxEvents: 50 } });
    w.run();
    const before = w.traceLines().length;
    const s = w.end("event-budget");
    const lines = w.traceLines();
    expect(lines).toHaveLength(before + 1);
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ type: "end", reason: "event-budget" });
    expect(s.sha256).toBe(hashLines(lines));
    expect(s.events).toBe(lines.length);
    expect(s.simUs).toBe(w.now);
    expect(w.end("quiet")).toBe(s);
    expect(w.traceLines()).toHaveLength(before + 1);
  });

  it("a world without a trace still runs and ends with no hash", () => {
    const w = pingPongWorld({ trace: false, limits: { maxEvents: 100 } });
    expect(w.tracing).toBe(false);
    expect(w.run()).toBe("event-budget");
    const s = w.end("event-budget");
    expect([s.sha256, s.events, s.dispatched]).toEqual([null, 0, 100]);
    expect(() => w.traceLines()).toThrow();
  });

  it("marks are counted per run and traced; buggify is off outside fuzz runs", () => {
    const make = (buggify: boolean): World => {
      const w = new World({ seed: 3, buggify, trace: { sink: { kind: "memory" } } });
      w.addNode("a", () => ({
        onStart(ctx) {
          ctx.mark("rare: x");
          ctx.mark("rare: x");
          ctx.mark("other");
          const hits = Array.from({ length: 200 }, (_, i) => ctx.buggify(`p${i % 20}`)).filter(Boolean).length;
          ctx.trace({ type: "buggify-hits", hits });
        },
        onMessage() {},
      }));
      w.start("a");
      return w;
    };
    const off = make(false);
    expect(off.marks()).toEqual({ other: 1, "rare: x": 2 });
    expect(ofType(readTrace(off), "mark").map((e) => e["name"])).toEqual(["rare: x", "rare: x", "other"]);
    expect(ofType(readTrace(off), "buggify-hits")[0]?.["hits"]).toBe(0);
    expect(off.end("quiet").marks).toEqual({ other: 1, "rare: x": 2 });
    const on = make(true);
    const hits = ofType(readTrace(on), "buggify-hits")[0]?.["hits"] as number;
    expect(hits).toBeGreaterThan(0);
    expect(ofType(readTrace(on), "buggify")).toHaveLength(hits);
    expect(ofType(readTrace(make(true)), "buggify-hits")[0]?.["hits"]).toBe(hits);
  });

  it("rejects scheduling in the past, bad seeds, bad ids and unknown nodes", () => {
    const w = recorderWorld({ seed: 4 }, ["a"]);
    w.start("a");
    w.run({ untilUs: 100 });
    expect(() => w.at(99, () => {})).toThrow(/past/);
    expect(() => new World({ seed: -1 })).toThrow();
    expect(() => new World({ seed: 1.5 })).toThrow();
    expect(() => w.addNode("9x", () => ({ onStart() {}, onMessage() {} }))).toThrow();
    expect(() => w.addNode("a", () => ({ onStart() {}, onMessage() {} }))).toThrow(/twice/);
    expect(() => w.crash("nope")).toThrow(/unknown node/);
    inputAt(w, 200, "a", { op: "send", to: "nope" });
    expect(() => w.run()).toThrow(/unknown node/);
  });
});
