// Replays recorded zkCli sessions against the real ZooKeeper 3.8.0 (test/oracle/zkcli) through a
// minimal shell over src/zk, comparing as the oracle's compare.py does.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { MiniCli, normalise } from "./mini-cli.js";

const DIR = resolve(import.meta.dirname, "../oracle/zkcli");

const SCRIPTS = [
  "10-create-basic",
  "12-sequential",
  "13-ephemeral",
  "14-container",
  "16-ttl-enabled",
  "17-get-set-stat",
  "22-stat-children",
  "23-builtin-nodes",
  "24-zxid-accounting",
  "27-null-empty-large",
  "29-unicode",
  "32-zookeeper-subtree",
  "59-getallchildrennumber",
  "60-getephemerals",
  "73-session-zxids",
  "74-ephemeral-session-end",
];

describe("oracle transcripts replayed on the data tree", () => {
  for (const name of SCRIPTS) {
    const zk = join(DIR, `${name}.zk`);
    it.skipIf(!existsSync(zk))(name, () => {
      const cfg = join(DIR, `${name}.cfg`);
      const extended = existsSync(cfg) && readFileSync(cfg, "utf8").includes("extendedTypesEnabled=true");
      const cli = new MiniCli(extended);
      for (const line of readFileSync(zk, "utf8").split("\n")) if (line.trim() !== "") cli.run(line);
      const expected = normalise(readFileSync(join(DIR, `${name}.out`), "utf8").split("\n"));
      const actual = normalise(cli.out);
      expect(actual.replies).toEqual(expected.replies);
      expect(actual.events).toEqual(expected.events);
    });
  }
});
