/**
 * A 2PC participant. It forces `prepared` before voting YES and then holds its locks until it
 * learns the outcome. Past the decision timeout it runs the cooperative termination protocol: it
 * asks the coordinator and every peer; a peer that has decided, or that has not voted and so can
 * still abort on its own, answers; if every peer it reaches is as uncertain as itself, it stays
 * blocked and asks again every retry period. That blocking is 2PC's known price.
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
import type { TwoPcConfig } from "./config.js";
import type { PeerAnswer, TwoPcMessage } from "./messages.js";

type Ctx = NodeContext<TwoPcMessage>;

const RECS = ["prepared", "commit", "abort"] as const;
const TIMERS = ["decision", "ask"] as const;

/** `preparing`/`deciding`: the `prepared`/decision record is being forced; nothing is said until it is durable. */
type Phase = "preparing" | "prepared" | "deciding" | "decided";

interface PartTx {
  readonly tx: number;
  phase: Phase;
  /** The vote cast (traced and sent), null while none has been. */
  vote: Vote | null;
  decision: Decision | null;
  via: Via;
  /** Past the decision timeout (or recovered in doubt): blocked, asking coordinator and peers. */
  asking: boolean;
  /** The coordinator sent the decision: ACK it once the decision is durable. */
  ackCoordinator: boolean;
  /** Peers that asked while the decision was being forced: answered once it is durable. */
  readonly waiting: Set<NodeId>;
}

/** One incarnation of a participant. */
export class TwoPcParticipant implements Node<TwoPcMessage, TraceValue> {
  private readonly txs = new Map<number, PartTx>();
  private readonly peers: readonly NodeId[];

  constructor(
    private readonly id: NodeId,
    private readonly cfg: TwoPcConfig,
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
      // Prepared and undecided: the locks stay held and only someone who knows can release them.
      t.phase = "prepared";
      t.vote = "yes";
      t.asking = true;
      ctx.mark("2pc: participant recovered in doubt");
      traceTx(ctx, { type: "blocked", tx: t.tx });
      // No connection is up yet: the questions go out on connection-up and on this timer.
      ctx.setTimer(keyOf("ask", t.tx), this.cfg.retryUs);
    }
  }

  onMessage(ctx: Ctx, from: NodeId, msg: TwoPcMessage): void {
    switch (msg.type) {
      case "PREPARE":
        return this.onPrepare(ctx, msg.tx);
      case "COMMIT":
        return this.onDecision(ctx, msg.tx, "commit");
      case "ABORT":
        return this.onDecision(ctx, msg.tx, "abort");
      case "DECISION_REQ":
        return this.onQuestion(ctx, from, msg.tx);
      case "STATE":
        return this.onAnswer(ctx, msg.tx, msg.state);
      case "VOTE":
      case "ACK":
        return assert(false, `participant ${this.id} got ${msg.type} from ${from}: only the coordinator takes it`);
      default:
        return assertNever(msg, "2PC message");
    }
  }

  onTimer(ctx: Ctx, name: string): void {
    const { kind, tx } = parseKey(name, TIMERS);
    const t = this.txs.get(tx);
    assert(t !== undefined, `timer ${name} for an unknown tx`);
    if (t.phase !== "prepared") return;
    switch (kind) {
      case "decision":
        t.asking = true;
        ctx.mark("2pc: participant blocked");
        traceTx(ctx, { type: "blocked", tx });
        return this.ask(ctx, t, [COORDINATOR, ...this.peers]);
      case "ask":
        return this.ask(ctx, t, [COORDINATOR, ...this.peers]);
      default:
        return assertNever(kind, "2PC participant timer");
    }
  }

  onDiskDone(ctx: Ctx, done: DiskDone): void {
    const { kind, tx, t } = durableRecord(done, RECS, this.txs);
    switch (kind) {
      case "prepared":
        // An ABORT that arrived while `prepared` was being forced already settled the tx: no vote then.
        if (t.phase !== "preparing") return;
        t.phase = "prepared";
        t.vote = "yes";
        traceTx(ctx, { type: "vote", tx, vote: "yes" });
        ctx.setTimer(keyOf("decision", tx), this.cfg.decisionTimeoutUs);
        ctx.send(COORDINATOR, { type: "VOTE", tx, vote: "yes" });
        return;
      case "commit":
      case "abort":
        assert(t.phase === "deciding" && t.decision === kind, `decision ${kind} of tx ${tx} forced twice`);
        return this.decided(ctx, t);
      default:
        return assertNever(kind, "2PC participant log record");
    }
  }

  /** A peer (re)connected: a blocked participant asks it at once instead of waiting for the next retry. */
  onConnection(ctx: Ctx, change: ConnectionChange): void {
    if (!change.up) return;
    for (const t of [...this.txs.values()].sort((a, b) => a.tx - b.tx)) {
      if (t.phase === "prepared" && t.asking) this.ask(ctx, t, [change.peer]);
    }
  }

  private onPrepare(ctx: Ctx, tx: number): void {
    const t = this.txs.get(tx);
    if (t === undefined) {
      if (votesNo(this.cfg.noVotes, this.id, tx)) {
        // A NO vote is a unilateral abort: force it, then vote (in `decided`).
        const n = this.track(tx, "deciding");
        n.vote = "no";
        n.decision = "abort";
        n.via = "vote";
        forceRecord(ctx.disk, tx, "abort");
        return;
      }
      this.track(tx, "preparing");
      // Force-write before voting YES: after a crash the participant must still know it promised.
      forceRecord(ctx.disk, tx, "prepared");
      return;
    }
    // A repeated PREPARE: the coordinator missed the vote (or it is still being forced).
    if (t.phase === "prepared") ctx.send(COORDINATOR, { type: "VOTE", tx, vote: "yes" });
    if (t.phase === "decided" && t.decision === "abort") this.voteNo(ctx, t);
  }

  private onDecision(ctx: Ctx, tx: number, d: Decision): void {
    const t = this.txs.get(tx) ?? this.track(tx, "preparing");
    switch (t.phase) {
      case "preparing":
      case "prepared":
        t.ackCoordinator = true;
        return this.decide(ctx, t, d, "coordinator");
      case "deciding":
        t.ackCoordinator = true;
        return;
      case "decided":
        ctx.send(COORDINATOR, { type: "ACK", tx });
        return;
      default:
        return assertNever(t.phase, "2PC participant phase");
    }
  }

  private onQuestion(ctx: Ctx, from: NodeId, tx: number): void {
    const t = this.txs.get(tx);
    if (t === undefined) {
      // Not voted yet, so free to abort on its own; it must then never vote YES, hence the forced record.
      ctx.mark("2pc: unilateral abort for a blocked peer");
      const n = this.track(tx, "preparing");
      n.waiting.add(from);
      return this.decide(ctx, n, "abort", "termination");
    }
    switch (t.phase) {
      case "preparing":
      case "prepared":
        ctx.send(from, { type: "STATE", tx, state: "uncertain" });
        return;
      case "deciding":
        t.waiting.add(from);
        return;
      case "decided":
        assert(t.decision !== null, "a decided tx has a decision");
        ctx.send(from, { type: "STATE", tx, state: t.decision });
        return;
      default:
        return assertNever(t.phase, "2PC participant phase");
    }
  }

  private onAnswer(ctx: Ctx, tx: number, state: PeerAnswer): void {
    const t = this.txs.get(tx);
    if (t === undefined || t.phase !== "prepared" || state === "uncertain") return;
    ctx.mark("2pc: termination protocol decided");
    this.decide(ctx, t, state, "termination");
  }

  private decide(ctx: Ctx, t: PartTx, d: Decision, via: Via): void {
    assert(t.decision === null, `tx ${t.tx} decided twice`);
    t.phase = "deciding";
    t.decision = d;
    t.via = via;
    forceRecord(ctx.disk, t.tx, d);
  }

  /** The decision record is durable: this is the moment of decision; tell whoever is waiting. */
  private decided(ctx: Ctx, t: PartTx): void {
    assert(t.decision !== null, "a decided tx has a decision");
    t.phase = "decided";
    ctx.cancelTimer(keyOf("decision", t.tx));
    ctx.cancelTimer(keyOf("ask", t.tx));
    if (t.via === "vote") traceTx(ctx, { type: "vote", tx: t.tx, vote: "no" });
    traceTx(ctx, { type: "decide", tx: t.tx, decision: t.decision, via: t.via });
    if (t.via === "vote") {
      t.vote = "no";
      ctx.send(COORDINATOR, { type: "VOTE", tx: t.tx, vote: "no" });
    }
    if (t.ackCoordinator) ctx.send(COORDINATOR, { type: "ACK", tx: t.tx });
    for (const p of this.peers) if (t.waiting.has(p)) ctx.send(p, { type: "STATE", tx: t.tx, state: t.decision });
    t.waiting.clear();
  }

  /** Votes NO for a tx it aborted before PREPARE reached it (a peer's question came first). */
  private voteNo(ctx: Ctx, t: PartTx): void {
    if (t.vote === null) traceTx(ctx, { type: "vote", tx: t.tx, vote: "no" });
    t.vote = "no";
    ctx.send(COORDINATOR, { type: "VOTE", tx: t.tx, vote: "no" });
  }

  /** Asks whoever of `whom` is connected; one that is not is asked when its connection comes up. */
  private ask(ctx: Ctx, t: PartTx, whom: readonly NodeId[]): void {
    if (!ctx.hasTimer(keyOf("ask", t.tx))) ctx.setTimer(keyOf("ask", t.tx), this.cfg.retryUs);
    for (const p of whom) if (ctx.isConnected(p)) ctx.send(p, { type: "DECISION_REQ", tx: t.tx });
  }

  private track(tx: number, phase: Phase): PartTx {
    const t: PartTx = { tx, phase, vote: null, decision: null, via: "coordinator", asking: false, ackCoordinator: false, waiting: new Set() };
    this.txs.set(tx, t);
    return t;
  }
}
