import { pathError } from "../path.js";
import { illegalArgument, okResult, type MultiDelete, type ZkClientApi, type ZkResult } from "./client-api.js";

/**
 * `ZKUtil.visitSubTreeDFS` (ls -R, setAcl -R): getData on the root (arming a data watch when asked),
 * report it, then for each node its sorted children's full paths before descending into each. A node
 * that vanished meanwhile is skipped; other errors end the walk.
 */
export function visitSubTreeDfs(zk: ZkClientApi, path: string, watch: boolean, visit: (p: string) => void): ZkResult<null> {
  const bad = pathError(path);
  if (bad !== null) return illegalArgument(bad);
  const root = zk.getData(path, watch);
  if (!root.ok) return root;
  visit(path);
  return visitChildren(zk, path, watch, visit);
}

function visitChildren(zk: ZkClientApi, path: string, watch: boolean, visit: (p: string) => void): ZkResult<null> {
  const r = zk.getChildren(path, watch);
  if (!r.ok) return r.error.kind === "keeper" && r.error.code === -101 ? okResult(null) : r;
  const children = [...r.value.children].sort();
  const full = children.map((c) => (path.length === 1 ? `${path}${c}` : `${path}/${c}`));
  for (const p of full) visit(p);
  for (const p of full) {
    const sub = visitChildren(zk, p, watch, visit);
    if (!sub.ok) return sub;
  }
  return okResult(null);
}

/**
 * `ZKUtil.deleteRecursive`: list the subtree breadth first (children in the server's order), then
 * delete it leaves first in multis of `batchSize` ops, stopping after
 * a failed batch. Returns whether every batch succeeded; a listing error is the call's error.
 */
export function deleteRecursive(zk: ZkClientApi, root: string, batchSize: number): ZkResult<boolean> {
  const bad = pathError(root);
  if (bad !== null) return illegalArgument(bad);
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    const node = tree[i] ?? "";
    const r = zk.getChildren(node, false);
    if (!r.ok) return r;
    for (const c of r.value.children) tree.push(`${node === "/" ? "" : node}/${c}`);
  }
  let ops: MultiDelete[] = [];
  let success = true;
  for (let i = tree.length - 1; i >= 0; --i) {
    ops.push({ type: "delete", path: tree[i] ?? "", version: -1 });
    if (ops.length === batchSize || i === 0) {
      if (!success) break;
      if (!zk.multi(ops).ok) success = false;
      ops = [];
    }
  }
  return okResult(success);
}
