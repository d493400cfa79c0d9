/**
 * A basic-Paxos acceptor: per instance, the highest ballot it promised and the highest-ballot
 * proposal it accepted, both forced to disk before it says so ("Paxos Made Simple", §2.3: an
 * acceptor must remember this information even if it fails and restarts). It promises a ballot at
 * least as high as any promised, accepts a proposal whose ballot is at least as high as any
 * promised, and tells a proposer with a lower ballot which ballot beat it (NACK).
 */
import { assert, assertNever } from "../../sim/assert.js";
import type { DiskDone, Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import { NO_BALLOT, asBallot, compareBallots, maxBallot, sameBallot, type Ballot } from "./ballot.js";
import { DurableLog } from "./durable-log.js";
import { tracePaxos } from "./events.js";
import type { PaxosMessage } from "./messages.js";

type Ctx = NodeContext<PaxosMessage>;

interface Slot {
  promised: Ballot;
  vbal: Ballot;
  val: string | null;
}

/** Log records: `{i, p}` a promise, `{i, b, v}` an acceptance. */
type Rec = { readonly i: number; readonly p: Ballot } | { readonly i: number; readonly b: Ballot; readonly v: string };

export class PaxosAcceptor implements Node<PaxosMessage, TraceValue> {
  private readonly slots = new Map<number, Slot>();
  private readonly log = new DurableLog("acceptor");

  constructor(private readonly id: NodeId) {}

  onStart(ctx: Ctx, how: StartKind): void {
    if (how === "fresh") return;
    for (const r of this.log.records(ctx)) {
      assert(typeof r === "object" && r !== null && !Array.isArray(r) && typeof (r as Rec).i === "number", `${this.id}: bad acceptor record`);
      const rec = r as Rec;
      const s = this.slot(rec.i);
      if ("p" in rec) s.promised = maxBallot(s.promised, asBallot(rec.p, "promised ballot"));
      else {
        s.vbal = asBallot(rec.b, "accepted ballot");
        s.val = rec.v;
        s.promised = maxBallot(s.promised, s.vbal);
      }
    }
    if (this.slots.size > 0) ctx.mark("paxos: acceptor recovered its promises from disk");
  }

  onMessage(ctx: Ctx, from: NodeId, msg: PaxosMessage): void {
    switch (msg.type) {
      case "PREPARE":
        return this.onPrepare(ctx, from, msg.inst, msg.bal);
      case "ACCEPT":
        return this.onAccept(ctx, from, msg.inst, msg.bal, msg.val);
      case "PROMISE":
      case "ACCEPTED":
      case "NACK":
      case "REQUEST":
      case "REPLY":
      case "PROPOSE":
      case "CHOSEN":
      case "LEARNED":
        return assert(false, `acceptor ${this.id} got ${msg.type} from ${from}`);
      default:
        return assertNever(msg, "Paxos message");
    }
  }

  onDiskDone(_ctx: Ctx, done: DiskDone): void {
    assert(this.log.onDiskDone(done), `${this.id}: unexpected disk completion ${done.file} ${done.tag}`);
  }

  private onPrepare(ctx: Ctx, from: NodeId, inst: number, bal: Ballot): void {
    const s = this.slot(inst);
    const order = compareBallots(bal, s.promised);
    if (order < 0) {
      ctx.send(from, { type: "NACK", inst, bal, promised: s.promised });
      return;
    }
    // What the promise reports is what was accepted when it was made.
    const vbal = s.vbal;
    const val = s.val;
    const reply = (): void => ctx.send(from, { type: "PROMISE", inst, bal, vbal, val });
    // The same PREPARE again (a duplicate or a retransmission): promise again once the first is durable.
    if (order === 0) return this.log.afterDurable(reply);
    s.promised = bal;
    this.log.persist(ctx, [{ i: inst, p: bal }], () => {
      tracePaxos(ctx, { type: "promise", inst, bal, all: false });
      reply();
    });
  }

  private onAccept(ctx: Ctx, from: NodeId, inst: number, bal: Ballot, val: string): void {
    const s = this.slot(inst);
    if (compareBallots(bal, s.promised) < 0) {
      ctx.send(from, { type: "NACK", inst, bal, promised: s.promised });
      return;
    }
    const reply = (): void => ctx.send(from, { type: "ACCEPTED", inst, bal });
    if (sameBallot(bal, s.vbal)) {
      // One value per ballot: a proposer never sends two.
      assert(s.val === val, `${this.id}: ballot ${bal.join(".")} of instance ${inst} carried ${s.val} and ${val}`);
      return this.log.afterDurable(reply);
    }
    s.promised = bal;
    s.vbal = bal;
    s.val = val;
    this.log.persist(ctx, [{ i: inst, b: bal, v: val }], () => {
      tracePaxos(ctx, { type: "accept", inst, bal, val, fast: false });
      reply();
    });
  }

  private slot(inst: number): Slot {
    let s = this.slots.get(inst);
    if (s === undefined) {
      s = { promised: NO_BALLOT, vbal: NO_BALLOT, val: null };
      this.slots.set(inst, s);
    }
    return s;
  }
}
