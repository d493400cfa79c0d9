/**
 * A worked example of a user protocol: a primary-backup register.
 *
 * The primary logs each client write, fsyncs it, replicates it to every backup, and acknowledges it
 * to the client once every backup has made it durable. Backups apply writes strictly in order. On
 * restart, every node rebuilds its state from its own log; the primary re-sends what a backup may
 * have missed whenever a connection to it comes up.
 *
 * Run it with the stock CLI: `zksim run examples/primary-backup/scenario.yaml` (the scenario names
 * this module with `module:`), or import `plugin` into your own registry.
 */
import { z } from "zod";
import type { Checker, Violation } from "../../src/check/checker.js";
import type { NodeSpec, ProtocolPlugin, ScheduledInput } from "../../src/scenario/plugin.js";
import { duration } from "../../src/scenario/schema-types.js";
import { assertNever } from "../../src/sim/assert.js";
import type { ConnectionChange, DiskDone, Node, NodeContext, NodeId } from "../../src/sim/node.js";
import type { Stream } from "../../src/sim/random.js";
import type { TraceEvent, TraceValue } from "../../src/sim/trace.js";

type PbMessage =
  | { readonly type: "REPLICATE"; readonly seq: number; readonly value: number }
  | { readonly type: "ACK"; readonly seq: number };

interface Entry {
  readonly seq: number;
  readonly value: number;
}

const LOG = "log";
const PRIMARY = "primary";

function readLog(ctx: NodeContext<PbMessage>): Entry[] {
  return ctx.disk.read(LOG) as unknown as Entry[];
}

class Primary implements Node<PbMessage, TraceValue> {
  private log: Entry[] = [];
  /** Highest seq each backup has acknowledged as durable. */
  private readonly acked = new Map<NodeId, number>();
  private durableSeq = 0;
  private acknowledgedSeq = 0;

  constructor(private readonly backups: readonly NodeId[]) {}

  onStart(ctx: NodeContext<PbMessage>): void {
    this.log = readLog(ctx);
    this.durableSeq = this.log.length;
    for (const b of this.backups) this.acked.set(b, 0);
  }

  onInput(ctx: NodeContext<PbMessage>, input: TraceValue): void {
    const value = (input as { value: number }).value;
    const entry = { seq: this.log.length + 1, value };
    this.log.push(entry);
    ctx.disk.append(LOG, { seq: entry.seq, value });
    ctx.disk.fsync(LOG, String(entry.seq));
  }

  onDiskDone(ctx: NodeContext<PbMessage>, done: DiskDone): void {
    const seq = Number(done.tag);
    // Replicate only what is durable here, so a backup never holds a write its primary could lose.
    for (let s = this.durableSeq + 1; s <= seq; s++) {
      const e = this.log[s - 1] as Entry;
      for (const b of this.backups) ctx.send(b, { type: "REPLICATE", seq: e.seq, value: e.value });
    }
    this.durableSeq = Math.max(this.durableSeq, seq);
  }

  onConnection(ctx: NodeContext<PbMessage>, change: ConnectionChange): void {
    if (!change.up) return;
    // The backup may have missed anything after what it acknowledged: send it all again, in order.
    const from = this.acked.get(change.peer) ?? 0;
    for (const e of this.log.slice(from, this.durableSeq)) ctx.send(change.peer, { type: "REPLICATE", seq: e.seq, value: e.value });
  }

  onMessage(ctx: NodeContext<PbMessage>, from: NodeId, msg: PbMessage): void {
    switch (msg.type) {
      case "ACK": {
        this.acked.set(from, Math.max(this.acked.get(from) ?? 0, msg.seq));
        const everywhere = Math.min(...this.backups.map((b) => this.acked.get(b) ?? 0));
        for (let s = this.acknowledgedSeq + 1; s <= everywhere; s++) {
          ctx.trace({ type: "acknowledged", seq: s, value: (this.log[s - 1] as Entry).value });
        }
        this.acknowledgedSeq = Math.max(this.acknowledgedSeq, everywhere);
        return;
      }
      case "REPLICATE":
        return;
      default:
        return assertNever(msg, "message");
    }
  }
}

class Backup implements Node<PbMessage, TraceValue> {
  private applied = 0;
  private pending = 0;

  onStart(ctx: NodeContext<PbMessage>): void {
    this.applied = readLog(ctx).length;
    this.pending = this.applied;
  }

  onMessage(ctx: NodeContext<PbMessage>, from: NodeId, msg: PbMessage): void {
    switch (msg.type) {
      case "REPLICATE":
        if (msg.seq <= this.pending) {
          // A duplicate after a reconnect: re-acknowledge what is already durable.
          if (msg.seq <= this.applied) ctx.send(from, { type: "ACK", seq: this.applied });
          return;
        }
        if (msg.seq !== this.pending + 1) return; // a gap: wait for the primary to resend in order
        this.pending = msg.seq;
        ctx.disk.append(LOG, { seq: msg.seq, value: msg.value });
        ctx.trace({ type: "apply", seq: msg.seq, value: msg.value });
        ctx.disk.fsync(LOG, String(msg.seq));
        return;
      case "ACK":
        return;
      default:
        return assertNever(msg, "message");
    }
  }

  onDiskDone(ctx: NodeContext<PbMessage>, done: DiskDone): void {
    this.applied = Math.max(this.applied, Number(done.tag));
    ctx.send(PRIMARY, { type: "ACK", seq: this.applied });
  }
}

/** Every acknowledged write is on every backup, and backups apply writes in order without gaps. */
export function replicationChecker(backups: readonly NodeId[]): Checker {
  const applied = new Map<NodeId, number>(backups.map((b) => [b, 0]));
  return {
    name: "replication",
    onEvent(e: TraceEvent, index: number): Violation | null {
      const node = e["node"] as NodeId;
      if (e.type === "restart" && applied.has(node)) applied.set(node, -1);
      if (e.type === "apply") {
        const seq = e["seq"] as number;
        const last = applied.get(node) ?? 0;
        if (last >= 0 && seq !== last + 1) {
          return { invariant: "backup-order", eventIndex: index, t: e.t, nodes: [node], message: `${node} applied write ${seq} right after ${last}` };
        }
        applied.set(node, seq);
      }
      if (e.type === "acknowledged") {
        const seq = e["seq"] as number;
        const missing = backups.filter((b) => (applied.get(b) ?? 0) >= 0 && (applied.get(b) ?? 0) < seq);
        if (missing.length > 0) {
          return {
            invariant: "acknowledged-durable",
            eventIndex: index,
            t: e.t,
            nodes: [PRIMARY, ...missing],
            message: `write ${seq} was acknowledged but ${missing.join(", ")} never applied it`,
          };
        }
      }
      return null;
    },
  };
}

const paramsSchema = z.strictObject({
  backups: z.number().int().min(1).max(9).default(2),
  writes: z.strictObject({ count: z.number().int().min(0).default(10), start: duration.default(10_000), every: duration.default(20_000) }).prefault({}),
});
type Params = z.output<typeof paramsSchema>;

const backupIds = (p: Params): NodeId[] => Array.from({ length: p.backups }, (_, i) => `backup${i + 1}`);

export const plugin: ProtocolPlugin<Params> = {
  name: "primary-backup",
  description: "Example user protocol: a primary replicates writes to backups and acknowledges them once all hold them",
  params: paramsSchema,
  nodes(p): NodeSpec[] {
    const backups = backupIds(p);
    return [
      { id: PRIMARY, role: "primary", factory: () => new Primary(backups) },
      ...backups.map((id) => ({ id, role: "backup", factory: () => new Backup() })),
    ];
  },
  inputs(p, random: Stream): ScheduledInput[] {
    return Array.from({ length: p.writes.count }, (_, i) => ({
      atUs: p.writes.start + i * p.writes.every,
      node: PRIMARY,
      input: { type: "write", value: random.below(1000) },
    }));
  },
  checkers: (p) => [replicationChecker(backupIds(p))],
  describe(e) {
    return e.type === "acknowledged" ? `write ${String(e["seq"])} (value ${String(e["value"])}) acknowledged: every backup holds it` : null;
  },
};
