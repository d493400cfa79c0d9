// `zksim compare` end to end (run `npm run build` first): bad input exits 2 with a clear message and
// no stack trace; the number of workers changes nothing; --report writes the report files.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, zksim } from "../cli/cli-helpers.js";

function expectBadInput(args: string[], pattern: RegExp): void {
  const r = zksim(["compare", ...args]);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(2);
}

describe("zksim compare", () => {
  it("rejects an unknown protocol, fault set or cluster size, saying why", () => {
    expectBadInput(["--protocols", "twopc,raft"], /^error: unknown protocol "raft" in --protocols \(known: twopc, threepc, paxos, multipaxos, fastpaxos, zab\)$/m);
    expectBadInput(["--faults", "earthquake"], /^error: unknown fault set "earthquake" in --faults/m);
    expectBadInput(["--nodes", "2", "--protocols", "multipaxos"], /^error: --nodes 2: multipaxos cannot run: Multi-Paxos needs at least 3 acceptors/m);
    expectBadInput(["--seeds", "0"], /--seeds/);
  });

  it("prints the same table with one worker and with two, and writes the report", () => {
    const args = ["compare", "--protocols", "twopc,threepc,fastpaxos,zab", "--faults", "none,partition", "--seeds", "2", "--commands", "6"];
    const dir = tempDir();
    const one = zksim([...args, "--workers", "1"]);
    const two = zksim([...args, "--workers", "2", "--report", dir]);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    const table = (s: string): string => s.slice(s.indexOf("faults: none"), s.indexOf("runs=")).replace(/^report written to .*\n/m, "");
    expect(table(one.stdout)).toBe(table(two.stdout));
    expect(one.stdout).toMatch(/^ZAB +\d+ /m);
    expect(one.stdout).toMatch(/^runs=16 crashes=0 runs_with_violations=2$/m);
    for (const f of ["index.html", "compare.md", "summary.json", "cases/threepc-partition-seed1.yaml"]) expect(existsSync(join(dir, f))).toBe(true);
    expect(readFileSync(join(dir, "compare.md"), "utf8")).toMatch(/^`zksim compare --protocols twopc,threepc,fastpaxos,zab --faults none,partition --seeds 2 --seed-start 1 --nodes 3 --commands 6`$/m);
    // A violating run's scenario file replays it, violation included.
    const rerun = zksim(["run", join(dir, "cases/threepc-partition-seed1.yaml"), "--quiet"]);
    expect(rerun.stdout).toMatch(/violations=[1-9]\d* result=fail/);
  });
});
