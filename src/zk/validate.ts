import { assertNever } from "../sim/assert.js";
import { fixupAcl, PERM, type Acl, type AclHook, type Id } from "./acl.js";
import { createModeInfo } from "./create-mode.js";
import type { DataTree } from "./datatree.js";
import { CONTAINER_EPHEMERAL_OWNER, ephemeralKind, ttlEphemeralOwner, ttlValid } from "./ephemeral-type.js";
import { ERR, zkError, type ErrCode, type ZkError } from "./errors.js";
import { int32Inc } from "./java-int.js";
import { pathError, sequenceSuffix } from "./path.js";
import { quotaExceeded } from "./quota-check.js";
import type { ChangeRecord, PendingChanges } from "./pending-changes.js";
import { createStat } from "./stat.js";
import type { CreateTxnKind, Txn, TxnHeader } from "./txn.js";

/** Write requests as the server receives them (after the client's own checks). */
export type CreateRequest = {
  readonly type: "create";
  readonly path: string;
  readonly data: Uint8Array | null;
  readonly acl: readonly Acl[] | null;
  /** A CreateMode flag (create-mode.ts); anything else is BadArguments. */
  readonly flags: number;
  /** -1n unless a TTL create (CreateTTLRequest.ttl). */
  readonly ttlMs: bigint;
  /** create2 (the API call that returns a Stat) rather than create. */
  readonly withStat?: boolean;
};
export type DeleteRequest = { readonly type: "delete"; readonly path: string; readonly version: number };
export type SetDataRequest = { readonly type: "setData"; readonly path: string; readonly data: Uint8Array | null; readonly version: number };
export type CheckRequest = { readonly type: "check"; readonly path: string; readonly version: number };
export type MultiOp = CreateRequest | DeleteRequest | SetDataRequest | CheckRequest;

export type WriteRequest =
  | MultiOp
  | { readonly type: "setACL"; readonly path: string; readonly acl: readonly Acl[] | null; readonly version: number }
  /** Sent by the ContainerManager, not by clients. */
  | { readonly type: "deleteContainer"; readonly path: string }
  | { readonly type: "createSession"; readonly timeoutMs: number }
  | { readonly type: "closeSession" }
  | { readonly type: "multi"; readonly ops: readonly MultiOp[] };

/** What prep knows besides the request: the txn's zxid and time, and who asks. */
export type PrepContext = {
  readonly zxid: bigint;
  readonly timeMs: number;
  readonly sessionId: bigint;
  /** The session's authenticated ids, for the `auth` ACL scheme. */
  readonly authIds: readonly Id[];
  readonly checkAcl: AclHook;
};

export type Prepared = {
  readonly hdr: TxnHeader;
  readonly txn: Txn;
  /** What the client is told: null on success; a multi's error carries no path. */
  readonly error: ZkError | null;
};

type OpOutcome = { readonly ok: true; readonly txn: Txn } | { readonly ok: false; readonly code: ErrCode };
const failed = (code: ErrCode): OpOutcome => ({ ok: false, code });

/**
 * PrepRequestProcessor.pRequestHelper: turns a write into its txn, validating in ZooKeeper's order,
 * and records its effects in `pending` so later requests (and later ops of a multi) see them. Every
 * write spends the zxid given in `ctx`, failed or not. Session validity (SessionExpired,
 * SessionMoved) is the caller's check, made before this except for a create's TTL checks.
 */
export function prepare(tree: DataTree, pending: PendingChanges, req: WriteRequest, ctx: PrepContext): Prepared {
  const hdr: TxnHeader = { sessionId: ctx.sessionId, zxid: ctx.zxid, timeMs: ctx.timeMs };
  if (req.type === "multi") return { hdr, ...prepareMulti(tree, pending, req.ops, ctx) };
  const out = prepareOne(tree, pending, req, ctx);
  if (out.ok) return { hdr, txn: out.txn, error: null };
  const path = "path" in req ? req.path : null;
  return { hdr, txn: { type: "error", code: out.code }, error: zkError(out.code, path) };
}

/**
 * Multi: all ops share one zxid and time; after the first failure the rest are not examined and get
 * RuntimeInconsistency, and the overlay goes back to how it was before the multi.
 */
function prepareMulti(tree: DataTree, pending: PendingChanges, ops: readonly MultiOp[], ctx: PrepContext): { txn: Txn; error: ZkError | null } {
  const mark = pending.mark();
  const txns: Txn[] = [];
  let firstError: ErrCode | null = null;
  for (const op of ops) {
    if (firstError !== null) {
      txns.push({ type: "error", code: ERR.RuntimeInconsistency });
      continue;
    }
    const out = prepareOne(tree, pending, op, ctx);
    if (out.ok) {
      txns.push(out.txn);
    } else {
      firstError = out.code;
      txns.push({ type: "error", code: out.code });
      pending.rollback(mark);
    }
  }
  return { txn: { type: "multi", txns }, error: firstError === null ? null : zkError(firstError, null) };
}

function prepareOne(tree: DataTree, pending: PendingChanges, req: Exclude<WriteRequest, { type: "multi" }>, ctx: PrepContext): OpOutcome {
  switch (req.type) {
    case "create":
      return prepareCreate(tree, pending, req, ctx);
    case "delete":
      return prepareDelete(tree, pending, req.path, req.version, ctx);
    case "deleteContainer":
      return prepareDeleteContainer(tree, pending, req.path, ctx);
    case "setData":
      return prepareSetData(tree, pending, req, ctx);
    case "setACL": {
      if (pathError(req.path) !== null) return failed(ERR.BadArguments);
      // fixupACL runs before the node is looked up: InvalidACL wins over NoNode.
      const fixed = fixupAcl(req.acl, ctx.authIds);
      if (!fixed.ok) return failed(fixed.code);
      const rec = pending.record(req.path);
      if (rec?.stat == null) return failed(ERR.NoNode);
      if (!ctx.checkAcl(rec.acl, PERM.ADMIN, req.path)) return failed(ERR.NoAuth);
      const v = checkAndIncVersion(rec.stat.aversion, req.version);
      if (v === null) return failed(ERR.BadVersion);
      pending.add({ ...rec, zxid: ctx.zxid, stat: { ...rec.stat, aversion: v }, acl: fixed.acl });
      return { ok: true, txn: { type: "setACL", path: req.path, acl: fixed.acl, version: v } };
    }
    case "check": {
      if (pathError(req.path) !== null) return failed(ERR.BadArguments);
      const rec = pending.record(req.path);
      if (rec?.stat == null) return failed(ERR.NoNode);
      if (!ctx.checkAcl(rec.acl, PERM.READ, req.path)) return failed(ERR.NoAuth);
      const v = checkAndIncVersion(rec.stat.version, req.version);
      if (v === null) return failed(ERR.BadVersion);
      return { ok: true, txn: { type: "check", path: req.path, version: v } };
    }
    case "createSession":
      return { ok: true, txn: { type: "createSession", timeoutMs: req.timeoutMs } };
    case "closeSession":
      return prepareCloseSession(tree, pending, ctx);
    default:
      return assertNever(req, "write request");
  }
}

/** `checkAndIncVersion`: -1 matches any version; the new version is current + 1 (an int). */
const checkAndIncVersion = (current: number, expected: number): number | null =>
  expected !== -1 && expected !== current ? null : int32Inc(current);

/** Everything before the last "/", or null when there is none or the path holds a NUL. */
function parentOf(path: string): string | null {
  const i = path.lastIndexOf("/");
  return i < 0 || path.includes("\0") ? null : path.slice(0, i);
}

/** pRequest2TxnCreate. */
function prepareCreate(tree: DataTree, pending: PendingChanges, req: CreateRequest, ctx: PrepContext): OpOutcome {
  const mode = createModeInfo(req.flags);
  if (mode === null) return failed(ERR.BadArguments); // CreateMode.fromFlag
  // validateCreateRequest: TTLs need zookeeper.extendedTypesEnabled, checked before anything else.
  if (mode.ttl && !tree.extendedTypesEnabled) return failed(ERR.Unimplemented);
  if (mode.ttl ? !ttlValid(req.ttlMs) : req.ttlMs >= 0n) return failed(ERR.BadArguments); // EphemeralType.validateTTL
  const parentPath = parentOf(req.path); // validatePathForCreate
  if (parentPath === null) return failed(ERR.BadArguments);
  const acl = fixupAcl(req.acl, ctx.authIds);
  if (!acl.ok) return failed(acl.code);
  const parent = pending.record(parentPath);
  if (parent?.stat == null) return failed(ERR.NoNode);
  if (!ctx.checkAcl(parent.acl, PERM.CREATE, req.path)) return failed(ERR.NoAuth);
  // The suffix is the parent's stored cversion (child creates so far), not the shown one.
  const path = mode.sequential ? req.path + sequenceSuffix(parent.stat.cversion) : req.path;
  if (pathError(path) !== null) return failed(ERR.BadArguments);
  if (pending.record(path) !== null) return failed(ERR.NodeExists);
  if (ephemeralKind(parent.stat.ephemeralOwner, tree.extendedTypesEnabled) === "NORMAL") return failed(ERR.NoChildrenForEphemerals);
  if (quotaExceeded(tree, path, req.data?.length ?? 0, 1)) return failed(ERR.QuotaExceeded);
  const newCversion = int32Inc(parent.stat.cversion);
  const owner = mode.container ? CONTAINER_EPHEMERAL_OWNER : mode.ttl ? ttlEphemeralOwner(req.ttlMs) : mode.ephemeral ? ctx.sessionId : 0n;
  const kind: CreateTxnKind = mode.container ? "createContainer" : mode.ttl ? "createTTL" : req.withStat === true ? "create2" : "create";
  pending.add({
    ...parent,
    zxid: ctx.zxid,
    childCount: parent.childCount + 1,
    stat: { ...parent.stat, cversion: newCversion, pzxid: ctx.zxid },
  });
  pending.add({ zxid: ctx.zxid, path, stat: createStat(ctx.zxid, ctx.timeMs, owner), childCount: 0, acl: acl.acl, data: req.data });
  return {
    ok: true,
    txn: { type: "create", kind, path, data: req.data, acl: acl.acl, ephemeralOwner: owner, parentCVersion: newCversion },
  };
}

/** The records a delete leaves: the parent one child short with pzxid = zxid, the node gone. */
function recordDelete(pending: PendingChanges, parent: ChangeRecord, path: string, zxid: bigint): void {
  if (parent.stat === null) throw new Error("unreachable: parent record is a delete");
  pending.add({ ...parent, zxid, childCount: parent.childCount - 1, stat: { ...parent.stat, pzxid: zxid } });
  pending.add({ zxid, path, stat: null, childCount: -1, acl: [], data: null });
}

/**
 * delete: special paths are BadArguments before anything; DELETE on the parent is checked before the
 * target's existence; BadVersion wins over NotEmpty. No PathUtils check here.
 */
function prepareDelete(tree: DataTree, pending: PendingChanges, path: string, version: number, ctx: PrepContext): OpOutcome {
  const parentPath = parentOf(path); // getParentPathAndValidate
  if (parentPath === null || tree.isSpecialPath(path)) return failed(ERR.BadArguments);
  const parent = pending.record(parentPath);
  if (parent?.stat == null) return failed(ERR.NoNode);
  if (!ctx.checkAcl(parent.acl, PERM.DELETE, path)) return failed(ERR.NoAuth);
  const node = pending.record(path);
  if (node?.stat == null) return failed(ERR.NoNode);
  if (checkAndIncVersion(node.stat.version, version) === null) return failed(ERR.BadVersion);
  if (node.childCount > 0) return failed(ERR.NotEmpty);
  recordDelete(pending, parent, path, ctx.zxid);
  return { ok: true, txn: { type: "delete", path } };
}

/**
 * deleteContainer (from the ContainerManager): NotEmpty if children appeared meanwhile; a session
 * ephemeral is refused with BadVersion; no ACL check.
 */
function prepareDeleteContainer(tree: DataTree, pending: PendingChanges, path: string, ctx: PrepContext): OpOutcome {
  const parentPath = parentOf(path);
  if (parentPath === null || tree.isSpecialPath(path)) return failed(ERR.BadArguments);
  const node = pending.record(path);
  if (node?.stat == null) return failed(ERR.NoNode);
  if (node.childCount > 0) return failed(ERR.NotEmpty);
  if (ephemeralKind(node.stat.ephemeralOwner, tree.extendedTypesEnabled) === "NORMAL") return failed(ERR.BadVersion);
  const parent = pending.record(parentPath);
  if (parent?.stat == null) return failed(ERR.NoNode);
  recordDelete(pending, parent, path, ctx.zxid);
  return { ok: true, txn: { type: "delete", path } };
}

function prepareSetData(tree: DataTree, pending: PendingChanges, req: SetDataRequest, ctx: PrepContext): OpOutcome {
  if (pathError(req.path) !== null) return failed(ERR.BadArguments);
  const rec = pending.record(req.path);
  if (rec?.stat == null) return failed(ERR.NoNode);
  if (!ctx.checkAcl(rec.acl, PERM.WRITE, req.path)) return failed(ERR.NoAuth);
  if (quotaExceeded(tree, req.path, (req.data?.length ?? 0) - (rec.data?.length ?? 0), 0)) return failed(ERR.QuotaExceeded);
  const v = checkAndIncVersion(rec.stat.version, req.version);
  if (v === null) return failed(ERR.BadVersion);
  pending.add({ ...rec, zxid: ctx.zxid, stat: { ...rec.stat, version: v, mtime: ctx.timeMs, mzxid: ctx.zxid }, data: req.data });
  return { ok: true, txn: { type: "setData", path: req.path, data: req.data, version: v } };
}

/**
 * closeSession: the session's ephemerals from the tree (a HashSet clone), minus those an in-flight
 * txn deletes, plus those an in-flight txn creates for it; the txn lists them in that set's order.
 */
function prepareCloseSession(tree: DataTree, pending: PendingChanges, ctx: PrepContext): OpOutcome {
  const es = tree.ephemeralSetOf(ctx.sessionId);
  for (const c of pending.outstanding()) {
    if (c.stat === null) es.delete(c.path);
    else if (c.stat.ephemeralOwner === ctx.sessionId) es.add(c.path);
  }
  const paths = es.values();
  for (const p of paths) pending.add({ zxid: ctx.zxid, path: p, stat: null, childCount: 0, acl: [], data: null });
  return { ok: true, txn: { type: "closeSession", paths } };
}
