// Fast Paxos: quorum sizes, the value-picking rule behind recovery, the fast path's costs
// (2n + 2L + 1 messages a command, no request to a leader), collisions and their recovery, and
// safety under crashes and loss.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastRule, isFast } from "../../src/protocols/fastpaxos/ballots.js";
import { CLASSIC, pickValue } from "../../src/protocols/paxos/pick-value.js";
import { fastQuorum, majority } from "../../src/protocols/paxos/quorum.js";
import { fastpaxosPlugin } from "../../src/scenario/plugins/fastpaxos.js";
import { LOSSY, TCP, learned, of, runPaxos, sent } from "./paxos-world.js";

describe("quorums", () => {
  it("fast quorums are ⌈3n/4⌉ beside majority classic quorums", () => {
    expect([3, 4, 5, 6, 7, 9].map((n) => [majority(n), fastQuorum(n)])).toEqual([
      [2, 3],
      [3, 3],
      [3, 4],
      [4, 5],
      [4, 6],
      [5, 7],
    ]);
  });
});

describe("pickValue", () => {
  const F = [1, 1, 0];
  const rule = fastRule(5);
  it("classic: the value of the highest ballot reported", () => {
    expect(pickValue([{ bal: [1, 1], val: "x" }, null, { bal: [2, 2], val: "y" }], CLASSIC(3))).toEqual({ kind: "forced", val: "y" });
    expect(pickValue([null, null], CLASSIC(3))).toEqual({ kind: "free", hint: null });
  });
  it("fast: a value some fast quorum may have accepted is forced (n=5, 3 reporters: 2 votes suffice)", () => {
    expect(isFast(F)).toBe(true);
    const r = pickValue([{ bal: F, val: "x" }, { bal: F, val: "x" }, { bal: F, val: "y" }], rule);
    expect(r).toEqual({ kind: "forced", val: "x" });
  });
  it("fast: when no value can have reached a fast quorum, any may go (the most voted is the hint)", () => {
    const r = pickValue([{ bal: F, val: "x" }, { bal: F, val: "y" }, { bal: F, val: "y" }, { bal: F, val: "x" }, { bal: F, val: "y" }], rule);
    expect(r).toEqual({ kind: "free", hint: "y" });
  });
  it("a later classic ballot beats fast votes", () => {
    expect(pickValue([{ bal: F, val: "x" }, { bal: [1, 1, 1], val: "y" }, { bal: F, val: "x" }], rule)).toEqual({ kind: "forced", val: "y" });
  });
});

describe("Fast Paxos", () => {
  it("on the fast path costs 2n + 2L + 1 messages and n fsyncs a command, with no REQUEST (n=3, L=2: 11 and 3)", () => {
    const out = runPaxos(fastpaxosPlugin, { commands: { count: 5 } }, 1_000_000);
    expect(out.violations).toEqual([]);
    expect(out.metrics).toMatchObject({ committed: 5, collisions: 0, recoveries: 0 });
    expect(sent(out.events, "REQUEST")).toBe(0);
    expect(sent(out.events, "PROPOSE")).toBe(15);
    // Phase 1 and "any" once: 3n messages, n promises and p1's reservation forced.
    expect(out.metrics["messages"]).toBe(3 * 3 + 5 * 11);
    expect(out.metrics["fsyncs"]).toBe(3 + 1 + 5 * 3);
    expect(of(out.events, "chosen").every((e) => isFast(e["bal"] as number[]))).toBe(true);
  });

  it("two clients racing for the same instances collide, and recovery chooses one value for each", () => {
    const out = runPaxos(fastpaxosPlugin, { acceptors: 5, clients: 2, commands: { count: 10, every: 40_000 } }, 2_000_000);
    expect(out.violations).toEqual([]);
    expect(out.metrics["collisions"]).toBeGreaterThan(0);
    expect(out.metrics).toMatchObject({ submitted: 20, committed: 10, lost: 10, chosen: 10, unanswered: 0 });
    expect(learned(out.events, "l1")).toEqual(learned(out.events, "l2"));
  });

  it("keeps one value per instance under random crashes, partitions and loss", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.constantFrom("p1", "p2", "a1", "a2", "a3", "a4"), fc.integer({ min: 0, max: 900 }), fc.integer({ min: 1, max: 400 })), { maxLength: 4 }),
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 1, max: 1000 }),
        (lossy, crashes, splitMs, seed) => {
          const out = runPaxos(fastpaxosPlugin, { acceptors: 4, clients: 2, commands: { count: 6, every: 80_000 } }, 3_000_000, {
            network: lossy ? LOSSY : TCP,
            seed,
            script: (w) => {
              for (const [node, atMs, forMs] of crashes) {
                w.at(atMs * 1000, () => w.crash(node));
                w.at((atMs + forMs) * 1000, () => w.restart(node));
              }
              w.at(splitMs * 1000, () => w.partition([["p1", "a1"], ["p2", "a2", "a3", "a4"]]));
              w.at((splitMs + 300) * 1000, () => w.heal());
            },
          });
          expect(out.violations).toEqual([]);
        },
      ),
      { numRuns: 15, seed: 5 },
    );
  });
});
