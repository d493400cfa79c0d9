import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AssertionError } from "../../src/sim/assert.js";
import { ALWAYS, NEVER, Stream, ratio } from "../../src/sim/random.js";

const draws = (s: Stream, n: number): number[] => Array.from({ length: n }, () => s.u32());

describe("Stream", () => {
  it("gives the same sequence for the same (seed, name)", () => {
    fc.assert(
      fc.property(fc.nat(), fc.stringMatching(/^[a-z/0-9]{1,12}$/), (seed, name) => {
        expect(draws(new Stream(seed, name), 20)).toEqual(draws(new Stream(seed, name), 20));
      }),
      { numRuns: 50 },
    );
  });

  it("gives different sequences for different names and for different seeds", () => {
    expect(draws(new Stream(1, "net"), 8)).not.toEqual(draws(new Stream(1, "disk"), 8));
    expect(draws(new Stream(1, "net"), 8)).not.toEqual(draws(new Stream(2, "net"), 8));
  });

  it("keeps streams independent: drawing from A never shifts B", () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.boolean(), { maxLength: 200 }), (seed, pattern) => {
        const alone = draws(new Stream(seed, "net"), pattern.filter((x) => !x).length);
        const a = new Stream(seed, "node/a");
        const b = new Stream(seed, "net");
        const seen: number[] = [];
        for (const fromA of pattern) {
          if (fromA) a.below(1000);
          else seen.push(b.u32());
        }
        expect(seen).toEqual(alone);
      }),
      { numRuns: 50 },
    );
  });

  it("below(n) returns integers in [0, n)", () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 2 ** 32 }), (seed, n) => {
        const s = new Stream(seed, "x");
        const xs = Array.from({ length: 50 }, () => s.below(n));
        expect(xs.filter((x) => !Number.isSafeInteger(x) || x < 0 || x >= n)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("below(n) is roughly uniform", () => {
    const s = new Stream(42, "uniform");
    const n = 10;
    const draws = 20_000;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < draws; i++) {
      const k = s.below(n);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    // Expected 2000 each, standard deviation ~42: a 15% band is ~7 sigma.
    for (const c of counts) {
      expect(c).toBeGreaterThan(1700);
      expect(c).toBeLessThan(2300);
    }
    // An odd n near 2^32 exercises rejection sampling: the top half must show up about half the time.
    const big = 3 * 2 ** 30 + 1;
    let high = 0;
    for (let i = 0; i < 4000; i++) if (s.below(big) >= big / 2) high++;
    expect(high).toBeGreaterThan(1800);
    expect(high).toBeLessThan(2200);
  });

  it("below rejects n outside [1, 2^32] and non-integers", () => {
    const s = new Stream(1, "x");
    expect(() => s.below(0)).toThrow(AssertionError);
    expect(() => s.below(2 ** 32 + 1)).toThrow(AssertionError);
    expect(() => s.below(2.5)).toThrow(AssertionError);
  });

  it("between(lo, hi) is inclusive at both ends and integer", () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 20 }), (seed, lo, width) => {
        const s = new Stream(seed, "between");
        const hi = lo + width;
        const seen = new Set<number>();
        const xs = Array.from({ length: 400 }, () => s.between(lo, hi));
        expect(xs.filter((x) => !Number.isSafeInteger(x) || x < lo || x > hi)).toEqual([]);
        for (const x of xs) seen.add(x);
        // With 400 draws over at most 21 values every value shows up (miss chance < 21 * (20/21)^400).
        expect(seen.size).toBe(width + 1);
      }),
      { numRuns: 50 },
    );
    expect(() => new Stream(1, "x").between(3, 2)).toThrow(AssertionError);
  });

  it("between over a span wider than 2^32 stays in range and integer", () => {
    const s = new Stream(5, "wide");
    const lo = 10;
    const hi = 10 + 3 * 2 ** 32;
    for (let i = 0; i < 200; i++) {
      const x = s.between(lo, hi);
      expect(Number.isSafeInteger(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(lo);
      expect(x).toBeLessThanOrEqual(hi);
    }
  });

  // Regression test for a fixed bug (src/sim/random.ts, Stream.between, span > 2^32). What used to happen: the high part is drawn with
  // below(ceil(span / 2^32)) and the result clamped with Math.min(hi, ...), so every draw that
  // overshoots lands on `hi`. between(0, 2^32) (span 2^32 + 1) returns 2^32 about half the time
  // instead of once in 2^32 + 1 draws. It should reject-sample the combined value instead of clamping.
  it("between over a span just above 2^32 is uniform (hi is not a sink)", () => {
    const s = new Stream(9, "wide");
    let atHi = 0;
    for (let i = 0; i < 1000; i++) if (s.between(0, 2 ** 32) === 2 ** 32) atHi++;
    expect(atHi).toBeLessThan(5);
  });

  it("chance follows its ratio; NEVER and ALWAYS are exact", () => {
    const s = new Stream(3, "chance");
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (s.chance(ratio(1, 4))) hits++;
    expect(hits).toBeGreaterThan(2300);
    expect(hits).toBeLessThan(2700);
    for (let i = 0; i < 100; i++) {
      expect(s.chance(NEVER)).toBe(false);
      expect(s.chance(ALWAYS)).toBe(true);
      expect(s.chance(ratio(0, 7))).toBe(false);
      expect(s.chance(ratio(7, 7))).toBe(true);
    }
  });

  it("ratio rejects bad ratios", () => {
    expect(() => ratio(1, 0)).toThrow(AssertionError);
    expect(() => ratio(3, 2)).toThrow(AssertionError);
    expect(() => ratio(-1, 2)).toThrow(AssertionError);
    expect(() => ratio(0.5, 2)).toThrow(AssertionError);
  });

  it("pick returns a member and reaches every member; rejects an empty list", () => {
    const s = new Stream(4, "pick");
    const items = ["a", "b", "c", "d"] as const;
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const x = s.pick(items);
      expect(items).toContain(x);
      seen.add(x);
    }
    expect(seen.size).toBe(4);
    expect(() => s.pick([])).toThrow(AssertionError);
  });

  it("shuffled returns a permutation, leaves the input alone, and is seeded", () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.integer(), { maxLength: 40 }), (seed, items) => {
        const copy = items.slice();
        const out = new Stream(seed, "shuffle").shuffled(items);
        expect(items).toEqual(copy);
        expect([...out].sort((a, b) => a - b)).toEqual([...items].sort((a, b) => a - b));
        expect(new Stream(seed, "shuffle").shuffled(items)).toEqual(out);
      }),
      { numRuns: 100 },
    );
    // Every order of three items shows up.
    const s = new Stream(8, "shuffle");
    const orders = new Set<string>();
    for (let i = 0; i < 300; i++) orders.add(s.shuffled([1, 2, 3]).join(""));
    expect(orders.size).toBe(6);
  });

  it("u32 gives integers in [0, 2^32)", () => {
    const s = new Stream(6, "u32");
    let highBit = 0;
    for (let i = 0; i < 2000; i++) {
      const x = s.u32();
      expect(Number.isInteger(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(2 ** 32);
      if (x >= 2 ** 31) highBit++;
    }
    expect(highBit).toBeGreaterThan(850);
    expect(highBit).toBeLessThan(1150);
  });
});
