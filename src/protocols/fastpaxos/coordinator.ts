/**
 * A Fast Paxos coordinator (Lamport 2006), run like a Multi-Paxos leader. Taking over, it runs
 * phase 1 once for every instance from the first it does not know to be chosen, settles with a
 * classic round whatever the acceptors report, and sends "any" for every other instance: from then
 * on clients propose straight to the acceptors, and a value is chosen when a fast quorum (⌈3n/4⌉)
 * accepts it, one message delay sooner than through a leader.
 *
 * Two clients proposing for one instance at once can split the acceptors so that no value reaches
 * a fast quorum: a collision. The coordinator sees it in the acceptances it collects, or when the
 * fast round times out, and recovers with a classic round: coordinated recovery, when a majority
 * voted in the fast round, proposes the value their votes force (or any of them) in the classic
 * ballot right after the fast one, with no phase 1; otherwise a full classic round for the instance.
 * A client that hears nothing asks a coordinator, which settles the instance the same way.
 */
import { assert, assertNever } from "../../sim/assert.js";
import type { ConnectionChange, DiskDone, Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import { Announcer } from "../paxos/announcer.js";
import { retryDelayUs } from "../paxos/backoff.js";
import { compareBallots, ownerOf, roundOf, sameBallot, type Ballot } from "../paxos/ballot.js";
import { proposerAt, proposerIndex } from "../paxos/cluster.js";
import { tracePaxos } from "../paxos/events.js";
import type { Entry } from "../paxos/messages.js";
import { pickValue, type Pick, type PickRule, type Report } from "../paxos/pick-value.js";
import { fastQuorum, majority } from "../paxos/quorum.js";
import { RoundReservation } from "../paxos/rounds.js";
import { NOOP, commandOf } from "../paxos/value.js";
import type { LogMessage, Vote } from "../multipaxos/messages.js";
import { classicBallot, fastBallot, fastRule } from "./ballots.js";
import type { FastPaxosConfig } from "./config.js";

type Ctx = NodeContext<LogMessage>;

type Role = "follower" | "candidate" | "leader";

/** A classic round for one instance: `reserving` waits for its round, `preparing` is phase 1. */
interface Classic {
  phase: "reserving" | "preparing" | "accepting";
  /** When its PREPARE or ACCEPT last went out: only rounds older than the resend period go again. */
  sentAtUs: number;
  bal: Ballot;
  readonly promises: Map<NodeId, Report | null>;
  val: string | null;
  readonly accepted: Set<NodeId>;
}

interface Instance {
  readonly inst: number;
  /** Acceptances in this leadership's fast round, by acceptor. */
  readonly votes: Map<NodeId, string>;
  /** Every value proposed for the instance that the coordinator has seen: each gets a reply. */
  readonly interested: Set<string>;
  /** A client's value from a request (what a free classic round proposes). */
  wanted: string | null;
  classic: Classic | null;
  /** The classic ballot right after the fast one has been used for this instance. */
  coordinatedUsed: boolean;
}

const T_BOOT = "boot";
const T_PHASE = "phase";
const T_RETRY = "retry";
const T_RESEND = "resend";
const T_FAST = "fast/";
const T_CLASSIC = "classic/";
const T_AGAIN = "again/";

export class FastPaxosCoordinator implements Node<LogMessage, TraceValue> {
  private role: Role = "follower";
  /** This leadership's fast ballot (and, while campaigning, the ballot of phase 1). */
  private fast: Ballot = [0, 0, 0];
  private roundSeen = 0;
  private readonly me: number;
  private readonly n: number;
  private readonly quorum: number;
  private readonly fastQ: number;
  private readonly rule: PickRule;
  private readonly rounds: RoundReservation;
  private readonly announcer: Announcer;
  private readonly promises = new Map<NodeId, readonly Vote[]>();
  private campaignFrom = 1;
  private readonly insts = new Map<number, Instance>();
  private readonly chosen = new Map<number, string>();
  /** Requests waiting for the campaign to end. */
  private queue: { readonly cmd: number; readonly val: string }[] = [];
  /** The "any" of this leadership (resent to an acceptor that reconnects). */
  private anyMsg: LogMessage | null = null;
  private knownLeader: { readonly id: NodeId; readonly atUs: number } | null = null;

  constructor(
    private readonly id: NodeId,
    private readonly cfg: FastPaxosConfig,
  ) {
    this.me = proposerIndex(cfg.cluster, id);
    this.n = cfg.cluster.acceptors.length;
    this.quorum = majority(this.n);
    this.fastQ = fastQuorum(this.n);
    this.rule = fastRule(this.n);
    this.rounds = new RoundReservation(cfg.roundBlock);
    this.announcer = new Announcer(cfg.cluster.learners, cfg.resendUs);
  }

  onStart(ctx: Ctx, how: StartKind): void {
    if (how === "recovered") return this.rounds.recover(ctx);
    if (this.id === this.cfg.preferredLeader) ctx.setTimer(T_BOOT, this.cfg.bootUs);
  }

  onMessage(ctx: Ctx, from: NodeId, msg: LogMessage): void {
    switch (msg.type) {
      case "REQUEST":
        return this.onRequest(ctx, from, msg.cmd, msg.val, msg.attempt);
      case "PROMISE":
        this.roundSeen = Math.max(this.roundSeen, roundOf(msg.high));
        return msg.to === 0 ? this.onCampaignPromise(ctx, from, msg.bal, msg.acc) : this.onClassicPromise(ctx, from, msg.bal, msg.from, msg.acc);
      case "ACCEPTED":
        return this.onAccepted(ctx, from, msg.bal, msg.entries);
      case "NACK":
        return this.onNack(ctx, msg.bal, msg.promised, msg.insts);
      case "LEARNED":
        return this.announcer.onLearned(from, msg.insts);
      case "PREPARE":
      case "ACCEPT":
      case "ANY":
      case "PROPOSE":
      case "REPLY":
      case "CHOSEN":
        return assert(false, `coordinator ${this.id} got ${msg.type} from ${from}`);
      default:
        return assertNever(msg, "Fast Paxos message");
    }
  }

  onTimer(ctx: Ctx, name: string): void {
    switch (name) {
      case T_BOOT:
        if (this.role === "follower") this.campaign(ctx);
        return;
      case T_PHASE:
        if (this.role !== "candidate") return;
        tracePaxos(ctx, { type: "phase-timeout", inst: this.campaignFrom, bal: this.fast });
        return this.retryLater(ctx, T_RETRY);
      case T_RETRY:
        if (this.role === "candidate") this.campaign(ctx);
        return;
      case T_RESEND:
        this.resend(ctx);
        return this.armResend(ctx);
      default:
        break;
    }
    const inst = Number(name.slice(name.indexOf("/") + 1));
    const s = this.insts.get(inst);
    if (s === undefined || this.chosen.has(inst) || this.role !== "leader") return;
    if (name.startsWith(T_FAST)) {
      if (s.classic !== null) return;
      ctx.mark("fastpaxos: fast round timed out");
      tracePaxos(ctx, { type: "phase-timeout", inst, bal: this.fast });
      // An acceptor that never voted may have missed "any": it gets it again.
      if (this.anyMsg !== null) for (const a of this.cfg.cluster.acceptors) if (!s.votes.has(a)) ctx.send(a, this.anyMsg);
      return this.recover(ctx, s);
    }
    if (name.startsWith(T_CLASSIC)) {
      if (s.classic === null || s.classic.phase === "reserving") return;
      tracePaxos(ctx, { type: "phase-timeout", inst, bal: s.classic.bal });
      s.classic.phase = "reserving";
      return this.retryLater(ctx, `${T_AGAIN}${inst}`);
    }
    assert(name.startsWith(T_AGAIN), `unknown Fast Paxos coordinator timer ${name}`);
    if (s.classic !== null && s.classic.phase === "reserving") this.fullClassic(ctx, s);
  }

  onDiskDone(_ctx: Ctx, done: DiskDone): void {
    assert(this.rounds.onDiskDone(done), `${this.id}: unexpected disk completion ${done.file} ${done.tag}`);
  }

  /** An acceptor or learner came back: it may have missed phase 1, "any", proposals or announcements. */
  onConnection(ctx: Ctx, change: ConnectionChange): void {
    if (!change.up) return;
    if (this.cfg.cluster.learners.includes(change.peer)) return this.announcer.resend(ctx, change.peer);
    if (!this.cfg.cluster.acceptors.includes(change.peer)) return;
    if (this.role === "candidate" && !this.promises.has(change.peer)) {
      ctx.send(change.peer, { type: "PREPARE", bal: this.fast, from: this.campaignFrom, to: 0 });
    }
    if (this.role === "leader") {
      if (this.anyMsg !== null) ctx.send(change.peer, this.anyMsg);
      this.resend(ctx, change.peer);
    }
  }

  // ------------------------------------------------------------ leadership

  private onRequest(ctx: Ctx, from: NodeId, cmd: number, val: string, attempt: number): void {
    const inst = cmd;
    const c = this.chosen.get(inst);
    if (c !== undefined) return this.replyTo(ctx, val, inst, c);
    switch (this.role) {
      case "leader": {
        const s = this.instance(inst);
        s.interested.add(val);
        s.wanted ??= val;
        if (s.classic === null) this.recover(ctx, s);
        return;
      }
      case "candidate":
        this.queue.push({ cmd, val });
        return;
      case "follower": {
        const forwarded = this.cfg.cluster.proposers.includes(from);
        const leader = this.knownLeader;
        if (leader !== null && leader.id !== this.id && ctx.now() - leader.atUs < this.cfg.leaderLeaseUs) {
          if (!forwarded) ctx.send(leader.id, { type: "REQUEST", cmd, val, attempt });
          return;
        }
        if (forwarded) return;
        this.queue.push({ cmd, val });
        return this.campaign(ctx);
      }
      default:
        return assertNever(this.role, "role");
    }
  }

  private campaign(ctx: Ctx): void {
    this.role = "candidate";
    ctx.cancelTimer(T_RETRY);
    this.rounds.next(ctx, this.roundSeen, (round) => {
      if (this.role !== "candidate") return;
      this.fast = fastBallot(round, this.me);
      this.promises.clear();
      this.campaignFrom = this.firstUnknown();
      tracePaxos(ctx, { type: "campaign", bal: this.fast, from: this.campaignFrom });
      ctx.setTimer(T_PHASE, this.cfg.phaseTimeoutUs);
      for (const a of this.cfg.cluster.acceptors) ctx.send(a, { type: "PREPARE", bal: this.fast, from: this.campaignFrom, to: 0 });
    });
  }

  private retryLater(ctx: Ctx, timer: string): void {
    const delay = retryDelayUs(this.cfg.backoff, ctx.random);
    ctx.setTimer(timer, delay);
  }

  private onCampaignPromise(ctx: Ctx, from: NodeId, bal: Ballot, acc: readonly Vote[]): void {
    if (this.role !== "candidate" || !sameBallot(bal, this.fast)) return;
    this.promises.set(from, acc);
    if (this.promises.size >= this.quorum) this.takeOver(ctx);
  }

  /**
   * A majority promised the fast ballot. Every instance they report something for is settled by a
   * classic round in the ballot right after it (their promise covers it: nothing lies between);
   * every other instance from `campaignFrom` on is open to the clients: "any".
   */
  private takeOver(ctx: Ctx): void {
    ctx.cancelTimer(T_PHASE);
    this.role = "leader";
    this.knownLeader = { id: this.id, atUs: ctx.now() };
    this.insts.clear();
    const reported = new Set<number>();
    for (const votes of this.promises.values()) for (const [inst] of votes) reported.add(inst);
    const classic = classicBallot(roundOf(this.fast), this.me);
    const entries: Entry[] = [];
    const except: number[] = [];
    for (const inst of [...reported].sort((a, b) => a - b)) {
      except.push(inst);
      if (this.chosen.has(inst)) continue;
      const reports = [...this.promises.values()].map((votes) => {
        const v = votes.find(([i]) => i === inst);
        return v === undefined ? null : { bal: v[1], val: v[2] };
      });
      const pick = pickValue(reports, this.rule);
      const val = pick.kind === "forced" ? pick.val : (pick.hint ?? NOOP);
      const s = this.instance(inst);
      s.coordinatedUsed = true;
      s.interested.add(val);
      for (const r of reports) if (r !== null) s.interested.add(r.val);
      s.classic = { phase: "accepting", sentAtUs: ctx.now(), bal: classic, promises: new Map(), val, accepted: new Set() };
      entries.push([inst, val]);
      ctx.setTimer(`${T_CLASSIC}${inst}`, this.cfg.phaseTimeoutUs);
    }
    for (const inst of this.chosen.keys()) if (inst >= this.campaignFrom && !except.includes(inst)) except.push(inst);
    except.sort((a, b) => a - b);
    this.anyMsg = { type: "ANY", bal: this.fast, from: this.campaignFrom, except };
    tracePaxos(ctx, { type: "leader", bal: this.fast, from: this.campaignFrom, reproposed: entries.length, noops: 0 });
    for (const [inst, val] of entries) tracePaxos(ctx, { type: "propose", inst, bal: classic, val });
    this.armResend(ctx);
    for (const a of this.cfg.cluster.acceptors) {
      if (entries.length > 0) ctx.send(a, { type: "ACCEPT", bal: classic, entries });
      ctx.send(a, this.anyMsg);
    }
    const queued = this.queue;
    this.queue = [];
    for (const q of queued) this.onRequest(ctx, this.id, q.cmd, q.val, 0);
  }

  // ------------------------------------------------------------ instances

  private onAccepted(ctx: Ctx, from: NodeId, bal: Ballot, entries: readonly Entry[]): void {
    if (this.role !== "leader") return;
    if (sameBallot(bal, this.fast)) {
      for (const [inst, val] of entries) this.fastVote(ctx, from, inst, val);
      return;
    }
    for (const [inst] of entries) {
      const s = this.insts.get(inst);
      const c = s?.classic;
      if (s === undefined || c == null || c.phase !== "accepting" || !sameBallot(c.bal, bal) || this.chosen.has(inst)) continue;
      c.accepted.add(from);
      if (c.accepted.size >= this.quorum) this.choose(ctx, s, c.bal, c.val as string);
    }
  }

  /** A fast-round acceptance: chosen at a fast quorum; a collision once no value can get there. */
  private fastVote(ctx: Ctx, from: NodeId, inst: number, val: string): void {
    if (this.chosen.has(inst)) return;
    const s = this.instance(inst);
    s.votes.set(from, val);
    s.interested.add(val);
    if (s.classic !== null) return;
    const counts = new Map<string, number>();
    for (const v of s.votes.values()) counts.set(v, (counts.get(v) ?? 0) + 1);
    const best = Math.max(...counts.values());
    if ((counts.get(val) ?? 0) >= this.fastQ) return this.choose(ctx, s, this.fast, val);
    if (best + (this.n - s.votes.size) < this.fastQ) {
      ctx.mark("fastpaxos: collision");
      const votes = [...s.votes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      tracePaxos(ctx, { type: "collision", inst, bal: this.fast, votes });
      return this.recover(ctx, s);
    }
    if (s.votes.size === 1) ctx.setTimer(`${T_FAST}${inst}`, this.cfg.fastTimeoutUs);
  }

  /** Settles an instance the fast round did not: coordinated recovery if it can, else a full classic round. */
  private recover(ctx: Ctx, s: Instance): void {
    ctx.cancelTimer(`${T_FAST}${s.inst}`);
    if (!s.coordinatedUsed && s.votes.size >= this.quorum) {
      s.coordinatedUsed = true;
      const reports: Report[] = [...s.votes.values()].map((val) => ({ bal: this.fast, val }));
      const val = this.decide(pickValue(reports, this.rule), s);
      const bal = classicBallot(roundOf(this.fast), this.me);
      s.classic = { phase: "accepting", sentAtUs: ctx.now(), bal, promises: new Map(), val, accepted: new Set() };
      ctx.mark("fastpaxos: coordinated recovery");
      tracePaxos(ctx, { type: "recover", inst: s.inst, bal, val, coordinated: true });
      ctx.setTimer(`${T_CLASSIC}${s.inst}`, this.cfg.phaseTimeoutUs);
      this.armResend(ctx);
      for (const a of this.cfg.cluster.acceptors) ctx.send(a, { type: "ACCEPT", bal, entries: [[s.inst, val]] });
      return;
    }
    s.classic = { phase: "reserving", sentAtUs: ctx.now(), bal: [0, 0, 0], promises: new Map(), val: null, accepted: new Set() };
    this.fullClassic(ctx, s);
  }

  /** Phase 1 and 2 of a classic round for this instance alone, in a fresh ballot. */
  private fullClassic(ctx: Ctx, s: Instance): void {
    const c = s.classic as Classic;
    this.rounds.next(ctx, Math.max(this.roundSeen, roundOf(this.fast)), (round) => {
      if (s.classic !== c || c.phase !== "reserving" || this.role !== "leader") return;
      c.phase = "preparing";
      c.sentAtUs = ctx.now();
      c.bal = classicBallot(round, this.me);
      c.promises.clear();
      c.accepted.clear();
      c.val = null;
      tracePaxos(ctx, { type: "prepare", inst: s.inst, bal: c.bal });
      ctx.setTimer(`${T_CLASSIC}${s.inst}`, this.cfg.phaseTimeoutUs);
      this.armResend(ctx);
      for (const a of this.cfg.cluster.acceptors) ctx.send(a, { type: "PREPARE", bal: c.bal, from: s.inst, to: s.inst });
    });
  }

  private onClassicPromise(ctx: Ctx, from: NodeId, bal: Ballot, inst: number, acc: readonly Vote[]): void {
    const s = this.insts.get(inst);
    const c = s?.classic;
    if (s === undefined || c == null || c.phase !== "preparing" || !sameBallot(c.bal, bal) || this.role !== "leader") return;
    const v = acc.find(([i]) => i === inst);
    c.promises.set(from, v === undefined ? null : { bal: v[1], val: v[2] });
    if (c.promises.size < this.quorum) return;
    for (const r of c.promises.values()) if (r !== null) s.interested.add(r.val);
    const val = this.decide(pickValue([...c.promises.values()], this.rule), s);
    c.phase = "accepting";
    c.sentAtUs = ctx.now();
    c.val = val;
    tracePaxos(ctx, { type: "recover", inst, bal, val, coordinated: false });
    ctx.setTimer(`${T_CLASSIC}${inst}`, this.cfg.phaseTimeoutUs);
    for (const a of this.cfg.cluster.acceptors) ctx.send(a, { type: "ACCEPT", bal, entries: [[inst, val]] });
  }

  /** The value a classic round proposes: forced by the votes, else the most-voted, a client's, or a no-op. */
  private decide(pick: Pick, s: Instance): string {
    if (pick.kind === "forced") return pick.val;
    return pick.hint ?? s.wanted ?? [...s.votes.values()][0] ?? NOOP;
  }

  private choose(ctx: Ctx, s: Instance, bal: Ballot, val: string): void {
    this.chosen.set(s.inst, val);
    s.classic = null;
    ctx.cancelTimer(`${T_FAST}${s.inst}`);
    ctx.cancelTimer(`${T_CLASSIC}${s.inst}`);
    ctx.cancelTimer(`${T_AGAIN}${s.inst}`);
    tracePaxos(ctx, { type: "chosen", inst: s.inst, bal, val });
    this.announcer.announce(ctx, [[s.inst, val]]);
    this.armResend(ctx);
    for (const v of [...new Set([...s.interested, val])].sort()) this.replyTo(ctx, v, s.inst, val);
  }

  private onNack(ctx: Ctx, bal: Ballot, promised: Ballot, insts: readonly number[]): void {
    this.roundSeen = Math.max(this.roundSeen, roundOf(promised));
    if (this.role === "follower" || ownerOf(promised) === this.me || compareBallots(promised, bal) <= 0) return;
    const mine =
      sameBallot(bal, this.fast) ||
      insts.some((i) => {
        const c = this.insts.get(i)?.classic;
        return c != null && sameBallot(c.bal, bal);
      });
    if (!mine) return;
    // Another coordinator has taken over (or is taking over): it settles what this one had not.
    tracePaxos(ctx, { type: "step-down", bal: this.fast, by: promised });
    this.role = "follower";
    const leader = proposerAt(this.cfg.cluster, ownerOf(promised));
    this.knownLeader = { id: leader, atUs: ctx.now() };
    // Clients waiting on instances this leadership had not settled: their requests go to the new coordinator now.
    const pending = [...this.insts.values()]
      .filter((s) => s.wanted !== null && !this.chosen.has(s.inst))
      .sort((a, b) => a.inst - b.inst)
      .map((s) => ({ cmd: s.inst, val: s.wanted as string }));
    pending.push(...this.queue);
    this.insts.clear();
    this.queue = [];
    for (const q of pending) ctx.send(leader, { type: "REQUEST", cmd: q.cmd, val: q.val, attempt: 0 });
    this.anyMsg = null;
    ctx.cancelTimer(T_PHASE);
    ctx.cancelTimer(T_RETRY);
  }

  // ------------------------------------------------------------ resends and replies

  private resend(ctx: Ctx, only?: NodeId): void {
    if (this.role === "leader") {
      const now = ctx.now();
      const due = [...this.insts.values()]
        .filter((s) => s.classic !== null && !this.chosen.has(s.inst) && (only !== undefined || now - s.classic.sentAtUs >= this.cfg.resendUs))
        .sort((x, y) => x.inst - y.inst);
      for (const a of this.cfg.cluster.acceptors) {
        if ((only !== undefined && a !== only) || !ctx.isConnected(a)) continue;
        for (const s of due) {
          const c = s.classic;
          if (c === null) continue;
          if (c.phase === "preparing" && !c.promises.has(a)) ctx.send(a, { type: "PREPARE", bal: c.bal, from: s.inst, to: s.inst });
          if (c.phase === "accepting" && !c.accepted.has(a)) ctx.send(a, { type: "ACCEPT", bal: c.bal, entries: [[s.inst, c.val as string]] });
        }
      }
      if (only === undefined) for (const s of due) if (s.classic !== null) s.classic.sentAtUs = now;
    }
    if (only === undefined) this.announcer.resend(ctx);
  }

  private armResend(ctx: Ctx): void {
    const classic = this.role === "leader" && [...this.insts.values()].some((s) => s.classic !== null && s.classic.phase !== "reserving");
    if ((classic || this.announcer.pending) && !ctx.hasTimer(T_RESEND)) ctx.setTimer(T_RESEND, this.cfg.resendUs);
  }

  /** Tells the client behind `proposed` what was chosen for the instance. */
  private replyTo(ctx: Ctx, proposed: string, inst: number, val: string): void {
    const c = commandOf(proposed);
    if (c !== null) ctx.send(c.client, { type: "REPLY", cmd: c.cmd, inst, val });
  }

  private instance(inst: number): Instance {
    let s = this.insts.get(inst);
    if (s === undefined) {
      s = { inst, votes: new Map(), interested: new Set(), wanted: null, classic: null, coordinatedUsed: false };
      this.insts.set(inst, s);
    }
    return s;
  }

  private firstUnknown(): number {
    let i = 1;
    while (this.chosen.has(i)) i++;
    return i;
  }
}
