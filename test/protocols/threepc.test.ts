// Three-Phase Commit in a simulated world: the textbook run, a NO vote, termination without a
// crashed coordinator, safety under crash-only faults, and the partition that splits the decision.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { threepcPlugin } from "../../src/scenario/plugins/threepc.js";
import { terminationRule } from "../../src/protocols/threepc/termination.js";
import type { Violation } from "../../src/check/checker.js";
import type { World } from "../../src/sim/world.js";
import { NODES, after, decisions, of, runPlugin, sendOf } from "./txn-world.js";

const run3pc = (rawParams: unknown, untilUs: number, script?: (w: World) => void, seed?: number) =>
  runPlugin(threepcPlugin, rawParams, untilUs, script, seed);

describe("3PC", () => {
  it("commits every transaction everywhere with 6 messages per participant", () => {
    const out = run3pc({ participants: 3, transactions: { count: 3 } }, 1_000_000);
    expect(out.violations).toEqual([]);
    for (const tx of [1, 2, 3]) for (const n of NODES) expect(decisions(out.events)[`${n} ${tx}`]).toBe("commit coordinator");
    const sends = of(out.events, "send").map((e) => (e["msg"] as { type: string }).type);
    expect(sends.length).toBe(3 * 3 * 6);
    for (const type of ["CAN_COMMIT", "VOTE", "PRE_COMMIT", "PRE_ACK", "DO_COMMIT", "ACK"]) {
      expect(sends.filter((t) => t === type).length).toBe(3 * 3);
    }
    expect(of(out.events, "precommit").length).toBe(3 * 3);
    expect(out.metrics).toMatchObject({ txs: 3, commits: 3, aborts: 0, undecided: 0 });
  });

  it("aborts everywhere when one participant votes NO", () => {
    const out = run3pc({ noVotes: [{ participant: "p3", tx: 1 }] }, 1_000_000);
    expect(out.violations).toEqual([]);
    expect(decisions(out.events)).toEqual({
      "coord 1": "abort coordinator",
      "p1 1": "abort coordinator",
      "p2 1": "abort coordinator",
      "p3 1": "abort vote",
    });
    expect(of(out.events, "precommit")).toEqual([]);
  });

  it("commits without the coordinator when it dies after PreCommit reached everyone", () => {
    const out = run3pc({}, 5_000_000, (w) => {
      after(w, sendOf("PRE_COMMIT"), 3, () => w.crash("coord"));
      w.at(2_000_000, () => w.restart("coord"));
    });
    expect(out.violations).toEqual([]);
    // p1 is the lowest reachable participant: it collects the states (all precommitted) and commits.
    expect(decisions(out.events)).toEqual({
      "p1 1": "commit termination",
      "p2 1": "commit termination",
      "p3 1": "commit termination",
      "coord 1": "commit recovery",
    });
    expect(of(out.events, "decide").filter((e) => e["node"] !== "coord").every((e) => e.t < 1_000_000)).toBe(true);
    expect(out.metrics["blockedUsMax"]).toBeLessThan(1_000_000);
  });

  it("aborts without the coordinator when it dies before any PreCommit", () => {
    const out = run3pc({}, 5_000_000, (w) => after(w, sendOf("CAN_COMMIT"), 3, () => w.crash("coord")));
    expect(out.violations).toEqual([]);
    expect(decisions(out.events)).toEqual({ "p1 1": "abort termination", "p2 1": "abort termination", "p3 1": "abort termination" });
    expect(out.metrics).toMatchObject({ undecided: 0, aborts: 1 });
    expect(out.metrics["blockedUsMax"]).toBeLessThan(1_000_000);
  });

  it("splits the decision when PreCommit reaches p1 only and a partition isolates p1", () => {
    const out = run3pc({}, 4_000_000, (w) => {
      // PreCommit leaves for all three, but only p1's copy gets through.
      after(w, sendOf("PRE_COMMIT", "p1"), 1, () => w.partition([["coord", "p1"], ["p2", "p3"]]));
      after(w, (e) => e.type === "precommit" && e["node"] === "p1", 1, () => w.crash("coord"));
      w.at(2_000_000, () => {
        w.heal();
        w.partition([["p1"], ["coord", "p2", "p3"]]);
        w.restart("coord");
      });
    });
    expect(decisions(out.events)).toEqual({
      "p1 1": "commit timeout",
      "p2 1": "abort termination",
      "p3 1": "abort termination",
      "coord 1": "abort recovery",
    });
    // p2 and p3 abort first (their wait started at the vote), so p1's commit is the one that breaks atomicity.
    expect(out.violations.map((v) => v.invariant)).toEqual(["atomicity"]);
    const first = out.violations[0] as Violation;
    expect(first.nodes).toEqual(["p2", "p1"]);
    expect(first.message).toMatch(/^tx 1: p2 decided abort \(event \d+\) but p1 decided commit$/);
    expect(out.events[first.eventIndex]).toMatchObject({ type: "decide", node: "p1", decision: "commit" });
  });
});

describe("3PC termination rule", () => {
  const r = (state: "uncertain" | "precommitted" | "committed" | "aborted", recovered = false) => ({ state, recovered });

  it("follows a decided site, precommits when anyone precommitted, else aborts", () => {
    expect(terminationRule([r("uncertain"), r("committed")])).toBe("commit");
    expect(terminationRule([r("precommitted"), r("aborted")])).toBe("abort");
    expect(terminationRule([r("uncertain"), r("precommitted")])).toBe("precommit");
    expect(terminationRule([r("uncertain"), r("uncertain", true)])).toBe("abort");
  });

  it("waits when only recovered sites answer: one of the missing may have committed", () => {
    expect(terminationRule([r("uncertain", true), r("uncertain", true)])).toBe("wait");
    expect(terminationRule([])).toBe("wait");
  });
});

describe("3PC under random crash and restart schedules (no partitions)", () => {
  const crash = fc.record({
    atUs: fc.integer({ min: 0, max: 600_000 }),
    node: fc.constantFrom(...NODES),
    downUs: fc.integer({ min: 1_000, max: 800_000 }),
  });

  it("never violates atomicity and leaves nobody undecided once everything is back", () => {
    fc.assert(
      fc.property(fc.array(crash, { maxLength: 8 }), fc.nat({ max: 1_000_000 }), (crashes, seed) => {
        const out = run3pc(
          { transactions: { count: 3, start: "10ms", every: "50ms" } },
          7_000_000,
          (w) => {
            for (const c of crashes) {
              w.at(c.atUs, () => w.crash(c.node));
              w.at(c.atUs + c.downUs, () => w.restart(c.node));
            }
            w.at(2_000_000, () => NODES.forEach((n) => w.restart(n)));
          },
          seed,
        );
        expect(out.violations).toEqual([]);
        expect(out.metrics["undecided"]).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
