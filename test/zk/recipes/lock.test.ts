// The lock and leader election recipes on a standalone server through a crash and a session expiry,
// judged by their checkers; and the checkers failing on hand-built bad traces.
import { describe, expect, it } from "vitest";
import { electionChecker, lockChecker } from "../../../src/check/recipes/exclusive.js";
import { checkEvents } from "../../../src/check/checker.js";
import { electionCandidate } from "../../../src/zk/recipes/election.js";
import { lockClient } from "../../../src/zk/recipes/lock.js";
import { ev, RecipeWorld, SERVERS, SESSION_MS } from "./harness.js";

const CLIENTS = ["c1", "c2", "c3", "c4"];

describe("lock recipe", () => {
  const run = (seed: number): RecipeWorld => {
    const w = new RecipeWorld(
      seed,
      CLIENTS.map((id) => [id, lockClient({ servers: SERVERS, sessionTimeoutMs: SESSION_MS, lockPath: "/locks/a", holdMs: 700, idleMs: 300, rounds: 0 })] as const),
    );
    w.run(80_000, { crashAtMs: 15_000, downMs: 2000, isolate: "c2", isolateAtMs: 35_000, isolateMs: 20_000 });
    return w;
  };

  it("keeps the lock exclusive through a server restart and a session expiry, and makes progress", () => {
    const w = run(1);
    expect(w.check(lockChecker())).toEqual([]);
    expect(w.of("lock-acquired").length).toBeGreaterThan(40);
    for (const id of CLIENTS) expect(w.of("lock-acquired", id).length).toBeGreaterThan(3);
    expect(w.of("recipe-expired", "c2").length).toBe(1);
    expect(w.sessionEvents("expired").length).toBe(1);
    expect(w.of("recipe-start", "c2").length).toBe(2);
  });

  it("replays byte for byte from its seed", () => {
    const hash = (): string | null => {
      const w = new RecipeWorld(9, CLIENTS.map((id) => [id, lockClient({ servers: SERVERS, sessionTimeoutMs: SESSION_MS, lockPath: "/l", holdMs: 500, idleMs: 100, rounds: 0 })] as const));
      w.run(20_000, { crashAtMs: 5_000, isolate: "c1", isolateAtMs: 8_000, isolateMs: 11_000 });
      return w.world.end("until").sha256;
    };
    const first = hash();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(hash()).toBe(first);
  });

  it("holds for other seeds too", () => {
    for (const seed of [2, 3]) expect(run(seed).check(lockChecker())).toEqual([]);
  });
});

describe("lock recipe, rare paths", () => {
  const client = (holdMs: number) => lockClient({ servers: SERVERS, sessionTimeoutMs: SESSION_MS, lockPath: "/locks/a", holdMs, idleMs: 300, rounds: 0 });

  it("finds its own znode by session id when the reply to its create is lost", () => {
    const w = new RecipeWorld(7, CLIENTS.map((id) => [id, client(500)] as const));
    w.loseReplyOnce("c3", (e) => e.t > 5_000_000 && e["op"] === "create" && e["err"] === 0 && e["session"] === w.sessionOf("c3"));
    w.run(30_000);
    expect(w.check(lockChecker())).toEqual([]);
    expect(w.world.marks()["recipe lock: found own znode after ConnectionLoss"]).toBe(1);
    // No second znode for that attempt: every znode c3 acquired with was created once.
    const created = w.events.filter((e) => e.type === "zk-response" && e["op"] === "create" && e["err"] === 0 && e["session"] === w.sessionOf("c3")).length;
    expect(w.of("lock-acquired", "c3").length).toBeGreaterThanOrEqual(created - 1);
    expect(w.of("lock-acquired", "c3").length).toBeGreaterThan(3);
  });

  it("loses the lock when the holder's session expires; the next client takes it only after the server expired it", () => {
    const w = new RecipeWorld(8, CLIENTS.map((id) => [id, client(40_000)] as const));
    w.world.at(3_000_000, () => {
      const holder = w.of("lock-acquired").at(-1)?.["node"] as string;
      w.world.partition([[holder], ["s1"]]);
      w.world.at(w.world.now + 20_000_000, () => w.world.heal());
    });
    w.run(30_000);
    expect(w.check(lockChecker())).toEqual([]);
    const lost = w.of("lock-lost");
    expect(lost).toHaveLength(1);
    const expired = w.sessionEvents("expired");
    expect(expired.map((e) => e["session"])).toEqual([lost[0]?.["session"]]);
    const next = w.of("lock-acquired").find((e) => e.t > 3_000_000);
    expect(next?.t).toBeGreaterThan(expired[0]?.t ?? Infinity);
    // It starts over on a new session and queues behind the others.
    expect(w.of("recipe-start", lost[0]?.["node"] as string)).toHaveLength(2);
  });
});

describe("election recipe", () => {
  it("has at most one leader at a time and hands over on resignation, crash and expiry", () => {
    const w = new RecipeWorld(
      4,
      CLIENTS.map((id) => [id, electionCandidate({ servers: SERVERS, sessionTimeoutMs: SESSION_MS, electionPath: "/election", termMs: 2000 })] as const),
    );
    w.run(80_000, { crashAtMs: 10_000, downMs: 3000, isolate: "c1", isolateAtMs: 30_000, isolateMs: 20_000 });
    expect(w.check(electionChecker())).toEqual([]);
    expect(w.of("election-leader").length).toBeGreaterThan(20);
    expect(new Set(w.of("election-leader").map((e) => e["node"])).size).toBe(4);
    expect(w.of("recipe-expired", "c1").length).toBe(1);
  });
});

describe("exclusion checkers", () => {
  it("flag a second holder while the first still holds", () => {
    const bad = [
      ev(1, "lock-acquired", "c1", { lock: "/l", session: "0x1", znode: "/l/x-0x1-0000000000" }),
      ev(2, "lock-acquired", "c2", { lock: "/l", session: "0x2", znode: "/l/x-0x2-0000000001" }),
    ];
    const v = checkEvents([lockChecker()], bad);
    expect(v).toHaveLength(1);
    expect(v[0]?.invariant).toBe("lock-exclusive");
    expect(v[0]?.eventIndex).toBe(1);
    expect(v[0]?.nodes).toEqual(["c1", "c2"]);
  });

  it("end a holding at release or at the server's end of the session", () => {
    const ok = [
      ev(1, "lock-acquired", "c1", { lock: "/l", session: "0x1", znode: "/l/a" }),
      ev(2, "lock-released", "c1", { lock: "/l", session: "0x1", znode: "/l/a" }),
      ev(3, "lock-acquired", "c2", { lock: "/l", session: "0x2", znode: "/l/b" }),
      ev(4, "zk-session", "s1", { session: "0x2", event: "expired", timeoutMs: 10000 }),
      ev(5, "lock-acquired", "c3", { lock: "/l", session: "0x3", znode: "/l/c" }),
      // c2 learns of the expiry late and still thinks it acquired: ZooKeeper's view does not count it.
      ev(6, "lock-acquired", "c2", { lock: "/l", session: "0x2", znode: "/l/b" }),
      ev(7, "lock-acquired", "c4", { lock: "/other", session: "0x4", znode: "/other/d" }),
    ];
    expect(checkEvents([lockChecker()], ok)).toEqual([]);
    const bad = [...ok, ev(8, "lock-acquired", "c4", { lock: "/l", session: "0x4", znode: "/l/e" })];
    expect(checkEvents([lockChecker()], bad).map((v) => v.eventIndex)).toEqual([7]);
  });

  it("flag two leaders", () => {
    const bad = [
      ev(1, "election-leader", "c1", { election: "/e", session: "0x1", znode: "/e/n-0x1-0000000000" }),
      ev(2, "election-resigned", "c1", { election: "/e", session: "0x1", znode: "/e/n-0x1-0000000000" }),
      ev(3, "election-leader", "c2", { election: "/e", session: "0x2", znode: "/e/n-0x2-0000000001" }),
      ev(4, "election-leader", "c3", { election: "/e", session: "0x3", znode: "/e/n-0x3-0000000002" }),
    ];
    const v = checkEvents([electionChecker()], bad);
    expect(v.map((x) => [x.invariant, x.eventIndex])).toEqual([["single-leader", 3]]);
  });
});
