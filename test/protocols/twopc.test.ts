// Two-Phase Commit in a simulated world: the textbook run, a NO vote, the blocking coordinator
// crash, cooperative termination, and atomicity under random crash schedules.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { twopcPlugin } from "../../src/scenario/plugins/twopc.js";
import type { World } from "../../src/sim/world.js";
import { NODES, after, decisions, of, runPlugin, sendOf } from "./txn-world.js";

const run2pc = (rawParams: unknown, untilUs: number, script?: (w: World) => void, seed?: number) =>
  runPlugin(twopcPlugin, rawParams, untilUs, script, seed);

describe("2PC", () => {
  it("commits every transaction everywhere with 4 messages per participant (PREPARE, VOTE, COMMIT, ACK)", () => {
    const out = run2pc({ participants: 3, transactions: { count: 3 } }, 1_000_000);
    expect(out.violations).toEqual([]);
    for (const tx of [1, 2, 3]) for (const n of NODES) expect(decisions(out.events)[`${n} ${tx}`]).toBe("commit coordinator");
    const sends = of(out.events, "send").map((e) => (e["msg"] as { type: string }).type);
    expect(sends.length).toBe(3 * 3 * 4);
    for (const type of ["PREPARE", "VOTE", "COMMIT", "ACK"]) expect(sends.filter((t) => t === type).length).toBe(3 * 3);
    expect(out.metrics).toMatchObject({ txs: 3, commits: 3, aborts: 0, undecided: 0 });
    expect(of(out.events, "blocked")).toEqual([]);
  });

  it("decides once per node per tx, after the decision record is durable", () => {
    const out = run2pc({ transactions: { count: 2 } }, 1_000_000);
    const keys = of(out.events, "decide").map((e) => `${e["node"]} ${e["tx"]}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const d of of(out.events, "decide")) {
      const durableBefore = out.events.some((e) => e.type === "durable" && e["node"] === d["node"] && e.t === d.t);
      expect(durableBefore).toBe(true);
    }
  });

  it("aborts everywhere when one participant votes NO, and commits the next tx", () => {
    const out = run2pc({ transactions: { count: 2 }, noVotes: [{ participant: "p2", tx: 1 }] }, 1_000_000);
    expect(out.violations).toEqual([]);
    expect(decisions(out.events)).toMatchObject({
      "coord 1": "abort coordinator",
      "p1 1": "abort coordinator",
      "p2 1": "abort vote",
      "p3 1": "abort coordinator",
      "coord 2": "commit coordinator",
      "p2 2": "commit coordinator",
    });
    expect(of(out.events, "vote").filter((e) => e["vote"] === "no").map((e) => e["node"])).toEqual(["p2"]);
    expect(out.metrics).toMatchObject({ commits: 1, aborts: 1 });
  });

  it("rejects a NO vote for a participant that does not exist", () => {
    expect(twopcPlugin.params.safeParse({ noVotes: [{ participant: "p4", tx: 1 }] }).success).toBe(false);
    expect(twopcPlugin.params.safeParse({ participants: 1 }).success).toBe(false);
  });

  it("blocks prepared participants while the coordinator is down, then they all agree", () => {
    const restartUs = 3_000_000;
    let crashedUs = 0;
    const out = run2pc({ transactions: { count: 1 } }, 6_000_000, (w) => {
      after(w, sendOf("PREPARE"), 3, () => {
        crashedUs = w.now;
        w.crash("coord");
      });
      w.at(restartUs, () => w.restart("coord"));
    });
    expect(out.violations).toEqual([]);
    // Every participant voted yes, waited past its timeout, and stayed blocked while holding its locks.
    expect(of(out.events, "blocked").map((e) => e["node"]).sort()).toEqual(["p1", "p2", "p3"]);
    expect(of(out.events, "decide").every((e) => e.t > restartUs)).toBe(true);
    // Presumed abort: the recovering coordinator had no decision logged.
    expect(decisions(out.events)).toEqual({
      "coord 1": "abort recovery",
      "p1 1": "abort coordinator",
      "p2 1": "abort coordinator",
      "p3 1": "abort coordinator",
    });
    expect(out.metrics["blockedUsMax"]).toBeGreaterThanOrEqual(restartUs - crashedUs);
    expect(out.metrics["undecided"]).toBe(0);
  });

  it("counts participants still blocked at the end of the run", () => {
    const out = run2pc({ transactions: { count: 1 } }, 2_000_000, (w) => after(w, sendOf("PREPARE"), 3, () => w.crash("coord")));
    expect(out.metrics["undecided"]).toBe(3);
    expect(out.metrics["blockedUsMax"]).toBeGreaterThan(1_900_000);
    expect(out.metrics["blockedUsTotal"]).toBeGreaterThan(3 * 1_900_000);
  });

  it("terminates without the coordinator when a peer has not voted: that peer aborts unilaterally", () => {
    // p3 cannot reach the coordinator, so it never sees PREPARE; the coordinator dies after p1 and p2 vote.
    const out = run2pc({ transactions: { count: 1 } }, 5_000_000, (w) => {
      w.at(0, () => w.partition([["coord"], ["p3"]]));
      after(w, (e) => e.type === "vote", 2, () => w.crash("coord"));
      w.at(3_000_000, () => w.heal());
      w.at(3_000_000, () => w.restart("coord"));
    });
    expect(out.violations).toEqual([]);
    expect(decisions(out.events)).toMatchObject({
      "p3 1": "abort termination",
      "p1 1": "abort termination",
      "p2 1": "abort termination",
      "coord 1": "abort recovery",
    });
    expect(of(out.events, "decide").filter((e) => e["node"] !== "coord").every((e) => e.t < 1_000_000)).toBe(true);
  });

  it("a participant that crashes after voting yes recovers in doubt and learns the outcome", () => {
    const out = run2pc({ transactions: { count: 1 } }, 3_000_000, (w) => {
      after(w, (e) => e.type === "vote" && e["node"] === "p2", 1, () => w.crash("p2"));
      w.at(1_000_000, () => w.restart("p2"));
    });
    expect(out.violations).toEqual([]);
    const d = decisions(out.events);
    expect(d["coord 1"]).toBe("commit coordinator");
    expect(d["p2 1"]).toBe("commit coordinator");
    expect(of(out.events, "decide").find((e) => e["node"] === "p2")?.t).toBeGreaterThan(1_000_000);
  });

  it("replays byte for byte from a seed", () => {
    const a = run2pc({ transactions: { count: 3 } }, 1_000_000, undefined, 7);
    const b = run2pc({ transactions: { count: 3 } }, 1_000_000, undefined, 7);
    expect(a.sha256).toBe(b.sha256);
  });
});

describe("2PC under random crash and restart schedules (no partitions)", () => {
  const crash = fc.record({
    atUs: fc.integer({ min: 0, max: 600_000 }),
    node: fc.constantFrom(...NODES),
    downUs: fc.integer({ min: 1_000, max: 800_000 }),
  });

  it("never violates atomicity, and once everything is back up nobody stays undecided", () => {
    fc.assert(
      fc.property(fc.array(crash, { maxLength: 8 }), fc.nat({ max: 1_000_000 }), (crashes, seed) => {
        const healUs = 2_000_000;
        const out = run2pc(
          { transactions: { count: 3, start: "10ms", every: "50ms" } },
          healUs + 5_000_000,
          (w) => {
            for (const c of crashes) {
              w.at(c.atUs, () => w.crash(c.node));
              w.at(c.atUs + c.downUs, () => w.restart(c.node));
            }
            w.at(healUs, () => NODES.forEach((n) => w.restart(n)));
          },
          seed,
        );
        expect(out.violations).toEqual([]);
        // A tx that anyone decided is decided by every node in the end.
        const decided = decisions(out.events);
        const txs = new Set(of(out.events, "decide").map((e) => e["tx"] as number));
        for (const tx of txs) for (const n of NODES) expect(decided[`${n} ${tx}`], `${n} tx ${tx}`).toBeDefined();
        expect(out.metrics["undecided"]).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
