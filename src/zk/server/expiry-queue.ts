import { assert } from "../../sim/assert.js";

/**
 * `server/ExpiryQueue`: sessions expire in buckets of `intervalMs` (the tick). Touching a session
 * moves it to the bucket `roundToNextInterval(now + timeout)`; the tracker wakes at each bucket's
 * time and expires everything still in it. Times are ms on the server's clock.
 */
export class ExpiryQueue<K> {
  private readonly expiryOf = new Map<K, number>();
  private readonly buckets = new Map<number, Set<K>>();

  constructor(readonly intervalMs: number) {
    assert(Number.isSafeInteger(intervalMs) && intervalMs > 0, "expiry interval is a positive integer");
  }

  private roundToNextInterval(timeMs: number): number {
    return (Math.floor(timeMs / this.intervalMs) + 1) * this.intervalMs;
  }

  /** Returns the bucket time the key now expires at. */
  update(key: K, nowMs: number, timeoutMs: number): number {
    const at = this.roundToNextInterval(nowMs + timeoutMs);
    const prev = this.expiryOf.get(key);
    if (prev === at) return at;
    if (prev !== undefined) this.buckets.get(prev)?.delete(key);
    let b = this.buckets.get(at);
    if (b === undefined) this.buckets.set(at, (b = new Set()));
    b.add(key);
    this.expiryOf.set(key, at);
    return at;
  }

  remove(key: K): void {
    const prev = this.expiryOf.get(key);
    if (prev === undefined) return;
    this.buckets.get(prev)?.delete(key);
    this.expiryOf.delete(key);
  }

  /** The earliest bucket with someone in it, or null. */
  nextExpirationMs(): number | null {
    let best: number | null = null;
    for (const [at, keys] of this.buckets) if (keys.size > 0 && (best === null || at < best)) best = at;
    return best;
  }

  /** Takes out every key whose bucket time is at or before `nowMs`, bucket by bucket, in insertion order. */
  poll(nowMs: number): K[] {
    const due = [...this.buckets.keys()].filter((at) => at <= nowMs).sort((a, b) => a - b);
    const out: K[] = [];
    for (const at of due) {
      for (const k of this.buckets.get(at) ?? []) {
        out.push(k);
        this.expiryOf.delete(k);
      }
      this.buckets.delete(at);
    }
    return out;
  }

  expiresAt(key: K): number | undefined {
    return this.expiryOf.get(key);
  }
}
