// The distributed queue recipe: producers and consumers on a standalone server through a crash and a
// session expiry; every acknowledged item consumed exactly once. And the checker failing.
import { describe, expect, it } from "vitest";
import { checkEvents } from "../../../src/check/checker.js";
import { queueChecker } from "../../../src/check/recipes/queue.js";
import { itemOf, queueConsumer, queueProducer } from "../../../src/zk/recipes/queue.js";
import { ev, RecipeWorld, SERVERS, SESSION_MS } from "./harness.js";

const Q = "/app/queue";
const ITEMS = 60;

function world(seed: number): RecipeWorld {
  const producer = queueProducer({ servers: SERVERS, sessionTimeoutMs: SESSION_MS, queuePath: Q, items: ITEMS, intervalMs: 500 });
  const consumer = queueConsumer({ servers: SERVERS, sessionTimeoutMs: SESSION_MS, queuePath: Q, takeMs: 300 });
  return new RecipeWorld(seed, [
    ["p1", producer],
    ["p2", producer],
    ["c1", consumer],
    ["c2", consumer],
    ["c3", consumer],
  ]);
}

describe("queue recipe", () => {
  it("consumes every acknowledged item once through a server restart and a consumer's expiry", () => {
    const w = world(1);
    w.run(90_000, { crashAtMs: 12_000, downMs: 2000, isolate: "c2", isolateAtMs: 20_000, isolateMs: 20_000 });
    expect(w.check(queueChecker())).toEqual([]);
    const produced = w.of("queue-produced").map((e) => e["item"]);
    const consumed = w.of("queue-consumed").map((e) => e["item"]);
    expect(produced.length + w.of("queue-produce-unknown").length).toBe(2 * ITEMS);
    expect(produced.length).toBeGreaterThan(2 * ITEMS - 5);
    expect(new Set(consumed).size).toBe(consumed.length);
    const taken = new Set([...consumed, ...w.of("queue-take-unknown").map((e) => e["item"])]);
    for (const item of produced) expect(taken.has(item)).toBe(true);
    for (const id of ["c1", "c2", "c3"]) expect(w.of("queue-consumed", id).length).toBeGreaterThan(5);
    expect(w.of("recipe-expired", "c2")).toHaveLength(1);
    expect(w.of("queue-empty").length).toBeGreaterThan(0);
  });

  it("resolves a producer's lost create by looking for its item, even across an expiry", () => {
    const w = world(2);
    w.run(90_000, { crashAtMs: 8_000, downMs: 3000, isolate: "p1", isolateAtMs: 20_000, isolateMs: 20_000 });
    expect(w.check(queueChecker())).toEqual([]);
    expect(w.of("recipe-expired", "p1")).toHaveLength(1);
    expect(w.world.marks()["recipe queue: producer looks for an item after a lost create"]).toBeGreaterThan(0);
    const items = w.of("queue-produced", "p1").map((e) => e["item"] as string);
    expect(items.length + w.of("queue-produce-unknown", "p1").length).toBe(ITEMS);
  });
});

describe("queue recipe, rare paths", () => {
  it("never creates an item twice when the reply to its create is lost", () => {
    const w = world(3);
    w.loseReplyOnce("p2", (e) => e.t > 3_000_000 && e["op"] === "create" && e["err"] === 0 && e["session"] === w.sessionOf("p2"));
    w.run(60_000);
    expect(w.check(queueChecker())).toEqual([]);
    expect(w.world.marks()["recipe queue: producer looks for an item after a lost create"]).toBe(1);
    // The item went in; found, or already taken by a consumer (then the producer cannot tell).
    const settled = [...w.of("queue-produced", "p2"), ...w.of("queue-produce-unknown", "p2")].map((e) => e["item"]);
    expect(new Set(settled).size).toBe(ITEMS);
    const consumed = w.of("queue-consumed").map((e) => e["item"]);
    expect(consumed).toHaveLength(2 * ITEMS);
    expect(new Set(consumed).size).toBe(2 * ITEMS);
  });
});

describe("queue checker", () => {
  const produced = (t: number, item: string) => ev(t, "queue-produced", "p1", { queue: Q, item, znode: `${Q}/item-${item}-000000000${t}` });
  it("flags an item consumed twice", () => {
    const bad = [
      produced(1, "p1-0"),
      ev(2, "queue-consumed", "c1", { queue: Q, item: "p1-0", znode: `${Q}/item-p1-0-0000000001`, session: "0x1" }),
      ev(3, "queue-consumed", "c2", { queue: Q, item: "p1-0", znode: `${Q}/item-p1-0-0000000002`, session: "0x2" }),
    ];
    expect(checkEvents([queueChecker()], bad).map((v) => [v.invariant, v.eventIndex, v.nodes])).toEqual([["queue-at-most-once", 2, ["c1", "c2"]]]);
  });

  it("flags an acknowledged item that a later empty scan did not see and nobody took", () => {
    const base = [
      ev(0, "queue-scan", "c1", { queue: Q, scan: 1 }),
      ev(1, "queue-empty", "c1", { queue: Q, scan: 1 }),
      produced(2, "p1-0"),
      produced(3, "p1-1"),
      ev(4, "queue-consumed", "c1", { queue: Q, item: "p1-0", znode: `${Q}/item-p1-0-0000000002`, session: "0x1" }),
    ];
    // The only empty scan began before the items were acknowledged: nothing can be called lost.
    expect(checkEvents([queueChecker()], base)).toEqual([]);
    const bad = [...base, ev(5, "queue-scan", "c2", { queue: Q, scan: 1 }), ev(6, "queue-empty", "c2", { queue: Q, scan: 1 })];
    const v = checkEvents([queueChecker()], bad);
    expect(v.map((x) => x.invariant)).toEqual(["queue-no-loss"]);
    expect(v[0]?.message).toContain("p1-1");
    // A delete that may have taken it excuses it.
    const excused = [...bad, ev(7, "queue-take-unknown", "c2", { queue: Q, item: "p1-1", znode: `${Q}/item-p1-1-0000000003` })];
    expect(checkEvents([queueChecker()], excused)).toEqual([]);
  });

  it("reads item ids back from entry names", () => {
    expect(itemOf("item-p1-12-0000000042")).toBe("p1-12");
    expect(itemOf("ready")).toBeNull();
  });
});
