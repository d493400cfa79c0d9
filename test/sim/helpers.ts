/**
 * Test nodes and trace readers for the kernel tests. Test nodes act only through `ctx` and write
 * what they observe into the trace (`saw-*` events), so a test reads behaviour back from
 * `world.traceLines()` instead of from kernel internals.
 */
import type { ConnectionChange, DiskDone, Message, Node, NodeContext, NodeId, StartKind } from "../../src/sim/node.js";
import type { TraceEvent, TraceValue } from "../../src/sim/trace.js";
import { World, type WorldOptions } from "../../src/sim/world.js";

/** What a test asks a `Recorder` to do, handed over with `world.input`. */
export type Cmd =
  | { readonly op: "send"; readonly to: NodeId; readonly n?: number; readonly ch?: string }
  /** Sends only when the node's own view (built from `onConnection`) says the link is up. */
  | { readonly op: "sendIfUp"; readonly to: NodeId; readonly n?: number; readonly count?: number }
  | { readonly op: "burst"; readonly to: NodeId; readonly count: number }
  | { readonly op: "connect"; readonly to: NodeId; readonly ch?: string }
  | { readonly op: "disconnect"; readonly to: NodeId; readonly ch?: string }
  | { readonly op: "timer"; readonly name: string; readonly delayUs: number }
  | { readonly op: "cancel"; readonly name: string }
  | { readonly op: "append"; readonly file: string; readonly value: TraceValue }
  | { readonly op: "fsync"; readonly file: string; readonly tag: string }
  | { readonly op: "atomic"; readonly file: string; readonly records: readonly TraceValue[]; readonly tag: string }
  | { readonly op: "truncate"; readonly file: string; readonly length: number }
  | { readonly op: "remove"; readonly file: string }
  | { readonly op: "draw"; readonly count: number }
  | { readonly op: "now" };

export interface RecorderOptions {
  /** Files whose content the node traces in `saw-start` (what recovery found). */
  readonly readOnStart?: readonly string[];
  /** Answer every `m` message with an `echo` carrying the same `n`. */
  readonly echo?: boolean;
  /** Random draws (u32) made and traced in `onStart`. */
  readonly drawOnStart?: number;
  /** Timers armed in `onStart`. */
  readonly timersOnStart?: readonly { readonly name: string; readonly delayUs: number }[];
  /** After an atomic write with a tag `chain:<k>` completes, write `chain:<k+1>` (up to this k). */
  readonly atomicChainUntil?: number;
}

/** A scriptable node that records every input it sees into the trace. */
export class Recorder implements Node<Message, TraceValue> {
  /** The node's belief about each peer's main-channel connection, from `onConnection` only. */
  readonly view = new Map<NodeId, boolean>();
  private sent = 0;

  constructor(private readonly opts: RecorderOptions = {}) {}

  onStart(ctx: NodeContext, how: StartKind): void {
    const files: Record<string, TraceValue> = {};
    for (const f of this.opts.readOnStart ?? []) {
      files[f] = [...ctx.disk.read(f)];
      files[`${f}:torn`] = ctx.disk.tornTail(f);
    }
    ctx.trace({ type: "saw-start", how, files, local: ctx.now() });
    const draws = this.opts.drawOnStart ?? 0;
    if (draws > 0) ctx.trace({ type: "drew", values: Array.from({ length: draws }, () => ctx.random.u32()) });
    for (const t of this.opts.timersOnStart ?? []) this.setTimer(ctx, t.name, t.delayUs);
  }

  onMessage(ctx: NodeContext, from: NodeId, msg: Message): void {
    ctx.trace({ type: "saw-msg", from, kind: msg.type, n: msg["n"] ?? null });
    if (this.opts.echo && msg.type === "m") ctx.send(from, { type: "echo", n: msg["n"] ?? null });
  }

  onTimer(ctx: NodeContext, name: string): void {
    ctx.trace({ type: "saw-timer", name, local: ctx.now() });
  }

  onConnection(ctx: NodeContext, c: ConnectionChange): void {
    if (c.channel === "main") this.view.set(c.peer, c.up);
    ctx.trace({ type: "saw-conn", peer: c.peer, ch: c.channel, up: c.up, reason: c.reason });
  }

  onDiskDone(ctx: NodeContext, d: DiskDone): void {
    ctx.trace({ type: "saw-disk", file: d.file, tag: d.tag });
    const chain = /^chain:(\d+)$/.exec(d.tag);
    const until = this.opts.atomicChainUntil;
    if (chain !== null && until !== undefined) {
      const k = Number(chain[1]) + 1;
      if (k <= until) ctx.disk.writeAtomic(d.file, chainContent(k), `chain:${k}`);
    }
  }

  onInput(ctx: NodeContext, input: TraceValue): void {
    const cmd = input as unknown as Cmd;
    ctx.trace({ type: "saw-input", op: cmd.op });
    switch (cmd.op) {
      case "send":
        ctx.send(cmd.to, { type: "m", n: cmd.n ?? this.sent++ }, cmd.ch);
        return;
      case "sendIfUp":
        for (let i = 0; i < (cmd.count ?? 1); i++) if (this.view.get(cmd.to) === true) ctx.send(cmd.to, { type: "m", n: cmd.n ?? this.sent++ });
        return;
      case "burst":
        for (let i = 0; i < cmd.count; i++) ctx.send(cmd.to, { type: "m", n: this.sent++ });
        return;
      case "connect":
        ctx.connect(cmd.to, cmd.ch);
        return;
      case "disconnect":
        ctx.disconnect(cmd.to, cmd.ch);
        return;
      case "timer":
        this.setTimer(ctx, cmd.name, cmd.delayUs);
        return;
      case "cancel":
        ctx.cancelTimer(cmd.name);
        return;
      case "append":
        ctx.disk.append(cmd.file, cmd.value);
        return;
      case "fsync":
        ctx.disk.fsync(cmd.file, cmd.tag);
        return;
      case "atomic":
        ctx.disk.writeAtomic(cmd.file, cmd.records, cmd.tag);
        return;
      case "truncate":
        ctx.disk.truncate(cmd.file, cmd.length);
        return;
      case "remove":
        ctx.disk.remove(cmd.file);
        return;
      case "draw":
        ctx.trace({ type: "drew", values: Array.from({ length: cmd.count }, () => ctx.random.u32()) });
        return;
      case "now":
        ctx.trace({ type: "saw-now", local: ctx.now() });
        return;
    }
  }

  private setTimer(ctx: NodeContext, name: string, delayUs: number): void {
    ctx.trace({ type: "set-timer", name, delayUs, local: ctx.now() });
    ctx.setTimer(name, delayUs);
  }
}

/** The records of the k-th write of an atomic chain: distinct per k, several records long. */
export const chainContent = (k: number): TraceValue[] => [`v${k}`, k, { k }];

/**
 * Two nodes that answer every message forever (a livelock). The lower id serves first once the
 * link is up (TCP) or at start (datagram).
 */
export class PingPong implements Node<Message, TraceValue> {
  constructor(private readonly peer: NodeId) {}
  onStart(ctx: NodeContext): void {
    if (!ctx.isConnected(this.peer) || ctx.id > this.peer) return;
    // Datagram mode: isConnected is always true.
    ctx.send(this.peer, { type: "ping", n: 0 });
  }
  onConnection(ctx: NodeContext, c: ConnectionChange): void {
    if (c.up && ctx.id < c.peer) ctx.send(c.peer, { type: "ping", n: 0 });
  }
  onMessage(ctx: NodeContext, from: NodeId, msg: Message): void {
    ctx.send(from, { type: "ping", n: (msg["n"] as number) + 1 });
  }
}

export function recorderWorld(opts: WorldOptions, ids: readonly NodeId[], nodeOpts: RecorderOptions = {}): World {
  const w = new World({ trace: { sink: { kind: "memory" } }, ...opts });
  for (const id of ids) w.addNode(id, () => new Recorder(nodeOpts));
  return w;
}

export function startAll(w: World): void {
  for (const id of w.nodeIds()) w.start(id);
}

/** Hands `cmd` to node `id` at virtual time `t`. */
export function inputAt(w: World, t: number, id: NodeId, cmd: Cmd): void {
  w.at(t, () => w.input(id, cmd as unknown as TraceValue));
}

export function recorder(w: World, id: NodeId): Recorder {
  const n = w.inspect(id);
  if (!(n instanceof Recorder)) throw new Error(`node ${id} is not a live Recorder`);
  return n;
}

export function readTrace(w: World): TraceEvent[] {
  return w.traceLines().map((l) => JSON.parse(l) as TraceEvent);
}

export function ofType(events: readonly TraceEvent[], type: string, node?: NodeId): TraceEvent[] {
  return events.filter((e) => e.type === type && (node === undefined || e["node"] === node));
}

/** The trace events between two indices (exclusive) that a node's handlers wrote. */
export function handlerEvents(events: readonly TraceEvent[], node: NodeId, from: number, to: number): TraceEvent[] {
  return events.slice(from + 1, to).filter((e) => e["node"] === node && /^(saw-|set-timer|drew)/.test(e.type));
}

/** Message ids in `recv` order from one node to another. */
export function recvIds(events: readonly TraceEvent[], from: NodeId, to: NodeId): number[] {
  return events.filter((e) => e.type === "recv" && e["from"] === from && e["to"] === to).map((e) => e["id"] as number);
}

export function sendIds(events: readonly TraceEvent[], from: NodeId, to: NodeId): number[] {
  return events.filter((e) => e.type === "send" && e["from"] === from && e["to"] === to).map((e) => e["id"] as number);
}

/** Index of the last event matching `pred`, or -1 (ES2022 has no findLastIndex). */
export function lastIndex(events: readonly TraceEvent[], pred: (e: TraceEvent) => boolean): number {
  for (let i = events.length - 1; i >= 0; i--) if (pred(events[i] as TraceEvent)) return i;
  return -1;
}
