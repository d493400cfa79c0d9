// The standalone server on the kernel: zxids, durability before replies, crash and recovery from
// the txn log, session expiry, and watch events ahead of the reply that caused them.
import { describe, expect, it } from "vitest";
import { OPEN_ACL_UNSAFE } from "../../../src/zk/acl.js";
import { CLIENT_ID, SERVER_ID, StandaloneSim } from "../../../src/zk/client/standalone-sim.js";
import { ERR } from "../../../src/zk/errors.js";
import { toWire } from "../../../src/zk/server/wire.js";
import type { TraceEvent } from "../../../src/sim/trace.js";

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const PERSISTENT = 0;
const EPHEMERAL = 1;

function sim(): StandaloneSim {
  return new StandaloneSim({ seed: 7, trace: { sink: { kind: "memory" }, strict: true } });
}

const events = (s: StandaloneSim): TraceEvent[] => s.world.traceLines().map((l) => JSON.parse(l) as TraceEvent);
const indexOf = (es: readonly TraceEvent[], pred: (e: TraceEvent) => boolean): number => es.findIndex(pred);

describe("standalone server", () => {
  it("spends 0x1 on the session and gives the first create zxid 0x2", () => {
    const s = sim();
    expect(s.client.create("/a", bytes("x"), OPEN_ACL_UNSAFE, PERSISTENT, -1n)).toEqual({ ok: true, value: "/a" });
    const st = s.client.exists("/a", false);
    expect(st.ok && st.value?.czxid).toBe(2n);
    const applied = events(s).filter((e) => e.type === "zk-apply");
    expect(applied.map((e) => [e["zxid"], e["txn"]])).toEqual([
      ["0x1", "createSession"],
      ["0x2", "create"],
    ]);
  });

  it("negotiates the session timeout into [2, 20] x tickTime", () => {
    const s = new StandaloneSim({ seed: 1, trace: { sink: { kind: "memory" } }, sessionTimeoutMs: 1000 });
    const state = events(s).find((e) => e.type === "zk-client-state");
    expect(state?.["timeoutMs"]).toBe(4000);
  });

  it("answers a write only after the fsync that covers it", () => {
    const s = sim();
    s.client.create("/a", bytes("x"), OPEN_ACL_UNSAFE, PERSISTENT, -1n);
    const es = events(s);
    const req = indexOf(es, (e) => e.type === "zk-request" && e["op"] === "create");
    const durable = indexOf(es, (e) => e.type === "durable" && e["node"] === SERVER_ID && es.indexOf(e) > req);
    const resp = indexOf(es, (e) => e.type === "zk-response" && e["op"] === "create");
    expect(req).toBeGreaterThan(0);
    expect(durable).toBeGreaterThan(req);
    expect(resp).toBeGreaterThan(durable);
    expect(es[resp]?.["zxid"]).toBe("0x2");
    expect(es[resp]?.["err"]).toBe(0);
  });

  it("loses a write that was not fsynced when the server crashes; the client gets ConnectionLoss", () => {
    const s = sim();
    let seen = false;
    let reply: number | null = null;
    s.world.observe((e) => {
      if (e.type === "zk-request" && e["op"] === "create") seen = true;
      if (e.type === "zk-client-reply" && e["xid"] === 999) reply = e["err"] as number;
    });
    const req = { op: "write", req: { type: "create", path: "/lost", data: bytes("x"), acl: OPEN_ACL_UNSAFE, flags: PERSISTENT, ttlMs: -1n } };
    s.world.input(CLIENT_ID, { type: "request", xid: 999, body: toWire(req) });
    s.world.run({ stopWhen: () => seen });
    s.crash();
    s.world.run({ untilUs: s.world.now + 1_000_000, stopWhen: () => reply !== null });
    expect(reply).toBe(ERR.ConnectionLoss);
    s.restart();
    s.advance(3000);
    expect(s.client.state()).toBe("CONNECTED");
    expect(s.client.exists("/lost", false)).toEqual({ ok: true, value: null });
    expect(s.lastZxid()).toBe("0x1");
  });

  it("rebuilds the tree from the txn log on restart, and the session survives", () => {
    const s = sim();
    s.client.create("/a", bytes("x"), OPEN_ACL_UNSAFE, PERSISTENT, -1n);
    s.client.create("/a/b", bytes("y"), OPEN_ACL_UNSAFE, PERSISTENT, -1n);
    s.client.setData("/a", bytes("z"), -1);
    s.crash();
    s.advance(500);
    expect(s.client.getData("/a", false)).toEqual({ ok: false, error: { kind: "keeper", code: ERR.ConnectionLoss, path: "/a" } });
    s.restart();
    s.advance(3000);
    const got = s.client.getData("/a", false);
    expect(got.ok && new TextDecoder().decode(got.value.data ?? new Uint8Array())).toBe("z");
    expect(got.ok && got.value.stat.mzxid).toBe(4n);
    const kids = s.client.getChildren("/a", false);
    expect(kids.ok && kids.value.children).toEqual(["b"]);
    expect(events(s).some((e) => e.type === "zk-session" && e["event"] === "reconnected")).toBe(true);
  });

  it("expires a session whose client is gone, removing its ephemerals after the timeout", () => {
    const s = sim();
    s.client.create("/e", bytes("x"), OPEN_ACL_UNSAFE, EPHEMERAL, -1n);
    const goneAt = s.world.now;
    s.world.crash(CLIENT_ID);
    const ephemerals = (): string | undefined => /zk_ephemerals_count\t(\d+)/.exec(s.fourLetterWord("mntr") ?? "")?.[1];
    s.world.run({ untilUs: goneAt + 29_000_000 });
    expect(ephemerals()).toBe("1");
    s.world.run({ untilUs: goneAt + 33_000_000 });
    expect(ephemerals()).toBe("0");
    const es = events(s);
    const expired = es.find((e) => e.type === "zk-session" && e["event"] === "expired");
    expect(expired?.t).toBeGreaterThanOrEqual(goneAt + 30_000_000);
    expect(expired?.t).toBeLessThanOrEqual(goneAt + 32_000_000 + 10_000);
    expect(es.filter((e) => e.type === "zk-apply").map((e) => e["txn"])).toEqual(["createSession", "create", "closeSession"]);
  });

  it("delivers a watch event before the reply of the write that fired it", () => {
    const s = sim();
    const seen: string[] = [];
    s.client.setDefaultWatcher((e) => seen.push(`${e.type} ${e.path ?? ""}`));
    s.client.create("/w", bytes("x"), OPEN_ACL_UNSAFE, PERSISTENT, -1n);
    s.client.getData("/w", true);
    const r = s.client.setData("/w", bytes("y"), -1);
    seen.push("reply");
    expect(r.ok).toBe(true);
    expect(seen).toEqual(["NodeDataChanged /w", "reply"]);
    const es = events(s);
    const watch = indexOf(es, (e) => e.type === "zk-client-watch");
    const reply = indexOf(es, (e) => e.type === "zk-client-reply" && es.indexOf(e) > watch);
    expect(watch).toBeGreaterThan(0);
    expect(es[reply]?.["zxid"]).toBe("0x3");
  });

  it("groups txns that queue during an fsync into the next one", () => {
    const s = sim();
    const body = (path: string): ReturnType<typeof toWire> =>
      toWire({ op: "write", req: { type: "create", path, data: null, acl: OPEN_ACL_UNSAFE, flags: PERSISTENT, ttlMs: -1n } });
    for (let i = 0; i < 5; i++) s.world.input(CLIENT_ID, { type: "request", xid: 100 + i, body: body(`/g${i}`) });
    s.advance(1000);
    expect(s.world.marks()["zk-server: group commit"]).toBeGreaterThan(0);
    expect(s.lastZxid()).toBe("0x6");
  });

  it("after expiry behind a partition: Disconnected, then Expired on reconnect, then SessionExpired", () => {
    const s = sim();
    const seen: string[] = [];
    s.client.setDefaultWatcher((e) => seen.push(e.state));
    s.client.create("/e", bytes("x"), OPEN_ACL_UNSAFE, EPHEMERAL, -1n);
    s.world.partition([[SERVER_ID], [CLIENT_ID]]);
    s.advance(45_000);
    s.world.heal();
    s.advance(5_000);
    expect(seen).toEqual(["Disconnected", "Expired"]);
    expect(s.client.state()).toBe("CLOSED");
    expect(s.client.exists("/e", false)).toEqual({ ok: false, error: { kind: "keeper", code: ERR.SessionExpired, path: "/e" } });
    expect(/zk_ephemerals_count\t0\n/.test(s.fourLetterWord("mntr") ?? "")).toBe(true);
  });

  it("replays byte for byte from its seed", () => {
    const run = (): string | null => {
      const s = sim();
      s.client.create("/a", bytes("x"), OPEN_ACL_UNSAFE, EPHEMERAL, -1n);
      s.crash();
      s.advance(2000);
      s.restart();
      s.advance(40_000);
      return s.world.end("quiet").sha256;
    };
    expect(run()).toBe(run());
  });

  it("re-arms the client's watches on reconnect after a server restart", () => {
    const s = sim();
    const seen: string[] = [];
    s.client.setDefaultWatcher((e) => seen.push(`${e.state} ${e.type} ${e.path ?? ""}`));
    s.client.create("/w", bytes("x"), OPEN_ACL_UNSAFE, PERSISTENT, -1n);
    s.client.getData("/w", true);
    s.crash();
    s.advance(1000);
    s.restart();
    s.advance(3000);
    s.client.setData("/w", bytes("y"), -1);
    expect(seen).toEqual(["Disconnected None ", "SyncConnected None ", "SyncConnected NodeDataChanged /w"]);
  });

  it("traces every request and response with the session, op, path, zxid and error", () => {
    const s = sim();
    s.client.create("/a", bytes("x"), OPEN_ACL_UNSAFE, PERSISTENT, -1n);
    s.client.create("/a", bytes("x"), OPEN_ACL_UNSAFE, PERSISTENT, -1n);
    const es = events(s);
    const responses = es.filter((e) => e.type === "zk-response").map((e) => [e["op"], e["path"], e["zxid"], e["err"]]);
    expect(responses).toEqual([
      ["connect", null, "0x1", 0],
      ["create", "/a", "0x2", 0],
      ["create", "/a", "0x3", ERR.NodeExists],
    ]);
    expect(es.filter((e) => e.type === "zk-request").map((e) => e["op"])).toEqual(["connect", "create", "create"]);
    expect(es.find((e) => e.type === "zk-response")?.["session"]).toMatch(/^0x1[0-9a-f]{14}$/);
  });
});
