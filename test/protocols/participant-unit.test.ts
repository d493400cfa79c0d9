// A node's handlers tested with no world: the recording context captures effects as data.
import { describe, expect, it } from "vitest";
import { TwoPcParticipant } from "../../src/protocols/twopc/participant.js";
import type { TwoPcMessage } from "../../src/protocols/twopc/messages.js";
import { keyOf } from "../../src/protocols/txn/keys.js";
import { recordingCtx } from "../../src/sim/testing.js";

const cfg = { participants: ["p1", "p2"], voteTimeoutUs: 100_000, decisionTimeoutUs: 200_000, retryUs: 100_000, noVotes: [] };

describe("2PC participant, unit", () => {
  it("forces `prepared` to disk before it says anything, and votes YES only once it is durable", () => {
    const p = new TwoPcParticipant("p1", cfg);
    const ctx = recordingCtx<TwoPcMessage>({ id: "p1", nowUs: 5_000 });
    p.onStart(ctx, "fresh");
    p.onMessage(ctx, "coord", { type: "PREPARE", tx: 1 });
    expect(ctx.effects.filter((e) => e.kind === "send")).toEqual([]);
    expect(ctx.effects).toContainEqual({ kind: "append", file: "txlog", record: { tx: 1, rec: "prepared" } });
    expect(ctx.effects).toContainEqual({ kind: "fsync", file: "txlog", tag: keyOf("prepared", 1) });

    ctx.effects.length = 0;
    ctx.connected.add("coord");
    p.onDiskDone(ctx, { file: "txlog", tag: keyOf("prepared", 1) });
    expect(ctx.effects).toContainEqual({ kind: "send", to: "coord", msg: { type: "VOTE", tx: 1, vote: "yes" }, channel: "main" });
    expect(ctx.effects.some((e) => e.kind === "trace" && e.event.type === "vote")).toBe(true);
  });

  it("after a restart with `prepared` and no decision it is blocked: it traces so and asks", () => {
    const ctx = recordingCtx<TwoPcMessage>({ id: "p1" });
    ctx.files.set("txlog", [{ tx: 7, rec: "prepared" }]);
    new TwoPcParticipant("p1", cfg).onStart(ctx, "recovered");
    expect(ctx.effects).toContainEqual({ kind: "trace", event: { type: "blocked", tx: 7 } });
    expect(ctx.effects.some((e) => e.kind === "set-timer")).toBe(true);
  });
});
