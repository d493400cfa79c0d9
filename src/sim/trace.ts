import { createHash, type Hash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { assert } from "./assert.js";

/** What may appear in a trace: JSON with integers only. */
export type TraceValue = string | number | boolean | null | readonly TraceValue[] | { readonly [key: string]: TraceValue };

/** A fact as a node or checker sees it: `t` (virtual us), `type`, and fields. */
export interface TraceEvent {
  readonly t: number;
  readonly type: string;
  readonly [key: string]: TraceValue;
}

/** What a protocol hands to `ctx.trace`: the kernel adds `t` and `node`. */
export interface TraceFields {
  readonly type: string;
  readonly [key: string]: TraceValue;
}

/** Sees every event as it is written, with its index (its 0-based line number in the trace). */
export type TraceObserver = (event: TraceEvent, index: number) => void;

/** Where trace lines go besides the hash. */
export type TraceSink =
  | { readonly kind: "none" }
  | { readonly kind: "memory" }
  | { readonly kind: "file"; readonly path: string };

/**
 * The canonical line for an event: `t`, `type`, `node` (when present) first, then the other keys in
 * sorted order. Nested values keep their construction order, which is deterministic because the
 * code that builds them is. Top-level numbers must be safe integers: floats never reach a trace.
 */
export function canonicalLine(e: TraceEvent, keyOrders?: Map<string, readonly string[]>): string {
  if (!Number.isSafeInteger(e.t)) assert(false, `trace event ${e.type} has a time that is not a safe integer: ${e.t}`);
  let line = `{"t":${e.t},"type":${fastJson(e.type)}`;
  const node = e["node"];
  if (node !== undefined) line += `,"node":${fastJson(node)}`;
  return line + restOfLine(e, keyOrders);
}

/** The fields other than `t`, `type` and `node`, in sorted key order, and the closing brace. */
function restOfLine(fields: TraceFields, keyOrders: Map<string, readonly string[]> | undefined): string {
  let line = "";
  const keys = sortedKeys(fields, keyOrders);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (k === "t" || k === "type" || k === "node") continue;
    const v = fields[k];
    if (v === undefined) continue;
    if (typeof v === "number" && !Number.isSafeInteger(v)) assert(false, `trace field ${fields.type}.${k} is not a safe integer: ${v}`);
    line += `,${PLAIN.test(k) ? `"${k}"` : JSON.stringify(k)}:${fastJson(v)}`;
  }
  return `${line}}`;
}

const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * `canonicalLine({ ...fields, t, node })` without building that object: what a node traces gets
 * its time and node from the kernel (a `t` or `node` among the fields is overridden, as the spread
 * would), then the other fields in sorted key order.
 */
export function canonicalNodeLine(fields: TraceFields, t: number, node: string, keyOrders: Map<string, readonly string[]>): string {
  if (!Number.isSafeInteger(t)) assert(false, `trace event ${fields.type} has a time that is not a safe integer: ${t}`);
  return `{"t":${t},"type":${fastJson(fields.type)},"node":${fastJson(node)}` + restOfLine(fields, keyOrders);
}

/**
 * `JSON.stringify` for trace values, byte for byte, but faster on the flat objects that messages
 * and events mostly are (strings needing no escapes, integers). Anything else falls back to it.
 */
export function fastJson(v: unknown): string {
  switch (typeof v) {
    case "number":
      return Number.isFinite(v) ? String(v) : "null";
    case "string":
      return PLAIN.test(v) ? `"${v}"` : JSON.stringify(v);
    case "boolean":
      return v ? "true" : "false";
    case "object": {
      if (v === null) return "null";
      if (Array.isArray(v)) return JSON.stringify(v);
      let out = "{";
      for (const k in v) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
        if (out.length > 1) out += ",";
        out += PLAIN.test(k) ? `"${k}":` : `${JSON.stringify(k)}:`;
        out += typeof x === "object" && x !== null ? JSON.stringify(x) : fastJson(x);
      }
      return `${out}}`;
    }
    default:
      return JSON.stringify(v) ?? "null";
  }
}

/**
 * The event's keys in sorted order. Events of one type nearly always carry the same keys, so the
 * sorted list of the last one is reused when this event has exactly those keys (no sort then).
 */
function sortedKeys(e: TraceFields, keyOrders: Map<string, readonly string[]> | undefined): readonly string[] {
  const own = Object.keys(e);
  if (keyOrders === undefined) return own.sort();
  const cached = keyOrders.get(e.type);
  if (cached !== undefined && cached.length === own.length && cached.every((k) => Object.hasOwn(e, k))) return cached;
  const sorted = own.sort();
  keyOrders.set(e.type, sorted);
  return sorted;
}

/** Deep check that a value is integer-only JSON (tests and strict runs use it). */
export function assertTraceValue(v: unknown, where: string): void {
  if (v === null || typeof v === "string" || typeof v === "boolean") return;
  if (typeof v === "number") {
    assert(Number.isSafeInteger(v), `${where}: ${v} is not a safe integer`);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => assertTraceValue(x, `${where}[${i}]`));
    return;
  }
  assert(typeof v === "object" && v !== undefined, `${where}: ${typeof v} cannot be traced`);
  const proto = Object.getPrototypeOf(v) as unknown;
  assert(proto === Object.prototype || proto === null, `${where}: only plain objects can be traced`);
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    assert(!/^\d+$/.test(k), `${where}: integer-like key ${k} would reorder in JSON`);
    assertTraceValue(x, `${where}.${k}`);
  }
}

/** FNV-1a over a string's UTF-16 code units: a cheap per-line digest for locating divergence. */
export function lineDigest(line: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < line.length; i++) {
    h ^= line.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const FLUSH_CHARS = 1 << 16;

export interface TraceOptions {
  readonly sink?: TraceSink;
  /** Keep a 32-bit digest of every line (repro files use them to name the first divergent event). */
  readonly lineDigests?: boolean;
  /** Deep-check every event for integer-only JSON. */
  readonly strict?: boolean;
  /**
   * Keep the SHA-256 of the trace (default true). With no hash, no sink, no digests and not strict,
   * no line is ever built: observers still see every event, in the same order with the same
   * indexes. The fuzzer's first run of a seed uses this (its checkers are observers); a seed that
   * fails is run again with the hash, as its repro needs.
   */
  readonly hash?: boolean;
}

/**
 * Writes canonical JSONL and keeps the SHA-256 of its bytes. Lines are batched before hashing and
 * writing, so a 10-million-event run streams to a file in constant memory.
 */
export class TraceWriter {
  private readonly hash: Hash = createHash("sha256");
  private readonly observers: TraceObserver[] = [];
  /** Lines waiting to be hashed (and written), as one string: cheaper than an array and a join. */
  private pending = "";
  private fd: number | null = null;
  private readonly memory: string[] | null;
  private readonly digests: number[] | null;
  private readonly strict: boolean;
  /** Sorted key lists by event type, reused while an event's keys match (see canonicalLine). */
  private readonly keyOrders = new Map<string, readonly string[]>();
  /** The same for the fields nodes trace (without `t` and `node`; see canonicalNodeLine). */
  private readonly nodeKeyOrders = new Map<string, readonly string[]>();
  private count = 0;
  private finished: string | null = null;
  /** No line is needed by anyone (see `TraceOptions.hash`): only events are counted and observed. */
  readonly linesOff: boolean;

  constructor(opts: TraceOptions = {}) {
    const sink = opts.sink ?? { kind: "none" };
    this.memory = sink.kind === "memory" ? [] : null;
    if (sink.kind === "file") this.fd = openSync(sink.path, "w");
    this.digests = opts.lineDigests ? [] : null;
    this.strict = opts.strict ?? false;
    this.linesOff = opts.hash === false && sink.kind === "none" && this.digests === null && !this.strict;
  }

  observe(o: TraceObserver): void {
    this.observers.push(o);
  }

  get events(): number {
    return this.count;
  }

  write(e: TraceEvent): void {
    assert(this.finished === null, "trace written after it was finished");
    if (this.strict) assertTraceValue(e, e.type);
    if (this.linesOff) this.count++;
    else this.append(canonicalLine(e, this.keyOrders));
    this.notify(e);
  }

  /**
   * Writes what a node traced, stamped with the time and the node: the same line as
   * `write({ ...fields, t, node })`, without building that object unless an observer or strict
   * mode needs it.
   */
  writeNode(fields: TraceFields, t: number, node: string): void {
    if (this.linesOff && this.observers.length === 0) {
      assert(this.finished === null, "trace written after it was finished");
      this.count++;
      return;
    }
    if (this.strict || this.observers.length > 0) {
      const e = { ...fields, t, node } as TraceEvent;
      // Strict runs prove the fast path's line is the canonical one.
      if (this.strict) {
        const line = canonicalLine(e);
        assert(canonicalNodeLine(fields, t, node, this.nodeKeyOrders) === line, `node trace line differs from the canonical one: ${line}`);
      }
      this.write(e);
      return;
    }
    assert(this.finished === null, "trace written after it was finished");
    this.append(canonicalNodeLine(fields, t, node, this.nodeKeyOrders));
  }

  /**
   * Writes a line the caller built itself (the kernel's hot path), which must be byte-identical to
   * `canonicalLine` of the same event; `build` makes the event object, and is called only when an
   * observer needs it. Strict mode checks the identity on every line. With lines off the caller
   * passes "" (see `linesOff`).
   */
  writeBuilt(line: string, build: () => TraceEvent): void {
    assert(this.finished === null, "trace written after it was finished");
    if (this.linesOff) {
      this.count++;
      if (this.observers.length > 0) this.notify(build());
      return;
    }
    if (this.strict) {
      const e = build();
      assertTraceValue(e, e.type);
      assert(canonicalLine(e) === line, `hand-built trace line differs from the canonical one: ${line}`);
    }
    this.append(line);
    if (this.observers.length > 0) this.notify(build());
  }

  private notify(e: TraceEvent): void {
    const index = this.count - 1;
    for (const o of this.observers) o(e, index);
  }

  private append(line: string): void {
    this.count++;
    if (this.memory !== null) this.memory.push(line);
    if (this.digests !== null) this.digests.push(lineDigest(line));
    this.pending += `${line}\n`;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const chunk = this.pending;
    this.pending = "";
    this.hash.update(chunk, "utf8");
    if (this.fd !== null) writeSync(this.fd, chunk);
  }

  /** Flushes, closes the file and returns the SHA-256 (hex) of every byte written (null with lines off). Idempotent. */
  finish(): string | null {
    if (this.linesOff) {
      this.finished = "";
      return null;
    }
    if (this.finished !== null) return this.finished;
    this.flush();
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    this.finished = this.hash.digest("hex");
    return this.finished;
  }

  /** The lines kept in memory (sink "memory" only). */
  lines(): readonly string[] {
    assert(this.memory !== null, "trace lines are kept only with the memory sink");
    return this.memory;
  }

  lineDigests(): readonly number[] {
    assert(this.digests !== null, "line digests were not asked for");
    return this.digests;
  }
}

/** SHA-256 of trace lines as `TraceWriter` would hash them. */
export function hashLines(lines: readonly string[]): string {
  const h = createHash("sha256");
  for (const l of lines) h.update(`${l}\n`);
  return h.digest("hex");
}
