/**
 * The node API: the whole contract between the kernel and a protocol.
 *
 * A node is a state machine object. The kernel calls one of its handlers for each input (start,
 * message, timer, connection change, disk completion, external input) and the node answers only by
 * acting on the context it is handed. A node never holds a reference to another node, the
 * scheduler or anything global. Crashing a node drops the object and its timers; restarting builds
 * a new object with the same factory, and the new object finds its durable state on `ctx.disk`.
 */
import type { Stream } from "./random.js";
import type { TraceFields, TraceValue } from "./trace.js";

export type NodeId = string;

/** Every message is a plain, JSON-able object with a discriminating `type`. */
export interface Message {
  readonly type: string;
  readonly [key: string]: TraceValue;
}

/** How a node starts: on an empty disk, or rebuilt after a crash from what its disk kept. */
export type StartKind = "fresh" | "recovered";

/** A TCP-like connection came up or went down (a failed connect attempt reports `up: false`). */
export interface ConnectionChange {
  readonly peer: NodeId;
  readonly channel: string;
  readonly up: boolean;
  /** Why it went down: "closed", "peer-crashed", "partition", "refused", "unreachable". */
  readonly reason: string;
}

/** An fsync or atomic file write has become durable. */
export interface DiskDone {
  readonly file: string;
  readonly tag: string;
}

/** The node's view of its own disk. Reads see what was written, durable or not (page cache). */
export interface DiskContext {
  /** Appends one record to a log file; it survives a crash only after an fsync covering it completes. */
  append(file: string, record: TraceValue): void;
  /** Makes every record appended so far durable after the disk's fsync latency; then `onDiskDone`. */
  fsync(file: string, tag: string): void;
  /** Atomically replaces a file (write, fsync, rename); durable after the latency, then `onDiskDone`. */
  writeAtomic(file: string, records: readonly TraceValue[], tag: string): void;
  /** Drops records from index `length` on (ZooKeeper's TRUNC); durable at once. */
  truncate(file: string, length: number): void;
  remove(file: string): void;
  read(file: string): readonly TraceValue[];
  /** True when recovery found a torn last record (its checksum failed) and dropped it. */
  tornTail(file: string): boolean;
  exists(file: string): boolean;
  files(): readonly string[];
}

/** Everything a node may do. Each call takes effect at the node's current virtual time. */
export interface NodeContext<M extends Message = Message> {
  readonly id: NodeId;
  /** The node's local clock in integer microseconds (skew and drift applied). */
  now(): number;
  /** Sends on a connection (TCP mode: dropped unless connected) or as a datagram. */
  send(to: NodeId, msg: M, channel?: string): void;
  /** Opens a TCP-like connection; both ends learn the result through `onConnection`. */
  connect(to: NodeId, channel?: string): void;
  /** Closes a connection: data already sent is still delivered, then the peer sees it go down. */
  disconnect(to: NodeId, channel?: string): void;
  isConnected(to: NodeId, channel?: string): boolean;
  /** Starts (or restarts) the timer of that name; it fires after `delayUs` of local time. */
  setTimer(name: string, delayUs: number): void;
  cancelTimer(name: string): void;
  hasTimer(name: string): boolean;
  readonly disk: DiskContext;
  /** The node's own seeded stream (`node/<id>`); it continues across restarts. */
  readonly random: Stream;
  /** Records a protocol fact; the kernel adds `t` and `node`. */
  trace(event: TraceFields): void;
  /** Notes that a rare code path ran (a TigerBeetle-style mark); counted per run and traced. */
  mark(name: string): void;
  /** A FoundationDB-style fault point: false outside fuzz runs; in them, seeded per point. */
  buggify(name: string): boolean;
}

/** A protocol's node. Handlers other than `onStart` and `onMessage` are optional. */
export interface Node<M extends Message = Message, I = unknown> {
  onStart(ctx: NodeContext<M>, how: StartKind): void;
  onMessage(ctx: NodeContext<M>, from: NodeId, msg: M): void;
  onTimer?(ctx: NodeContext<M>, name: string): void;
  onConnection?(ctx: NodeContext<M>, change: ConnectionChange): void;
  onDiskDone?(ctx: NodeContext<M>, done: DiskDone): void;
  /** An input from outside the simulated network: a scripted client request or a workload step. */
  onInput?(ctx: NodeContext<M>, input: I): void;
}

/** Builds a node object; called at first start and again at every restart. */
export type NodeFactory<M extends Message = Message, I = unknown> = (id: NodeId) => Node<M, I>;
