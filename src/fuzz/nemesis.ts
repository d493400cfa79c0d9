/**
 * The nemesis: from a seed, the fault settings of one fuzz run and then its explicit fault schedule.
 *
 * As in TigerBeetle's VOPR, the seed first draws the run's settings (how often each fault strikes,
 * as integer ratios, and how long outages last), which the fuzzer prints and the repro carries, and
 * then walks virtual time over [0, faultWindowUs] drawing faults with those odds. The window ends
 * with a heal, a restart of every node and a resume of every pause: a safety phase with faults,
 * then a liveness phase with none. The schedule is a list of `faults:` entries in the YAML form a
 * scenario file uses, so a repro lists it and the loader re-validates it.
 */
import type { z } from "zod";
import { faultEntrySchema, toFault, type Fault } from "../scenario/faults.js";
import { assert } from "../sim/assert.js";
import type { NodeId } from "../sim/node.js";
import { Stream, ratio, type Ratio } from "../sim/random.js";

/** One `faults:` entry as written in a scenario file (times as integer microseconds). */
export type FaultEntryInput = z.input<typeof faultEntrySchema>;

/** The name of the random stream the nemesis draws from: other streams never shift its draws. */
export const NEMESIS_STREAM = "nemesis";

/**
 * Whether a seed runs with BUGGIFY (`ctx.buggify` fault points inside the protocol's code) comes
 * from a stream of its own, so it shifts no draw of the seed's fault settings or schedule. As
 * FoundationDB does, most runs have it and some do not, so the fault points never hide a path
 * the plain protocol takes.
 */
export const BUGGIFY_SWITCH_STREAM = "buggify-switch";
export const BUGGIFY_ON: Ratio = ratio(3, 4);

/** The seed's BUGGIFY switch (see BUGGIFY_SWITCH_STREAM). */
export function drawBuggify(seed: number): boolean {
  return new Stream(seed, BUGGIFY_SWITCH_STREAM).chance(BUGGIFY_ON);
}

export interface NemesisOptions {
  /** The nodes the nemesis crashes, pauses, skews and partitions (the scenario's order). */
  readonly nodes: readonly NodeId[];
  /**
   * Client nodes (role `client`), which the nemesis never crashes or pauses (a client that dies is
   * not a fault of the system under test): partitions place each on one side or leave it reaching
   * everyone.
   */
  readonly clients?: readonly NodeId[];
  /** Faults fall in [0, faultWindowUs]; at faultWindowUs everything heals. */
  readonly faultWindowUs: number;
  /**
   * Also arm lost tails: a crash then loses fsynced records (a disk that lied about fsync). No
   * atomic-commit protocol survives that, so it is off unless asked for; torn writes (only data
   * that was never fsynced) are always in.
   */
  readonly lostTail?: boolean;
}

/** What the seed drew for one run: odds per nemesis step, and the ranges of durations. */
export interface NemesisSettings {
  readonly crash: Ratio;
  readonly partition: Ratio;
  readonly pause: Ratio;
  readonly clock: Ratio;
  readonly slowDisk: Ratio;
  /** The odds that a crash comes with an armed disk fault (a torn write, or with `lostTail` maybe a lost tail). */
  readonly diskFault: Ratio;
  readonly stepUsMin: number;
  readonly stepUsMax: number;
  /** Crashes, partitions and pauses last between 1ms and this long. */
  readonly outageUsMax: number;
  readonly clockSkewUsMax: number;
  readonly slowDiskUsMax: number;
  /** The run's `ctx.buggify` points are live (drawn by `drawBuggify`, not from the nemesis stream). */
  readonly buggify: boolean;
}

export interface NemesisPlan {
  readonly settings: NemesisSettings;
  readonly entries: readonly FaultEntryInput[];
}

const ODDS_DEN = 16;
const MS = 1_000;

/** Draws the settings: each fault kind gets its own odds, some runs none of a kind at all. */
export function drawSettings(r: Stream, buggify: boolean): NemesisSettings {
  const odds = (maxNum: number): Ratio => ratio(r.between(0, maxNum), ODDS_DEN);
  const stepUsMin = r.between(1, 20) * MS;
  const s: NemesisSettings = {
    crash: odds(6),
    partition: odds(12),
    pause: odds(4),
    clock: odds(2),
    slowDisk: odds(2),
    diskFault: ratio(r.between(0, 2), 4),
    stepUsMin,
    stepUsMax: stepUsMin + r.between(5, 100) * MS,
    outageUsMax: r.between(50, 1_500) * MS,
    clockSkewUsMax: r.between(1, 500) * MS,
    slowDiskUsMax: r.between(1, 50) * MS,
    buggify,
  };
  assert(s.stepUsMax > s.stepUsMin && s.stepUsMin > 0, "nemesis steps move time forward");
  return s;
}

const fmt = (r: Ratio): string => `${r.num}/${r.den}`;

/** One line, `key=value` pairs: printed with the seed and written into the repro's description. */
export function formatSettings(s: NemesisSettings): string {
  return [
    `crash=${fmt(s.crash)}`,
    `partition=${fmt(s.partition)}`,
    `pause=${fmt(s.pause)}`,
    `clock=${fmt(s.clock)}`,
    `slow_disk=${fmt(s.slowDisk)}`,
    `disk_fault=${fmt(s.diskFault)}`,
    `step_us=${s.stepUsMin}..${s.stepUsMax}`,
    `outage_us_max=${s.outageUsMax}`,
    `skew_us_max=${s.clockSkewUsMax}`,
    `slow_disk_us_max=${s.slowDiskUsMax}`,
    `buggify=${s.buggify ? "on" : "off"}`,
  ].join(" ");
}

/** Settings, then the schedule, all from the seed's `nemesis` stream (the BUGGIFY switch from its own). */
export function planFaults(seed: number, opts: NemesisOptions): NemesisPlan {
  assert(opts.nodes.length >= 2, "the nemesis needs at least two nodes");
  assert(Number.isSafeInteger(opts.faultWindowUs) && opts.faultWindowUs >= 0, "the fault window is a non-negative integer");
  const r = new Stream(seed, NEMESIS_STREAM);
  const settings = drawSettings(r, drawBuggify(seed));
  return { settings, entries: drawSchedule(r, settings, opts) };
}

/** Per-node state the walk keeps, so that crashes pair with restarts and outages do not overlap. */
interface NodeState {
  downUntilUs: number;
  pausedUntilUs: number;
  slowDisk: boolean;
  skewed: boolean;
}

function drawSchedule(r: Stream, s: NemesisSettings, opts: NemesisOptions): FaultEntryInput[] {
  const window = opts.faultWindowUs;
  const nodes = opts.nodes;
  const state = new Map<NodeId, NodeState>(nodes.map((n) => [n, { downUntilUs: 0, pausedUntilUs: 0, slowDisk: false, skewed: false }]));
  const out: FaultEntryInput[] = [];
  const stateOf = (n: NodeId): NodeState => state.get(n) as NodeState;
  const outage = (): number => r.between(MS, s.outageUsMax);
  let netBusyUntilUs = 0;

  for (let t = r.between(0, s.stepUsMax); t < window; t += r.between(s.stepUsMin, s.stepUsMax)) {
    if (r.chance(s.crash)) {
      const up = nodes.filter((n) => stateOf(n).downUntilUs <= t);
      if (up.length > 0) {
        const node = r.pick(up);
        if (r.chance(s.diskFault)) {
          const kind = opts.lostTail === true && r.chance(ratio(1, 2)) ? "lost-tail" : "torn-write";
          out.push({ at: t, diskFault: { node, kind } });
        }
        out.push({ at: t, crash: node });
        const back = t + outage();
        stateOf(node).downUntilUs = back;
        // A restart past the window is left to the final restart of everything.
        if (back < window) out.push({ at: back, restart: node });
      }
    }
    if (r.chance(s.partition) && netBusyUntilUs <= t) {
      out.push({ at: t, ...drawPartition(r, nodes, opts.clients ?? []) });
      netBusyUntilUs = t + outage();
      if (netBusyUntilUs < window) out.push({ at: netBusyUntilUs, heal: true });
    }
    if (r.chance(s.pause)) {
      const running = nodes.filter((n) => stateOf(n).downUntilUs <= t && stateOf(n).pausedUntilUs <= t);
      if (running.length > 0) {
        const node = r.pick(running);
        const forUs = Math.min(outage(), Math.max(MS, window - t));
        stateOf(node).pausedUntilUs = t + forUs;
        out.push({ at: t, pause: node, for: forUs });
      }
    }
    if (r.chance(s.clock)) {
      const node = r.pick(nodes);
      stateOf(node).skewed = true;
      out.push({ at: t, clock: { node, skew: r.between(-s.clockSkewUsMax, s.clockSkewUsMax) } });
    }
    if (r.chance(s.slowDisk)) {
      const node = r.pick(nodes);
      stateOf(node).slowDisk = true;
      out.push({ at: t, slowDisk: { node, extra: r.between(1, s.slowDiskUsMax) } });
    }
  }

  // The liveness phase: no partition, every node up and running, disks back to speed.
  out.push({ at: window, heal: true });
  for (const node of nodes) out.push({ at: window, restart: node });
  for (const node of nodes) out.push({ at: window, resume: node });
  for (const node of nodes) if (stateOf(node).slowDisk) out.push({ at: window, slowDisk: { node, extra: 0 } });
  // Restarts and heals were pushed when their outage began: order by time, ties in push order.
  const sorted = out.map((e, i) => ({ e, i })).sort((a, b) => atOf(a.e) - atOf(b.e) || a.i - b.i);
  return sorted.map((x) => x.e);
}

/**
 * A partition of one of the four shapes: two halves, one node cut off, one-way, or a bridge. With
 * clients, the two-sided shapes put each client on one side or leave it out (reaching everyone).
 */
function drawPartition(r: Stream, nodes: readonly NodeId[], clients: readonly NodeId[]): FaultEntryInput {
  const order = r.shuffled(nodes);
  const shapes = nodes.length >= 3 ? 4 : 3;
  const withClients = (a: NodeId[], b: NodeId[]): FaultEntryInput => {
    for (const c of clients) {
      const side = r.below(3);
      if (side === 0) a.push(c);
      else if (side === 1) b.push(c);
    }
    return { partition: [a, b] };
  };
  switch (r.below(shapes)) {
    case 0: {
      const cut = r.between(1, order.length - 1);
      return withClients(order.slice(0, cut), order.slice(cut));
    }
    case 1:
      return withClients(order.slice(0, 1), order.slice(1));
    case 2: {
      const cut = r.between(1, order.length - 1);
      return { oneWay: { from: order.slice(0, cut), to: order.slice(cut) } };
    }
    default: {
      // The bridge node sees both sides, which cannot see each other.
      const [node, ...rest] = order as [NodeId, ...NodeId[]];
      const cut = r.between(1, rest.length - 1);
      return { bridge: { left: rest.slice(0, cut), node, right: rest.slice(cut) } };
    }
  }
}

/** The `at:` of an entry the nemesis wrote (always an integer count of microseconds). */
export function atOf(e: FaultEntryInput): number {
  assert(typeof e.at === "number", "nemesis entries carry `at:` as integer microseconds");
  return e.at;
}

/** Validates entries as the scenario loader would, and turns them into faults the world applies. */
export function toFaults(entries: readonly FaultEntryInput[]): Fault[] {
  return entries.map((e) => toFault(faultEntrySchema.parse(e)));
}

/** True when the schedule ends in the liveness phase: healed, everything restarted and resumed. */
export function endsHealed(entries: readonly FaultEntryInput[], nodes: readonly NodeId[]): boolean {
  const last = entries.length === 0 ? -1 : Math.max(...entries.map(atOf));
  const tail = entries.filter((e) => atOf(e) === last);
  return (
    tail.some((e) => e.heal === true) &&
    nodes.every((n) => tail.some((e) => e.restart === n)) &&
    nodes.every((n) => tail.some((e) => e.resume === n)) &&
    entries.every((e) => atOf(e) <= last)
  );
}
