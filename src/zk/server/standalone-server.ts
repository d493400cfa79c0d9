import { assert } from "../../sim/assert.js";
import type { ConnectionChange, DiskDone, Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { Id } from "../acl.js";
import { authInfoOrder, sessionAclHook } from "../cli/session-auth.js";
import { PendingChanges } from "../pending-changes.js";
import type { Txn, TxnHeader } from "../txn.js";
import { prepare, type WriteRequest } from "../validate.js";
import { fourLetterWord } from "./four-letter-words.js";
import type { ZkMessage } from "./messages.js";
import { EXPIRE_TIMER, ServingCore, type LocalSession, type WritePath } from "./serving.js";
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
};

/** Inputs from outside the network: an operator's four-letter word (answered as a `zk-4lw` trace event). */
export type ServerInput = { readonly type: "4lw"; readonly word: string };

/** A txn between prep and apply. `xid` null: no client waits for it (an expiry's closeSession). */
type InFlight = { readonly hdr: TxnHeader; readonly txn: Txn; readonly xid: number | null };

/**
 * A standalone ZooKeeper server (`ZooKeeperServer` with PrepRequestProcessor, SyncRequestProcessor,
 * FinalRequestProcessor) as a node: the serving core (sessions, reads, watches, expiry) plus the
 * standalone write path: writes validated and given a zxid at once, appended to the txn log and
 * answered only after the fsync that covers them (txns that queue during an fsync share the next
 * one), then applied. A restart rebuilds the tree and the sessions by re-applying the log.
 */
export class StandaloneServer implements Node<ZkMessage, ServerInput>, WritePath {
  private readonly cfg: StandaloneConfig;
  private readonly db: ZkDb;
  private pending: PendingChanges;
  private zxid = 0n;
  private core: ServingCore | null = null;
  private unsynced: InFlight[] = [];
  private syncing: InFlight[] | null = null;

  constructor(cfg: StandaloneConfig) {
    this.cfg = cfg;
    this.db = new ZkDb({ extendedTypesEnabled: cfg.extendedTypesEnabled, enforceQuota: cfg.enforceQuota });
    this.pending = new PendingChanges(this.db.tree);
  }

  private serving(): ServingCore {
    assert(this.core !== null, "the server is serving once started");
    return this.core;
  }

  // ---------------------------------------------------------------- start and recovery

  onStart(ctx: NodeContext<ZkMessage>, how: StartKind): void {
    if (how === "recovered") this.recover(ctx);
    this.core = new ServingCore(ctx, this.db, this, { cfg: this.cfg, serverId: 1, expires: true });
    if (this.db.sessions.size > 0) ctx.mark("zk-server: sessions recovered from the log");
    ctx.trace({ type: "zk-server-up", how, zxid: hex(this.zxid), sessions: this.db.sessions.size });
  }

  /** Replays the txn log: the tree and the open sessions come back; each session gets a fresh timeout. */
  private recover(ctx: NodeContext<ZkMessage>): void {
    for (const rec of ctx.disk.read(TXN_LOG)) {
      const { hdr, txn } = decodeLogRecord(rec);
      this.db.apply(ctx, hdr, txn);
      this.zxid = hdr.zxid;
    }
    this.pending = new PendingChanges(this.db.tree);
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

  onInput(ctx: NodeContext<ZkMessage>, input: ServerInput): void {
    ctx.trace({ type: "zk-4lw", word: input.word, answer: fourLetterWord(input.word, this.serving().snapshot(ctx, ctx.disk.read(TXN_LOG).length)) });
  }

  /** The last zxid this server applied (for `status`). */
  get lastZxid(): bigint {
    return this.db.tree.lastProcessedZxid;
  }
}

/** The factory the kernel calls at every start and restart. */
export const standaloneServer =
  (cfg: StandaloneConfig) =>
  (_id: NodeId): StandaloneServer =>
    new StandaloneServer(cfg);
