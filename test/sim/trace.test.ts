import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { AssertionError } from "../../src/sim/assert.js";
import { TraceWriter, assertTraceValue, canonicalLine, fastJson, hashLines, lineDigest, type TraceEvent } from "../../src/sim/trace.js";

const dir = mkdtempSync(join(tmpdir(), "zksim-trace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keyName = fc.stringMatching(/^[a-z][a-zA-Z_]{0,8}$/).filter((k) => !["t", "type", "node"].includes(k));
const scalar = fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.boolean(), fc.constant(null));
const eventArb = fc.record({
  t: fc.nat(),
  type: fc.stringMatching(/^[a-z-]{1,10}$/),
  node: fc.option(fc.stringMatching(/^[a-z][0-9]?$/), { nil: undefined }),
  fields: fc.dictionary(keyName, scalar, { maxKeys: 6 }),
});
const toEvent = (r: { t: number; type: string; node: string | undefined; fields: Record<string, unknown> }): TraceEvent => {
  // Put the fixed keys last in construction order so the canonical order cannot come from it.
  const e: Record<string, unknown> = { ...r.fields };
  if (r.node !== undefined) e["node"] = r.node;
  e["type"] = r.type;
  e["t"] = r.t;
  return e as TraceEvent;
};

describe("canonicalLine", () => {
  it("puts t, type, node first, then the other keys sorted", () => {
    const line = canonicalLine({ zeta: 1, alpha: "x", node: "s1", type: "send", t: 5, mid: [2, 1] } as unknown as TraceEvent);
    expect(line).toBe('{"t":5,"type":"send","node":"s1","alpha":"x","mid":[2,1],"zeta":1}');
    expect(canonicalLine({ b: true, type: "heal", a: null, t: 0 })).toBe('{"t":0,"type":"heal","a":null,"b":true}');
  });

  it("is valid JSON with the canonical key order, whatever the construction order", () => {
    fc.assert(
      fc.property(eventArb, (r) => {
        const e = toEvent(r);
        const line = canonicalLine(e);
        const parsed = JSON.parse(line) as Record<string, unknown>;
        const keys = Object.keys(parsed);
        const rest = Object.keys(r.fields).sort();
        expect(keys).toEqual(["t", "type", ...(r.node !== undefined ? ["node"] : []), ...rest]);
        expect(parsed).toEqual(JSON.parse(JSON.stringify(e)));
        // Same content, built in another order: same line.
        const reversed = Object.fromEntries(Object.entries(e).reverse()) as TraceEvent;
        expect(canonicalLine(reversed)).toBe(line);
      }),
      { numRuns: 200 },
    );
  });

  it("skips undefined fields", () => {
    expect(canonicalLine({ t: 1, type: "x", gone: undefined } as unknown as TraceEvent)).toBe('{"t":1,"type":"x"}');
  });

  it("rejects top-level numbers that are not safe integers", () => {
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -0.25]) {
      expect(() => canonicalLine({ t: 1, type: "x", v: bad })).toThrow(AssertionError);
    }
    expect(canonicalLine({ t: 1, type: "x", v: -(2 ** 53 - 1) })).toBe(`{"t":1,"type":"x","v":${-(2 ** 53 - 1)}}`);
  });

  // Regression test for a fixed bug (src/sim/trace.ts, canonicalLine). What used to happen: `t` is pasted into the line unchecked, so a float time
  // reaches the trace (and NaN yields the invalid JSON `{"t":NaN,...}`), although the doc says
  // "Top-level numbers must be safe integers". `t` should get the same assertion as other fields.
  it("rejects a non-integer t", () => {
    expect(() => canonicalLine({ t: 1.5, type: "x" })).toThrow(AssertionError);
  });

  it("assertTraceValue rejects nested floats, integer-like keys and non-plain objects", () => {
    expect(() => assertTraceValue({ a: [1, { b: 0.5 }] }, "e")).toThrow(AssertionError);
    expect(() => assertTraceValue({ a: { "12": 1 } }, "e")).toThrow(AssertionError);
    expect(() => assertTraceValue({ a: new Map() }, "e")).toThrow(AssertionError);
    expect(() => assertTraceValue({ a: undefined }, "e")).toThrow(AssertionError);
    expect(() => assertTraceValue({ a: [1, "x", null, true, { b: [] }] }, "e")).not.toThrow();
  });
});

describe("TraceWriter", () => {
  const events = (n: number, pad: number): TraceEvent[] =>
    Array.from({ length: n }, (_, i) => ({ t: i * 3, type: i % 2 ? "send" : "recv", node: `n${i % 4}`, id: i, pad: "x".repeat(pad) }));

  it("hashes exactly the memory lines (also across internal flushes)", () => {
    // ~400 KB of lines crosses the writer's batching threshold at least once.
    for (const [n, pad] of [[0, 0], [1, 0], [10, 3], [2_000, 200]] as const) {
      const w = new TraceWriter({ sink: { kind: "memory" } });
      for (const e of events(n, pad)) w.write(e);
      const lines = w.lines();
      expect(lines).toEqual(events(n, pad).map((e) => canonicalLine(e)));
      expect(w.events).toBe(n);
      const sha = w.finish();
      expect(sha).toBe(hashLines(lines));
      expect(sha).toMatch(/^[0-9a-f]{64}$/);
      expect(w.finish()).toBe(sha);
    }
  });

  it("a different line gives a different hash", () => {
    const a = new TraceWriter({ sink: { kind: "memory" } });
    const b = new TraceWriter({ sink: { kind: "memory" } });
    a.write({ t: 1, type: "x", v: 1 });
    b.write({ t: 1, type: "x", v: 2 });
    expect(a.finish()).not.toBe(b.finish());
  });

  it("the file sink writes exactly the memory lines, newline-terminated", () => {
    const path = join(dir, "trace.jsonl");
    const file = new TraceWriter({ sink: { kind: "file", path } });
    const mem = new TraceWriter({ sink: { kind: "memory" } });
    for (const e of events(3_000, 150)) {
      file.write(e);
      mem.write(e);
    }
    const shaFile = file.finish();
    const shaMem = mem.finish();
    const text = readFileSync(path, "utf8");
    expect(text).toBe(`${mem.lines().join("\n")}\n`);
    expect(shaFile).toBe(shaMem);
    expect(shaFile).toBe(hashLines(text.slice(0, -1).split("\n")));
  });

  it("refuses writes after finish and lines without the memory sink", () => {
    const w = new TraceWriter({ sink: { kind: "memory" } });
    w.finish();
    expect(() => w.write({ t: 0, type: "x" })).toThrow(AssertionError);
    expect(() => new TraceWriter().lines()).toThrow(AssertionError);
    expect(() => new TraceWriter().lineDigests()).toThrow(AssertionError);
  });

  it("strict mode deep-checks events; the default mode checks only top-level numbers", () => {
    const strict = new TraceWriter({ sink: { kind: "memory" }, strict: true });
    expect(() => strict.write({ t: 0, type: "x", v: [0.5] })).toThrow(AssertionError);
    const loose = new TraceWriter({ sink: { kind: "memory" } });
    expect(() => loose.write({ t: 0, type: "x", v: [0.5] })).not.toThrow();
  });

  it("observers see each event with its 0-based line index", () => {
    const w = new TraceWriter({ sink: { kind: "memory" } });
    const seen: [string, number][] = [];
    w.observe((e, i) => seen.push([e.type, i]));
    w.write({ t: 0, type: "a" });
    w.write({ t: 0, type: "b" });
    w.write({ t: 1, type: "c" });
    expect(seen).toEqual([
      ["a", 0],
      ["b", 1],
      ["c", 2],
    ]);
  });

  it("with the hash off and no sink builds no line, yet counts and observes every event", () => {
    const on = new TraceWriter({ sink: { kind: "memory" } });
    const off = new TraceWriter({ hash: false });
    expect(off.linesOff).toBe(true);
    const seenOn: [string, number][] = [];
    const seenOff: [string, number][] = [];
    on.observe((e, i) => seenOn.push([canonicalLine(e), i]));
    off.observe((e, i) => seenOff.push([canonicalLine(e), i]));
    for (const e of events(40, 3)) {
      on.write(e);
      off.write(e);
    }
    on.writeNode({ type: "n", b: 1, a: 2 }, 9, "x");
    off.writeNode({ type: "n", b: 1, a: 2 }, 9, "x");
    on.writeBuilt(`{"t":10,"type":"recv","id":1}`, () => ({ t: 10, type: "recv", id: 1 }));
    off.writeBuilt("", () => ({ t: 10, type: "recv", id: 1 }));
    expect(seenOff).toEqual(seenOn);
    expect(off.events).toBe(on.events);
    expect(off.finish()).toBeNull();
    expect(on.finish()).toMatch(/^[0-9a-f]{64}$/);
    expect(() => off.write({ t: 11, type: "late" })).toThrow(AssertionError);
    // Anything that needs lines keeps them on.
    expect(new TraceWriter({ hash: false, lineDigests: true }).linesOff).toBe(false);
    expect(new TraceWriter({ hash: false, strict: true }).linesOff).toBe(false);
    expect(new TraceWriter({ hash: false, sink: { kind: "memory" } }).linesOff).toBe(false);
  });

  it("keeps a lineDigest per line when asked", () => {
    const w = new TraceWriter({ sink: { kind: "memory" }, lineDigests: true });
    for (const e of events(50, 2)) w.write(e);
    expect(w.lineDigests()).toEqual(w.lines().map(lineDigest));
  });
});

describe("lineDigest", () => {
  it("is 32-bit FNV-1a (published test vectors)", () => {
    expect(lineDigest("")).toBe(0x811c9dc5);
    expect(lineDigest("a")).toBe(0xe40c292c);
    expect(lineDigest("foobar")).toBe(0xbf9cf968);
  });

  it("is a stable unsigned 32-bit integer that tells lines apart", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const d = lineDigest(s);
        expect(Number.isInteger(d) && d >= 0 && d < 2 ** 32).toBe(true);
        expect(lineDigest(s)).toBe(d);
      }),
      { numRuns: 200 },
    );
    expect(lineDigest('{"t":1,"type":"x"}')).not.toBe(lineDigest('{"t":2,"type":"x"}'));
  });
});

describe("fastJson", () => {
  it("is byte-identical to JSON.stringify on any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => fastJson(v) === JSON.stringify(v)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: "binary" }), fc.oneof(fc.integer(), fc.string({ unit: "binary" }), fc.boolean(), fc.constant(null))), (v) => fastJson(v) === JSON.stringify(v)),
      { numRuns: 2000 },
    );
  });
});
