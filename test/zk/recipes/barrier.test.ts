// The double barrier recipe in rounds through a server restart and a member's session expiry; and its
// checker failing on a member that leaves too early.
import { describe, expect, it } from "vitest";
import { checkEvents } from "../../../src/check/checker.js";
import { barrierChecker } from "../../../src/check/recipes/barrier.js";
import { barrierMember } from "../../../src/zk/recipes/barrier.js";
import { ev, RecipeWorld, SERVERS, SESSION_MS } from "./harness.js";

const MEMBERS = ["c1", "c2", "c3", "c4"];
const ROUNDS = 12;

function world(seed: number): RecipeWorld {
  const member = barrierMember({ servers: SERVERS, sessionTimeoutMs: SESSION_MS, barrierPath: "/barrier", size: MEMBERS.length, rounds: ROUNDS, workMs: 1500 });
  return new RecipeWorld(
    seed,
    MEMBERS.map((id) => [id, member] as const),
  );
}

describe("double barrier recipe", () => {
  it("lets nobody leave a round before all entered, through a server restart and an expiry", () => {
    const w = world(1);
    w.run(120_000, { crashAtMs: 9_000, downMs: 2000, isolate: "c3", isolateAtMs: 25_000, isolateMs: 20_000 });
    expect(w.check(barrierChecker())).toEqual([]);
    expect(w.of("recipe-expired", "c3")).toHaveLength(1);
    for (const id of MEMBERS) expect(w.of("barrier-left", id)).toHaveLength(ROUNDS);
    // In every round, all members entered before anyone left.
    for (let r = 0; r < ROUNDS; r++) {
      const entered = w.events.findLastIndex((e) => e.type === "barrier-entered" && e["round"] === r);
      const firstLeft = w.events.findIndex((e) => e.type === "barrier-left" && e["round"] === r);
      expect(w.of("barrier-entered").filter((e) => e["round"] === r).length).toBeGreaterThanOrEqual(MEMBERS.length);
      expect(entered).toBeLessThan(firstLeft);
    }
  });

  it("holds for another seed", () => {
    const w = world(5);
    w.run(120_000, { crashAtMs: 20_000, downMs: 1000, isolate: "c1", isolateAtMs: 40_000, isolateMs: 15_000 });
    expect(w.check(barrierChecker())).toEqual([]);
    for (const id of MEMBERS) expect(w.of("barrier-left", id)).toHaveLength(ROUNDS);
  });
});

describe("barrier checker", () => {
  const at = (t: number, type: string, member: string, session: string) => ev(t, type, member, { barrier: "/b/r0", round: 0, member, session, size: 3 });
  it("flags a member that leaves while another has joined but not entered", () => {
    const bad = [
      at(1, "barrier-joining", "a", "0x1"),
      at(2, "barrier-joining", "b", "0x2"),
      at(3, "barrier-joining", "c", "0x3"),
      at(4, "barrier-entered", "a", "0x1"),
      at(5, "barrier-entered", "b", "0x2"),
      at(6, "barrier-left", "a", "0x1"),
    ];
    const v = checkEvents([barrierChecker()], bad);
    expect(v.map((x) => [x.invariant, x.eventIndex])).toEqual([["barrier-leave-after-enter", 5]]);
    expect(v[0]?.message).toContain("not yet: c");
  });

  it("excuses a member whose session ended before it entered", () => {
    const ok = [
      at(1, "barrier-joining", "a", "0x1"),
      at(2, "barrier-joining", "b", "0x2"),
      at(3, "barrier-joining", "c", "0x3"),
      at(4, "barrier-entered", "a", "0x1"),
      at(5, "barrier-entered", "b", "0x2"),
      ev(6, "zk-session", "s1", { session: "0x3", event: "expired", timeoutMs: 10000 }),
      at(7, "barrier-left", "a", "0x1"),
      at(8, "barrier-joining", "c", "0x4"),
    ];
    expect(checkEvents([barrierChecker()], ok)).toEqual([]);
  });
});
