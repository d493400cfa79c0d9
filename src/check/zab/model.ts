/**
 * What the ZAB checkers know of a run, rebuilt from trace events alone (never from node internals):
 * each server's role and delivered history, the ghost `Committed` sequence of zab.md §4, and the
 * proposals the leaders made. The suite updates it event by event; the rules read it.
 *
 * Decisions (each one keeps real, correct runs of ZooKeeper 3.8 from firing a rule):
 *
 * - A server's history is its `zk-apply` sequence since its last `zk-db-reset` (start, TRUNC, SNAP,
 *   unfinished SNAP) or crash. Replays at start, SNAP installs and TRUNC reloads are applies too.
 * - An apply is *tentative* unless the server serves: ZooKeeper fast-forwards a server's database
 *   with every logged txn, committed or not, when it leaves a role or restarts, and a later TRUNC
 *   may take such a txn back. Only what a server holds when it enters BROADCAST, and what it
 *   applies while in BROADCAST, is *served* (delivered in the Zab sense: clients can read it).
 *   Rules about all applies (integrity, total order, primary order) hold for tentative ones too;
 *   rules about delivery (prefix consistency, primary integrity, agreement) judge served ones.
 * - `Committed` (the ghost of zab.md §4) is the whole history of the leader of the newest epoch at
 *   the moment that epoch became active (`zab-active`: a quorum acked NEWLEADER, so its initial
 *   history is committed), extended by that leader's `zab-commit`s. A leader of an older epoch that
 *   still runs (it has not noticed yet that it lost its quorum) may commit only what the newer
 *   leader already holds, and activates only on a prefix of it.
 */
import type { NodeId } from "../../sim/node.js";

/** One txn of a history: its zxid and what it is (`session|txn type`, as zab-propose and zk-apply write them). */
export interface Entry {
  readonly z: number;
  readonly what: string;
}

export interface LeadState {
  /** The epoch of its proposals, -1 before the first. */
  epoch: number;
  /** Zxids proposed in this leadership, in order. */
  readonly proposed: number[];
  /** Zxids of `proposed` committed so far. */
  readonly committed: Set<number>;
  /** Index in `proposed` of the first one not committed. */
  nextCommit: number;
  active: boolean;
}

export interface ServerState {
  readonly id: NodeId;
  alive: boolean;
  paused: boolean;
  /** LOOKING | FOLLOWING | LEADING | OBSERVING, null while down. */
  state: string | null;
  /** ELECTION | DISCOVERY | SYNCHRONIZATION | BROADCAST, null while down. */
  phase: string | null;
  /** currentEpoch as the last zab-role said. */
  epoch: number;
  /** In BROADCAST: what it applies is served. */
  serving: boolean;
  /** Applies since the last reset or crash. */
  history: Entry[];
  /** Length of the history prefix that was served (while it serves, the whole history). */
  servedLen: number;
  /** Every zxid this server ever served, across resets and crashes. */
  readonly served: Set<number>;
  /** Its current leadership, from zab-role LEADING/DISCOVERY until it ends. */
  lead: LeadState | null;
}

export class ZabModel {
  readonly servers = new Map<NodeId, ServerState>();
  /** The ghost `Committed` sequence. */
  committed: Entry[] = [];
  /** zxid -> position in `committed`. */
  committedAt = new Map<number, number>();
  /** The epoch whose leader's history `committed` is (0 before any leader is active). */
  ghostEpoch = 0;
  ghostLeader: NodeId | null = null;
  /** Session -> zxid of its committed closeSession (when it ended, for good). */
  readonly sessionClosedAt = new Map<string, number>();
  /** zxid -> what it was proposed as (two entries only if two leaders proposed it: a bug). */
  readonly proposals = new Map<number, string[]>();
  /** Every zxid some server served, with what it was. */
  readonly servedAll = new Map<number, Entry>();
  /** Virtual time of the newest event seen. */
  lastT = 0;

  server(id: NodeId): ServerState {
    let s = this.servers.get(id);
    if (s === undefined) {
      s = { id, alive: false, paused: false, state: null, phase: null, epoch: 0, serving: false, history: [], servedLen: 0, served: new Set(), lead: null };
      this.servers.set(id, s);
    }
    return s;
  }

  /** The last committed zxid (0 when nothing is). */
  get lastCommitted(): number {
    return this.committed[this.committed.length - 1]?.z ?? 0;
  }

  /** Replaces `Committed` by a leader's history at activation, keeping the indexes in step. */
  replaceCommitted(history: readonly Entry[], epoch: number, leader: NodeId): void {
    const old = this.committed;
    let same = 0;
    while (same < old.length && same < history.length && sameEntry(old[same] as Entry, history[same] as Entry)) same++;
    if (same < old.length) {
      // Only after a violation: rebuild the indexes from scratch.
      this.committedAt.clear();
      this.sessionClosedAt.clear();
      same = 0;
    }
    this.committed = history.slice();
    for (let i = same; i < history.length; i++) this.noteCommitted(history[i] as Entry, i);
    this.ghostEpoch = epoch;
    this.ghostLeader = leader;
  }

  appendCommitted(e: Entry): void {
    this.committed.push(e);
    this.noteCommitted(e, this.committed.length - 1);
  }

  private noteCommitted(e: Entry, pos: number): void {
    this.committedAt.set(e.z, pos);
    const bar = e.what.indexOf("|");
    if (e.what.slice(bar + 1) === "closeSession") {
      const session = e.what.slice(0, bar);
      if (!this.sessionClosedAt.has(session)) this.sessionClosedAt.set(session, e.z);
    }
  }

  /** The live servers that lead in SYNCHRONIZATION or BROADCAST. */
  leadersOf(epoch: number): ServerState[] {
    const out: ServerState[] = [];
    for (const s of this.servers.values()) {
      if (s.alive && s.state === "LEADING" && (s.phase === "SYNCHRONIZATION" || s.phase === "BROADCAST") && s.epoch === epoch) out.push(s);
    }
    return out;
  }
}

export const sameEntry = (a: Entry, b: Entry): boolean => a.z === b.z && a.what === b.what;

/** The first position where `a` is not a prefix of `b`, or -1 when it is. */
export function prefixMismatch(a: readonly Entry[], b: readonly Entry[]): number {
  for (let i = 0; i < a.length; i++) {
    const y = b[i];
    if (y === undefined || !sameEntry(a[i] as Entry, y)) return i;
  }
  return -1;
}
