import { assert } from "./assert.js";

/** Anything the queue orders: a virtual time and the sequence number given when it was scheduled. */
export interface Timed {
  t: number;
  seq: number;
}

/**
 * A binary min-heap ordered by (t, seq). Ties in time are broken by scheduling order, never by
 * object identity, so the dispatch order is a pure function of what was scheduled.
 */
export class EventQueue<E extends Timed> {
  private readonly heap: E[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Stamps `e.seq` and inserts it. */
  push(e: E): void {
    e.seq = this.nextSeq++;
    this.reinsert(e);
  }

  /** Inserts an event that keeps the sequence number it was given before (a deferred event). */
  reinsert(e: E): void {
    // Hot path: the message is built only when the check fails.
    if (!Number.isSafeInteger(e.t) || e.t < 0) assert(false, `event time must be a non-negative integer, got ${e.t}`);
    const h = this.heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent] as E;
      if (p.t < e.t || (p.t === e.t && p.seq < e.seq)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = e;
  }

  peek(): E | undefined {
    return this.heap[0];
  }

  pop(): E | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined || h.length === 0) return top;
    const n = h.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      let ce = h[l] as E;
      if (r < n) {
        const re = h[r] as E;
        if (re.t < ce.t || (re.t === ce.t && re.seq < ce.seq)) {
          c = r;
          ce = re;
        }
      }
      if (last.t < ce.t || (last.t === ce.t && last.seq < ce.seq)) break;
      h[i] = ce;
      i = c;
    }
    h[i] = last;
    return top;
  }

  clear(): void {
    this.heap.length = 0;
  }
}
