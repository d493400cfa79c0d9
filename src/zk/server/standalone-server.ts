import { assert } from "../../sim/assert.js";
import type { ConnectionChange, DiskDone, Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { Id } from "../acl.js";
import { authInfoOrder, sessionAclHook } from "../cli/session-auth.js";
import type { DataTree } from "../datatree.js";
import { PendingChanges } from "../pending-changes.js";
import type { Txn, TxnHeader } from "../txn.js";
import { prepare, type WriteRequest } from "../validate.js";
import { DEFAULT_TRACE_MASK, expirySessionTracker, fourLetterWord, KNOWN_FOUR_LETTER_WORDS, parseFourLetterInput, type ServerSnapshot } from "./four-letter-words.js";
import type { ZkMessage } from "./messages.js";
import { EXPIRE_TIMER, ServingCore, type LocalSession, type WritePath } from "./serving.js";
import { encodeSnapshot, newestValidSnapshot, SNAPSHOT_PREFIX, SnapSchedule, snapshotFile } from "./snapshots.js";
import { decodeLogRecord, encodeLogRecord, TXN_LOG } from "./txn-log.js";
import { hex } from "./wire.js";
import { ZkDb } from "./zkdb.js";

export type StandaloneConfig = {
  readonly tickTimeMs: number;
  /** -1: 2 x tickTime, as zoo.cfg's default. */
  readonly minSessionTimeoutMs: number;
  /** -1: 20 x tickTime. */
  readonly maxSessionTimeoutMs: number;
  readonly clientPort: number;
  readonly extendedTypesEnabled: boolean;
  readonly enforceQuota: boolean;
  /** `zookeeper.DigestAuthenticationProvider.superDigest`, or null. */
  readonly superDigest: string | null;
  /** The address every client connection comes from (the `ip:` id of its session). */
  readonly clientIp: string;
  /** Wall-clock ms at local time 0: txn times and session ids derive from it, never from the host. */
  readonly epochMs: number;
  /**
   * `zookeeper.4lw.commands.whitelist` (zoo.cfg `4lw.commands.whitelist`) as written, or null when
   * unset (then only `srvr` answers, as in `FourLetterCommands.isEnabled`).
   */
  readonly fourLetterWordWhitelist: string | null;
  /**
   * `zookeeper.snapCount` (zoo.cfg `snapCount`): a snapshot after a count of txns drawn in
   * (snapCount/2, snapCount]. An ensemble's servers take theirs from `QuorumConfig.snapCount`.
   */
  readonly snapCount: number;
};

export const DEFAULT_STANDALONE: StandaloneConfig = {
  tickTimeMs: 2000,
  minSessionTimeoutMs: -1,
  maxSessionTimeoutMs: -1,
  clientPort: 2181,
  extendedTypesEnabled: false,
  enforceQuota: false,
  superDigest: null,
  clientIp: "127.0.0.1",
  epochMs: 1_700_000_000_000,
  // The oracle servers ran with `4lw.commands.whitelist=*` (shared/oracle/tools/ensemble.sh).
  fourLetterWordWhitelist: "*",
  snapCount: 100_000,
};

/** Inputs from outside the network: an operator's four-letter word (answered as a `zk-4lw` trace event). */
export type ServerInput = { readonly type: "4lw"; readonly word: string };

/** A txn between prep and apply. `xid` null: no client waits for it (an expiry's closeSession). */
type InFlight = { readonly hdr: TxnHeader; readonly txn: Txn; readonly xid: number | null };

/** Tag of a snapshot write (the snapshot thread: one at a time). */
const SNAPSHOT_TAG = "snapshot";

/**
 * Packets a four-letter answer goes out in: the command's PrintWriter writes through an 8192-char
 * BufferedWriter into SendBufferWriter, which sends each full buffer and the rest at close
 * (`NIOServerCnxn.sendBufferSync` counts each as a packet sent); an empty answer sends nothing.
 */
const answerPackets = (answer: string): number => Math.ceil(answer.length / 8192);

/**
 * A standalone ZooKeeper server (`ZooKeeperServer` with PrepRequestProcessor, SyncRequestProcessor,
 * FinalRequestProcessor) as a node: the serving core (sessions, reads, watches, expiry) plus the
 * standalone write path: writes validated and given a zxid at once, appended to the txn log and
 * answered only after the fsync that covers them (txns that queue during an fsync share the next
 * one), then applied. Snapshots (snapshots.ts) are taken at start and after a drawn count of
 * logged txns; a restart loads the newest whole snapshot and replays the log after it.
 *
 * The txn log stays one file: `FileTxnLog.rollLog` only starts a new file at the next append, and
 * recovery reads the files as one sequence from the snapshot's zxid on, so a roll changes nothing
 * a run can see here.
 */
export class StandaloneServer implements Node<ZkMessage, ServerInput>, WritePath {
  private readonly cfg: StandaloneConfig;
  private readonly db: ZkDb;
  private pending: PendingChanges;
  private zxid = 0n;
  private core: ServingCore | null = null;
  private unsynced: InFlight[] = [];
  private syncing: InFlight[] | null = null;
  private snapSchedule: SnapSchedule;
  /** The snapshot being written, until the disk has it (SyncRequestProcessor's snapThreadMutex). */
  private snapshotting: string | null = null;
  /** `ZooTrace`'s text trace mask: JVM-wide, so it lives as long as this process (stmk, gtmk). */
  private traceMask = DEFAULT_TRACE_MASK;

  constructor(cfg: StandaloneConfig) {
    this.cfg = cfg;
    this.db = new ZkDb({ extendedTypesEnabled: cfg.extendedTypesEnabled, enforceQuota: cfg.enforceQuota });
    this.pending = new PendingChanges(this.db.tree);
    this.snapSchedule = new SnapSchedule(cfg.snapCount);
  }

  private serving(): ServingCore {
    assert(this.core !== null, "the server is serving once started");
    return this.core;
  }

  // ---------------------------------------------------------------- start and recovery

  onStart(ctx: NodeContext<ZkMessage>, how: StartKind): void {
    if (how === "recovered") this.recover(ctx);
    // ZooKeeperServer.loadData ends with a clean snapshot; SyncRequestProcessor then draws its roll.
    this.takeSnapshot(ctx, "start", 0);
    this.snapSchedule.roll(ctx.random);
    this.core = new ServingCore(ctx, this.db, this, { cfg: this.cfg, serverId: 1, expires: true });
    if (this.db.sessions.size > 0) ctx.mark("zk-server: sessions recovered from the log");
    ctx.trace({ type: "zk-server-up", how, zxid: hex(this.zxid), sessions: this.db.sessions.size });
  }

  /**
   * `FileTxnSnapLog.restore`: the newest whole snapshot, then every logged txn after it; the tree
   * and the open sessions come back, and each session gets a fresh timeout.
   */
  private recover(ctx: NodeContext<ZkMessage>): void {
    const { found, skipped } = newestValidSnapshot(ctx.disk);
    if (skipped.length > 0) ctx.mark("zk-server: skipped a snapshot that is not whole");
    const log = ctx.disk.read(TXN_LOG);
    if (found !== null) {
      this.db.loadSnapshot(ctx, found.txns);
      ctx.mark("zk-server: recovered from a snapshot");
    } else if (log.length > 0) {
      // The real server refuses to start here ("No snapshot found, but there are log entries")
      // unless zookeeper.snapshot.trust.empty is set. zksim's start snapshot is durable before any
      // txn is, so no crash leads here; replaying the log is what trust.empty would do.
      ctx.mark("zk-server: a txn log but no snapshot");
    }
    ctx.trace({ type: "zk-snapshot-loaded", zxid: found === null ? null : hex(found.zxid), skipped: skipped.length });
    for (const rec of log) {
      const { hdr, txn } = decodeLogRecord(rec);
      if (hdr.zxid > this.db.lastZxid) this.db.apply(ctx, hdr, txn);
    }
    this.zxid = this.db.lastZxid;
    this.pending = new PendingChanges(this.db.tree);
  }

  /**
   * `ZooKeeperServer.takeSnapshot`: the applied txns into `snapshot.<last zxid>`, durable once the
   * disk says so. A snapshot due while the last one is still being written is skipped, as the
   * snapshot thread's mutex does ("Too busy to snap, skipping").
   */
  private takeSnapshot(ctx: NodeContext<ZkMessage>, why: "start" | "count", logged: number): void {
    if (this.snapshotting !== null) {
      ctx.mark("zk-server: too busy to snap");
      return;
    }
    const file = snapshotFile(this.db.lastZxid);
    ctx.trace({ type: "zk-snapshot", zxid: hex(this.db.lastZxid), why, logged });
    if (why === "count") ctx.mark("zk-server: snapshot after snapCount txns");
    this.snapshotting = file;
    ctx.disk.writeAtomic(file, encodeSnapshot(this.db.history), SNAPSHOT_TAG);
  }

  onConnection(ctx: NodeContext<ZkMessage>, change: ConnectionChange): void {
    this.serving().onConnection(ctx, change);
  }

  onMessage(ctx: NodeContext<ZkMessage>, from: NodeId, msg: ZkMessage): void {
    this.serving().onMessage(ctx, from, msg);
  }

  // ---------------------------------------------------------------- the write path

  /** PrepRequestProcessor: validate against the tree and the in-flight changes, spend a zxid, log it. */
  submit(ctx: NodeContext<ZkMessage>, s: { readonly id: bigint; readonly authIds: readonly Id[] }, xid: number | null, req: WriteRequest): void {
    this.zxid += 1n;
    const prepared = prepare(this.db.tree, this.pending, req, {
      zxid: this.zxid,
      timeMs: this.serving().wallMs(ctx),
      sessionId: s.id,
      authIds: authInfoOrder(s.authIds),
      checkAcl: sessionAclHook(s.authIds),
    });
    ctx.disk.append(TXN_LOG, encodeLogRecord(prepared.hdr, prepared.txn));
    const logged = this.snapSchedule.append(ctx.random);
    if (logged !== null) this.takeSnapshot(ctx, "count", logged);
    this.unsynced.push({ hdr: prepared.hdr, txn: prepared.txn, xid });
    this.startSync(ctx);
  }

  sync(ctx: NodeContext<ZkMessage>, s: LocalSession, xid: number): void {
    this.serving().syncDone(ctx, s.id, xid);
  }

  outstanding(): number {
    return this.unsynced.length + (this.syncing?.length ?? 0);
  }

  /** SyncRequestProcessor: one fsync at a time; whatever queued meanwhile goes in the next one. */
  private startSync(ctx: NodeContext<ZkMessage>): void {
    if (this.syncing !== null || this.unsynced.length === 0) return;
    this.syncing = this.unsynced;
    this.unsynced = [];
    const last = this.syncing[this.syncing.length - 1] as InFlight;
    if (this.syncing.length > 1) ctx.mark("zk-server: group commit");
    ctx.disk.fsync(TXN_LOG, hex(last.hdr.zxid));
  }

  onDiskDone(ctx: NodeContext<ZkMessage>, done: DiskDone): void {
    if (done.tag === SNAPSHOT_TAG) {
      assert(done.file.startsWith(SNAPSHOT_PREFIX) && done.file === this.snapshotting, "a snapshot write completed that the server did not issue");
      this.snapshotting = null;
      return;
    }
    assert(done.file === TXN_LOG && this.syncing !== null, "an fsync completed that the server did not issue");
    const batch = this.syncing;
    this.syncing = null;
    for (const f of batch) {
      this.serving().commit(ctx, f.hdr, f.txn, f.xid);
      this.pending.applied(f.hdr.zxid);
    }
    this.startSync(ctx);
  }

  // ---------------------------------------------------------------- timers and four-letter words

  onTimer(ctx: NodeContext<ZkMessage>, name: string): void {
    assert(name === EXPIRE_TIMER, `unknown timer ${name}`);
    this.serving().onExpiryTimer(ctx);
  }

  /**
   * A four-letter word on its own connection: its 4 bytes count as a packet received when the
   * word is known (`checkFourLetterWord` calls packetReceived before the whitelist check), and the
   * answer's packets as sent, in the server's statistics that srvr, stat and mntr print.
   */
  onInput(ctx: NodeContext<ZkMessage>, input: ServerInput): void {
    const core = this.serving();
    if (KNOWN_FOUR_LETTER_WORDS.includes(parseFourLetterInput(input.word).word)) core.received++;
    const answer = fourLetterWord(input.word, this.fourLetterSnapshot(ctx, core));
    core.sent += answerPackets(answer);
    ctx.trace({ type: "zk-4lw", word: input.word, answer });
  }

  private fourLetterSnapshot(ctx: NodeContext<ZkMessage>, core: ServingCore): ServerSnapshot {
    // dataDir and dataLogDir are one directory (the oracle servers' layout): both sizes count every file.
    const records = ctx.disk.files().reduce((n, f) => n + ctx.disk.read(f).length, 0);
    const base = core.snapshot(ctx, records);
    const expiry = core.expiryQueue;
    return {
      ...base,
      ...(expiry === null ? {} : { sessionTracker: expirySessionTracker(this.db.sessions, expiry) }),
      traceMask: this.traceMask,
      actions: { ...base.actions, setTraceMask: (mask) => (this.traceMask = mask) },
    };
  }

  /** The last zxid this server applied (for `status`). */
  get lastZxid(): bigint {
    return this.db.tree.lastProcessedZxid;
  }

  /** The data tree as this server has applied it (for reports and tests: read, never change). */
  get tree(): DataTree {
    return this.db.tree;
  }
}

/** The factory the kernel calls at every start and restart. */
export const standaloneServer =
  (cfg: StandaloneConfig) =>
  (_id: NodeId): StandaloneServer =>
    new StandaloneServer(cfg);
