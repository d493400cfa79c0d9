/**
 * An acceptor's log with the rule that makes Paxos survive crashes: nothing is said about a
 * promise or an acceptance before it is durable. `persist` appends a record and forces it; the
 * reply waits in `then` until the fsync covering it completes (completions on one disk come in
 * issue order, so a later fsync's completion covers every earlier record too).
 */
import { assert } from "../../sim/assert.js";
import type { DiskDone, NodeContext } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";

const TAG = "sync/";

export class DurableLog {
  /** Sequence numbers of fsyncs issued and completed; records are durable up to `done`'s fsync. */
  private issued = 0;
  private done = 0;
  private readonly waiting: { readonly seq: number; readonly then: () => void }[] = [];

  constructor(readonly file: string) {}

  /** The records as the disk holds them (after a restart: what survived). */
  records(ctx: Pick<NodeContext, "disk">): readonly TraceValue[] {
    return ctx.disk.read(this.file);
  }

  /** Appends a record without forcing it: it becomes durable with the next fsync. */
  append(ctx: Pick<NodeContext, "disk">, record: TraceValue): void {
    ctx.disk.append(this.file, record);
  }

  /** Appends and forces `records` (one fsync for all); `then` runs once they are durable. */
  persist(ctx: Pick<NodeContext, "disk">, records: readonly TraceValue[], then: () => void): void {
    assert(records.length > 0, "persist needs a record");
    for (const r of records) ctx.disk.append(this.file, r);
    const seq = ++this.issued;
    ctx.disk.fsync(this.file, `${TAG}${seq}`);
    this.waiting.push({ seq, then });
  }

  /** Runs `then` once everything appended so far is durable: now, if no fsync is outstanding. */
  afterDurable(then: () => void): void {
    if (this.done === this.issued) then();
    else this.waiting.push({ seq: this.issued, then });
  }

  /** An fsync completed; returns false if it was not one of this log's. */
  onDiskDone(done: DiskDone): boolean {
    if (done.file !== this.file || !done.tag.startsWith(TAG)) return false;
    const seq = Number(done.tag.slice(TAG.length));
    assert(Number.isSafeInteger(seq) && seq > this.done && seq <= this.issued, `fsync ${done.tag} out of order (done ${this.done}, issued ${this.issued})`);
    this.done = seq;
    while (this.waiting.length > 0 && (this.waiting[0]?.seq ?? Infinity) <= seq) (this.waiting.shift() as { then: () => void }).then();
    return true;
  }
}
