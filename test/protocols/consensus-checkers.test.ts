// The consensus checkers fire on hand-built bad traces and stay quiet on good ones: at most one
// value chosen per instance (counting quorums of acceptors, fast quorums in fast rounds), learners
// agree, and a chosen value never changes.
import { describe, expect, it } from "vitest";
import { checkEvents } from "../../src/check/checker.js";
import { ChosenValues } from "../../src/check/chosen-values.js";
import { learnerAgreementChecker } from "../../src/check/learner-agreement.js";
import { singleChoiceChecker } from "../../src/check/single-choice.js";
import { stableChoiceChecker } from "../../src/check/stable-choice.js";
import type { TraceEvent } from "../../src/sim/trace.js";

let t = 0;
const accept = (node: string, inst: number, bal: number[], val: string, fast = false): TraceEvent => ({ t: (t += 10), type: "accept", node, inst, bal, val, fast });
const learn = (node: string, inst: number, val: string): TraceEvent => ({ t: (t += 10), type: "learn", node, inst, val });
const chosen = (node: string, inst: number, val: string): TraceEvent => ({ t: (t += 10), type: "chosen", node, inst, bal: [1, 1], val });

describe("single-choice", () => {
  it("is quiet when one value is chosen, even again in a higher ballot (what a new leader does)", () => {
    const events = [accept("a1", 1, [1, 1], "x"), accept("a2", 1, [1, 1], "x"), accept("a2", 1, [2, 2], "x"), accept("a3", 1, [2, 2], "x")];
    expect(checkEvents([singleChoiceChecker({ acceptors: 3 })], events)).toEqual([]);
  });

  it("fires when a second value reaches a majority in another ballot, at the accept that completes it", () => {
    const events = [
      accept("a1", 4, [1, 1], "x"),
      accept("a2", 4, [1, 1], "x"), // x chosen (a1, a2)
      accept("a3", 4, [2, 2], "y"),
      accept("a2", 4, [2, 2], "y"), // y chosen too: a2 forgot its acceptance (a lying disk)
    ];
    const v = checkEvents([singleChoiceChecker({ acceptors: 3 })], events);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ invariant: "single-choice", eventIndex: 3, nodes: ["a1", "a2", "a3"] });
    expect(v[0]?.message).toMatch(/instance 4: "x" was chosen in ballot 1\.1 .* and "y" in ballot 2\.2/);
  });

  it("does not count a minority, and counts each acceptor once", () => {
    const events = [accept("a1", 1, [1, 1], "x"), accept("a1", 1, [1, 1], "x"), accept("a2", 1, [2, 2], "y"), accept("a3", 1, [2, 2], "y")];
    expect(checkEvents([singleChoiceChecker({ acceptors: 5 })], events)).toEqual([]);
  });

  it("needs a fast quorum (⌈3n/4⌉) for a value accepted in a fast round", () => {
    const c = new ChosenValues({ acceptors: 5 });
    // Three of five accept x in a fast round: a majority, but short of the fast quorum of 4.
    [accept("a1", 1, [1, 1, 0], "x", true), accept("a2", 1, [1, 1, 0], "x", true), accept("a3", 1, [1, 1, 0], "x", true)].forEach((e, i) => c.onEvent(e, i));
    expect(c.first(1)).toBeNull();
    c.onEvent(accept("a4", 1, [1, 1, 0], "x", true), 3);
    expect(c.first(1)).toMatchObject({ val: "x", bal: "1.1.0", index: 3 });
  });

  it("fires when a fast round and a later classic round choose different values", () => {
    const events = [
      ...["a1", "a2", "a3"].map((a) => accept(a, 2, [1, 1, 0], "x", true)), // fast quorum of 4 = 3: chosen
      accept("a3", 2, [1, 1, 1], "y"),
      accept("a4", 2, [1, 1, 1], "y"), // a classic majority (3) not yet reached
      accept("a2", 2, [1, 1, 1], "y"),
    ];
    const v = checkEvents([singleChoiceChecker({ acceptors: 4 })], events);
    expect(v.map((x) => [x.invariant, x.eventIndex])).toEqual([["single-choice", 5]]);
  });
});

describe("learner-agreement", () => {
  it("is quiet when learners learn the same values, and when one learner hears a value twice", () => {
    const events = [learn("l1", 1, "x"), learn("l2", 1, "x"), learn("l1", 2, "y"), learn("l1", 2, "y")];
    expect(checkEvents([learnerAgreementChecker()], events)).toEqual([]);
  });

  it("fires when two learners learn different values for one instance", () => {
    const v = checkEvents([learnerAgreementChecker()], [learn("l1", 3, "x"), learn("l2", 3, "y")]);
    expect(v).toEqual([expect.objectContaining({ invariant: "learner-agreement", eventIndex: 1, nodes: ["l1", "l2"] })]);
    expect(v[0]?.message).toMatch(/instance 3: l1 learned "x" \(event 0\) but l2 learned "y"/);
  });
});

describe("stable-choice", () => {
  it("is quiet when what proposers and learners report is what the acceptors chose", () => {
    const events = [accept("a1", 1, [1, 1], "x"), accept("a2", 1, [1, 1], "x"), chosen("p1", 1, "x"), learn("l1", 1, "x"), learn("l1", 1, "x")];
    expect(checkEvents([stableChoiceChecker({ acceptors: 3 })], events)).toEqual([]);
  });

  it("fires when a learner's value for an instance changes", () => {
    const v = checkEvents([stableChoiceChecker({ acceptors: 3 })], [learn("l1", 5, "x"), learn("l1", 5, "y")]);
    expect(v).toEqual([expect.objectContaining({ invariant: "stable-choice", eventIndex: 1, nodes: ["l1"] })]);
    expect(v[0]?.message).toMatch(/l1 reported "x" chosen \(event 0\) and later "y"/);
  });

  it("fires when someone reports a value the acceptors did not choose", () => {
    const events = [accept("a1", 1, [1, 1], "x"), accept("a2", 1, [1, 1], "x"), chosen("p2", 1, "z")];
    const v = checkEvents([stableChoiceChecker({ acceptors: 3 })], events);
    expect(v).toEqual([expect.objectContaining({ invariant: "stable-choice", eventIndex: 2, nodes: ["p2"] })]);
  });

  it("fires when the acceptors' choice turns out to differ from a value already reported", () => {
    const events = [learn("l1", 1, "z"), accept("a1", 1, [1, 1], "x"), accept("a2", 1, [1, 1], "x")];
    const v = checkEvents([stableChoiceChecker({ acceptors: 3 })], events);
    expect(v).toEqual([expect.objectContaining({ invariant: "stable-choice", eventIndex: 2, nodes: ["l1"] })]);
  });
});
