/**
 * What the bench runs: a bare binary-heap loop (the physical-limit probe) and a message-heavy kernel
 * workload, so the kernel's figures read as a fraction of what any JS event loop could do here.
 */
import type { Message, Node, NodeContext } from "../sim/node.js";
import type { TraceSink } from "../sim/trace.js";
import { World } from "../sim/world.js";

interface BareEvent {
  t: number;
  seq: number;
  kind: number;
  payload: number;
}

/**
 * Schedules and dispatches `events` events through a plain binary heap ordered by (t, seq): each
 * popped event goes to a handler picked by its kind, which schedules the next one. Nothing else:
 * no network, no trace. It is the floor any event loop in this runtime stands on.
 */
export function bareHeapLoop(events: number, width = 64): number {
  const heap: BareEvent[] = [];
  let seq = 0;
  let x = 12345;
  let checksum = 0;
  const less = (a: BareEvent, b: BareEvent): boolean => a.t < b.t || (a.t === b.t && a.seq < b.seq);
  const push = (e: BareEvent): void => {
    let i = heap.length;
    heap.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(e, heap[p] as BareEvent)) break;
      heap[i] = heap[p] as BareEvent;
      i = p;
    }
    heap[i] = e;
  };
  const pop = (): BareEvent => {
    const top = heap[0] as BareEvent;
    const last = heap.pop() as BareEvent;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && less(heap[r] as BareEvent, heap[l] as BareEvent) ? r : l;
        if (!less(heap[c] as BareEvent, last)) break;
        heap[i] = heap[c] as BareEvent;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  };
  const next = (e: BareEvent, kind: number): void => {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    push({ t: e.t + 200 + ((x >>> 16) & 1023), seq: seq++, kind, payload: e.payload });
  };
  const handlers: ((e: BareEvent) => void)[] = [
    (e) => next(e, 1),
    (e) => next(e, 2),
    (e) => {
      checksum = (checksum + e.payload) | 0;
      next(e, 0);
    },
  ];
  for (let i = 0; i < width; i++) push({ t: i, seq: seq++, kind: i % 3, payload: i });
  for (let n = 0; n < events; n++) {
    const e = pop();
    (handlers[e.kind] as (e: BareEvent) => void)(e);
  }
  return checksum;
}

interface Ping extends Message {
  readonly type: "PING" | "PONG";
  readonly n: number;
}

/** Each node ticks every millisecond, sends a PING to a random peer, and answers every PING. */
class Chatter implements Node<Ping> {
  private sent = 0;
  constructor(private readonly peers: readonly string[]) {}
  onStart(ctx: NodeContext<Ping>): void {
    ctx.setTimer("tick", 1_000);
  }
  onTimer(ctx: NodeContext<Ping>): void {
    ctx.send(ctx.random.pick(this.peers), { type: "PING", n: this.sent++ });
    ctx.setTimer("tick", 1_000);
  }
  onMessage(ctx: NodeContext<Ping>, from: string, msg: Ping): void {
    if (msg.type === "PING") ctx.send(from, { type: "PONG", n: msg.n });
  }
}

/** Runs the chatter workload on `nodes` nodes until `events` events have been dispatched. */
export function kernelLoop(events: number, trace: TraceSink | false, nodes = 16): { dispatched: number; traceEvents: number } {
  const ids = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  const world = new World({
    seed: 1,
    network: { mode: "tcp", connect: "auto", latency: { dist: "uniform", minUs: 200, maxUs: 900 } },
    trace: trace === false ? false : { sink: trace },
    limits: { maxEvents: events },
  });
  for (const id of ids) world.addNode(id, () => new Chatter(ids.filter((p) => p !== id)));
  for (const id of ids) world.start(id);
  const reason = world.run();
  const summary = world.end(reason);
  return { dispatched: summary.dispatched, traceEvents: summary.events };
}
