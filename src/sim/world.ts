/**
 * The world: wires nodes to a virtual clock, an event queue, a network and disks, applies faults,
 * and writes every fact to the trace. Nothing here reads the host's clock, randomness or timers.
 */
import { assert } from "./assert.js";
import { DEFAULT_DISK, DiskState, type DiskConfig, type DiskFaultKind, type FsyncTicket } from "./disk.js";
import { EventQueue, type Timed } from "./event-queue.js";
import {
  DEFAULT_NETWORK,
  bridgePairs,
  drawLatency,
  linkKey,
  oneWayPairs,
  partitionPairs,
  validateLatency,
  type LinkFaults,
  type NetworkConfig,
} from "./network.js";
import type { ConnectionChange, DiskContext, Message, Node, NodeContext, NodeFactory, NodeId, StartKind } from "./node.js";
import { Stream, ratio, type Ratio } from "./random.js";
import { TraceWriter, fastJson, type TraceEvent, type TraceFields, type TraceObserver, type TraceOptions, type TraceValue } from "./trace.js";

export interface RunLimits {
  /** The run ends with reason `event-budget` after this many dispatched events. */
  readonly maxEvents: number;
  /** The run ends with reason `time-bound` before any event later than this virtual time. */
  readonly maxTimeUs: number;
}

export const DEFAULT_LIMITS: RunLimits = { maxEvents: 50_000_000, maxTimeUs: 24 * 3600 * 1_000_000 };

export interface WorldOptions {
  readonly seed: number;
  readonly network?: Partial<NetworkConfig>;
  readonly disk?: Partial<DiskConfig>;
  /** Trace settings, or `false` for no trace at all (benchmarks; observers then see nothing). */
  readonly trace?: TraceOptions | false;
  readonly limits?: Partial<RunLimits>;
  /** Turns on `ctx.buggify` fault points (fuzz runs). */
  readonly buggify?: boolean;
}

/** Why a run (or one `run` call) ended. */
export type EndReason = "quiet" | "until" | "condition" | "stopped" | "event-budget" | "time-bound";

export interface RunOptions {
  readonly untilUs?: number;
  readonly stopWhen?: () => boolean;
}

export interface RunSummary {
  readonly reason: EndReason;
  readonly stopDetail: string | null;
  readonly events: number;
  readonly dispatched: number;
  readonly simUs: number;
  readonly sha256: string | null;
  readonly marks: Readonly<Record<string, number>>;
}

const MAIN = "main";
const ANY_INC = -1;

const enum Kind {
  Deliver,
  Timer,
  Disk,
  Conn,
  Syn,
  Call,
  Input,
}

/**
 * One scheduled event. A single class with every field keeps the hot path monomorphic; a message
 * delivery carries its envelope inline (`a` is the message, `b` the connection) rather than in a
 * second object.
 */
class Ev implements Timed {
  t = 0;
  seq = 0;
  /** Message deliveries only: the message id, sender and channel. */
  msgId = 0;
  from: NodeId = "";
  channel = MAIN;
  constructor(
    readonly kind: Kind,
    /** The node the event is for (null for world-level calls and connection attempts). */
    readonly proc: Proc | null,
    readonly inc: number,
    readonly a: unknown,
    readonly b: unknown,
  ) {}
}

class Conn {
  up = false;
  /** A partition swallowed data on it: nothing more is delivered on it. */
  poisoned = false;
  /** The end that closed it (or crashed): data towards that end is dropped. */
  closedBy: NodeId | null = null;
  initiatorInc: number;
  /** Last scheduled delivery per direction, for FIFO: [initiator->target, target->initiator]. */
  lastAt: [number, number] = [0, 0];
  readonly initiator: NodeId;
  readonly target: NodeId;
  constructor(
    readonly key: string,
    readonly initiatorProc: Proc,
    readonly targetProc: Proc,
    readonly channel: string,
    readonly startedUs: number,
    inc: number,
  ) {
    this.initiator = initiatorProc.id;
    this.target = targetProc.id;
    this.initiatorInc = inc;
  }
  dir(from: NodeId): 0 | 1 {
    return from === this.initiator ? 0 : 1;
  }
}

interface DiskOp {
  readonly file: string;
  readonly length: number;
  /** An fsync's ticket, or null for an atomic write (then `atomicId`). */
  readonly ticket: FsyncTicket | null;
  readonly atomicId: number;
  readonly tag: string;
  applied: boolean;
}

class Proc {
  node: Node<Message, unknown> | null = null;
  alive = false;
  everStarted = false;
  paused = false;
  /** Bumped by every pause, so a timed pause's resume cannot end a later pause. */
  pauseGen = 0;
  inc = 0;
  timerGen = 0;
  readonly timers = new Map<string, number>();
  deferred: Ev[] = [];
  /** Open connections by `peer` (main channel) or `peer#channel`. */
  readonly links = new Map<string, Conn>();
  /** The connections this incarnation has been told are up (what `isConnected` answers). */
  readonly connView = new Map<string, Conn>();
  /** The local clock: at virtual `clockBaseT` it read `clockBaseLocal`, and runs at (1e6 + driftPpm) / 1e6. */
  clockBaseT = 0;
  clockBaseLocal = 0;
  driftPpm = 0;
  diskBusyUntil = 0;
  diskExtraUs = 0;
  armedDiskFault: DiskFaultKind | null = null;
  ctx: Ctx | null = null;
  readonly disk = new DiskState();
  constructor(
    readonly id: NodeId,
    readonly factory: NodeFactory<Message, unknown>,
    readonly random: Stream,
  ) {}
}


const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const pairKey = (a: NodeId, b: NodeId, ch: string): string => (a < b ? `${a}|${b}|${ch}` : `${b}|${a}|${ch}`);
const linkName = (peer: NodeId, ch: string): string => (ch === MAIN ? peer : `${peer}#${ch}`);

export class World {
  readonly seed: number;
  readonly network: NetworkConfig;
  readonly diskConfig: DiskConfig;
  readonly limits: RunLimits;
  private readonly queue = new EventQueue<Ev>();
  private readonly procs = new Map<NodeId, Proc>();
  private readonly conns = new Map<string, Conn>();
  private readonly blocked = new Set<string>();
  private readonly linkFaults = new Map<string, LinkFaults>();
  private readonly net: Stream;
  private readonly diskRandom: Stream;
  private readonly buggifyRandom: Stream;
  private readonly buggifyPoints = new Map<string, boolean>();
  private readonly markCounts = new Map<string, number>();
  private readonly writer: TraceWriter | null;
  private readonly buggifyOn: boolean;
  private time = 0;
  private dispatched = 0;
  private nextMsgId = 1;
  private stopReason: string | null = null;
  private lastStop: string | null = null;
  private ended: RunSummary | null = null;

  constructor(opts: WorldOptions) {
    assert(Number.isSafeInteger(opts.seed) && opts.seed >= 0, `seed must be a non-negative integer, got ${opts.seed}`);
    this.seed = opts.seed;
    this.network = { ...DEFAULT_NETWORK, ...opts.network };
    this.diskConfig = { ...DEFAULT_DISK, ...opts.disk };
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    validateLatency(this.network.latency);
    validateLatency(this.diskConfig.fsync);
    this.net = new Stream(opts.seed, "net");
    this.diskRandom = new Stream(opts.seed, "disk");
    this.buggifyRandom = new Stream(opts.seed, "buggify");
    this.buggifyOn = opts.buggify ?? false;
    this.writer = opts.trace === false ? null : new TraceWriter(opts.trace ?? {});
  }

  // ---------------------------------------------------------------- observation

  get now(): number {
    return this.time;
  }

  get tracing(): boolean {
    return this.writer !== null;
  }

  /** How many trace events have been written so far. */
  get traceEvents(): number {
    return this.writer?.events ?? 0;
  }

  observe(o: TraceObserver): void {
    assert(this.writer !== null, "observers need a trace");
    this.writer.observe(o);
  }

  traceLines(): readonly string[] {
    assert(this.writer !== null, "this world keeps no trace");
    return this.writer.lines();
  }

  traceDigests(): readonly number[] {
    assert(this.writer !== null, "this world keeps no trace");
    return this.writer.lineDigests();
  }

  nodeIds(): NodeId[] {
    return [...this.procs.keys()];
  }

  isAlive(id: NodeId): boolean {
    return this.proc(id).alive;
  }

  isPaused(id: NodeId): boolean {
    return this.proc(id).paused;
  }

  /** The live node object, for tools that show state (the shell's `status`); checkers read the trace. */
  inspect(id: NodeId): Node<Message, unknown> | null {
    return this.proc(id).node;
  }

  /** What the node's disk would keep if it crashed now. */
  durableDisk(id: NodeId): Record<string, readonly TraceValue[]> {
    return this.proc(id).disk.durableView();
  }

  marks(): Record<string, number> {
    return Object.fromEntries([...this.markCounts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Writes a world-level fact (scenario, checker, workload) to the trace. */
  trace(fields: TraceFields): void {
    if (this.writer !== null) this.writer.write({ ...fields, t: this.time } as TraceEvent);
  }

  // ---------------------------------------------------------------- set-up and lifecycle

  addNode<M extends Message, I>(id: NodeId, factory: NodeFactory<M, I>): void {
    assert(ID_PATTERN.test(id), `node id ${JSON.stringify(id)} must start with a letter and use letters, digits, _ . -`);
    assert(!this.procs.has(id), `node ${id} added twice`);
    this.procs.set(id, new Proc(id, factory as unknown as NodeFactory<Message, unknown>, new Stream(this.seed, `node/${id}`)));
  }

  private proc(id: NodeId): Proc {
    const p = this.procs.get(id);
    assert(p !== undefined, `unknown node ${id}`);
    return p;
  }

  /** Starts a node: fresh the first time, recovered from its disk after a crash. */
  start(id: NodeId): void {
    const p = this.proc(id);
    if (p.alive) return;
    const how: StartKind = p.everStarted ? "recovered" : "fresh";
    p.everStarted = true;
    p.alive = true;
    p.paused = false;
    p.inc++;
    p.ctx = new Ctx(this, p, p.inc);
    p.node = p.factory(id);
    this.trace({ type: how === "fresh" ? "start" : "restart", node: id, inc: p.inc });
    p.node.onStart(p.ctx, how);
    if (this.network.mode === "tcp" && this.network.connect === "auto") {
      for (const other of this.sortedIds()) if (other !== id && this.procs.get(other)?.alive) this.connect(p, other, MAIN);
    }
  }

  restart(id: NodeId): void {
    this.start(id);
  }

  /** Kills a node: its object and timers are dropped, its disk keeps only what was durable. */
  crash(id: NodeId): void {
    const p = this.proc(id);
    if (!p.alive) return;
    p.alive = false;
    p.paused = false;
    p.node = null;
    p.ctx = null;
    p.timers.clear();
    p.connView.clear();
    p.deferred = [];
    p.diskBusyUntil = this.time;
    const lostTail = p.armedDiskFault === "lost-tail" ? this.diskRandom.between(1, 3) : 0;
    const losses = p.disk.crash(p.armedDiskFault, lostTail);
    p.armedDiskFault = null;
    this.trace({ type: "crash", node: id });
    for (const l of losses) {
      this.trace({ type: "disk-loss", node: id, file: l.file, lost: l.lostRecords, fault: l.fault });
    }
    for (const c of [...p.links.values()]) this.closeConn(c, id, "peer-crashed");
    for (const c of [...this.conns.values()]) if (!c.up && c.initiator === id) this.conns.delete(c.key);
  }

  /** Stop-the-world pause: deliveries, timers and notifications wait until `resume`. */
  pause(id: NodeId, durationUs?: number): void {
    const p = this.proc(id);
    if (!p.alive || p.paused) return;
    p.paused = true;
    const gen = ++p.pauseGen;
    this.trace({ type: "pause", node: id, forUs: durationUs ?? null });
    if (durationUs !== undefined) {
      this.after(durationUs, () => {
        if (p.pauseGen === gen) this.resume(id);
      });
    }
  }

  resume(id: NodeId): void {
    const p = this.proc(id);
    if (!p.alive || !p.paused) return;
    p.paused = false;
    this.trace({ type: "resume", node: id, queued: p.deferred.length });
    const waiting = p.deferred;
    p.deferred = [];
    // They run now, in the order they fell due, before anything else due at this instant: a message
    // arriving at the very resume time must not overtake one that waited (TCP FIFO holds).
    for (const ev of waiting) {
      if (!p.alive || p.paused) {
        if (p.alive) p.deferred.push(ev);
        continue;
      }
      this.dispatched++;
      this.dispatch(ev);
    }
  }

  /** Sets a node's clock to read virtual time + skewUs now, and to run fast or slow by driftPpm from now on. */
  setClock(id: NodeId, skewUs: number, driftPpm = 0): void {
    assert(Number.isSafeInteger(skewUs) && Number.isSafeInteger(driftPpm) && driftPpm > -1_000_000, "clock skew and drift are integers");
    const p = this.proc(id);
    p.clockBaseT = this.time;
    p.clockBaseLocal = this.time + skewUs;
    p.driftPpm = driftPpm;
    this.trace({ type: "clock", node: id, skewUs, driftPpm });
  }

  armDiskFault(id: NodeId, kind: DiskFaultKind): void {
    this.proc(id).armedDiskFault = kind;
    this.trace({ type: "disk-fault", node: id, fault: kind });
  }

  setDiskSlow(id: NodeId, extraUs: number): void {
    assert(Number.isSafeInteger(extraUs) && extraUs >= 0, "disk slowness is a non-negative integer");
    this.proc(id).diskExtraUs = extraUs;
    this.trace({ type: "disk-slow", node: id, extraUs });
  }

  /** Hands an outside input (client request, workload step) to a node now, or when a pause ends. */
  input(id: NodeId, input: TraceValue): void {
    const p = this.proc(id);
    if (!p.alive) {
      this.trace({ type: "input", node: id, input, lost: true });
      return;
    }
    if (p.paused) {
      this.schedule(new Ev(Kind.Input, p, p.inc, input, null), this.time);
      return;
    }
    this.handInput(p, input);
  }

  private handInput(p: Proc, input: TraceValue): void {
    this.trace({ type: "input", node: p.id, input, lost: false });
    assert(p.node?.onInput !== undefined, `node ${p.id} takes no inputs`);
    p.node.onInput(p.ctx as Ctx, input);
  }

  // ---------------------------------------------------------------- network faults

  partition(sides: readonly (readonly NodeId[])[]): void {
    for (const side of sides) for (const id of side) this.proc(id);
    this.trace({ type: "partition", sides: sides.map((s) => [...s]) });
    this.blockPairs(partitionPairs(sides));
  }

  oneWay(from: readonly NodeId[], to: readonly NodeId[]): void {
    for (const id of [...from, ...to]) this.proc(id);
    this.trace({ type: "partition-one-way", from: [...from], to: [...to] });
    this.blockPairs(oneWayPairs(from, to));
  }

  bridge(left: readonly NodeId[], bridge: NodeId, right: readonly NodeId[]): void {
    for (const id of [...left, bridge, ...right]) this.proc(id);
    this.trace({ type: "partition-bridge", left: [...left], bridge, right: [...right] });
    this.blockPairs(bridgePairs(left, bridge, right));
  }

  heal(): void {
    this.trace({ type: "heal" });
    this.blocked.clear();
    this.autoReconnect();
  }

  /** Blocks or unblocks one direction of one link (flapping links are built from these). */
  setLinkBlocked(from: NodeId, to: NodeId, blocked: boolean): void {
    this.proc(from);
    this.proc(to);
    this.trace({ type: blocked ? "link-down" : "link-up", from, to });
    if (blocked) this.blockPairs([[from, to]]);
    else {
      this.blocked.delete(linkKey(from, to));
      this.autoReconnect();
    }
  }

  setLinkFaults(from: NodeId, to: NodeId, faults: LinkFaults): void {
    this.proc(from);
    this.proc(to);
    this.linkFaults.set(linkKey(from, to), faults);
    this.trace({ type: "link-faults", from, to, loss: [faults.loss.num, faults.loss.den], extraDelayUs: faults.extraDelayUs });
  }

  /** A link that goes down for `downUs` out of every `periodUs`, both ways, until `untilUs`. */
  flap(a: NodeId, b: NodeId, periodUs: number, downUs: number, untilUs: number): void {
    assert(periodUs > downUs && downUs > 0, "flapping needs 0 < down < period");
    for (let t = this.time; t < untilUs; t += periodUs) {
      this.at(t, () => {
        this.setLinkBlocked(a, b, true);
        this.setLinkBlocked(b, a, true);
      });
      this.at(Math.min(t + downUs, untilUs), () => {
        this.setLinkBlocked(a, b, false);
        this.setLinkBlocked(b, a, false);
      });
    }
  }

  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.blocked.size > 0 && this.blocked.has(linkKey(from, to));
  }

  private blockPairs(pairs: readonly (readonly [NodeId, NodeId])[]): void {
    for (const [a, b] of pairs) this.blocked.add(linkKey(a, b));
    if (this.network.mode !== "tcp") return;
    for (const c of [...this.conns.values()]) {
      if (!c.up || c.poisoned) continue;
      if (this.isBlocked(c.initiator, c.target) || this.isBlocked(c.target, c.initiator)) this.breakConn(c, "partition");
    }
  }

  // ---------------------------------------------------------------- scheduling and running

  /** Runs `fn` (a fault, a workload step, a check) at virtual time `t`. */
  at(t: number, fn: () => void): void {
    assert(t >= this.time, `cannot schedule in the past (${t} < ${this.time})`);
    this.schedule(new Ev(Kind.Call, null, 0, fn, null), t);
  }

  after(delayUs: number, fn: () => void): void {
    this.at(this.time + delayUs, fn);
  }

  /** Asks the run loop to stop after the current event (a checker found a violation). */
  stop(detail: string): void {
    if (this.stopReason === null) this.stopReason = detail;
  }

  private schedule(ev: Ev, t: number): void {
    ev.t = t;
    this.queue.push(ev);
  }

  run(opts: RunOptions = {}): EndReason {
    const until = opts.untilUs;
    assert(until === undefined || until >= this.time, `run until ${until} is in the past (now ${this.time})`);
    const stopWhen = opts.stopWhen;
    const q = this.queue;
    const maxTimeUs = this.limits.maxTimeUs;
    const maxEvents = this.limits.maxEvents;
    for (;;) {
      if (this.stopReason !== null) {
        this.lastStop = this.stopReason;
        this.stopReason = null;
        return "stopped";
      }
      const next = q.peek();
      if (next === undefined) {
        if (until !== undefined && until > this.time) this.time = until;
        return "quiet";
      }
      if (until !== undefined && next.t > until) {
        this.time = until;
        return "until";
      }
      if (next.t > maxTimeUs) return "time-bound";
      if (this.dispatched >= maxEvents) return "event-budget";
      q.pop();
      this.time = next.t;
      this.dispatched++;
      this.dispatch(next);
      if (stopWhen !== undefined && stopWhen()) return "condition";
    }
  }

  /** Ends the run: writes the `end` event and returns the summary with the trace hash. Idempotent. */
  end(reason: EndReason): RunSummary {
    if (this.ended !== null) return this.ended;
    const detail = this.stopReason ?? this.lastStop;
    this.trace({ type: "end", reason, detail, dispatched: this.dispatched });
    const events = this.writer?.events ?? 0;
    const sha256 = this.writer?.finish() ?? null;
    this.ended = {
      reason,
      stopDetail: detail,
      events,
      dispatched: this.dispatched,
      simUs: this.time,
      sha256,
      marks: this.marks(),
    };
    return this.ended;
  }

  private dispatch(ev: Ev): void {
    switch (ev.kind) {
      case Kind.Call:
        (ev.a as () => void)();
        return;
      case Kind.Deliver:
        this.deliver(ev);
        return;
      case Kind.Timer:
        this.fireTimer(ev);
        return;
      case Kind.Disk:
        this.diskDone(ev);
        return;
      case Kind.Conn:
        this.connChanged(ev);
        return;
      case Kind.Syn:
        this.synArrived(ev.a as Conn);
        return;
      case Kind.Input: {
        const p = this.target(ev);
        if (p !== null) this.handInput(p, ev.a as TraceValue);
        return;
      }
    }
  }

  /** The node if the event still concerns its current incarnation; defers it if the node is paused. */
  private target(ev: Ev): Proc | null {
    const p = ev.proc as Proc;
    if (!p.alive || p.inc !== ev.inc) return null;
    if (p.paused) {
      p.deferred.push(ev);
      return null;
    }
    return p;
  }

  // ---------------------------------------------------------------- messages

  send(p: Proc, to: NodeId, msg: Message, channel: string): void {
    const id = this.nextMsgId++;
    const w = this.writer;
    if (w !== null) {
      const t = this.time;
      const line = w.linesOff
        ? ""
        : `{"t":${t},"type":"send",${channel === MAIN ? "" : `"ch":${JSON.stringify(channel)},`}"from":"${p.id}","id":${id},"msg":${fastJson(msg)},"to":"${to}"}`;
      w.writeBuilt(line, (): TraceEvent =>
        channel === MAIN ? { t, type: "send", from: p.id, to, id, msg } : { t, type: "send", from: p.id, to, id, ch: channel, msg },
      );
    }
    const faults = this.linkFaults.size > 0 ? this.linkFaults.get(linkKey(p.id, to)) : undefined;
    if (this.network.mode === "datagram") {
      const q = this.procs.get(to);
      assert(q !== undefined, `${p.id} sent ${msg.type} to unknown node ${to}`);
      if (this.isBlocked(p.id, to)) return this.dropped(id, p.id, to, "partition");
      if (this.net.chance(faults?.loss ?? this.network.loss)) return this.dropped(id, p.id, to, "loss");
      const copies = this.net.chance(this.network.duplicate) ? 2 : 1;
      for (let i = 0; i < copies; i++) {
        const delay = drawLatency(this.network.latency, this.net) + (faults?.extraDelayUs ?? 0);
        // A datagram reaches whichever incarnation is listening when it arrives (ANY_INC).
        this.scheduleMessage(q, ANY_INC, id, p.id, channel, msg, null, this.time + delay);
      }
      return;
    }
    const conn = p.links.get(channel === MAIN ? to : linkName(to, channel));
    if (conn === undefined || !conn.up) {
      assert(this.procs.has(to), `${p.id} sent ${msg.type} to unknown node ${to}`);
      return this.dropped(id, p.id, to, "not-connected");
    }
    if (conn.poisoned || this.isBlocked(p.id, to)) {
      conn.poisoned = true;
      return this.dropped(id, p.id, to, "partition");
    }
    let delay = drawLatency(this.network.latency, this.net);
    if (faults !== undefined) {
      delay += faults.extraDelayUs;
      if (this.net.chance(faults.loss)) delay += this.network.retransmitUs;
    }
    const d = conn.dir(p.id);
    const at = Math.max(this.time + delay, conn.lastAt[d]);
    conn.lastAt[d] = at;
    const q = d === 0 ? conn.targetProc : conn.initiatorProc;
    this.scheduleMessage(q, q.inc, id, p.id, channel, msg, conn, at);
  }

  private scheduleMessage(q: Proc, inc: number, id: number, from: NodeId, channel: string, msg: Message, conn: Conn | null, at: number): void {
    const ev = new Ev(Kind.Deliver, q, inc, msg, conn);
    ev.msgId = id;
    ev.from = from;
    ev.channel = channel;
    this.schedule(ev, at);
  }

  private dropped(id: number, from: NodeId, to: NodeId, reason: string): void {
    const w = this.writer;
    if (w === null) return;
    const t = this.time;
    w.writeBuilt(w.linesOff ? "" : `{"t":${t},"type":"drop","from":"${from}","id":${id},"reason":"${reason}","to":"${to}"}`, () => ({ t, type: "drop", from, to, id, reason }));
  }

  private deliver(ev: Ev): void {
    const p = ev.proc as Proc;
    const to = p.id;
    const id = ev.msgId;
    const from = ev.from;
    if (!p.alive || (ev.inc !== ANY_INC && p.inc !== ev.inc)) return this.dropped(id, from, to, "node-down");
    const c = ev.b as Conn | null;
    if (c !== null) {
      if (c.poisoned) return this.dropped(id, from, to, "conn-broken");
      if (c.closedBy === to) return this.dropped(id, from, to, "closed");
    }
    if (this.isBlocked(from, to)) {
      if (c !== null) {
        c.poisoned = true;
        if (c.up) this.breakConn(c, "partition");
      }
      return this.dropped(id, from, to, "partition");
    }
    if (p.paused) {
      p.deferred.push(ev);
      return;
    }
    const w = this.writer;
    if (w !== null) {
      const t = this.time;
      w.writeBuilt(w.linesOff ? "" : `{"t":${t},"type":"recv","from":"${from}","id":${id},"to":"${to}"}`, () => ({ t, type: "recv", from, to, id }));
    }
    (p.node as Node).onMessage(p.ctx as Ctx, from, ev.a as Message);
  }

  // ---------------------------------------------------------------- connections

  connect(p: Proc, to: NodeId, channel: string): void {
    if (this.network.mode !== "tcp") return;
    assert(to !== p.id, `${p.id} cannot connect to itself`);
    const target = this.proc(to);
    const key = pairKey(p.id, to, channel);
    if (this.conns.has(key)) return;
    const c = new Conn(key, p, target, channel, this.time, p.inc);
    this.conns.set(key, c);
    this.schedule(new Ev(Kind.Syn, target, 0, c, null), this.time + drawLatency(this.network.latency, this.net));
  }

  private synArrived(c: Conn): void {
    if (this.conns.get(c.key) !== c) return;
    const from = this.procs.get(c.initiator) as Proc;
    const to = this.procs.get(c.target) as Proc;
    if (!from.alive || from.inc !== c.initiatorInc) {
      this.conns.delete(c.key);
      return;
    }
    const unreachable = this.isBlocked(c.initiator, c.target) || this.isBlocked(c.target, c.initiator);
    if (unreachable || !to.alive) {
      this.conns.delete(c.key);
      const reason = unreachable ? "unreachable" : "refused";
      const at = unreachable ? c.startedUs + this.network.connectTimeoutUs : this.time + drawLatency(this.network.latency, this.net);
      this.notify(from, c.target, c.channel, false, reason, Math.max(at, this.time), c);
      return;
    }
    c.up = true;
    from.links.set(linkName(c.target, c.channel), c);
    to.links.set(linkName(c.initiator, c.channel), c);
    this.notify(to, c.initiator, c.channel, true, "connected", this.time, c);
    const back = this.time + drawLatency(this.network.latency, this.net);
    c.lastAt[1] = back;
    this.notify(from, c.target, c.channel, true, "connected", back, c);
  }

  private notify(p: Proc, peer: NodeId, channel: string, up: boolean, reason: string, at: number, c: Conn): void {
    const change: ConnectionChange = { peer, channel, up, reason };
    this.schedule(new Ev(Kind.Conn, p, p.inc, change, c), at);
  }

  private connChanged(ev: Ev): void {
    const p = this.target(ev);
    if (p === null) return;
    const change = ev.a as ConnectionChange;
    const c = ev.b as Conn;
    const link = linkName(change.peer, change.channel);
    // News about a connection that is already gone, or superseded by a newer one, is stale: a node
    // never hears that an old connection went down after hearing that a new one came up.
    if (change.up) {
      if (!c.up || c.poisoned) return;
      p.connView.set(link, c);
    } else {
      const known = p.connView.get(link);
      if (known !== undefined && known !== c) return;
      // Unknown here: only an initiator still waiting for its attempt's result hears that it failed.
      if (known === undefined && c.initiator !== p.id) return;
      if (known === undefined && this.conns.get(c.key)?.up === true) return;
      p.connView.delete(link);
    }
    this.trace({ type: change.up ? "conn-up" : "conn-down", node: p.id, peer: change.peer, ch: change.channel, reason: change.reason });
    p.node?.onConnection?.(p.ctx as Ctx, change);
  }

  private unlink(c: Conn): void {
    c.up = false;
    this.conns.delete(c.key);
    const a = this.procs.get(c.initiator) as Proc;
    const b = this.procs.get(c.target) as Proc;
    if (a.links.get(linkName(c.target, c.channel)) === c) a.links.delete(linkName(c.target, c.channel));
    if (b.links.get(linkName(c.initiator, c.channel)) === c) b.links.delete(linkName(c.initiator, c.channel));
  }

  /** A partition broke the connection: in-flight data is lost; both ends hear after `breakDetectUs`. */
  private breakConn(c: Conn, reason: string): void {
    c.poisoned = true;
    const detectAt = this.time + this.network.breakDetectUs;
    const ends = [c.initiator, c.target];
    const finish = (): void => {
      if (this.conns.get(c.key) !== c) return;
      this.unlink(c);
      for (const id of ends) {
        const p = this.procs.get(id) as Proc;
        if (p.alive) this.notify(p, id === c.initiator ? c.target : c.initiator, c.channel, false, reason, this.time, c);
      }
      this.autoReconnect();
    };
    if (detectAt === this.time) finish();
    else this.at(detectAt, finish);
  }

  /** One end closed (or crashed): its data still arrives, then the other end hears the close. */
  private closeConn(c: Conn, by: NodeId, reason: string): void {
    if (this.conns.get(c.key) !== c) return;
    c.closedBy = by;
    this.unlink(c);
    const peer = by === c.initiator ? c.target : c.initiator;
    const q = this.procs.get(peer) as Proc;
    if (!q.alive) return;
    const at = Math.max(this.time + drawLatency(this.network.latency, this.net), c.lastAt[c.dir(by)]);
    this.notify(q, by, c.channel, false, reason, at, c);
  }

  disconnect(p: Proc, to: NodeId, channel: string): void {
    const c = p.links.get(linkName(to, channel));
    // The closer knows at once that its connection is gone (no conn-down comes back to it).
    p.connView.delete(linkName(to, channel));
    if (c !== undefined) this.closeConn(c, p.id, "closed");
  }

  /** What the node knows: up once it was told so, down once it was told so (never ahead of its news). */
  isConnected(p: Proc, to: NodeId, channel: string): boolean {
    if (this.network.mode !== "tcp") return true;
    return p.connView.has(linkName(to, channel));
  }

  private sortedIds(): NodeId[] {
    return [...this.procs.keys()].sort();
  }

  private autoReconnect(): void {
    if (this.network.mode !== "tcp" || this.network.connect !== "auto") return;
    const ids = this.sortedIds();
    for (let i = 0; i < ids.length; i++) {
      const a = this.procs.get(ids[i] as NodeId) as Proc;
      if (!a.alive) continue;
      for (let j = i + 1; j < ids.length; j++) {
        const b = ids[j] as NodeId;
        if (!this.procs.get(b)?.alive || this.isBlocked(a.id, b) || this.isBlocked(b, a.id)) continue;
        this.connect(a, b, MAIN);
      }
    }
  }

  // ---------------------------------------------------------------- timers

  setTimer(p: Proc, name: string, delayUs: number): void {
    // Hot path: the message is built only when the check fails.
    if (!Number.isSafeInteger(delayUs) || delayUs < 0) assert(false, `timer ${name} delay must be a non-negative integer, got ${delayUs}`);
    const gen = ++p.timerGen;
    p.timers.set(name, gen);
    // Local time runs at (1e6 + drift) / 1e6 of virtual time, so a local delay takes less or more virtual time.
    const real = p.driftPpm === 0 ? delayUs : Math.ceil((delayUs * 1_000_000) / (1_000_000 + p.driftPpm));
    this.schedule(new Ev(Kind.Timer, p, p.inc, name, gen), this.time + real);
  }

  private fireTimer(ev: Ev): void {
    const name = ev.a as string;
    const p = ev.proc as Proc;
    if (!p.alive || p.inc !== ev.inc || p.timers.get(name) !== ev.b) return;
    if (p.paused) {
      p.deferred.push(ev);
      return;
    }
    p.timers.delete(name);
    const w = this.writer;
    if (w !== null) {
      const t = this.time;
      w.writeBuilt(w.linesOff ? "" : `{"t":${t},"type":"timer","node":"${p.id}","name":${fastJson(name)}}`, () => ({ t, type: "timer", node: p.id, name }));
    }
    p.node?.onTimer?.(p.ctx as Ctx, name);
  }

  localNow(p: Proc): number {
    const elapsed = this.time - p.clockBaseT;
    if (p.driftPpm === 0) return p.clockBaseLocal + elapsed;
    return p.clockBaseLocal + elapsed + Math.floor((elapsed * p.driftPpm) / 1_000_000);
  }

  // ---------------------------------------------------------------- disk

  private diskLatency(p: Proc): number {
    const at = Math.max(this.time + drawLatency(this.diskConfig.fsync, this.diskRandom) + p.diskExtraUs, p.diskBusyUntil);
    p.diskBusyUntil = at;
    return at;
  }

  fsync(p: Proc, file: string, tag: string): void {
    const ticket = p.disk.fsyncTicket(file);
    const op: DiskOp = { file, length: ticket.length, ticket, atomicId: 0, tag, applied: false };
    this.schedule(new Ev(Kind.Disk, p, p.inc, op, null), this.diskLatency(p));
  }

  writeAtomic(p: Proc, file: string, records: readonly TraceValue[], tag: string): void {
    const atomicId = p.disk.writeAtomic(file, records);
    const op: DiskOp = { file, length: records.length, ticket: null, atomicId, tag, applied: false };
    this.schedule(new Ev(Kind.Disk, p, p.inc, op, null), this.diskLatency(p));
  }

  private diskDone(ev: Ev): void {
    const p = ev.proc as Proc;
    if (!p.alive || p.inc !== ev.inc) return;
    const op = ev.a as DiskOp;
    if (!op.applied) {
      // Durability does not wait for a paused process: the device finished the write.
      op.applied = true;
      if (op.ticket !== null) p.disk.markDurable(op.file, op.ticket);
      else p.disk.atomicDone(op.file, op.atomicId);
      const w = this.writer;
      if (w !== null) {
        const t = this.time;
        w.writeBuilt(w.linesOff ? "" : `{"t":${t},"type":"durable","node":"${p.id}","file":${fastJson(op.file)},"length":${op.length}}`, () => ({
          t,
          type: "durable",
          node: p.id,
          file: op.file,
          length: op.length,
        }));
      }
    }
    if (p.paused) {
      p.deferred.push(ev);
      return;
    }
    p.node?.onDiskDone?.(p.ctx as Ctx, { file: op.file, tag: op.tag });
  }

  // ---------------------------------------------------------------- marks and buggify

  mark(p: Proc, name: string): void {
    this.markCounts.set(name, (this.markCounts.get(name) ?? 0) + 1);
    if (this.writer !== null) this.writer.write({ t: this.time, type: "mark", node: p.id, name });
  }

  buggify(p: Proc, name: string): boolean {
    if (!this.buggifyOn) return false;
    let enabled = this.buggifyPoints.get(name);
    if (enabled === undefined) {
      enabled = this.buggifyRandom.chance(BUGGIFY_ENABLE);
      this.buggifyPoints.set(name, enabled);
    }
    if (!enabled || !this.buggifyRandom.chance(BUGGIFY_FIRE)) return false;
    if (this.writer !== null) this.writer.write({ t: this.time, type: "buggify", node: p.id, name });
    return true;
  }

  nodeTrace(p: Proc, fields: TraceFields): void {
    if (this.writer !== null) this.writer.writeNode(fields, this.time, p.id);
  }
}

const BUGGIFY_ENABLE: Ratio = ratio(1, 4);
const BUGGIFY_FIRE: Ratio = ratio(1, 4);

/** The context handed to one incarnation of one node. */
class Ctx implements NodeContext<Message> {
  readonly id: NodeId;
  readonly random: Stream;
  readonly disk: DiskContext;

  constructor(
    private readonly world: World,
    private readonly p: Proc,
    private readonly inc: number,
  ) {
    this.id = p.id;
    this.random = p.random;
    const disk = p.disk;
    const live = (): void => this.live();
    this.disk = {
      append(file, record) {
        live();
        disk.append(file, record);
      },
      fsync: (file, tag) => {
        live();
        world.fsync(p, file, tag);
      },
      writeAtomic: (file, records, tag) => {
        live();
        world.writeAtomic(p, file, records, tag);
      },
      truncate(file, length) {
        live();
        disk.truncate(file, length);
      },
      remove(file) {
        live();
        disk.remove(file);
      },
      read: (file) => disk.read(file),
      tornTail: (file) => disk.tornTail(file),
      exists: (file) => disk.exists(file),
      files: () => disk.files(),
    };
  }

  private live(): void {
    if (!this.p.alive || this.p.inc !== this.inc) assert(false, `node ${this.id} acted after it crashed`);
  }

  now(): number {
    return this.world.localNow(this.p);
  }
  send(to: NodeId, msg: Message, channel = MAIN): void {
    this.live();
    this.world.send(this.p, to, msg, channel);
  }
  connect(to: NodeId, channel = MAIN): void {
    this.live();
    this.world.connect(this.p, to, channel);
  }
  disconnect(to: NodeId, channel = MAIN): void {
    this.live();
    this.world.disconnect(this.p, to, channel);
  }
  isConnected(to: NodeId, channel = MAIN): boolean {
    return this.world.isConnected(this.p, to, channel);
  }
  setTimer(name: string, delayUs: number): void {
    this.live();
    this.world.setTimer(this.p, name, delayUs);
  }
  cancelTimer(name: string): void {
    this.live();
    this.p.timers.delete(name);
  }
  hasTimer(name: string): boolean {
    return this.p.timers.has(name);
  }
  trace(event: TraceFields): void {
    this.live();
    this.world.nodeTrace(this.p, event);
  }
  mark(name: string): void {
    this.live();
    this.world.mark(this.p, name);
  }
  buggify(name: string): boolean {
    return this.world.buggify(this.p, name);
  }
}
