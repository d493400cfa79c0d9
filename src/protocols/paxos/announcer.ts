/**
 * The proposer that sees a value chosen is the distinguished learner ("Paxos Made Simple", §2.3):
 * it tells the learners with CHOSEN and resends until each answers LEARNED, so that a learner that
 * was down, cut off or lost a datagram still learns everything. Only announcements older than the
 * resend period go again, so a fault-free run sends each exactly once.
 */
import type { NodeContext, NodeId } from "../../sim/node.js";
import type { Entry, LearnerMessage } from "./messages.js";

export class Announcer {
  /** Per instance: the chosen value and the learners that have not confirmed it. */
  private readonly unconfirmed = new Map<number, { readonly val: string; readonly waiting: Set<NodeId>; sentAtUs: number }>();

  constructor(
    private readonly learners: readonly NodeId[],
    private readonly resendUs: number,
  ) {}

  /** Tells every learner about newly chosen entries (one CHOSEN per learner). */
  announce(ctx: Pick<NodeContext<LearnerMessage>, "send" | "now">, entries: readonly Entry[]): void {
    if (entries.length === 0 || this.learners.length === 0) return;
    for (const [inst, val] of entries) this.unconfirmed.set(inst, { val, waiting: new Set(this.learners), sentAtUs: ctx.now() });
    for (const l of this.learners) ctx.send(l, { type: "CHOSEN", entries });
  }

  onLearned(from: NodeId, insts: readonly number[]): void {
    for (const inst of insts) {
      const u = this.unconfirmed.get(inst);
      if (u === undefined) continue;
      u.waiting.delete(from);
      if (u.waiting.size === 0) this.unconfirmed.delete(inst);
    }
  }

  get pending(): boolean {
    return this.unconfirmed.size > 0;
  }

  /**
   * Resends what each reachable learner has not confirmed (one CHOSEN each, instances in order):
   * to `only` everything at once (it just reconnected), to the others what is older than the period.
   */
  resend(ctx: Pick<NodeContext<LearnerMessage>, "send" | "isConnected" | "now">, only?: NodeId): void {
    const now = ctx.now();
    const due = [...this.unconfirmed.entries()].filter(([, u]) => only !== undefined || now - u.sentAtUs >= this.resendUs).sort(([a], [b]) => a - b);
    for (const l of this.learners) {
      if ((only !== undefined && l !== only) || !ctx.isConnected(l)) continue;
      const entries: Entry[] = due.filter(([, u]) => u.waiting.has(l)).map(([inst, u]) => [inst, u.val] as const);
      if (entries.length > 0) ctx.send(l, { type: "CHOSEN", entries });
    }
    if (only === undefined) for (const [, u] of due) u.sentAtUs = now;
  }
}
