// Fast Leader Election on a simulated network: the worked examples of zab.md §1 with realistic
// timing (explicit connections, 0.2-1 ms latency, 50 ms break detection), the vote order, the
// -1 zxid rule, observers, the QuorumCnxManager connection rules, and determinism.
import { describe, expect, it } from "vitest";
import type { NodeId } from "../../../src/sim/node.js";
import { recordingCtx, type Effect, type RecordingContext } from "../../../src/sim/testing.js";
import type { TraceEvent } from "../../../src/sim/trace.js";
import type { World } from "../../../src/sim/world.js";
import { FastLeaderElection, type Decision, type FleMessage, type FleNotificationMessage } from "../../../src/zk/quorum/fle.js";
import { checkLeader, hasQuorum, totalOrderPredicate, voteEquals, type Vote } from "../../../src/zk/quorum/fle-vote.js";
import { decisions, electionWorld, nodeOf, outcomes, peer, sidOfIn, type Ensemble } from "./fle-harness.js";

const MS = 1_000;
const S = 1_000_000;
const THREE: Ensemble = { voters: [1, 2, 3] };

function startAt(w: World, schedule: Readonly<Record<number, number>>): void {
  for (const [sid, t] of Object.entries(schedule)) w.at(t, () => w.start(nodeOf(Number(sid))));
}

function events(w: World): TraceEvent[] {
  return w.traceLines().map((l) => JSON.parse(l) as TraceEvent);
}

/** Election notifications a node sent, in order. */
function notificationsFrom(w: World, node: NodeId): (FleNotificationMessage & { t: number; to: string })[] {
  return events(w)
    .filter((e) => e.type === "send" && e["from"] === node && (e["msg"] as { type: string }).type === "fle-notification")
    .map((e) => ({ ...(e["msg"] as FleNotificationMessage), t: e.t, to: e["to"] as string }));
}

describe("FLE worked examples (zab.md §1)", () => {
  it("three servers started together: 3 leads, 1 and 2 follow, one finalize wait after the votes converge", () => {
    const w = electionWorld(1, THREE);
    startAt(w, { 1: 0, 2: 0, 3: 0 });
    expect(w.run({ untilUs: 10 * S })).toBe("quiet");
    expect(outcomes(w)).toEqual({ s1: ["FOLLOWING 3"], s2: ["FOLLOWING 3"], s3: ["LEADING 3"] });
    for (const d of decisions(w)) {
      expect(d).toMatchObject({ round: 1, via: "finalize" });
      // Votes converge within a few round trips; then 200 ms of quiet decide.
      expect(d.t).toBeGreaterThanOrEqual(200 * MS);
      expect(d.t).toBeLessThan(210 * MS);
    }
    // One settled election connection per pair, both ends agreeing.
    for (const sid of [1, 2, 3]) expect(peer(w, sid).fle.connectedPeers()).toEqual([1, 2, 3].filter((s) => s !== sid));
    expect(peer(w, 3).fle.currentVote).toEqual({ leader: 3, zxid: 0n, electionEpoch: 1, peerEpoch: 0 });
  });

  it("3 leads whatever the latency draws and start offsets (within 50 ms)", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const w = electionWorld(seed, THREE, { network: { latency: { dist: "uniform", minUs: 100, maxUs: 5_000 } } });
      startAt(w, { 1: (seed * 7_919) % 50 * MS, 2: (seed * 104_729) % 50 * MS, 3: (seed * 1_299_709) % 50 * MS });
      w.run({ untilUs: 5 * S });
      expect(outcomes(w), `seed ${seed}`).toEqual({ s1: ["FOLLOWING 3"], s2: ["FOLLOWING 3"], s3: ["LEADING 3"] });
    }
  });

  it("five servers started one second apart: 1-3 elect 3 after 3 arrives; 4 and 5 follow 3 on FOLLOWING/LEADING answers", () => {
    const w = electionWorld(1, { voters: [1, 2, 3, 4, 5], syncAfterUs: 100 * MS });
    startAt(w, { 1: 0, 2: 1 * S, 3: 2 * S, 4: 3 * S, 5: 4 * S });
    w.run({ untilUs: 10 * S });
    expect(outcomes(w)).toEqual({ s1: ["FOLLOWING 3"], s2: ["FOLLOWING 3"], s3: ["LEADING 3"], s4: ["FOLLOWING 3"], s5: ["FOLLOWING 3"] });
    const by = Object.fromEntries(decisions(w).map((d) => [d.node, d]));
    // Before 3 arrives, 1 and 2 agree on 2 but two votes of five are no quorum.
    expect(notificationsFrom(w, "s1").filter((n) => n.t < 2 * S && n.leader === 2).length).toBeGreaterThan(0);
    for (const n of ["s1", "s2", "s3"]) {
      expect(by[n]?.via).toBe("finalize");
      expect(by[n]?.t).toBeGreaterThanOrEqual(2 * S + 200 * MS);
      expect(by[n]?.t).toBeLessThan(2 * S + 210 * MS);
    }
    // The joiners need no finalize wait: a quorum of serving votes, with 3's own LEADING vote.
    for (const [n, start] of [["s4", 3 * S], ["s5", 4 * S]] as const) {
      expect(by[n]?.via).toBe("same-round");
      expect(by[n]?.t).toBeLessThan(start + 10 * MS);
    }
    // They joined after sync: the served votes already carried the new epoch (ZOOKEEPER-1732).
    expect(events(w).filter((e) => e.type === "fle-decided" && e["node"] === "s4")[0]?.["peerEpoch"]).toBe(1);
  });

  it("3 arriving after 1 and 2 finished their finalize wait follows 2", () => {
    const w = electionWorld(1, THREE);
    startAt(w, { 1: 0, 2: 0, 3: 1 * S });
    w.run({ untilUs: 5 * S });
    expect(outcomes(w)).toEqual({ s1: ["FOLLOWING 2"], s2: ["LEADING 2"], s3: ["FOLLOWING 2"] });
    const s3 = decisions(w).find((d) => d.node === "s3");
    expect(s3?.via).toBe("same-round");
    expect(s3?.t).toBeLessThan(1 * S + 10 * MS);
  });

  it("3 arriving within the finalize wait cuts it short and leads", () => {
    const w = electionWorld(1, THREE);
    startAt(w, { 1: 0, 2: 0, 3: 100 * MS });
    w.run({ untilUs: 5 * S });
    expect(outcomes(w)).toEqual({ s1: ["FOLLOWING 3"], s2: ["FOLLOWING 3"], s3: ["LEADING 3"] });
    expect(w.marks()["fle: a better vote cut the finalize wait"]).toBeGreaterThanOrEqual(2);
    for (const d of decisions(w)) expect(d.t).toBeGreaterThanOrEqual(300 * MS);
  });

  it("the leader crashes: 1 and 2 run round 2 and 2 leads; 3 restarts and follows 2", () => {
    const w = electionWorld(1, { ...THREE, syncAfterUs: 100 * MS });
    startAt(w, { 1: 0, 2: 0, 3: 0 });
    w.at(2 * S, () => w.crash("s3"));
    w.at(5 * S, () => w.restart("s3"));
    w.run({ untilUs: 10 * S });
    expect(outcomes(w)).toEqual({ s1: ["FOLLOWING 3", "FOLLOWING 2"], s2: ["FOLLOWING 3", "LEADING 2"], s3: ["LEADING 3", "FOLLOWING 2"] });
    const round2 = decisions(w).filter((d) => d.round === 2);
    expect(round2.map((d) => d.node).sort()).toEqual(["s1", "s2", "s3"]);
    // Failover: a finalize wait, plus a poll interval when one survivor's first notification
    // reached the other while it still followed 3 (seed 1 does that once).
    for (const d of round2.filter((x) => x.node !== "s3")) {
      expect(d.t - 2 * S).toBeGreaterThanOrEqual(400 * MS);
      expect(d.t - 2 * S).toBeLessThan(410 * MS);
    }
    expect(round2.find((d) => d.node === "s3")?.t).toBeLessThan(5 * S + 10 * MS);
    expect(peer(w, 3).fle.logicalClock).toBe(2);
  });

  it("across seeds a leader crash costs one finalize wait plus at most two poll intervals", () => {
    const failover: number[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const w = electionWorld(seed, THREE);
      startAt(w, { 1: 0, 2: 0, 3: 0 });
      w.at(2 * S, () => w.crash("s3"));
      w.run({ untilUs: 5 * S });
      expect(outcomes(w), `seed ${seed}`).toEqual({ s1: ["FOLLOWING 3", "FOLLOWING 2"], s2: ["FOLLOWING 3", "LEADING 2"], s3: ["LEADING 3"] });
      failover.push(Math.max(...decisions(w).filter((d) => d.round === 2).map((d) => d.t)) - 2 * S);
    }
    expect(Math.min(...failover)).toBeGreaterThanOrEqual(200 * MS);
    expect(Math.max(...failover)).toBeLessThan(610 * MS);
    // Most seeds need just the finalize wait.
    expect(failover.filter((us) => us < 210 * MS).length).toBeGreaterThan(20);
  });

  it("the leader is partitioned away: the others notice after breakDetectUs and elect 2", () => {
    const w = electionWorld(1, THREE);
    startAt(w, { 1: 0, 2: 0, 3: 0 });
    w.at(2 * S, () => w.partition([["s3"], ["s1", "s2"]]));
    w.run({ untilUs: 5 * S });
    const round2 = decisions(w).filter((d) => d.round === 2);
    expect(round2.map((d) => `${d.node} ${d.state} ${d.leader}`).sort()).toEqual(["s1 FOLLOWING 2", "s2 LEADING 2"]);
    for (const d of round2) expect(d.t - 2 * S).toBeGreaterThanOrEqual(250 * MS);
  });

  it("a follower cut off and back rejoins the running ensemble through outofelection", () => {
    const w = electionWorld(1, { ...THREE, syncAfterUs: 100 * MS });
    startAt(w, { 1: 0, 2: 0, 3: 0 });
    w.at(2 * S, () => w.partition([["s1"], ["s2", "s3"]]));
    w.at(5 * S, () => w.heal());
    w.run({ untilUs: 200 * S });
    expect(outcomes(w)).toEqual({ s1: ["FOLLOWING 3", "FOLLOWING 3"], s2: ["FOLLOWING 3"], s3: ["LEADING 3"] });
    const back = decisions(w).filter((d) => d.node === "s1")[1];
    // s1 looked alone in round 2; the ensemble's answers carry round 1, so only outofelection fits.
    expect(back).toMatchObject({ via: "out-of-election", round: 1 });
    expect(peer(w, 1).fle.logicalClock).toBe(1);
    expect(w.marks()["fle: joined a running ensemble (outofelection)"]).toBe(1);
    // Its backoff (200, 400, 800, 1600 ms ...) decides how soon after the heal it dials again.
    expect(back?.t).toBeLessThan(5 * S + 3_200 * MS);
  });
});

describe("FLE vote order and the -1 rule", () => {
  const elect = (ens: Ensemble): Record<string, string[]> => {
    const w = electionWorld(3, ens);
    startAt(w, { 1: 0, 2: 0, 3: 0 });
    w.run({ untilUs: 5 * S });
    return outcomes(w);
  };

  it("a higher peerEpoch beats a higher zxid (ZOOKEEPER-4643)", () => {
    const disks = { 1: { currentEpoch: 2, lastZxid: 0x1_0000_0005n }, 2: { currentEpoch: 1, lastZxid: 0x1_0000_0009n }, 3: { currentEpoch: 1, lastZxid: 0x1_0000_0007n } };
    expect(elect({ ...THREE, disks })).toEqual({ s1: ["LEADING 1"], s2: ["FOLLOWING 1"], s3: ["FOLLOWING 1"] });
  });

  it("at equal epochs the higher zxid wins over the higher sid", () => {
    const disks = { 1: { currentEpoch: 1, lastZxid: 0x1_0000_0003n }, 2: { currentEpoch: 1, lastZxid: 0x1_0000_0009n }, 3: { currentEpoch: 1, lastZxid: 0x1_0000_0003n } };
    expect(elect({ ...THREE, disks })).toEqual({ s1: ["FOLLOWING 2"], s2: ["LEADING 2"], s3: ["FOLLOWING 2"] });
  });

  it("a server with zxid -1 takes no part in looking rounds and later follows the others' leader", () => {
    const w = electionWorld(3, { ...THREE, disks: { 3: { lastZxid: -1n } } });
    startAt(w, { 1: 0, 2: 0, 3: 0 });
    w.run({ untilUs: 5 * S });
    expect(outcomes(w)).toEqual({ s1: ["FOLLOWING 2"], s2: ["LEADING 2"], s3: ["FOLLOWING 2"] });
    expect(w.marks()["fle: ignored a looking notification (zxid -1)"]).toBeGreaterThan(0);
    expect(notificationsFrom(w, "s3")[0]?.zxid).toBe("0xffffffffffffffff");
  });

  it("a single voter elects itself", () => {
    const w = electionWorld(1, { voters: [1] });
    w.start("s1");
    w.run({ untilUs: 1 * S });
    expect(decisions(w)).toEqual([{ t: 200 * MS, node: "s1", state: "LEADING", leader: 1, round: 1, via: "finalize" }]);
  });
});

describe("FLE with observers", () => {
  const ENS: Ensemble = { voters: [1, 2, 3], observers: [4, 5] };

  it("observers vote for nobody and observe the voters' leader after it is elected", () => {
    const w = electionWorld(1, ENS);
    startAt(w, { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 });
    w.run({ untilUs: 5 * S });
    expect(outcomes(w)).toEqual({ s1: ["FOLLOWING 3"], s2: ["FOLLOWING 3"], s3: ["LEADING 3"], s4: ["OBSERVING 3"], s5: ["OBSERVING 3"] });
    const first = notificationsFrom(w, "s4")[0];
    expect(first).toMatchObject({ leader: -1, zxid: "0x8000000000000000", peerEpoch: -1, state: "LOOKING" });
    // Observers send only to voters; voters never send their own rounds to observers, only answers.
    expect(new Set(notificationsFrom(w, "s4").map((n) => n.to))).toEqual(new Set(["s1", "s2", "s3"]));
    const voters = decisions(w).filter((d) => d.node <= "s3");
    const observers = decisions(w).filter((d) => d.node >= "s4");
    expect(Math.min(...observers.map((d) => d.t))).toBeGreaterThan(Math.max(...voters.map((d) => d.t)));
  });

  it("observers never count toward a quorum: one voter and two observers decide nothing", () => {
    const w = electionWorld(1, ENS);
    startAt(w, { 1: 0, 4: 0, 5: 0 });
    w.run({ untilUs: 30 * S });
    expect(decisions(w)).toEqual([]);
    expect(peer(w, 1).fle.state).toBe("LOOKING");
    // A second voter makes the quorum; the observers then learn its leader.
    w.start("s2");
    w.run({ untilUs: 200 * S });
    expect(outcomes(w)).toEqual({ s1: ["FOLLOWING 2"], s2: ["LEADING 2"], s4: ["OBSERVING 2"], s5: ["OBSERVING 2"] });
  });
});

describe("FLE determinism", () => {
  const run = (seed: number): { sha: string | null; out: Record<string, string[]> } => {
    const w = electionWorld(seed, { voters: [1, 2, 3, 4, 5], observers: [6], syncAfterUs: 100 * MS });
    startAt(w, { 1: 0, 2: 1 * S, 3: 2 * S, 4: 3 * S, 5: 4 * S, 6: 0 });
    w.at(6 * S, () => w.crash("s5"));
    w.at(7 * S, () => w.crash("s3"));
    w.at(9 * S, () => w.restart("s3"));
    w.run({ untilUs: 60 * S });
    return { sha: w.end("until").sha256, out: outcomes(w) };
  };

  it("the same seed gives the same trace hash; another seed another hash but the same leaders", () => {
    const one = run(7);
    expect(run(7).sha).toBe(one.sha);
    const other = run(8);
    expect(other.sha).not.toBe(one.sha);
    expect(other.out).toEqual(one.out);
    expect(one.out["s1"]).toEqual(["FOLLOWING 3", "FOLLOWING 4"]);
    expect(one.out["s6"]?.[0]).toBe("OBSERVING 3");
  });
});

// ------------------------------------------------------------------ units, with a recording context

type Rec = RecordingContext<FleMessage>;

function unit(myId: number, voters = [1, 2, 3], observers: number[] = []): { fle: FastLeaderElection; ctx: Rec; decided: Decision[] } {
  const decided: Decision[] = [];
  const fle = new FastLeaderElection({ myId, voters, observers, nodeOf, sidOf: sidOfIn([...voters, ...observers]), onDecided: (_ctx, d) => void decided.push(d) });
  const ctx = recordingCtx<FleMessage>({ id: nodeOf(myId) });
  return { fle, ctx, decided };
}

/** Takes the effects recorded so far, leaving the list empty. */
const take = (ctx: Rec): Effect[] => ctx.effects.splice(0);
const ofKind = <K extends Effect["kind"]>(effects: Effect[], kind: K): Extract<Effect, { kind: K }>[] =>
  effects.filter((e): e is Extract<Effect, { kind: K }> => e.kind === kind);
const up = (peerNode: NodeId) => ({ peer: peerNode, channel: "election", up: true, reason: "connected" });
const note = (sid: number, leader: number, electionEpoch: number, state: FleNotificationMessage["state"] = "LOOKING"): FleNotificationMessage => ({
  type: "fle-notification",
  state,
  leader,
  zxid: "0x0",
  electionEpoch,
  peerEpoch: 0,
  sid,
});

describe("FLE connections and send queues (QuorumCnxManager)", () => {
  it("with nobody reachable: dial everyone, then connectAll on every empty poll, backing off 200 ms doubling to 60 s", () => {
    const { fle, ctx } = unit(1);
    fle.start(ctx);
    fle.lookForLeader(ctx, { lastZxid: 0n, currentEpoch: 0 });
    const first = take(ctx);
    expect(ofKind(first, "connect")).toEqual([
      { kind: "connect", to: "s2", channel: "election" },
      { kind: "connect", to: "s3", channel: "election" },
    ]);
    expect(ofKind(first, "send")).toEqual([]);
    expect(ofKind(first, "set-timer").at(-1)).toEqual({ kind: "set-timer", name: "fle-poll", delayUs: 200 * MS });
    const delays: number[] = [];
    for (let i = 0; i < 11; i++) {
      expect(fle.onTimer(ctx, "fle-poll")).toBe(true);
      const eff = take(ctx);
      expect(ofKind(eff, "connect").map((e) => e.to)).toEqual(["s2", "s3"]);
      delays.push(ofKind(eff, "set-timer").at(-1)?.delayUs ?? -1);
    }
    expect(delays.map((us) => us / MS)).toEqual([400, 800, 1_600, 3_200, 6_400, 12_800, 25_600, 51_200, 60_000, 60_000, 60_000]);
  });

  it("a smaller-sid initiator says hello and drops its connection; the larger dials back and gets the newest queued vote", () => {
    const one = unit(1);
    one.fle.start(one.ctx);
    one.fle.lookForLeader(one.ctx, { lastZxid: 0n, currentEpoch: 0 });
    // 3's vote arrives (over a connection 3 dialed): 1 now proposes 3, and its queue to 2 keeps only that.
    one.fle.onMessage(one.ctx, "s3", note(3, 3, 1));
    take(one.ctx);
    one.fle.onConnection(one.ctx, up("s2"));
    expect(take(one.ctx)).toEqual([
      { kind: "send", to: "s2", msg: { type: "fle-hello", sid: 1 }, channel: "election" },
      { kind: "disconnect", to: "s2", channel: "election" },
    ]);
    // 2 dials back: 1 is the receiver and waits for 2's hello before it sends anything.
    one.fle.onConnection(one.ctx, up("s2"));
    expect(take(one.ctx)).toEqual([]);
    one.fle.onMessage(one.ctx, "s2", { type: "fle-hello", sid: 2 });
    const sent = ofKind(take(one.ctx), "send");
    expect(sent.map((e) => e.msg)).toEqual([note(1, 3, 1)]);
    expect(one.fle.connectedPeers()).toEqual([2]);
  });

  it("a larger-sid receiver closes a smaller sid's connection and dials back; its dial then carries its queue", () => {
    const three = unit(3);
    three.fle.start(three.ctx);
    three.fle.onConnection(three.ctx, up("s1"));
    expect(take(three.ctx)).toEqual([]);
    three.fle.onMessage(three.ctx, "s1", { type: "fle-hello", sid: 1 });
    expect(take(three.ctx)).toEqual([
      { kind: "disconnect", to: "s1", channel: "election" },
      { kind: "connect", to: "s1", channel: "election" },
    ]);
    three.fle.onConnection(three.ctx, up("s1"));
    expect(take(three.ctx)).toEqual([{ kind: "send", to: "s1", msg: { type: "fle-hello", sid: 3 }, channel: "election" }]);
    expect(three.fle.connectedPeers()).toEqual([1]);
  });

  it("a new connection with an empty queue re-sends the last message (lastMessageSent)", () => {
    const two = unit(2);
    two.fle.start(two.ctx);
    two.fle.lookForLeader(two.ctx, { lastZxid: 0n, currentEpoch: 0 });
    two.fle.onConnection(two.ctx, up("s1")); // our dial: 2 > 1 keeps it
    expect(ofKind(take(two.ctx), "send").map((e) => e.msg)).toEqual([{ type: "fle-hello", sid: 2 }, note(2, 2, 1)]);
    two.fle.onConnection(two.ctx, { peer: "s1", channel: "election", up: false, reason: "partition" });
    expect(two.fle.connectedPeers()).toEqual([]);
    // 1 comes back first: its hello makes 2 dial back, and 2's new connection repeats its last vote.
    two.fle.onConnection(two.ctx, up("s1"));
    two.fle.onMessage(two.ctx, "s1", { type: "fle-hello", sid: 1 });
    two.fle.onConnection(two.ctx, up("s1"));
    expect(ofKind(take(two.ctx), "send").map((e) => e.msg)).toEqual([{ type: "fle-hello", sid: 2 }, note(2, 2, 1)]);
  });

  it("WorkerReceiver: a looking server answers an older round with its proposal; a serving one answers with its vote", () => {
    const two = unit(2);
    two.fle.start(two.ctx);
    two.fle.lookForLeader(two.ctx, { lastZxid: 0n, currentEpoch: 0 });
    two.fle.onConnection(two.ctx, up("s1"));
    two.fle.onMessage(two.ctx, "s3", note(3, 3, 4)); // a newer round: adopt round 4 and 3's vote
    take(two.ctx);
    expect(two.fle.logicalClock).toBe(4);
    two.fle.onMessage(two.ctx, "s1", note(1, 1, 2));
    expect(ofKind(take(two.ctx), "send").map((e) => e.msg)).toEqual([note(2, 3, 4)]);
    // The round decides (2 and 3 agree, 200 ms pass); then 2 answers looking servers as a follower.
    expect(two.fle.onTimer(two.ctx, "fle-finalize")).toBe(true);
    expect(two.decided).toEqual([{ state: "FOLLOWING", leader: 3, zxid: 0n, electionEpoch: 4, peerEpoch: 0 }]);
    two.fle.setServing("FOLLOWING", { leader: 3, zxid: 0n, peerEpoch: 0 });
    two.fle.updateElectionVote(5);
    take(two.ctx);
    two.fle.onMessage(two.ctx, "s1", note(1, 1, 1));
    expect(ofKind(take(two.ctx), "send").map((e) => e.msg)).toEqual([{ ...note(2, 3, 4, "FOLLOWING"), peerEpoch: 5 }]);
    // A serving vote is not an answer to a serving server.
    two.fle.onMessage(two.ctx, "s1", note(1, 3, 4, "FOLLOWING"));
    expect(take(two.ctx)).toEqual([]);
  });

  it("ignores other channels, timers and message types", () => {
    const { fle, ctx } = unit(1);
    fle.start(ctx);
    expect(fle.onConnection(ctx, { peer: "s2", channel: "main", up: true, reason: "connected" })).toBe(false);
    expect(fle.onTimer(ctx, "zab-tick")).toBe(false);
    expect(fle.onMessage(ctx, "s2", { type: "PROPOSAL", zxid: "0x1" })).toBe(false);
    expect(take(ctx)).toEqual([]);
  });
});

describe("FLE votes (Vote.equals, totalOrderPredicate, checkLeader)", () => {
  const v = (id: number, state: Vote["state"], over: Partial<Vote> = {}): Vote => ({ id, zxid: 5n, electionEpoch: 1, peerEpoch: 1, state, version: 2, ...over });

  it("orders by peerEpoch, then zxid, then sid", () => {
    expect(totalOrderPredicate({ leader: 1, zxid: 1n, peerEpoch: 2 }, { leader: 3, zxid: 9n, peerEpoch: 1 })).toBe(true);
    expect(totalOrderPredicate({ leader: 1, zxid: 9n, peerEpoch: 1 }, { leader: 3, zxid: 5n, peerEpoch: 1 })).toBe(true);
    expect(totalOrderPredicate({ leader: 3, zxid: 5n, peerEpoch: 1 }, { leader: 2, zxid: 5n, peerEpoch: 1 })).toBe(true);
    expect(totalOrderPredicate({ leader: 2, zxid: 5n, peerEpoch: 1 }, { leader: 2, zxid: 5n, peerEpoch: 1 })).toBe(false);
  });

  it("compares LOOKING votes on everything, serving votes on (id, peerEpoch), mixed versions on the id", () => {
    expect(voteEquals(v(3, "LOOKING"), v(3, "FOLLOWING"))).toBe(true);
    expect(voteEquals(v(3, "LOOKING"), v(3, "FOLLOWING", { electionEpoch: 2 }))).toBe(false);
    expect(voteEquals(v(3, "FOLLOWING"), v(3, "LEADING", { zxid: 7n, electionEpoch: 2 }))).toBe(true);
    expect(voteEquals(v(3, "FOLLOWING"), v(3, "LEADING", { peerEpoch: 2 }))).toBe(false);
    expect(voteEquals(v(3, "FOLLOWING", { version: 0 }), v(3, "LEADING", { peerEpoch: 2 }))).toBe(true);
  });

  it("counts only voters, and a quorum for another server needs its own LEADING vote", () => {
    const votes = new Map<number, Vote>([
      [1, v(3, "FOLLOWING")],
      [4, v(3, "FOLLOWING")],
      [5, v(3, "FOLLOWING")],
    ]);
    const voters = new Set([1, 2, 3]);
    expect(hasQuorum(votes, v(3, "FOLLOWING"), voters)).toBe(false);
    votes.set(2, v(3, "FOLLOWING"));
    expect(hasQuorum(votes, v(3, "FOLLOWING"), voters)).toBe(true);
    expect(checkLeader(votes, 3, 1, 1, 1)).toBe(false);
    votes.set(3, v(3, "LEADING"));
    expect(checkLeader(votes, 3, 1, 1, 1)).toBe(true);
    expect(checkLeader(votes, 1, 1, 1, 2)).toBe(false);
  });
});
