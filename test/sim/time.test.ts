import { describe, expect, it } from "vitest";
import { formatUs, ms, parseDuration, seconds, toMs } from "../../src/sim/time.js";

describe("time units", () => {
  it("parses durations with units into integer microseconds", () => {
    expect(["1500us", "250ms", "2s", "3m", "42", " 7ms "].map(parseDuration)).toEqual([1_500, 250_000, 2_000_000, 180_000_000, 42, 7_000]);
    expect(parseDuration(12)).toBe(12);
    for (const bad of ["", "1.5s", "-3ms", "5h", "ms", 1.5, -1]) expect(parseDuration(bad)).toBeNull();
  });

  it("converts and formats with integer arithmetic", () => {
    expect([ms(2), seconds(3), toMs(2_999)]).toEqual([2_000, 3_000_000, 2]);
    expect([formatUs(7), formatUs(40_000), formatUs(1_250_000)]).toEqual(["7us", "40ms", "1.250s"]);
  });
});
