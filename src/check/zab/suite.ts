/**
 * The ZooKeeper checkers as one pass over the trace: the suite updates the model (model.ts) event
 * by event and tells each enabled rule the facts it judges, at the moment they happen; rules that
 * read other facts (the client-visible ones of check/client, epochs on disk, liveness) get the raw
 * events they ask for, and read the model too. It is fed by one Checker (index.ts), online or
 * from a trace file, so the model is built once however many invariants judge.
 *
 * A rule that fires keeps running (the model moves on as if nothing were wrong), but each
 * invariant reports at most `MAX_REPORTS` violations per run: after the first, the rest are
 * mostly echoes of it.
 */
import type { Violation } from "../checker.js";
import type { NodeId } from "../../sim/node.js";
import type { TraceEvent } from "../../sim/trace.js";
import { ZabModel, type Entry, type ServerState } from "./model.js";
import type { Found, ZabRule } from "./rule.js";
import { epochOf, parseZxid } from "./zxid.js";

export const MAX_REPORTS = 10;

export class ZabSuite {
  readonly model = new ZabModel();
  private at = -1;
  /** The last event that is a fact of the run (not the runner's `violation` or `end`). */
  private lastFact = -1;
  private current: TraceEvent | null = null;
  private readonly queue: Violation[] = [];
  private readonly reports = new Map<string, number>();

  /** Rules by the event types their `onEvent` wants. */
  private readonly byType = new Map<string, ZabRule[]>();

  constructor(
    private readonly rules: readonly ZabRule[],
    private readonly isServer: (node: NodeId) => boolean,
  ) {
    for (const r of rules) {
      if (r.onEvent === undefined) continue;
      for (const type of r.eventTypes ?? []) {
        const list = this.byType.get(type);
        if (list === undefined) this.byType.set(type, [r]);
        else list.push(r);
      }
    }
  }

  /** Takes event `index` into the model (once, however many checkers pass it on). */
  advance(e: TraceEvent, index: number): void {
    if (index <= this.at) return;
    this.at = index;
    this.current = e;
    this.step(e);
  }

  /** A violation found so far and not yet handed out. */
  take(): Violation | null {
    return this.queue.shift() ?? null;
  }

  /** End-of-run findings are placed at the last fact of the run, so online and offline agree. */
  finish(lastIndex: number): Violation[] {
    const t = this.model.lastT;
    const at = this.lastFact >= 0 ? this.lastFact : lastIndex;
    for (const r of this.rules) {
      for (const f of r.finish?.(this.model) ?? []) this.push(r.invariant, f.nodes, f.message, f.at?.index ?? at, f.at?.t ?? t);
    }
    return this.queue.splice(0);
  }

  /** Records a violation of the current event. */
  private report(invariant: string, nodes: readonly NodeId[], message: string): void {
    this.push(invariant, nodes, message, this.at, this.current?.t ?? 0);
  }

  private push(invariant: string, nodes: readonly NodeId[], message: string, index: number, t: number): void {
    const n = (this.reports.get(invariant) ?? 0) + 1;
    this.reports.set(invariant, n);
    if (n > MAX_REPORTS) return;
    this.queue.push({ invariant, eventIndex: index, t, nodes, message: n === MAX_REPORTS ? `${message} (further ${invariant} violations not reported)` : message });
  }

  private each(call: (r: ZabRule) => Found): void {
    for (const r of this.rules) {
      const f = call(r);
      if (f !== null) this.report(r.invariant, f.nodes, f.message);
    }
  }

  private step(e: TraceEvent): void {
    // What the runner adds (violations found, the end of the run) is not a fact of the run: online
    // the checkers finish before `end` is written, so offline they must not see it either.
    if (e.type === "violation" || e.type === "end") return;
    this.lastFact = this.at;
    const m = this.model;
    m.lastT = e.t;
    const wanting = this.byType.get(e.type);
    if (wanting !== undefined) {
      for (const r of wanting) {
        const f = r.onEvent?.(m, e, this.at) ?? null;
        if (f !== null) this.report(r.invariant, f.nodes, f.message);
      }
    }
    if (!isModelEvent(e.type)) return;
    const node = e["node"];
    if (typeof node !== "string" || !this.isServer(node)) return;
    const s = m.server(node);
    switch (e.type) {
      case "start":
      case "restart":
        Object.assign(s, { alive: true, paused: false, state: null, phase: null, serving: false, history: [], lead: null });
        return;
      case "crash":
        Object.assign(s, { alive: false, paused: false, state: null, phase: null, serving: false, history: [], lead: null });
        return;
      case "pause":
        s.paused = true;
        return;
      case "resume":
        s.paused = false;
        return;
      case "zk-db-reset":
        s.history = [];
        return;
      case "zab-role":
        return this.onRole(s, e);
      case "zab-shutdown":
        s.serving = false;
        s.lead = null;
        return;
      case "zab-established": {
        const epoch = e["epoch"];
        if (typeof epoch === "number") this.each((r) => r.onEstablished?.(m, s, epoch) ?? null);
        return;
      }
      case "zab-active": {
        const epoch = e["epoch"];
        if (typeof epoch !== "number") return;
        this.each((r) => r.onActive?.(m, s, epoch) ?? null);
        if (epoch >= m.ghostEpoch) m.replaceCommitted(s.history, epoch, s.id);
        if (s.lead !== null) {
          s.lead.active = true;
          s.lead.epoch = epoch;
        }
        return;
      }
      case "zab-propose": {
        const entry = entryOf(e);
        const epoch = e["epoch"];
        if (entry === null || typeof epoch !== "number") return;
        this.each((r) => r.onPropose?.(m, s, epoch, entry) ?? null);
        const known = m.proposals.get(entry.z);
        if (known === undefined) m.proposals.set(entry.z, [entry.what]);
        else if (!known.includes(entry.what)) known.push(entry.what);
        if (s.lead !== null) {
          s.lead.proposed.push(entry.z);
          s.lead.epoch = epoch;
        }
        return;
      }
      case "zab-commit":
        return this.onCommit(s, e);
      case "zk-apply": {
        const entry = entryOf(e);
        if (entry === null) return;
        this.each((r) => r.onApply?.(m, s, entry) ?? null);
        const pos = s.history.length;
        s.history.push(entry);
        if (s.serving) this.served(s, entry, pos);
        return;
      }
      default:
        return;
    }
  }

  private onRole(s: ServerState, e: TraceEvent): void {
    const m = this.model;
    const state = e["state"];
    const phase = e["phase"];
    const epoch = e["epoch"];
    if (typeof state !== "string" || typeof phase !== "string" || typeof epoch !== "number") return;
    const wasServing = s.serving;
    s.state = state;
    s.phase = phase;
    s.epoch = epoch;
    s.serving = phase === "BROADCAST";
    if (state !== "LEADING") s.lead = null;
    else if (phase === "DISCOVERY") s.lead = { epoch: -1, proposed: [], committed: new Set(), nextCommit: 0, active: false };
    if (state === "LEADING" && (phase === "SYNCHRONIZATION" || phase === "BROADCAST")) this.each((r) => r.onLeading?.(m, s) ?? null);
    if (s.serving && !wasServing) {
      this.each((r) => r.onBroadcast?.(m, s) ?? null);
      s.history.forEach((entry, pos) => this.served(s, entry, pos));
    }
  }

  private onCommit(s: ServerState, e: TraceEvent): void {
    const m = this.model;
    const z = parseZxid(e["zxid"]);
    if (z === null) return;
    this.each((r) => r.onCommit?.(m, s, z) ?? null);
    const lead = s.lead;
    if (lead !== null) {
      lead.committed.add(z);
      while (lead.nextCommit < lead.proposed.length && lead.committed.has(lead.proposed[lead.nextCommit] as number)) lead.nextCommit++;
    }
    if (epochOf(z) === m.ghostEpoch && z > m.lastCommitted) {
      m.appendCommitted({ z, what: m.proposals.get(z)?.[0] ?? "?" });
    }
  }

  private served(s: ServerState, entry: Entry, pos: number): void {
    const m = this.model;
    s.served.add(entry.z);
    if (!m.servedAll.has(entry.z)) m.servedAll.set(entry.z, entry);
    this.each((r) => r.onServed?.(m, s, entry, pos) ?? null);
  }
}

/** The server events the model takes (most of a trace is messages and timers, which it does not). */
function isModelEvent(type: string): boolean {
  switch (type) {
    case "start":
    case "restart":
    case "crash":
    case "pause":
    case "resume":
    case "zk-db-reset":
    case "zab-role":
    case "zab-shutdown":
    case "zab-established":
    case "zab-active":
    case "zab-propose":
    case "zab-commit":
    case "zk-apply":
      return true;
    default:
      return false;
  }
}

/** The txn a zab-propose or zk-apply event names. */
function entryOf(e: TraceEvent): Entry | null {
  const z = parseZxid(e["zxid"]);
  const session = e["session"];
  const txn = e["txn"];
  if (z === null || typeof session !== "string" || typeof txn !== "string") return null;
  return { z, what: `${session}|${txn}` };
}
