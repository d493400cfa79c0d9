// Multi-Paxos: phase 1 once per leadership, then 2n + 2L + 2 messages a command; a new leader
// re-proposes the highest-ballot value of each slot and fills gaps with no-ops; safe under
// crashes on both network modes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LogMessage } from "../../src/protocols/multipaxos/messages.js";
import { MultiPaxosLeader } from "../../src/protocols/multipaxos/leader.js";
import { multipaxosConfig, multipaxosPlugin } from "../../src/scenario/plugins/multipaxos.js";
import { recordingCtx } from "../../src/sim/testing.js";
import { LOSSY, TCP, learned, of, runPaxos, sent } from "./paxos-world.js";

describe("Multi-Paxos leader, unit", () => {
  it("taking over, re-proposes each slot's highest-ballot value in one batch and fills the gap with a no-op", () => {
    const cfg = multipaxosConfig(multipaxosPlugin.params.parse({}));
    const leader = new MultiPaxosLeader("p2", cfg);
    const ctx = recordingCtx<LogMessage>({ id: "p2" });
    leader.onStart(ctx, "fresh");
    // A client turned to p2: it campaigns once its round reservation is durable.
    leader.onMessage(ctx, "c1", { type: "REQUEST", cmd: 7, val: "c1:7", attempt: 1 });
    const reserve = ctx.effects.find((e) => e.kind === "write-atomic");
    expect(reserve).toMatchObject({ file: "rounds", records: [{ reserved: 1000 }] });
    leader.onDiskDone(ctx, { file: "rounds", tag: (reserve as { tag: string }).tag });
    expect(ctx.effects).toContainEqual({ kind: "trace", event: { type: "campaign", bal: [1, 2], from: 1 } });
    ctx.effects.length = 0;
    // a1 accepted slots 1 and 3 under p1; a2 accepted slot 3 later under a higher ballot.
    leader.onMessage(ctx, "a1", { type: "PROMISE", bal: [1, 2], from: 1, to: 0, acc: [[1, [1, 1], "c1:1"], [3, [1, 1], "c1:3"]], high: [1, 2] });
    leader.onMessage(ctx, "a2", { type: "PROMISE", bal: [1, 2], from: 1, to: 0, acc: [[3, [1, 3], "c1:9"]], high: [1, 2] });
    expect(ctx.effects).toContainEqual({ kind: "trace", event: { type: "leader", bal: [1, 2], from: 1, reproposed: 2, noops: 1 } });
    const accepts = ctx.effects.flatMap((e) => (e.kind === "send" && e.msg.type === "ACCEPT" ? [e.msg] : []));
    expect(accepts[0]).toEqual({ type: "ACCEPT", bal: [1, 2], entries: [[1, "c1:1"], [2, "noop"], [3, "c1:9"]] });
    // The queued request goes to the next free slot.
    expect(accepts).toContainEqual({ type: "ACCEPT", bal: [1, 2], entries: [[4, "c1:7"]] });
  });
});

describe("Multi-Paxos", () => {
  it("runs phase 1 once, then costs 2n + 2L + 2 messages and n fsyncs a command (n=3, L=2: 12 and 3)", () => {
    const out = runPaxos(multipaxosPlugin, { commands: { count: 6 } }, 1_000_000);
    expect(out.violations).toEqual([]);
    expect(out.metrics).toMatchObject({ committed: 6, ballots: 1, leaders: 1, noops: 0 });
    expect(sent(out.events, "PREPARE")).toBe(3);
    expect(sent(out.events, "PROMISE")).toBe(3);
    expect(out.metrics["messages"]).toBe(2 * 3 + 6 * 12);
    expect(out.metrics["fsyncs"]).toBe(3 + 1 + 6 * 3);
    expect(learned(out.events, "l2")).toEqual({ 1: "c1:1", 2: "c1:2", 3: "c1:3", 4: "c1:4", 5: "c1:5", 6: "c1:6" });
  });

  it("a crashed leader is replaced when the client turns to p2, and every command is answered once", () => {
    const out = runPaxos(multipaxosPlugin, { commands: { count: 8, every: 50_000 } }, 3_000_000, {
      script: (w) => {
        w.at(130_000, () => w.crash("p1"));
        w.at(900_000, () => w.restart("p1"));
      },
    });
    expect(out.violations).toEqual([]);
    expect(of(out.events, "leader").map((e) => e["node"])).toEqual(["p1", "p2"]);
    expect(out.metrics).toMatchObject({ submitted: 8, committed: 8, unanswered: 0 });
  });

  it("keeps one value per slot under random crashes and partitions, on both network modes", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.constantFrom("p1", "p2", "a1", "a2", "a3"), fc.integer({ min: 0, max: 900 }), fc.integer({ min: 1, max: 400 })), { maxLength: 4 }),
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 1, max: 1000 }),
        (lossy, crashes, splitMs, seed) => {
          const out = runPaxos(multipaxosPlugin, { clients: 2, commands: { count: 6, every: 80_000 } }, 3_000_000, {
            network: lossy ? LOSSY : TCP,
            seed,
            script: (w) => {
              for (const [node, atMs, forMs] of crashes) {
                w.at(atMs * 1000, () => w.crash(node));
                w.at((atMs + forMs) * 1000, () => w.restart(node));
              }
              w.at(splitMs * 1000, () => w.partition([["p1", "a1"], ["p2", "a2", "a3"]]));
              w.at((splitMs + 300) * 1000, () => w.heal());
            },
          });
          expect(out.violations).toEqual([]);
        },
      ),
      { numRuns: 15, seed: 3 },
    );
  });
});
