// The nemesis: a schedule is a function of the seed, always ends healed, and is valid scenario input.
import { describe, expect, it } from "vitest";
import { drawBuggify, drawSettings, endsHealed, formatSettings, NEMESIS_STREAM, planFaults, toFaults } from "../../src/fuzz/nemesis.js";
import { Stream } from "../../src/sim/random.js";
import { faultEntrySchema } from "../../src/scenario/faults.js";

const NODES = ["coord", "p1", "p2", "p3"];
const WINDOW_US = 2_400_000;

describe("nemesis", () => {
  it("draws the same settings and schedule from the same seed", () => {
    for (const seed of [0, 1, 21, 987_654_321]) {
      const a = planFaults(seed, { nodes: NODES, faultWindowUs: WINDOW_US });
      const b = planFaults(seed, { nodes: NODES, faultWindowUs: WINDOW_US });
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
  });

  it("draws different schedules from different seeds", () => {
    const shapes = new Set([0, 1, 2, 3, 4, 5].map((seed) => JSON.stringify(planFaults(seed, { nodes: NODES, faultWindowUs: WINDOW_US }).entries)));
    expect(shapes.size).toBe(6);
  });

  it("ends every schedule healed, with every node restarted and resumed at the window's end", () => {
    for (let seed = 0; seed < 200; seed++) {
      const { entries } = planFaults(seed, { nodes: NODES, faultWindowUs: WINDOW_US });
      expect(endsHealed(entries, NODES), `seed ${seed}`).toBe(true);
      expect(entries.every((e) => typeof e.at === "number" && e.at >= 0 && e.at <= WINDOW_US)).toBe(true);
    }
  });

  it("writes entries the scenario schema accepts, in time order", () => {
    for (let seed = 0; seed < 100; seed++) {
      const { entries } = planFaults(seed, { nodes: NODES, faultWindowUs: WINDOW_US });
      for (const e of entries) expect(faultEntrySchema.safeParse(e).success, JSON.stringify(e)).toBe(true);
      const times = toFaults(entries).map((f) => ("atUs" in f ? f.atUs : -1));
      expect(times).toEqual([...times].sort((x, y) => x - y));
    }
  });

  it("draws every partition shape and fault kind over some seeds", () => {
    const kinds = new Set<string>();
    for (let seed = 0; seed < 100; seed++) {
      for (const f of toFaults(planFaults(seed, { nodes: NODES, faultWindowUs: WINDOW_US }).entries)) kinds.add(f.action.kind);
    }
    expect([...kinds].sort()).toEqual(["bridge", "clock", "crash", "disk-fault", "heal", "one-way", "partition", "pause", "restart", "resume", "slow-disk"]);
  });

  it("arms lost tails only when asked to", () => {
    const tails = (lostTail: boolean): number =>
      [...Array(100).keys()]
        .flatMap((seed) => planFaults(seed, { nodes: NODES, faultWindowUs: WINDOW_US, lostTail }).entries)
        .filter((e) => e.diskFault?.kind === "lost-tail").length;
    expect(tails(false)).toBe(0);
    expect(tails(true)).toBeGreaterThan(0);
  });

  it("prints its settings as integer ratios", () => {
    const line = formatSettings(planFaults(7, { nodes: NODES, faultWindowUs: WINDOW_US }).settings);
    expect(line).toMatch(/^crash=\d+\/16 partition=\d+\/16 pause=\d+\/16 clock=\d+\/16 slow_disk=\d+\/16 disk_fault=\d\/4 step_us=\d+\.\.\d+ /);
    expect(line).not.toMatch(/\d\.\d/);
    expect(line).toMatch(/ buggify=(on|off)$/);
  });

  it("switches BUGGIFY on for about three seeds in four, from a stream of its own", () => {
    const seeds = [...Array(400).keys()];
    const on = seeds.filter((seed) => planFaults(seed, { nodes: NODES, faultWindowUs: WINDOW_US }).settings.buggify);
    expect(on.length).toBeGreaterThan(260);
    expect(on.length).toBeLessThan(340);
    expect(seeds.filter(drawBuggify)).toEqual(on);
    // The switch is no draw of the nemesis stream, so it shifts none of the settings or faults drawn there.
    for (const seed of [0, 1, 2, 3]) {
      const plan = planFaults(seed, { nodes: NODES, faultWindowUs: WINDOW_US });
      expect({ ...plan.settings, buggify: false }).toEqual(drawSettings(new Stream(seed, NEMESIS_STREAM), false));
      expect(formatSettings(plan.settings).endsWith(` buggify=${plan.settings.buggify ? "on" : "off"}`)).toBe(true);
    }
  });

  it("puts the faults after the window's end nowhere: an empty window is only the heal", () => {
    const { entries } = planFaults(3, { nodes: NODES, faultWindowUs: 0 });
    expect(entries.every((e) => e.at === 0)).toBe(true);
    expect(endsHealed(entries, NODES)).toBe(true);
  });
});
