/**
 * The 2PC coordinator (presumed abort). Per transaction: force `start`, send PREPARE, collect votes
 * under a timeout, force the decision, then send it until every participant ACKs. After a crash it
 * aborts whatever it had not decided (no participant can have committed it) and resends what it had.
 */
import { assert, assertNever } from "../../sim/assert.js";
import type { ConnectionChange, DiskDone, Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import type { Decision, Via, Vote } from "../txn/decision.js";
import { traceTx } from "../txn/events.js";
import { parseBegin } from "../txn/input.js";
import { keyOf, parseKey } from "../txn/keys.js";
import { TX_LOG, forceRecord, readTxLog, durableRecord, loggedDecision } from "../txn/log.js";
import type { TwoPcConfig } from "./config.js";
import { decisionMessage, type TwoPcMessage } from "./messages.js";

type Ctx = NodeContext<TwoPcMessage>;

const RECS = ["start", "commit", "abort", "end"] as const;
const TIMERS = ["vote", "prepare", "resend"] as const;

/** `starting`: start record being forced; `deciding`: decision record being forced; `done`: all ACKed. */
type Phase = "starting" | "voting" | "deciding" | "decided" | "done";

interface CoordTx {
  readonly tx: number;
  phase: Phase;
  readonly votes: Map<NodeId, Vote>;
  decision: Decision | null;
  via: Via;
  readonly acked: Set<NodeId>;
}

/** One incarnation of the coordinator; its memory is lost on a crash, its log is not. */
export class TwoPcCoordinator implements Node<TwoPcMessage, TraceValue> {
  private readonly txs = new Map<number, CoordTx>();

  constructor(private readonly cfg: TwoPcConfig) {}

  onStart(ctx: Ctx, how: StartKind): void {
    if (how === "fresh") return;
    for (const h of readTxLog(ctx.disk, RECS)) {
      const t = this.track(h.tx);
      const logged: Decision | null = loggedDecision(h.recs);
      if (logged === null) {
        // Presumed abort: nothing was decided, so no participant can have been told to commit.
        ctx.mark("2pc: coordinator recovery aborts an undecided tx");
        this.decide(ctx, t, "abort", "recovery");
        continue;
      }
      t.decision = logged;
      t.phase = h.recs.includes("end") ? "done" : "decided";
      // Connections open only after onStart returns: the decision goes out on connection-up and on this timer.
      if (t.phase === "decided") ctx.setTimer(keyOf("resend", t.tx), this.cfg.retryUs);
    }
  }

  onInput(ctx: Ctx, input: TraceValue): void {
    const { tx } = parseBegin(input);
    assert(!this.txs.has(tx), `tx ${tx} began twice`);
    this.track(tx);
    traceTx(ctx, { type: "tx-begin", tx });
    forceRecord(ctx.disk, tx, "start");
  }

  onMessage(ctx: Ctx, from: NodeId, msg: TwoPcMessage): void {
    switch (msg.type) {
      case "VOTE":
        return this.onVote(ctx, from, msg.tx, msg.vote);
      case "ACK":
        return this.onAck(ctx, from, msg.tx);
      case "DECISION_REQ":
        return this.onDecisionRequest(ctx, from, msg.tx);
      case "PREPARE":
      case "COMMIT":
      case "ABORT":
      case "STATE":
        return assert(false, `coordinator got ${msg.type} from ${from}: only participants take it`);
      default:
        return assertNever(msg, "2PC message");
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
      case "prepare":
        if (t.phase !== "voting") return;
        ctx.setTimer(name, this.cfg.retryUs);
        for (const p of this.silent(t)) if (ctx.isConnected(p)) ctx.send(p, { type: "PREPARE", tx });
        return;
      case "resend":
        if (t.phase !== "decided") return;
        ctx.setTimer(name, this.cfg.retryUs);
        this.sendDecision(ctx, t, this.unacked(t).filter((p) => ctx.isConnected(p)));
        return;
      default:
        return assertNever(kind, "2PC coordinator timer");
    }
  }

  onDiskDone(ctx: Ctx, done: DiskDone): void {
    const { kind, tx, t } = durableRecord(done, RECS, this.txs);
    switch (kind) {
      case "start":
        if (t.phase !== "starting") return;
        t.phase = "voting";
        // Timers before sends: every send is the handler's last act.
        ctx.setTimer(keyOf("vote", tx), this.cfg.voteTimeoutUs);
        ctx.setTimer(keyOf("prepare", tx), this.cfg.retryUs);
        for (const p of this.cfg.participants) ctx.send(p, { type: "PREPARE", tx });
        return;
      case "commit":
      case "abort":
        assert(t.phase === "deciding" && t.decision === kind, `decision ${kind} of tx ${tx} forced twice`);
        t.phase = "decided";
        traceTx(ctx, { type: "decide", tx, decision: kind, via: t.via });
        ctx.setTimer(keyOf("resend", tx), this.cfg.retryUs);
        this.sendDecision(ctx, t, this.unacked(t));
        return;
      case "end":
        return;
      default:
        return assertNever(kind, "2PC coordinator log record");
    }
  }

  /**
   * A participant (re)connected: it may have missed PREPARE or the decision while it was away.
   * Periodic resends skip unconnected participants, since this catches them up when they return.
   */
  onConnection(ctx: Ctx, change: ConnectionChange): void {
    if (!change.up || !this.cfg.participants.includes(change.peer)) return;
    for (const t of this.sorted()) {
      if (t.phase === "voting" && !t.votes.has(change.peer)) ctx.send(change.peer, { type: "PREPARE", tx: t.tx });
      if (t.phase === "decided" && !t.acked.has(change.peer)) this.sendDecision(ctx, t, [change.peer]);
    }
  }

  private onVote(ctx: Ctx, from: NodeId, tx: number, vote: Vote): void {
    const t = this.txs.get(tx);
    // Votes after the vote timeout, or repeated after a PREPARE resend, change nothing.
    if (t === undefined || t.phase !== "voting") return;
    t.votes.set(from, vote);
    if (vote === "no") return this.decide(ctx, t, "abort", "coordinator");
    if (this.silent(t).length === 0) this.decide(ctx, t, "commit", "coordinator");
  }

  private onAck(ctx: Ctx, from: NodeId, tx: number): void {
    const t = this.txs.get(tx);
    if (t === undefined || t.phase !== "decided") return;
    t.acked.add(from);
    if (this.unacked(t).length > 0) return;
    t.phase = "done";
    ctx.cancelTimer(keyOf("resend", tx));
    // Not forced: if it is lost, recovery merely resends a decision everyone already has.
    ctx.disk.append(TX_LOG, { tx, rec: "end" });
  }

  private onDecisionRequest(ctx: Ctx, from: NodeId, tx: number): void {
    const t = this.txs.get(tx);
    if (t === undefined) {
      // Only a restart that lost an unforced `start` forgets a tx; no PREPARE left before it was forced.
      ctx.mark("2pc: presumed abort for a forgotten tx");
      return this.decide(ctx, this.track(tx), "abort", "recovery");
    }
    // Undecided: the decision goes to everyone once forced, so the asker need not be remembered.
    if (t.phase === "decided" || t.phase === "done") this.sendDecision(ctx, t, [from]);
  }

  private decide(ctx: Ctx, t: CoordTx, d: Decision, via: Via): void {
    assert(t.decision === null, `tx ${t.tx} decided twice`);
    t.decision = d;
    t.via = via;
    t.phase = "deciding";
    ctx.cancelTimer(keyOf("vote", t.tx));
    ctx.cancelTimer(keyOf("prepare", t.tx));
    // Force before telling anyone: a COMMIT sent and then forgotten in a crash would be presumed aborted.
    forceRecord(ctx.disk, t.tx, d);
  }

  private sendDecision(ctx: Ctx, t: CoordTx, to: readonly NodeId[]): void {
    assert(t.decision !== null, `tx ${t.tx} has no decision to send`);
    for (const p of to) ctx.send(p, decisionMessage(t.tx, t.decision));
  }

  private track(tx: number): CoordTx {
    const t: CoordTx = { tx, phase: "starting", votes: new Map(), decision: null, via: "coordinator", acked: new Set() };
    this.txs.set(tx, t);
    return t;
  }

  /** Participants whose vote is not in, in canonical order. */
  private silent(t: CoordTx): NodeId[] {
    return this.cfg.participants.filter((p) => !t.votes.has(p));
  }

  private unacked(t: CoordTx): NodeId[] {
    return this.cfg.participants.filter((p) => !t.acked.has(p));
  }

  private sorted(): CoordTx[] {
    return [...this.txs.values()].sort((a, b) => a.tx - b.tx);
  }
}
