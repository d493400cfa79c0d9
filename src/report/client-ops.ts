/**
 * Client operations on a timeline, with their latencies: scripted clients' `client-invoke` /
 * `client-complete` pairs (end to end, as the application saw them; one call at a time per client)
 * and the servers' `zk-request` / `zk-response` pairs (as each server saw them, matched by session
 * and xid; connects, whose session is new in the answer, in order per server). A request a server
 * never answers ends at its crash or role change, marked lost. Latencies of every answered operation are kept;
 * the drawing keeps at most `OPS_DRAWN_MAX` of each kind (every k-th, k doubling) plus up to
 * `OPS_FAILED_MAX` failed or lost ones, which are the interesting ones.
 */
import type { TraceEvent } from "../sim/trace.js";

export type OpKind = "client" | "server";

export interface Op {
  readonly kind: OpKind;
  /** The client node (client ops) or the server (server ops). */
  readonly lane: string;
  readonly op: string;
  readonly path: string | null;
  readonly from: number;
  readonly to: number;
  /** "ok", an error name or code, or "lost" (no answer: the server crashed or the run ended). */
  readonly result: string;
}

export interface OpStats {
  readonly kind: OpKind;
  /** An operation name, or "all". */
  readonly op: string;
  readonly count: number;
  readonly failed: number;
  readonly lost: number;
  /** Latency percentiles of answered operations (us); null when none was answered. */
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

/** Latencies of answered operations per power-of-two bucket: `counts[k]` holds [2^k, 2^(k+1)) us. */
export interface LatencyHistogram {
  readonly kind: OpKind;
  readonly ok: readonly number[];
  readonly failed: readonly number[];
}

export interface ClientOps {
  readonly lanes: readonly { readonly kind: OpKind; readonly lane: string }[];
  readonly drawn: readonly Op[];
  /** Operations per kind, drawn or not. */
  readonly total: Readonly<Record<OpKind, number>>;
  /** Every k-th operation is drawn (1: all). */
  readonly stride: Readonly<Record<OpKind, number>>;
  readonly stats: readonly OpStats[];
  readonly histograms: readonly LatencyHistogram[];
}

export const OPS_DRAWN_MAX = 4_000;
export const OPS_FAILED_MAX = 1_000;
export const HISTOGRAM_BUCKETS = 40;

type Pending = { readonly lane: string; readonly op: string; readonly path: string | null; readonly from: number };

class KindLog {
  seq = 0;
  stride = 1;
  kept: (Op & { readonly seq: number })[] = [];
  failedKept = 0;
  readonly latencies = new Map<string, number[]>();
  readonly counts = new Map<string, { count: number; failed: number; lost: number }>();
  readonly ok = new Array<number>(HISTOGRAM_BUCKETS).fill(0);
  readonly bad = new Array<number>(HISTOGRAM_BUCKETS).fill(0);

  add(op: Op): void {
    const seq = this.seq++;
    const failed = op.result !== "ok";
    for (const name of ["all", op.op]) {
      const c = this.counts.get(name) ?? { count: 0, failed: 0, lost: 0 };
      c.count++;
      if (op.result === "lost") c.lost++;
      else if (failed) c.failed++;
      this.counts.set(name, c);
      if (op.result !== "lost") {
        const l = this.latencies.get(name) ?? [];
        l.push(op.to - op.from);
        this.latencies.set(name, l);
      }
    }
    if (op.result !== "lost") {
      const h = failed ? this.bad : this.ok;
      const b = bucketOf(op.to - op.from);
      h[b] = (h[b] ?? 0) + 1;
    }
    if (failed && this.failedKept < OPS_FAILED_MAX) {
      this.failedKept++;
      this.kept.push({ ...op, seq });
      return;
    }
    if (seq % this.stride !== 0) return;
    this.kept.push({ ...op, seq });
    if (this.kept.length - this.failedKept > OPS_DRAWN_MAX) {
      this.stride *= 2;
      this.kept = this.kept.filter((o) => o.result !== "ok" || o.seq % this.stride === 0);
    }
  }
}

/** The power-of-two bucket of a latency in us (0 and 1 us in bucket 0). */
export function bucketOf(us: number): number {
  let k = 0;
  for (let v = us; v > 1 && k < HISTOGRAM_BUCKETS - 1; v = Math.floor(v / 2)) k++;
  return k;
}

/** Nearest-rank percentile of sorted integers. */
function percentile(sorted: readonly number[], pct: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((pct * sorted.length) / 100));
  return sorted[rank - 1] as number;
}

export class ClientOpsBuilder {
  private readonly logs: Record<OpKind, KindLog> = { client: new KindLog(), server: new KindLog() };
  private readonly lanes: { kind: OpKind; lane: string }[] = [];
  private readonly laneSet = new Set<string>();
  private readonly clientPending = new Map<string, Pending>();
  private readonly serverPending = new Map<string, Pending>();
  private readonly connects = new Map<string, Pending[]>();

  onEvent(e: TraceEvent): void {
    const node = e["node"];
    if (typeof node !== "string") return;
    switch (e.type) {
      case "client-invoke":
        this.lane("client", node);
        this.endClient(node, e.t, "lost");
        this.clientPending.set(node, { lane: node, op: String(e["op"]), path: pathOf(e), from: e.t });
        return;
      case "client-complete":
        this.endClient(node, e.t, String(e["err"]));
        return;
      case "zk-request": {
        this.lane("server", node);
        const p = { lane: node, op: String(e["op"]), path: pathOf(e), from: e.t };
        if (e["op"] === "connect") {
          const q = this.connects.get(node) ?? [];
          q.push(p);
          this.connects.set(node, q);
        } else this.serverPending.set(`${node} ${String(e["session"])} ${String(e["xid"])}`, p);
        return;
      }
      case "zk-response": {
        const result = e["err"] === 0 ? "ok" : String(e["err"]);
        if (e["op"] === "connect") {
          const p = this.connects.get(node)?.shift();
          if (p !== undefined) this.logs.server.add({ kind: "server", ...p, to: e.t, result });
          return;
        }
        const key = `${node} ${String(e["session"])} ${String(e["xid"])}`;
        const p = this.serverPending.get(key);
        if (p === undefined) return;
        this.serverPending.delete(key);
        this.logs.server.add({ kind: "server", ...p, to: e.t, result });
        return;
      }
      case "crash":
        this.endClient(node, e.t, "lost");
        this.loseServer(node, e.t);
        return;
      // A server leaving its role closes its client connections: what it had not answered is lost.
      case "zab-shutdown":
        this.loseServer(node, e.t);
        return;
      default:
        return;
    }
  }

  finish(endUs: number): ClientOps {
    for (const node of [...this.clientPending.keys()]) this.endClient(node, endUs, "lost");
    for (const node of new Set([...this.connects.keys(), ...[...this.serverPending.values()].map((p) => p.lane)])) this.loseServer(node, endUs);
    const stats: OpStats[] = [];
    const histograms: LatencyHistogram[] = [];
    for (const kind of ["client", "server"] as const) {
      const log = this.logs[kind];
      if (log.seq === 0) continue;
      const names = [...log.counts.keys()].filter((n) => n !== "all").sort();
      for (const name of ["all", ...names]) {
        const c = log.counts.get(name) ?? { count: 0, failed: 0, lost: 0 };
        const l = [...(log.latencies.get(name) ?? [])].sort((a, b) => a - b);
        stats.push({ kind, op: name, count: c.count, failed: c.failed, lost: c.lost, p50: percentile(l, 50), p90: percentile(l, 90), p99: percentile(l, 99), max: l[l.length - 1] ?? null });
      }
      histograms.push({ kind, ok: [...log.ok], failed: [...log.bad] });
    }
    const drawn = [...this.logs.client.kept, ...this.logs.server.kept]
      .sort((a, b) => a.from - b.from || a.seq - b.seq)
      .map(({ seq: _seq, ...op }) => op);
    return {
      lanes: [...this.lanes],
      drawn,
      total: { client: this.logs.client.seq, server: this.logs.server.seq },
      stride: { client: this.logs.client.stride, server: this.logs.server.stride },
      stats,
      histograms,
    };
  }

  private lane(kind: OpKind, lane: string): void {
    const key = `${kind} ${lane}`;
    if (this.laneSet.has(key)) return;
    this.laneSet.add(key);
    this.lanes.push({ kind, lane });
  }

  private endClient(node: string, t: number, result: string): void {
    const p = this.clientPending.get(node);
    if (p === undefined) return;
    this.clientPending.delete(node);
    this.logs.client.add({ kind: "client", ...p, to: t, result });
  }

  private loseServer(node: string, t: number): void {
    const lost: Pending[] = [...(this.connects.get(node) ?? [])];
    this.connects.delete(node);
    for (const [key, p] of [...this.serverPending]) {
      if (p.lane !== node) continue;
      this.serverPending.delete(key);
      lost.push(p);
    }
    lost.sort((a, b) => a.from - b.from);
    for (const p of lost) this.logs.server.add({ kind: "server", ...p, to: t, result: "lost" });
  }
}

const pathOf = (e: TraceEvent): string | null => (typeof e["path"] === "string" ? e["path"] : null);
