/**
 * A proposer must never use a ballot twice with different values, even across a crash, so the
 * rounds it may use are reserved on disk before use ("Paxos Made Simple": a proposer remembers the
 * highest-numbered proposal it has tried to issue). Rounds are reserved a block at a time: a
 * proposer retrying after a preemption needs no fsync, and after a restart it starts above the
 * whole block it may have used.
 */
import { assert } from "../../sim/assert.js";
import type { DiskDone, NodeContext } from "../../sim/node.js";

const FILE = "rounds";
const TAG = "reserve/";

export class RoundReservation {
  /** Rounds up to `reserved` are durably reserved; up to `used` have been handed out. */
  private reserved = 0;
  private used = 0;
  /** The reservation being written, if any. */
  private pending = 0;
  private readonly waiting: { readonly round: number; readonly then: (round: number) => void }[] = [];

  constructor(private readonly block: number) {
    assert(Number.isSafeInteger(block) && block >= 1, `round reservation block must be a positive integer, got ${block}`);
  }

  /** After a restart: every round of the last reservation may have been used. */
  recover(ctx: Pick<NodeContext, "disk">): void {
    const recs = ctx.disk.read(FILE);
    const last = recs[recs.length - 1] as { readonly reserved?: unknown } | undefined;
    if (last === undefined) return;
    assert(typeof last.reserved === "number" && Number.isSafeInteger(last.reserved), `${FILE} holds a bad record`);
    this.reserved = last.reserved;
    this.used = last.reserved;
  }

  /** The highest round this proposer may have used (what a fresh ballot must exceed). */
  get highest(): number {
    return this.used;
  }

  /**
   * Hands out a round above `above` and above every round handed out before; `then` runs with it
   * once its reservation is durable (at once when it already is).
   */
  next(ctx: Pick<NodeContext, "disk">, above: number, then: (round: number) => void): void {
    const round = Math.max(this.used, above) + 1;
    this.used = round;
    if (round <= this.reserved) return then(round);
    this.waiting.push({ round, then });
    if (round > this.pending) {
      this.pending = round + this.block - 1;
      ctx.disk.writeAtomic(FILE, [{ reserved: this.pending }], `${TAG}${this.pending}`);
    }
  }

  /** A reservation became durable; returns false if the completion was not one of these. */
  onDiskDone(done: DiskDone): boolean {
    if (done.file !== FILE) return false;
    const upTo = Number(done.tag.slice(TAG.length));
    assert(done.tag.startsWith(TAG) && Number.isSafeInteger(upTo), `unexpected completion ${done.tag} on ${FILE}`);
    this.reserved = Math.max(this.reserved, upTo);
    while (this.waiting.length > 0 && (this.waiting[0]?.round ?? Infinity) <= this.reserved) {
      const w = this.waiting.shift() as { round: number; then: (round: number) => void };
      w.then(w.round);
    }
    return true;
  }
}
