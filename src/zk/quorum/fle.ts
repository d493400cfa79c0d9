/**
 * Fast Leader Election as ZooKeeper 3.8.6 runs it (`quorum/FastLeaderElection.java`), as a state
 * machine a quorum peer embeds. The Java code is a loop on a blocking queue fed by a receiver
 * thread; here the receiver is `onMessage` (`WorkerReceiver`), the queue is `recvqueue`, and the
 * loop's two blocking polls are the timers `fle-poll` (the notification interval with its backoff)
 * and `fle-finalize` (the 200 ms quiet period before a decision). Connections, the send queues of
 * one message and the handshake are in fle-cnx.ts (`QuorumCnxManager`); vote order, equality and
 * counting in fle-vote.ts.
 *
 * The peer calls `start` once, `lookForLeader` whenever it is LOOKING, and hears the outcome
 * through `onDecided` (once per round). It then reports what it serves with `setServing` and, after
 * synchronisation, `updateElectionVote`; with these FLE answers servers that are still looking.
 */
import { assert, assertNever } from "../../sim/assert.js";
import type { ConnectionChange, Message, NodeContext, NodeId } from "../../sim/node.js";
import { longHex } from "../java-int.js";
import { QUORUM_BUGGIFY } from "./buggify-points.js";
import { ElectionCnx } from "./fle-cnx.js";
import type { ElectionInput, FleConfig, ServingVote } from "./fle-config.js";
import {
  ELECTION_CHANNEL,
  NO_EPOCH,
  NO_LEADER,
  NO_ZXID,
  notificationMessage,
  readNotification,
  type FleMessage,
  type FleNotificationMessage,
  type Notification,
  type PeerState,
} from "./fle-messages.js";
import { checkLeader, hasQuorum, totalOrderPredicate, type Proposal, type Vote } from "./fle-vote.js";

export { ELECTION_CHANNEL, NO_EPOCH, NO_LEADER, NO_ZXID } from "./fle-messages.js";
export type { FleHelloMessage, FleMessage, FleNotificationMessage, PeerState } from "./fle-messages.js";
export type { Decision, ElectionInput, FleConfig, ServingVote } from "./fle-config.js";

type Ctx = NodeContext<FleMessage>;

const POLL_TIMER = "fle-poll";
const FINALIZE_TIMER = "fle-finalize";
const MS = 1_000;

/** The locals of one `lookForLeader` call. */
interface Round {
  readonly me: ElectionInput;
  /** Votes of this round (LOOKING ones, and FOLLOWING/LEADING ones of the same round). */
  readonly recvset: Map<number, Vote>;
  /** FOLLOWING/LEADING votes of any round: how a late joiner finds a running ensemble. */
  readonly outofelection: Map<number, Vote>;
  /** The current poll timeout, doubled after every empty poll. */
  notTimeoutMs: number;
  /** In the inner loop that waits `finalizeWait` for a better vote before deciding. */
  finalizing: boolean;
  /** BUGGIFY `fle.extra-notification` fired this round (once at most: with many voters, duplicates would breed). */
  extraSent: boolean;
}

/** `Vote(myid, getLastLoggedZxid(), getCurrentEpoch())`, what `QuorumPeer.startLeaderElection` serves first. */
const startVote = (myId: number, me: ElectionInput): Vote => ({
  id: myId,
  zxid: me.lastZxid,
  electionEpoch: -1,
  peerEpoch: me.currentEpoch,
  state: "LOOKING",
  version: 0,
});

export class FastLeaderElection {
  private readonly myId: number;
  /** Ascending, as Java iterates its HashSet of small Longs. */
  private readonly voters: readonly number[];
  private readonly voterSet: ReadonlySet<number>;
  private readonly isVoter: boolean;
  private readonly finalizeWaitUs: number;
  private readonly minIntervalMs: number;
  private readonly maxIntervalMs: number;
  private readonly cnx: ElectionCnx;
  private started = false;
  /** `logicalclock`: the election round; 0 until the first `lookForLeader` of this incarnation. */
  private clock = 0;
  /** `proposedLeader`, `proposedZxid`, `proposedEpoch` (`starter` sets -1, -1; the epoch starts at 0). */
  private proposal: Proposal = { leader: -1, zxid: -1n, peerEpoch: 0 };
  /** `QuorumPeer.state`: LOOKING from the start, observers included. */
  private peerState: PeerState = "LOOKING";
  /** `QuorumPeer.currentVote`: what a non-looking server answers, and what voters tell observers. */
  private current: Vote | null = null;
  private round: Round | null = null;
  /** `recvqueue`: notifications `WorkerReceiver` queued for the election loop. */
  private readonly recvqueue: Notification[] = [];
  private pumping = false;

  constructor(private readonly cfg: FleConfig) {
    const ids = [...cfg.voters, ...cfg.observers];
    assert(cfg.voters.length > 0, "an ensemble needs at least one voter");
    assert(ids.every((s) => Number.isSafeInteger(s) && s > 0), `server ids are positive integers: ${ids.join(",")}`);
    assert(new Set(ids).size === ids.length, `a server id is listed twice: ${ids.join(",")}`);
    assert(ids.includes(cfg.myId), `server ${cfg.myId} is not in the ensemble`);
    this.myId = cfg.myId;
    this.voters = [...cfg.voters].sort((a, b) => a - b);
    this.voterSet = new Set(this.voters);
    this.isVoter = this.voterSet.has(cfg.myId);
    const positive = (v: number, what: string): number => {
      assert(Number.isSafeInteger(v) && v > 0, `${what} must be a positive integer of ms, got ${v}`);
      return v;
    };
    this.finalizeWaitUs = positive(cfg.finalizeWaitMs ?? 200, "finalizeWaitMs") * MS;
    this.minIntervalMs = positive(cfg.minNotificationIntervalMs ?? 200, "minNotificationIntervalMs");
    this.maxIntervalMs = positive(cfg.maxNotificationIntervalMs ?? 60_000, "maxNotificationIntervalMs");
    this.cnx = new ElectionCnx(cfg.myId, cfg.nodeOf);
  }

  get logicalClock(): number {
    return this.clock;
  }

  get state(): PeerState {
    return this.peerState;
  }

  /** `QuorumPeer.getCurrentVote()`, or null before the first round. */
  get currentVote(): (ServingVote & { readonly electionEpoch: number }) | null {
    const v = this.current;
    return v === null ? null : { leader: v.id, zxid: v.zxid, electionEpoch: v.electionEpoch, peerEpoch: v.peerEpoch };
  }

  /** Servers with a settled election connection, by sid. */
  connectedPeers(): number[] {
    return this.cnx.connectedSids();
  }

  /**
   * Peer start (`QuorumPeer.startLeaderElection` and `FastLeaderElection.start`). `QuorumCnxManager`
   * dials lazily, from `toSend` (its `connectAll` at this point has no queue to walk), so the
   * connections open with the first notifications of `lookForLeader`. `me`, when given, is the vote
   * served before the first round ends (it is also taken from the first `lookForLeader`).
   */
  start(_ctx: Ctx, me?: ElectionInput): void {
    assert(!this.started, "FastLeaderElection.start runs once per incarnation");
    this.started = true;
    if (me !== undefined) this.current = startVote(this.myId, me);
  }

  /**
   * `lookForLeader`: a new round with my own vote, sent to every voter including me (the loopback
   * is how my vote gets into `recvset`); then the loop runs on notifications and timers.
   */
  lookForLeader(ctx: Ctx, me: ElectionInput): void {
    assert(this.started, "lookForLeader before start");
    assert(this.round === null, "lookForLeader while a round is running");
    this.peerState = "LOOKING";
    this.current ??= startVote(this.myId, me);
    this.clock++;
    this.proposal = this.initialVote(me);
    this.round = { me, recvset: new Map(), outofelection: new Map(), notTimeoutMs: this.minIntervalMs, finalizing: false, extraSent: false };
    this.traceRound(ctx, "start");
    this.sendNotifications(ctx);
    ctx.setTimer(POLL_TIMER, this.round.notTimeoutMs * MS);
    this.pump(ctx);
  }

  /**
   * The peer's state and vote after a decision (`QuorumPeer.setPeerState`, `setCurrentVote`): what
   * FLE answers to servers still looking. The vote keeps the current round as its election epoch.
   */
  setServing(state: PeerState, vote: ServingVote): void {
    assert(this.round === null, "setServing while an election round is running");
    this.peerState = state;
    this.current = { id: vote.leader, zxid: vote.zxid, electionEpoch: this.clock, peerEpoch: vote.peerEpoch, state: "LOOKING", version: 0 };
  }

  /** `QuorumPeer.updateElectionVote`: after sync the served vote carries the new epoch (ZOOKEEPER-1732). */
  updateElectionVote(newEpoch: number): void {
    assert(Number.isSafeInteger(newEpoch), "an epoch is an integer");
    if (this.current !== null) this.current = { ...this.current, peerEpoch: newEpoch };
  }

  /** True when the message is FLE's (`fle-notification`, `fle-hello`). */
  onMessage(ctx: Ctx, from: NodeId, msg: Message): boolean {
    if (msg.type !== "fle-notification" && msg.type !== "fle-hello") return false;
    assert(this.started, `election message from ${from} before start`);
    const m = msg as FleMessage;
    const sid = this.cfg.sidOf(from);
    // QuorumCnxManager only talks to members of the view.
    if (sid === undefined) return true;
    switch (m.type) {
      case "fle-hello":
        assert(m.sid === sid, `node ${from} says it is server ${m.sid}`);
        this.cnx.onHello(ctx, sid);
        return true;
      case "fle-notification":
        this.receive(ctx, sid, readNotification(sid, m));
        this.pump(ctx);
        return true;
      default:
        return assertNever(m, "election message");
    }
  }

  /** True when the change concerns the election channel. */
  onConnection(ctx: Ctx, change: ConnectionChange): boolean {
    if (change.channel !== ELECTION_CHANNEL) return false;
    assert(this.started, `election connection news from ${change.peer} before start`);
    const sid = this.cfg.sidOf(change.peer);
    if (sid !== undefined) this.cnx.onConnection(ctx, sid, change);
    return true;
  }

  /** True when the timer is FLE's (named `fle-...`). */
  onTimer(ctx: Ctx, name: string): boolean {
    if (!name.startsWith("fle-")) return false;
    assert(name === POLL_TIMER || name === FINALIZE_TIMER, `unknown election timer ${name}`);
    if (name === POLL_TIMER) this.onPollTimeout(ctx);
    else this.onFinalizeTimeout(ctx);
    return true;
  }

  // ---------------------------------------------------------------- WorkerReceiver

  /**
   * `WorkerReceiver.run` for one notification from server `sid`. A non-voter gets my current vote
   * at once and is never queued. While LOOKING everything is queued for the loop, and a looking
   * sender from an older round gets my proposal; otherwise a looking sender gets my current vote
   * and state, which is how a newcomer finds a running ensemble.
   */
  private receive(ctx: Ctx, sid: number, n: Notification): void {
    if (!this.voterSet.has(sid)) {
      const v = this.current;
      if (v !== null) this.toSend(ctx, sid, notificationMessage(this.myId, this.peerState, v.id, v.zxid, this.clock, v.peerEpoch));
      return;
    }
    if (this.peerState === "LOOKING") {
      this.recvqueue.push(n);
      if (n.state === "LOOKING" && n.electionEpoch < this.clock) {
        const p = this.proposal;
        this.toSend(ctx, sid, notificationMessage(this.myId, "LOOKING", p.leader, p.zxid, this.clock, p.peerEpoch));
      }
      return;
    }
    const v = this.current;
    if (n.state === "LOOKING" && v !== null) {
      this.toSend(ctx, sid, notificationMessage(this.myId, this.peerState, v.id, v.zxid, v.electionEpoch, v.peerEpoch));
    }
  }

  // ---------------------------------------------------------------- lookForLeader's loop

  /**
   * Runs the loop over queued notifications. Each notification the main loop takes restarts the
   * poll (`recvqueue.poll(notTimeout)`); in the finalize wait the loop instead decides whether
   * the wait goes on. Between rounds (LOOKING, no round yet) notifications wait for the next one.
   */
  private pump(ctx: Ctx): void {
    if (this.pumping) return;
    this.pumping = true;
    let polled = false;
    for (;;) {
      const r = this.round;
      const n = this.recvqueue[0];
      if (r === null || n === undefined) break;
      this.recvqueue.shift();
      if (r.finalizing) this.finalizeStep(ctx, r, n);
      else {
        polled = true;
        this.loopStep(ctx, r, n);
      }
    }
    this.pumping = false;
    const r = this.round;
    if (polled && r !== null && !r.finalizing) ctx.setTimer(POLL_TIMER, r.notTimeoutMs * MS);
  }

  /** One pass of the `while` loop of `lookForLeader` with a notification in hand. */
  private loopStep(ctx: Ctx, r: Round, n: Notification): void {
    // Only votes from a voter for a voter take part; observers' votes are never counted.
    if (!this.voterSet.has(n.sid) || !this.voterSet.has(n.leader)) return;
    switch (n.state) {
      case "LOOKING":
        return this.onLooking(ctx, r, n);
      case "OBSERVING":
        return;
      case "FOLLOWING":
      case "LEADING":
        return this.onServingVote(ctx, r, n);
      default:
        return assertNever(n.state, "peer state");
    }
  }

  private onLooking(ctx: Ctx, r: Round, n: Notification): void {
    const init = this.initialVote(r.me);
    // A server whose database is not trustworthy (zxid -1) takes no part in a looking round.
    if (init.zxid === -1n || n.zxid === -1n) {
      ctx.mark("fle: ignored a looking notification (zxid -1)");
      return;
    }
    const theirs: Proposal = { leader: n.leader, zxid: n.zxid, peerEpoch: n.peerEpoch };
    if (n.electionEpoch > this.clock) {
      // A newer round: join it, forget this round's votes, and start again from my own vote.
      this.clock = n.electionEpoch;
      r.recvset.clear();
      this.proposal = totalOrderPredicate(theirs, init) ? theirs : init;
      this.traceRound(ctx, "adopt");
      this.sendNotifications(ctx);
    } else if (n.electionEpoch < this.clock) {
      return;
    } else if (totalOrderPredicate(theirs, this.proposal)) {
      this.proposal = theirs;
      this.sendNotifications(ctx);
    }
    r.recvset.set(n.sid, { id: n.leader, zxid: n.zxid, electionEpoch: n.electionEpoch, peerEpoch: n.peerEpoch, state: "LOOKING", version: 0 });
    // A vote sent twice (as `lastMessageSent` is on a new connection) changes no outcome.
    if (!r.extraSent && ctx.buggify(QUORUM_BUGGIFY.fleExtraNotification)) {
      r.extraSent = true;
      this.sendNotifications(ctx);
    }
    const mine: Vote = { ...this.proposalVote(), state: "LOOKING", version: 0 };
    if (hasQuorum(r.recvset, mine, this.voterSet)) {
      // A quorum agrees with me: decide unless a better vote shows up within finalizeWait.
      r.finalizing = true;
      ctx.cancelTimer(POLL_TIMER);
      // An election thread that polls late waits longer; a better vote still cuts the wait.
      ctx.setTimer(FINALIZE_TIMER, ctx.buggify(QUORUM_BUGGIFY.fleFinalizeLate) ? 2 * this.finalizeWaitUs : this.finalizeWaitUs);
    }
  }

  /**
   * The finalize wait's inner loop: a better notification goes back on the queue and the main loop
   * resumes; any other one is dropped and the wait starts over.
   */
  private finalizeStep(ctx: Ctx, r: Round, n: Notification): void {
    if (totalOrderPredicate({ leader: n.leader, zxid: n.zxid, peerEpoch: n.peerEpoch }, this.proposal)) {
      ctx.mark("fle: a better vote cut the finalize wait");
      r.finalizing = false;
      ctx.cancelTimer(FINALIZE_TIMER);
      this.recvqueue.push(n);
      return;
    }
    ctx.setTimer(FINALIZE_TIMER, this.finalizeWaitUs);
  }

  /**
   * `receivedFollowingNotification` (and `receivedLeadingNotification`, whose oracle applies only
   * to `QuorumOracleMaj`): a same-round quorum for n's leader, or a quorum of serving votes from any
   * round (`outofelection`), in both cases with the leader's own LEADING vote among them.
   */
  private onServingVote(ctx: Ctx, r: Round, n: Notification): void {
    const theirs: Vote = { id: n.leader, zxid: n.zxid, electionEpoch: n.electionEpoch, peerEpoch: n.peerEpoch, state: n.state, version: n.version };
    if (n.electionEpoch === this.clock) {
      r.recvset.set(n.sid, { ...theirs, version: 0 });
      if (hasQuorum(r.recvset, theirs, this.voterSet) && checkLeader(r.recvset, n.leader, n.electionEpoch, this.myId, this.clock)) {
        return this.decide(ctx, n.leader, n, "same-round");
      }
    }
    r.outofelection.set(n.sid, theirs);
    if (hasQuorum(r.outofelection, theirs, this.voterSet) && checkLeader(r.outofelection, n.leader, n.electionEpoch, this.myId, this.clock)) {
      ctx.mark("fle: joined a running ensemble (outofelection)");
      this.clock = n.electionEpoch;
      this.decide(ctx, n.leader, n, "out-of-election");
    }
  }

  /** An empty poll: re-send my vote if something got through, else dial everyone; back off. */
  private onPollTimeout(ctx: Ctx): void {
    const r = this.round;
    assert(r !== null && !r.finalizing, "the poll timer runs only in the main loop of a round");
    if (this.cnx.haveDelivered()) this.sendNotifications(ctx);
    else {
      ctx.mark("fle: nothing delivered, connectAll");
      this.cnx.connectAll(ctx);
    }
    r.notTimeoutMs = Math.min(r.notTimeoutMs * 2, this.maxIntervalMs);
    ctx.setTimer(POLL_TIMER, r.notTimeoutMs * MS);
    this.pump(ctx);
  }

  /** finalizeWait passed with no better vote: the proposal is the outcome. */
  private onFinalizeTimeout(ctx: Ctx): void {
    const r = this.round;
    assert(r !== null && r.finalizing, "the finalize timer runs only in the finalize wait");
    const p = this.proposal;
    this.decide(ctx, p.leader, { zxid: p.zxid, electionEpoch: this.clock, peerEpoch: p.peerEpoch }, "finalize");
  }

  /** `setPeerState` and `leaveInstance`: the round is over and the peer learns its new state. */
  private decide(
    ctx: Ctx,
    leader: number,
    v: { readonly zxid: bigint; readonly electionEpoch: number; readonly peerEpoch: number },
    via: "finalize" | "same-round" | "out-of-election",
  ): void {
    const state = leader === this.myId ? "LEADING" : this.isVoter ? "FOLLOWING" : "OBSERVING";
    this.peerState = state;
    this.current = { id: leader, zxid: v.zxid, electionEpoch: v.electionEpoch, peerEpoch: v.peerEpoch, state: "LOOKING", version: 0 };
    this.round = null;
    this.recvqueue.length = 0;
    ctx.cancelTimer(POLL_TIMER);
    ctx.cancelTimer(FINALIZE_TIMER);
    ctx.trace({ type: "fle-decided", state, leader, round: v.electionEpoch, peerEpoch: v.peerEpoch, zxid: longHex(v.zxid), via });
    this.cfg.onDecided(ctx, { state, leader, zxid: v.zxid, electionEpoch: v.electionEpoch, peerEpoch: v.peerEpoch });
  }

  // ---------------------------------------------------------------- sending

  /** `sendNotifications`: my proposal, as LOOKING, to every voter including me. */
  private sendNotifications(ctx: Ctx): void {
    const p = this.proposal;
    for (const sid of this.voters) this.toSend(ctx, sid, notificationMessage(this.myId, "LOOKING", p.leader, p.zxid, this.clock, p.peerEpoch));
  }

  /** `QuorumCnxManager.toSend`: to myself it goes straight to the receive side (loopback). */
  private toSend(ctx: Ctx, sid: number, msg: FleNotificationMessage): void {
    if (sid === this.myId) this.receive(ctx, sid, readNotification(sid, msg));
    else this.cnx.toSend(ctx, sid, msg);
  }

  // ---------------------------------------------------------------- votes

  /** `getInitId`, `getInitLastLoggedZxid`, `getPeerEpoch`: my own vote, or "none" for an observer. */
  private initialVote(me: ElectionInput): Proposal {
    if (!this.isVoter) return { leader: NO_LEADER, zxid: NO_ZXID, peerEpoch: NO_EPOCH };
    return { leader: this.myId, zxid: me.lastZxid, peerEpoch: me.currentEpoch };
  }

  private proposalVote(): Omit<Vote, "state" | "version"> {
    const p = this.proposal;
    return { id: p.leader, zxid: p.zxid, electionEpoch: this.clock, peerEpoch: p.peerEpoch };
  }

  private traceRound(ctx: Ctx, why: "start" | "adopt"): void {
    const p = this.proposal;
    ctx.trace({ type: "fle-round", round: this.clock, why, leader: p.leader, zxid: longHex(p.zxid), peerEpoch: p.peerEpoch });
  }
}
