/**
 * What the space-time diagram needs from a trace, collected one event at a time so a report can
 * watch a run as it happens: lanes, the drawable events (messages, faults, protocol events) and the
 * intervals to shade. Past `REPORT_MAX_MESSAGES` messages it keeps only a window: the first
 * `REPORT_PREFIX_MESSAGES` messages, `REPORT_VIOLATION_CONTEXT` drawn events around each
 * violation and `REPORT_FAULT_CONTEXT` around the first faults, so memory stays bounded on a
 * ten-million-event run.
 */
import type { TraceEvent } from "../sim/trace.js";
import { REPORT_FAULT_CONTEXT, REPORT_FAULT_WINDOWS, REPORT_MAX_MESSAGES, REPORT_PREFIX_MESSAGES, REPORT_VIOLATION_CONTEXT } from "./files.js";

/** A drawn event: its trace index, its rank among drawable events (a jump marks omitted ones). */
export interface Row {
  readonly index: number;
  readonly seq: number;
  readonly e: TraceEvent;
}

/** A shaded span, in trace indexes; `to` null means still open when the trace ended. */
export interface Interval {
  readonly kind: "crash" | "pause" | "partition";
  readonly node: string | null;
  readonly label: string;
  readonly from: number;
  readonly to: number | null;
}

export interface Timeline {
  readonly nodes: readonly string[];
  readonly rows: readonly Row[];
  readonly intervals: readonly Interval[];
  /** Every send in the run, drawn or not. */
  readonly messages: number;
  readonly drawable: number;
  readonly windowed: boolean;
  readonly nemesis: string | null;
  readonly lastIndex: number;
}

/** Kernel events with a node that the diagram leaves out: they would bury the protocol's story. */
const QUIET: readonly string[] = ["start", "timer", "durable", "conn-up", "conn-down", "clock", "scenario", "nemesis", "end"];
/** Kernel events drawn as lane labels or bands rather than protocol dots. */
export const FAULTS: readonly string[] = ["crash", "restart", "pause", "resume", "disk-loss", "disk-fault", "disk-slow"];
const GLOBAL: readonly string[] = ["partition", "partition-one-way", "partition-bridge", "heal", "link-faults", "violation"];
/** Faults whose surroundings a windowed diagram keeps: what the system did about them is the story. */
const LANDMARKS: readonly string[] = ["crash", "restart", "pause", "resume", "partition", "partition-one-way", "partition-bridge", "heal", "disk-loss"];

/** How many drawn events on each side of a row a windowed diagram keeps, if any. */
function contextOf(e: TraceEvent): number {
  if (e.type === "violation") return REPORT_VIOLATION_CONTEXT;
  return LANDMARKS.includes(e.type) ? REPORT_FAULT_CONTEXT : 0;
}

export function isDrawable(e: TraceEvent): boolean {
  if (e.type === "send" || e.type === "recv" || e.type === "drop") return true;
  if (GLOBAL.includes(e.type)) return true;
  if (QUIET.includes(e.type)) return false;
  return typeof e["node"] === "string" || FAULTS.includes(e.type);
}

const sides = (v: unknown): string =>
  Array.isArray(v) ? v.map((s) => (Array.isArray(s) ? `{${s.join(",")}}` : String(s))).join(" | ") : String(v);

export function partitionLabel(e: TraceEvent): string {
  switch (e.type) {
    case "partition":
      return `partition ${sides(e["sides"])}`;
    case "partition-one-way":
      return `one-way ${sides([e["from"]])} -> ${sides([e["to"]])}`;
    case "partition-bridge":
      return `bridge ${sides([e["left"]])} <${String(e["bridge"])}> ${sides([e["right"]])}`;
    default:
      return e.type;
  }
}

export class TimelineBuilder {
  private readonly nodes: string[] = [];
  private readonly nodeSet = new Set<string>();
  private kept: Row[] = [];
  /** After windowing starts: the most recent drawable events, from `ringStart` on. */
  private ring: Row[] = [];
  private ringStart = 0;
  private keepAfter = 0;
  private windowed = false;
  private landmarks = 0;
  private sends = 0;
  private seq = 0;
  private lastIndex = -1;
  private nemesis: string | null = null;
  private readonly intervals: Interval[] = [];
  private readonly open = new Map<string, { kind: Interval["kind"]; node: string | null; label: string; from: number }>();

  /** Feed every trace event in order (as `runScenario`'s observer or from a trace file). */
  readonly onEvent = (e: TraceEvent, index: number): void => {
    this.lastIndex = index;
    this.noteNodes(e);
    this.noteIntervals(e, index);
    if (e.type === "nemesis") this.nemesis = typeof e["settings"] === "string" ? e["settings"] : JSON.stringify(e["settings"]);
    if (!isDrawable(e)) return;
    const row: Row = { index, seq: this.seq++, e };
    if (e.type === "send") this.sends++;
    if (!this.windowed) {
      this.kept.push(row);
      if (this.sends > REPORT_MAX_MESSAGES) this.startWindowing();
      return;
    }
    const context = this.contextFor(e);
    if (context > 0) {
      this.kept.push(...this.ring.slice(Math.max(this.ringStart, this.ring.length - context)), row);
      this.ring = [];
      this.ringStart = 0;
      this.keepAfter = Math.max(this.keepAfter, context);
      return;
    }
    if (this.keepAfter > 0) {
      this.keepAfter--;
      this.kept.push(row);
      return;
    }
    this.ring.push(row);
    if (this.ring.length - this.ringStart > REPORT_VIOLATION_CONTEXT) this.ringStart++;
    if (this.ringStart > 4 * REPORT_VIOLATION_CONTEXT) {
      this.ring = this.ring.slice(this.ringStart);
      this.ringStart = 0;
    }
  };

  finish(): Timeline {
    const intervals = [...this.intervals, ...[...this.open.values()].map((o) => ({ ...o, to: null }))];
    intervals.sort((a, b) => a.from - b.from || a.label.localeCompare(b.label));
    return {
      nodes: [...this.nodes],
      rows: [...this.kept],
      intervals,
      messages: this.sends,
      drawable: this.seq,
      windowed: this.windowed,
      nemesis: this.nemesis,
      lastIndex: this.lastIndex,
    };
  }

  private startWindowing(): void {
    this.windowed = true;
    const all = this.kept;
    const keep = new Array<boolean>(all.length).fill(false);
    let sends = 0;
    for (let i = 0; i < all.length; i++) {
      const row = all[i] as Row;
      if (row.e.type === "send") sends++;
      if (sends > REPORT_PREFIX_MESSAGES) break;
      keep[i] = true;
    }
    for (let i = 0; i < all.length; i++) {
      const context = this.contextFor((all[i] as Row).e);
      for (let j = Math.max(0, i - context); context > 0 && j <= Math.min(all.length - 1, i + context); j++) keep[j] = true;
    }
    const tailFrom = Math.max(0, all.length - REPORT_VIOLATION_CONTEXT);
    this.kept = all.filter((_, i) => keep[i]);
    this.ring = all.slice(tailFrom).filter((_, i) => !keep[tailFrom + i]);
    this.ringStart = 0;
  }

  /** The context to keep around an event once windowing, counting the fault windows spent. */
  private contextFor(e: TraceEvent): number {
    const c = contextOf(e);
    if (c === 0 || e.type === "violation") return c;
    if (this.landmarks >= REPORT_FAULT_WINDOWS) return 0;
    this.landmarks++;
    return c;
  }

  private noteNodes(e: TraceEvent): void {
    if (e.type === "scenario" && Array.isArray(e["nodes"])) for (const n of e["nodes"]) this.addNode(String(n));
    for (const k of ["node", "from", "to"]) {
      const v = e[k];
      if (typeof v === "string" && (k === "node" || e.type === "send" || e.type === "recv" || e.type === "drop")) this.addNode(v);
    }
  }

  private addNode(n: string): void {
    if (this.nodeSet.has(n)) return;
    this.nodeSet.add(n);
    this.nodes.push(n);
  }

  private noteIntervals(e: TraceEvent, index: number): void {
    const node = typeof e["node"] === "string" ? e["node"] : null;
    switch (e.type) {
      case "crash":
        this.openSpan(`crash:${node}`, { kind: "crash", node, label: `${node} down`, from: index });
        return;
      case "restart":
      case "start":
        this.closeSpan(`crash:${node}`, index);
        return;
      case "pause":
        this.openSpan(`pause:${node}`, { kind: "pause", node, label: `${node} paused`, from: index });
        return;
      case "resume":
        this.closeSpan(`pause:${node}`, index);
        return;
      case "partition":
      case "partition-one-way":
      case "partition-bridge":
        this.openSpan(`partition:${index}`, { kind: "partition", node: null, label: partitionLabel(e), from: index });
        return;
      case "heal":
        for (const key of [...this.open.keys()].filter((k) => k.startsWith("partition:"))) this.closeSpan(key, index);
        return;
      default:
        return;
    }
  }

  private openSpan(key: string, span: { kind: Interval["kind"]; node: string | null; label: string; from: number }): void {
    if (this.open.has(key)) return;
    this.open.set(key, span);
  }

  private closeSpan(key: string, index: number): void {
    const o = this.open.get(key);
    if (o === undefined) return;
    this.open.delete(key);
    this.intervals.push({ ...o, to: index });
  }
}

/** A timeline from a whole trace at once (tests, and reports made from trace files). */
export function timelineOf(events: Iterable<TraceEvent>): Timeline {
  const b = new TimelineBuilder();
  let i = 0;
  for (const e of events) b.onEvent(e, i++);
  return b.finish();
}
