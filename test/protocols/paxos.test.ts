// Basic Paxos: textbook message and fsync counts, acceptors that say nothing before it is durable
// and remember it across a crash, and safety on both network modes under crashes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PaxosAcceptor } from "../../src/protocols/paxos/acceptor.js";
import type { PaxosMessage } from "../../src/protocols/paxos/messages.js";
import { paxosPlugin } from "../../src/scenario/plugins/paxos.js";
import { recordingCtx, type Effect } from "../../src/sim/testing.js";
import { LOSSY, TCP, learned, of, runPaxos, sent } from "./paxos-world.js";

const sends = (ctx: { effects: readonly Effect[] }) => ctx.effects.filter((e) => e.kind === "send");

describe("Paxos acceptor, unit", () => {
  it("forces a promise to disk before it promises, and NACKs a lower ballot at once", () => {
    const a = new PaxosAcceptor("a1");
    const ctx = recordingCtx<PaxosMessage>({ id: "a1" });
    a.onStart(ctx, "fresh");
    a.onMessage(ctx, "p1", { type: "PREPARE", inst: 1, bal: [2, 1] });
    expect(sends(ctx)).toEqual([]);
    expect(ctx.effects).toContainEqual({ kind: "append", file: "acceptor", record: { i: 1, p: [2, 1] } });
    expect(ctx.effects).toContainEqual({ kind: "fsync", file: "acceptor", tag: "sync/1" });
    a.onMessage(ctx, "p2", { type: "PREPARE", inst: 1, bal: [1, 2] });
    expect(sends(ctx)).toEqual([{ kind: "send", to: "p2", msg: { type: "NACK", inst: 1, bal: [1, 2], promised: [2, 1] }, channel: "main" }]);
    ctx.effects.length = 0;
    a.onDiskDone(ctx, { file: "acceptor", tag: "sync/1" });
    expect(sends(ctx)).toEqual([
      { kind: "send", to: "p1", msg: { type: "PROMISE", inst: 1, bal: [2, 1], vbal: [0, 0], val: null }, channel: "main" },
    ]);
  });

  it("accepts only once the acceptance is durable, and reports it in later promises", () => {
    const a = new PaxosAcceptor("a1");
    const ctx = recordingCtx<PaxosMessage>({ id: "a1" });
    a.onMessage(ctx, "p1", { type: "ACCEPT", inst: 3, bal: [1, 1], val: "c1:3" });
    expect(sends(ctx)).toEqual([]);
    a.onDiskDone(ctx, { file: "acceptor", tag: "sync/1" });
    expect(ctx.effects).toContainEqual({ kind: "trace", event: { type: "accept", inst: 3, bal: [1, 1], val: "c1:3", fast: false } });
    expect(sends(ctx)).toEqual([{ kind: "send", to: "p1", msg: { type: "ACCEPTED", inst: 3, bal: [1, 1] }, channel: "main" }]);
    ctx.effects.length = 0;
    a.onMessage(ctx, "p2", { type: "PREPARE", inst: 3, bal: [2, 2] });
    a.onDiskDone(ctx, { file: "acceptor", tag: "sync/2" });
    expect(sends(ctx)).toEqual([{ kind: "send", to: "p2", msg: { type: "PROMISE", inst: 3, bal: [2, 2], vbal: [1, 1], val: "c1:3" }, channel: "main" }]);
  });

  it("after a restart it still refuses what it promised not to accept", () => {
    const ctx = recordingCtx<PaxosMessage>({ id: "a1" });
    ctx.files.set("acceptor", [
      { i: 1, p: [5, 2] },
      { i: 2, b: [3, 1], v: "c1:2" },
    ]);
    const a = new PaxosAcceptor("a1");
    a.onStart(ctx, "recovered");
    a.onMessage(ctx, "p1", { type: "ACCEPT", inst: 1, bal: [4, 1], val: "c1:1" });
    a.onMessage(ctx, "p1", { type: "PREPARE", inst: 2, bal: [2, 1] });
    expect(ctx.effects.flatMap((e) => (e.kind === "send" ? [e.msg] : []))).toEqual([
      { type: "NACK", inst: 1, bal: [4, 1], promised: [5, 2] },
      { type: "NACK", inst: 2, bal: [2, 1], promised: [3, 1] },
    ]);
  });
});

describe("Paxos", () => {
  it("costs 4n + 2L + 2 messages and 2n fsyncs a command without faults (n=3, L=2: 18 and 6)", () => {
    const out = runPaxos(paxosPlugin, { commands: { count: 5 } }, 1_000_000);
    expect(out.violations).toEqual([]);
    expect(out.metrics).toMatchObject({ submitted: 5, committed: 5, chosen: 5, ballots: 5, preemptions: 0 });
    const count = { REQUEST: 1, PREPARE: 3, PROMISE: 3, ACCEPT: 3, ACCEPTED: 3, CHOSEN: 2, LEARNED: 2, REPLY: 1 };
    for (const [type, each] of Object.entries(count)) expect(sent(out.events, type)).toBe(5 * each);
    expect(out.metrics["messages"]).toBe(5 * 18);
    // Two forced records per acceptor per command, and p1's one reservation of ballot rounds.
    expect(out.metrics["fsyncs"]).toBe(5 * 6 + 1);
    expect(learned(out.events, "l1")).toEqual({ 1: "c1:1", 2: "c1:2", 3: "c1:3", 4: "c1:4", 5: "c1:5" });
  });

  it("on a lossy, duplicating, reordering network two clients contend for every instance and each gets one answer", () => {
    const out = runPaxos(paxosPlugin, { clients: 2, acceptors: 5, commands: { count: 8, every: 60_000 } }, 5_000_000, { network: LOSSY });
    expect(out.violations).toEqual([]);
    expect(out.metrics["chosen"]).toBe(8);
    // One value per instance: for each, one client committed and the other lost.
    expect(out.metrics).toMatchObject({ submitted: 16, committed: 8, lost: 8, unanswered: 0 });
    expect(learned(out.events, "l1")).toEqual(learned(out.events, "l2"));
  });

  it("keeps one value per instance under random crashes and restarts, on both network modes", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.constantFrom("p1", "p2", "a1", "a2", "a3"), fc.integer({ min: 0, max: 900 }), fc.integer({ min: 1, max: 400 })), { maxLength: 4 }),
        fc.integer({ min: 1, max: 1000 }),
        (lossy, crashes, seed) => {
          const out = runPaxos(paxosPlugin, { clients: 2, commands: { count: 6, every: 80_000 } }, 3_000_000, {
            network: lossy ? LOSSY : TCP,
            seed,
            script: (w) => {
              for (const [node, atMs, forMs] of crashes) {
                w.at(atMs * 1000, () => w.crash(node));
                w.at((atMs + forMs) * 1000, () => w.restart(node));
              }
            },
          });
          expect(out.violations).toEqual([]);
          expect(of(out.events, "chosen").length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 12, seed: 8 },
    );
  });
});

