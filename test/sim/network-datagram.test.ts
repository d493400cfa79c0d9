import { describe, expect, it } from "vitest";
import { NEVER, ratio } from "../../src/sim/random.js";
import type { TraceEvent } from "../../src/sim/trace.js";
import { inputAt, ofType, readTrace, recorder, recorderWorld, recvIds, sendIds, startAll } from "./helpers.js";

const LATENCY = { dist: "uniform", minUs: 100, maxUs: 2_000 } as const;

/** Sends `total` messages a->b in bursts of 10 every 100 us (latency spread >> spacing: reordering). */
function run(seed: number, network: Record<string, unknown>, total = 5_000): TraceEvent[] {
  const w = recorderWorld({ seed, network: { mode: "datagram", latency: LATENCY, ...network } }, ["a", "b"]);
  startAll(w);
  for (let i = 0; i < total / 10; i++) inputAt(w, i * 100, "a", { op: "burst", to: "b", count: 10 });
  expect(w.run()).toBe("quiet");
  return readTrace(w);
}

const inversions = (ids: readonly number[]): number => {
  let n = 0;
  for (let i = 1; i < ids.length; i++) if ((ids[i] as number) < (ids[i - 1] as number)) n++;
  return n;
};

describe("datagram network", () => {
  it("with no loss and no duplication delivers every message exactly once, with reordering", () => {
    const ev = run(1, { loss: NEVER, duplicate: NEVER });
    const sent = sendIds(ev, "a", "b");
    const got = recvIds(ev, "a", "b");
    expect(sent).toHaveLength(5_000);
    expect([...got].sort((x, y) => x - y)).toEqual(sent);
    expect(ofType(ev, "drop")).toEqual([]);
    expect(inversions(got)).toBeGreaterThan(500);
    // The node saw each payload once too.
    expect(ofType(ev, "saw-msg", "b")).toHaveLength(5_000);
  });

  it("loses messages at the configured ratio", () => {
    const ev = run(2, { loss: ratio(1, 5), duplicate: NEVER });
    const lost = ofType(ev, "drop").filter((e) => e["reason"] === "loss");
    // Binomial(5000, 0.2): mean 1000, sd ~28.
    expect(lost.length).toBeGreaterThan(880);
    expect(lost.length).toBeLessThan(1_120);
    const got = recvIds(ev, "a", "b");
    expect(got.length + lost.length).toBe(5_000);
    const lostIds = new Set(lost.map((e) => e["id"] as number));
    expect(got.filter((id) => lostIds.has(id))).toEqual([]);
    expect(new Set(got).size).toBe(got.length);
  });

  it("duplicates messages at the configured ratio: the same id arrives twice", () => {
    const ev = run(3, { loss: NEVER, duplicate: ratio(1, 10) });
    const got = recvIds(ev, "a", "b");
    const counts = new Map<number, number>();
    for (const id of got) counts.set(id, (counts.get(id) ?? 0) + 1);
    const twice = [...counts.values()].filter((c) => c === 2).length;
    expect([...counts.values()].every((c) => c === 1 || c === 2)).toBe(true);
    expect(counts.size).toBe(5_000);
    expect(twice).toBeGreaterThan(410);
    expect(twice).toBeLessThan(590);
    expect(got).toHaveLength(5_000 + twice);
  });

  it("per-link loss overrides the network's loss on that link only", () => {
    const w = recorderWorld({ seed: 4, network: { mode: "datagram", latency: LATENCY, loss: NEVER } }, ["a", "b", "c"]);
    startAll(w);
    w.setLinkFaults("a", "b", { loss: ratio(1, 2), extraDelayUs: 10_000 });
    for (let i = 0; i < 100; i++) {
      inputAt(w, i * 100, "a", { op: "burst", to: "b", count: 10 });
      inputAt(w, i * 100, "a", { op: "burst", to: "c", count: 10 });
    }
    w.run();
    const ev = readTrace(w);
    const lostToB = ofType(ev, "drop").filter((e) => e["to"] === "b" && e["reason"] === "loss").length;
    expect(lostToB).toBeGreaterThan(420);
    expect(lostToB).toBeLessThan(580);
    expect(ofType(ev, "drop").filter((e) => e["to"] === "c")).toEqual([]);
    // The extra delay applies to a->b only.
    const sentAt = new Map(ofType(ev, "send").map((e) => [e["id"], e.t]));
    const delays = (to: string): number[] => ofType(ev, "recv").filter((e) => e["to"] === to).map((e) => e.t - (sentAt.get(e["id"]) as number));
    expect(Math.min(...delays("b"))).toBeGreaterThanOrEqual(10_100);
    expect(Math.max(...delays("c"))).toBeLessThanOrEqual(2_000);
  });

  it("partitions drop datagrams; connections do not exist (always connected, no notifications)", () => {
    const w = recorderWorld({ seed: 5, network: { mode: "datagram", latency: LATENCY } }, ["a", "b"]);
    startAll(w);
    w.partition([["a"], ["b"]]);
    inputAt(w, 100, "a", { op: "burst", to: "b", count: 5 });
    inputAt(w, 100, "a", { op: "connect", to: "b" });
    w.at(200, () => w.heal());
    inputAt(w, 300, "a", { op: "burst", to: "b", count: 5 });
    w.run();
    const ev = readTrace(w);
    expect(ofType(ev, "drop").map((e) => e["reason"])).toEqual(["partition", "partition", "partition", "partition", "partition"]);
    expect(recvIds(ev, "a", "b")).toHaveLength(5);
    expect(ofType(ev, "conn-up")).toEqual([]);
    expect(ofType(ev, "saw-conn")).toEqual([]);
    expect(recorder(w, "a").view.size).toBe(0);
  });

  it("datagrams arriving while a node is down are dropped as node-down; after its restart they reach the new incarnation", () => {
    const w = recorderWorld({ seed: 6, network: { mode: "datagram", latency: { dist: "fixed", minUs: 500, maxUs: 500 } } }, ["a", "b"]);
    startAll(w);
    inputAt(w, 100, "a", { op: "burst", to: "b", count: 3 });
    w.at(300, () => w.crash("b"));
    w.at(700, () => w.restart("b"));
    inputAt(w, 650, "a", { op: "burst", to: "b", count: 2 }); // sent while b is down, arriving after its restart
    w.run();
    const ev = readTrace(w);
    expect(ofType(ev, "drop").map((e) => [e.t, e["reason"]])).toEqual([
      [600, "node-down"],
      [600, "node-down"],
      [600, "node-down"],
    ]);
    expect(recvIds(ev, "a", "b")).toHaveLength(2);
  });
});

describe("datagram network: start order", () => {
  // Regression test for a fixed semantic (src/sim/world.ts, World.send). What used to happen: a datagram's delivery is bound to the recipient's
  // incarnation number at send time. A node that has never started has incarnation 0, so a
  // datagram sent to it is dropped as node-down even when the node starts before the datagram
  // arrives (here: a starts first and sends at t=0, b starts at t=0, delivery at t=100). The
  // outcome of a run then depends on the order of start() calls within one microsecond.
  it("a datagram to a node that starts before it arrives is delivered", () => {
    const w = recorderWorld({ seed: 7, network: { mode: "datagram", latency: { dist: "fixed", minUs: 100, maxUs: 100 } } }, ["a", "b"]);
    w.start("a");
    w.input("a", { op: "send", to: "b" });
    w.start("b");
    w.run();
    expect(recvIds(readTrace(w), "a", "b")).toHaveLength(1);
  });
});
