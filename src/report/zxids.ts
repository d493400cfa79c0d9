/**
 * Zxid progression per server over virtual time: the last zxid it logged (the leader's
 * `zab-propose`, a learner's PROPOSAL / INFORM / SNAP deliveries, a TRUNC, what a start recovered
 * from disk) and the last one applied to its tree (`zk-apply`; `zk-db-reset` starts it again from
 * 0x0). A long run keeps at most `ZXID_POINTS_MAX` points per server: the last one per time bucket,
 * buckets doubling in width as needed, so the steps keep their shape at any run length.
 */
import type { TraceEvent } from "../sim/trace.js";

/** One step: at `t` the server had logged up to `logged` and applied up to `committed` (hex). */
export interface ZxidPoint {
  readonly t: number;
  readonly logged: string;
  readonly committed: string;
}

export interface ZxidSeries {
  readonly node: string;
  readonly points: readonly ZxidPoint[];
  /** Time bucket width in us once thinned (1: every change kept). */
  readonly bucketUs: number;
}

export interface Zxids {
  readonly series: readonly ZxidSeries[];
}

export const ZXID_POINTS_MAX = 2_000;

const CARRIES_ZXID = ["PROPOSAL", "INFORM", "SNAP", "TRUNC"];

type Series = { node: string; points: ZxidPoint[]; bucketUs: number; logged: string; committed: string };

export class ZxidsBuilder {
  private readonly series = new Map<string, Series>();
  private readonly order: string[] = [];
  /** Message id -> [learner, zxid] for packets in flight that move a learner's log. */
  private readonly inFlight = new Map<number, readonly [string, string]>();

  onEvent(e: TraceEvent): void {
    const node = typeof e["node"] === "string" ? e["node"] : null;
    switch (e.type) {
      case "zab-start":
        if (node !== null && typeof e["zxid"] === "string") this.set(node, e.t, e["zxid"], null);
        return;
      case "zab-propose":
      case "zab-truncate":
        if (node !== null && typeof e["zxid"] === "string") this.set(node, e.t, e["zxid"], null);
        return;
      case "zk-apply":
        if (node !== null && typeof e["zxid"] === "string") this.set(node, e.t, null, e["zxid"]);
        return;
      case "zk-db-reset":
        if (node !== null) this.set(node, e.t, null, "0x0");
        return;
      case "send": {
        const msg = e["msg"];
        if (msg === null || typeof msg !== "object" || Array.isArray(msg)) return;
        const m = msg as { readonly type?: unknown; readonly zxid?: unknown };
        if (typeof m.type === "string" && CARRIES_ZXID.includes(m.type) && typeof m.zxid === "string") {
          this.inFlight.set(Number(e["id"]), [String(e["to"]), m.zxid]);
        }
        return;
      }
      case "recv": {
        const id = Number(e["id"]);
        const hit = this.inFlight.get(id);
        if (hit === undefined) return;
        this.inFlight.delete(id);
        // Only servers that trace roles have a log worth drawing.
        if (this.series.has(hit[0])) this.set(hit[0], e.t, hit[1], null);
        return;
      }
      case "drop":
        this.inFlight.delete(Number(e["id"]));
        return;
      default:
        return;
    }
  }

  finish(): Zxids {
    return { series: this.order.map((n) => this.series.get(n) as Series).map((s) => ({ node: s.node, points: [...s.points], bucketUs: s.bucketUs })) };
  }

  private set(node: string, t: number, logged: string | null, committed: string | null): void {
    let s = this.series.get(node);
    if (s === undefined) {
      s = { node, points: [], bucketUs: 1, logged: "0x0", committed: "0x0" };
      this.series.set(node, s);
      this.order.push(node);
    }
    if (logged !== null) s.logged = logged;
    if (committed !== null) s.committed = committed;
    // What is applied was logged first; a learner's SNAP or DIFF may apply ahead of its log step.
    if (BigInt(s.committed) > BigInt(s.logged)) s.logged = s.committed;
    const point = { t, logged: s.logged, committed: s.committed };
    const last = s.points[s.points.length - 1];
    if (last !== undefined && Math.floor(last.t / s.bucketUs) === Math.floor(t / s.bucketUs)) s.points[s.points.length - 1] = point;
    else s.points.push(point);
    if (s.points.length > 2 * ZXID_POINTS_MAX) thin(s);
  }
}

/** Doubles the bucket width until at most `ZXID_POINTS_MAX` points remain, keeping each bucket's last. */
function thin(s: Series): void {
  while (s.points.length > ZXID_POINTS_MAX) {
    s.bucketUs *= 2;
    const out: ZxidPoint[] = [];
    for (const p of s.points) {
      const last = out[out.length - 1];
      if (last !== undefined && Math.floor(last.t / s.bucketUs) === Math.floor(p.t / s.bucketUs)) out[out.length - 1] = p;
      else out.push(p);
    }
    s.points = out;
  }
}
