// The standalone server's snapshots: taken at start and after a drawn count of logged txns in
// (snapCount/2, snapCount] (SyncRequestProcessor), written as whole files or not at all, and on
// restart the newest whole one is loaded and only the log after it is replayed
// (FileTxnSnapLog.restore). A crash in the middle of a snapshot write, or a disk that loses the
// log's tail, still recovers the tree the server had made durable.
import { describe, expect, it } from "vitest";
import { Stream } from "../../../src/sim/random.js";
import type { TraceEvent } from "../../../src/sim/trace.js";
import { OPEN_ACL_UNSAFE } from "../../../src/zk/acl.js";
import { CLIENT_ID, SERVER_ID, StandaloneSim } from "../../../src/zk/client/standalone-sim.js";
import { SnapSchedule, decodeSnapshot, encodeSnapshot, snapshotFile, snapshotZxid } from "../../../src/zk/server/snapshots.js";
import { StandaloneServer } from "../../../src/zk/server/standalone-server.js";
import { dumpTree, type TreeEntry } from "../../../src/zk/server/tree-dump.js";
import { toWire } from "../../../src/zk/server/wire.js";
import { parseZooCfg } from "../../../src/zk/server/zoo-cfg.js";

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function sim(snapCount: number, seed = 7): StandaloneSim {
  return new StandaloneSim({ seed, server: { snapCount }, trace: { sink: { kind: "memory" }, strict: true } });
}

const events = (s: StandaloneSim): TraceEvent[] => s.world.traceLines().map((l) => JSON.parse(l) as TraceEvent);
const snapshots = (s: StandaloneSim, why?: string): TraceEvent[] => events(s).filter((e) => e.type === "zk-snapshot" && (why === undefined || e["why"] === why));

function server(s: StandaloneSim): StandaloneServer {
  const n = s.world.inspect(SERVER_ID);
  if (!(n instanceof StandaloneServer)) throw new Error("the server is down");
  return n;
}

const tree = (s: StandaloneSim): TreeEntry[] => dumpTree(server(s).tree);

/** Creates and updates that leave a tree with data, versions, children and ephemerals to compare. */
function writes(s: StandaloneSim, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) {
    if (i % 4 === 0) s.client.create(`/p${i}`, text(`v${i}`), OPEN_ACL_UNSAFE, 0, -1n);
    else if (i % 4 === 1) s.client.create(`/p${i - 1}/c${i}`, null, OPEN_ACL_UNSAFE, i % 8 === 1 ? 1 : 0, -1n);
    else s.client.setData(`/p${i - (i % 4)}`, text(`w${i}`), -1);
  }
}

/** Sends a create and runs until the server has logged it, not until it is durable. */
function inFlight(s: StandaloneSim, path: string): void {
  let logged = false;
  s.world.observe((e) => {
    if (e.type === "zk-request" && e["path"] === path) logged = true;
  });
  s.world.input(CLIENT_ID, { type: "request", xid: 9_999, body: toWire({ op: "write", req: { type: "create", path, data: null, acl: OPEN_ACL_UNSAFE, flags: 0, ttlMs: -1n } }) });
  s.world.run({ stopWhen: () => logged });
}

/** The zxids of the whole snapshots on the server's durable disk, ascending. */
function wholeSnapshots(s: StandaloneSim): bigint[] {
  return Object.entries(s.world.durableDisk(SERVER_ID))
    .filter(([f, recs]) => snapshotZxid(f) !== null && decodeSnapshot(recs) !== null)
    .map(([f]) => snapshotZxid(f) as bigint)
    .sort((a, b) => (a < b ? -1 : 1));
}

/** The zxids the server applied while recovering (trace lines from `from` on, up to zk-server-up). */
function recoveryApplies(s: StandaloneSim, from: number): bigint[] {
  const es = events(s).slice(from);
  const up = es.findIndex((e) => e.type === "zk-server-up");
  return es
    .slice(0, up)
    .filter((e) => e.type === "zk-apply" && e["node"] === SERVER_ID)
    .map((e) => BigInt(e["zxid"] as string));
}

function restart(s: StandaloneSim): TraceEvent | undefined {
  const from = s.world.traceLines().length;
  s.restart();
  s.advance(3000);
  return events(s)
    .slice(from)
    .find((e) => e.type === "zk-snapshot-loaded");
}

describe("SnapSchedule (SyncRequestProcessor.shouldSnapshot)", () => {
  const counts = (snapCount: number, seed: string): Set<number> => {
    const r = new Stream(seed, "node/s1");
    const sched = new SnapSchedule(snapCount);
    sched.roll(r);
    const seen = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      const due = sched.append(r);
      if (due !== null) seen.add(due);
    }
    return seen;
  };

  it("makes a snapshot due after every count in (snapCount/2, snapCount], each drawn", () => {
    expect([...counts(10, "a")].sort((x, y) => x - y)).toEqual([6, 7, 8, 9, 10]);
    expect([...counts(1000, "b")].every((n) => n > 500 && n <= 1000)).toBe(true);
  });

  it("draws randRoll in [0, snapCount/2) with integer halves, so an odd snapCount never waits it out", () => {
    expect([...counts(5, "c")].sort()).toEqual([3, 4]);
  });

  it("reads a snapCount below 2 as 2 (ZooKeeperServer.getSnapCount)", () => {
    expect(new SnapSchedule(0).snapCount).toBe(2);
    expect([...counts(1, "d")]).toEqual([2]);
  });
});

describe("snapshot files", () => {
  it("are named after the last zxid they hold, in bare hex (Util.makeSnapshotName)", () => {
    expect(snapshotFile(0n)).toBe("snapshot.0");
    expect(snapshotFile(0x1_0000_002an)).toBe("snapshot.10000002a");
    expect(snapshotZxid("snapshot.1a")).toBe(0x1an);
    expect(snapshotZxid("log")).toBeNull();
    expect(snapshotZxid("snapshot.xyz")).toBeNull();
  });

  it("read back only when whole: an empty or cut file has no seal", () => {
    const history = [{ hdr: { zxid: 1n, sessionId: 5n, timeMs: 10 }, txn: { type: "createSession", timeoutMs: 4000 } as const }];
    const recs = encodeSnapshot(history);
    expect(decodeSnapshot(recs)).toEqual(history);
    expect(decodeSnapshot([])).toBeNull();
    expect(decodeSnapshot(recs.slice(0, -1))).toBeNull();
    expect(decodeSnapshot([...recs.slice(0, -1), { seal: 2 }])).toBeNull();
  });
});

describe("standalone snapshots", () => {
  it("snapshots the empty tree at a fresh start (ZooKeeperServer.loadData)", () => {
    const s = sim(100_000);
    expect(snapshots(s).map((e) => [e["why"], e["zxid"]])).toEqual([["start", "0x0"]]);
    expect(s.world.durableDisk(SERVER_ID)["snapshot.0"]).toEqual([{ seal: 0 }]);
  });

  it("takes a snapshot each time the txns logged since the last one pass the drawn count", () => {
    const s = sim(10);
    writes(s, 80);
    const taken = snapshots(s, "count");
    const logged = taken.map((e) => e["logged"] as number);
    // createSession and 80 writes: 81 txns, one snapshot per 6 to 10 of them.
    expect(taken.length).toBeGreaterThanOrEqual(8);
    expect(taken.length).toBeLessThanOrEqual(13);
    expect(logged.every((n) => n > 5 && n <= 10)).toBe(true);
    expect(new Set(logged).size).toBeGreaterThan(1);
    // Each holds the txns applied when it was due, under its last zxid's name.
    const disk = s.world.durableDisk(SERVER_ID);
    for (const e of taken) {
      const held = decodeSnapshot(disk[snapshotFile(BigInt(e["zxid"] as string))] ?? []);
      expect(held?.[held.length - 1]?.hdr.zxid).toBe(BigInt(e["zxid"] as string));
    }
    expect(s.world.marks()["zk-server: snapshot after snapCount txns"]).toBe(taken.length);
  });

  it("skips a snapshot due while the last one is still being written (Too busy to snap)", () => {
    const s = sim(2);
    for (let i = 0; i < 6; i++) s.world.input(CLIENT_ID, { type: "request", xid: 100 + i, body: toWire({ op: "write", req: { type: "create", path: `/b${i}`, data: null, acl: OPEN_ACL_UNSAFE, flags: 0, ttlMs: -1n } }) });
    s.advance(1000);
    expect(s.world.marks()["zk-server: too busy to snap"]).toBeGreaterThan(0);
    expect(s.lastZxid()).toBe("0x7");
  });

  it("restarts from the newest snapshot and the log after it: the tree before the crash, less what was not fsynced", () => {
    const s = sim(10);
    writes(s, 47);
    inFlight(s, "/lost");
    const before = tree(s);
    expect(before.some((e) => e.path === "/lost")).toBe(false);
    const last = server(s).lastZxid;
    s.crash();
    const newest = wholeSnapshots(s).at(-1) ?? -1n;
    expect(newest).toBeGreaterThan(0n);
    const from = s.world.traceLines().length;
    const loaded = restart(s);
    expect(loaded).toMatchObject({ zxid: `0x${newest.toString(16)}`, skipped: 0 });
    expect(s.world.marks()["zk-server: recovered from a snapshot"]).toBe(1);
    expect(tree(s)).toEqual(before);
    expect(s.client.exists("/lost", false)).toEqual({ ok: true, value: null });
    // Recovery applied the snapshot's txns, then the logged ones after its zxid, each once.
    expect(recoveryApplies(s, from)).toEqual(Array.from({ length: Number(last) }, (_, i) => BigInt(i + 1)));
  });

  it("recovers when the crash comes in the middle of a snapshot write: the cut file is passed over", () => {
    const s = sim(10);
    writes(s, 20);
    const older = snapshots(s).at(-1);
    let writing = false;
    s.world.observe((e) => {
      if (e.type === "zk-snapshot" && e["why"] === "count") writing = true;
    });
    for (let i = 0; i < 12; i++) s.world.input(CLIENT_ID, { type: "request", xid: 500 + i, body: toWire({ op: "write", req: { type: "create", path: `/m${i}`, data: null, acl: OPEN_ACL_UNSAFE, flags: 0, ttlMs: -1n } }) });
    s.world.run({ stopWhen: () => writing });
    // The write is issued; the crash comes before the disk has it.
    const cut = snapshots(s).at(-1);
    expect(cut?.["zxid"]).not.toBe(older?.["zxid"]);
    const before = tree(s);
    s.crash();
    expect(s.world.durableDisk(SERVER_ID)[snapshotFile(BigInt(cut?.["zxid"] as string))]).toEqual([]);
    const loaded = restart(s);
    expect(loaded).toMatchObject({ zxid: older?.["zxid"], skipped: 1 });
    expect(s.world.marks()["zk-server: skipped a snapshot that is not whole"]).toBe(1);
    expect(tree(s)).toEqual(before);
  });

  it("keeps what a snapshot holds when the disk loses the log's durable tail", () => {
    const s = sim(100_000);
    writes(s, 12);
    // A restart snapshots everything it recovered; then the log loses its last 1 to 3 durable records.
    s.crash();
    restart(s);
    const before = tree(s);
    const held = snapshots(s, "start").at(-1)?.["zxid"];
    expect(held).toBe(`0x${server(s).lastZxid.toString(16)}`);
    const logBefore = s.world.durableDisk(SERVER_ID)["log"]?.length ?? 0;
    s.world.armDiskFault(SERVER_ID, "lost-tail");
    s.crash();
    expect(s.world.durableDisk(SERVER_ID)["log"]?.length).toBeLessThan(logBefore);
    expect(restart(s)).toMatchObject({ zxid: held, skipped: 0 });
    expect(tree(s)).toEqual(before);
  });

  it("takes snapCount from zoo.cfg; a value that is not an integer leaves the default", () => {
    expect(parseZooCfg("snapCount=10\n")).toEqual({ ok: true, cfg: { snapCount: 10 } });
    expect(parseZooCfg("snapCount=lots\n")).toEqual({ ok: true, cfg: {} });
  });
});
