// Replays every recorded zkCli session (test/oracle/zkcli, from the real ZooKeeper 3.8.0) through
// the zkCli layer (src/zk/cli) over the in-process store client, comparing as the oracle's
// compare.py does. Scripts that do not match yet are listed with the reason; the list may only
// shrink: a listed script that starts to pass fails the test until it is taken off.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { differences, normalise } from "./cli/oracle-compare.js";
import { parseCfg, runScript } from "./cli/run-script.js";

const ORACLE = resolve(import.meta.dirname, "../oracle");

/**
 * Script name -> one-line reason it does not match yet. Empty: all 90 recorded sessions match. A
 * script added to test/oracle/zkcli that does not match goes here with its reason.
 */
const KNOWN_FAILING: Readonly<Record<string, string>> = {};

const read = (path: string): string => new TextDecoder().decode(readFileSync(path));

function replay(dir: string, name: string): string[] {
  const cfgPath = join(dir, `${name}.cfg`);
  const cfg = parseCfg(existsSync(cfgPath) ? read(cfgPath) : "");
  const actual = runScript(read(join(dir, `${name}.zk`)), cfg);
  return differences(normalise(read(join(dir, `${name}.out`))), normalise(actual));
}

const scripts = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".zk"))
    .map((f) => f.slice(0, -3))
    .sort();

describe("oracle transcripts replayed through the zkCli layer", () => {
  const dir = join(ORACLE, "zkcli");
  const all = scripts(dir);

  it("has every listed known failure on disk", () => {
    expect(Object.keys(KNOWN_FAILING).filter((n) => !all.includes(n))).toEqual([]);
  });

  for (const name of all) {
    const reason = KNOWN_FAILING[name];
    it(reason === undefined ? name : `${name} (known failing: ${reason})`, () => {
      const diffs = replay(dir, name);
      if (reason === undefined) expect(diffs).toEqual([]);
      else expect(diffs, `${name} now passes: take it off KNOWN_FAILING`).not.toEqual([]);
    });
  }
});

describe("inputs on which the real zkCli dies", () => {
  const dir = join(ORACLE, "zkcli-crash");
  for (const name of scripts(dir)) {
    it(`${name}: prints the recorded stack trace and runs nothing after it`, () => {
      expect(replay(dir, name)).toEqual([]);
    });
  }
});
