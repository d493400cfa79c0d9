import { aclHookFor, type AclHook, type Id } from "./acl.js";
import { DataTree, type DataTreeOptions, type TxnResult } from "./datatree.js";
import type { ZkError } from "./errors.js";
import { PendingChanges } from "./pending-changes.js";
import type { TxnHeader } from "./txn.js";
import { prepare, type WriteRequest } from "./validate.js";
import type { WatchTrigger } from "./watch-trigger.js";

export type WriteOutcome = {
  readonly hdr: TxnHeader;
  readonly result: TxnResult;
  /** What the client gets: null on success. */
  readonly error: ZkError | null;
  readonly triggers: readonly WatchTrigger[];
};

export type Asker = {
  readonly sessionId: bigint;
  readonly timeMs: number;
  readonly authIds?: readonly Id[];
  readonly checkAcl?: AclHook;
};

/**
 * A data tree with its zxid counter, preparing and applying each write at once: a standalone server
 * with one write in flight (ZooKeeperServer.getNextZxid, PrepRequestProcessor, then
 * FinalRequestProcessor). The pipeline that pipelines or replicates writes uses DataTree,
 * PendingChanges and `prepare` directly. Zxids here are epoch 0 counters unless `startZxid` says.
 */
export class ZkStore {
  readonly tree: DataTree;
  readonly pending: PendingChanges;
  private zxid: bigint;

  constructor(options?: DataTreeOptions & { readonly startZxid?: bigint }) {
    this.tree = new DataTree(options);
    this.pending = new PendingChanges(this.tree);
    this.zxid = options?.startZxid ?? 0n;
  }

  /** lastProcessedZxid, as `srvr` prints it. */
  get lastZxid(): bigint {
    return this.zxid;
  }

  write(req: WriteRequest, asker: Asker): WriteOutcome {
    this.zxid += 1n;
    const prepared = prepare(this.tree, this.pending, req, {
      zxid: this.zxid,
      timeMs: asker.timeMs,
      sessionId: asker.sessionId,
      authIds: asker.authIds ?? [],
      checkAcl: asker.checkAcl ?? aclHookFor(asker.authIds ?? []),
    });
    const { result, triggers } = this.tree.apply(prepared.hdr, prepared.txn);
    this.pending.applied(this.zxid);
    return { hdr: prepared.hdr, result, error: prepared.error, triggers };
  }
}
