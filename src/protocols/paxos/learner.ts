/**
 * A learner: it is told chosen values by the proposer that saw them chosen, confirms each batch,
 * and traces `learn` the first time it hears a value for an instance. It traces again if it is ever
 * told a different value for an instance it already learned, so that the checkers can see it: in a
 * correct run that never happens. Learners keep nothing on disk.
 */
import { assert, assertNever } from "../../sim/assert.js";
import type { Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import { tracePaxos } from "./events.js";
import type { LearnerMessage } from "./messages.js";

export class PaxosLearner implements Node<LearnerMessage, TraceValue> {
  private readonly learned = new Map<number, string>();

  constructor(private readonly id: NodeId) {}

  onStart(_ctx: NodeContext<LearnerMessage>, _how: StartKind): void {}

  onMessage(ctx: NodeContext<LearnerMessage>, from: NodeId, msg: LearnerMessage): void {
    switch (msg.type) {
      case "CHOSEN": {
        for (const [inst, val] of msg.entries) {
          if (this.learned.get(inst) === val) continue;
          if (this.learned.has(inst)) ctx.mark("learner: told a different value");
          this.learned.set(inst, val);
          tracePaxos(ctx, { type: "learn", inst, val });
        }
        ctx.send(from, { type: "LEARNED", insts: msg.entries.map(([inst]) => inst) });
        return;
      }
      case "LEARNED":
        return assert(false, `learner ${this.id} got LEARNED from ${from}`);
      default:
        return assertNever(msg, "learner message");
    }
  }
}
