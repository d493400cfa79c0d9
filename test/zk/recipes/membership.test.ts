// The group membership recipe: views converge to the live sessions through a server restart, a
// member's session expiry and a member leaving; and the checker failing on a stale final view.
import { describe, expect, it } from "vitest";
import { checkEvents } from "../../../src/check/checker.js";
import { membershipChecker } from "../../../src/check/recipes/membership.js";
import { groupMember } from "../../../src/zk/recipes/membership.js";
import { ev, RecipeWorld, SERVERS, SESSION_MS } from "./harness.js";

const G = "/app/group";

describe("group membership recipe", () => {
  it("every member ends up seeing exactly the live members", () => {
    const stay = groupMember({ servers: SERVERS, sessionTimeoutMs: SESSION_MS, groupPath: G, leaveAfterMs: null });
    const w = new RecipeWorld(1, [
      ["m1", stay],
      ["m2", stay],
      ["m3", stay],
      ["m4", groupMember({ servers: SERVERS, sessionTimeoutMs: SESSION_MS, groupPath: G, leaveAfterMs: 50_000 })],
    ]);
    w.run(80_000, { crashAtMs: 8_000, downMs: 2000, isolate: "m2", isolateAtMs: 20_000, isolateMs: 20_000 });
    expect(w.check(membershipChecker())).toEqual([]);
    expect(w.of("recipe-expired", "m2")).toHaveLength(1);
    expect(w.of("group-joined", "m2")).toHaveLength(2);
    expect(w.sessionEvents("closed")).toHaveLength(1);
    const finalView = (id: string): unknown => w.of("group-view", id).at(-1)?.["members"];
    const m2 = w.of("group-joined", "m2").at(-1)?.["znode"] as string;
    for (const id of ["m1", "m2", "m3"]) {
      const view = finalView(id) as string[];
      expect(view).toHaveLength(3);
      expect(view).toContain(m2.slice(G.length + 1));
    }
    // While m2 was cut off, the others saw it go (its session expired) and come back.
    expect(w.of("group-view", "m1").some((e) => (e["members"] as string[]).length === 3 && e.t > 20_000_000 && e.t < 40_000_000)).toBe(true);
  });
});

describe("membership checker", () => {
  it("flags a final view that misses a live member or keeps a dead one", () => {
    const joined = (t: number, member: string, session: string) => ev(t, "group-joined", member, { group: G, member, session, znode: `${G}/${member}-${session}` });
    const view = (t: number, node: string, session: string, members: string[]) => ev(t, "group-view", node, { group: G, members, session });
    const ok = [
      joined(1, "a", "0x1"),
      joined(2, "b", "0x2"),
      view(3, "a", "0x1", ["a-0x1", "b-0x2"]),
      ev(4, "zk-session", "s1", { session: "0x2", event: "expired", timeoutMs: 10000 }),
      view(5, "a", "0x1", ["a-0x1"]),
    ];
    expect(checkEvents([membershipChecker()], ok)).toEqual([]);
    const stale = ok.slice(0, 4);
    expect(checkEvents([membershipChecker()], stale).map((v) => [v.invariant, v.nodes])).toEqual([["group-converges", ["a"]]]);
    const missing = [...ok, joined(6, "c", "0x3")];
    expect(checkEvents([membershipChecker()], missing).map((v) => v.invariant)).toEqual(["group-converges"]);
  });
});
