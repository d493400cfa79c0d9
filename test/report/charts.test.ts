// The report's time charts and tree view from small hand-written traces: role bands and leader
// terms, zxid steps and their thinning, client operations and latencies, traffic buckets, proof
// lines, the final trees compared across servers, and the ZooKeeper showcase's whole report.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bucketOf, ClientOpsBuilder, OPS_DRAWN_MAX } from "../../src/report/client-ops.js";
import { ReportCollector } from "../../src/report/collector.js";
import { chartData } from "../../src/report/charts-html.js";
import { finalLine } from "../../src/report/final-line.js";
import type { ServerTree } from "../../src/report/input.js";
import { proofIndexes } from "../../src/report/proof.js";
import { renderReport } from "../../src/report/report.js";
import { RolesBuilder } from "../../src/report/roles.js";
import { TrafficBuilder, TRAFFIC_BUCKETS_MAX } from "../../src/report/traffic.js";
import { diffTrees, renderTrees } from "../../src/report/tree-html.js";
import { readTraceLines } from "../../src/report/write.js";
import { ZxidsBuilder, ZXID_POINTS_MAX } from "../../src/report/zxids.js";
import { builtinRegistry } from "../../src/scenario/builtins.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/run.js";
import type { TraceEvent } from "../../src/sim/trace.js";
import { ROOT, tempDir } from "../cli/cli-helpers.js";

const role = (t: number, node: string, state: string, phase: string, epoch: number): TraceEvent => ({ t, type: "zab-role", node, state, phase, epoch, zxid: "0x0" });

describe("roles", () => {
  it("bands each role, shades the down time and keeps each leader's term", () => {
    const b = new RolesBuilder();
    const events: TraceEvent[] = [
      role(0, "s1", "LOOKING", "ELECTION", 0),
      role(0, "s2", "LOOKING", "ELECTION", 0),
      role(200, "s2", "LEADING", "DISCOVERY", 0),
      { t: 205, type: "zab-epoch", node: "s2", which: "accepted", epoch: 1 },
      role(200, "s1", "FOLLOWING", "DISCOVERY", 0),
      { t: 210, type: "zab-active", node: "s2", epoch: 1, quorum: [1, 2], zxid: "0x0" },
      role(210, "s2", "LEADING", "BROADCAST", 1),
      { t: 500, type: "crash", node: "s2" },
      role(501, "s1", "LOOKING", "ELECTION", 1),
      { t: 900, type: "restart", node: "s2" },
      role(900, "s2", "LOOKING", "ELECTION", 1),
    ];
    for (const e of events) b.onEvent(e);
    const r = b.finish();
    expect(r.servers).toEqual(["s1", "s2"]);
    expect(r.leaders).toEqual([{ node: "s2", epoch: 1, from: 210, to: 500 }]);
    expect(r.downs).toEqual([{ node: "s2", from: 500, to: 900 }]);
    const s2 = r.bands.filter((x) => x.node === "s2").map((x) => `${x.state}/${x.phase}/e${x.epoch} ${x.from}-${x.to}`);
    expect(s2).toEqual(["LOOKING/ELECTION/e0 0-200", "LEADING/DISCOVERY/e1 200-210", "LEADING/BROADCAST/e1 210-500", "LOOKING/ELECTION/e1 900-null"]);
  });
});

describe("zxids", () => {
  it("steps a leader's proposals, a learner's PROPOSAL deliveries and everyone's applies", () => {
    const b = new ZxidsBuilder();
    const events: TraceEvent[] = [
      { t: 0, type: "zab-start", node: "s1", zxid: "0x0" },
      { t: 0, type: "zab-start", node: "s2", zxid: "0x0" },
      { t: 10, type: "zab-propose", node: "s2", zxid: "0x100000001" },
      { t: 10, type: "send", from: "s2", to: "s1", id: 7, msg: { type: "PROPOSAL", zxid: "0x100000001" } },
      { t: 12, type: "recv", from: "s2", to: "s1", id: 7 },
      { t: 20, type: "zk-apply", node: "s2", zxid: "0x100000001" },
      { t: 25, type: "zk-apply", node: "s1", zxid: "0x100000001" },
      { t: 30, type: "zk-db-reset", node: "s1" },
    ];
    for (const e of events) b.onEvent(e);
    const [s1, s2] = b.finish().series;
    expect(s1?.points.map((p) => `${p.t}:${p.logged}/${p.committed}`)).toEqual(["0:0x0/0x0", "12:0x100000001/0x0", "25:0x100000001/0x100000001", "30:0x100000001/0x0"]);
    expect(s2?.points.map((p) => `${p.t}:${p.logged}/${p.committed}`)).toEqual(["0:0x0/0x0", "10:0x100000001/0x0", "20:0x100000001/0x100000001"]);
  });

  it("thins a long run to at most ZXID_POINTS_MAX points, keeping the last value", () => {
    const b = new ZxidsBuilder();
    b.onEvent({ t: 0, type: "zab-start", node: "s1", zxid: "0x0" });
    const n = 5 * ZXID_POINTS_MAX;
    for (let i = 1; i <= n; i++) b.onEvent({ t: i * 1_000, type: "zk-apply", node: "s1", zxid: `0x${(0x100000000 + i).toString(16)}` });
    const s = b.finish().series[0];
    expect(s?.points.length).toBeLessThanOrEqual(2 * ZXID_POINTS_MAX);
    expect(s?.bucketUs).toBeGreaterThan(1);
    expect(s?.points[s.points.length - 1]?.committed).toBe(`0x${(0x100000000 + n).toString(16)}`);
  });
});

describe("client operations", () => {
  it("pairs calls with answers, loses what a crashed server never answered, and counts latencies", () => {
    const b = new ClientOpsBuilder();
    const events: TraceEvent[] = [
      { t: 100, type: "client-invoke", node: "c1", op: "create", path: "/a", arg: "x" },
      { t: 100, type: "zk-request", node: "s1", session: "0x1", xid: 1, op: "create", path: "/a" },
      { t: 600, type: "zk-response", node: "s1", session: "0x1", xid: 1, op: "create", path: "/a", zxid: "0x1", err: 0 },
      { t: 700, type: "client-complete", node: "c1", op: "create", path: "/a", err: "ok", value: "/a" },
      { t: 800, type: "client-invoke", node: "c1", op: "set", path: "/a", arg: "y" },
      { t: 800, type: "zk-request", node: "s1", session: "0x1", xid: 2, op: "setData", path: "/a" },
      { t: 900, type: "crash", node: "s1" },
      { t: 5_000, type: "client-complete", node: "c1", op: "set", path: "/a", err: "ConnectionLoss", value: null },
    ];
    for (const e of events) b.onEvent(e);
    const ops = b.finish(10_000);
    expect(ops.lanes).toEqual([
      { kind: "client", lane: "c1" },
      { kind: "server", lane: "s1" },
    ]);
    expect(ops.drawn.map((o) => `${o.lane} ${o.op} ${o.from}-${o.to} ${o.result}`)).toEqual(["c1 create 100-700 ok", "s1 create 100-600 ok", "c1 set 800-5000 ConnectionLoss", "s1 setData 800-900 lost"]);
    const all = ops.stats.find((s) => s.kind === "client" && s.op === "all");
    expect(all).toMatchObject({ count: 2, failed: 1, lost: 0, p50: 600, max: 4_200 });
    expect(ops.stats.find((s) => s.kind === "server" && s.op === "all")).toMatchObject({ count: 2, lost: 1, p50: 500, max: 500 });
    expect(ops.histograms.find((h) => h.kind === "client")?.ok[bucketOf(600)]).toBe(1);
    expect(bucketOf(1)).toBe(0);
    expect(bucketOf(1024)).toBe(10);
  });

  it("draws a sample of a long run but counts every operation", () => {
    const b = new ClientOpsBuilder();
    const n = 3 * OPS_DRAWN_MAX;
    for (let i = 0; i < n; i++) {
      b.onEvent({ t: 10 * i, type: "client-invoke", node: "c1", op: "get", path: "/a", arg: null });
      b.onEvent({ t: 10 * i + 5, type: "client-complete", node: "c1", op: "get", path: "/a", err: "ok", value: "x" });
    }
    const ops = b.finish(10 * n);
    expect(ops.total.client).toBe(n);
    expect(ops.stride.client).toBe(4);
    expect(ops.drawn.length).toBeLessThanOrEqual(OPS_DRAWN_MAX);
    expect(ops.stats[0]).toMatchObject({ count: n, p99: 5 });
  });
});

describe("traffic", () => {
  it("counts sends per type and drops in at most TRAFFIC_BUCKETS_MAX buckets", () => {
    const b = new TrafficBuilder();
    for (let i = 0; i < 10_000; i++) b.onEvent({ t: i * 1_000, type: "send", from: "a", to: "b", id: i, msg: { type: i % 2 === 0 ? "PING" : "ACK" } });
    b.onEvent({ t: 5_000_000, type: "drop", from: "a", to: "b", id: 1, reason: "loss" });
    const t = b.finish();
    expect(t.types).toEqual(["ACK", "PING"]);
    expect(t.sends.length).toBeLessThanOrEqual(TRAFFIC_BUCKETS_MAX);
    expect(t.sends.flat().reduce((x, y) => x + y, 0)).toBe(10_000);
    expect(t.drops.reduce((x, y) => x + y, 0)).toBe(1);
  });
});

describe("violations' proof", () => {
  it("names the proving event, then the ones its message cites", () => {
    expect(proofIndexes({ invariant: "x", eventIndex: 81, t: 0, nodes: [], message: "p2 decided abort (event 75) but p1 decided commit since event 12" })).toEqual([81, 75, 12]);
  });

  it("reads those lines back from a trace file", () => {
    const path = join(tempDir(), "t.jsonl");
    writeFileSync(path, `${Array.from({ length: 50_000 }, (_, i) => `{"t":${i},"type":"x${i}"}`).join("\n")}\n`);
    const lines = readTraceLines(path, [0, 12, 49_999, 60_000]);
    expect([...lines]).toEqual([
      [0, '{"t":0,"type":"x0"}'],
      [12, '{"t":12,"type":"x12"}'],
      [49_999, '{"t":49999,"type":"x49999"}'],
    ]);
  });
});

describe("final trees", () => {
  const entry = (path: string, data: string, mzxid = "0x100000001") => ({ path, data, version: 0, czxid: "0x100000001", mzxid, ephemeralOwner: null });
  const trees: ServerTree[] = [
    { node: "s1", state: "up", lastZxid: "0x100000002", entries: [entry("/", ""), entry("/a", "v1"), entry("/b", "x")] },
    { node: "s2", state: "up", lastZxid: "0x100000002", entries: [entry("/", ""), entry("/a", "v1"), entry("/b", "x")] },
    { node: "s3", state: "up", lastZxid: "0x100000003", entries: [entry("/", ""), entry("/a", "v2", "0x100000003")] },
    { node: "s4", state: "down", lastZxid: null, entries: [] },
  ];

  it("marks the paths where the live servers differ, and the odd cells", () => {
    const { diff, rows } = diffTrees(trees);
    expect(diff).toEqual({ paths: 3, differing: ["/a", "/b"] });
    expect(rows.find((r) => r.path === "/a")?.odd).toEqual([false, false, true]);
    const html = renderTrees(trees);
    expect(html).toContain("2 of 3 paths differ");
    expect(html).toContain("Down at the end (nothing to read): s4.");
    expect(html.match(/<td class="odd/g)?.length).toBe(2);
  });
});

describe("the showcase's report", async () => {
  const scenario = await loadScenarioFile(join(ROOT, "scenarios", "zk-showcase.yaml"), builtinRegistry());
  const build = () => {
    const collector = ReportCollector.forScenario(scenario);
    const run = runScenario(scenario, { sink: { kind: "memory" }, observer: collector.onEvent, atEnd: collector.atEnd });
    const c = collector.finish();
    return { run, c, texts: renderReport({ source: "run", run, timeline: c.timeline, charts: c.charts, trees: c.trees, finalLine: finalLine(run) }).texts };
  };
  const { run, c, texts } = build();

  it("has the leaders, all three servers' trees in agreement, and the failed-over client", () => {
    expect(run.result).toBe("pass");
    expect(c.charts.roles.leaders.map((l) => `${l.node}:${l.epoch}`)).toEqual(["s3:1", "s2:2"]);
    expect(c.trees?.map((t) => t.state)).toEqual(["up", "up", "up"]);
    expect(diffTrees(c.trees ?? []).diff.differing).toEqual([]);
    expect(c.trees?.[0]?.entries.find((e) => e.path === "/app")).toMatchObject({ data: "config-v1", version: 0, czxid: "0x100000003" });
    expect(c.charts.ops.drawn.some((o) => o.lane === "cWriter" && o.result === "ConnectionLoss")).toBe(true);
    const md = texts["report.md"];
    expect(md).toContain("### Leaders");
    expect(md).toContain("The live servers hold the same");
    const summary = JSON.parse(texts["summary.json"]) as { leaders: unknown[]; trees: { differing: string[] } };
    expect(summary.leaders).toHaveLength(2);
    expect(summary.trees.differing).toEqual([]);
  });

  it("embeds its chart data safely and the same bytes every time", () => {
    const json = chartData(c.charts, c.timeline, run.violations);
    expect(json).not.toContain("<");
    expect(JSON.parse(json)).toMatchObject({ servers: ["s1", "s2", "s3"] });
    expect(build().texts).toEqual(texts);
  });
});
