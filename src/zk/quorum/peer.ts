import type { ConnectionChange, DiskDone, Node, NodeId, StartKind } from "../../sim/node.js";
import type { ExpiryQueue } from "../server/expiry-queue.js";
import { DEFAULT_TRACE_MASK, fourLetterWord, fourLetterWordNotServing, type ServerSnapshot, type SessionTrackerDump } from "../server/four-letter-words.js";
import { EXPIRE_TIMER, ServingCore, type WritePath } from "../server/serving.js";
import { decodeLogRecord, TXN_LOG } from "../server/txn-log.js";
import { hex } from "../server/wire.js";
import { ZkDb } from "../server/zkdb.js";
import type { Txn } from "../txn.js";
import { nodeOfSid, sidOfNode, type QuorumConfig, type QuorumServer } from "./config.js";
import { ELECTION_CHANNEL, FastLeaderElection, type Decision, type FleMessage, type PeerState } from "./fle.js";
import { isZabPacket, isZabTimer, ZAB_CHANNEL, type PeerCtx, type PeerHost, type PeerMessage, type ZabPhase } from "./host.js";
import { Leader } from "./leader.js";
import { Learner } from "./learner.js";
import type { ZabPacket } from "./packets.js";
import { ACCEPTED_EPOCH, CURRENT_EPOCH, epochOf, makeZxid, ZabDisk } from "./zab-disk.js";

/** An operator's four-letter word, answered as a `zk-4lw` trace event. */
export type PeerInput = { readonly type: "4lw"; readonly word: string };

const OBSERVER_DELAY = "peer-observer-delay";
/** `zookeeper.observer.election.DelayMs`. */
const OBSERVER_ELECTION_DELAY_MS = 200;

/**
 * One ZooKeeper server of an ensemble (`QuorumPeer`): LOOKING runs Fast Leader Election; the
 * decision makes it a Leader, a Follower or an Observer; any failure of that role brings it back to
 * LOOKING with its in-memory database kept and fast-forwarded from its log (a role change), while
 * a crash drops the object and a restart rebuilds the database from snapshot and log (zab.md §3).
 * Clients are served only while the role is in broadcast; otherwise their connections are closed.
 */
export class QuorumPeer implements Node<PeerMessage, PeerInput>, PeerHost {
  readonly sid: number;
  readonly me: QuorumServer;
  readonly db: ZkDb;
  readonly disk = new ZabDisk();
  acceptedEpoch = 0;
  currentEpoch = 0;
  snapInProgress = false;
  core: ServingCore | null = null;
  private state: PeerState = "LOOKING";
  private phase: ZabPhase = "ELECTION";
  private fle: FastLeaderElection;
  private leader: Leader | null = null;
  /** `ZooTrace`'s mask, set by stmk: static in the server's JVM, so it outlives roles, not restarts. */
  private traceMask = DEFAULT_TRACE_MASK;
  private learner: Learner | null = null;
  private readonly voters: ReadonlySet<number>;

  constructor(
    readonly cfg: QuorumConfig,
    sid: number,
  ) {
    this.sid = sid;
    const me = cfg.servers.find((s) => s.sid === sid);
    if (me === undefined) throw new Error(`server ${sid} is not in the ensemble`);
    this.me = me;
    this.voters = new Set(cfg.servers.filter((s) => s.type === "participant").map((s) => s.sid));
    this.db = new ZkDb({
      extendedTypesEnabled: cfg.serving.extendedTypesEnabled,
      enforceQuota: cfg.serving.enforceQuota,
      unordered: cfg.mutations.includes("out-of-order-commit"),
    });
    this.fle = new FastLeaderElection({
      myId: sid,
      voters: [...this.voters],
      observers: cfg.servers.filter((s) => s.type === "observer").map((s) => s.sid),
      nodeOf: nodeOfSid,
      sidOf: sidOfNode,
      onDecided: (ctx, d) => this.onDecided(ctx as PeerCtx, d),
    });
  }

  isVoter(sid: number): boolean {
    return this.voters.has(sid);
  }

  // ---------------------------------------------------------------- start

  onStart(ctx: PeerCtx, how: StartKind): void {
    ZabDisk.load(ctx, this.db, "start");
    const fallback = epochOf(this.db.lastZxid);
    this.currentEpoch = ZabDisk.readEpoch(ctx, CURRENT_EPOCH, fallback);
    this.acceptedEpoch = ZabDisk.readEpoch(ctx, ACCEPTED_EPOCH, fallback);
    if (epochOf(this.db.lastZxid) > this.currentEpoch) ctx.mark("zab: the log is ahead of currentEpoch at start");
    this.disk.snapDue = (c) => this.disk.snapshot(c as PeerCtx, this.db);
    this.disk.rollSnapshots(ctx, this.cfg.snapCount);
    this.disk.onSynced = (c, batch) => {
      this.leader?.onSynced(c as PeerCtx, batch);
      this.learner?.onSynced(c as PeerCtx, batch);
    };
    ctx.trace({ type: "zab-start", how, zxid: hex(this.db.lastZxid), acceptedEpoch: this.acceptedEpoch, currentEpoch: this.currentEpoch });
    this.fle.start(ctx, { lastZxid: this.db.lastZxid, currentEpoch: this.currentEpoch });
    this.look(ctx);
  }

  private look(ctx: PeerCtx): void {
    this.state = "LOOKING";
    this.setPhase(ctx, "ELECTION");
    this.fle.lookForLeader(ctx, { lastZxid: this.db.lastZxid, currentEpoch: this.currentEpoch });
  }

  setPhase(ctx: PeerCtx, phase: ZabPhase): void {
    this.phase = phase;
    ctx.trace({ type: "zab-role", state: this.state, phase, epoch: this.currentEpoch, zxid: hex(this.db.lastZxid) });
  }

  private onDecided(ctx: PeerCtx, d: Decision): void {
    this.state = d.state;
    ctx.trace({ type: "zab-elected", state: d.state, leader: d.leader, round: d.electionEpoch, peerEpoch: d.peerEpoch, zxid: hex(d.zxid) });
    this.fle.setServing(d.state, { leader: d.leader, zxid: d.zxid, peerEpoch: d.peerEpoch });
    if (d.state === "LEADING") {
      this.leader = new Leader(this);
      this.leader.start(ctx);
    } else {
      this.learner = new Learner(this, d.leader, d.state === "OBSERVING");
      this.learner.start(ctx);
    }
  }

  startServing(ctx: PeerCtx, writes: WritePath, expires: boolean): ServingCore {
    this.core = new ServingCore(ctx, this.db, writes, { cfg: this.cfg.serving, serverId: this.sid, expires });
    return this.core;
  }

  updateElectionVote(epoch: number): void {
    this.fle.updateElectionVote(epoch);
  }

  /**
   * The role ended (`QuorumPeer.run`'s finally): stop serving, close client connections, keep the
   * database, fast-forwarded with what the log holds beyond it (ZOOKEEPER-2845's fix), or reloaded
   * from disk when a SNAP was left unfinished (ZOOKEEPER-3642's fix); then LOOKING again.
   */
  shutdown(ctx: PeerCtx, reason: string): void {
    ctx.trace({ type: "zab-shutdown", state: this.state, reason });
    this.leader?.end(ctx);
    this.learner?.end(ctx);
    this.leader = null;
    this.learner = null;
    this.core?.closeAll(ctx);
    this.core = null;
    if (this.snapInProgress) {
      ctx.mark("zab: unfinished SNAP, database reloaded from disk");
      this.snapInProgress = false;
      ZabDisk.load(ctx, this.db, "unfinished-snap");
    } else {
      this.fastForward(ctx);
    }
    if (this.state === "OBSERVING") {
      // `Observer.waitForObserverElectionDelay`: a random pause of up to 200 ms, so that observers
      // losing their leader together do not all look at once.
      this.state = "LOOKING";
      ctx.setTimer(OBSERVER_DELAY, (1 + ctx.random.below(OBSERVER_ELECTION_DELAY_MS)) * 1000);
      return;
    }
    this.look(ctx);
  }

  private fastForward(ctx: PeerCtx): void {
    for (const rec of ctx.disk.read(TXN_LOG)) {
      const t = decodeLogRecord(rec);
      if (t.hdr.zxid > this.db.lastZxid) this.db.apply(ctx, t.hdr, t.txn);
    }
  }

  // ---------------------------------------------------------------- dispatch

  onConnection(ctx: PeerCtx, change: ConnectionChange): void {
    if (change.channel === ELECTION_CHANNEL) {
      this.fle.onConnection(ctx, change);
      return;
    }
    if (change.channel === ZAB_CHANNEL) {
      if (this.leader !== null) this.leader.onConnection(ctx, change);
      else if (this.learner !== null) this.learner.onConnection(ctx, change);
      else if (change.up) ctx.disconnect(change.peer, ZAB_CHANNEL);
      return;
    }
    if (this.core !== null) {
      this.core.onConnection(ctx, change);
      return;
    }
    // `ZooKeeperServer not running`: the client connection is closed at once.
    if (change.up) ctx.disconnect(change.peer, change.channel);
  }

  onMessage(ctx: PeerCtx, from: NodeId, msg: PeerMessage): void {
    if (msg.type.startsWith("fle-")) {
      this.fle.onMessage(ctx, from, msg as FleMessage);
      return;
    }
    if (isZabPacket(msg.type)) {
      const pkt = msg as ZabPacket;
      if (this.leader !== null) this.leader.onPacket(ctx, from, pkt);
      else this.learner?.onPacket(ctx, from, pkt);
      return;
    }
    this.core?.onMessage(ctx, from, msg as Exclude<PeerMessage, FleMessage | ZabPacket>);
  }

  onTimer(ctx: PeerCtx, name: string): void {
    if (this.fle.onTimer(ctx, name)) return;
    if (isZabTimer(name)) {
      this.leader?.onTimer(ctx, name);
      this.learner?.onTimer(ctx, name);
      return;
    }
    if (name === EXPIRE_TIMER) this.core?.onExpiryTimer(ctx);
    if (name === OBSERVER_DELAY) this.look(ctx);
  }

  onDiskDone(ctx: PeerCtx, done: DiskDone): void {
    this.disk.onDiskDone(ctx, done);
  }

  // ---------------------------------------------------------------- operators

  onInput(ctx: PeerCtx, input: PeerInput): void {
    ctx.trace({ type: "zk-4lw", word: input.word, answer: this.fourLetterWord(ctx, input.word) });
  }

  setEpoch(ctx: PeerCtx, file: typeof ACCEPTED_EPOCH | typeof CURRENT_EPOCH, epoch: number, then: () => void): void {
    if (file === ACCEPTED_EPOCH) this.acceptedEpoch = epoch;
    else this.currentEpoch = epoch;
    this.disk.writeEpoch(ctx, file, epoch, then);
  }

  private fourLetterWord(ctx: PeerCtx, word: string): string {
    // Outside broadcast the peer has no running ZooKeeperServer: most words say it is not serving.
    if (this.core === null) return fourLetterWordNotServing(word, this.cfg.serving.fourLetterWordWhitelist);
    return fourLetterWord(word, this.fourLetterSnapshot(ctx, this.core));
  }

  /** What the four-letter words see of this server while it serves: the serving core's figures plus the quorum's. */
  private fourLetterSnapshot(ctx: PeerCtx, core: ServingCore): ServerSnapshot {
    const base = core.snapshot(ctx, ctx.disk.read(TXN_LOG).length);
    const role = this.state === "LEADING" ? "leader" : this.state === "OBSERVING" ? "observer" : "follower";
    // Leader.lead sets the database's lastProcessedZxid to <epoch, 0> once it serves, so a fresh
    // ensemble's leader shows Zxid 0x100000000 where its followers show 0x0.
    const epochStart = this.leader === null ? 0n : makeZxid(this.leader.epochs.proposed, 0);
    // A leader's tracker expires sessions (SessionTrackerImpl's buckets); a learner's only lists them.
    const expiry: ExpiryQueue<bigint> | null = core.expiryQueue;
    let sessionTracker: SessionTrackerDump = { kind: "learner", sessions: this.db.sessions };
    if (expiry !== null) {
      const expiresAt = new Map<bigint, number>();
      for (const id of this.db.sessions.keys()) {
        const at = expiry.expiresAt(id);
        if (at !== undefined) expiresAt.set(id, at);
      }
      sessionTracker = { kind: "expiry", expiresAt };
    }
    const leader = this.leader;
    return {
      ...base,
      zxid: base.zxid > epochStart ? base.zxid : epochStart,
      sessionTracker,
      traceMask: this.traceMask,
      actions: {
        ...base.actions,
        setTraceMask: (mask: bigint) => {
          this.traceMask = mask;
        },
        ...(leader !== null && { resetProposalStats: () => leader.resetProposalStats() }),
      },
      quorum: {
        role,
        peerState: `${this.state.toLowerCase()} - ${this.phase.toLowerCase()}`,
        sid: this.sid,
        initLimit: this.cfg.initLimit,
        syncLimit: this.cfg.syncLimit,
        members: this.cfg.servers,
        leader: this.leader?.fourLetterFigures(ctx.now()) ?? null,
        observerMasterId: role === "observer" ? (this.learner?.leaderSid ?? null) : null,
        writeNamespaces: writeNamespaces(this.db.history.map((t) => t.txn)),
      },
    };
  }

  /** Whether this server has zxid `z` in its database or its log (a fault target: "the server holding zxid X"). */
  holds(z: bigint): boolean {
    return this.db.lastZxid >= z || this.disk.lastAppended >= z;
  }

  /** What `status` shows of this server. */
  get status(): { readonly state: PeerState; readonly phase: ZabPhase; readonly epoch: number; readonly acceptedEpoch: number; readonly lastZxid: bigint; readonly committedZxid: bigint } {
    const committed = this.leader?.status.lastCommitted ?? this.db.lastZxid;
    return { state: this.state, phase: this.phase, epoch: this.currentEpoch, acceptedEpoch: this.acceptedEpoch, lastZxid: this.db.lastZxid, committedZxid: committed };
  }
}

/**
 * `DataTree.updateWriteStat`'s namespaces (a path's first component) in first-write order: every
 * create, delete and setData the database applied (ephemerals a closeSession removed included), after
 * the /zookeeper/config write every quorum server makes at start (`initConfigInZKDatabase`).
 */
function writeNamespaces(txns: readonly Txn[]): string[] {
  const seen = new Set<string>(["zookeeper"]);
  const add = (path: string): void => {
    const top = path.split("/")[1];
    if (top !== undefined && top !== "") seen.add(top);
  };
  const visit = (t: Txn): void => {
    if (t.type === "create" || t.type === "delete" || t.type === "setData") add(t.path);
    else if (t.type === "closeSession") t.paths.forEach(add);
    else if (t.type === "multi") t.txns.forEach(visit);
  };
  txns.forEach(visit);
  return [...seen];
}

/** The factory the kernel calls at every start and restart of a server. */
export const quorumPeer =
  (cfg: QuorumConfig) =>
  (id: NodeId): QuorumPeer => {
    const sid = sidOfNode(id);
    if (sid === undefined) throw new Error(`a quorum peer's node id is s<sid>, got ${id}`);
    return new QuorumPeer(cfg, sid);
  };


