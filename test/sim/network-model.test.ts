import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AssertionError } from "../../src/sim/assert.js";
import { bridgePairs, drawLatency, linkKey, oneWayPairs, partitionPairs, validateLatency, type LatencySpec } from "../../src/sim/network.js";
import { Stream, ratio } from "../../src/sim/random.js";

const sorted = (pairs: [string, string][]): string[] => pairs.map(([a, b]) => linkKey(a, b)).sort();

describe("latency model", () => {
  it("every distribution stays in [min, max] and gives integers", () => {
    fc.assert(
      fc.property(fc.constantFrom("fixed", "uniform", "bell"), fc.nat({ max: 10_000 }), fc.nat({ max: 10_000 }), fc.nat(), (dist, minUs, width, seed) => {
        const spec: LatencySpec = { dist, minUs, maxUs: minUs + width };
        validateLatency(spec);
        const r = new Stream(seed, "net");
        const xs = Array.from({ length: 50 }, () => drawLatency(spec, r));
        expect(xs.filter((x) => !Number.isSafeInteger(x) || x < minUs || x > minUs + width)).toEqual([]);
        if (dist === "fixed") expect(new Set(xs)).toEqual(new Set([minUs]));
      }),
      { numRuns: 100 },
    );
  });

  it("bell concentrates around the middle; uniform does not", () => {
    const r = new Stream(1, "net");
    const share = (dist: "uniform" | "bell"): number => {
      let middle = 0;
      for (let i = 0; i < 4_000; i++) {
        const x = drawLatency({ dist, minUs: 0, maxUs: 1_000 }, r);
        if (x >= 250 && x <= 750) middle++;
      }
      return middle / 4_000;
    };
    expect(share("uniform")).toBeGreaterThan(0.45);
    expect(share("uniform")).toBeLessThan(0.55);
    expect(share("bell")).toBeGreaterThan(0.8);
  });

  it("a tail adds a rare extra delay at its ratio", () => {
    const r = new Stream(2, "net");
    const spec: LatencySpec = { dist: "fixed", minUs: 100, maxUs: 100, tail: { ratio: ratio(1, 10), minUs: 50_000, maxUs: 60_000 } };
    const xs = Array.from({ length: 5_000 }, () => drawLatency(spec, r));
    const slow = xs.filter((x) => x !== 100);
    expect(slow.every((x) => x >= 50_100 && x <= 60_100)).toBe(true);
    expect(slow.length).toBeGreaterThan(400);
    expect(slow.length).toBeLessThan(600);
  });

  it("validateLatency rejects negative, fractional and inverted ranges", () => {
    expect(() => validateLatency({ dist: "uniform", minUs: -1, maxUs: 5 })).toThrow(AssertionError);
    expect(() => validateLatency({ dist: "uniform", minUs: 1.5, maxUs: 5 })).toThrow(AssertionError);
    expect(() => validateLatency({ dist: "uniform", minUs: 6, maxUs: 5 })).toThrow(AssertionError);
  });
});

describe("partition shapes", () => {
  it("a partition blocks every directed pair across sides and none within a side", () => {
    expect(sorted(partitionPairs([["a", "b"], ["c"]]))).toEqual(["a>c", "b>c", "c>a", "c>b"]);
    expect(sorted(partitionPairs([["a"], ["b"], ["c"]]))).toEqual(["a>b", "a>c", "b>a", "b>c", "c>a", "c>b"]);
    expect(partitionPairs([["a", "b", "c"]])).toEqual([]);
  });

  it("one-way blocks only from -> to, never a node to itself", () => {
    expect(sorted(oneWayPairs(["a", "b"], ["b", "c"]))).toEqual(["a>b", "a>c", "b>c"]);
  });

  it("a bridge talks to both sides; the sides cannot talk", () => {
    expect(sorted(bridgePairs(["a"], "b", ["c", "d"]))).toEqual(["a>c", "a>d", "c>a", "d>a"]);
    expect(() => bridgePairs(["a", "b"], "b", ["c"])).toThrow(AssertionError);
  });
});
