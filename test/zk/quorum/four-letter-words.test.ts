// Four-letter words on the servers of an ensemble keep the real 3.8.0 leader's and follower's keys
// and layout (shared/oracle/fourlw/ensemble3-*); values that depend on the host or on timing may
// differ, and the ones the protocol fixes must not.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPEN_ACL_UNSAFE } from "../../../src/zk/acl.js";
import { clientNode } from "../../../src/zk/client/client-node.js";
import { SimClient } from "../../../src/zk/client/sim-client.js";
import { generatedZooCfg } from "../../../src/zk/quorum/config.js";
import { Ensemble } from "../../../src/zk/quorum/ensemble.js";
import { proposalBytes, ZK_NOT_SERVING } from "../../../src/zk/server/four-letter-words.js";

const REAL = "/work/shared/oracle/fourlw";
const real = (role: "leader" | "follower", word: string): string => readFileSync(`${REAL}/ensemble3-${role}.${word}`, "utf8");

/** Each line's key: text up to the first separator (": ", "=", tab); connection lines by shape. */
const keys = (text: string): string[] =>
  text.split("\n").map((l) => (l.startsWith(" /") ? "<conn>" : (/^[^:=\t]*(: |=|\t|:)/.exec(l)?.[0] ?? l)));

/** The value of one `key<sep>value` line. */
const value = (text: string, key: string): string | undefined => text.split("\n").find((l) => l.startsWith(key))?.slice(key.length);

const utf8 = new TextEncoder();

function clientOn(e: Ensemble, id: string, sid: number): SimClient {
  e.world.addNode(id, clientNode);
  e.world.start(id);
  const host = `127.0.0.1:${2180 + sid}`;
  return new SimClient({ world: e.world, clientId: id, servers: new Map([[host, `s${sid}`]]), host });
}

/**
 * The oracle's story: three servers (3 leads, 1 follows), one client on server 1 creates /a and goes
 * away without closing its session (the recordings list the session, and no client connection).
 */
function recorded(): Ensemble {
  const e = new Ensemble({ seed: 1, servers: 3 });
  expect(e.settle(10_000)).toBe(true);
  expect(e.leader()).toBe(3);
  const c = clientOn(e, "c1", 1);
  expect(c.create("/a", utf8.encode("x"), OPEN_ACL_UNSAFE, 0, -1n).ok).toBe(true);
  e.run(e.world.now + 100_000);
  e.world.crash("c1");
  e.run(e.world.now + 100_000);
  return e;
}

const ask = (e: Ensemble, sid: number, word: string): string => e.fourLetterWord(sid, word) ?? "(down)";

describe("four-letter words of an ensemble's servers, next to the real 3.8.0 ensemble", () => {
  const e = recorded();
  const roles = [
    ["leader", 3],
    ["follower", 1],
  ] as const;

  for (const [role, sid] of roles) {
    for (const word of ["ruok", "isro", "srvr", "stat", "cons", "conf", "envi", "mntr", "wchs"]) {
      it(`${word} on the ${role} has the real keys, in the real order`, () => {
        expect(keys(ask(e, sid, word))).toEqual(keys(real(role, word)));
      });
    }
  }

  it("srvr and stat: the leader's protocol values are the recorded ones, proposal sizes included", () => {
    for (const word of ["srvr", "stat"]) {
      const text = ask(e, 3, word);
      expect(text).toMatch(/\nZxid: 0x100000002\nMode: leader\nNode count: 6\nProposal sizes last\/min\/max: 87\/48\/87\n$/);
      expect(text.split("\n").slice(-5)).toEqual(real("leader", word).split("\n").slice(-5));
    }
    expect(ask(e, 1, "srvr")).toMatch(/\nZxid: 0x100000002\nMode: follower\nNode count: 6\n$/);
    expect(ask(e, 1, "srvr")).not.toContain("Proposal sizes");
  });

  it("mntr: the quorum's values are the recorded ones", () => {
    const fixed = (role: "leader" | "follower"): string[] =>
      role === "leader"
        ? ["zk_server_state", "zk_peer_state", "zk_quorum_size", "zk_learners", "zk_synced_followers", "zk_synced_non_voting_followers", "zk_synced_observers", "zk_pending_syncs"]
        : ["zk_server_state", "zk_peer_state", "zk_quorum_size"];
    for (const [role, sid] of roles) {
      const text = ask(e, sid, "mntr");
      const want = real(role, "mntr");
      for (const key of [...fixed(role), "zk_version", "zk_znode_count", "zk_ephemerals_count", "zk_global_sessions"]) {
        expect([key, value(text, `${key}\t`)]).toEqual([key, value(want, `${key}\t`)]);
      }
    }
    const leader = ask(e, 3, "mntr");
    for (const key of ["zk_last_proposal_size", "zk_min_proposal_size", "zk_max_proposal_size"]) expect(value(leader, `${key}\t`)).toBe(value(real("leader", "mntr"), `${key}\t`));
    expect(Number(value(leader, "zk_leader_uptime\t"))).toBeGreaterThan(0);
    expect(Number(value(leader, "zk_leader_uptime\t"))).toBeLessThan(Number(value(leader, "zk_uptime\t")));
  });

  it("conf: the ensemble's lines as the real server prints them, membership last and no final newline", () => {
    const text = ask(e, 3, "conf");
    const want = real("leader", "conf");
    for (const key of ["tickTime=", "initLimit=", "syncLimit=", "electionAlg=", "peerType=", "minSessionTimeout=", "maxSessionTimeout="]) {
      expect([key, value(text, key)]).toEqual([key, value(want, key)]);
    }
    expect(text).toMatch(/\nserverId=3\ninitLimit=10\nsyncLimit=5\nelectionAlg=3\nelectionPort=3890\nquorumPort=2890\npeerType=0\nmembership: \n/);
    // zksim's generated server lines give a client port (`;2181`), which Java prints as 0.0.0.0:2181.
    expect(text).toMatch(/\nserver\.1=127\.0\.0\.1:2888:3888:participant;0\.0\.0\.0:2181\nserver\.2=.*\nserver\.3=127\.0\.0\.1:2890:3890:participant;0\.0\.0\.0:2183\nversion=0$/);
    expect(ask(e, 1, "conf")).toMatch(/^clientPort=2181\n[^]*\nserverId=1\n/);
  });

  it("dump: the leader's tracker lists its session sets, a follower's its global sessions, as recorded", () => {
    // Session ids, dates, counts and ports differ; an empty bucket (kept by the real queue until its
    // time passes) is not modelled.
    const shape = (text: string): string[] =>
      text
        .replace(/0x[0-9a-f]+/g, "0xID")
        .replace(/[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4}/g, "DATE")
        .replace(/\d+/g, "N")
        .split("\n")
        .filter((l, i, all) => !(l === "N expire at DATE:" && !(all[i + 1] ?? "").startsWith("\t")));
    for (const [role, sid] of roles) expect(shape(ask(e, sid, "dump"))).toEqual(shape(real(role, "dump")));
    expect(ask(e, 3, "dump")).toMatch(/^SessionTracker dump:\nSession Sets \(1\)\/\(1\):\n1 expire at \w{3} \w{3} \d\d [\d:]{8} UTC \d{4}:\n\t0x1[0-9a-f]{14}\n/);
    expect(ask(e, 1, "dump")).toMatch(/^SessionTracker dump:\nGlobal Sessions\(1\):\n0x1[0-9a-f]{14}\t30000ms\nephemeral nodes dump:\nSessions with Ephemerals \(0\):\n/);
  });
});

describe("srvr's Zxid on a leader: <epoch, 0> once it serves (Leader.lead's setlastProcessedZxid)", () => {
  it("a fresh ensemble shows 0x100000000 on the leader and 0x0 on its followers, as the oracle notes", () => {
    const e = new Ensemble({ seed: 2, servers: 3 });
    expect(e.settle(10_000)).toBe(true);
    expect(ask(e, 3, "srvr")).toContain("\nZxid: 0x100000000\nMode: leader\n");
    expect(ask(e, 3, "srvr")).toContain("\nProposal sizes last/min/max: -1/-1/-1\n");
    expect(ask(e, 1, "srvr")).toContain("\nZxid: 0x0\nMode: follower\n");
  });

  it("after the leader dies, the new leader shows <2, 0> until its first proposal commits, then that zxid", () => {
    const e = new Ensemble({ seed: 3, servers: 3 });
    expect(e.settle(10_000)).toBe(true);
    const c = clientOn(e, "c1", 1);
    expect(c.create("/a", utf8.encode("x"), OPEN_ACL_UNSAFE, 0, -1n).ok).toBe(true);
    c.close();
    e.run(e.world.now + 100_000);
    e.world.crash("s3");
    expect(e.settle(10_000)).toBe(true);
    expect(e.leader()).toBe(2);
    expect(ask(e, 2, "srvr")).toContain("\nZxid: 0x200000000\nMode: leader\n");
    expect(ask(e, 1, "srvr")).toContain("\nZxid: 0x100000003\nMode: follower\n");
    const c2 = clientOn(e, "c2", 2);
    expect(c2.create("/b", null, OPEN_ACL_UNSAFE, 0, -1n).ok).toBe(true);
    expect(ask(e, 2, "srvr")).toContain("\nZxid: 0x200000002\nMode: leader\n");
    // A new Leader object: its proposal stats start over (createSession 48, create /b with no data 86).
    expect(ask(e, 2, "srvr")).toContain("\nProposal sizes last/min/max: 86/48/86\n");
  });
});

describe("an observer", () => {
  const e = new Ensemble({ seed: 4, servers: 3, observers: 1 });
  expect(e.settle(10_000)).toBe(true);
  const leader = e.leader() as number;

  it("srvr and stat say observer, without proposal sizes", () => {
    expect(ask(e, 4, "srvr")).toMatch(/\nMode: observer\nNode count: 5\n$/);
    expect(ask(e, 4, "stat")).toMatch(/\nMode: observer\nNode count: 5\n$/);
  });

  it("mntr: the follower's keys plus zk_observer_master_id after zk_peer_state; the leader counts it", () => {
    const text = ask(e, 4, "mntr");
    const want = keys(real("follower", "mntr")).filter((k) => !k.startsWith("zk_avg_a_") && !/^zk_(min|max|cnt|sum)_a_/.test(k));
    want.splice(want.indexOf("zk_peer_state\t") + 1, 0, "zk_observer_master_id\t");
    expect(keys(text)).toEqual(want);
    expect(value(text, "zk_server_state\t")).toBe("observer");
    expect(value(text, "zk_peer_state\t")).toBe("observing - broadcast");
    expect(value(text, "zk_observer_master_id\t")).toBe(String(leader));
    expect(value(text, "zk_quorum_size\t")).toBe("3");
    const l = ask(e, leader, "mntr");
    expect([value(l, "zk_learners\t"), value(l, "zk_synced_followers\t"), value(l, "zk_synced_observers\t")]).toEqual(["3", "2", "1"]);
    expect(l).toContain("zk_avg_4_learner_handler_qp_size\t");
  });

  it("conf: peerType 1, and the membership lists it as an observer", () => {
    const text = ask(e, 4, "conf");
    expect(text).toContain("\nserverId=4\n");
    expect(text).toContain("\npeerType=1\n");
    expect(text).toMatch(/\nserver\.4=127\.0\.0\.1:2891:3891:observer;0\.0\.0\.0:2184\nversion=0$/);
  });

  it("dump: an observer's tracker is a learner's", () => {
    expect(ask(e, 4, "dump")).toMatch(/^SessionTracker dump:\nGlobal Sessions\(0\):\nephemeral nodes dump:\n/);
  });
});

describe("a server that is not serving (CommandExecutor's commands with no running ZooKeeperServer)", () => {
  // Server 1 alone cannot form a quorum: it stays LOOKING.
  const e = new Ensemble({ seed: 5, servers: 3, startAll: false });
  e.world.start("s1");
  e.run(5_000_000);

  it("is looking", () => {
    expect(e.status(1).state).toBe("LOOKING");
  });

  it("most words answer the not-serving line; ruok, gtmk and envi do not look; isro says null", () => {
    for (const word of ["srvr", "stat", "mntr", "conf", "cons", "wchs", "wchc", "wchp", "dirs", "dump", "crst", "srst"]) expect([word, ask(e, 1, word)]).toEqual([word, `${ZK_NOT_SERVING}\n`]);
    expect(ask(e, 1, "ruok")).toBe("imok");
    expect(ask(e, 1, "gtmk")).toBe("306");
    expect(ask(e, 1, "isro")).toBe("null");
    expect(ask(e, 1, "hash")).toBe(ZK_NOT_SERVING);
    expect(keys(ask(e, 1, "envi"))).toEqual(keys(real("follower", "envi")));
  });

  it("an unknown word gets nothing, a word off the whitelist its refusal", () => {
    expect(ask(e, 1, "xyzw")).toBe("");
    const w = new Ensemble({ seed: 5, zooCfg: generatedZooCfg(3, 0, { "4lw.commands.whitelist": "ruok" }), startAll: false });
    w.world.start("s1");
    w.run(1_000_000);
    expect(ask(w, 1, "stat")).toBe("stat is not executed because it is not in the whitelist.\n");
    expect(ask(w, 1, "srvr")).toBe(`${ZK_NOT_SERVING}\n`);
    expect(ask(w, 1, "ruok")).toBe("imok");
  });
});

describe("the 4lw whitelist of an ensemble's zoo.cfg", () => {
  it("4lw.commands.whitelist reaches the serving config: listed words answer, others are refused, srvr always answers", () => {
    const e = new Ensemble({ seed: 6, zooCfg: generatedZooCfg(3, 0, { "4lw.commands.whitelist": "ruok, mntr" }) });
    expect(e.settle(10_000)).toBe(true);
    expect(ask(e, 1, "ruok")).toBe("imok");
    expect(ask(e, 1, "mntr")).toMatch(/^zk_version\t/);
    expect(ask(e, 1, "srvr")).toMatch(/^Zookeeper version: /);
    expect(ask(e, 1, "conf")).toBe("conf is not executed because it is not in the whitelist.\n");
  });

  it("without the key every known word answers (4lw.commands.whitelist=*, as the oracle's servers ran)", () => {
    const e = new Ensemble({ seed: 6, servers: 3 });
    expect(e.settle(10_000)).toBe(true);
    for (const word of ["ruok", "stat", "mntr", "conf", "cons", "envi", "wchs", "isro", "dump"]) expect(ask(e, 1, word)).not.toContain("not in the whitelist");
  });
});

describe("the leader's dump lists sessions with ephemerals", () => {
  it("an ephemeral's owner and path, on the leader as on its followers", () => {
    const e = new Ensemble({ seed: 7, servers: 3 });
    expect(e.settle(10_000)).toBe(true);
    const c = clientOn(e, "c1", 1);
    expect(c.create("/e", null, OPEN_ACL_UNSAFE, 1, -1n).ok).toBe(true);
    e.run(e.world.now + 100_000);
    const leader = ask(e, 3, "dump");
    expect(leader).toMatch(/\nephemeral nodes dump:\nSessions with Ephemerals \(1\):\n0x1[0-9a-f]{14}:\n\t\/e\nConnections dump:\n/);
    const owner = /\n(0x[0-9a-f]+):\n\t\/e\n/.exec(leader)?.[1];
    expect(leader).toContain(`Session Sets (1)/(1):\n1 expire at `);
    expect(leader).toContain(`\t${owner}\n`);
    expect(ask(e, 1, "dump")).toContain(`Sessions with Ephemerals (1):\n${owner}:\n\t/e\n`);
    // Server 1 holds the client's connection; the leader only the asking one.
    expect(ask(e, 1, "dump")).toMatch(/Connections Sets \(2\)\/\(2\):\n/);
    expect(ask(e, 1, "dump")).toContain(` sessionId: ${owner}\n`);
  });
});

describe("proposal sizes (SerializeUtils.serializeRequest: header, txn, digest)", () => {
  const hdr = { sessionId: 0x100005fcbb40000n, zxid: 0x100000001n, timeMs: 0 };
  it("match the recorded leader: createSession 48, create /a x with the open ACL 87", () => {
    expect(proposalBytes({ hdr, txn: { type: "createSession", timeoutMs: 30000 } })).toBe(48);
    const create = { type: "create", kind: "create", path: "/a", data: utf8.encode("x"), acl: OPEN_ACL_UNSAFE, ephemeralOwner: 0n, parentCVersion: 1 } as const;
    expect(proposalBytes({ hdr, txn: create })).toBe(87);
  });

  it("an error txn outside a multi has no digest; a multi wraps each sub-txn as {type, buffer}", () => {
    expect(proposalBytes({ hdr, txn: { type: "error", code: -101 } })).toBe(36);
    expect(proposalBytes({ hdr, txn: { type: "multi", txns: [{ type: "delete", path: "/a" }, { type: "error", code: -2 }] } })).toBe(32 + 4 + (8 + 6) + (8 + 4) + 12);
    expect(proposalBytes({ hdr, txn: { type: "closeSession", paths: ["/e"] } })).toBe(32 + 4 + 6 + 12);
  });
});
