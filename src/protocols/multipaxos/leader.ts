/**
 * A Multi-Paxos proposer. One of them leads: it ran phase 1 once for every slot from the first it
 * does not know to be chosen, and from then on each command costs only phase 2 (ACCEPT to the
 * acceptors, ACCEPTED back) in the next free slot. Taking over, a new leader re-proposes, in one
 * batch, the highest-ballot value a majority reports for each slot up to the highest reported, and
 * fills the slots nobody reported with no-ops: it can neither leave a hole in the log nor choose a
 * command there that a client may be retrying elsewhere.
 *
 * Leadership changes hands only when a client turns to another proposer (its leader did not
 * answer in time): a follower that has heard of a live leader recently forwards the request, one
 * that has not campaigns with a higher ballot. A leader that meets a higher ballot steps down; what
 * it had not got chosen is the next leader's to re-propose or fill.
 */
import { assert, assertNever } from "../../sim/assert.js";
import type { ConnectionChange, DiskDone, Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import { Announcer } from "../paxos/announcer.js";
import { retryDelayUs } from "../paxos/backoff.js";
import { ballot, compareBallots, ownerOf, roundOf, sameBallot, type Ballot } from "../paxos/ballot.js";
import { proposerAt, proposerIndex } from "../paxos/cluster.js";
import { tracePaxos } from "../paxos/events.js";
import type { Entry } from "../paxos/messages.js";
import { CLASSIC, pickValue, type Report } from "../paxos/pick-value.js";
import { majority } from "../paxos/quorum.js";
import { RoundReservation } from "../paxos/rounds.js";
import { NOOP, commandOf } from "../paxos/value.js";
import type { MultiPaxosConfig } from "./config.js";
import type { LogMessage, Vote } from "./messages.js";

type Ctx = NodeContext<LogMessage>;

type Role = "follower" | "candidate" | "leader";

interface Slot {
  readonly val: string;
  readonly accepted: Set<NodeId>;
  /** When its ACCEPT last went out: only proposals older than the resend period go again. */
  sentAtUs: number;
}

const T_BOOT = "boot";
const T_PHASE = "phase";
const T_RETRY = "retry";
const T_RESEND = "resend";

export class MultiPaxosLeader implements Node<LogMessage, TraceValue> {
  private role: Role = "follower";
  private bal: Ballot = [0, 0];
  private roundSeen = 0;
  private readonly me: number;
  private readonly quorum: number;
  private readonly rounds: RoundReservation;
  private readonly announcer: Announcer;
  /** Phase 1 replies of the current candidacy. */
  private readonly promises = new Map<NodeId, readonly Vote[]>();
  private campaignFrom = 1;
  /** This leadership's proposals not yet chosen. */
  private readonly slots = new Map<number, Slot>();
  /** Every value this proposer has seen chosen, by slot (kept across leaderships while it lives). */
  private readonly chosen = new Map<number, string>();
  /** The slot each command's value went to, while proposed or chosen (a retried command is not proposed twice). */
  private readonly slotOf = new Map<string, number>();
  private nextSlot = 1;
  /** Requests waiting for the campaign to end. */
  private queue: string[] = [];
  private knownLeader: { readonly id: NodeId; readonly atUs: number } | null = null;

  constructor(
    private readonly id: NodeId,
    private readonly cfg: MultiPaxosConfig,
  ) {
    this.me = proposerIndex(cfg.cluster, id);
    this.quorum = majority(cfg.cluster.acceptors.length);
    this.rounds = new RoundReservation(cfg.roundBlock);
    this.announcer = new Announcer(cfg.cluster.learners, cfg.resendUs);
  }

  onStart(ctx: Ctx, how: StartKind): void {
    if (how === "recovered") return this.rounds.recover(ctx);
    // Messages sent from onStart go nowhere (no connection is up yet): the first campaign waits a moment.
    if (this.id === this.cfg.preferredLeader) ctx.setTimer(T_BOOT, this.cfg.bootUs);
  }

  onMessage(ctx: Ctx, from: NodeId, msg: LogMessage): void {
    switch (msg.type) {
      case "REQUEST":
        return this.onRequest(ctx, from, msg.val, msg.attempt);
      case "PROMISE":
        return this.onPromise(ctx, from, msg.bal, msg.acc, msg.high);
      case "ACCEPTED":
        return this.onAccepted(ctx, from, msg.bal, msg.entries);
      case "NACK":
        return this.onNack(ctx, msg.bal, msg.promised);
      case "LEARNED":
        return this.announcer.onLearned(from, msg.insts);
      case "PREPARE":
      case "ACCEPT":
      case "ANY":
      case "PROPOSE":
      case "REPLY":
      case "CHOSEN":
        return assert(false, `proposer ${this.id} got ${msg.type} from ${from}`);
      default:
        return assertNever(msg, "Multi-Paxos message");
    }
  }

  onTimer(ctx: Ctx, name: string): void {
    switch (name) {
      case T_BOOT:
        if (this.role === "follower") this.campaign(ctx);
        return;
      case T_PHASE:
        if (this.role !== "candidate") return;
        tracePaxos(ctx, { type: "phase-timeout", inst: this.campaignFrom, bal: this.bal });
        return this.retryCampaign(ctx);
      case T_RETRY:
        if (this.role === "candidate") this.campaign(ctx);
        return;
      case T_RESEND:
        this.resend(ctx);
        return this.armResend(ctx);
      default:
        return assert(false, `unknown Multi-Paxos proposer timer ${name}`);
    }
  }

  onDiskDone(_ctx: Ctx, done: DiskDone): void {
    assert(this.rounds.onDiskDone(done), `${this.id}: unexpected disk completion ${done.file} ${done.tag}`);
  }

  /** An acceptor or learner came back: it may have missed phase 1, proposals or announcements. */
  onConnection(ctx: Ctx, change: ConnectionChange): void {
    if (!change.up) return;
    if (this.cfg.cluster.learners.includes(change.peer)) return this.announcer.resend(ctx, change.peer);
    if (!this.cfg.cluster.acceptors.includes(change.peer)) return;
    if (this.role === "candidate" && !this.promises.has(change.peer)) {
      ctx.send(change.peer, { type: "PREPARE", bal: this.bal, from: this.campaignFrom, to: 0 });
    }
    if (this.role === "leader") this.resend(ctx, change.peer);
  }

  private onRequest(ctx: Ctx, from: NodeId, val: string, attempt: number): void {
    const slot = this.slotOf.get(val);
    if (slot !== undefined) {
      // Already proposed: wait for it; already chosen: answer again (the first answer may be lost).
      const c = this.chosen.get(slot);
      if (c !== undefined) this.reply(ctx, slot, c);
      return;
    }
    switch (this.role) {
      case "leader":
        return this.propose(ctx, val);
      case "candidate":
        this.queue.push(val);
        return;
      case "follower": {
        const forwarded = this.cfg.cluster.proposers.includes(from);
        const leader = this.knownLeader;
        if (leader !== null && leader.id !== this.id && ctx.now() - leader.atUs < this.cfg.leaderLeaseUs) {
          // A forwarded request is never forwarded again: the client's retry sorts it out.
          if (!forwarded) ctx.send(leader.id, { type: "REQUEST", cmd: commandOf(val)?.cmd ?? 0, val, attempt });
          return;
        }
        if (forwarded) return;
        this.queue.push(val);
        return this.campaign(ctx);
      }
      default:
        return assertNever(this.role, "role");
    }
  }

  /** Phase 1 for every slot from the first this proposer does not know to be chosen. */
  private campaign(ctx: Ctx): void {
    this.role = "candidate";
    ctx.cancelTimer(T_RETRY);
    this.rounds.next(ctx, this.roundSeen, (round) => {
      if (this.role !== "candidate") return;
      this.bal = ballot(round, this.me);
      this.promises.clear();
      this.campaignFrom = this.firstUnknown();
      tracePaxos(ctx, { type: "campaign", bal: this.bal, from: this.campaignFrom });
      ctx.setTimer(T_PHASE, this.cfg.phaseTimeoutUs);
      for (const a of this.cfg.cluster.acceptors) ctx.send(a, { type: "PREPARE", bal: this.bal, from: this.campaignFrom, to: 0 });
    });
  }

  private retryCampaign(ctx: Ctx): void {
    ctx.cancelTimer(T_PHASE);
    const delay = retryDelayUs(this.cfg.backoff, ctx.random);
    if (delay === 0) return this.campaign(ctx);
    ctx.setTimer(T_RETRY, delay);
  }

  private onPromise(ctx: Ctx, from: NodeId, bal: Ballot, acc: readonly Vote[], high: Ballot): void {
    this.roundSeen = Math.max(this.roundSeen, roundOf(high));
    if (this.role !== "candidate" || !sameBallot(bal, this.bal)) return;
    this.promises.set(from, acc);
    if (this.promises.size >= this.quorum) this.takeOver(ctx);
  }

  /** A majority promised: re-propose what they accepted, fill the holes with no-ops, then serve. */
  private takeOver(ctx: Ctx): void {
    ctx.cancelTimer(T_PHASE);
    this.role = "leader";
    this.knownLeader = { id: this.id, atUs: ctx.now() };
    const bySlot = new Map<number, (Report | null)[]>();
    let top = this.campaignFrom - 1;
    for (const votes of this.promises.values()) for (const [inst] of votes) top = Math.max(top, inst);
    for (const inst of this.chosen.keys()) top = Math.max(top, inst);
    for (let inst = this.campaignFrom; inst <= top; inst++) {
      bySlot.set(
        inst,
        [...this.promises.values()].map((votes) => {
          const v = votes.find(([i]) => i === inst);
          return v === undefined ? null : { bal: v[1], val: v[2] };
        }),
      );
    }
    const entries: Entry[] = [];
    let noops = 0;
    for (const [inst, reports] of [...bySlot.entries()].sort(([a], [b]) => a - b)) {
      if (this.chosen.has(inst)) continue;
      const pick = pickValue(reports, CLASSIC(this.cfg.cluster.acceptors.length));
      const val = pick.kind === "forced" ? pick.val : NOOP;
      if (val === NOOP) noops++;
      entries.push([inst, val]);
    }
    this.nextSlot = Math.max(top + 1, this.firstUnknown());
    tracePaxos(ctx, { type: "leader", bal: this.bal, from: this.campaignFrom, reproposed: entries.length - noops, noops });
    if (noops > 0) ctx.mark("multipaxos: new leader fills a gap with a no-op");
    for (const [inst, val] of entries) {
      this.slots.set(inst, { val, accepted: new Set(), sentAtUs: ctx.now() });
      if (val !== NOOP) this.slotOf.set(val, inst);
      tracePaxos(ctx, { type: "propose", inst, bal: this.bal, val });
    }
    this.armResend(ctx);
    if (entries.length > 0) for (const a of this.cfg.cluster.acceptors) ctx.send(a, { type: "ACCEPT", bal: this.bal, entries });
    const queued = this.queue;
    this.queue = [];
    for (const val of queued) if (!this.slotOf.has(val)) this.propose(ctx, val);
  }

  /** Phase 2 only: the command goes to the next free slot. */
  private propose(ctx: Ctx, val: string): void {
    const inst = this.nextSlot++;
    this.slots.set(inst, { val, accepted: new Set(), sentAtUs: ctx.now() });
    this.slotOf.set(val, inst);
    tracePaxos(ctx, { type: "propose", inst, bal: this.bal, val });
    this.armResend(ctx);
    for (const a of this.cfg.cluster.acceptors) ctx.send(a, { type: "ACCEPT", bal: this.bal, entries: [[inst, val]] });
  }

  private onAccepted(ctx: Ctx, from: NodeId, bal: Ballot, entries: readonly Entry[]): void {
    if (this.role !== "leader" || !sameBallot(bal, this.bal)) return;
    const fresh: Entry[] = [];
    for (const [inst] of entries) {
      const s = this.slots.get(inst);
      if (s === undefined) continue;
      s.accepted.add(from);
      if (s.accepted.size < this.quorum) continue;
      this.slots.delete(inst);
      this.chosen.set(inst, s.val);
      tracePaxos(ctx, { type: "chosen", inst, bal, val: s.val });
      fresh.push([inst, s.val]);
    }
    if (fresh.length === 0) return;
    this.announcer.announce(ctx, fresh);
    this.armResend(ctx);
    for (const [inst, val] of fresh) this.reply(ctx, inst, val);
  }

  private onNack(ctx: Ctx, bal: Ballot, promised: Ballot): void {
    this.roundSeen = Math.max(this.roundSeen, roundOf(promised));
    if (this.role === "follower" || !sameBallot(bal, this.bal) || compareBallots(promised, this.bal) <= 0) return;
    tracePaxos(ctx, { type: "step-down", bal: this.bal, by: promised });
    this.role = "follower";
    const owner = ownerOf(promised);
    const leader = owner === this.me ? null : proposerAt(this.cfg.cluster, owner);
    if (leader !== null) this.knownLeader = { id: leader, atUs: ctx.now() };
    // What this leadership had not got chosen is the next leader's to re-propose or fill; the
    // commands behind it go to that leader now rather than wait for their clients to time out.
    const pending: string[] = [];
    for (const [inst, s] of [...this.slots.entries()].sort(([a], [b]) => a - b)) {
      if (s.val === NOOP || this.slotOf.get(s.val) !== inst) continue;
      this.slotOf.delete(s.val);
      pending.push(s.val);
    }
    pending.push(...this.queue);
    this.slots.clear();
    this.queue = [];
    if (leader !== null) for (const val of pending) ctx.send(leader, { type: "REQUEST", cmd: commandOf(val)?.cmd ?? 0, val, attempt: 0 });
    ctx.cancelTimer(T_PHASE);
    ctx.cancelTimer(T_RETRY);
  }

  /** Resends unaccepted proposals (to `only`, or to every reachable acceptor) and unconfirmed announcements. */
  private resend(ctx: Ctx, only?: NodeId): void {
    if (this.role === "leader" && this.slots.size > 0) {
      const now = ctx.now();
      const due = [...this.slots.entries()].filter(([, s]) => only !== undefined || now - s.sentAtUs >= this.cfg.resendUs).sort(([x], [y]) => x - y);
      for (const a of this.cfg.cluster.acceptors) {
        if ((only !== undefined && a !== only) || !ctx.isConnected(a)) continue;
        const entries: Entry[] = due.filter(([, s]) => !s.accepted.has(a)).map(([inst, s]) => [inst, s.val] as const);
        if (entries.length > 0) ctx.send(a, { type: "ACCEPT", bal: this.bal, entries });
      }
      if (only === undefined) for (const [, s] of due) s.sentAtUs = now;
    }
    if (only === undefined) this.announcer.resend(ctx);
  }

  /** The resend timer runs while something is unconfirmed: proposals not chosen, announcements not confirmed. */
  private armResend(ctx: Ctx): void {
    const outstanding = (this.role === "leader" && this.slots.size > 0) || this.announcer.pending;
    if (outstanding && !ctx.hasTimer(T_RESEND)) ctx.setTimer(T_RESEND, this.cfg.resendUs);
  }

  private reply(ctx: Ctx, inst: number, val: string): void {
    const c = commandOf(val);
    if (c !== null) ctx.send(c.client, { type: "REPLY", cmd: c.cmd, inst, val });
  }

  private firstUnknown(): number {
    let i = 1;
    while (this.chosen.has(i)) i++;
    return i;
  }
}
