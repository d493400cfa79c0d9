import type { ConnectionChange, NodeId } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import type { Id } from "../acl.js";
import { authInfoOrder, sessionAclHook } from "../cli/session-auth.js";
import { ERR } from "../errors.js";
import { PendingChanges } from "../pending-changes.js";
import { proposalBytes, type LeaderFigures } from "../server/four-letter-words.js";
import type { LocalSession, WritePath } from "../server/serving.js";
import { encodeLogRecord } from "../server/txn-log.js";
import { fromWire, hex } from "../server/wire.js";
import type { LoggedTxn } from "../server/zkdb.js";
import type { Txn, TxnHeader } from "../txn.js";
import { prepare, type WriteRequest } from "../validate.js";
import { lateByUs, QUORUM_BUGGIFY } from "./buggify-points.js";
import { isQuorum, sidOfNode } from "./config.js";
import { ZAB_CHANNEL, type PeerCtx, type PeerHost } from "./host.js";
import type { ZabPacket } from "./packets.js";
import { ACCEPTED_EPOCH, counterOf, CURRENT_EPOCH, epochOf, makeZxid } from "./zab-disk.js";

/** A learner as the leader sees it (`LearnerHandler`). */
type Handler = {
  readonly sid: number;
  readonly node: NodeId;
  observer: boolean;
  /** info: FOLLOWERINFO awaited; epoch: LEADERINFO sent; acked: ACKEPOCH in; newleader: NEWLEADER sent; ready: its ack in; uptodate. */
  stage: "info" | "epoch" | "acked" | "newleader" | "ready" | "uptodate";
  acceptedEpoch: number;
  peerLastZxid: bigint;
  /** `tickOfNextAckDeadline`. */
  deadline: number;
  /** Proposals sent and not acked: zxid -> virtual time sent (`SyncLimitCheck`). */
  readonly unacked: Map<bigint, number>;
  forwarding: boolean;
  /** The last half-tick PING was skipped (BUGGIFY `zab.leader.ping-late`): the next one goes out. */
  pingSkipped: boolean;
};

type Proposal = {
  readonly t: LoggedTxn;
  /** The txn as the log and the packets carry it (encoded once). */
  readonly rec: TraceValue;
  readonly acks: Set<number>;
  readonly origin: number;
  readonly xid: number | null;
};

type SyncWait = { readonly after: bigint; readonly sid: number; readonly session: bigint; readonly xid: number };

/** The path a txn acts on, for the trace (null for session txns, errors and multi). */
const txnPath = (t: Txn): string | null => ("path" in t ? t.path : null);

const TICK = "zab-tick";
const INIT = "zab-init";
/** BUGGIFY `zab.leader.commit-delay`: quorum-acked proposals wait for this timer to be committed. */
const COMMIT_DELAY = "zab-commit-delay";

/**
 * `Leader.lead` and its `LearnerHandler`s, as one state machine: discovery (a new epoch from a
 * quorum of FOLLOWERINFOs, acceptedEpoch written before LEADERINFO goes out; ACKEPOCHs from a
 * quorum, currentEpoch written), synchronisation per learner (DIFF, TRUNC, TRUNC+DIFF or SNAP from
 * the committed-log window, outstanding proposals, NEWLEADER; a quorum of NEWLEADER acks within
 * initLimit starts serving), then broadcast: writes prepped here get the next zxid and go out as
 * PROPOSALs before the leader's own log write, commit in zxid order once a quorum of voters acked
 * (the leader's own ack not required), COMMIT to followers and INFORM to observers. Every half tick
 * a PING; every tick the leader checks that a quorum is still synced, else it steps down.
 */
export class Leader implements WritePath {
  readonly epochs: { proposed: number; fixed: boolean; established: boolean; active: boolean } = { proposed: -1, fixed: false, established: false, active: false };
  private readonly handlers = new Map<number, Handler>();
  private readonly connecting = new Set<number>();
  private readonly electing = new Set<number>();
  private readonly newLeaderAcks = new Set<number>();
  private readonly proposals = new Map<bigint, Proposal>();
  private readonly syncWaits: SyncWait[] = [];
  private pending: PendingChanges;
  private lastProposed = 0n;
  private lastCommitted = 0n;
  private tick = 0;
  private halfTick = false;
  private ended = false;

  constructor(private readonly peer: PeerHost) {
    this.pending = new PendingChanges(peer.db.tree);
  }

  private get newLeaderZxid(): bigint {
    return makeZxid(this.epochs.proposed, 0);
  }

  start(ctx: PeerCtx): void {
    const p = this.peer;
    p.setPhase(ctx, "DISCOVERY");
    // lead(): zk.loadData() -- the retained database, snapshotted.
    p.disk.snapshot(ctx, p.db);
    ctx.setTimer(INIT, p.cfg.initLimit * p.cfg.serving.tickTimeMs * 1000);
    this.getEpochToPropose(ctx, p.sid, p.acceptedEpoch);
  }

  private send(ctx: PeerCtx, h: Handler, pkt: ZabPacket): void {
    ctx.send(h.node, pkt, ZAB_CHANNEL);
  }

  // ---------------------------------------------------------------- connections

  onConnection(ctx: PeerCtx, change: ConnectionChange): void {
    const sid = sidOfNode(change.peer);
    if (sid === undefined) return;
    if (change.up) {
      const old = this.handlers.get(sid);
      if (old !== undefined) this.dropHandler(ctx, old, "replaced by a new connection");
      const initial = this.tick + this.peer.cfg.initLimit + this.peer.cfg.syncLimit;
      this.handlers.set(sid, {
        sid,
        node: change.peer,
        observer: !this.peer.isVoter(sid),
        stage: "info",
        acceptedEpoch: -1,
        peerLastZxid: 0n,
        deadline: initial,
        unacked: new Map(),
        forwarding: false,
        pingSkipped: false,
      });
      return;
    }
    const h = this.handlers.get(sid);
    if (h !== undefined && h.node === change.peer) this.removeHandler(h);
  }

  private removeHandler(h: Handler): void {
    this.handlers.delete(h.sid);
  }

  private dropHandler(ctx: PeerCtx, h: Handler, why: string): void {
    ctx.trace({ type: "zab-learner-dropped", sid: h.sid, why });
    this.removeHandler(h);
    ctx.disconnect(h.node, ZAB_CHANNEL);
  }

  onPacket(ctx: PeerCtx, from: NodeId, pkt: ZabPacket): void {
    const sid = sidOfNode(from);
    const h = sid === undefined ? undefined : this.handlers.get(sid);
    if (h === undefined || this.ended) return;
    h.deadline = this.tick + this.peer.cfg.syncLimit;
    switch (pkt.type) {
      case "FOLLOWERINFO":
      case "OBSERVERINFO":
        if (h.stage !== "info") return;
        h.observer = pkt.type === "OBSERVERINFO" || !this.peer.isVoter(h.sid);
        h.acceptedEpoch = pkt.acceptedEpoch;
        h.stage = "epoch";
        this.getEpochToPropose(ctx, h.sid, pkt.acceptedEpoch);
        return;
      case "ACKEPOCH":
        return this.onAckEpoch(ctx, h, BigInt(pkt.lastZxid), pkt.currentEpoch);
      case "ACK":
        return this.onAck(ctx, h, BigInt(pkt.zxid));
      case "PING":
        for (const [session, timeoutMs] of pkt.touches) this.peer.core?.touchSession(ctx, BigInt(session), timeoutMs);
        return;
      case "REQUEST":
        if (!this.epochs.active) return;
        this.prepAndPropose(ctx, { id: BigInt(pkt.session), authIds: fromWire<Id[]>(pkt.auth) }, fromWire<WriteRequest>(pkt.req), h.sid, pkt.xid);
        return;
      case "SYNC":
        this.processSync(ctx, h.sid, BigInt(pkt.session), pkt.xid);
        return;
      default:
        return;
    }
  }

  // ---------------------------------------------------------------- discovery

  /** `Leader.getEpochToPropose`: the new epoch is one past the highest acceptedEpoch of a quorum that includes the leader. */
  private getEpochToPropose(ctx: PeerCtx, sid: number, lastAcceptedEpoch: number): void {
    const e = this.epochs;
    if (e.fixed) {
      const h = this.handlers.get(sid);
      if (h !== undefined) this.send(ctx, h, { type: "LEADERINFO", epoch: e.proposed });
      return;
    }
    if (lastAcceptedEpoch >= e.proposed) e.proposed = lastAcceptedEpoch + 1;
    if (this.peer.isVoter(sid)) this.connecting.add(sid);
    if (!this.connecting.has(this.peer.sid) || !isQuorum(this.peer.cfg, this.connecting)) return;
    e.fixed = true;
    const epoch = e.proposed;
    this.peer.setEpoch(ctx, ACCEPTED_EPOCH, epoch, () => {
      if (this.ended) return;
      for (const h of this.handlers.values()) if (h.stage === "epoch") this.send(ctx, h, { type: "LEADERINFO", epoch });
      // The leader's own epoch ack (`waitForEpochAck(self.getId(), leaderStateSummary)`).
      this.electing.add(this.peer.sid);
      this.checkEstablished(ctx);
    });
  }

  /** `waitForEpochAck`: a learner more up to date than the leader kills its handler; the rest join. */
  private onAckEpoch(ctx: PeerCtx, h: Handler, lastZxid: bigint, currentEpoch: number): void {
    if (h.stage !== "epoch") return;
    h.peerLastZxid = lastZxid;
    h.stage = "acked";
    const me = this.peer;
    if (currentEpoch !== -1) {
      const moreRecent = currentEpoch > me.currentEpoch || (currentEpoch === me.currentEpoch && lastZxid > me.db.lastZxid);
      if (moreRecent && !this.epochs.established) {
        ctx.mark("zab: a learner more recent than the leader (handler closed)");
        this.dropHandler(ctx, h, "learner is more recent than the leader");
        return;
      }
      if (!h.observer) this.electing.add(h.sid);
    }
    if (this.epochs.established) this.syncLearner(ctx, h);
    else this.checkEstablished(ctx);
  }

  private checkEstablished(ctx: PeerCtx): void {
    const me = this.peer;
    if (this.epochs.established || !this.electing.has(me.sid) || !isQuorum(me.cfg, this.electing)) return;
    this.epochs.established = true;
    const epoch = this.epochs.proposed;
    me.setEpoch(ctx, CURRENT_EPOCH, epoch, () => {
      if (this.ended) return;
      ctx.trace({ type: "zab-established", epoch, quorum: [...this.electing].sort((a, b) => a - b) });
      me.setPhase(ctx, "SYNCHRONIZATION");
      // The leader acks its own NEWLEADER proposal (`waitForNewLeaderAck(self.getId(), …)`).
      this.newLeaderAcks.add(me.sid);
      for (const h of this.handlers.values()) if (h.stage === "acked") this.syncLearner(ctx, h);
      this.checkActive(ctx);
    });
  }

  // ---------------------------------------------------------------- synchronisation

  /** `LearnerHandler.syncFollower` + `startForwarding` + NEWLEADER, queued in that order. */
  private syncLearner(ctx: PeerCtx, h: Handler): void {
    const db = this.peer.db;
    const peerZxid = h.peerLastZxid;
    const last = db.lastZxid;
    const min = db.minCommitted;
    const max = db.maxCommitted;
    const pairs = (after: bigint): void => {
      for (const t of db.committedLog) {
        if (t.hdr.zxid <= after) continue;
        this.send(ctx, h, { type: "PROPOSAL", zxid: hex(t.hdr.zxid), rec: encodeLogRecord(t.hdr, t.txn), origin: 0, xid: null });
        this.send(ctx, h, { type: "COMMIT", zxid: hex(t.hdr.zxid) });
      }
    };
    let mode: "DIFF" | "TRUNC" | "TRUNC+DIFF" | "SNAP";
    if (ctx.buggify(QUORUM_BUGGIFY.leaderForceSnap)) {
      // `forceSnapSync`: a SNAP is a valid sync whatever the learner holds (it truncates its log to the snapshot).
      mode = "SNAP";
      this.sendSnap(ctx, h);
    } else if (peerZxid === last) {
      mode = "DIFF";
      this.send(ctx, h, { type: "DIFF", zxid: hex(last) });
    } else if (peerZxid > max && counterOf(peerZxid) !== 0 && this.peer.cfg.mutations.includes("skip-trunc")) {
      mode = "DIFF";
      this.send(ctx, h, { type: "DIFF", zxid: hex(max) });
    } else if (peerZxid > max && counterOf(peerZxid) !== 0) {
      mode = "TRUNC";
      this.send(ctx, h, { type: "TRUNC", zxid: hex(max) });
    } else if (peerZxid >= min && peerZxid <= max) {
      const idx = db.committedLog.findIndex((t) => t.hdr.zxid === peerZxid);
      if (idx >= 0 || counterOf(peerZxid) === 0) {
        mode = "DIFF";
        this.send(ctx, h, { type: "DIFF", zxid: hex(max) });
        pairs(peerZxid);
      } else {
        // The peer holds a txn the leader never committed: cut it back to the txn before, then DIFF.
        let prev: bigint | null = null;
        for (const t of db.committedLog) if (t.hdr.zxid < peerZxid) prev = t.hdr.zxid;
        if (prev !== null && epochOf(prev) === epochOf(peerZxid)) {
          mode = "TRUNC+DIFF";
          this.send(ctx, h, { type: "TRUNC", zxid: hex(prev) });
          pairs(prev);
        } else {
          mode = "SNAP";
          this.sendSnap(ctx, h);
        }
      }
    } else {
      mode = "SNAP";
      this.sendSnap(ctx, h);
    }
    ctx.trace({ type: "zab-sync", learner: h.sid, mode, peerZxid: hex(peerZxid), leaderZxid: hex(last) });
    if (mode !== "DIFF" || peerZxid !== last) ctx.mark(`zab: ${mode} sync`);
    // startForwarding: proposals still outstanding follow, then the learner sees every new one.
    for (const p of this.proposals.values()) {
      if (h.observer) continue;
      this.send(ctx, h, { type: "PROPOSAL", zxid: hex(p.t.hdr.zxid), rec: p.rec, origin: p.origin, xid: p.xid });
      h.unacked.set(p.t.hdr.zxid, ctx.now());
    }
    h.forwarding = true;
    this.send(ctx, h, { type: "NEWLEADER", zxid: hex(this.newLeaderZxid) });
    h.stage = "newleader";
  }

  private sendSnap(ctx: PeerCtx, h: Handler): void {
    const db = this.peer.db;
    this.send(ctx, h, { type: "SNAP", zxid: hex(db.lastZxid), history: db.history.map((t) => encodeLogRecord(t.hdr, t.txn)) });
  }

  /** The first ACK after NEWLEADER (`waitForNewLeaderAck`), then proposal acks. */
  private onAck(ctx: PeerCtx, h: Handler, zxid: bigint): void {
    if (h.stage === "newleader") {
      if (zxid !== this.newLeaderZxid) {
        ctx.mark("zab: first ACK after NEWLEADER does not match it");
        return;
      }
      h.stage = "ready";
      if (!h.observer) this.newLeaderAcks.add(h.sid);
      if (this.epochs.active) this.upToDate(ctx, h);
      else this.checkActive(ctx);
      return;
    }
    if (counterOf(zxid) === 0) return;
    for (const z of h.unacked.keys()) if (z <= zxid) h.unacked.delete(z);
    if (h.observer) return;
    this.processAck(ctx, h.sid, zxid);
  }

  private upToDate(ctx: PeerCtx, h: Handler): void {
    this.send(ctx, h, { type: "UPTODATE" });
    h.stage = "uptodate";
  }

  /** A quorum of NEWLEADER acks (the leader's own among them): `startZkServer`, then broadcast. */
  private checkActive(ctx: PeerCtx): void {
    const me = this.peer;
    if (this.epochs.active || !this.epochs.established || !isQuorum(me.cfg, this.newLeaderAcks)) return;
    this.epochs.active = true;
    ctx.cancelTimer(INIT);
    this.servingSinceUs = ctx.now();
    this.lastProposed = this.newLeaderZxid;
    this.lastCommitted = this.newLeaderZxid;
    this.pending = new PendingChanges(me.db.tree);
    ctx.trace({ type: "zab-active", epoch: this.epochs.proposed, quorum: [...this.newLeaderAcks].sort((a, b) => a - b), zxid: hex(me.db.lastZxid) });
    me.setPhase(ctx, "BROADCAST");
    me.startServing(ctx, this, true);
    me.updateElectionVote(this.epochs.proposed);
    for (const h of this.handlers.values()) if (h.stage === "ready") this.upToDate(ctx, h);
    ctx.setTimer(TICK, (me.cfg.serving.tickTimeMs / 2) * 1000);
  }

  // ---------------------------------------------------------------- broadcast

  submit(ctx: PeerCtx, s: LocalSession | { readonly id: bigint; readonly authIds: readonly Id[] }, xid: number | null, req: WriteRequest): void {
    this.prepAndPropose(ctx, s, req, this.peer.sid, xid);
  }

  outstanding(): number {
    return this.proposals.size;
  }

  /** PrepRequestProcessor on the leader, for its own clients and for learners' REQUESTs. */
  private prepAndPropose(ctx: PeerCtx, s: { readonly id: bigint; readonly authIds: readonly Id[] }, req: WriteRequest, origin: number, xid: number | null): void {
    const me = this.peer;
    const zxid = this.lastProposed + 1n;
    if (counterOf(zxid) === 0) {
      // ZOOKEEPER-1277: the counter would roll over into the next epoch; force an election.
      this.stepDown(ctx, "zxid counter rollover");
      return;
    }
    this.lastProposed = zxid;
    const timeMs = me.cfg.serving.epochMs + Math.floor(ctx.now() / 1000);
    let hdr: TxnHeader;
    let txn: Txn;
    if (req.type !== "createSession" && !me.db.sessions.has(s.id) && !this.pendingSession(s.id)) {
      // `checkSession` fails: the txn is an error txn, proposed like any other.
      hdr = { sessionId: s.id, zxid, timeMs };
      txn = { type: "error", code: ERR.SessionExpired };
    } else {
      const prepared = prepare(me.db.tree, this.pending, req, {
        zxid,
        timeMs,
        sessionId: s.id,
        authIds: authInfoOrder(s.authIds),
        checkAcl: sessionAclHook(s.authIds),
      });
      hdr = prepared.hdr;
      txn = prepared.txn;
    }
    this.propose(ctx, { hdr, txn }, origin, xid);
  }

  private pendingSession(id: bigint): boolean {
    for (const p of this.proposals.values()) if (p.t.hdr.sessionId === id && p.t.txn.type === "createSession") return true;
    return false;
  }

  /** `Leader.propose`: PROPOSAL to the forwarding followers, then the leader's own log write. */
  private propose(ctx: PeerCtx, t: LoggedTxn, origin: number, xid: number | null): void {
    const zxid = t.hdr.zxid;
    const rec = encodeLogRecord(t.hdr, t.txn);
    this.proposals.set(zxid, { t, rec, acks: new Set(), origin, xid });
    this.recordProposalSize(t);
    ctx.trace({ type: "zab-propose", epoch: epochOf(zxid), zxid: hex(zxid), session: hex(t.hdr.sessionId), txn: t.txn.type, path: txnPath(t.txn) });
    for (const h of this.handlers.values()) {
      if (!h.forwarding || h.observer) continue;
      this.send(ctx, h, { type: "PROPOSAL", zxid: hex(zxid), rec, origin, xid });
      h.unacked.set(zxid, ctx.now());
    }
    this.peer.disk.append(ctx, t);
  }

  /** The leader's own log write became durable (`AckRequestProcessor`). */
  onSynced(ctx: PeerCtx, batch: readonly LoggedTxn[]): void {
    if (this.ended) return;
    for (const t of batch) this.processAck(ctx, this.peer.sid, t.hdr.zxid);
  }

  /** `Leader.processAck` + `tryToCommit`: strictly in zxid order, on a quorum of voters. */
  private processAck(ctx: PeerCtx, sid: number, zxid: bigint): void {
    if (!this.epochs.active || zxid <= this.lastCommitted) return;
    const p = this.proposals.get(zxid);
    if (p === undefined) return;
    ctx.trace({ type: "zab-ack", from: sid, zxid: hex(zxid) });
    if (this.peer.isVoter(sid)) p.acks.add(sid);
    // Commits held by a late commit step go out when its timer fires, with whatever acked meanwhile.
    if (ctx.hasTimer(COMMIT_DELAY)) return;
    const head = this.proposals.values().next();
    if (head.done !== true && this.enough(head.value.acks) && ctx.buggify(QUORUM_BUGGIFY.leaderCommitDelay)) {
      ctx.setTimer(COMMIT_DELAY, lateByUs(ctx.random, this.peer.cfg.serving.tickTimeMs));
      return;
    }
    this.commitReady(ctx);
  }

  private enough(acks: ReadonlySet<number>): boolean {
    return this.peer.cfg.mutations.includes("commit-without-quorum") ? acks.size > 0 : isQuorum(this.peer.cfg, acks);
  }

  /** `tryToCommit` from the oldest outstanding proposal on, as long as each has its quorum. */
  private commitReady(ctx: PeerCtx): void {
    const ready: Proposal[] = [];
    for (const p of this.proposals.values()) {
      if (!this.enough(p.acks)) break;
      ready.push(p);
    }
    if (!this.peer.cfg.mutations.includes("out-of-order-commit")) {
      for (const p of ready) this.commit(ctx, p);
      return;
    }
    // The out-of-order-commit mutation: the leader commits a batch in order, but its learners hear of it newest-first.
    for (const p of ready) this.markCommitted(ctx, p);
    for (const p of [...ready].reverse()) this.tellLearners(ctx, p);
    for (const p of ready) this.applyCommitted(ctx, p);
  }

  private commit(ctx: PeerCtx, p: Proposal): void {
    this.markCommitted(ctx, p);
    this.tellLearners(ctx, p);
    this.applyCommitted(ctx, p);
  }

  private markCommitted(ctx: PeerCtx, p: Proposal): void {
    const zxid = p.t.hdr.zxid;
    this.proposals.delete(zxid);
    this.lastCommitted = zxid;
    ctx.trace({ type: "zab-commit", zxid: hex(zxid), acks: [...p.acks].sort((a, b) => a - b), path: txnPath(p.t.txn) });
  }

  /** COMMIT to followers, INFORM (with the txn) to observers. */
  private tellLearners(ctx: PeerCtx, p: Proposal): void {
    const z = hex(p.t.hdr.zxid);
    for (const h of this.handlers.values()) {
      if (!h.forwarding) continue;
      if (h.observer) this.send(ctx, h, { type: "INFORM", zxid: z, rec: p.rec, origin: p.origin, xid: p.xid });
      else this.send(ctx, h, { type: "COMMIT", zxid: z });
    }
  }

  /** The leader's own commit (`CommitProcessor`), then the syncs it was waiting for. */
  private applyCommitted(ctx: PeerCtx, p: Proposal): void {
    this.peer.core?.commit(ctx, p.t.hdr, p.t.txn, p.origin === this.peer.sid ? p.xid : null, p.xid === null);
    this.pending.applied(p.t.hdr.zxid);
    this.answerSyncs(ctx);
  }

  /** `Leader.processSync`: answer once everything proposed before the sync arrived is committed. */
  private processSync(ctx: PeerCtx, sid: number, session: bigint, xid: number): void {
    this.syncWaits.push({ after: this.lastProposed, sid, session, xid });
    this.answerSyncs(ctx);
  }

  sync(ctx: PeerCtx, s: LocalSession, xid: number): void {
    this.processSync(ctx, this.peer.sid, s.id, xid);
  }

  private answerSyncs(ctx: PeerCtx): void {
    while (this.syncWaits.length > 0 && (this.syncWaits[0] as SyncWait).after <= this.lastCommitted) {
      const w = this.syncWaits.shift() as SyncWait;
      if (w.sid === this.peer.sid) {
        this.peer.core?.syncDone(ctx, w.session, w.xid);
        continue;
      }
      const h = this.handlers.get(w.sid);
      if (h !== undefined) this.send(ctx, h, { type: "SYNC", session: hex(w.session), xid: w.xid });
    }
  }

  // ---------------------------------------------------------------- liveness

  onTimer(ctx: PeerCtx, name: string): void {
    if (this.ended) return;
    if (name === INIT) {
      const why = this.epochs.established ? "Timeout while waiting for NEWLEADER to be acked by quorum" : "Timeout while waiting for epoch from quorum";
      this.stepDown(ctx, why);
      return;
    }
    if (name === COMMIT_DELAY) {
      if (this.epochs.active) this.commitReady(ctx);
      return;
    }
    if (name !== TICK) return;
    const me = this.peer;
    ctx.setTimer(TICK, (me.cfg.serving.tickTimeMs / 2) * 1000);
    this.halfTick = !this.halfTick;
    if (!this.halfTick) {
      this.tick++;
      const synced = [me.sid, ...[...this.handlers.values()].filter((h) => h.deadline > this.tick).map((h) => h.sid)];
      if (!isQuorum(me.cfg, synced) && !me.cfg.mutations.includes("no-step-down")) {
        this.stepDown(ctx, `Not sufficient followers synced, only synced with sids: [ ${synced.sort((a, b) => a - b).join(",")} ]`);
        return;
      }
    }
    const limitUs = me.cfg.syncLimit * me.cfg.serving.tickTimeMs * 1000;
    for (const h of [...this.handlers.values()]) {
      // The handler's socket read timeout (syncLimit ticks, initLimit before sync): a learner
      // silent that long is disconnected, whether or not a proposal waits for it.
      if (!this.halfTick && h.deadline <= this.tick) {
        this.dropHandler(ctx, h, "no packet from the learner within its read timeout");
        continue;
      }
      const oldest = h.unacked.values().next();
      if (oldest.done !== true && ctx.now() - oldest.value > limitUs) {
        this.dropHandler(ctx, h, "oldest proposal not acked within syncLimit");
        continue;
      }
      if (h.stage !== "uptodate") continue;
      if (!h.pingSkipped && ctx.buggify(QUORUM_BUGGIFY.leaderPingLate)) {
        h.pingSkipped = true;
        continue;
      }
      h.pingSkipped = false;
      this.send(ctx, h, { type: "PING", touches: [] });
    }
  }

  private stepDown(ctx: PeerCtx, reason: string): void {
    this.end(ctx);
    this.peer.shutdown(ctx, reason);
  }

  /** `Leader.shutdown`: every learner connection closes. */
  end(ctx: PeerCtx): void {
    if (this.ended) return;
    this.ended = true;
    ctx.cancelTimer(TICK);
    ctx.cancelTimer(INIT);
    ctx.cancelTimer(COMMIT_DELAY);
    for (const h of this.handlers.values()) ctx.disconnect(h.node, ZAB_CHANNEL);
    this.handlers.clear();
  }

  get status(): { readonly lastProposed: bigint; readonly lastCommitted: bigint } {
    return { lastProposed: this.lastProposed, lastCommitted: this.lastCommitted };
  }

  // ---------------------------------------------------------------- four-letter words (srvr, stat, mntr)

  /** `Leader.proposalStats` (BufferStats): the serialized size of the proposals made, -1 until the first. */
  private readonly proposalSizes = { last: -1, min: -1, max: -1 };
  /** `leaderStartTime`: when this leader started serving (virtual µs), -1 before. */
  private servingSinceUs = -1;

  /** `BufferStats.reset` (StatResetCommand on a leader): back to -1 until the next proposal. */
  resetProposalStats(): void {
    this.proposalSizes.last = -1;
    this.proposalSizes.min = -1;
    this.proposalSizes.max = -1;
  }

  /** `BufferStats.setLastBufferSize(data.length)` in `Leader.propose`. */
  private recordProposalSize(t: LoggedTxn): void {
    const size = proposalBytes(t);
    const p = this.proposalSizes;
    p.last = size;
    if (p.min === -1 || size < p.min) p.min = size;
    if (size > p.max) p.max = size;
  }

  /** What srvr, stat and mntr show of the leader (`LeaderZooKeeperServer`'s gauges, `StatCommand`). */
  fourLetterFigures(nowUs: number): LeaderFigures {
    const handlers = [...this.handlers.values()];
    const forwarding = handlers.filter((h) => h.forwarding);
    const learnerSyncs = new Set(this.syncWaits.filter((w) => w.sid !== this.peer.sid).map((w) => w.after));
    return {
      learners: handlers.length,
      syncedFollowers: forwarding.filter((h) => !h.observer).length,
      syncedNonVotingFollowers: forwarding.filter((h) => !h.observer && !this.peer.isVoter(h.sid)).length,
      syncedObservers: forwarding.filter((h) => h.observer).length,
      pendingSyncs: learnerSyncs.size,
      uptimeMs: this.servingSinceUs < 0 ? 0 : Math.floor((nowUs - this.servingSinceUs) / 1000),
      proposalSizes: { ...this.proposalSizes },
      learnerSids: handlers.map((h) => h.sid).sort((a, b) => a - b),
    };
  }
}
