// Replays every recorded zkCli session through the zkCli layer over the simulated client library,
// client node and standalone server (in process; test/cli/shell.test.ts does the same through the
// built `zksim shell`). The list of known failures may only shrink.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { StandaloneSim } from "../../../src/zk/client/standalone-sim.js";
import { ZkShell } from "../../../src/zk/cli/shell.js";
import { differences, normalise } from "../cli/oracle-compare.js";
import { parseCfg } from "../cli/run-script.js";

const DIR = resolve(import.meta.dirname, "../../oracle/zkcli");

const KNOWN_FAILING: Readonly<Record<string, string>> = {};

const read = (path: string): string => new TextDecoder().decode(readFileSync(path));

function runSim(script: string, cfgText: string): string {
  const cfg = parseCfg(cfgText);
  const sim = new StandaloneSim({ seed: 1, server: cfg });
  let out = "";
  const shell = new ZkShell(sim.client, (_s, text) => {
    out += text;
  });
  const lines = script.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of [...lines, "quit"]) shell.executeLine(line);
  return out;
}

describe("oracle transcripts through the simulated standalone server", () => {
  const all = readdirSync(DIR)
    .filter((f) => f.endsWith(".zk"))
    .map((f) => f.slice(0, -3))
    .sort();
  for (const name of all) {
    const reason = KNOWN_FAILING[name];
    it(reason === undefined ? name : `${name} (known failing: ${reason})`, () => {
      const cfgPath = join(DIR, `${name}.cfg`);
      const actual = runSim(read(join(DIR, `${name}.zk`)), existsSync(cfgPath) ? read(cfgPath) : "");
      const diffs = differences(normalise(read(join(DIR, `${name}.out`))), normalise(actual));
      if (reason === undefined) expect(diffs).toEqual([]);
      else expect(diffs).not.toEqual([]);
    });
  }
});
