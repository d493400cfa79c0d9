// Runs one fault schedule on an ensemble with writers, in the two phases of STYLE §5: faults while
// clients write, then the network heals, crashed servers restart, paused ones resume, and the
// ensemble must settle under one leader within a bound; then the histories are compared.
import type { NodeId } from "../../../../src/sim/node.js";
import type { TraceEvent } from "../../../../src/sim/trace.js";
import { generatedZooCfg, nodeOfSid, parseQuorumCfg, type QuorumConfig } from "../../../../src/zk/quorum/config.js";
import { Ensemble } from "../../../../src/zk/quorum/ensemble.js";
import { encodeLogRecord } from "../../../../src/zk/server/txn-log.js";
import { hex } from "../../../../src/zk/server/wire.js";
import type { Fault, PartitionShape, Schedule, Target } from "./schedule.js";
import { Writer, type WriteOutcome } from "./writer.js";

/** FLE's constants (zab.md §1: finalizeWait, min/maxNotificationInterval). */
export const FINALIZE_WAIT_MS = 200;
export const MIN_NOTIFICATION_INTERVAL_MS = 200;
export const MAX_NOTIFICATION_INTERVAL_MS = 60_000;

/** The zoo.cfg a schedule runs with: the generated one (tickTime 2000, initLimit 10, syncLimit 5). */
export function scheduleConfig(s: Schedule): QuorumConfig {
  const parsed = parseQuorumCfg(generatedZooCfg(s.servers, s.observers));
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.cfg;
}

/**
 * How long after the heal a leader must be in broadcast with every server synced to it:
 * - broken connections are noticed after `breakDetect`; a role left stale by the faults ends by its
 *   own timers within initLimit ticks (the longest: a leader waiting in discovery or sync; a learner's
 *   read timeout and the leader's synced-quorum check are syncLimit ticks);
 * - a server LOOKING since the faults began polls with an interval that doubled on every empty poll:
 *   after looking for T it is at most T + minInterval (capped at maxInterval), so its next dial comes
 *   within min(faultMs + 1 s + minInterval, maxInterval) (it may also be woken sooner by a peer);
 * - then finalizeWait, and discovery + sync, which may fail once more and cost initLimit ticks again
 *   (a joiner that arrives while the leader still waits for its quorum, ZOOKEEPER-4394's abort).
 */
export function livenessBoundMs(s: Schedule): number {
  const cfg = scheduleConfig(s);
  const initMs = cfg.initLimit * cfg.serving.tickTimeMs;
  const backoff = Math.min(s.faultMs + 1_000 + MIN_NOTIFICATION_INTERVAL_MS, MAX_NOTIFICATION_INTERVAL_MS);
  return s.breakDetectMs + initMs + backoff + FINALIZE_WAIT_MS + initMs + 1_000;
}

export type Applied = { readonly zxid: string; readonly rec: string };

export type RunResult = {
  readonly schedule: Schedule;
  /** Virtual µs of the heal (the end of the fault phase). */
  readonly healUs: number;
  /** Virtual µs from the heal until the ensemble settled; null if it did not within the bound. */
  readonly settleUs: number | null;
  readonly boundUs: number;
  readonly leader: number | null;
  /** Still settled, under the same leader, after the writers finished. */
  readonly stable: boolean;
  readonly writersIdle: boolean;
  /** Each server's database history (all are alive at the end). */
  readonly histories: ReadonlyMap<number, readonly Applied[]>;
  /** Each server's applied zxids since its last zk-db-reset, from the trace. */
  readonly traced: ReadonlyMap<number, readonly string[]>;
  readonly outcomes: readonly (WriteOutcome & { readonly client: string })[];
  /** Faults that fired and what they resolved to; roles that named no server are "skipped". */
  readonly fired: readonly string[];
  /** The protocol's notable events (elections, syncs, shutdowns, faults), for the failure report. */
  readonly story: readonly string[];
  readonly marks: Readonly<Record<string, number>>;
};

const STORY_TYPES = new Set([
  "crash",
  "restart",
  "partition",
  "partition-one-way",
  "partition-bridge",
  "heal",
  "pause",
  "resume",
  "zab-elected",
  "zab-established",
  "zab-active",
  "zab-sync",
  "zab-sync-start",
  "zab-truncate",
  "zab-shutdown",
  "zab-learner-dropped",
  "zab-bad-commit",
  "zk-db-reset",
]);

function storyLine(e: TraceEvent): string {
  const { t, type, node, ...rest } = e as TraceEvent & { node?: string };
  return `${(t / 1000).toFixed(1).padStart(9)}ms ${String(node ?? "-").padEnd(3)} ${type} ${JSON.stringify(rest)}`;
}

export function runSchedule(s: Schedule, opts: { readonly keepStory?: boolean; readonly onTrace?: (e: TraceEvent) => void } = {}): RunResult {
  const e = new Ensemble({ seed: s.seed, servers: s.servers, observers: s.observers, network: { breakDetectUs: s.breakDetectMs * 1000 }, trace: {} });
  const w = e.world;
  const traced = new Map<number, string[]>(e.sids.map((sid) => [sid, []]));
  const story: string[] = [];
  w.observe((ev: TraceEvent) => {
    const node = ev["node"];
    if (ev.type === "zk-apply" || ev.type === "zk-db-reset" || ev.type === "crash") {
      const sid = typeof node === "string" && /^s\d+$/.test(node) ? Number(node.slice(1)) : null;
      if (sid === null) return;
      const seq = traced.get(sid) as string[];
      if (ev.type === "zk-apply") seq.push(ev["zxid"] as string);
      else seq.length = 0;
    }
    if (opts.keepStory === true && STORY_TYPES.has(ev.type)) story.push(storyLine(ev));
    opts.onTrace?.(ev);
  });

  if (!e.settle(30_000)) throw new Error(`seed ${s.seed}: the first election did not settle within 30 s`);
  const t0 = w.now + 500_000;
  const healUs = t0 + s.faultMs * 1000;
  const clients: { id: string; writer: Writer }[] = [];
  for (let i = 1; i <= s.writers; i++) {
    const id = `c${i}`;
    const writer = new Writer(id, { servers: e.sids.map(nodeOfSid), sessionTimeoutMs: 10_000, gapUs: s.writeGapMs * 1000 + 7_000 * i, stopAtUs: healUs + 2_000_000 });
    w.addNode(id, () => writer);
    w.start(id);
    clients.push({ id, writer });
  }

  const fired: string[] = [];
  const down = new Set<number>();
  const resolve = (t: Target): number | null => {
    if (typeof t === "number") return t;
    const live = e.sids.map((sid) => ({ sid, st: e.peer(sid)?.status })).filter((x) => x.st !== undefined);
    if (t === "leader") {
      const leaders = live.filter((x) => x.st?.state === "LEADING").sort((a, b) => (b.st?.epoch ?? 0) - (a.st?.epoch ?? 0));
      return leaders[0]?.sid ?? null;
    }
    return live.find((x) => x.st?.state === "FOLLOWING")?.sid ?? null;
  };
  const later = (atUs: number, fn: () => void): void => {
    if (atUs < healUs) w.at(atUs, fn);
  };
  const others = (side: readonly number[]): number[] => e.sids.filter((sid) => !side.includes(sid));
  const nodes = (sids: readonly number[]): NodeId[] => sids.map(nodeOfSid);

  const partition = (p: PartitionShape): string | null => {
    switch (p.kind) {
      case "split":
        w.partition([nodes(p.side), nodes(others(p.side))]);
        return `split ${JSON.stringify(p.side)}`;
      case "leader": {
        const l = resolve("leader");
        if (l === null) return null;
        const side = [l, ...p.with.filter((x) => x !== l)];
        w.partition([nodes(side), nodes(others(side))]);
        return `leader side ${JSON.stringify(side)}`;
      }
      case "all-alone":
        w.partition(e.sids.map((sid) => [nodeOfSid(sid)]));
        return "all alone";
      case "one-way-out": {
        const x = resolve(p.from);
        if (x === null) return null;
        w.oneWay([nodeOfSid(x)], nodes(others([x])));
        return `one-way out of ${x}`;
      }
      case "one-way-in": {
        const x = resolve(p.to);
        if (x === null) return null;
        w.oneWay(nodes(others([x])), [nodeOfSid(x)]);
        return `one-way into ${x}`;
      }
      case "bridge": {
        const x = resolve(p.via);
        if (x === null) return null;
        const rest = others([x]);
        const half = Math.ceil(rest.length / 2);
        w.bridge(nodes(rest.slice(0, half)), nodeOfSid(x), nodes(rest.slice(half)));
        return `bridge via ${x}`;
      }
    }
  };

  const apply = (f: Fault): void => {
    const at = `+${f.atMs}ms`;
    switch (f.kind) {
      case "crash": {
        const sid = resolve(f.target);
        if (sid === null || !w.isAlive(nodeOfSid(sid))) {
          fired.push(`${at} crash ${String(f.target)}: skipped`);
          return;
        }
        w.crash(nodeOfSid(sid));
        down.add(sid);
        fired.push(`${at} crash ${sid}`);
        if (f.downMs !== null) {
          later(w.now + f.downMs * 1000, () => {
            if (!down.has(sid)) return;
            down.delete(sid);
            w.restart(nodeOfSid(sid));
            fired.push(`+${Math.floor((w.now - t0) / 1000)}ms restart ${sid}`);
          });
        }
        return;
      }
      case "partition": {
        const what = partition(f.shape);
        fired.push(`${at} partition ${what ?? `${JSON.stringify(f.shape)}: skipped`}`);
        if (what !== null && f.forMs !== null) later(w.now + f.forMs * 1000, () => w.heal());
        return;
      }
      case "pause": {
        const sid = resolve(f.target);
        if (sid === null || !w.isAlive(nodeOfSid(sid))) {
          fired.push(`${at} pause ${String(f.target)}: skipped`);
          return;
        }
        w.pause(nodeOfSid(sid), f.forMs * 1000);
        fired.push(`${at} pause ${sid} for ${f.forMs}ms`);
        return;
      }
      case "heal":
        w.heal();
        fired.push(`${at} heal`);
        return;
      case "on-event":
        armed.push(f);
        return;
    }
  };
  // Armed triggers: the first matching event after arming fires the action (after the handler that
  // traced it has finished, as a scenario's `when:` does).
  const armed: Extract<Fault, { kind: "on-event" }>[] = [];
  w.observe((ev: TraceEvent) => {
    if (armed.length === 0) return;
    const node = ev["node"];
    if (typeof node !== "string" || !/^s\d+$/.test(node)) return;
    for (let i = 0; i < armed.length; i++) {
      const f = armed[i] as Extract<Fault, { kind: "on-event" }>;
      if (f.event !== ev.type) continue;
      armed.splice(i--, 1);
      const self = Number(node.slice(1));
      const tag = `+${Math.floor((w.now - t0) / 1000)}ms on ${f.event} at ${node}`;
      later(w.now + f.delayMs * 1000, () => {
        if (f.action === "isolate-self") {
          w.partition([[node], nodes(others([self]))]);
          fired.push(`${tag}: isolate ${self}`);
          if (f.downMs !== null) later(w.now + f.downMs * 1000, () => w.heal());
          return;
        }
        apply({ atMs: Math.floor((w.now - t0) / 1000), kind: "crash", target: f.action === "crash-self" ? self : "leader", downMs: f.downMs });
        fired.push(`${tag}: ${f.action}`);
      });
    }
  });
  for (const f of s.faults) w.at(t0 + f.atMs * 1000, () => apply(f));
  w.at(healUs, () => {
    w.heal();
    for (const sid of e.sids) {
      const node = nodeOfSid(sid);
      if (!w.isAlive(node)) w.restart(node);
      else if (w.isPaused(node)) w.resume(node);
    }
    down.clear();
  });

  // Phase two: the faults are over; one leader must emerge and every server sync to it.
  const boundUs = livenessBoundMs(s) * 1000;
  // A connection the partition broke looks up until its ends notice (breakDetect): a server may look
  // settled on one until then, so the judging starts once every such break has been noticed.
  e.run(healUs + s.breakDetectMs * 1000);
  e.run(healUs + boundUs, () => e.settled());
  const settleUs = e.settled() ? w.now - healUs : null;
  const leader = e.leader();
  // The writers stop two seconds after the heal; their last answers come, commits reach everyone.
  const writersIdle = (): boolean => clients.every((c) => c.writer.idle);
  e.run(Math.max(w.now, healUs + 2_000_000) + 30_000_000, () => w.now >= healUs + 2_000_000 && writersIdle());
  e.run(w.now + 2 * e.cfg.serving.tickTimeMs * 1000);
  const stable = e.settled() && e.leader() === leader;

  const histories = new Map<number, Applied[]>();
  for (const sid of e.sids) {
    const p = e.peer(sid);
    histories.set(sid, p === null ? [] : p.db.history.map((t) => ({ zxid: hex(t.hdr.zxid), rec: JSON.stringify(encodeLogRecord(t.hdr, t.txn)) })));
  }
  return {
    schedule: s,
    healUs,
    settleUs,
    boundUs,
    leader,
    stable,
    writersIdle: writersIdle(),
    histories,
    traced,
    outcomes: clients.flatMap((c) => c.writer.outcomes.map((o) => ({ ...o, client: c.id }))),
    fired,
    story,
    marks: w.marks(),
  };
}
