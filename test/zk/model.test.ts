// Model-based test: random create/delete/setData/getData/exists/getChildren/closeSession sequences
// against a deliberately small model of ZooKeeper's visible rules (maps of path → data, version,
// children). The model imports nothing from src/zk.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exists, getChildren, getData } from "../../src/zk/reads.js";
import { ZkStore } from "../../src/zk/store.js";
import type { WriteRequest } from "../../src/zk/validate.js";

type MNode = { data: string | null; version: number; children: Set<string>; ephemeral: boolean; czxid: bigint; mzxid: bigint; childChanges: number };
type Model = { nodes: Map<string, MNode>; zxid: bigint; session: bigint };
type Real = { store: ZkStore; session: bigint };

const NO_NODE = -101;
const BAD_VERSION = -103;
const NO_CHILDREN_FOR_EPHEMERALS = -108;
const NODE_EXISTS = -110;
const NOT_EMPTY = -111;

const PATHS = ["/a", "/b", "/a/x", "/a/y", "/b/x", "/a/x/z"] as const;
const enc = new TextEncoder();
const dec = new TextDecoder();

const parentOf = (p: string): string => (p.lastIndexOf("/") === 0 ? "/" : p.slice(0, p.lastIndexOf("/")));
const nameOf = (p: string): string => p.slice(p.lastIndexOf("/") + 1);

function freshModel(): Model {
  const nodes = new Map<string, MNode>();
  const root: MNode = { data: "", version: 0, children: new Set(["zookeeper"]), ephemeral: false, czxid: 0n, mzxid: 0n, childChanges: -1 };
  nodes.set("/", root);
  return { nodes, zxid: 1n, session: 1n };
}

function write(r: Real, m: Model, req: WriteRequest): number {
  m.zxid += 1n;
  const out = r.store.write(req, { sessionId: r.session, timeMs: Number(m.zxid) });
  expect(out.hdr.zxid).toBe(m.zxid);
  return out.error?.code ?? 0;
}

class Create implements fc.Command<Model, Real> {
  constructor(readonly path: string, readonly data: string | null, readonly ephemeral: boolean) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const parent = m.nodes.get(parentOf(this.path));
    const expected = parent === undefined ? NO_NODE : m.nodes.has(this.path) ? NODE_EXISTS : parent.ephemeral ? NO_CHILDREN_FOR_EPHEMERALS : 0;
    const got = write(r, m, {
      type: "create",
      path: this.path,
      data: this.data === null ? null : enc.encode(this.data),
      acl: [{ perms: 31, id: { scheme: "world", id: "anyone" } }],
      flags: this.ephemeral ? 1 : 0,
      ttlMs: -1n,
    });
    expect(got).toBe(expected);
    if (expected !== 0 || parent === undefined) return;
    parent.children.add(nameOf(this.path));
    parent.childChanges += 1;
    m.nodes.set(this.path, { data: this.data, version: 0, children: new Set(), ephemeral: this.ephemeral, czxid: m.zxid, mzxid: m.zxid, childChanges: 0 });
  }
  toString = (): string => `create ${this.ephemeral ? "-e " : ""}${this.path} ${String(this.data)}`;
}

function removeNode(m: Model, path: string): void {
  const parent = m.nodes.get(parentOf(path));
  parent?.children.delete(nameOf(path));
  if (parent !== undefined) parent.childChanges += 1;
  m.nodes.delete(path);
}

class Delete implements fc.Command<Model, Real> {
  constructor(readonly path: string, readonly version: number) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const n = m.nodes.get(this.path);
    const parentMissing = !m.nodes.has(parentOf(this.path));
    const expected =
      parentMissing || n === undefined ? NO_NODE : this.version !== -1 && this.version !== n.version ? BAD_VERSION : n.children.size > 0 ? NOT_EMPTY : 0;
    expect(write(r, m, { type: "delete", path: this.path, version: this.version })).toBe(expected);
    if (expected === 0) removeNode(m, this.path);
  }
  toString = (): string => `delete -v ${this.version} ${this.path}`;
}

class SetData implements fc.Command<Model, Real> {
  constructor(readonly path: string, readonly data: string | null, readonly version: number) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const n = m.nodes.get(this.path);
    const expected = n === undefined ? NO_NODE : this.version !== -1 && this.version !== n.version ? BAD_VERSION : 0;
    const data = this.data === null ? null : enc.encode(this.data);
    expect(write(r, m, { type: "setData", path: this.path, data, version: this.version })).toBe(expected);
    if (expected !== 0 || n === undefined) return;
    n.data = this.data;
    n.version += 1;
    n.mzxid = m.zxid;
  }
  toString = (): string => `set -v ${this.version} ${this.path} ${String(this.data)}`;
}

class Read implements fc.Command<Model, Real> {
  constructor(readonly path: string) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const n = m.nodes.get(this.path);
    const got = getData(r.store.tree, this.path);
    const st = exists(r.store.tree, this.path);
    const kids = getChildren(r.store.tree, this.path);
    if (n === undefined) {
      expect(got.ok ? 0 : got.error.code).toBe(NO_NODE);
      expect(st).toEqual({ ok: true, value: null });
      expect(kids.ok ? 0 : kids.error.code).toBe(NO_NODE);
      return;
    }
    if (!got.ok || !st.ok || st.value === null || !kids.ok) throw new Error(`${this.path} should exist`);
    expect(got.value.data === null ? null : dec.decode(got.value.data)).toBe(n.data);
    expect(got.value.stat).toEqual(st.value);
    expect(st.value).toMatchObject({
      version: n.version,
      czxid: n.czxid,
      mzxid: n.mzxid,
      dataLength: n.data === null ? 0 : enc.encode(n.data).length,
      numChildren: n.children.size,
      cversion: n.childChanges,
      ephemeralOwner: n.ephemeral ? r.session : 0n,
    });
    expect([...kids.value].sort()).toEqual([...n.children].sort());
  }
  toString = (): string => `read ${this.path}`;
}

class Reconnect implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    expect(write(r, m, { type: "closeSession" })).toBe(0);
    for (const [p, n] of [...m.nodes]) if (n.ephemeral) removeNode(m, p);
    r.session += 1n;
    m.session += 1n;
    expect(write(r, m, { type: "createSession", timeoutMs: 30_000 })).toBe(0);
  }
  toString = (): string => "close; connect";
}

const path = fc.constantFrom(...PATHS);
const data = fc.option(fc.constantFrom("", "x", "héllo", "0123456789"), { nil: null });
const version = fc.constantFrom(-1, 0, 1, 2);
const commands = fc.commands(
  [
    fc.tuple(path, data, fc.boolean()).map(([p, d, e]) => new Create(p, d, e)),
    fc.tuple(path, version).map(([p, v]) => new Delete(p, v)),
    fc.tuple(path, data, version).map(([p, d, v]) => new SetData(p, d, v)),
    fc.constantFrom(...PATHS, "/").map((p) => new Read(p)),
    fc.constant(new Reconnect()),
  ],
  { maxCommands: 60 },
);

describe("data tree against a small model", () => {
  it("agrees on results, errors, versions, zxids and children", () => {
    fc.assert(
      fc.property(commands, (cmds) => {
        const store = new ZkStore();
        const real: Real = { store, session: 1n };
        store.write({ type: "createSession", timeoutMs: 30_000 }, { sessionId: 1n, timeMs: 1 });
        const model = freshModel();
        fc.modelRun(() => ({ model, real }), cmds);
        expect(store.lastZxid).toBe(model.zxid);
        expect(store.tree.nodeCount).toBe(model.nodes.size + 4); // + "" alias, /zookeeper, quota, config
      }),
      { numRuns: 300 },
    );
  });
});
