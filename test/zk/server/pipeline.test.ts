// The server's request pipeline as a pure state machine, driven through a recording context: a
// write is logged and fsynced, and nothing is sent until the fsync completes; reads wait behind the
// same session's writes.
import { describe, expect, it } from "vitest";
import { recordingCtx, type Effect } from "../../../src/sim/testing.js";
import { OPEN_ACL_UNSAFE } from "../../../src/zk/acl.js";
import type { ZkMessage } from "../../../src/zk/server/messages.js";
import { DEFAULT_STANDALONE, StandaloneServer } from "../../../src/zk/server/standalone-server.js";
import { TXN_LOG } from "../../../src/zk/server/txn-log.js";
import { toWire } from "../../../src/zk/server/wire.js";
import type { TraceValue } from "../../../src/sim/trace.js";

const sends = (effects: readonly Effect[]): ZkMessage[] => effects.flatMap((e) => (e.kind === "send" ? [e.msg as ZkMessage] : []));
const kinds = (effects: readonly Effect[]): string[] => effects.filter((e) => e.kind !== "trace" && e.kind !== "set-timer" && e.kind !== "mark").map((e) => e.kind);

function connected(): { server: StandaloneServer; ctx: ReturnType<typeof recordingCtx<ZkMessage>>; sessionId: string } {
  const server = new StandaloneServer(DEFAULT_STANDALONE);
  const ctx = recordingCtx<ZkMessage>({ id: "s1", nowUs: 1_000 });
  server.onStart(ctx, "fresh");
  // ZooKeeperServer.loadData ends with a snapshot, of the empty tree on a fresh server.
  expect(kinds(ctx.effects)).toEqual(["write-atomic"]);
  expect(ctx.effects.find((e) => e.kind === "write-atomic")).toMatchObject({ file: "snapshot.0" });
  ctx.effects.length = 0;
  server.onConnection(ctx, { peer: "c1", channel: "main", up: true, reason: "connected" });
  server.onMessage(ctx, "c1", { type: "ConnectRequest", sessionId: "0x0", timeoutMs: 30000, lastZxid: "0x0" });
  expect(kinds(ctx.effects)).toEqual(["append", "fsync"]);
  expect(sends(ctx.effects)).toEqual([]);
  server.onDiskDone(ctx, { file: TXN_LOG, tag: "0x1" });
  const resp = sends(ctx.effects)[0];
  expect(resp?.type).toBe("ConnectResponse");
  ctx.effects.length = 0;
  return { server, ctx, sessionId: resp?.type === "ConnectResponse" ? resp.sessionId : "" };
}

const create = (path: string): TraceValue =>
  toWire({ op: "write", req: { type: "create", path, data: null, acl: OPEN_ACL_UNSAFE, flags: 0, ttlMs: -1n } });

describe("standalone server pipeline", () => {
  it("creates a session with a 0x01 high byte, answered after the createSession txn is durable", () => {
    const { sessionId } = connected();
    expect(sessionId).toMatch(/^0x1[0-9a-f]{14}$/);
  });

  it("logs a write, fsyncs it, and replies only when the fsync is done", () => {
    const { server, ctx } = connected();
    server.onMessage(ctx, "c1", { type: "Request", xid: 1, body: create("/a") });
    expect(kinds(ctx.effects)).toEqual(["append", "fsync"]);
    expect(ctx.effects.find((e) => e.kind === "fsync")).toEqual({ kind: "fsync", file: TXN_LOG, tag: "0x2" });
    ctx.effects.length = 0;
    server.onDiskDone(ctx, { file: TXN_LOG, tag: "0x2" });
    expect(sends(ctx.effects)).toEqual([{ type: "Reply", xid: 1, zxid: "0x2", err: 0, body: "/a" }]);
  });

  it("serves a read after the same session's pending write, and groups queued writes into one fsync", () => {
    const { server, ctx } = connected();
    server.onMessage(ctx, "c1", { type: "Request", xid: 1, body: create("/a") });
    server.onMessage(ctx, "c1", { type: "Request", xid: 2, body: toWire({ op: "exists", path: "/a", watch: false }) });
    server.onMessage(ctx, "c1", { type: "Request", xid: 3, body: create("/b") });
    server.onMessage(ctx, "c1", { type: "Request", xid: 4, body: create("/c") });
    expect(kinds(ctx.effects)).toEqual(["append", "fsync", "append", "append"]);
    expect(sends(ctx.effects)).toEqual([]);
    ctx.effects.length = 0;
    server.onDiskDone(ctx, { file: TXN_LOG, tag: "0x2" });
    const first = sends(ctx.effects);
    expect(first.map((m) => (m.type === "Reply" ? m.xid : -1))).toEqual([1, 2]);
    expect(first[1]?.type === "Reply" && first[1].err).toBe(0);
    expect(ctx.effects.filter((e) => e.kind === "fsync")).toEqual([{ kind: "fsync", file: TXN_LOG, tag: "0x4" }]);
    ctx.effects.length = 0;
    server.onDiskDone(ctx, { file: TXN_LOG, tag: "0x4" });
    expect(sends(ctx.effects).map((m) => (m.type === "Reply" ? m.zxid : ""))).toEqual(["0x3", "0x4"]);
  });
});
