// Each ZAB invariant on hand-built traces: a run it must accept and one it must reject.
import { describe, expect, it } from "vitest";
import { TraceBuilder, zx } from "./trace-builder.js";

/** Three servers, s3 leading epoch 1 with two commits everyone applied. */
const healthy = (): TraceBuilder => new TraceBuilder().start("s1", "s2", "s3").elect("s3", ["s1", "s2"], 1).write("s3", ["s1", "s2"], 1, 1).write("s3", ["s1", "s2"], 1, 2);

describe("a healthy run", () => {
  it("violates nothing", () => {
    expect(healthy().check()).toEqual([]);
  });

  it("survives a leader change with a TRUNC of an uncommitted txn and a fast-forward", () => {
    const b = healthy()
      // s3 logs <1,3> alone and crashes; s1 and s2 elect s2 in epoch 2 without it.
      .propose("s3", 1, 3)
      .crash("s3")
      .shutdown("s2", "FOLLOWING", 1)
      .shutdown("s1", "FOLLOWING", 1)
      .elect("s2", ["s1"], 2)
      .write("s2", ["s1"], 2, 1)
      // s3 restarts, replays <1,3> from its log (tentative), is TRUNCated and syncs.
      .start("s3")
      .apply("s3", 1, 1)
      .apply("s3", 1, 2)
      .apply("s3", 1, 3)
      .role("s3", "FOLLOWING", "DISCOVERY", 1)
      .add({ type: "zab-truncate", node: "s3", zxid: zx(1, 2) })
      .add({ type: "zk-db-reset", node: "s3", why: "trunc" })
      .apply("s3", 1, 1)
      .apply("s3", 1, 2)
      .apply("s3", 2, 1)
      .role("s3", "FOLLOWING", "BROADCAST", 2);
    expect(b.check()).toEqual([]);
  });
});

describe("integrity", () => {
  it("fires on an apply nobody proposed", () => {
    expect(healthy().apply("s1", 1, 3).fired(["integrity"])).toEqual(["integrity"]);
  });
  it("fires on an apply of another txn than the proposal", () => {
    const b = healthy().propose("s3", 1, 3, "0x1", "create").apply("s1", 1, 3, "0x1", "delete");
    expect(b.fired(["integrity"])).toEqual(["integrity"]);
  });
});

describe("total-order", () => {
  it("fires when a txn follows different txns on two servers", () => {
    const b = healthy().propose("s3", 1, 3).propose("s3", 1, 4).apply("s1", 1, 4).apply("s2", 1, 3).apply("s2", 1, 4);
    expect(b.fired(["total-order"])).toEqual(["total-order"]);
  });
  it("accepts the same txn after a reset rebuilt the same prefix", () => {
    const b = healthy().add({ type: "zk-db-reset", node: "s1", why: "snap" }).apply("s1", 1, 1).apply("s1", 1, 2);
    expect(b.fired(["total-order"])).toEqual([]);
  });
});

describe("agreement", () => {
  it("fires when one zxid is two txns", () => {
    const b = healthy().propose("s3", 1, 3, "0x1", "create").propose("s3", 1, 3, "0x2", "create").apply("s1", 1, 3, "0x1", "create").apply("s2", 1, 3, "0x2", "create");
    expect(b.fired(["agreement"])).toEqual(["agreement"]);
  });
  it("fires at the end when two servers delivered what the other never did", () => {
    const b = new TraceBuilder().start("s1", "s2").role("s1", "FOLLOWING", "BROADCAST", 1).role("s2", "FOLLOWING", "BROADCAST", 1);
    b.propose("s3", 1, 1).propose("s3", 2, 1, "0x2").apply("s1", 1, 1).apply("s2", 2, 1, "0x2");
    expect(b.fired(["agreement"])).toEqual(["agreement"]);
  });
});

describe("local-primary-order", () => {
  it("fires when a txn of the epoch is skipped", () => {
    const b = healthy().propose("s3", 1, 3).propose("s3", 1, 4).apply("s1", 1, 4);
    expect(b.fired(["local-primary-order"])).toEqual(["local-primary-order"]);
  });
  it("fires when a leader's proposals skip a counter", () => {
    expect(healthy().propose("s3", 1, 4).fired(["local-primary-order"])).toEqual(["local-primary-order"]);
  });
  it("accepts a new epoch starting at counter 1", () => {
    expect(healthy().propose("s3", 2, 1).apply("s1", 2, 1).fired(["local-primary-order"])).toEqual([]);
  });
});

describe("global-primary-order", () => {
  it("fires when a server goes back to an older epoch", () => {
    const b = healthy().propose("s9", 2, 1).apply("s1", 2, 1).apply("s1", 1, 3);
    expect(b.fired(["global-primary-order"])).toEqual(["global-primary-order"]);
  });
});

describe("primary-integrity", () => {
  it("fires when a new primary lacks a txn of an older epoch that was delivered", () => {
    const b = healthy().shutdown("s1", "FOLLOWING", 1).shutdown("s2", "FOLLOWING", 1);
    // s2 forgets <1,2> (a bug) and leads epoch 2.
    b.add({ type: "zk-db-reset", node: "s2", why: "trunc" }).apply("s2", 1, 1).elect("s2", ["s1"], 2).propose("s2", 2, 1);
    expect(b.fired(["primary-integrity"])).toEqual(["primary-integrity"]);
  });
});

describe("leadership", () => {
  it("fires when two servers establish one epoch", () => {
    const b = healthy().add({ type: "zab-established", node: "s1", epoch: 1, quorum: [] });
    expect(b.fired(["leadership"])).toEqual(["leadership"]);
  });
  it("fires when two servers lead one epoch in BROADCAST", () => {
    const b = healthy().role("s1", "LEADING", "BROADCAST", 1);
    expect(b.fired(["leadership"])).toEqual(["leadership"]);
  });
  it("accepts an old leader that lingers in an older epoch", () => {
    const b = healthy().role("s2", "LEADING", "DISCOVERY", 1).add({ type: "zab-established", node: "s2", epoch: 2, quorum: [] }).role("s2", "LEADING", "BROADCAST", 2);
    expect(b.fired(["leadership"])).toEqual([]);
  });
});

describe("prefix-consistency", () => {
  it("fires when a serving follower applies a txn nobody committed", () => {
    expect(healthy().propose("s3", 1, 3).apply("s1", 1, 3).fired(["prefix-consistency"])).toEqual(["prefix-consistency"]);
  });
  it("accepts the same apply as a fast-forward while LOOKING", () => {
    expect(healthy().propose("s3", 1, 3).shutdown("s1", "FOLLOWING", 1).apply("s1", 1, 3).fired(["prefix-consistency"])).toEqual([]);
  });
  it("fires when a learner enters BROADCAST holding an uncommitted txn (a DIFF where a TRUNC was due)", () => {
    const b = healthy().propose("s3", 1, 3).shutdown("s1", "FOLLOWING", 1).apply("s1", 1, 3).role("s1", "FOLLOWING", "BROADCAST", 1);
    expect(b.fired(["prefix-consistency"])).toEqual(["prefix-consistency"]);
  });
});

describe("committed-log-durability", () => {
  it("fires when a leader becomes active without a committed txn", () => {
    const b = healthy().propose("s3", 1, 3).commit("s3", 1, 3).apply("s3", 1, 3).crash("s3").shutdown("s1", "FOLLOWING", 1).shutdown("s2", "FOLLOWING", 1).elect("s2", ["s1"], 2);
    expect(b.fired(["committed-log-durability"])).toEqual(["committed-log-durability"]);
  });
  it("fires when an old leader commits what the newer one lacks", () => {
    const b = healthy().propose("s3", 1, 3).shutdown("s1", "FOLLOWING", 1).shutdown("s2", "FOLLOWING", 1).elect("s2", ["s1"], 2).commit("s3", 1, 3);
    expect(b.fired(["committed-log-durability"])).toEqual(["committed-log-durability"]);
  });
  it("accepts a new leader holding everything committed", () => {
    const b = healthy().crash("s3").shutdown("s1", "FOLLOWING", 1).shutdown("s2", "FOLLOWING", 1).elect("s2", ["s1"], 2);
    expect(b.fired(["committed-log-durability"])).toEqual([]);
  });
});

describe("commit-completeness", () => {
  it("fires when a leader commits out of proposal order", () => {
    expect(healthy().propose("s3", 1, 3).propose("s3", 1, 4).commit("s3", 1, 4).fired(["commit-completeness"])).toEqual(["commit-completeness"]);
  });
  it("fires when a leader commits what it never proposed", () => {
    expect(healthy().commit("s3", 1, 7).fired(["commit-completeness"])).toEqual(["commit-completeness"]);
  });
  it("fires when a server that is not an active leader commits", () => {
    expect(healthy().commit("s1", 1, 3).fired(["commit-completeness"])).toEqual(["commit-completeness"]);
  });
});

describe("epoch-monotonicity", () => {
  const epoch = (b: TraceBuilder, node: string, which: string, e: number, durable: boolean): TraceBuilder => {
    b.add({ type: "zab-epoch", node, which, epoch: e });
    return durable ? b.add({ type: "durable", node, file: which === "accepted" ? "acceptedEpoch" : "currentEpoch", length: 1 }) : b;
  };
  it("accepts accepted then current, and a crash that loses a pending write", () => {
    const b = new TraceBuilder().start("s1");
    epoch(b, "s1", "accepted", 1, true);
    epoch(b, "s1", "current", 1, true);
    epoch(b, "s1", "accepted", 2, false);
    b.crash("s1").add({ type: "restart", node: "s1", inc: 2 }).add({ type: "zab-start", node: "s1", how: "recovered", zxid: "0x0", acceptedEpoch: 1, currentEpoch: 1 });
    expect(b.fired(["epoch-monotonicity"])).toEqual([]);
  });
  it("fires when the durable currentEpoch passes acceptedEpoch", () => {
    const b = new TraceBuilder().start("s1");
    epoch(b, "s1", "accepted", 1, true);
    epoch(b, "s1", "current", 2, true);
    expect(b.fired(["epoch-monotonicity"])).toEqual(["epoch-monotonicity"]);
  });
  it("fires when a durable epoch goes back", () => {
    const b = new TraceBuilder().start("s1");
    epoch(b, "s1", "accepted", 3, true);
    epoch(b, "s1", "accepted", 2, true);
    expect(b.fired(["epoch-monotonicity"])).toEqual(["epoch-monotonicity"]);
  });
  it("fires when a restart reads back another epoch than the durable one", () => {
    const b = new TraceBuilder().start("s1");
    epoch(b, "s1", "accepted", 2, true);
    b.crash("s1").add({ type: "restart", node: "s1", inc: 2 }).add({ type: "zab-start", node: "s1", how: "recovered", zxid: "0x0", acceptedEpoch: 1, currentEpoch: 0 });
    expect(b.fired(["epoch-monotonicity"])).toEqual(["epoch-monotonicity"]);
  });
});

describe("liveness", () => {
  /** A leader of epoch 1 ticking every 100 ms (tick 200 ms: bound 2 s + 15 ticks = 5 s). */
  const ticking = (b: TraceBuilder, fromMs: number, toMs: number): TraceBuilder => {
    for (let ms = fromMs; ms <= toMs; ms += 100) b.add({ type: "timer", node: "s3", name: "zab-tick" }, ms);
    return b;
  };
  it("accepts one leader with a quorum after the faults stopped", () => {
    expect(ticking(healthy(), 100, 8000).fired(["liveness"])).toEqual([]);
  });
  it("fires when a second leader still broadcasts long after the faults stopped", () => {
    const b = healthy().role("s2", "LEADING", "BROADCAST", 2);
    expect(ticking(b, 100, 8000).fired(["liveness"])).toEqual(["liveness"]);
  });
  it("fires when a client request stays unanswered", () => {
    const b = healthy().add({ type: "client-invoke", node: "c1", op: "get", path: "/a", arg: null });
    expect(ticking(b, 100, 8000).fired(["liveness"])).toEqual(["liveness"]);
  });
  it("does not judge a run that ends partitioned", () => {
    const b = healthy().role("s2", "LEADING", "BROADCAST", 2).add({ type: "partition", sides: [["s1"], ["s2", "s3"]] });
    expect(ticking(b, 100, 8000).fired(["liveness"])).toEqual([]);
  });
  it("does not judge a run that ends with a flapping link down, and counts quiet time from its last link-up", () => {
    const flapped = (upAtMs: number | null): TraceBuilder => {
      const b = healthy().role("s2", "LEADING", "BROADCAST", 2);
      b.add({ type: "flap", a: "s1", b: "s2", periodUs: 100_000, downUs: 30_000, untilUs: 9_000_000 }, 100);
      b.add({ type: "link-down", from: "s1", to: "s2" }, 100).add({ type: "link-down", from: "s2", to: "s1" }, 100);
      if (upAtMs !== null) b.add({ type: "link-up", from: "s1", to: "s2" }, upAtMs).add({ type: "link-up", from: "s2", to: "s1" }, upAtMs);
      return ticking(b, upAtMs ?? 200, 8000);
    };
    expect(flapped(null).fired(["liveness"])).toEqual([]);
    // Up at 4 s: 4 s of quiet by 8 s, under the 5 s bound.
    expect(flapped(4000).fired(["liveness"])).toEqual([]);
    expect(flapped(2000).fired(["liveness"])).toEqual(["liveness"]);
  });
});
