/**
 * A context that records effects as data instead of acting: a node's handlers can be unit-tested
 * with no world (etcd raft's Ready, stateright's Out). Time and the disk are plain values you set.
 */
import type { DiskContext, Message, NodeContext, NodeId } from "./node.js";
import { Stream } from "./random.js";
import type { TraceFields, TraceValue } from "./trace.js";

export type Effect =
  | { readonly kind: "send"; readonly to: NodeId; readonly msg: Message; readonly channel: string }
  | { readonly kind: "connect"; readonly to: NodeId; readonly channel: string }
  | { readonly kind: "disconnect"; readonly to: NodeId; readonly channel: string }
  | { readonly kind: "set-timer"; readonly name: string; readonly delayUs: number }
  | { readonly kind: "cancel-timer"; readonly name: string }
  | { readonly kind: "append"; readonly file: string; readonly record: TraceValue }
  | { readonly kind: "fsync"; readonly file: string; readonly tag: string }
  | { readonly kind: "write-atomic"; readonly file: string; readonly records: readonly TraceValue[]; readonly tag: string }
  | { readonly kind: "truncate"; readonly file: string; readonly length: number }
  | { readonly kind: "remove"; readonly file: string }
  | { readonly kind: "trace"; readonly event: TraceFields }
  | { readonly kind: "mark"; readonly name: string };

export interface RecordingContext<M extends Message> extends NodeContext<M> {
  readonly effects: Effect[];
  /** Set the clock for the next handler call. */
  nowUs: number;
  /** Connections the node should believe are up. */
  readonly connected: Set<string>;
  /** Files as the node's disk holds them (appends land here too). */
  readonly files: Map<string, TraceValue[]>;
}

export function recordingCtx<M extends Message = Message>(opts: { id?: NodeId; nowUs?: number; seed?: number } = {}): RecordingContext<M> {
  const effects: Effect[] = [];
  const files = new Map<string, TraceValue[]>();
  const timers = new Set<string>();
  const file = (name: string): TraceValue[] => {
    let f = files.get(name);
    if (f === undefined) {
      f = [];
      files.set(name, f);
    }
    return f;
  };
  const disk: DiskContext = {
    append(name, record) {
      file(name).push(record);
      effects.push({ kind: "append", file: name, record });
    },
    fsync: (name, tag) => void effects.push({ kind: "fsync", file: name, tag }),
    writeAtomic(name, records, tag) {
      files.set(name, records.slice());
      effects.push({ kind: "write-atomic", file: name, records, tag });
    },
    truncate(name, length) {
      file(name).length = Math.min(length, file(name).length);
      effects.push({ kind: "truncate", file: name, length });
    },
    remove(name) {
      files.delete(name);
      effects.push({ kind: "remove", file: name });
    },
    read: (name) => (files.get(name) ?? []).slice(),
    tornTail: () => false,
    exists: (name) => files.has(name),
    files: () => [...files.keys()].sort(),
  };
  const id = opts.id ?? "n1";
  const ctx: RecordingContext<M> = {
    id,
    effects,
    nowUs: opts.nowUs ?? 0,
    connected: new Set<string>(),
    files,
    disk,
    random: new Stream(opts.seed ?? 1, `node/${id}`),
    now: () => ctx.nowUs,
    send: (to, msg, channel = "main") => void effects.push({ kind: "send", to, msg, channel }),
    connect: (to, channel = "main") => void effects.push({ kind: "connect", to, channel }),
    disconnect: (to, channel = "main") => void effects.push({ kind: "disconnect", to, channel }),
    isConnected: (to, channel = "main") => ctx.connected.has(channel === "main" ? to : `${to}#${channel}`),
    setTimer(name, delayUs) {
      timers.add(name);
      effects.push({ kind: "set-timer", name, delayUs });
    },
    cancelTimer(name) {
      timers.delete(name);
      effects.push({ kind: "cancel-timer", name });
    },
    hasTimer: (name) => timers.has(name),
    trace: (event) => void effects.push({ kind: "trace", event }),
    mark: (name) => void effects.push({ kind: "mark", name }),
    buggify: () => false,
  };
  return ctx;
}
