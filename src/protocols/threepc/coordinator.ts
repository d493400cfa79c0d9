/**
 * The 3PC coordinator: CanCommit, then (all yes) force `precommit` and send PreCommit, then (all
 * PreCommit ACKs, or the ACK timeout: a silent participant has failed and will learn on recovery)
 * force `commit` and send DoCommit until every participant ACKs. Any NO or the vote timeout aborts.
 * After a crash: a logged decision is resent; `start` alone is aborted (no PreCommit left, so nobody
 * can have committed); `precommit` without a decision is in doubt, since participants may have
 * terminated without it, so it runs the participants' termination round and adopts what it finds.
 */
import { assert, assertNever } from "../../sim/assert.js";
import type { ConnectionChange, DiskDone, Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import { COORDINATOR } from "../txn/cluster.js";
import type { Decision, Via, Vote } from "../txn/decision.js";
import { traceTx } from "../txn/events.js";
import { parseBegin } from "../txn/input.js";
import { keyOf, parseKey } from "../txn/keys.js";
import { TX_LOG, forceRecord, readTxLog, durableRecord, loggedDecision } from "../txn/log.js";
import type { ThreePcConfig } from "./config.js";
import { decisionMessage, type ThreePcMessage } from "./messages.js";
import { TerminationRound, type RoundStep } from "./termination.js";

type Ctx = NodeContext<ThreePcMessage>;

const RECS = ["start", "precommit", "commit", "abort", "end"] as const;
const TIMERS = ["vote", "preack", "resend", "term"] as const;

/**
 * `starting`/`precommitting`/`deciding`: that record is being forced. `awaiting`: PreCommit sent,
 * collecting its ACKs. `in-doubt`: recovered with `precommit` logged and no decision.
 */
type Phase = "starting" | "voting" | "precommitting" | "awaiting" | "in-doubt" | "deciding" | "decided" | "done";

interface CoordTx {
  readonly tx: number;
  phase: Phase;
  readonly votes: Map<NodeId, Vote>;
  readonly preAcked: Set<NodeId>;
  decision: Decision | null;
  via: Via;
  readonly acked: Set<NodeId>;
  round: TerminationRound | null;
}

/** One incarnation of the 3PC coordinator. */
export class ThreePcCoordinator implements Node<ThreePcMessage, TraceValue> {
  private readonly txs = new Map<number, CoordTx>();

  constructor(private readonly cfg: ThreePcConfig) {}

  onStart(ctx: Ctx, how: StartKind): void {
    if (how === "fresh") return;
    for (const h of readTxLog(ctx.disk, RECS)) {
      const t = this.track(h.tx);
      const logged: Decision | null = loggedDecision(h.recs);
      if (logged !== null) {
        t.decision = logged;
        t.phase = h.recs.includes("end") ? "done" : "decided";
      } else if (h.recs.includes("precommit")) {
        ctx.mark("3pc: coordinator recovered in doubt");
        t.phase = "in-doubt";
      } else {
        ctx.mark("3pc: coordinator recovery aborts an undecided tx");
        this.decide(ctx, t, "abort", "recovery");
        continue;
      }
      // Connections open only after onStart returns: resends and the in-doubt round start on this timer.
      if (t.phase !== "done") ctx.setTimer(keyOf("resend", t.tx), this.cfg.retryUs);
    }
  }

  onInput(ctx: Ctx, input: TraceValue): void {
    const { tx } = parseBegin(input);
    assert(!this.txs.has(tx), `tx ${tx} began twice`);
    this.track(tx);
    traceTx(ctx, { type: "tx-begin", tx });
    forceRecord(ctx.disk, tx, "start");
  }

  onMessage(ctx: Ctx, from: NodeId, msg: ThreePcMessage): void {
    switch (msg.type) {
      case "VOTE":
        return this.onVote(ctx, from, msg.tx, msg.vote);
      case "PRE_ACK":
        return this.onPreAck(ctx, from, msg.tx);
      case "ACK":
        return this.onAck(ctx, from, msg.tx);
      case "DECISION_REQ":
        return this.onDecisionRequest(ctx, from, msg.tx);
      case "STATE": {
        const t = this.txs.get(msg.tx);
        if (t?.round) this.step(ctx, t, t.round.onReport(ctx, from, { state: msg.state, recovered: msg.recovered }));
        return;
      }
      case "CAN_COMMIT":
      case "PRE_COMMIT":
      case "DO_COMMIT":
      case "ABORT":
      case "STATE_REQ":
        return assert(false, `coordinator got ${msg.type} from ${from}: only participants take it`);
      default:
        return assertNever(msg, "3PC message");
    }
  }

  onTimer(ctx: Ctx, name: string): void {
    const { kind, tx } = parseKey(name, TIMERS);
    const t = this.txs.get(tx);
    assert(t !== undefined, `timer ${name} for an unknown tx`);
    switch (kind) {
      case "vote":
        if (t.phase === "voting") this.decide(ctx, t, "abort", "coordinator");
        return;
      case "preack":
        // Textbook 3PC: every participant voted yes, and one that did not ACK PreCommit has failed.
        if (t.phase === "awaiting") {
          ctx.mark("3pc: commit without every PreCommit ACK");
          this.decide(ctx, t, "commit", "coordinator");
        }
        return;
      case "resend":
        return this.resend(ctx, t);
      case "term":
        if (t.round) this.step(ctx, t, t.round.onTimer(ctx));
        return;
      default:
        return assertNever(kind, "3PC coordinator timer");
    }
  }

  onDiskDone(ctx: Ctx, done: DiskDone): void {
    const { kind, tx, t } = durableRecord(done, RECS, this.txs);
    switch (kind) {
      case "start":
        if (t.phase !== "starting") return;
        t.phase = "voting";
        ctx.setTimer(keyOf("vote", tx), this.cfg.voteTimeoutUs);
        ctx.setTimer(keyOf("resend", tx), this.cfg.retryUs);
        for (const p of this.cfg.participants) ctx.send(p, { type: "CAN_COMMIT", tx });
        return;
      case "precommit":
        // Forced before PreCommit leaves: a recovering coordinator must know it may have precommitted someone.
        if (t.phase !== "precommitting") return;
        t.phase = "awaiting";
        ctx.setTimer(keyOf("preack", tx), this.cfg.ackTimeoutUs);
        ctx.setTimer(keyOf("resend", tx), this.cfg.retryUs);
        for (const p of this.cfg.participants) ctx.send(p, { type: "PRE_COMMIT", tx });
        return;
      case "commit":
      case "abort":
        assert(t.phase === "deciding" && t.decision === kind, `decision ${kind} of tx ${tx} forced twice`);
        t.phase = "decided";
        traceTx(ctx, { type: "decide", tx, decision: kind, via: t.via });
        ctx.setTimer(keyOf("resend", tx), this.cfg.retryUs);
        this.sendDecision(ctx, t, this.pending(t.acked));
        return;
      case "end":
        return;
      default:
        return assertNever(kind, "3PC coordinator log record");
    }
  }

  /** A participant (re)connected: it may have missed whatever this phase sends. */
  onConnection(ctx: Ctx, change: ConnectionChange): void {
    if (!change.up || !this.cfg.participants.includes(change.peer)) return;
    for (const t of this.sorted()) this.resendTo(ctx, t, [change.peer]);
  }

  private onVote(ctx: Ctx, from: NodeId, tx: number, vote: Vote): void {
    const t = this.txs.get(tx);
    if (t === undefined || t.phase !== "voting") return;
    t.votes.set(from, vote);
    if (vote === "no") return this.decide(ctx, t, "abort", "coordinator");
    if (this.pending(new Set(t.votes.keys())).length > 0) return;
    t.phase = "precommitting";
    ctx.cancelTimer(keyOf("vote", tx));
    ctx.cancelTimer(keyOf("resend", tx));
    forceRecord(ctx.disk, tx, "precommit");
  }

  private onPreAck(ctx: Ctx, from: NodeId, tx: number): void {
    const t = this.txs.get(tx);
    if (t === undefined) return;
    if (t.round) return this.step(ctx, t, t.round.onPreAck(from));
    if (t.phase !== "awaiting") return;
    t.preAcked.add(from);
    if (this.pending(t.preAcked).length === 0) this.decide(ctx, t, "commit", "coordinator");
  }

  private onAck(ctx: Ctx, from: NodeId, tx: number): void {
    const t = this.txs.get(tx);
    if (t === undefined || t.phase !== "decided") return;
    t.acked.add(from);
    if (this.pending(t.acked).length > 0) return;
    t.phase = "done";
    ctx.cancelTimer(keyOf("resend", tx));
    // Not forced: if it is lost, recovery merely resends a decision everyone already has.
    ctx.disk.append(TX_LOG, { tx, rec: "end" });
  }

  private onDecisionRequest(ctx: Ctx, from: NodeId, tx: number): void {
    const t = this.txs.get(tx);
    if (t === undefined) {
      // Forgotten means `start` was never forced, so no CanCommit left: abort is safe.
      ctx.mark("3pc: presumed abort for a forgotten tx");
      return this.decide(ctx, this.track(tx), "abort", "recovery");
    }
    // Undecided: its own timeouts or round decide soon, and the decision goes to everyone.
    if (t.phase === "decided" || t.phase === "done") this.sendDecision(ctx, t, [from]);
  }

  /** The resend timer: re-sends what the phase is waiting on, or starts an in-doubt round. */
  private resend(ctx: Ctx, t: CoordTx): void {
    if (t.phase === "in-doubt") {
      ctx.setTimer(keyOf("resend", t.tx), this.cfg.retryUs);
      if (t.round !== null) return;
      // The coordinator has no state of its own to report: it only collects the participants'.
      const asked = this.cfg.participants.filter((p) => ctx.isConnected(p));
      t.round = new TerminationRound(t.tx, asked, COORDINATOR, null, this.cfg.retryUs);
      return this.step(ctx, t, t.round.start(ctx));
    }
    if (t.phase !== "voting" && t.phase !== "awaiting" && t.phase !== "decided") return;
    ctx.setTimer(keyOf("resend", t.tx), this.cfg.retryUs);
    // An unconnected participant is caught up by onConnection when it returns.
    this.resendTo(ctx, t, this.cfg.participants.filter((p) => ctx.isConnected(p)));
  }

  private resendTo(ctx: Ctx, t: CoordTx, to: readonly NodeId[]): void {
    for (const p of to) {
      if (t.phase === "voting" && !t.votes.has(p)) ctx.send(p, { type: "CAN_COMMIT", tx: t.tx });
      if (t.phase === "awaiting" && !t.preAcked.has(p)) ctx.send(p, { type: "PRE_COMMIT", tx: t.tx });
      if (t.phase === "decided" && !t.acked.has(p)) this.sendDecision(ctx, t, [p]);
    }
  }

  /** Acts on what the in-doubt round says. */
  private step(ctx: Ctx, t: CoordTx, s: RoundStep): void {
    switch (s.kind) {
      case "pending":
        return;
      case "retry":
        t.round = null;
        return;
      case "decide":
        return this.decide(ctx, t, s.decision, "recovery");
      default:
        return assertNever(s, "round step");
    }
  }

  private decide(ctx: Ctx, t: CoordTx, d: Decision, via: Via): void {
    assert(t.decision === null, `tx ${t.tx} decided twice`);
    t.decision = d;
    t.via = via;
    t.phase = "deciding";
    t.round = null;
    for (const k of TIMERS) ctx.cancelTimer(keyOf(k, t.tx));
    forceRecord(ctx.disk, t.tx, d);
  }

  private sendDecision(ctx: Ctx, t: CoordTx, to: readonly NodeId[]): void {
    assert(t.decision !== null, `tx ${t.tx} has no decision to send`);
    for (const p of to) ctx.send(p, decisionMessage(t.tx, t.decision));
  }

  private track(tx: number): CoordTx {
    const t: CoordTx = { tx, phase: "starting", votes: new Map(), preAcked: new Set(), decision: null, via: "coordinator", acked: new Set(), round: null };
    this.txs.set(tx, t);
    return t;
  }

  /** Participants not in `done`, in canonical order. */
  private pending(done: ReadonlySet<NodeId>): NodeId[] {
    return this.cfg.participants.filter((p) => !done.has(p));
  }

  private sorted(): CoordTx[] {
    return [...this.txs.values()].sort((a, b) => a.tx - b.tx);
  }
}
