import { aclHookFor, PERM, type Acl, type AclHook } from "./acl.js";
import type { DataTree } from "./datatree.js";
import { ERR, zkError, type ZkError } from "./errors.js";
import type { Stat } from "./stat.js";
import { javaTrim } from "./java-string.js";

/**
 * Read requests as FinalRequestProcessor answers them from the local tree: NoNode first, then the
 * READ check (ACL hook). Reads take no zxid. Watch registration is the caller's: it happens only on
 * success, except exists, which arms a watch on a missing node too.
 */
export type ReadResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ZkError };

const ok = <T>(value: T): ReadResult<T> => ({ ok: true, value });
const fail = <T>(code: ZkError["code"], path: string): ReadResult<T> => ({ ok: false, error: zkError(code, path) });

export function getData(tree: DataTree, path: string, acl: AclHook = aclHookFor([])): ReadResult<{ data: Uint8Array | null; stat: Stat }> {
  const n = tree.node(path);
  if (n === undefined) return fail(ERR.NoNode, path);
  if (!acl(n.acl, PERM.READ, path)) return fail(ERR.NoAuth, path);
  return ok({ data: n.data, stat: tree.statOf(n) });
}

/**
 * exists: null for a missing node. 3.8.0 checks no ACL (the `TODO` in FinalRequestProcessor); 3.8.4
 * added a READ check on existing nodes (ZOOKEEPER-2590), which `checkReadFrom384` turns on.
 */
export function exists(tree: DataTree, path: string, acl: AclHook = aclHookFor([]), checkReadFrom384 = false): ReadResult<Stat | null> {
  if (path.includes("\0")) return { ok: false, error: zkError(ERR.BadArguments, null) };
  const n = tree.node(path);
  if (n === undefined) return ok(null);
  if (checkReadFrom384 && !acl(n.acl, PERM.READ, path)) return fail(ERR.NoAuth, path);
  return ok(tree.statOf(n));
}

/** getChildren: names in ZooKeeper's HashSet order (zkCli `ls` sorts them itself). */
export function getChildren(tree: DataTree, path: string, acl: AclHook = aclHookFor([])): ReadResult<string[]> {
  const r = getChildren2(tree, path, acl);
  return r.ok ? ok(r.value.children) : r;
}

export function getChildren2(tree: DataTree, path: string, acl: AclHook = aclHookFor([])): ReadResult<{ children: string[]; stat: Stat }> {
  const n = tree.node(path);
  if (n === undefined) return fail(ERR.NoNode, path);
  if (!acl(n.acl, PERM.READ, path)) return fail(ERR.NoAuth, path);
  return ok({ children: n.children.values(), stat: tree.statOf(n) });
}

/**
 * `DataTree.getAllChildrenNumber`: for "/" the path map's size minus its two root keys; otherwise
 * every path under `path + "/"`.
 */
export function getAllChildrenNumber(tree: DataTree, path: string, acl: AclHook = aclHookFor([])): ReadResult<number> {
  const n = tree.node(path);
  if (n === undefined) return fail(ERR.NoNode, path);
  if (!acl(n.acl, PERM.READ, path)) return fail(ERR.NoAuth, path);
  if (path === "/") return ok(tree.nodeCount - 2);
  const prefix = `${path}/`;
  return ok(tree.paths().filter((p) => p.startsWith(prefix)).length);
}

/**
 * getEphemerals of the asking session: no existence or ACL check; a null, blank or "/" prefix
 * (after Java trim) means all, otherwise a plain string prefix, so "/parent/es" matches
 * "/parent/es-0000000001" (FinalRequestProcessor, case getEphemerals).
 */
export function getEphemerals(tree: DataTree, sessionId: bigint, prefixPath: string | null): string[] {
  const all = tree.ephemeralsOf(sessionId);
  const trimmed = prefixPath === null ? "" : javaTrim(prefixPath);
  if (trimmed === "" || trimmed === "/") return all;
  return all.filter((p) => p.startsWith(prefixPath ?? ""));
}


/**
 * getACL: NoNode, then READ or ADMIN. Without ADMIN, digest ids come back as `user:x`
 * (FinalRequestProcessor, case getACL).
 */
export function getAcl(tree: DataTree, path: string, acl: AclHook = aclHookFor([])): ReadResult<{ acl: Acl[]; stat: Stat }> {
  const n = tree.node(path);
  if (n === undefined) return fail(ERR.NoNode, path);
  if (!acl(n.acl, PERM.READ | PERM.ADMIN, path)) return fail(ERR.NoAuth, path);
  const list = [...n.acl];
  if (acl(n.acl, PERM.ADMIN, path)) return ok({ acl: list, stat: tree.statOf(n) });
  const masked = list.map((a) => (a.id.scheme === "digest" ? { perms: a.perms, id: { scheme: "digest", id: a.id.id.replace(/:.*/g, ":x") } } : a));
  return ok({ acl: masked, stat: tree.statOf(n) });
}
