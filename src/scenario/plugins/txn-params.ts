/** The `params:` pieces 2PC and 3PC share: cluster size, the transaction workload and scripted NO votes. */
import { z } from "zod";
import { COORDINATOR } from "../../protocols/txn/cluster.js";
import type { BeginInput } from "../../protocols/txn/input.js";
import type { NoVote } from "../../protocols/txn/votes.js";
import type { Message, NodeFactory, NodeId } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import type { NodeSpec, ScheduledInput } from "../plugin.js";
import { duration } from "../schema-types.js";

/** A timeout or period: a duration that is not zero (a zero retry period would spin at one instant). */
export const period = duration.refine((us) => us > 0, { message: "must be longer than 0" });

/** Number of participants besides the coordinator. */
export const participantsParam = z.number().int().min(2).max(64).default(3);

/** `count` transactions, the first at `start`, then one every `every`; they are numbered 1..count. */
export const transactionsParam = z
  .strictObject({
    count: z.number().int().min(0).max(100_000).default(1),
    start: duration.prefault("10ms"),
    every: duration.prefault("100ms"),
  })
  .prefault({});

/** Participants that vote NO on given transactions (`{participant: p2, tx: 1}`). */
export const noVotesParam = z.array(z.strictObject({ participant: z.string(), tx: z.number().int().min(1) })).default([]);

/** The parsed `transactions:` block (times in microseconds). */
export type TransactionsParam = z.output<typeof transactionsParam>;

/** Zod refinement: every scripted NO names an existing participant. */
export function checkNoVotes(p: { readonly participants: number; readonly noVotes: readonly NoVote[] }, ctx: z.RefinementCtx): void {
  p.noVotes.forEach((v, i) => {
    const n = /^p(\d+)$/.exec(v.participant);
    if (n === null || Number(n[1]) < 1 || Number(n[1]) > p.participants) {
      ctx.addIssue({ code: "custom", path: ["noVotes", i, "participant"], message: `no participant ${v.participant} (p1..p${p.participants})` });
    }
  });
}

/** The workload: one `begin` input at the coordinator per transaction. */
export function beginInputs(t: TransactionsParam): ScheduledInput[] {
  return Array.from({ length: t.count }, (_, i) => {
    const input: BeginInput = { type: "begin", tx: i + 1 };
    return { atUs: t.start + i * t.every, node: COORDINATOR, input };
  });
}

/** The nodes of an atomic-commit cluster: the coordinator, then the participants in order. */
export function txnNodeSpecs(
  participants: readonly NodeId[],
  coordinator: NodeFactory<Message, TraceValue>,
  participant: NodeFactory<Message, TraceValue>,
): NodeSpec[] {
  return [{ id: COORDINATOR, role: "coordinator", factory: coordinator }, ...participants.map((id) => ({ id, role: "participant", factory: participant }))];
}
