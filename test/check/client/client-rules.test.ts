// Each client-visible invariant on hand-built traces: a run it must accept and one it must reject.
import { describe, expect, it } from "vitest";
import { TraceBuilder, zx } from "../zab/trace-builder.js";

const healthy = (): TraceBuilder => new TraceBuilder().start("s1", "s2", "s3").elect("s3", ["s1", "s2"], 1).write("s3", ["s1", "s2"], 1, 1).write("s3", ["s1", "s2"], 1, 2);

/** Kernel facts of a client c1 talking to a server: connection, then messages sent and received. */
class Wire {
  private id = 100;
  constructor(private readonly b: TraceBuilder) {}
  connect(client: string, server: string, session: string): this {
    this.b.add({ type: "conn-up", node: client, ch: "main", peer: server, reason: "connected" });
    return this.deliver(server, client, { type: "ConnectResponse", sessionId: session, timeoutMs: 2000 });
  }
  deliver(from: string, to: string, msg: { readonly type: string; readonly [k: string]: string | number | null }): this {
    const id = this.id++;
    this.b.add({ type: "send", from, to, id, msg });
    this.b.add({ type: "recv", from, id, to });
    return this;
  }
  reply(from: string, to: string, zxid: string): this {
    return this.deliver(from, to, { type: "Reply", xid: 1, zxid, err: 0, body: null });
  }
}

describe("session-order", () => {
  it("accepts a session that moves to a server as new as what it saw", () => {
    const b = healthy();
    new Wire(b).connect("c1", "s3", "0x9").reply("s3", "c1", zx(1, 2)).connect("c1", "s1", "0x9").reply("s1", "c1", zx(1, 2));
    expect(b.fired(["session-order"])).toEqual([]);
  });
  it("fires when a session reads an older state than one it saw", () => {
    const b = healthy();
    new Wire(b).connect("c1", "s3", "0x9").reply("s3", "c1", zx(1, 2)).connect("c1", "s1", "0x9").reply("s1", "c1", zx(1, 1));
    expect(b.fired(["session-order"])).toEqual(["session-order"]);
  });
  it("does not count a late reply from a server the client left", () => {
    const b = healthy();
    const w = new Wire(b).connect("c1", "s1", "0x9").reply("s1", "c1", zx(1, 1)).connect("c1", "s2", "0x9");
    w.reply("s1", "c1", zx(1, 2)).reply("s2", "c1", zx(1, 1));
    expect(b.fired(["session-order"])).toEqual([]);
  });
  it("starts afresh with a new session", () => {
    const b = healthy();
    new Wire(b).connect("c1", "s3", "0x9").reply("s3", "c1", zx(1, 2)).connect("c1", "s1", "0xa").reply("s1", "c1", zx(1, 1));
    expect(b.fired(["session-order"])).toEqual([]);
  });
  it("fires when a session sees an older version of a register it wrote", () => {
    const done = (f: string, version: number) => ({ type: "register-complete", node: "c1", process: "c1", key: "/r0", f, outcome: "ok", value: null, version, session: "0x9", err: "ok", watched: false });
    expect(healthy().add(done("write", 3)).add(done("read", 2)).fired(["session-order"])).toEqual(["session-order"]);
  });
});

describe("sync-freshness", () => {
  const sync = (b: TraceBuilder, node: string, answeredAt: string): TraceBuilder =>
    b
      .add({ type: "zk-request", node, session: "0x9", xid: 1, op: "sync", path: "/" })
      .add({ type: "zk-response", node, session: "0x9", xid: 1, op: "sync", path: "/", zxid: answeredAt, err: 0 });
  it("accepts a sync answered at the last commit", () => {
    expect(sync(healthy(), "s1", zx(1, 2)).fired(["sync-freshness"])).toEqual([]);
  });
  it("fires when a server of the current epoch answers a sync below what was committed", () => {
    expect(sync(healthy(), "s1", zx(1, 1)).fired(["sync-freshness"])).toEqual(["sync-freshness"]);
  });
  it("fires when the read after the sync is stale", () => {
    const b = sync(healthy(), "s1", zx(1, 2)).add({ type: "zk-response", node: "s1", session: "0x9", xid: 2, op: "getData", path: "/a", zxid: zx(1, 1), err: 0 });
    expect(b.fired(["sync-freshness"])).toEqual(["sync-freshness"]);
  });
  it("does not judge a sync a leader of an older epoch takes", () => {
    const b = healthy().shutdown("s1", "FOLLOWING", 1).shutdown("s2", "FOLLOWING", 1).elect("s2", ["s1"], 2).write("s2", ["s1"], 2, 1);
    expect(sync(b, "s3", zx(1, 2)).fired(["sync-freshness"])).toEqual([]);
  });
});

describe("watch-order", () => {
  const done = (f: string, version: number, watched: boolean) => ({ type: "register-complete", node: "c1", process: "c1", key: "/r0", f, outcome: "ok", value: 1, version, session: "0x9", err: "ok", watched });
  const watch = { type: "register-watch", node: "c1", session: "0x9", key: "/r0", event: "NodeDataChanged" };
  it("accepts the watch event before the newer data", () => {
    expect(healthy().add(done("read", 1, true)).add(watch).add(done("read", 2, true)).fired(["watch-order"])).toEqual([]);
  });
  it("fires when the newer data comes first", () => {
    expect(healthy().add(done("read", 1, true)).add(done("write", 2, false)).add(watch).fired(["watch-order"])).toEqual(["watch-order"]);
  });
});

describe("ephemerals", () => {
  const created = { type: "register-ephemeral", node: "c1", path: "/live/c1-1", session: "0x9", zxid: zx(1, 2), outcome: "ok", err: "ok" };
  const probe = (zxid: string, children: string[]) => ({ type: "register-probe", node: "c2", parent: "/live", children, zxid, session: "0xa" });
  const closed = (b: TraceBuilder): TraceBuilder => b.write("s3", ["s1", "s2"], 1, 3, "0x9", "closeSession");
  it("accepts an ephemeral listed while its session lives and gone after", () => {
    const b = closed(healthy().add(created).add(probe(zx(1, 2), ["c1-1"]))).add(probe(zx(1, 3), []));
    expect(b.fired(["ephemerals"])).toEqual([]);
  });
  it("fires when an ephemeral outlives its session", () => {
    expect(closed(healthy().add(created)).add(probe(zx(1, 3), ["c1-1"])).fired(["ephemerals"])).toEqual(["ephemerals"]);
  });
  it("fires when an ephemeral vanishes while its session lives", () => {
    expect(healthy().add(created).add(probe(zx(1, 2), [])).fired(["ephemerals"])).toEqual(["ephemerals"]);
  });
});

describe("session-expiry", () => {
  const expiring = (node: string) => ({ type: "zk-session", node, session: "0x9", event: "expiring", timeoutMs: 2000 });
  it("accepts the leader expiring a session", () => {
    expect(healthy().add(expiring("s3")).fired(["session-expiry"])).toEqual([]);
  });
  it("fires when a follower expires a session", () => {
    expect(healthy().add(expiring("s1")).fired(["session-expiry"])).toEqual(["session-expiry"]);
  });
});

describe("linearizability", () => {
  const inv = (process: string, f: string, value: unknown) => ({ type: "register-invoke", node: process, process, key: "/r0", f, value: value as null });
  const ok = (process: string, f: string, value: unknown = null) => ({ type: "register-complete", node: process, process, key: "/r0", f, outcome: "ok", value: value as null, version: 0, session: "0x9", err: "ok", watched: false });
  it("accepts writes and a cas that saw the last one", () => {
    const b = healthy().add(inv("c1", "write", 1)).add(ok("c1", "write")).add(inv("c2", "cas", [1, 2])).add(ok("c2", "cas"));
    expect(b.fired(["linearizability"])).toEqual([]);
  });
  it("fires when a cas succeeds on a value a completed write replaced (a lost write)", () => {
    const b = healthy().add(inv("c1", "cas", [null, 0])).add(ok("c1", "cas")).add(inv("c1", "write", 1)).add(ok("c1", "write")).add(inv("c2", "cas", [0, 2])).add(ok("c2", "cas"));
    const v = b.check(["linearizability"]);
    expect(v.map((x) => x.invariant)).toEqual(["linearizability"]);
    expect(v[0]?.message).toMatch(/not linearizable/);
    expect(b.events[v[0]?.eventIndex ?? 0]?.type).toBe("register-complete");
  });
  it("leaves reads out: a stale read is not a violation", () => {
    const b = healthy().add(inv("c1", "write", 1)).add(ok("c1", "write")).add(inv("c2", "read", null)).add(ok("c2", "read", null));
    expect(b.fired(["linearizability"])).toEqual([]);
  });
});
