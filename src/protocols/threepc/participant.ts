/**
 * A 3PC participant. It forces `prepared` before voting yes and `precommit` before ACKing
 * PreCommit. When a wait times out (no PreCommit after the vote, no DoCommit after PreCommit) it is
 * blocked only briefly: if the coordinator is still reachable it asks it; otherwise the lowest-id
 * reachable participant runs the termination round and the others ask that leader. A participant
 * alone is its own leader, and the rule then reduces to the timeout rule: precommitted commits,
 * uncertain aborts. Reachability is the connection state, which a partition cuts as surely as a
 * crash: that is where 3PC's non-blocking promise turns into disagreement.
 */
import { assert, assertNever } from "../../sim/assert.js";
import type { ConnectionChange, DiskDone, Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import { COORDINATOR } from "../txn/cluster.js";
import type { Decision, Via, Vote } from "../txn/decision.js";
import { traceTx } from "../txn/events.js";
import { keyOf, parseKey } from "../txn/keys.js";
import { forceRecord, readTxLog, durableRecord, loggedDecision } from "../txn/log.js";
import { votesNo } from "../txn/votes.js";
import type { ThreePcConfig } from "./config.js";
import { decisionMessage, type PeerState, type ThreePcMessage } from "./messages.js";
import { TerminationRound, electLeader, type Report, type RoundStep } from "./termination.js";

type Ctx = NodeContext<ThreePcMessage>;

const RECS = ["prepared", "precommit", "commit", "abort"] as const;
const TIMERS = ["wait", "term"] as const;

/**
 * `voting`/`precommitting`/`deciding`: that record is being forced. `uncertain`: voted yes, no
 * PreCommit yet. Nothing is said about a state until its record is durable.
 */
type Phase = "voting" | "uncertain" | "precommitting" | "precommitted" | "deciding" | "decided";

interface PartTx {
  readonly tx: number;
  phase: Phase;
  vote: Vote | null;
  decision: Decision | null;
  via: Via;
  /** The state was read back from the log after a crash (see `Report.recovered`). */
  recovered: boolean;
  /** A wait has timed out: traced once as `blocked`. */
  blocked: boolean;
  /** Who sent PreCommit while `precommit` was being forced: ACKed once durable. */
  readonly preAckTo: Set<NodeId>;
  /** Who sent the decision (coordinator or leader): ACKed once durable. */
  readonly ackTo: Set<NodeId>;
  /** Who asked STATE_REQ while the decision was being forced: answered once durable. */
  readonly stateTo: Set<NodeId>;
  /** As termination leader: the peers asked, told the decision once durable. */
  readonly followers: Set<NodeId>;
  round: TerminationRound | null;
}

/** One incarnation of a 3PC participant. */
export class ThreePcParticipant implements Node<ThreePcMessage, TraceValue> {
  private readonly txs = new Map<number, PartTx>();
  private readonly peers: readonly NodeId[];

  constructor(
    private readonly id: NodeId,
    private readonly cfg: ThreePcConfig,
  ) {
    assert(cfg.participants.includes(id), `${id} is not a participant`);
    this.peers = cfg.participants.filter((p) => p !== id);
  }

  onStart(ctx: Ctx, how: StartKind): void {
    if (how === "fresh") return;
    for (const h of readTxLog(ctx.disk, RECS)) {
      const t = this.track(h.tx, "decided");
      if (h.recs.includes("prepared")) t.vote = "yes";
      t.decision = loggedDecision(h.recs);
      if (t.decision !== null) continue;
      t.phase = h.recs.includes("precommit") ? "precommitted" : "uncertain";
      t.recovered = true;
      t.blocked = true;
      ctx.mark("3pc: participant recovered in doubt");
      traceTx(ctx, { type: "blocked", tx: t.tx });
      // Connections come up after onStart: ask (or lead) on the first retry.
      ctx.setTimer(keyOf("wait", t.tx), this.cfg.retryUs);
    }
  }

  onMessage(ctx: Ctx, from: NodeId, msg: ThreePcMessage): void {
    switch (msg.type) {
      case "CAN_COMMIT":
        return this.onCanCommit(ctx, msg.tx);
      case "PRE_COMMIT":
        return this.onPreCommit(ctx, from, msg.tx);
      case "DO_COMMIT":
        return this.onDecision(ctx, from, msg.tx, "commit");
      case "ABORT":
        return this.onDecision(ctx, from, msg.tx, "abort");
      case "STATE_REQ":
        return this.onStateRequest(ctx, from, msg.tx);
      case "STATE":
        return this.onState(ctx, from, msg.tx, { state: msg.state, recovered: msg.recovered });
      case "PRE_ACK": {
        const t = this.txs.get(msg.tx);
        if (t?.round) this.step(ctx, t, t.round.onPreAck(from));
        return;
      }
      case "ACK":
        // Followers ACK the leader's decision; a leader keeps no per-follower state to clear.
        return;
      case "VOTE":
      case "DECISION_REQ":
        return assert(false, `participant ${this.id} got ${msg.type} from ${from}: only the coordinator takes it`);
      default:
        return assertNever(msg, "3PC message");
    }
  }

  onTimer(ctx: Ctx, name: string): void {
    const { kind, tx } = parseKey(name, TIMERS);
    const t = this.txs.get(tx);
    assert(t !== undefined, `timer ${name} for an unknown tx`);
    switch (kind) {
      case "wait":
        return this.onWaitOver(ctx, t);
      case "term":
        if (t.round) this.step(ctx, t, t.round.onTimer(ctx));
        return;
      default:
        return assertNever(kind, "3PC participant timer");
    }
  }

  onDiskDone(ctx: Ctx, done: DiskDone): void {
    const { kind, tx, t } = durableRecord(done, RECS, this.txs);
    switch (kind) {
      case "prepared":
        // A decision that arrived while `prepared` was being forced settled the tx: no vote then.
        if (t.phase !== "voting") return;
        t.phase = "uncertain";
        t.vote = "yes";
        traceTx(ctx, { type: "vote", tx, vote: "yes" });
        ctx.setTimer(keyOf("wait", tx), this.cfg.precommitTimeoutUs);
        ctx.send(COORDINATOR, { type: "VOTE", tx, vote: "yes" });
        return;
      case "precommit":
        if (t.phase !== "precommitting") return;
        t.phase = "precommitted";
        traceTx(ctx, { type: "precommit", tx });
        ctx.setTimer(keyOf("wait", tx), this.cfg.commitTimeoutUs);
        for (const p of this.sortedIds(t.preAckTo)) ctx.send(p, { type: "PRE_ACK", tx });
        t.preAckTo.clear();
        return;
      case "commit":
      case "abort":
        assert(t.phase === "deciding" && t.decision === kind, `decision ${kind} of tx ${tx} forced twice`);
        return this.decided(ctx, t);
      default:
        return assertNever(kind, "3PC participant log record");
    }
  }

  /** The coordinator came back: a blocked participant asks it at once. */
  onConnection(ctx: Ctx, change: ConnectionChange): void {
    if (!change.up || change.peer !== COORDINATOR) return;
    for (const t of [...this.txs.values()].sort((a, b) => a.tx - b.tx)) {
      if (t.blocked && this.undecided(t)) ctx.send(COORDINATOR, { type: "DECISION_REQ", tx: t.tx });
    }
  }

  private onCanCommit(ctx: Ctx, tx: number): void {
    const t = this.txs.get(tx);
    if (t === undefined) {
      if (votesNo(this.cfg.noVotes, this.id, tx)) {
        const n = this.track(tx, "voting");
        return this.decide(ctx, n, "abort", "vote");
      }
      this.track(tx, "voting");
      forceRecord(ctx.disk, tx, "prepared");
      return;
    }
    // A repeated CanCommit: the coordinator missed the vote.
    if (t.phase === "uncertain") ctx.send(COORDINATOR, { type: "VOTE", tx, vote: "yes" });
    if (t.phase === "decided" && t.decision === "abort") this.voteNo(ctx, t);
  }

  private onPreCommit(ctx: Ctx, from: NodeId, tx: number): void {
    const t = this.txs.get(tx);
    if (t === undefined) return;
    switch (t.phase) {
      case "uncertain":
        t.phase = "precommitting";
        t.preAckTo.add(from);
        forceRecord(ctx.disk, tx, "precommit");
        return;
      case "precommitting":
        t.preAckTo.add(from);
        return;
      case "precommitted":
        ctx.send(from, { type: "PRE_ACK", tx });
        return;
      case "voting":
      case "deciding":
      case "decided":
        // Not voted yet (impossible: PreCommit follows every yes vote) or already settled.
        return;
      default:
        return assertNever(t.phase, "3PC participant phase");
    }
  }

  private onDecision(ctx: Ctx, from: NodeId, tx: number, d: Decision): void {
    const t = this.txs.get(tx) ?? this.track(tx, "voting");
    if (t.phase === "decided") {
      ctx.send(from, { type: "ACK", tx });
      return;
    }
    t.ackTo.add(from);
    if (t.phase === "deciding") return;
    this.decide(ctx, t, d, from === COORDINATOR ? "coordinator" : "termination");
  }

  private onStateRequest(ctx: Ctx, from: NodeId, tx: number): void {
    const t = this.txs.get(tx);
    if (t === undefined) {
      // Never voted, so free to abort on its own; forced so that it can never vote yes afterwards.
      ctx.mark("3pc: unilateral abort for a termination leader");
      const n = this.track(tx, "voting");
      n.stateTo.add(from);
      return this.decide(ctx, n, "abort", "termination");
    }
    if (t.phase === "deciding") {
      t.stateTo.add(from);
      return;
    }
    ctx.send(from, { type: "STATE", tx, state: this.stateOf(t), recovered: t.recovered });
  }

  private onState(ctx: Ctx, from: NodeId, tx: number, r: Report): void {
    const t = this.txs.get(tx);
    if (t === undefined || !this.undecided(t)) return;
    if (r.state === "committed" || r.state === "aborted") {
      // Someone knows the outcome: adopt it (the rule would say the same).
      return this.decide(ctx, t, r.state === "committed" ? "commit" : "abort", "termination");
    }
    if (t.round) this.step(ctx, t, t.round.onReport(ctx, from, r));
  }

  /** A wait ran out: ask the coordinator if it is reachable, else lead or ask the termination leader. */
  private onWaitOver(ctx: Ctx, t: PartTx): void {
    if (!this.undecided(t)) return;
    if (!t.blocked) {
      t.blocked = true;
      ctx.mark("3pc: participant timed out");
      traceTx(ctx, { type: "blocked", tx: t.tx });
    }
    ctx.setTimer(keyOf("wait", t.tx), this.cfg.retryUs);
    if (ctx.isConnected(COORDINATOR)) {
      ctx.send(COORDINATOR, { type: "DECISION_REQ", tx: t.tx });
      return;
    }
    const leader = electLeader(this.cfg.participants, (p) => p === this.id || ctx.isConnected(p));
    assert(leader !== null, "a participant can always reach itself");
    if (leader !== this.id) {
      ctx.send(leader, { type: "STATE_REQ", tx: t.tx });
      return;
    }
    if (t.round !== null) return;
    const asked = this.peers.filter((p) => ctx.isConnected(p));
    for (const p of asked) t.followers.add(p);
    t.round = new TerminationRound(t.tx, asked, this.id, { state: this.stateOf(t), recovered: t.recovered }, this.cfg.retryUs);
    this.step(ctx, t, t.round.start(ctx));
  }

  /** Acts on what this participant's termination round says. */
  private step(ctx: Ctx, t: PartTx, s: RoundStep): void {
    // A decision being forced (from the coordinator, or an earlier round) makes any round moot.
    if (t.decision !== null) return;
    switch (s.kind) {
      case "pending":
        return;
      case "retry":
        ctx.mark("3pc: termination waits (only recovered sites answered)");
        t.round = null;
        return;
      case "decide": {
        // Alone, the rule is 3PC's timeout rule; with others it is the termination protocol.
        const via: Via = t.round !== null && t.round.asked.length === 0 ? "timeout" : "termination";
        return this.decide(ctx, t, s.decision, via);
      }
      default:
        return assertNever(s, "round step");
    }
  }

  private decide(ctx: Ctx, t: PartTx, d: Decision, via: Via): void {
    assert(t.decision === null, `tx ${t.tx} decided twice`);
    t.phase = "deciding";
    t.decision = d;
    t.via = via;
    // The round is over once a decision is being forced; its timer must not decide again.
    t.round = null;
    ctx.cancelTimer(keyOf("term", t.tx));
    forceRecord(ctx.disk, t.tx, d);
  }

  /** The decision record is durable: the moment of decision; tell whoever is waiting on it. */
  private decided(ctx: Ctx, t: PartTx): void {
    assert(t.decision !== null, "a decided tx has a decision");
    t.phase = "decided";
    t.round = null;
    ctx.cancelTimer(keyOf("wait", t.tx));
    ctx.cancelTimer(keyOf("term", t.tx));
    const tx = t.tx;
    if (t.via === "vote") traceTx(ctx, { type: "vote", tx, vote: "no" });
    traceTx(ctx, { type: "decide", tx, decision: t.decision, via: t.via });
    if (t.via === "vote") this.voteNo(ctx, t);
    for (const p of this.sortedIds(t.ackTo)) ctx.send(p, { type: "ACK", tx });
    for (const p of this.sortedIds(t.followers)) if (!t.ackTo.has(p)) ctx.send(p, decisionMessage(tx, t.decision));
    const state = this.stateOf(t);
    for (const p of this.sortedIds(t.stateTo)) ctx.send(p, { type: "STATE", tx, state, recovered: false });
    t.ackTo.clear();
    t.followers.clear();
    t.stateTo.clear();
  }

  private voteNo(ctx: Ctx, t: PartTx): void {
    if (t.vote === null && t.via !== "vote") traceTx(ctx, { type: "vote", tx: t.tx, vote: "no" });
    t.vote = "no";
    ctx.send(COORDINATOR, { type: "VOTE", tx: t.tx, vote: "no" });
  }

  private stateOf(t: PartTx): PeerState {
    switch (t.phase) {
      case "voting":
      case "uncertain":
        return "uncertain";
      case "precommitting":
      case "precommitted":
        return "precommitted";
      case "deciding":
      case "decided":
        return t.decision === "commit" ? "committed" : "aborted";
      default:
        return assertNever(t.phase, "3PC participant phase");
    }
  }

  private undecided(t: PartTx): boolean {
    return t.phase === "uncertain" || t.phase === "precommitting" || t.phase === "precommitted";
  }

  private sortedIds(s: ReadonlySet<NodeId>): NodeId[] {
    return this.cfg.participants.filter((p) => s.has(p)).concat(s.has(COORDINATOR) ? [COORDINATOR] : []);
  }

  private track(tx: number, phase: Phase): PartTx {
    const t: PartTx = {
      tx,
      phase,
      vote: null,
      decision: null,
      via: "coordinator",
      recovered: false,
      blocked: false,
      preAckTo: new Set(),
      ackTo: new Set(),
      stateTo: new Set(),
      followers: new Set(),
      round: null,
    };
    this.txs.set(tx, t);
    return t;
  }
}
