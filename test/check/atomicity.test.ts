// The atomicity checker on hand-written traces: it fires on disagreement, names the nodes and the
// event, stays silent on agreement, and ignores `decide` events of other shapes.
import { describe, expect, it } from "vitest";
import { atomicityChecker } from "../../src/check/atomicity.js";
import { checkEvents } from "../../src/check/checker.js";
import type { TraceEvent } from "../../src/sim/trace.js";

const decide = (t: number, node: string, tx: number, decision: string): TraceEvent => ({ t, type: "decide", node, tx, decision, via: "coordinator" });
const noise = (t: number): TraceEvent => ({ t, type: "send", from: "coord", to: "p1", id: t, ch: "main", msg: { type: "PREPARE", tx: 1 } });

describe("atomicityChecker", () => {
  it("is named after its invariant", () => {
    expect(atomicityChecker().name).toBe("atomicity");
  });

  it("is silent when every node decides the same", () => {
    const events = [decide(1, "coord", 1, "commit"), noise(2), decide(3, "p1", 1, "commit"), decide(4, "p2", 1, "commit"), decide(5, "p1", 2, "abort"), decide(6, "coord", 2, "abort")];
    expect(checkEvents([atomicityChecker()], events)).toEqual([]);
  });

  it("fires when two nodes decide one tx differently, naming both, the tx and the events", () => {
    const events = [noise(1), decide(2, "p1", 1, "commit"), noise(3), decide(4, "p2", 1, "commit"), decide(5, "p3", 1, "abort")];
    expect(checkEvents([atomicityChecker()], events)).toEqual([
      { invariant: "atomicity", eventIndex: 4, t: 5, nodes: ["p1", "p3"], message: "tx 1: p1 decided commit (event 1) but p3 decided abort" },
    ]);
  });

  it("keeps transactions apart", () => {
    const events = [decide(1, "p1", 1, "commit"), decide(2, "p2", 2, "abort"), decide(3, "p2", 1, "commit"), decide(4, "p1", 2, "abort")];
    expect(checkEvents([atomicityChecker()], events)).toEqual([]);
  });

  it("fires when one node changes its mind, and ignores a repeated identical decision", () => {
    const events = [decide(1, "p1", 7, "abort"), decide(2, "p1", 7, "abort"), decide(3, "p1", 7, "commit")];
    const found = checkEvents([atomicityChecker()], events);
    expect(found).toEqual([{ invariant: "atomicity", eventIndex: 2, t: 3, nodes: ["p1"], message: "tx 7: p1 decided abort (event 0) and later commit" }]);
  });

  it("ignores decide events that are not commit/abort decisions on a numbered tx", () => {
    const events: TraceEvent[] = [
      decide(1, "p1", 1, "commit"),
      { t: 2, type: "decide", node: "p2", tx: 1, decision: "chosen" },
      { t: 3, type: "decide", node: "p3", tx: "1", decision: "abort" },
      { t: 4, type: "decide", tx: 1, decision: "abort" },
    ];
    expect(checkEvents([atomicityChecker()], events)).toEqual([]);
  });
});
