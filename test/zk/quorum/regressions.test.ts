// Counterexamples the properties found (properties.test.ts), kept as literal schedules, each with
// the root cause and a check that the run still takes the path that failed. Each failed before its
// fix in src/zk/quorum and passes after it.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinRegistry } from "../../../src/scenario/builtins.js";
import { loadScenarioFile } from "../../../src/scenario/load.js";
import { runScenario } from "../../../src/scenario/run.js";
import type { NodeId } from "../../../src/sim/node.js";
import { recordingCtx, type Effect } from "../../../src/sim/testing.js";
import type { TraceEvent } from "../../../src/sim/trace.js";
import { FastLeaderElection, type FleMessage } from "../../../src/zk/quorum/fle.js";
import { findings, report } from "./props/check.js";
import { runSchedule } from "./props/run.js";
import type { Schedule } from "./props/schedule.js";

function expectHolds(s: Schedule, onTrace?: (e: TraceEvent) => void): void {
  const r = runSchedule(s, onTrace === undefined ? {} : { onTrace });
  const found = findings(r);
  expect(found, found.length === 0 ? "" : report(runSchedule(s, { keepStory: true }), found)).toEqual([]);
}

describe("regressions found by the properties", () => {
  // 3+2 (shrunk by fast-check from a bigger schedule): observer 4 is down from +10.2 s to the heal,
  // restarts and gets a DIFF of ~260 txns while two clients keep writing. The INFORM of a txn
  // committed during that sync was applied at once, ahead of the DIFF's txns (deferred to UPTODATE,
  // then skipped as "already applied"): s4 lost the whole DIFF for good (sameHistory,
  // zxidsWellFormed). Learner.syncWithLeader queues an INFORM behind the DIFF once txns go to the
  // log (packetsNotCommitted/packetsCommitted, `writeToTxnLog`) and commits them in order at
  // UPTODATE; learner.ts now does too.
  it("an INFORM that reaches an observer during its DIFF sync is applied after the DIFF's txns", () => {
    const s: Schedule = {
      seed: 766230,
      servers: 3,
      observers: 2,
      breakDetectMs: 50,
      writers: 2,
      writeGapMs: 60,
      faultMs: 20_000,
      faults: [{ atMs: 10219, kind: "crash", target: 4, downMs: null }],
    };
    // The path: an INFORM sent to an observer between its zab-sync and its UPTODATE.
    const syncing = new Set<NodeId>();
    let informsDuringSync = 0;
    expectHolds(s, (e) => {
      if (e.type === "zab-sync" && (e["learner"] === 4 || e["learner"] === 5)) syncing.add(`s${String(e["learner"])}`);
      if (e.type !== "send") return;
      const to = e["to"] as NodeId;
      const type = (e["msg"] as { type: string }).type;
      if (type === "UPTODATE") syncing.delete(to);
      if (type === "INFORM" && syncing.has(to)) informsDuringSync++;
    });
    expect(informsDuringSync).toBeGreaterThan(0);
  });

  // 3+2: the leader is cut off with 2, then 1, 3 and observer 4 are split from 2 and 5, and observer
  // 4 (LOOKING since the first cut) is paused for 6.6 s. Its election dials failed while it slept;
  // on resume its poll timer ran first and dialed 2 and 3 again, then the old attempts' failures
  // (due earlier, replayed after) cleared the "dialing" flag; the new connections came up looking
  // like the peers' dials, so 4 waited for a hello 2 and 3 never sent, and never observed again
  // (oneLeaderInBound). fle-cnx.ts now counts attempts (QuorumCnxManager.inprogressConnections).
  it("an observer paused while its election dials fail still connects and observes after the heal", () => {
    expectHolds({
      seed: 685526,
      servers: 3,
      observers: 2,
      breakDetectMs: 50,
      writers: 1,
      writeGapMs: 60,
      faultMs: 20_000,
      faults: [
        { atMs: 209, kind: "partition", shape: { kind: "leader", with: [2] }, forMs: null },
        { atMs: 946, kind: "partition", shape: { kind: "split", side: [1, 3, 4] }, forMs: 8789 },
        { atMs: 5046, kind: "pause", target: 4, forMs: 6579 },
      ],
    });
  });

  // 3 servers, fast writers; follower 1 is down from +9.7 s to the heal, 2000-odd txns behind, so it
  // gets a SNAP. Its sync stream: SNAP, PROPOSAL 0x871 (outstanding), NEWLEADER, PROPOSAL 0x872,
  // COMMIT 0x871, COMMIT 0x872, UPTODATE. NEWLEADER logged 0x871 and emptied packetsNotCommitted;
  // 0x872 refilled it; the learner still treated later COMMITs as "apply at once" (the SNAP rule
  // before NEWLEADER): COMMIT 0x871 did not match the head 0x872 and was dropped, COMMIT 0x872 was
  // applied: s1 skipped 0x871 for good (sameHistory, zxidsWellFormed). After NEWLEADER the real
  // learner (writeToTxnLog) queues every COMMIT in packetsCommitted for UPTODATE; learner.ts now too.
  it("a SNAP-synced follower that gets a proposal after NEWLEADER commits the NEWLEADER-logged txns first", () => {
    const s: Schedule = {
      seed: 800035,
      servers: 3,
      observers: 0,
      breakDetectMs: 15_000,
      writers: 2,
      writeGapMs: 5,
      faultMs: 20_000,
      faults: [{ atMs: 9734, kind: "crash", target: "follower", downMs: null }],
    };
    // The path: to s1, SNAP ... NEWLEADER, then a PROPOSAL and a COMMIT before UPTODATE.
    let phase: "none" | "snap" | "newleader" | "done" = "none";
    const afterNewLeader: string[] = [];
    expectHolds(s, (e) => {
      if (e.type !== "send" || e["to"] !== "s1") return;
      const type = (e["msg"] as { type: string }).type;
      if (type === "SNAP") phase = "snap";
      else if (type === "NEWLEADER" && phase === "snap") phase = "newleader";
      else if (type === "UPTODATE" && phase === "newleader") phase = "done";
      else if (phase === "newleader") afterNewLeader.push(type);
    });
    expect(afterNewLeader).toContain("PROPOSAL");
    expect(afterNewLeader).toContain("COMMIT");
  });

  it("the observer case as a unit: an old attempt's failure reported after a new dial does not orphan the new connection", () => {
    const decided: unknown[] = [];
    const fle = new FastLeaderElection({
      myId: 3,
      voters: [1, 2, 3],
      observers: [],
      nodeOf: (sid) => `s${sid}`,
      sidOf: (n) => (/^s\d+$/.test(n) ? Number(n.slice(1)) : undefined),
      onDecided: (_c, d) => void decided.push(d),
    });
    const ctx = recordingCtx<FleMessage>({ id: "s3" });
    const take = (): Effect[] => ctx.effects.splice(0);
    fle.start(ctx);
    fle.lookForLeader(ctx, { lastZxid: 0n, currentEpoch: 0 });
    expect(take().filter((e) => e.kind === "connect")).toHaveLength(2);
    // Nothing delivered: the empty poll dials both again while the first attempts are still out.
    fle.onTimer(ctx, "fle-poll");
    expect(take().filter((e) => e.kind === "connect")).toHaveLength(2);
    // The first attempt to 1 fails late; then the second one comes up.
    fle.onConnection(ctx, { peer: "s1", channel: "election", up: false, reason: "unreachable" });
    fle.onConnection(ctx, { peer: "s1", channel: "election", up: true, reason: "connected" });
    // 3 dialed it: it says hello and, as the larger sid, keeps it and sends its queued vote.
    const sent = take().filter((e): e is Extract<Effect, { kind: "send" }> => e.kind === "send" && e.to === "s1");
    expect(sent.map((e) => (e.msg as { type: string }).type)).toEqual(["fle-hello", "fle-notification"]);
    expect(fle.connectedPeers()).toEqual([1]);
  });
});

describe("regressions found by zksim fuzz", () => {
  // Seed 9390 of fuzz/zk-fuzz (BUGGIFY on), shrunk to 22 faults and 7.2 s: s1 gets its whole
  // history by a (forced) SNAP, so its log holds nothing before 0x10000000f; it leads epoch 3 and
  // logs 0x300000001-4, the last never committed; it crashes, restarts, leads again without a
  // quorum (lead() snapshots the database at 0x300000004), then follows s2 and gets TRUNC
  // 0x300000003. The TRUNC removed the whole snapshot, and the reload replayed the epoch-3 log onto
  // an empty tree: "setData /r2: prep let a txn through for a missing node". The real data dir
  // still has its older snapshots and the log; zab-disk.ts now cuts the snapshot back to the TRUNC
  // zxid instead of dropping it, so the reload rebuilds s1's history up to 0x300000003.
  it("a TRUNC below the snapshot of a SNAP-synced server reloads the txns only the snapshot held", async () => {
    const s = await loadScenarioFile(join(import.meta.dirname, "fixtures", "fuzz-9390-trunc-snapshot.yaml"), builtinRegistry());
    const events: TraceEvent[] = [];
    const r = runScenario(s, { observer: (e) => events.push(e) });
    expect(r.violations).toEqual([]);
    const s1 = events.filter((e) => e.node === "s1");
    // The path: a SNAP sync, a snapshot beyond the TRUNC zxid, and the TRUNC reaching below it.
    const snap = s1.findIndex((e) => e.type === "zab-sync-start" && e.mode === "SNAP");
    const trunc = s1.findIndex((e) => e.type === "zab-sync-start" && e.mode === "TRUNC");
    expect(snap).toBeGreaterThanOrEqual(0);
    expect(trunc).toBeGreaterThan(snap);
    const truncZxid = BigInt(s1[trunc]?.zxid as string);
    expect(s1.some((e, i) => i > snap && i < trunc && e.type === "zab-snapshot" && BigInt(e.zxid as string) > truncZxid)).toBe(true);
    expect(s1[trunc + 2]).toMatchObject({ type: "mark", name: "zab: TRUNC reached below the snapshot" });
    // The reload: the whole history from the first txn (held only by the snapshot) up to the TRUNC zxid.
    const reset = s1.findIndex((e, i) => i > trunc && e.type === "zk-db-reset");
    expect(s1[reset]).toMatchObject({ why: "trunc" });
    const reloaded: bigint[] = [];
    for (let i = reset + 1; s1[i]?.type === "zk-apply" && s1[i]?.t === s1[reset]?.t; i++) reloaded.push(BigInt(s1[i]?.zxid as string));
    expect(reloaded[0]).toBe(0x100000001n);
    expect(reloaded[reloaded.length - 1]).toBe(truncZxid);
  });
});
