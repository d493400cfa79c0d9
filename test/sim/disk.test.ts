import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DiskFaultKind } from "../../src/sim/disk.js";
import type { TraceEvent, TraceValue } from "../../src/sim/trace.js";
import type { World } from "../../src/sim/world.js";
import { chainContent, inputAt, ofType, readTrace, recorderWorld, type RecorderOptions } from "./helpers.js";

const LOG = "log";
const FIXED_FSYNC = { fsync: { dist: "fixed", minUs: 1_000, maxUs: 1_000 } } as const;

function diskWorld(seed: number, disk: Record<string, unknown> = FIXED_FSYNC, opts: RecorderOptions = {}): World {
  const w = recorderWorld({ seed, disk }, ["a"], { readOnStart: [LOG, "meta", "f"], ...opts });
  w.start("a");
  return w;
}

/** What `a` found on its disk at each start, in order. */
const starts = (ev: readonly TraceEvent[]): Record<string, TraceValue>[] =>
  ofType(ev, "saw-start", "a").map((e) => e["files"] as Record<string, TraceValue>);

const crashAndRestart = (w: World, t: number): void => {
  w.at(t, () => w.crash("a"));
  w.at(t + 1, () => w.restart("a"));
};

describe("disk: only fsynced data survives a crash (property)", () => {
  type Step = { readonly dtUs: number; readonly op: "append" | "fsync" | "crash" | DiskFaultKind };
  const stepArb: fc.Arbitrary<Step> = fc.record({
    dtUs: fc.integer({ min: 1, max: 2_500 }),
    op: fc.oneof(
      { arbitrary: fc.constant("append" as const), weight: 5 },
      { arbitrary: fc.constant("fsync" as const), weight: 2 },
      { arbitrary: fc.constant("crash" as const), weight: 1 },
      { arbitrary: fc.constantFrom("torn-write" as const, "lost-tail" as const), weight: 1 },
    ),
  });

  it("after each restart the log is the prefix covered by the last completed fsync (less what an armed fault takes)", () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(stepArb, { minLength: 5, maxLength: 60 }), fc.integer({ min: 0, max: 3 }), (seed, steps, slow) => {
        const w = diskWorld(seed, { fsync: { dist: "bell", minUs: 100, maxUs: 3_000 } });
        if (slow > 0) w.setDiskSlow("a", slow * 700);
        let t = 0;
        let appends = 0;
        let fsyncs = 0;
        const crashAt = (at: number): void => {
          w.at(at, () => {
            w.trace({ type: "test-durable", view: w.durableDisk("a") });
            w.crash("a");
          });
          w.at(at + 1, () => w.restart("a"));
        };
        for (const s of steps) {
          t += s.dtUs;
          if (s.op === "append") inputAt(w, t, "a", { op: "append", file: LOG, value: `r${appends++}` });
          else if (s.op === "fsync") inputAt(w, t, "a", { op: "fsync", file: LOG, tag: String(fsyncs++) });
          else if (s.op === "crash") crashAt(t);
          else {
            const kind = s.op;
            w.at(t, () => w.armDiskFault("a", kind));
          }
        }
        crashAt(t + 1);
        w.run();
        checkLogModel(readTrace(w));
      }),
      { numRuns: 150 },
    );
  });

  /** An independent model of the log, driven by the trace's inputs, completions and crashes. */
  function checkLogModel(ev: readonly TraceEvent[]): void {
    let cur: TraceValue[] = [];
    let durable = 0;
    let armed: DiskFaultKind | null = null;
    let expected: { content: TraceValue[]; torn: boolean } = { content: [], torn: false };
    let lenAtFsync = new Map<string, number>();
    let pending: string[] = [];
    let lossLines: TraceEvent[] = [];
    let crashed = false;
    for (const e of ev) {
      if (e["node"] !== undefined && e["node"] !== "a") continue;
      switch (e.type) {
        case "saw-start": {
          const files = e["files"] as Record<string, TraceValue>;
          expect(files[LOG], "log after restart").toEqual(expected.content);
          expect(files[`${LOG}:torn`], "tornTail after restart").toBe(expected.torn);
          cur = [...expected.content];
          durable = cur.length;
          lenAtFsync = new Map();
          pending = [];
          crashed = false;
          break;
        }
        case "input": {
          const cmd = e["input"] as { op: string; value?: TraceValue; tag?: string };
          expect(e["lost"]).toBe(false);
          if (cmd.op === "append") cur.push(cmd.value as TraceValue);
          if (cmd.op === "fsync") {
            lenAtFsync.set(cmd.tag as string, cur.length);
            pending.push(cmd.tag as string);
          }
          break;
        }
        case "saw-disk": {
          // Completions come in issue order, each once, and only for this incarnation's fsyncs.
          expect(e["tag"]).toBe(pending.shift());
          durable = Math.max(durable, lenAtFsync.get(e["tag"] as string) as number);
          break;
        }
        case "disk-fault":
          armed = e["fault"] as DiskFaultKind;
          break;
        case "test-durable":
          // What the kernel says a crash would keep, before faults: the model's durable prefix.
          expect((e["view"] as Record<string, TraceValue>)[LOG] ?? []).toEqual(cur.slice(0, durable));
          break;
        case "crash":
          crashed = true;
          lossLines = [];
          break;
        case "disk-loss":
          lossLines.push(e);
          break;
        case "restart": {
          expect(crashed).toBe(true);
          const unsynced = cur.length - durable;
          const loss = lossLines.find((l) => l["file"] === LOG);
          if (armed === "torn-write" && unsynced > 0) {
            expect([loss?.["fault"], loss?.["lost"]]).toEqual(["torn-write", unsynced]);
            expected = { content: cur.slice(0, durable), torn: true };
          } else if (armed === "lost-tail" && durable > 0) {
            expect(loss?.["fault"]).toBe("lost-tail");
            const k = (loss?.["lost"] as number) - unsynced;
            expect(k).toBeGreaterThanOrEqual(1);
            expect(k).toBeLessThanOrEqual(Math.min(3, durable));
            expected = { content: cur.slice(0, durable - k), torn: false };
          } else {
            if (unsynced > 0) expect([loss?.["fault"], loss?.["lost"]]).toEqual([null, unsynced]);
            else expect(loss).toBeUndefined();
            expected = { content: cur.slice(0, durable), torn: false };
          }
          // An armed fault is used by one crash at most.
          armed = null;
          break;
        }
      }
    }
  }
});

describe("disk: atomic writes are all-or-nothing across a crash (property)", () => {
  it("after a crash a file holds exactly the last completed atomic write", () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(0, 1, 2),
        (seed, crashDelays, dist) => {
          const fsync = [
            { dist: "fixed", minUs: 700, maxUs: 700 },
            { dist: "uniform", minUs: 100, maxUs: 3_000 },
            { dist: "bell", minUs: 1, maxUs: 5_000 },
          ][dist];
          // Each completed write starts the next one (`chain:<k+1>`), one pending at a time.
          const w = diskWorld(seed, { fsync }, { atomicChainUntil: 1_000 });
          let t = 0;
          crashDelays.forEach((d, round) => {
            const k = round * 100 + 1;
            inputAt(w, t, "a", { op: "atomic", file: "meta", records: chainContent(k), tag: `chain:${k}` });
            t += d;
            crashAndRestart(w, t);
            t += 2;
          });
          // Cut the last chain short so the run ends.
          w.at(t + 1, () => w.crash("a"));
          w.run();
          const ev = readTrace(w);
          let lastDone: TraceValue[] = [];
          const found = starts(ev);
          let restarts = 0;
          for (const e of ev) {
            if (e.type === "saw-disk" && e["node"] === "a") {
              const m = /^chain:(\d+)$/.exec(e["tag"] as string);
              lastDone = chainContent(Number(m?.[1]));
            }
            if (e.type === "restart") {
              restarts++;
              expect(found[restarts]?.["meta"]).toEqual(lastDone);
            }
          }
          expect(restarts).toBe(crashDelays.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  // Regression test for a fixed bug (src/sim/disk.ts, DiskState.writeAtomic/atomicDone). What used to happen: with two atomic writes of one file in
  // flight, the first one's completion is ignored (its generation is stale) although the node gets
  // onDiskDone for it; the shadow stays at the content from before both writes. A crash before the
  // second completes brings back that older content: a write the node was told is durable is lost
  // (think currentEpoch written twice). atomicDone for a superseded generation should move the
  // shadow to that write's records.
  it("a completed atomic write survives a crash while a later write of the same file is pending", () => {
    const w = diskWorld(1);
    inputAt(w, 0, "a", { op: "atomic", file: "meta", records: ["epoch-4"], tag: "e4" });
    inputAt(w, 2_000, "a", { op: "atomic", file: "meta", records: ["epoch-5"], tag: "e5" }); // done at 3000
    inputAt(w, 2_900, "a", { op: "atomic", file: "meta", records: ["epoch-6"], tag: "e6" }); // done at 3900
    crashAndRestart(w, 3_500);
    w.run();
    const ev = readTrace(w);
    expect(ofType(ev, "saw-disk").map((e) => e["tag"])).toEqual(["e4", "e5"]);
    expect(starts(ev)[1]?.["meta"]).toEqual(["epoch-5"]);
  });
});

describe("disk: operations", () => {
  it("reads see unsynced data (page cache); a crash drops it", () => {
    const w = diskWorld(2);
    inputAt(w, 0, "a", { op: "append", file: LOG, value: 1 });
    inputAt(w, 0, "a", { op: "fsync", file: LOG, tag: "s" });
    inputAt(w, 10, "a", { op: "append", file: LOG, value: 2 });
    w.at(20, () => w.restart("a")); // no-op: already running
    w.run();
    expect(w.inspect("a")).not.toBeNull();
    crashAndRestart(w, w.now + 10);
    w.run();
    const ev = readTrace(w);
    expect(ofType(ev, "durable", "a").map((e) => [e.t, e["file"], e["length"]])).toEqual([[1_000, LOG, 1]]);
    expect(starts(ev).map((f) => f[LOG])).toEqual([[], [1]]);
    expect(ofType(ev, "disk-loss", "a").map((e) => [e["file"], e["lost"], e["fault"]])).toEqual([[LOG, 1, null]]);
  });

  it("an fsync in flight at a crash never completes, and never makes data durable later", () => {
    const w = diskWorld(3);
    inputAt(w, 0, "a", { op: "append", file: LOG, value: "x" });
    inputAt(w, 0, "a", { op: "fsync", file: LOG, tag: "s" }); // would complete at 1000
    crashAndRestart(w, 500);
    w.at(5_000, () => w.crash("a"));
    w.at(5_001, () => w.restart("a"));
    w.run();
    const ev = readTrace(w);
    expect(ofType(ev, "saw-disk")).toEqual([]);
    expect(ofType(ev, "durable")).toEqual([]);
    expect(starts(ev).map((f) => f[LOG])).toEqual([[], [], []]);
  });

  it("fsync completions happen in issue order, also with a slow disk and across files", () => {
    const w = diskWorld(4, { fsync: { dist: "uniform", minUs: 1, maxUs: 10_000 } });
    w.setDiskSlow("a", 3_000);
    for (let i = 0; i < 60; i++) {
      const file = i % 3 === 0 ? "f" : LOG;
      inputAt(w, i * 50, "a", { op: "append", file, value: i });
      inputAt(w, i * 50, "a", { op: "fsync", file, tag: String(i) });
    }
    w.run();
    const ev = readTrace(w);
    const done = ofType(ev, "saw-disk", "a");
    expect(done.map((e) => Number(e["tag"]))).toEqual(Array.from({ length: 60 }, (_, i) => i));
    // Slowness is added to every completion.
    const issued = new Map(ofType(ev, "input", "a").filter((e) => (e["input"] as { op: string }).op === "fsync").map((e) => [(e["input"] as { tag: string }).tag, e.t]));
    for (const d of done) expect(d.t - (issued.get(d["tag"] as string) as number)).toBeGreaterThanOrEqual(3_001);
  });

  it("truncate is durable at once and cuts the durable prefix", () => {
    const w = diskWorld(5);
    for (let i = 0; i < 5; i++) inputAt(w, 0, "a", { op: "append", file: LOG, value: i });
    inputAt(w, 0, "a", { op: "fsync", file: LOG, tag: "s" }); // 5 durable at 1000
    inputAt(w, 2_000, "a", { op: "truncate", file: LOG, length: 2 });
    inputAt(w, 2_000, "a", { op: "append", file: LOG, value: "new" });
    crashAndRestart(w, 3_000);
    // A truncate above the length changes nothing; durable stays.
    inputAt(w, 4_000, "a", { op: "truncate", file: LOG, length: 10 });
    crashAndRestart(w, 5_000);
    w.run();
    const ev = readTrace(w);
    expect(starts(ev).map((f) => f[LOG])).toEqual([[], [0, 1], [0, 1]]);
  });

  it("a truncate between unsynced records keeps only what was durable below the cut", () => {
    const w = diskWorld(6);
    for (let i = 0; i < 3; i++) inputAt(w, 0, "a", { op: "append", file: LOG, value: i });
    inputAt(w, 0, "a", { op: "fsync", file: LOG, tag: "s" });
    inputAt(w, 2_000, "a", { op: "append", file: LOG, value: 3 });
    inputAt(w, 2_000, "a", { op: "append", file: LOG, value: 4 });
    inputAt(w, 2_000, "a", { op: "truncate", file: LOG, length: 4 });
    crashAndRestart(w, 3_000);
    w.run();
    expect(starts(readTrace(w))[1]?.[LOG]).toEqual([0, 1, 2]);
  });

  it("a late fsync completion after a truncate does not over-claim records appended after it", () => {
    const w = diskWorld(7);
    for (let i = 0; i < 5; i++) inputAt(w, 0, "a", { op: "append", file: LOG, value: `old${i}` });
    inputAt(w, 0, "a", { op: "fsync", file: LOG, tag: "s" }); // length 5, completes at 1000
    inputAt(w, 100, "a", { op: "truncate", file: LOG, length: 2 });
    for (let i = 0; i < 3; i++) inputAt(w, 100, "a", { op: "append", file: LOG, value: `new${i}` });
    crashAndRestart(w, 2_000);
    w.run();
    const ev = readTrace(w);
    expect(ofType(ev, "saw-disk").map((e) => e["tag"])).toEqual(["s"]);
    const after = starts(ev)[1]?.[LOG] as TraceValue[];
    expect(after.filter((r) => typeof r === "string" && r.startsWith("new"))).toEqual([]);
  });

  // Regression test for a fixed bug (src/sim/disk.ts, DiskState.truncate + markDurable). What used to happen: truncate bumps the file's generation,
  // so an fsync issued before it is ignored entirely when it completes, although onDiskDone tells
  // the node it completed. Records below the cut that the fsync covered (old0, old1) are not made
  // durable and a crash loses them. The completion should claim min(issued length, lowest cut since
  // issue) instead of nothing.
  it("a late fsync completion after a truncate still makes the kept, covered records durable", () => {
    const w = diskWorld(7);
    for (let i = 0; i < 5; i++) inputAt(w, 0, "a", { op: "append", file: LOG, value: `old${i}` });
    inputAt(w, 0, "a", { op: "fsync", file: LOG, tag: "s" });
    inputAt(w, 100, "a", { op: "truncate", file: LOG, length: 2 });
    crashAndRestart(w, 2_000);
    w.run();
    const ev = readTrace(w);
    expect(ofType(ev, "saw-disk").map((e) => e["tag"])).toEqual(["s"]);
    expect(starts(ev)[1]?.[LOG]).toEqual(["old0", "old1"]);
  });

  // Regression test for a fixed bug (src/sim/disk.ts, DiskState.remove). What used to happen: remove deletes the file state, so a file created again
  // starts over at generation 0, and an fsync issued before the remove (also generation 0) claims
  // the new file's records when it completes. Here "c" was never fsynced yet survives the crash.
  // The same happens with an atomic write pending across remove + writeAtomic. remove should keep a
  // tombstone generation (or bump a per-disk counter) so stale completions cannot match.
  it("an fsync issued before remove does not make a re-created file's records durable", () => {
    const w = diskWorld(8);
    inputAt(w, 0, "a", { op: "append", file: "f", value: "a" });
    inputAt(w, 0, "a", { op: "append", file: "f", value: "b" });
    inputAt(w, 0, "a", { op: "fsync", file: "f", tag: "s" }); // completes at 1000
    inputAt(w, 100, "a", { op: "remove", file: "f" });
    inputAt(w, 200, "a", { op: "append", file: "f", value: "c" });
    crashAndRestart(w, 2_000);
    w.run();
    expect(starts(readTrace(w))[1]?.["f"]).toEqual([]);
  });

  // Regression test for a fixed semantic (src/sim/disk.ts, DiskState.atomicDone). What used to happen: completion marks every record of the file
  // durable, including records appended after writeAtomic was issued and never fsynced. It should
  // mark only the `records.length` the atomic write carried.
  it("an append after a pending atomic write is not made durable by its completion", () => {
    const w = diskWorld(9);
    inputAt(w, 0, "a", { op: "atomic", file: "f", records: ["x"], tag: "w" });
    inputAt(w, 100, "a", { op: "append", file: "f", value: "y" });
    crashAndRestart(w, 2_000);
    w.run();
    expect(starts(readTrace(w))[1]?.["f"]).toEqual(["x"]);
  });

  it("torn-write: the first unsynced record is torn, the file reports tornTail, the tail is lost", () => {
    const w = diskWorld(10);
    for (let i = 0; i < 3; i++) inputAt(w, 0, "a", { op: "append", file: LOG, value: i });
    inputAt(w, 0, "a", { op: "fsync", file: LOG, tag: "s" });
    inputAt(w, 2_000, "a", { op: "append", file: LOG, value: 3 });
    inputAt(w, 2_000, "a", { op: "append", file: LOG, value: 4 });
    w.at(2_500, () => w.armDiskFault("a", "torn-write"));
    crashAndRestart(w, 3_000);
    crashAndRestart(w, 4_000); // a plain crash afterwards: no torn tail any more
    w.run();
    const ev = readTrace(w);
    expect(starts(ev).map((f) => [f[LOG], f[`${LOG}:torn`]])).toEqual([
      [[], false],
      [[0, 1, 2], true],
      [[0, 1, 2], false],
    ]);
    expect(ofType(ev, "disk-loss").map((e) => [e["file"], e["lost"], e["fault"]])).toEqual([[LOG, 2, "torn-write"]]);
  });

  it("torn-write with nothing unsynced tears nothing and is used up by that crash", () => {
    const w = diskWorld(11);
    inputAt(w, 0, "a", { op: "append", file: LOG, value: 0 });
    inputAt(w, 0, "a", { op: "fsync", file: LOG, tag: "s" });
    w.at(2_000, () => w.armDiskFault("a", "torn-write"));
    crashAndRestart(w, 3_000);
    inputAt(w, 4_000, "a", { op: "append", file: LOG, value: 1 });
    crashAndRestart(w, 5_000);
    w.run();
    const ev = readTrace(w);
    expect(starts(ev).map((f) => [f[LOG], f[`${LOG}:torn`]])).toEqual([
      [[], false],
      [[0], false],
      [[0], false],
    ]);
  });

  it("lost-tail: a crash loses one to three durable records at the end of the log", () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const w = diskWorld(seed);
      for (let i = 0; i < 6; i++) inputAt(w, 0, "a", { op: "append", file: LOG, value: i });
      inputAt(w, 0, "a", { op: "fsync", file: LOG, tag: "s" });
      w.at(2_000, () => w.armDiskFault("a", "lost-tail"));
      crashAndRestart(w, 3_000);
      w.run();
      const ev = readTrace(w);
      const after = starts(ev)[1]?.[LOG] as number[];
      const lost = 6 - after.length;
      expect(after).toEqual([0, 1, 2, 3, 4, 5].slice(0, after.length));
      expect(lost).toBeGreaterThanOrEqual(1);
      expect(lost).toBeLessThanOrEqual(3);
      expect(ofType(ev, "disk-loss").map((e) => [e["lost"], e["fault"]])).toEqual([[lost, "lost-tail"]]);
      seen.add(lost);
    }
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it("files, exists and remove", () => {
    const w = diskWorld(12);
    inputAt(w, 0, "a", { op: "append", file: "x", value: 1 });
    inputAt(w, 0, "a", { op: "atomic", file: "meta", records: [1, 2], tag: "m" });
    inputAt(w, 0, "a", { op: "fsync", file: "x", tag: "s" });
    w.run();
    expect(w.durableDisk("a")).toEqual({ meta: [1, 2], x: [1] });
    inputAt(w, w.now, "a", { op: "remove", file: "x" });
    crashAndRestart(w, w.now + 10);
    w.run();
    expect(w.durableDisk("a")).toEqual({ meta: [1, 2] });
    expect(starts(readTrace(w))[1]).toEqual({ f: [], "f:torn": false, log: [], "log:torn": false, meta: [1, 2], "meta:torn": false });
  });

  it("a node cannot touch its disk through a context from before its crash", () => {
    const w = diskWorld(13);
    let stale: { append(file: string, v: TraceValue): void } | null = null;
    w.addNode("b", () => ({
      onStart(ctx) {
        stale ??= ctx.disk;
      },
      onMessage() {},
    }));
    w.start("b");
    w.crash("b");
    w.restart("b");
    expect(() => stale?.append(LOG, 1)).toThrow(/acted after it crashed/);
  });
});
