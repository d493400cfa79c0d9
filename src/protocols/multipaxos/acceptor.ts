/**
 * The acceptor of Multi-Paxos and Fast Paxos: one promised ballot for every instance (phase 1 runs
 * once per leadership), a promise per instance where a coordinator ran a classic round for that
 * instance alone, and per instance the highest-ballot proposal accepted. Everything it reports is
 * forced to disk first. A batch of ACCEPT entries costs one fsync.
 *
 * With `fast`, it also takes Fast Paxos's "any" message: for the instances it covers, the first
 * value a client proposes directly is accepted in the coordinator's fast round, and the acceptance
 * goes to that coordinator (the ballot's owner).
 */
import { assert, assertNever } from "../../sim/assert.js";
import type { DiskDone, Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import { NO_BALLOT, asBallot, compareBallots, maxBallot, ownerOf, sameBallot, type Ballot } from "../paxos/ballot.js";
import { proposerAt, type PaxosCluster } from "../paxos/cluster.js";
import { DurableLog } from "../paxos/durable-log.js";
import { tracePaxos } from "../paxos/events.js";
import type { Entry } from "../paxos/messages.js";
import type { LogMessage, Vote } from "./messages.js";

type Ctx = NodeContext<LogMessage>;

export interface LogAcceptorConfig {
  readonly cluster: PaxosCluster;
  /** Takes ANY and PROPOSE (Fast Paxos). */
  readonly fast: boolean;
}

/**
 * Log records: `{p}` a promise for every instance, `{i, p}` a promise for one, `{i, b, v}` an
 * acceptance (`f`: in a fast round), `{any, from, except}` a fast round's "any".
 */
type Rec =
  | { readonly p: Ballot }
  | { readonly i: number; readonly p: Ballot }
  | { readonly i: number; readonly b: Ballot; readonly v: string; readonly f: boolean }
  | { readonly any: Ballot; readonly from: number; readonly except: readonly number[] };

interface Accepted {
  readonly bal: Ballot;
  readonly val: string;
}

interface AnyGrant {
  readonly bal: Ballot;
  readonly from: number;
  readonly except: readonly number[];
}

export class LogAcceptor implements Node<LogMessage, TraceValue> {
  /** Promised for every instance. */
  private promised: Ballot = NO_BALLOT;
  /** Promised (or accepted) for one instance, where that is above `promised`. */
  private readonly instPromised = new Map<number, Ballot>();
  private readonly accepted = new Map<number, Accepted>();
  private any: AnyGrant | null = null;
  private readonly log = new DurableLog("acceptor");

  constructor(
    private readonly id: NodeId,
    private readonly cfg: LogAcceptorConfig,
  ) {}

  onStart(ctx: Ctx, how: StartKind): void {
    if (how === "fresh") return;
    for (const r of this.log.records(ctx)) {
      assert(typeof r === "object" && r !== null && !Array.isArray(r), `${this.id}: bad acceptor record`);
      const rec = r as Rec;
      if ("any" in rec) {
        this.any = { bal: asBallot(rec.any, "any ballot"), from: rec.from, except: rec.except };
      } else if ("b" in rec) {
        const bal = asBallot(rec.b, "accepted ballot");
        this.accepted.set(rec.i, { bal, val: rec.v });
        this.raise(rec.i, bal);
      } else if ("i" in rec) {
        this.raise(rec.i, asBallot(rec.p, "promised ballot"));
      } else {
        this.promised = maxBallot(this.promised, asBallot(rec.p, "promised ballot"));
      }
    }
    if (this.any !== null && compareBallots(this.any.bal, this.promised) < 0) this.any = null;
  }

  onMessage(ctx: Ctx, from: NodeId, msg: LogMessage): void {
    switch (msg.type) {
      case "PREPARE":
        return msg.to === 0 ? this.onPrepareAll(ctx, from, msg.bal, msg.from) : this.onPrepareOne(ctx, from, msg.bal, msg.from, msg.to);
      case "ACCEPT":
        return this.onAccept(ctx, from, msg.bal, msg.entries);
      case "ANY":
        assert(this.cfg.fast, `${this.id} got ANY but runs classic Multi-Paxos`);
        return this.onAny(ctx, msg.bal, msg.from, msg.except);
      case "PROPOSE":
        assert(this.cfg.fast, `${this.id} got PROPOSE but runs classic Multi-Paxos`);
        return this.onPropose(ctx, msg.inst, msg.val);
      case "PROMISE":
      case "ACCEPTED":
      case "NACK":
      case "REQUEST":
      case "REPLY":
      case "CHOSEN":
      case "LEARNED":
        return assert(false, `acceptor ${this.id} got ${msg.type} from ${from}`);
      default:
        return assertNever(msg, "Multi-Paxos message");
    }
  }

  onDiskDone(_ctx: Ctx, done: DiskDone): void {
    assert(this.log.onDiskDone(done), `${this.id}: unexpected disk completion ${done.file} ${done.tag}`);
  }

  /** What this acceptor has promised for one instance. */
  private promisedFor(inst: number): Ballot {
    const own = this.instPromised.get(inst);
    return own === undefined ? this.promised : maxBallot(own, this.promised);
  }

  private raise(inst: number, bal: Ballot): void {
    if (compareBallots(bal, this.promisedFor(inst)) > 0) this.instPromised.set(inst, bal);
  }

  /** The highest ballot promised anywhere (a new leader picks its round above it). */
  private high(): Ballot {
    let h = this.promised;
    for (const b of this.instPromised.values()) h = maxBallot(h, b);
    return h;
  }

  private votes(from: number, to: number): Vote[] {
    return [...this.accepted.entries()]
      .filter(([inst]) => inst >= from && (to === 0 || inst <= to))
      .sort(([a], [b]) => a - b)
      .map(([inst, a]) => [inst, a.bal, a.val] as const);
  }

  /** Phase 1 of a new leader: one promise for every instance, reporting what was accepted from `from` on. */
  private onPrepareAll(ctx: Ctx, from: NodeId, bal: Ballot, first: number): void {
    const order = compareBallots(bal, this.promised);
    if (order < 0) return ctx.send(from, { type: "NACK", bal, promised: this.promised, insts: [] });
    const reply = (): void => ctx.send(from, { type: "PROMISE", bal, from: first, to: 0, acc: this.votes(first, 0), high: this.high() });
    if (order === 0) return this.log.afterDurable(reply);
    this.promised = bal;
    if (this.any !== null && compareBallots(this.any.bal, bal) < 0) this.any = null;
    this.log.persist(ctx, [{ p: bal }], () => {
      tracePaxos(ctx, { type: "promise", inst: first, bal, all: true });
      reply();
    });
  }

  /** Phase 1 of a classic round for one instance (a Fast Paxos coordinator's recovery). */
  private onPrepareOne(ctx: Ctx, from: NodeId, bal: Ballot, first: number, last: number): void {
    assert(first === last && first >= 1, `${this.id}: PREPARE for instances ${first}..${last}`);
    const inst = first;
    const order = compareBallots(bal, this.promisedFor(inst));
    if (order < 0) return ctx.send(from, { type: "NACK", bal, promised: this.promisedFor(inst), insts: [inst] });
    const reply = (): void => ctx.send(from, { type: "PROMISE", bal, from: inst, to: inst, acc: this.votes(inst, inst), high: this.high() });
    if (order === 0) return this.log.afterDurable(reply);
    this.instPromised.set(inst, bal);
    this.log.persist(ctx, [{ i: inst, p: bal }], () => {
      tracePaxos(ctx, { type: "promise", inst, bal, all: false });
      reply();
    });
  }

  private onAccept(ctx: Ctx, from: NodeId, bal: Ballot, entries: readonly Entry[]): void {
    const fresh: Entry[] = [];
    const repeated: Entry[] = [];
    let beaten: Ballot | null = null;
    const refused: number[] = [];
    for (const [inst, val] of entries) {
      const promised = this.promisedFor(inst);
      if (compareBallots(bal, promised) < 0) {
        beaten = beaten === null ? promised : maxBallot(beaten, promised);
        refused.push(inst);
        continue;
      }
      const had = this.accepted.get(inst);
      if (had !== undefined && sameBallot(had.bal, bal)) {
        assert(had.val === val, `${this.id}: ballot ${bal.join(".")} of instance ${inst} carried ${had.val} and ${val}`);
        repeated.push([inst, val]);
        continue;
      }
      this.accepted.set(inst, { bal, val });
      this.raise(inst, bal);
      fresh.push([inst, val]);
    }
    if (beaten !== null) ctx.send(from, { type: "NACK", bal, promised: beaten, insts: refused });
    const reply = (): void => ctx.send(from, { type: "ACCEPTED", bal, entries: [...repeated, ...fresh].sort(([a], [b]) => a - b) });
    if (fresh.length === 0) {
      if (repeated.length > 0) this.log.afterDurable(reply);
      return;
    }
    this.log.persist(
      ctx,
      fresh.map(([i, v]) => ({ i, b: bal, v, f: false })),
      () => {
        for (const [inst, val] of fresh) tracePaxos(ctx, { type: "accept", inst, bal, val, fast: false });
        reply();
      },
    );
  }

  /**
   * Fast Paxos's phase 2a with any value. Not forced: forgetting it in a crash only means refusing
   * fast proposals until the coordinator's next one, and every fast acceptance is forced anyway.
   */
  private onAny(ctx: Ctx, bal: Ballot, first: number, except: readonly number[]): void {
    if (compareBallots(bal, this.promised) < 0) return;
    this.promised = bal;
    this.any = { bal, from: first, except };
    this.log.append(ctx, { any: bal, from: first, except });
  }

  /** A client's value on the fast path: accepted if the fast round still stands for that instance. */
  private onPropose(ctx: Ctx, inst: number, val: string): void {
    const any = this.any;
    if (any === null || inst < any.from || any.except.includes(inst)) return ctx.mark("fastpaxos: proposal outside a fast round");
    if (!sameBallot(this.promisedFor(inst), any.bal)) return ctx.mark("fastpaxos: proposal after a higher promise");
    const had = this.accepted.get(inst);
    // One vote per acceptor per round: the second of two colliding proposals is refused.
    if (had !== undefined && compareBallots(had.bal, any.bal) >= 0) return ctx.mark("fastpaxos: second proposal in one fast round");
    const bal = any.bal;
    this.accepted.set(inst, { bal, val });
    const coordinator = proposerAt(this.cfg.cluster, ownerOf(bal));
    this.log.persist(ctx, [{ i: inst, b: bal, v: val, f: true }], () => {
      tracePaxos(ctx, { type: "accept", inst, bal, val, fast: true });
      ctx.send(coordinator, { type: "ACCEPTED", bal, entries: [[inst, val]] });
    });
  }
}
