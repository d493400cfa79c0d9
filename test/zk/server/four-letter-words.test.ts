// Four-letter words keep the real standalone server's keys and layout (values that depend on the
// host or on timing may differ).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPEN_ACL_UNSAFE } from "../../../src/zk/acl.js";
import { StandaloneSim } from "../../../src/zk/client/standalone-sim.js";
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
