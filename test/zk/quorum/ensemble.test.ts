import { describe, expect, it } from "vitest";
import { OPEN_ACL_UNSAFE } from "../../../src/zk/acl.js";
import { clientNode } from "../../../src/zk/client/client-node.js";
import { SimClient } from "../../../src/zk/client/sim-client.js";
import { Ensemble } from "../../../src/zk/quorum/ensemble.js";

const utf8 = new TextEncoder();

/** A zkCli-style client pinned to one server of the ensemble. */
function clientOn(e: Ensemble, id: string, sid: number): SimClient {
  e.world.addNode(id, clientNode);
  e.world.start(id);
  const host = `127.0.0.1:${2180 + sid}`;
  return new SimClient({ world: e.world, clientId: id, servers: new Map([[host, `s${sid}`]]), host });
}

describe("a three-server ensemble", () => {
  it("elects 3, and every server reaches broadcast in epoch 1", () => {
    const e = new Ensemble({ seed: 1, servers: 3 });
    expect(e.settle(10_000)).toBe(true);
    expect(e.leader()).toBe(3);
    expect(e.sids.map((s) => [e.status(s).state, e.status(s).epoch])).toEqual([
      ["FOLLOWING", 1],
      ["FOLLOWING", 1],
      ["LEADING", 1],
    ]);
    // FLE's 200 ms finalize wait dominates the first election.
    expect(e.world.now).toBeGreaterThan(200_000);
    expect(e.world.now).toBeLessThan(400_000);
  });

  it("forwards a follower's write through the leader, and every server applies it with the epoch-1 zxid", () => {
    const e = new Ensemble({ seed: 2, servers: 3 });
    e.settle(10_000);
    const c1 = clientOn(e, "c1", 1);
    expect(c1.create("/a", utf8.encode("x"), OPEN_ACL_UNSAFE, 0, -1n)).toEqual({ ok: true, value: "/a" });
    const c2 = clientOn(e, "c2", 2);
    const got = c2.getData("/a", false);
    expect(got.ok && got.value.stat.czxid).toBe(0x100000002n); // c1's createSession came first
    e.run(e.world.now + 1_000_000);
    for (const sid of e.sids) expect(e.status(sid).lastZxid).toBe("0x100000003");
  });

  it("after the leader dies, 2 leads epoch 2 and new zxids carry the new epoch; data survives", () => {
    const e = new Ensemble({ seed: 3, servers: 3 });
    e.settle(10_000);
    const c1 = clientOn(e, "c1", 1);
    expect(c1.create("/kept", utf8.encode("v"), OPEN_ACL_UNSAFE, 0, -1n).ok).toBe(true);
    e.world.crash("s3");
    expect(e.settle(10_000)).toBe(true);
    expect(e.leader()).toBe(2);
    expect(e.status(2).epoch).toBe(2);
    const c2 = clientOn(e, "c2", 2);
    const made = c2.create("/next", null, OPEN_ACL_UNSAFE, 0, -1n);
    expect(made.ok).toBe(true);
    const stat = c2.exists("/next", false);
    expect(stat.ok && stat.value !== null && stat.value.czxid >> 32n).toBe(2n);
    const kept = c2.getData("/kept", false);
    expect(kept.ok).toBe(true);
  });

  it("answers srvr with the role's Mode, and 'not serving' while it has none", () => {
    const e = new Ensemble({ seed: 4, servers: 3 });
    expect(e.fourLetterWord(1, "srvr")).toBe("This ZooKeeper instance is not currently serving requests\n");
    e.settle(10_000);
    expect(e.fourLetterWord(3, "srvr")).toContain("Mode: leader");
    expect(e.fourLetterWord(1, "srvr")).toContain("Mode: follower");
    expect(e.fourLetterWord(1, "ruok")).toBe("imok");
  });

  it("replays the same seed to the same trace hash", () => {
    const hash = (): string | null => {
      const e = new Ensemble({ seed: 7, servers: 5 });
      e.settle(10_000);
      e.world.crash("s5");
      e.settle(10_000);
      return e.world.end("until").sha256;
    };
    expect(hash()).toBe(hash());
  });
});
