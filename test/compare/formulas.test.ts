// The lab's numbers are explainable: without faults, every protocol's messages and fsyncs per
// commit are exactly the textbook formula (plus the one-time election of Multi-Paxos and Fast Paxos).
import { describe, expect, it } from "vitest";
import { runCase } from "../../src/compare/case.js";
import type { CompareSubject } from "../../src/compare/subject.js";
import { SUBJECTS } from "../../src/compare/subjects.js";

const runnable = SUBJECTS.filter((s): s is CompareSubject => s.available);

describe("textbook costs without faults", () => {
  it("covers 2PC, 3PC, Paxos, Multi-Paxos and Fast Paxos", () => {
    expect(runnable.map((s) => s.name)).toEqual(["twopc", "threepc", "paxos", "multipaxos", "fastpaxos"]);
  });
  for (const s of runnable) {
    for (const n of [3, 5]) {
      it(`${s.title}, n=${n}: ${s.formula.messagesText} messages and ${s.formula.fsyncsText} fsyncs a commit`, async () => {
        const r = await runCase({ protocol: s.name, fault: "none", seed: 7, voters: n, commands: 10 });
        expect(r.violations).toEqual([]);
        expect(r).toMatchObject({ commands: 10, commits: 10, aborts: 0, undecided: 0 });
        expect(r.messages).toBe(10 * s.formula.messages(n) + s.formula.setupMessages(n));
        expect(r.fsyncs).toBe(10 * s.formula.fsyncs(n) + s.formula.setupFsyncs(n));
      });
    }
  }
  it("the formulas at n=3: 12, 18, 18, 12 and 11 messages; 8, 12, 6, 3 and 3 fsyncs", () => {
    expect(runnable.map((s) => [s.formula.messages(3), s.formula.fsyncs(3)])).toEqual([
      [12, 8],
      [18, 12],
      [18, 6],
      [12, 3],
      [11, 3],
    ]);
  });
});
