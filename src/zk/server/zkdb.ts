import type { NodeContext } from "../../sim/node.js";
import { DataTree, type DataTreeOptions, type TxnResult } from "../datatree.js";
import { ERR, type ErrCode } from "../errors.js";
import type { Txn, TxnHeader } from "../txn.js";
import type { WatchTrigger } from "../watch-trigger.js";
import { hex } from "./wire.js";

/** A txn as the committed log and the sync packets carry it. */
export type LoggedTxn = { readonly hdr: TxnHeader; readonly txn: Txn };

/** `ZKDatabase.commitLogCount`: how many committed txns a leader keeps for DIFF syncs. */
export const COMMIT_LOG_COUNT = 500;

/**
 * What the client of a write is told, read back from its txn (FinalRequestProcessor): an error txn
 * carries its code; a failed multi holds the failing op's code first among its error sub-txns (the
 * ops after it hold RuntimeInconsistency).
 */
export function txnErr(txn: Txn): ErrCode | 0 {
  if (txn.type === "error") return txn.code;
  if (txn.type !== "multi") return 0;
  for (const t of txn.txns) if (t.type === "error" && t.code !== ERR.RuntimeInconsistency) return t.code;
  return 0;
}

/**
 * `ZKDatabase`: the data tree, the sessions its txns opened and have not closed (with their
 * timeouts), and the last `COMMIT_LOG_COUNT` txns applied (the leader's DIFF window). Every apply,
 * replays included, is traced as `zk-apply`: the checkers read delivery order from it.
 */
export class ZkDb {
  tree: DataTree;
  readonly sessions = new Map<bigint, number>();
  readonly committedLog: LoggedTxn[] = [];
  /**
   * Every txn applied since the empty tree, in order. A snapshot and a SNAP sync carry this list:
   * replaying it rebuilds the tree exactly (child order included), which a field-by-field copy
   * would not guarantee.
   */
  readonly history: LoggedTxn[] = [];

  constructor(readonly treeOptions: DataTreeOptions) {
    this.tree = new DataTree(treeOptions);
  }

  get lastZxid(): bigint {
    return this.tree.lastProcessedZxid;
  }

  /** `minCommittedLog` / `maxCommittedLog`: both the last applied zxid when the window is empty. */
  get minCommitted(): bigint {
    return this.committedLog[0]?.hdr.zxid ?? this.lastZxid;
  }

  get maxCommitted(): bigint {
    return this.committedLog[this.committedLog.length - 1]?.hdr.zxid ?? this.lastZxid;
  }

  apply(ctx: NodeContext, hdr: TxnHeader, txn: Txn): { result: TxnResult; triggers: WatchTrigger[] } {
    const out = this.tree.apply(hdr, txn);
    if (txn.type === "createSession") this.sessions.set(hdr.sessionId, txn.timeoutMs);
    if (txn.type === "closeSession") this.sessions.delete(hdr.sessionId);
    this.history.push({ hdr, txn });
    this.committedLog.push({ hdr, txn });
    if (this.committedLog.length > COMMIT_LOG_COUNT) this.committedLog.shift();
    ctx.trace({ type: "zk-apply", zxid: hex(hdr.zxid), session: hex(hdr.sessionId), txn: txn.type });
    return out;
  }

  /**
   * Reads a snapshot's txns into the database (replayed, each traced as `zk-apply`). DataTree
   * logs no digest for what a snapshot holds, so the digest log starts after it.
   */
  loadSnapshot(ctx: NodeContext, txns: readonly LoggedTxn[]): void {
    for (const t of txns) this.apply(ctx, t.hdr, t.txn);
    this.tree.forgetDigestLog();
  }

  /** Drops everything (a SNAP replaces the tree; an unfinished one leaves nothing to trust). */
  clear(): void {
    this.tree = new DataTree(this.treeOptions);
    this.sessions.clear();
    this.committedLog.length = 0;
    this.history.length = 0;
  }
}
