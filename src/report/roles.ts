/**
 * Who each ZooKeeper server thought it was, over virtual time: bands of `zab-role` state and phase
 * with the server's current epoch (in discovery, the epoch it accepted and works toward), the spans it was down (`crash` to its next `start`/`restart`),
 * and each leader's term from `zab-active` (serving with a quorum) to the end of that role.
 */
import type { TraceEvent } from "../sim/trace.js";

export interface RoleBand {
  readonly node: string;
  readonly from: number;
  /** Null: still in this role when the trace ended. */
  readonly to: number | null;
  readonly state: string;
  readonly phase: string;
  readonly epoch: number;
}

export interface DownSpan {
  readonly node: string;
  readonly from: number;
  readonly to: number | null;
}

export interface LeaderTerm {
  readonly node: string;
  readonly epoch: number;
  /** When it began serving (`zab-active`). */
  readonly from: number;
  readonly to: number | null;
}

export interface Roles {
  /** Servers in the order they first traced a role. */
  readonly servers: readonly string[];
  readonly bands: readonly RoleBand[];
  readonly downs: readonly DownSpan[];
  readonly leaders: readonly LeaderTerm[];
  /** Bands left out past `ROLE_BANDS_MAX` (a run that never settles); the spans are still counted. */
  readonly bandsOmitted: number;
}

/** Enough for thousands of elections; past it, later bands are only counted. */
export const ROLE_BANDS_MAX = 20_000;

type Open = { from: number; state: string; phase: string; epoch: number };

export class RolesBuilder {
  private readonly servers: string[] = [];
  private readonly known = new Set<string>();
  private readonly bands: RoleBand[] = [];
  private readonly downs: DownSpan[] = [];
  private readonly leaders: LeaderTerm[] = [];
  private readonly open = new Map<string, Open>();
  private readonly down = new Map<string, number>();
  private readonly term = new Map<string, { epoch: number; from: number }>();
  private omitted = 0;

  onEvent(e: TraceEvent): void {
    const node = e["node"];
    if (typeof node !== "string") return;
    switch (e.type) {
      case "zab-role": {
        this.note(node);
        this.closeBand(node, e.t);
        const state = String(e["state"]);
        const phase = String(e["phase"]);
        if (state !== "LEADING" || phase !== "BROADCAST") this.closeTerm(node, e.t);
        this.open.set(node, { from: e.t, state, phase, epoch: typeof e["epoch"] === "number" ? e["epoch"] : 0 });
        return;
      }
      // A leader or learner in discovery works toward the epoch it accepted: the band is labelled with it.
      case "zab-epoch": {
        const o = this.open.get(node);
        if (o !== undefined && e["which"] === "accepted" && o.state !== "LOOKING" && typeof e["epoch"] === "number") o.epoch = e["epoch"];
        return;
      }
      case "zab-active":
        this.note(node);
        this.closeTerm(node, e.t);
        this.term.set(node, { epoch: typeof e["epoch"] === "number" ? e["epoch"] : 0, from: e.t });
        return;
      case "crash":
        if (!this.known.has(node)) return;
        this.closeBand(node, e.t);
        this.closeTerm(node, e.t);
        if (!this.down.has(node)) this.down.set(node, e.t);
        return;
      case "start":
      case "restart": {
        const from = this.down.get(node);
        if (from === undefined) return;
        this.down.delete(node);
        this.downs.push({ node, from, to: e.t });
        return;
      }
      default:
        return;
    }
  }

  finish(): Roles {
    const bands = [...this.bands];
    for (const [node, o] of this.open) bands.push({ node, from: o.from, to: null, state: o.state, phase: o.phase, epoch: o.epoch });
    const downs = [...this.downs, ...[...this.down].map(([node, from]) => ({ node, from, to: null }))];
    const leaders = [...this.leaders, ...[...this.term].map(([node, t]) => ({ node, epoch: t.epoch, from: t.from, to: null }))];
    const order = (a: { from: number; node: string }, b: { from: number; node: string }): number => a.from - b.from || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
    return { servers: [...this.servers], bands: bands.sort(order), downs: downs.sort(order), leaders: leaders.sort(order), bandsOmitted: this.omitted };
  }

  private note(node: string): void {
    if (this.known.has(node)) return;
    this.known.add(node);
    this.servers.push(node);
  }

  private closeBand(node: string, t: number): void {
    const o = this.open.get(node);
    if (o === undefined) return;
    this.open.delete(node);
    if (this.bands.length >= ROLE_BANDS_MAX) {
      this.omitted++;
      return;
    }
    this.bands.push({ node, from: o.from, to: t, state: o.state, phase: o.phase, epoch: o.epoch });
  }

  private closeTerm(node: string, t: number): void {
    const o = this.term.get(node);
    if (o === undefined) return;
    this.term.delete(node);
    this.leaders.push({ node, epoch: o.epoch, from: o.from, to: t });
  }
}
