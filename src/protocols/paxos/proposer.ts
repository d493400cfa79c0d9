/**
 * A basic-Paxos proposer, one single-decree instance per command (instance = the client's command
 * number). Phase 1: PREPARE with a ballot above any it has seen; on promises from a majority it
 * proposes the value of the highest-ballot proposal they report, or its client's value if they
 * report none. Phase 2: ACCEPT; on acceptances from a majority the value is chosen, and the
 * proposer tells the learners and every client waiting on the instance.
 *
 * A NACK (an acceptor promised a higher ballot) or a phase that finds no quorum in time sends the
 * proposer back to phase 1 with a higher ballot: at once without backoff, after a random wait with
 * it. Two proposers retrying at once can preempt each other forever; the backoff is the cure.
 */
import { assert, assertNever } from "../../sim/assert.js";
import type { ConnectionChange, DiskDone, Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import { Announcer } from "./announcer.js";
import { retryDelayUs } from "./backoff.js";
import { NO_BALLOT, ballot, compareBallots, roundOf, sameBallot, type Ballot } from "./ballot.js";
import { proposerIndex } from "./cluster.js";
import type { PaxosConfig } from "./config.js";
import { tracePaxos } from "./events.js";
import type { PaxosMessage } from "./messages.js";
import { majority } from "./quorum.js";
import { RoundReservation } from "./rounds.js";

type Ctx = NodeContext<PaxosMessage>;

/** `reserving`: waiting for a round (reservation on disk, or backoff); then phase 1, phase 2, done. */
type Phase = "reserving" | "preparing" | "accepting" | "chosen";

interface Instance {
  readonly inst: number;
  phase: Phase;
  bal: Ballot;
  /** The value a client asked for: proposed when phase 1 finds nothing accepted. */
  readonly own: string;
  /** Clients waiting for the outcome. */
  readonly clients: Set<NodeId>;
  readonly promises: Map<NodeId, { readonly vbal: Ballot; readonly val: string | null }>;
  readonly accepted: Set<NodeId>;
  proposal: string | null;
  chosen: string | null;
}

const T_PHASE = "phase/";
const T_RETRY = "retry/";
const T_ANNOUNCE = "announce";

export class PaxosProposer implements Node<PaxosMessage, TraceValue> {
  private readonly insts = new Map<number, Instance>();
  private readonly me: number;
  private readonly quorum: number;
  private readonly rounds: RoundReservation;
  private readonly announcer: Announcer;
  /** The highest round seen in any ballot, from any proposer. */
  private roundSeen = 0;

  constructor(
    private readonly id: NodeId,
    private readonly cfg: PaxosConfig,
  ) {
    this.me = proposerIndex(cfg.cluster, id);
    this.quorum = majority(cfg.cluster.acceptors.length);
    this.rounds = new RoundReservation(cfg.roundBlock);
    this.announcer = new Announcer(cfg.cluster.learners, cfg.resendUs);
  }

  onStart(ctx: Ctx, how: StartKind): void {
    if (how === "recovered") this.rounds.recover(ctx);
  }

  onMessage(ctx: Ctx, from: NodeId, msg: PaxosMessage): void {
    switch (msg.type) {
      case "REQUEST":
        return this.onRequest(ctx, from, msg.cmd, msg.val);
      case "PROMISE":
        return this.onPromise(ctx, from, msg.inst, msg.bal, msg.vbal, msg.val);
      case "ACCEPTED":
        return this.onAccepted(ctx, from, msg.inst, msg.bal);
      case "NACK":
        return this.onNack(ctx, msg.inst, msg.bal, msg.promised);
      case "LEARNED":
        return this.announcer.onLearned(from, msg.insts);
      case "PREPARE":
      case "ACCEPT":
      case "REPLY":
      case "PROPOSE":
      case "CHOSEN":
        return assert(false, `proposer ${this.id} got ${msg.type} from ${from}`);
      default:
        return assertNever(msg, "Paxos message");
    }
  }

  onTimer(ctx: Ctx, name: string): void {
    if (name === T_ANNOUNCE) {
      if (!this.announcer.pending) return;
      ctx.setTimer(T_ANNOUNCE, this.cfg.resendUs);
      return this.announcer.resend(ctx);
    }
    const inst = Number(name.slice(name.indexOf("/") + 1));
    const s = this.insts.get(inst);
    assert(s !== undefined, `timer ${name} for an unknown instance`);
    if (name.startsWith(T_PHASE)) {
      if (s.phase !== "preparing" && s.phase !== "accepting") return;
      tracePaxos(ctx, { type: "phase-timeout", inst, bal: s.bal });
      return this.retry(ctx, s);
    }
    assert(name.startsWith(T_RETRY), `unknown proposer timer ${name}`);
    if (s.phase === "reserving") this.startPhase1(ctx, s);
  }

  onDiskDone(_ctx: Ctx, done: DiskDone): void {
    assert(this.rounds.onDiskDone(done), `${this.id}: unexpected disk completion ${done.file} ${done.tag}`);
  }

  /** A learner came back: it may have missed announcements. */
  onConnection(ctx: Ctx, change: ConnectionChange): void {
    if (change.up && this.cfg.cluster.learners.includes(change.peer)) this.announcer.resend(ctx, change.peer);
  }

  private onRequest(ctx: Ctx, client: NodeId, cmd: number, val: string): void {
    const inst = cmd;
    const known = this.insts.get(inst);
    if (known !== undefined) {
      known.clients.add(client);
      if (known.chosen !== null) ctx.send(client, { type: "REPLY", cmd, inst, val: known.chosen });
      return;
    }
    const s: Instance = {
      inst,
      phase: "reserving",
      bal: NO_BALLOT,
      own: val,
      clients: new Set([client]),
      promises: new Map(),
      accepted: new Set(),
      proposal: null,
      chosen: null,
    };
    this.insts.set(inst, s);
    this.startPhase1(ctx, s);
  }

  /** Phase 1 with a ballot above every ballot seen, once its round is reserved on disk. */
  private startPhase1(ctx: Ctx, s: Instance): void {
    s.phase = "reserving";
    this.rounds.next(ctx, this.roundSeen, (round) => {
      if (s.phase !== "reserving") return;
      s.phase = "preparing";
      s.bal = ballot(round, this.me);
      s.promises.clear();
      s.accepted.clear();
      s.proposal = null;
      tracePaxos(ctx, { type: "prepare", inst: s.inst, bal: s.bal });
      ctx.setTimer(`${T_PHASE}${s.inst}`, this.cfg.phaseTimeoutUs);
      for (const a of this.cfg.cluster.acceptors) ctx.send(a, { type: "PREPARE", inst: s.inst, bal: s.bal });
    });
  }

  private onPromise(ctx: Ctx, from: NodeId, inst: number, bal: Ballot, vbal: Ballot, val: string | null): void {
    const s = this.insts.get(inst);
    if (s === undefined || s.phase !== "preparing" || !sameBallot(bal, s.bal)) return;
    s.promises.set(from, { vbal, val });
    if (s.promises.size < this.quorum) return;
    // The value of the highest-ballot proposal any of the quorum accepted, or our own if none did.
    let best: { vbal: Ballot; val: string | null } = { vbal: NO_BALLOT, val: null };
    for (const p of s.promises.values()) if (p.val !== null && compareBallots(p.vbal, best.vbal) > 0) best = p;
    if (best.val !== null && best.val !== s.own) ctx.mark("paxos: proposer adopts an accepted value");
    s.proposal = best.val ?? s.own;
    s.phase = "accepting";
    tracePaxos(ctx, { type: "propose", inst, bal: s.bal, val: s.proposal });
    ctx.setTimer(`${T_PHASE}${inst}`, this.cfg.phaseTimeoutUs);
    for (const a of this.cfg.cluster.acceptors) ctx.send(a, { type: "ACCEPT", inst, bal: s.bal, val: s.proposal });
  }

  private onAccepted(ctx: Ctx, from: NodeId, inst: number, bal: Ballot): void {
    const s = this.insts.get(inst);
    if (s === undefined || s.phase !== "accepting" || !sameBallot(bal, s.bal)) return;
    s.accepted.add(from);
    if (s.accepted.size < this.quorum) return;
    const val = s.proposal as string;
    s.phase = "chosen";
    s.chosen = val;
    ctx.cancelTimer(`${T_PHASE}${inst}`);
    tracePaxos(ctx, { type: "chosen", inst, bal: s.bal, val });
    if (!ctx.hasTimer(T_ANNOUNCE)) ctx.setTimer(T_ANNOUNCE, this.cfg.resendUs);
    this.announcer.announce(ctx, [[inst, val]]);
    for (const c of [...s.clients].sort()) ctx.send(c, { type: "REPLY", cmd: inst, inst, val });
  }

  private onNack(ctx: Ctx, inst: number, bal: Ballot, promised: Ballot): void {
    this.roundSeen = Math.max(this.roundSeen, roundOf(promised));
    const s = this.insts.get(inst);
    if (s === undefined || (s.phase !== "preparing" && s.phase !== "accepting") || !sameBallot(bal, s.bal)) return;
    tracePaxos(ctx, { type: "preempted", inst, bal, by: promised });
    this.retry(ctx, s);
  }

  /** Back to phase 1 with a higher ballot: at once without backoff, after a random wait with it. */
  private retry(ctx: Ctx, s: Instance): void {
    s.phase = "reserving";
    ctx.cancelTimer(`${T_PHASE}${s.inst}`);
    const delay = retryDelayUs(this.cfg.backoff, ctx.random);
    if (delay === 0) return this.startPhase1(ctx, s);
    ctx.setTimer(`${T_RETRY}${s.inst}`, delay);
  }
}
