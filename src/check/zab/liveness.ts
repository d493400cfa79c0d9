/**
 * Liveness, TigerBeetle-style: once the faults stop and the network is whole, within a bound the
 * ensemble has exactly one leader in BROADCAST, a quorum of voters follows it in BROADCAST in its
 * epoch, and every client request made before then has completed.
 *
 * Not every running server must have joined: in ZooKeeper 3.8 a server that accepted a newer epoch
 * from a leader that never established it cannot join the leader of an older epoch ("Leaders epoch,
 * 1 is less than accepted epoch, 2") until an election makes a newer one; the ensemble serves
 * without it meanwhile. A second leader still in BROADCAST after the bound is a leader that did not
 * notice it lost its quorum.
 *
 * Judged once, at the end of the run, and only when the run allows it: no partition, link fault or
 * flapping link left down, no server paused, a quorum of voters running, and at least `bound` of
 * quiet time (no server crashed, restarted, paused or resumed, nothing partitioned or healed, no
 * link going down or up) before the last event. A client request (`client-invoke`, `register-invoke`) must be answered by the later of
 * its invocation and the start of the quiet time, plus the bound.
 *
 * The bound is 2 s plus (initLimit + syncLimit) ticks: a learner that tries a leader which is gone
 * may wait initLimit ticks, a leader that lost its quorum notices within syncLimit ticks. The tick
 * is zoo.cfg's tickTime, which the run traces in its `ensemble` event, so the check gives the same
 * answer online and on a trace file; a trace without one has its tick read off the leaders'
 * `zab-tick` timers (they fire every half tick).
 */
import type { NodeId } from "../../sim/node.js";
import type { TraceEvent } from "../../sim/trace.js";
import type { Finding, ZabRule } from "./rule.js";

export interface LivenessOptions {
  /** Is this node a server of the ensemble (the rest are clients)? */
  readonly isServer: (node: NodeId) => boolean;
  /** Servers that are observers (they never count for a quorum). */
  readonly observers: ReadonlySet<NodeId>;
  /** Voters in the ensemble (for "a quorum is running"). */
  readonly voters: number;
  readonly initLimit: number;
  readonly syncLimit: number;
  /** zoo.cfg's tickTime in us; null: read off the leaders' `zab-tick` timers. */
  readonly tickUs: number | null;
}

const SLACK_US = 2_000_000;
const DEFAULT_TICK_US = 2_000_000;

const NODE_DISTURBANCES: readonly string[] = Object.freeze(["crash", "restart", "start", "pause", "resume"]);
const NET_DISTURBANCES: readonly string[] = Object.freeze(["partition", "partition-one-way", "partition-bridge", "heal", "link-faults", "link-down", "link-up"]);

interface Pending {
  readonly t: number;
  readonly what: string;
}

export function livenessRule(opts: LivenessOptions): ZabRule {
  let quietSince = 0;
  let netFaulty = false;
  const linkFaults = new Set<string>();
  /** Directions a flapping link has down now (`link-down` until its `link-up`; a heal lifts them all). */
  const linksDown = new Set<string>();
  const paused = new Set<NodeId>();
  const lastTick = new Map<NodeId, number>();
  let halfTickUs = 0;
  /** Client node -> its request in flight. */
  const pending = new Map<NodeId, Pending>();
  return {
    invariant: "liveness",
    eventTypes: [...NET_DISTURBANCES, ...NODE_DISTURBANCES, "timer", "client-invoke", "client-complete", "register-invoke", "register-complete"],
    onEvent(_m, e: TraceEvent) {
      const node = e["node"];
      if (NET_DISTURBANCES.includes(e.type)) {
        quietSince = e.t;
        if (e.type === "heal") {
          netFaulty = false;
          linksDown.clear();
        } else if (e.type === "link-down") linksDown.add(`${String(e["from"])}>${String(e["to"])}`);
        else if (e.type === "link-up") linksDown.delete(`${String(e["from"])}>${String(e["to"])}`);
        else if (e.type === "link-faults") {
          const key = `${String(e["from"])}>${String(e["to"])}`;
          const loss = e["loss"];
          const lossy = Array.isArray(loss) && loss[0] !== 0;
          if (lossy || e["extraDelayUs"] !== 0) linkFaults.add(key);
          else linkFaults.delete(key);
        } else netFaulty = true;
        return null;
      }
      if (typeof node !== "string") return null;
      if (NODE_DISTURBANCES.includes(e.type) && opts.isServer(node)) {
        quietSince = e.t;
        if (e.type === "pause") paused.add(node);
        else paused.delete(node);
        if (e.type === "crash") lastTick.delete(node);
        return null;
      }
      switch (e.type) {
        case "timer":
          if (e["name"] === "zab-tick") {
            const prev = lastTick.get(node);
            if (prev !== undefined && e.t > prev && (halfTickUs === 0 || e.t - prev < halfTickUs)) halfTickUs = e.t - prev;
            lastTick.set(node, e.t);
          }
          return null;
        case "client-invoke":
          pending.set(node, { t: e.t, what: `${String(e["op"])} ${String(e["path"] ?? "")}`.trim() });
          return null;
        case "register-invoke":
          pending.set(node, { t: e.t, what: `${String(e["f"])} on ${String(e["key"])}` });
          return null;
        case "client-complete":
        case "register-complete":
          pending.delete(node);
          return null;
        default:
          return null;
      }
    },
    finish(m) {
      const end = m.lastT;
      const tickUs = opts.tickUs ?? (halfTickUs > 0 ? halfTickUs * 2 : DEFAULT_TICK_US);
      const bound = SLACK_US + (opts.initLimit + opts.syncLimit) * tickUs;
      if (netFaulty || linkFaults.size > 0 || linksDown.size > 0 || paused.size > 0 || end - quietSince < bound) return [];
      const servers = [...m.servers.values()].filter((s) => opts.isServer(s.id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const up = servers.filter((s) => s.alive);
      const votersUp = up.filter((s) => !opts.observers.has(s.id)).length;
      const out: Finding[] = [];
      const by = Math.floor((quietSince + bound) / 1000);
      if (votersUp * 2 > opts.voters) {
        const leaders = up.filter((s) => s.state === "LEADING" && s.phase === "BROADCAST");
        const leader = leaders.length === 1 ? leaders[0] : undefined;
        if (leader === undefined) {
          const states = up.map((s) => `${s.id} ${s.state ?? "down"}/${s.phase ?? "-"} epoch ${s.epoch}`).join(", ");
          out.push({ nodes: leaders.length > 0 ? leaders.map((s) => s.id) : up.map((s) => s.id), message: `${leaders.length} leaders in BROADCAST ${Math.floor(bound / 1000)} ms after the faults stopped (by ${by} ms): ${states}` });
        } else {
          const synced = up.filter((s) => !opts.observers.has(s.id) && s.phase === "BROADCAST" && s.epoch === leader.epoch && (s === leader || s.state === "FOLLOWING"));
          if (synced.length * 2 <= opts.voters) {
            const lagging = up.filter((s) => !synced.includes(s));
            const states = lagging.map((s) => `${s.id} ${s.state ?? "down"}/${s.phase ?? "-"} epoch ${s.epoch}`).join(", ");
            out.push({ nodes: lagging.map((s) => s.id), message: `leader ${leader.id} (epoch ${leader.epoch}) has no quorum in BROADCAST ${Math.floor(bound / 1000)} ms after the faults stopped: ${states}` });
          }
        }
      }
      const stuck = [...pending.entries()].filter(([, p]) => Math.max(p.t, quietSince) + bound <= end).sort((a, b) => a[1].t - b[1].t);
      if (stuck.length > 0) {
        const list = stuck.slice(0, 5).map(([n, p]) => `${n} ${p.what} (since ${Math.floor(p.t / 1000)} ms)`);
        out.push({ nodes: stuck.map(([n]) => n), message: `requests unanswered ${Math.floor(bound / 1000)} ms after the faults stopped: ${list.join(", ")}${stuck.length > 5 ? ` and ${stuck.length - 5} more` : ""}` });
      }
      return out;
    },
  };
}
