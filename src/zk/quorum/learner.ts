import type { ConnectionChange, NodeId } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import type { Id } from "../acl.js";
import type { LocalSession, WritePath } from "../server/serving.js";
import { decodeLogRecord } from "../server/txn-log.js";
import { hex, toWire } from "../server/wire.js";
import type { LoggedTxn } from "../server/zkdb.js";
import type { WriteRequest } from "../validate.js";
import { lateByUs, QUORUM_BUGGIFY } from "./buggify-points.js";
import { nodeOfSid } from "./config.js";
import { ZAB_CHANNEL, type PeerCtx, type PeerHost } from "./host.js";
import type { ZabPacket } from "./packets.js";
import { ACCEPTED_EPOCH, CURRENT_EPOCH, makeZxid, ZabDisk } from "./zab-disk.js";

/** A txn received from the leader, with the client request it answers. */
type InFlight = { readonly t: LoggedTxn; readonly origin: number; readonly xid: number | null };

const CONNECT = "zab-connect";
/** `connectToLeader` bounds every attempt by what is left of initLimit ticks: the whole phase ends then. */
const CONNECT_LIMIT = "zab-connect-limit";
const READ = "zab-read";
/** BUGGIFY `zab.learner.ack-delay`: held ACKs go out when it fires. */
const ACK_DELAY = "zab-ack-delay";
/** `Learner.connectToLeader`: `zookeeper.leaderConnectDelayDuringRetryMs` between attempts, 5 attempts within initLimit ticks. */
const CONNECT_RETRY_US = 100_000;
const CONNECT_TRIES = 5;

/**
 * `Follower.followLeader` / `Observer.observeLeader` with `Learner.registerWithLeader` and
 * `syncWithLeader` (3.8.6): connect to the leader within initLimit; FOLLOWERINFO; on LEADERINFO
 * write acceptedEpoch if it is new, ACKEPOCH; take DIFF / TRUNC / SNAP; at NEWLEADER snapshot if
 * the sync replaced the state, append and fsync the proposals received so far, write currentEpoch,
 * ACK; at UPTODATE serve, commit what sync committed, send the deferred proposal ACKs. In
 * broadcast: log each PROPOSAL (group fsync) then ACK; apply COMMITs in order (observers apply
 * INFORMs); answer PINGs with the sessions touched. No packet within the read timeout (initLimit
 * ticks until NEWLEADER, syncLimit after) or a closed connection ends the role.
 */
export class Learner implements WritePath {
  private stage: "connecting" | "registered" | "syncing" | "newleader" | "broadcast" = "connecting";
  private readonly leaderNode: NodeId;
  private newEpoch = -1;
  private snapshotNeeded = false;
  private syncMode: "DIFF" | "TRUNC" | "SNAP" | null = null;
  /** Proposals received during sync, not yet logged (`packetsNotCommitted`). */
  private notCommitted: InFlight[] = [];
  /** Zxids committed during a DIFF sync, applied at UPTODATE (`packetsCommitted`). */
  private committed: bigint[] = [];
  /** Txns received during sync by zxid, for the commits at UPTODATE. */
  private readonly syncTxns = new Map<bigint, InFlight>();
  /** Logged proposals awaiting COMMIT, in order (`pendingTxns`). */
  private readonly pendingTxns: InFlight[] = [];
  /** Proposals logged after NEWLEADER: their ACKs wait for UPTODATE. */
  private deferredAcks: bigint[] = [];
  /** ACKs of durable proposals held back by BUGGIFY `zab.learner.ack-delay`, in zxid order. */
  private lateAcks: bigint[] = [];
  /** Packets that arrived while the learner was blocked on a synchronous disk write. */
  private blocked = false;
  private readonly inbox: ZabPacket[] = [];
  private connectDeadlineUs = 0;
  private connectTries = 0;
  private ended = false;

  constructor(
    private readonly peer: PeerHost,
    readonly leaderSid: number,
    readonly observer: boolean,
  ) {
    this.leaderNode = nodeOfSid(leaderSid);
  }

  private get tickUs(): number {
    return this.peer.cfg.serving.tickTimeMs * 1000;
  }

  start(ctx: PeerCtx): void {
    this.peer.setPhase(ctx, "DISCOVERY");
    this.connectDeadlineUs = ctx.now() + this.peer.cfg.initLimit * this.tickUs;
    this.connectTries = 1;
    ctx.setTimer(CONNECT_LIMIT, this.peer.cfg.initLimit * this.tickUs);
    if (ctx.buggify(QUORUM_BUGGIFY.learnerConnectRefused)) {
      // The first attempt is refused (the leader is not listening yet): `connectToLeader` retries.
      ctx.setTimer(CONNECT, CONNECT_RETRY_US);
      return;
    }
    ctx.connect(this.leaderNode, ZAB_CHANNEL);
  }

  private send(ctx: PeerCtx, pkt: ZabPacket): void {
    ctx.send(this.leaderNode, pkt, ZAB_CHANNEL);
  }

  onConnection(ctx: PeerCtx, change: ConnectionChange): void {
    if (change.peer !== this.leaderNode || this.ended) return;
    if (change.up) {
      if (this.stage !== "connecting") return;
      ctx.cancelTimer(CONNECT);
      ctx.cancelTimer(CONNECT_LIMIT);
      this.stage = "registered";
      this.send(ctx, { type: this.observer ? "OBSERVERINFO" : "FOLLOWERINFO", sid: this.peer.sid, acceptedEpoch: this.peer.acceptedEpoch });
      ctx.setTimer(READ, this.peer.cfg.initLimit * this.tickUs);
      return;
    }
    if (this.stage === "connecting") {
      if (this.connectTries >= CONNECT_TRIES) return this.fail(ctx, `could not connect to leader ${this.leaderSid}: retries exceeded`);
      if (ctx.now() + CONNECT_RETRY_US > this.connectDeadlineUs) return this.fail(ctx, `could not connect to leader ${this.leaderSid}: connectToLeader exceeded initLimit`);
      ctx.setTimer(CONNECT, CONNECT_RETRY_US);
      return;
    }
    this.fail(ctx, `connection to leader ${this.leaderSid} ${change.reason}`);
  }

  onTimer(ctx: PeerCtx, name: string): void {
    if (this.ended) return;
    if (name === CONNECT) {
      this.connectTries++;
      ctx.connect(this.leaderNode, ZAB_CHANNEL);
    }
    if (name === ACK_DELAY) this.sendLateAcks(ctx);
    if (name === READ) this.fail(ctx, `no packet from leader ${this.leaderSid} within the read timeout`);
    if (name === CONNECT_LIMIT && this.stage === "connecting") this.fail(ctx, `connectToLeader exceeded on retries (leader ${this.leaderSid})`);
  }

  private fail(ctx: PeerCtx, reason: string): void {
    this.end(ctx);
    this.peer.shutdown(ctx, reason);
  }

  end(ctx: PeerCtx): void {
    if (this.ended) return;
    this.ended = true;
    ctx.cancelTimer(CONNECT);
    ctx.cancelTimer(CONNECT_LIMIT);
    ctx.cancelTimer(READ);
    ctx.cancelTimer(ACK_DELAY);
    if (ctx.isConnected(this.leaderNode, ZAB_CHANNEL)) ctx.disconnect(this.leaderNode, ZAB_CHANNEL);
  }

  onPacket(ctx: PeerCtx, from: NodeId, pkt: ZabPacket): void {
    if (from !== this.leaderNode || this.ended) return;
    const limit = this.stage === "newleader" || this.stage === "broadcast" ? this.peer.cfg.syncLimit : this.peer.cfg.initLimit;
    ctx.setTimer(READ, limit * this.tickUs);
    if (this.blocked) {
      this.inbox.push(pkt);
      return;
    }
    this.handle(ctx, pkt);
  }

  /** Blocks packet handling until `then` calls `unblock` (a synchronous disk write of the real learner). */
  private block(): void {
    this.blocked = true;
  }

  private unblock(ctx: PeerCtx): void {
    this.blocked = false;
    while (!this.blocked && !this.ended && this.inbox.length > 0) this.handle(ctx, this.inbox.shift() as ZabPacket);
  }

  private handle(ctx: PeerCtx, pkt: ZabPacket): void {
    const p = this.peer;
    switch (pkt.type) {
      case "LEADERINFO":
        return this.onLeaderInfo(ctx, pkt.epoch);
      case "DIFF":
        this.stage = "syncing";
        this.syncMode = "DIFF";
        this.snapshotNeeded = false;
        ctx.trace({ type: "zab-sync-start", mode: "DIFF", zxid: pkt.zxid });
        return;
      case "TRUNC":
        this.stage = "syncing";
        this.syncMode = "TRUNC";
        this.snapshotNeeded = true;
        ctx.trace({ type: "zab-sync-start", mode: "TRUNC", zxid: pkt.zxid });
        ctx.trace({ type: "zab-truncate", zxid: pkt.zxid });
        p.disk.truncate(ctx, BigInt(pkt.zxid));
        ZabDisk.load(ctx, p.db, "trunc");
        return;
      case "SNAP":
        this.stage = "syncing";
        this.syncMode = "SNAP";
        this.snapshotNeeded = true;
        p.snapInProgress = true;
        ctx.trace({ type: "zab-sync-start", mode: "SNAP", zxid: pkt.zxid });
        // Logged txns beyond the leader's state were never committed; replaying them later would resurrect them.
        p.disk.truncate(ctx, BigInt(pkt.zxid));
        ctx.trace({ type: "zk-db-reset", why: "snap" });
        p.db.clear();
        for (const rec of pkt.history) {
          const t = decodeLogRecord(rec);
          p.db.apply(ctx, t.hdr, t.txn);
        }
        return;
      case "PROPOSAL": {
        const f: InFlight = { t: decodeLogRecord(pkt.rec), origin: pkt.origin, xid: pkt.xid };
        if (this.stage === "broadcast") return this.logProposal(ctx, f);
        this.notCommitted.push(f);
        this.syncTxns.set(f.t.hdr.zxid, f);
        return;
      }
      case "COMMIT":
        return this.onCommit(ctx, BigInt(pkt.zxid));
      case "INFORM": {
        const t = decodeLogRecord(pkt.rec);
        if (this.stage !== "broadcast" && (!this.snapshotNeeded || this.stage === "newleader")) {
          // Learner.syncWithLeader: once txns go to the log (`writeToTxnLog`: a DIFF, or after
          // NEWLEADER) an INFORM joins packetsNotCommitted and packetsCommitted, committed at
          // UPTODATE after the DIFF's own txns; applying it now would put it ahead of them.
          const f: InFlight = { t, origin: pkt.origin, xid: pkt.xid };
          this.notCommitted.push(f);
          this.syncTxns.set(t.hdr.zxid, f);
          this.committed.push(t.hdr.zxid);
          return;
        }
        p.disk.append(ctx, t);
        if (this.stage === "broadcast") p.core?.commit(ctx, t.hdr, t.txn, pkt.origin === p.sid ? pkt.xid : null, pkt.xid === null);
        else p.db.apply(ctx, t.hdr, t.txn);
        return;
      }
      case "NEWLEADER":
        return this.onNewLeader(ctx, BigInt(pkt.zxid));
      case "UPTODATE":
        return this.onUpToDate(ctx);
      case "PING":
        this.send(ctx, { type: "PING", touches: (p.core?.takeTouches() ?? []).map(([id, to]) => [hex(id), to] as const) });
        return;
      case "SYNC":
        p.core?.syncDone(ctx, BigInt(pkt.session), pkt.xid);
        return;
      default:
        return;
    }
  }

  private onLeaderInfo(ctx: PeerCtx, epoch: number): void {
    const p = this.peer;
    this.newEpoch = epoch;
    const ack = (currentEpoch: number): void => this.send(ctx, { type: "ACKEPOCH", lastZxid: hex(p.db.lastZxid), currentEpoch });
    if (epoch > p.acceptedEpoch) {
      this.block();
      // Were the field set only once the write is durable, a learner that ends first would leave it
      // behind the disk, and this peer, leading next, would propose a lower epoch (fuzz seed 6881).
      p.setEpoch(ctx, ACCEPTED_EPOCH, epoch, () => {
        if (this.ended) return;
        ack(p.currentEpoch);
        this.unblock(ctx);
      });
      return;
    }
    if (epoch === p.acceptedEpoch) return ack(-1);
    this.fail(ctx, `Leaders epoch, ${epoch} is less than accepted epoch, ${p.acceptedEpoch}`);
  }

  private onCommit(ctx: PeerCtx, zxid: bigint): void {
    const p = this.peer;
    if (this.stage === "broadcast") {
      if (p.cfg.mutations.includes("out-of-order-commit")) {
        const i = this.pendingTxns.findIndex((f) => f.t.hdr.zxid === zxid);
        const f = i < 0 ? undefined : this.pendingTxns.splice(i, 1)[0];
        if (f !== undefined) p.core?.commit(ctx, f.t.hdr, f.t.txn, f.origin === p.sid ? f.xid : null, f.xid === null);
        return;
      }
      const head = this.pendingTxns[0];
      if (head === undefined || head.t.hdr.zxid !== zxid) {
        // Follower.processPacket -> FollowerZooKeeperServer.commit: the real server exits.
        ctx.mark("zab: COMMIT out of order on a follower");
        ctx.trace({ type: "zab-bad-commit", zxid: hex(zxid), head: head === undefined ? null : hex(head.t.hdr.zxid) });
        return this.fail(ctx, `Committing zxid ${hex(zxid)} but next pending txn ${head === undefined ? "none" : hex(head.t.hdr.zxid)}`);
      }
      this.pendingTxns.shift();
      p.core?.commit(ctx, head.t.hdr, head.t.txn, head.origin === p.sid ? head.xid : null, head.xid === null);
      return;
    }
    // Learner.syncWithLeader's COMMIT case dereferences packetsNotCommitted.peekFirst() first; then,
    // in a DIFF sync or after NEWLEADER (`writeToTxnLog`), the zxid joins packetsCommitted and is
    // committed at UPTODATE, in order; only between a SNAP or TRUNC and NEWLEADER is it applied at
    // once (the snapshot at NEWLEADER will hold it). Applying a post-NEWLEADER commit at once would
    // skip the proposals NEWLEADER logged, which are no longer in packetsNotCommitted.
    const first = this.notCommitted[0];
    if (first === undefined) {
      // ZOOKEEPER-4394 (through 3.8.6, any sync mode): NEWLEADER emptied packetsNotCommitted; this NPE aborts the sync.
      ctx.mark("zab: ZOOKEEPER-4394 COMMIT after NEWLEADER with nothing pending");
      return this.fail(ctx, "NullPointerException: COMMIT during sync with no pending proposal (ZOOKEEPER-4394)");
    }
    if (!this.snapshotNeeded || this.stage === "newleader") {
      this.committed.push(zxid);
      return;
    }
    if (first.t.hdr.zxid !== zxid) {
      ctx.mark("zab: sync COMMIT does not match the first pending proposal");
      return;
    }
    this.notCommitted.shift();
    p.db.apply(ctx, first.t.hdr, first.t.txn);
  }

  /** NEWLEADER (3.8.6): snapshot if needed, log the pending proposals synchronously, currentEpoch, ACK. */
  private onNewLeader(ctx: PeerCtx, zxid: bigint): void {
    const p = this.peer;
    this.block();
    const afterSnapshot = (): void => {
      for (const f of this.notCommitted) {
        p.disk.append(ctx, f.t);
        this.deferredAcks.push(f.t.hdr.zxid);
      }
      this.notCommitted = [];
      p.disk.whenSynced(ctx, () => {
        if (this.ended) return;
        p.setEpoch(ctx, CURRENT_EPOCH, this.newEpoch, () => {
          if (this.ended) return;
          p.snapInProgress = false;
          this.stage = "newleader";
          p.setPhase(ctx, "SYNCHRONIZATION");
          this.send(ctx, { type: "ACK", zxid: hex(zxid) });
          ctx.setTimer(READ, p.cfg.syncLimit * this.tickUs);
          this.unblock(ctx);
        });
      });
    };
    if (this.snapshotNeeded) p.disk.snapshot(ctx, p.db, () => !this.ended && afterSnapshot());
    else afterSnapshot();
  }

  /**
   * UPTODATE: serve; commit what the sync committed, in order; proposals that came after NEWLEADER
   * go through the normal log path now (acked once durable); the ones logged at NEWLEADER are acked.
   */
  private onUpToDate(ctx: PeerCtx): void {
    const p = this.peer;
    this.stage = "broadcast";
    this.send(ctx, { type: "ACK", zxid: hex(makeZxid(this.newEpoch, 0)) });
    p.setPhase(ctx, "BROADCAST");
    const core = p.startServing(ctx, this, p.cfg.mutations.includes("follower-expires-sessions"));
    p.updateElectionVote(this.newEpoch);
    const committed = new Set(this.committed);
    const lateLogged = new Set(this.notCommitted.map((f) => f.t.hdr.zxid));
    for (const f of this.notCommitted) p.disk.append(ctx, f.t);
    this.notCommitted = [];
    // The out-of-order-commit mutation applies what the sync committed newest-first.
    const reversed: InFlight[] = [];
    const unordered = p.cfg.mutations.includes("out-of-order-commit");
    for (const [z, f] of this.syncTxns) {
      if (z <= p.db.lastZxid) continue;
      if (!committed.has(z)) this.pendingTxns.push(f);
      else if (unordered) reversed.unshift(f);
      else core.commit(ctx, f.t.hdr, f.t.txn, f.origin === p.sid ? f.xid : null, f.xid === null);
    }
    for (const f of reversed) core.commit(ctx, f.t.hdr, f.t.txn, f.origin === p.sid ? f.xid : null, f.xid === null);
    this.committed = [];
    this.syncTxns.clear();
    for (const z of this.deferredAcks) if (!lateLogged.has(z)) this.send(ctx, { type: "ACK", zxid: hex(z) });
    this.deferredAcks = [];
  }

  private logProposal(ctx: PeerCtx, f: InFlight): void {
    this.pendingTxns.push(f);
    this.peer.disk.append(ctx, f.t);
  }

  /** The log write of proposals became durable: ACK them (`SendAckRequestProcessor`); observers never ack. */
  onSynced(ctx: PeerCtx, batch: readonly LoggedTxn[]): void {
    if (this.ended || this.observer || this.stage !== "broadcast") return;
    // ACKs go out in zxid order: once some are held, the later ones queue behind them.
    if (this.lateAcks.length > 0 || ctx.buggify(QUORUM_BUGGIFY.learnerAckDelay)) {
      for (const t of batch) this.lateAcks.push(t.hdr.zxid);
      if (!ctx.hasTimer(ACK_DELAY)) ctx.setTimer(ACK_DELAY, lateByUs(ctx.random, this.peer.cfg.serving.tickTimeMs));
      return;
    }
    for (const t of batch) this.send(ctx, { type: "ACK", zxid: hex(t.hdr.zxid) });
  }

  private sendLateAcks(ctx: PeerCtx): void {
    for (const z of this.lateAcks) this.send(ctx, { type: "ACK", zxid: hex(z) });
    this.lateAcks = [];
  }

  // ---------------------------------------------------------------- the write path

  submit(ctx: PeerCtx, s: LocalSession | { readonly id: bigint; readonly authIds: readonly Id[] }, xid: number | null, req: WriteRequest): void {
    this.send(ctx, { type: "REQUEST", session: hex(s.id), xid, req: toWire(req), auth: toWire(s.authIds) as TraceValue });
  }

  sync(ctx: PeerCtx, s: LocalSession, xid: number): void {
    this.send(ctx, { type: "SYNC", session: hex(s.id), xid });
  }

  outstanding(): number {
    return this.pendingTxns.length;
  }
}
