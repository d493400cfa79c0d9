// zksim compare in this process: options and their errors, the same seed giving the same runs,
// 3PC's split decision showing up under the partition set, and the report's pieces.
import { describe, expect, it } from "vitest";
import { percentile, ratio1, ms1 } from "../../src/compare/aggregate.js";
import { caseYaml, runCase } from "../../src/compare/case.js";
import { caseSpecs, runComparison, rowOf } from "../../src/compare/compare.js";
import { parseOptions, type CompareOptions } from "../../src/compare/options.js";
import { charts, reportData } from "../../src/compare/report.js";
import { renderCompareHtml } from "../../src/compare/html.js";
import { renderCompareMarkdown } from "../../src/compare/markdown.js";
import { renderTable } from "../../src/compare/table.js";
import { workloadOf } from "../../src/compare/workload.js";

const ok = (raw: Parameters<typeof parseOptions>[0]): CompareOptions => {
  const o = parseOptions(raw);
  if ("errors" in o) throw new Error(o.errors.join("; "));
  return o;
};
const errors = (raw: Parameters<typeof parseOptions>[0]): readonly string[] => {
  const o = parseOptions(raw);
  return "errors" in o ? o.errors : [];
};

describe("compare options", () => {
  it("defaults to every protocol and every fault set", () => {
    const o = ok({});
    expect(o.subjects.map((s) => `${s.name}:${s.available}`)).toEqual(["twopc:true", "threepc:true", "paxos:true", "multipaxos:true", "fastpaxos:true", "zab:true"]);
    expect(o.faults).toEqual(["none", "crash-phase1", "crash-phase2", "crash-phase3", "partition", "loss", "slow-disk"]);
    expect(o).toMatchObject({ seeds: 10, seedStart: 1, voters: 3, commands: 20 });
  });

  it("takes lists in the lab's order, and `crash` for the three crash sets", () => {
    const o = ok({ protocols: "paxos, twopc", faults: "partition,crash" });
    expect(o.subjects.map((s) => s.name)).toEqual(["twopc", "paxos"]);
    expect(o.faults).toEqual(["crash-phase1", "crash-phase2", "crash-phase3", "partition"]);
  });

  it("names an unknown protocol or fault set, with the known ones", () => {
    expect(errors({ protocols: "twopc,raft" })).toEqual([expect.stringMatching(/^unknown protocol "raft" in --protocols \(known: twopc, threepc, paxos, multipaxos, fastpaxos, zab\)$/)]);
    expect(errors({ faults: "none,meteor" })).toEqual([expect.stringMatching(/^unknown fault set "meteor" in --faults \(known: none, crash-phase1, .*slow-disk/)]);
  });

  it("says why a protocol cannot run with a cluster size", () => {
    expect(errors({ protocols: "paxos,fastpaxos", nodes: 2 })).toEqual([
      expect.stringMatching(/^--nodes 2: paxos cannot run: Paxos needs at least 3 acceptors: a majority quorum survives f failures only with 2f \+ 1/),
      expect.stringMatching(/^--nodes 2: fastpaxos cannot run: Fast Paxos needs at least 3 acceptors/),
    ]);
    expect(errors({ protocols: "twopc", nodes: 1 })).toEqual([expect.stringMatching(/twopc cannot run: 2PC runs with 2 to 64 participants/)]);
    expect(errors({ protocols: "twopc,paxos", nodes: 2 })).toHaveLength(1);
  });
});

describe("compare runs", () => {
  it("every protocol of a seed sees the same workload and the same target command", () => {
    const w = workloadOf(3, 20);
    expect(w.commands).toHaveLength(20);
    expect(w.target).toBeGreaterThanOrEqual(6);
    expect(w.target).toBeLessThanOrEqual(10);
    expect(workloadOf(3, 20)).toEqual(w);
    expect(workloadOf(4, 20).commands).not.toEqual(w.commands);
  });

  it("a case is a function of its spec: same seed, same trace; its scenario file names the faults", async () => {
    const spec = { protocol: "multipaxos", fault: "crash-phase2", seed: 2, voters: 3, commands: 8 } as const;
    const [a, b] = [await runCase(spec), await runCase(spec)];
    expect(a.traceSha256).toBe(b.traceSha256);
    expect(a).toEqual(b);
    expect((await runCase({ ...spec, seed: 3 })).traceSha256).not.toBe(a.traceSha256);
    expect(caseYaml(spec)).toMatch(/crash: p1/);
    expect(caseYaml(spec)).toMatch(/restart: p1/);
  });

  it("shows 3PC's split decision under the partition set, and not 2PC's (it blocks instead)", async () => {
    const o = ok({ protocols: "twopc,threepc", faults: "partition", seeds: 2, commands: 10 });
    expect(caseSpecs(o)).toHaveLength(4);
    const c = await runComparison(o, 1);
    const at = rowOf(c);
    expect(at("threepc", "partition")).toMatchObject({ runs: 2, violationRuns: 2, invariants: ["atomicity"] });
    expect(at("twopc", "partition")).toMatchObject({ runs: 2, violationRuns: 0 });
    // 2PC's participants cut off from the decision hold their locks until the partition heals (1s).
    expect(at("twopc", "partition")?.blockedUsMax).toBeGreaterThanOrEqual(900_000);
    expect(c.crashes).toEqual([]);

    const table = renderTable(o.subjects, o.faults, at);
    expect(table).toMatch(/^faults: partition$/m);
    expect(table).toMatch(/^3PC +\d+ +\d+ +\d+ +[\d.]+ +2\/2 runs: atomicity/m);

    const d = reportData(c, "zksim compare --protocols twopc,threepc --faults partition --seeds 2");
    const md = renderCompareMarkdown(d);
    expect(md).toMatch(/^## partition$/m);
    expect(md).toMatch(/\*\*3PC, partition\*\*: 2 of 2 runs \(atomicity\); seeds 1, 2\. Re-run one: `zksim run cases\/threepc-partition-seed1\.yaml`/);
    const html = renderCompareHtml(d, charts(d));
    expect(html.match(/<svg /g)?.length).toBe(4);
    // Self-contained: nothing is fetched.
    expect(html).not.toMatch(/<script|<link|src=|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it("runs ZAB on the ensemble: every command commits, none blocked in a fault-free run", async () => {
    const o = ok({ protocols: "twopc,zab", faults: "none", seeds: 1, commands: 4 });
    const c = await runComparison(o, 1);
    expect(c.rows.map((r) => r.protocol)).toEqual(["twopc", "zab"]);
    const zab = c.rows.find((r) => r.protocol === "zab");
    expect(zab).toMatchObject({ commits: 4, aborts: 0, undecided: 0 });
    expect(renderTable(o.subjects, o.faults, rowOf(c))).toMatch(/^ZAB +4 +0 +0 /m);
  });
});

describe("figures", () => {
  it("nearest-rank percentiles and integer-only formatting", () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 99)).toBe(4);
    expect(ratio1(121, 10)).toBe("12.1");
    expect(ratio1(5, 0)).toBe("-");
    expect(ms1(12_345)).toBe("12.3");
    expect(ms1(null)).toBe("-");
  });
});
