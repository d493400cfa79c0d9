// The lab's numbers are explainable: without faults, every protocol's messages and fsyncs per
// commit are exactly the textbook formula (plus the one-time election of Multi-Paxos and Fast Paxos).
import { describe, expect, it } from "vitest";
import { caseScenario, runCase } from "../../src/compare/case.js";
import type { CompareSubject } from "../../src/compare/subject.js";
import { SUBJECTS } from "../../src/compare/subjects.js";
import { runScenario } from "../../src/scenario/run.js";

// ZAB's heartbeats, election and client session are time-driven: its per-command cost is checked
// message by message below instead of as a total.
const runnable = SUBJECTS.filter((s): s is CompareSubject => s.available && s.name !== "zab");

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

  for (const n of [3, 5]) {
    it(`ZAB, n=${n}: each command is one PROPOSAL, one ACK and one COMMIT per follower, logged by every server`, async () => {
      const zab = SUBJECTS.find((s): s is CompareSubject => s.name === "zab" && s.available);
      expect(zab?.formula.messages(n)).toBe(3 * (n - 1) + 2);
      const scenario = await caseScenario({ protocol: "zab", fault: "none", seed: 7, voters: n, commands: 10 });
      const perType = new Map<string, number>();
      const cmdZxids = new Set<string>();
      let logFsyncs = 0;
      const r = runScenario(scenario, {
        observer: (e) => {
          if (e.type === "zab-propose" && typeof e["path"] === "string" && e["path"].startsWith("/cmd-")) cmdZxids.add(e["zxid"] as string);
          if (e.type === "durable" && e["file"] === "log") logFsyncs++;
          if (e.type !== "send") return;
          const msg = e["msg"] as { type: string; zxid?: string };
          if (msg.zxid !== undefined && cmdZxids.has(msg.zxid)) perType.set(msg.type, (perType.get(msg.type) ?? 0) + 1);
        },
      });
      expect(r.violations).toEqual([]);
      expect(cmdZxids.size).toBe(10);
      expect(Object.fromEntries(perType)).toEqual({ PROPOSAL: 10 * (n - 1), ACK: 10 * (n - 1), COMMIT: 10 * (n - 1), Reply: 10 });
      // Every server fsyncs each command's txn (they arrive 50 ms apart, too far apart to share one).
      expect(logFsyncs).toBeGreaterThanOrEqual(10 * n);
    });
  }
});
