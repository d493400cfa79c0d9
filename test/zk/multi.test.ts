import { describe, expect, it } from "vitest";
import { CREATE_MODE } from "../../src/zk/create-mode.js";
import { ERR } from "../../src/zk/errors.js";
import { exists, getChildren } from "../../src/zk/reads.js";
import { ZkStore } from "../../src/zk/store.js";
import { bytes, create, SESSION } from "./helpers.js";

const at = { sessionId: SESSION, timeMs: 7_000 };

function connected(): ZkStore {
  const s = new ZkStore();
  s.write({ type: "createSession", timeoutMs: 30_000 }, at);
  return s;
}

describe("multi (PrepRequestProcessor case multi, DataTree.processTxn case multi)", () => {
  it("applies every op at one zxid and time; later ops see earlier ones", () => {
    const s = connected();
    const r = s.write(
      {
        type: "multi",
        ops: [
          create("/m"),
          create("/m/c", { data: "x" }),
          { type: "setData", path: "/m/c", data: bytes("yy"), version: 0 },
          { type: "check", path: "/m/c", version: 1 },
          create("/m/s-", { flags: CREATE_MODE.PERSISTENT_SEQUENTIAL }),
          create("/m/s-", { flags: CREATE_MODE.PERSISTENT_SEQUENTIAL }),
          { type: "delete", path: "/m/c", version: 1 },
        ],
      },
      at,
    );
    expect(r.error).toBeNull();
    expect(s.lastZxid).toBe(2n);
    expect(r.result.multi?.map((x) => [x.err, x.path])).toEqual([
      [0, "/m"],
      [0, "/m/c"],
      [0, "/m/c"],
      [0, "/m/c"],
      [0, "/m/s-0000000001"],
      [0, "/m/s-0000000002"],
      [0, "/m/c"],
    ]);
    expect(r.result.multi?.[2]?.stat).toMatchObject({ version: 1, mzxid: 2n, dataLength: 2 });
    const m = exists(s.tree, "/m");
    expect(m.ok && m.value).toMatchObject({ czxid: 2n, pzxid: 2n, cversion: 4, numChildren: 2, ctime: 7_000 });
  });

  it("fails as a whole: 0 before the failed op, its code at it, RuntimeInconsistency after; one zxid spent", () => {
    const s = connected();
    s.write(create("/a"), at);
    const before = s.tree.paths();
    const r = s.write(
      {
        type: "multi",
        ops: [create("/b"), { type: "setData", path: "/a", data: null, version: 5 }, create("/c"), { type: "delete", path: "/nope", version: -1 }],
      },
      at,
    );
    expect(r.error).toEqual({ code: ERR.BadVersion, path: null });
    expect(r.result.err).toBe(0);
    expect(r.result.multi?.map((x) => x.err)).toEqual([0, ERR.BadVersion, ERR.RuntimeInconsistency, ERR.RuntimeInconsistency]);
    expect(r.triggers).toEqual([]);
    expect(s.tree.paths()).toEqual(before);
    expect(s.lastZxid).toBe(3n);
  });

  it("a failed multi leaves no pending effects: sequence numbers and existence as before", () => {
    const s = connected();
    s.write(create("/p"), at);
    const seq = create("/p/s-", { flags: CREATE_MODE.PERSISTENT_SEQUENTIAL });
    const r = s.write({ type: "multi", ops: [seq, seq, create("/missing/x")] }, at);
    expect(r.result.multi?.map((x) => x.err)).toEqual([0, 0, ERR.NoNode]);
    expect(s.pending.outstanding()).toEqual([]);
    expect(s.write(seq, at).result.path).toBe("/p/s-0000000000");
    expect(getChildren(s.tree, "/p")).toEqual({ ok: true, value: ["s-0000000000"] });
  });

  it("check op: NoNode, BadVersion", () => {
    const s = connected();
    s.write(create("/a"), at);
    expect(s.write({ type: "multi", ops: [{ type: "check", path: "/x", version: 0 }] }, at).error?.code).toBe(ERR.NoNode);
    expect(s.write({ type: "multi", ops: [{ type: "check", path: "/a", version: 3 }] }, at).error?.code).toBe(ERR.BadVersion);
    expect(s.write({ type: "multi", ops: [{ type: "check", path: "/a", version: 0 }] }, at).error).toBeNull();
  });

  it("an empty multi is a successful txn with no results", () => {
    const s = connected();
    const r = s.write({ type: "multi", ops: [] }, at);
    expect(r.error).toBeNull();
    expect(r.result.multi).toEqual([]);
  });
});
