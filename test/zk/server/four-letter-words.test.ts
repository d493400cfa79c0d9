// Four-letter words keep the real standalone server's keys and layout (values that depend on the
// host or on timing may differ).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPEN_ACL_UNSAFE } from "../../../src/zk/acl.js";
import { StandaloneSim } from "../../../src/zk/client/standalone-sim.js";

const REAL = "/work/shared/oracle/fourlw";
const real = (word: string): string => readFileSync(`${REAL}/standalone.${word}`, "utf8");

/** Each line's key: text up to the first separator (": ", "=", tab); connection lines by shape. */
const keys = (text: string): string[] =>
  text.split("\n").map((l) => (l.startsWith(" /") ? "<conn>" : (/^[^:=\t]*(: |=|\t|:)/.exec(l)?.[0] ?? l)));

function answered(word: string): string {
  const s = new StandaloneSim({ seed: 3 });
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

  it("an unknown word gets the whitelist refusal", () => {
    expect(answered("xyzw")).toBe("xyzw is not executed because it is not in the whitelist.\n");
  });
});
