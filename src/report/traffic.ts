/**
 * Message traffic over the whole run, aggregated: sends per message type and drops per time bucket.
 * This is what summarizes a run too long for the space-time diagram to draw. At most
 * `TRAFFIC_BUCKETS_MAX` buckets: when the run outgrows them, the width doubles and neighbours merge.
 */
import type { TraceEvent } from "../sim/trace.js";

export interface Traffic {
  readonly bucketUs: number;
  /** Message types, sorted. */
  readonly types: readonly string[];
  /** `sends[b][k]`: messages of `types[k]` sent in bucket b (from b × bucketUs). */
  readonly sends: readonly (readonly number[])[];
  readonly drops: readonly number[];
  readonly endUs: number;
}

export const TRAFFIC_BUCKETS_MAX = 400;

export function messageTypeOf(e: TraceEvent): string {
  const msg = e["msg"];
  const type = msg !== null && typeof msg === "object" && !Array.isArray(msg) ? (msg as { readonly type?: unknown }).type : undefined;
  return typeof type === "string" ? type : "(untyped)";
}

export class TrafficBuilder {
  private bucketUs = 1_000;
  private readonly types = new Map<string, number>();
  private sends: Map<number, number>[] = [];
  private drops: number[] = [];
  private endUs = 0;

  onEvent(e: TraceEvent): void {
    this.endUs = Math.max(this.endUs, e.t);
    if (e.type !== "send" && e.type !== "drop") return;
    const b = this.bucket(e.t);
    if (e.type === "drop") {
      this.drops[b] = (this.drops[b] ?? 0) + 1;
      return;
    }
    const type = messageTypeOf(e);
    let k = this.types.get(type);
    if (k === undefined) {
      k = this.types.size;
      this.types.set(type, k);
    }
    const row = this.sends[b] ?? new Map<number, number>();
    row.set(k, (row.get(k) ?? 0) + 1);
    this.sends[b] = row;
  }

  finish(): Traffic {
    const types = [...this.types.keys()].sort();
    const count = Math.floor(this.endUs / this.bucketUs) + 1;
    const sends: number[][] = [];
    const drops: number[] = [];
    for (let b = 0; b < count; b++) {
      const row = this.sends[b];
      sends.push(types.map((t) => row?.get(this.types.get(t) as number) ?? 0));
      drops.push(this.drops[b] ?? 0);
    }
    return { bucketUs: this.bucketUs, types, sends, drops, endUs: this.endUs };
  }

  private bucket(t: number): number {
    while (Math.floor(t / this.bucketUs) >= TRAFFIC_BUCKETS_MAX) this.widen();
    return Math.floor(t / this.bucketUs);
  }

  private widen(): void {
    this.bucketUs *= 2;
    const sends: Map<number, number>[] = [];
    const drops: number[] = [];
    this.sends.forEach((row, b) => {
      const into = sends[b >> 1] ?? new Map<number, number>();
      for (const [k, n] of row) into.set(k, (into.get(k) ?? 0) + n);
      sends[b >> 1] = into;
    });
    this.drops.forEach((n, b) => {
      drops[b >> 1] = (drops[b >> 1] ?? 0) + n;
    });
    this.sends = sends;
    this.drops = drops;
  }
}
