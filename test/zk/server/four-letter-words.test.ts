// Four-letter words keep the real standalone server's keys and layout (values that depend on the
// host or on timing may differ).
import { readFileSync } from "node:fs";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { OPEN_ACL_UNSAFE } from "../../../src/zk/acl.js";
import { clientNode } from "../../../src/zk/client/client-node.js";
import { SimClient } from "../../../src/zk/client/sim-client.js";
import { CLIENT_ID, StandaloneSim } from "../../../src/zk/client/standalone-sim.js";
import { Ensemble } from "../../../src/zk/quorum/ensemble.js";
import { enabledFourLetterWords, KNOWN_FOUR_LETTER_WORDS } from "../../../src/zk/server/four-letter-words.js";
import type { StandaloneConfig } from "../../../src/zk/server/standalone-server.js";
import { parseZooCfg } from "../../../src/zk/server/zoo-cfg.js";

const REAL = "/work/shared/oracle/fourlw";
const real = (word: string): string => readFileSync(`${REAL}/standalone.${word}`, "utf8");

/** Each line's key: text up to the first separator (": ", "=", tab); connection lines by shape. */
const keys = (text: string): string[] =>
  text.split("\n").map((l) => (l.startsWith(" /") ? "<conn>" : (/^[^:=\t]*(: |=|\t|:)/.exec(l)?.[0] ?? l)));

function answered(word: string, server: Partial<StandaloneConfig> = {}): string {
  const s = new StandaloneSim({ seed: 3, server });
  s.client.create("/a", new TextEncoder().encode("x"), OPEN_ACL_UNSAFE, 0, -1n);
  return s.fourLetterWord(word) ?? "";
}

describe("four-letter words on a standalone server", () => {
  for (const word of ["ruok", "isro", "srvr", "conf", "envi", "mntr", "wchs"]) {
    it(`${word} has the real keys and layout`, () => {
      expect(keys(answered(word))).toEqual(keys(real(word)));
    });
  }

  it("srvr reports the zxid, the mode and the node count", () => {
    expect(answered("srvr")).toMatch(/\nZxid: 0x2\nMode: standalone\nNode count: 6\n$/);
  });

  it("stat and cons list the client's connection, then the asking one", () => {
    expect(answered("cons")).toMatch(/^ \/127\.0\.0\.1:\d+\[1\]\(queued=0,recved=\d+,sent=\d+,sid=0x1[0-9a-f]{14},.*\)\n \/127\.0\.0\.1:\d+\[0\]\(queued=0,recved=1,sent=0\)\n\n$/);
    expect(answered("stat")).toMatch(/^Zookeeper version: .*\nClients:\n \/127\.0\.0\.1.*\n \/127\.0\.0\.1.*\n\nLatency min\/avg\/max: /);
  });

  it("an unknown word is no command: the server drops the connection, so nothing comes back", () => {
    expect(answered("xyzw")).toBe("");
    expect(answered("RUOK")).toBe("");
  });

  it("gtmk prints ZooTrace's default mask without a newline, dirs the data and log sizes", () => {
    expect(answered("gtmk")).toBe("306");
    expect(answered("dirs")).toMatch(/^datadir_size: \d+\nlogdir_size: \d+\n$/);
  });
});

/** The answer with `4lw.commands.whitelist` set from zoo.cfg text (null: the key absent). */
function withWhitelist(word: string, whitelist: string | null): string {
  const parsed = parseZooCfg(whitelist === null ? "tickTime=2000\n" : `tickTime=2000\n4lw.commands.whitelist=${whitelist}\n`);
  if (!parsed.ok) throw new Error(parsed.message);
  return answered(word, { fourLetterWordWhitelist: null, ...parsed.cfg });
}

const refusal = (word: string): string => `${word} is not executed because it is not in the whitelist.\n`;

describe("the four-letter-word whitelist (FourLetterCommands.isEnabled)", () => {
  it("without 4lw.commands.whitelist only srvr answers", () => {
    expect(withWhitelist("srvr", null)).toMatch(/^Zookeeper version: /);
    for (const word of ["ruok", "stat", "mntr", "conf", "cons", "envi", "wchs", "isro", "dump"]) expect(withWhitelist(word, null)).toBe(refusal(word));
  });

  it("a list enables its words, trimmed, and srvr always", () => {
    expect(withWhitelist("ruok", "stat, ruok ,,mntr")).toBe("imok");
    expect(withWhitelist("stat", "stat, ruok ,,mntr")).toMatch(/^Zookeeper version: .*\nClients:\n/);
    expect(withWhitelist("mntr", "stat, ruok ,,mntr")).toMatch(/^zk_version\t/);
    expect(withWhitelist("srvr", "ruok")).toMatch(/^Zookeeper version: /);
    expect(withWhitelist("conf", "stat, ruok ,,mntr")).toBe(refusal("conf"));
  });

  it("names are case-sensitive, and an unknown word stays unanswered even when listed", () => {
    expect(withWhitelist("ruok", "RUOK")).toBe(refusal("ruok"));
    expect(withWhitelist("abcd", "abcd")).toBe("");
  });

  it("* enables every known word, wherever it stands in the list", () => {
    expect(withWhitelist("ruok", "*")).toBe("imok");
    expect(withWhitelist("isro", "ruok, *")).toBe("rw");
    const all = enabledFourLetterWords("*");
    expect([...all].sort()).toEqual([...KNOWN_FOUR_LETTER_WORDS].sort());
  });

  it("an empty whitelist enables srvr alone", () => {
    expect([...enabledFourLetterWords("")]).toEqual(["srvr"]);
    expect([...enabledFourLetterWords(" , ")]).toEqual(["srvr"]);
    expect(withWhitelist("ruok", "")).toBe(refusal("ruok"));
  });

  it("the default configuration is the oracle servers' (4lw.commands.whitelist=*)", () => {
    for (const word of ["ruok", "stat", "mntr", "conf", "cons", "envi", "wchs", "isro"]) expect(answered(word)).not.toBe(refusal(word));
  });
});

// ---------------------------------------------------------------- the words that look deeper or change the server

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const PERSISTENT = 0;
const EPHEMERAL = 1;

/** A server with one connected client that created /a (the oracle's setup). */
function withA(server: Partial<StandaloneConfig> = {}): StandaloneSim {
  const s = new StandaloneSim({ seed: 3, server });
  s.client.create("/a", text("x"), OPEN_ACL_UNSAFE, PERSISTENT, -1n);
  return s;
}

/** The client's session id, as cons shows it. */
const sessionHex = (s: StandaloneSim): string => {
  const sid = /,sid=(0x[0-9a-f]+),/.exec(s.fourLetterWord("cons") ?? "")?.[1];
  if (sid === undefined) throw new Error("no session in cons");
  return sid;
};

describe("wchc, wchp and wchs (WatchManager of the data watches)", () => {
  it("wchc lists each connection's data watches, wchp each path's watchers, both ending with an empty line", () => {
    const s = withA();
    const sid = sessionHex(s);
    s.client.create("/b", null, OPEN_ACL_UNSAFE, PERSISTENT, -1n);
    // Registered /b first: a HashMap of 16 buckets still lists /a (bucket 2) before /b (bucket 3).
    s.client.getData("/b", true);
    s.client.exists("/a", true);
    // Child watches live in the other manager: the watch words do not show them.
    s.client.getChildren("/a", true);
    expect(s.fourLetterWord("wchc")).toBe(`${sid}\n\t/a\n\t/b\n\n`);
    expect(s.fourLetterWord("wchp")).toBe(`/a\n\t${sid}\n/b\n\t${sid}\n\n`);
    expect(s.fourLetterWord("wchs")).toBe("1 connections watching 2 paths\nTotal watches:2\n");
  });

  it("a fired watch leaves its path, but the connection stays counted until it closes", () => {
    const s = withA();
    const sid = sessionHex(s);
    s.client.getData("/a", true);
    s.client.setData("/a", text("y"), -1);
    expect(s.fourLetterWord("wchs")).toBe("1 connections watching 0 paths\nTotal watches:0\n");
    expect(s.fourLetterWord("wchc")).toBe(`${sid}\n\n`);
    expect(s.fourLetterWord("wchp")).toBe("\n");
    s.world.crash(CLIENT_ID);
    s.advance(100);
    expect(s.fourLetterWord("wchs")).toBe("0 connections watching 0 paths\nTotal watches:0\n");
    expect(s.fourLetterWord("wchc")).toBe("\n");
  });

  it("orders paths as the Java HashMap does after its table grew (a table never shrinks)", () => {
    const s = withA();
    const paths = Array.from({ length: 14 }, (_, i) => `/n${i}`);
    for (const p of paths) s.client.exists(p, true);
    const listed = (s.fourLetterWord("wchp") ?? "").split("\n").filter((l) => l.startsWith("/"));
    const java = (p: string): number => {
      let h = 0;
      for (let i = 0; i < p.length; i++) h = (Math.imul(h, 31) + p.charCodeAt(i)) | 0;
      return (h ^ (h >>> 16)) & 31; // 14 keys > 16 * 0.75: the table doubled to 32 buckets
    };
    expect(listed).toEqual([...paths].sort((x, y) => java(x) - java(y) || paths.indexOf(x) - paths.indexOf(y)));
    expect(listed).not.toEqual(paths);
  });
});

describe("dump on a standalone server (SessionTrackerImpl, its expiry buckets)", () => {
  it("lists the session tracker and the ephemerals as the oracle's server did", () => {
    const s = withA();
    const sid = sessionHex(s);
    const norm = (t: string): string => t.replace(/[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4}/g, "DATE").replace(/0x[0-9a-f]{6,}/g, "SID");
    const head = (t: string): string => t.split("Connections dump:")[0] ?? "";
    expect(head(norm(s.fourLetterWord("dump") ?? ""))).toBe(head(norm(real("dump"))));
    s.client.create("/e", null, OPEN_ACL_UNSAFE, EPHEMERAL, -1n);
    expect(s.fourLetterWord("dump")).toContain(`ephemeral nodes dump:\nSessions with Ephemerals (1):\n${sid}:\n\t/e\nConnections dump:\n`);
  });
});

describe("crst and srst reset what srvr, stat, cons and mntr print", () => {
  it("every four-letter word counts in Received (its 4 bytes) and Sent (its answer), as on the oracle's server", () => {
    const s = withA();
    // The oracle's server: a connect and a create, then srvr (Received: 3, Sent: 2), then stat.
    expect(s.fourLetterWord("srvr")).toMatch(/\nReceived: 3\nSent: 2\n/);
    expect(s.fourLetterWord("stat")).toMatch(/\nReceived: 4\nSent: 3\n/);
    expect(s.fourLetterWord("xyzw")).toBe("");
    expect(s.fourLetterWord("srvr")).toMatch(/\nReceived: 5\nSent: 4\n/);
  });

  it("srst zeroes the latencies and the packet counts (its own answer is then the one packet sent)", () => {
    const s = withA();
    s.client.getData("/a", false);
    expect(s.fourLetterWord("srvr")).not.toMatch(/Latency min\/avg\/max: 0\/0\.0\/0\n/);
    expect(s.fourLetterWord("srst")).toBe("Server stats reset.\n");
    expect(s.fourLetterWord("srvr")).toMatch(/^Zookeeper version: .*\nLatency min\/avg\/max: 0\/0\.0\/0\nReceived: 1\nSent: 1\nConnections: 2\n/);
    expect(s.fourLetterWord("mntr")).toMatch(/\nzk_avg_latency\t0\.0\n[^]*\nzk_packets_sent\t2\nzk_packets_received\t2\n[^]*\nzk_min_latency\t0\n[^]*\nzk_max_latency\t0\n/);
    // The client's connection keeps its own counters: srst is not crst.
    expect(s.fourLetterWord("cons")).toMatch(/^ \/127\.0\.0\.1:\d+\[1\]\(queued=0,recved=[1-9]\d*,sent=[1-9]\d*,/);
  });

  it("crst zeroes every connection's counters and leaves the server's", () => {
    const s = withA();
    const before = s.fourLetterWord("srvr") ?? "";
    expect(s.fourLetterWord("crst")).toBe("Connection stats reset.\n");
    expect(s.fourLetterWord("cons")).toMatch(/^ \/127\.0\.0\.1:\d+\[1\]\(queued=0,recved=0,sent=0,sid=0x1[0-9a-f]+,/);
    s.client.exists("/a", false);
    expect(s.fourLetterWord("cons")).toMatch(/^ \/127\.0\.0\.1:\d+\[1\]\(queued=0,recved=1,sent=1,/);
    const received = (t: string): number => Number(/Received: (\d+)/.exec(t)?.[1]);
    expect(received(s.fourLetterWord("srvr") ?? "")).toBe(received(before) + 5); // crst, cons, exists, cons and this srvr
  });

  it("a word off the whitelist resets nothing", () => {
    const s = withA({ fourLetterWordWhitelist: "srvr,cons" });
    expect(s.fourLetterWord("crst")).toBe("crst is not executed because it is not in the whitelist.\n");
    expect(s.fourLetterWord("srst")).toBe("srst is not executed because it is not in the whitelist.\n");
    expect(s.fourLetterWord("cons")).toMatch(/^ \/127\.0\.0\.1:\d+\[1\]\(queued=0,recved=2,sent=2,/);
    expect(s.fourLetterWord("srvr")).toMatch(/\nReceived: 6\n/);
  });
});

describe("stmk and gtmk (ZooTrace's text trace mask)", () => {
  it("stmk sets the mask from the 8 bytes after it and prints it as a long, without a newline; gtmk reads it back", () => {
    const s = withA();
    expect(s.fourLetterWord("gtmk")).toBe("306");
    expect(s.fourLetterWord("stmk 250")).toBe("250");
    expect(s.fourLetterWord("gtmk")).toBe("250");
    expect(s.fourLetterWord("stmk 0xffffffffffffffff")).toBe("-1");
    expect(s.fourLetterWord("gtmk")).toBe("-1");
  });

  it("without its 8 bytes stmk gets no answer and changes nothing", () => {
    const s = withA();
    expect(s.fourLetterWord("stmk")).toBe("");
    expect(s.fourLetterWord("stmk x")).toBe("");
    expect(s.fourLetterWord("gtmk")).toBe("306");
  });

  it("the mask lives as long as the process: a restarted server is back to the default", () => {
    const s = withA();
    s.fourLetterWord("stmk 0");
    expect(s.fourLetterWord("gtmk")).toBe("0");
    s.crash();
    s.restart();
    expect(s.fourLetterWord("gtmk")).toBe("306");
  });

  it("telnet close is known but no command: nothing comes back", () => {
    expect(withA().fourLetterWord("telnet close")).toBe("");
  });
});

/**
 * The tree digest computed here from what a client reads, independently of src/zk's digest code:
 * node:zlib's CRC32 over each path ("" for the root), its data and its persisted stat (the stored
 * cversion is (shown cversion + numChildren) / 2), summed over every node but those under /zookeeper/.
 */
function digestSeenByClient(s: StandaloneSim): bigint {
  let sum = 0n;
  const visit = (path: string): void => {
    const r = s.client.getData(path, false);
    if (!r.ok) throw new Error(`getData ${path}`);
    const st = r.value.stat;
    if (!path.startsWith("/zookeeper/")) {
      const b = Buffer.alloc(60);
      b.writeBigInt64BE(st.czxid, 0);
      b.writeBigInt64BE(st.mzxid, 8);
      b.writeBigInt64BE(st.pzxid, 16);
      b.writeBigInt64BE(BigInt(st.ctime), 24);
      b.writeBigInt64BE(BigInt(st.mtime), 32);
      b.writeInt32BE(st.version, 40);
      b.writeInt32BE((st.cversion + st.numChildren) / 2, 44);
      b.writeInt32BE(st.aversion, 48);
      b.writeBigInt64BE(st.ephemeralOwner, 52);
      sum += BigInt(zlib.crc32(Buffer.concat([Buffer.from(path === "/" ? "" : path), r.value.data ?? Buffer.alloc(0), b])));
    }
    const kids = s.client.getChildren(path, false);
    if (!kids.ok) throw new Error(`getChildren ${path}`);
    for (const k of kids.value.children) visit(path === "/" ? `/${k}` : `${path}/${k}`);
  };
  visit("/");
  return BigInt.asIntN(64, sum);
}

describe("hash (DigestCommand: the digest log, zookeeper.digest.enabled being true by default)", () => {
  it("prints nothing until a zxid divisible by 128, then one line per such zxid: bare hex zxid, the tree digest", () => {
    const s = new StandaloneSim({ seed: 5 });
    // createSession is 0x1; creates 0x2 .. 0x80 make 0x80 the last zxid.
    for (let i = 2; i <= 0x80; i++) s.client.create(`/n${i}`, i % 3 === 0 ? null : text(`v${i}`), OPEN_ACL_UNSAFE, i % 5 === 0 ? EPHEMERAL : PERSISTENT, -1n);
    expect(s.fourLetterWord("srvr")).toMatch(/\nZxid: 0x80\n/);
    const at80 = digestSeenByClient(s);
    expect(s.fourLetterWord("hash")).toBe(`80: ${at80}\n`);
    for (let i = 0; i < 0x80; i++) s.client.setData(`/n${2 + (i % 20)}`, text(`w${i}`), -1);
    expect(s.fourLetterWord("srvr")).toMatch(/\nZxid: 0x100\n/);
    expect(s.fourLetterWord("hash")).toBe(`80: ${at80}\n100: ${digestSeenByClient(s)}\n`);
  });

  it("after a restart holds what the log replay logged, and nothing a loaded snapshot holds", () => {
    const s = new StandaloneSim({ seed: 5, server: { snapCount: 1000 } });
    for (let i = 2; i <= 0x82; i++) s.client.create(`/n${i}`, null, OPEN_ACL_UNSAFE, PERSISTENT, -1n);
    const line80 = s.fourLetterWord("hash") ?? "";
    expect(line80).toMatch(/^80: -?\d+\n$/);
    // The only snapshot is the empty one of the first start: the log replays 0x1 .. 0x82 through processTxn.
    s.crash();
    s.restart();
    s.advance(3000);
    expect(s.fourLetterWord("hash")).toBe(line80);
    // That start wrote snapshot.82; the next restart loads it and replays nothing.
    s.crash();
    s.restart();
    s.advance(3000);
    expect(s.fourLetterWord("hash")).toBe("");
    for (let i = 0x83; i <= 0x100; i++) s.client.create(`/m${i}`, null, OPEN_ACL_UNSAFE, PERSISTENT, -1n);
    expect(s.fourLetterWord("hash")).toBe(`100: ${digestSeenByClient(s)}\n`);
  });
});

describe("the same words on an ensemble's servers (what reaches them through ServingCore's snapshot)", () => {
  const e = new Ensemble({ seed: 1, servers: 3 });
  expect(e.settle(10_000)).toBe(true);
  const leader = e.leader() ?? 0;
  const follower = [1, 2, 3].find((sid) => sid !== leader) ?? 0;
  e.world.addNode("c1", clientNode);
  e.world.start("c1");
  const host = `127.0.0.1:${2180 + follower}`;
  const c = new SimClient({ world: e.world, clientId: "c1", servers: new Map([[host, `s${follower}`]]), host });
  c.create("/a", text("x"), OPEN_ACL_UNSAFE, PERSISTENT, -1n);
  c.exists("/a", true);
  const ask = (sid: number, word: string): string => e.fourLetterWord(sid, word) ?? "(down)";

  it("wchc and wchp list the follower's client watches; the leader has none", () => {
    const sid = /,sid=(0x[0-9a-f]+),/.exec(ask(follower, "cons"))?.[1];
    expect(ask(follower, "wchc")).toBe(`${sid}\n\t/a\n\n`);
    expect(ask(follower, "wchp")).toBe(`/a\n\t${sid}\n\n`);
    expect(ask(leader, "wchc")).toBe("\n");
  });

  it("crst resets the connections; srst resets a follower's stats, and a leader's proposal sizes too (StatResetCommand)", () => {
    expect(ask(follower, "crst")).toBe("Connection stats reset.\n");
    expect(ask(follower, "cons")).toMatch(/^ \/127\.0\.0\.1:\d+\[1\]\(queued=0,recved=0,sent=0,/);
    const received = (t: string): number => Number(/Received: (\d+)/.exec(t)?.[1]);
    const before = received(ask(follower, "srvr"));
    expect(before).toBeGreaterThan(2);
    expect(ask(follower, "srst")).toBe("Server stats reset.\n");
    // (A peer does not count the four-letter words' own packets, which the standalone server does.)
    const after = ask(follower, "srvr");
    expect(after).toMatch(/\nLatency min\/avg\/max: 0\/0\.0\/0\n/);
    expect(received(after)).toBeLessThan(before);
    const sizes = (t: string): string => /Proposal sizes last\/min\/max: (.*)\n/.exec(t)?.[1] ?? "(none)";
    expect(sizes(ask(leader, "stat"))).toMatch(/^\d+\/\d+\/\d+$/);
    expect(ask(leader, "srst")).toBe("Server stats reset.\n");
    expect(sizes(ask(leader, "stat"))).toBe("-1/-1/-1");
  });

  it("stmk sets a peer's trace mask (static in its JVM: per server), which gtmk reads back", () => {
    expect(ask(follower, "stmk 250")).toBe("250");
    expect(ask(follower, "gtmk")).toBe("250");
    expect(ask(leader, "gtmk")).toBe("306");
  });

  it("hash prints the digest log of the server's tree: nothing before a zxid divisible by 128", () => {
    expect(ask(follower, "hash")).toBe("");
    expect(ask(leader, "hash")).toBe("");
  });
});
