// `zksim fuzz` and `zksim shrink` end to end (run `npm run build` first): failures become repros
// that replay exactly, the number of workers changes nothing, and bad input exits 2.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, zksim } from "../cli/cli-helpers.js";

const CAMPAIGN_LINE = /^runs=(\d+) failures=(\d+) first_failing_seed=(\d+|none) repro=(\S+)$/m;

/** Every file under dir (failures' report directories included), by relative path. */
function files(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .flatMap((f) => (statSync(join(dir, f)).isDirectory() ? Object.entries(files(join(dir, f))).map(([g, text]) => [`${f}/${g}`, text]) : [[f, readFileSync(join(dir, f), "utf8")]])),
  );
}

describe("zksim fuzz", () => {
  it("finds a 3PC atomicity violation and writes a repro that zksim replay reproduces exactly", () => {
    const out = tempDir();
    const r = zksim(["fuzz", "fuzz/3pc-fuzz", "--runs", "30", "--workers", "2", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    const m = CAMPAIGN_LINE.exec(lines[lines.length - 1] ?? "");
    expect(m).not.toBeNull();
    const [, runs, failures, seed, repro] = m as RegExpExecArray;
    expect(Number(runs)).toBe(30);
    expect(Number(failures)).toBeGreaterThan(0);
    expect(repro).toBe(join(out, `3pc-fuzz-seed${seed}.json`));
    const replay = zksim(["replay", repro as string]);
    expect(replay.stdout).toMatch(/reproduced: trace_sha256 and violation atomicity@\d+ match/);
    expect(replay.code).toBe(0);
    // The shrunk repro beside it replays too, with the same invariant.
    const shrunk = zksim(["replay", (repro as string).replace(/\.json$/, ".shrunk.json")]);
    expect(shrunk.stdout).toMatch(/reproduced: trace_sha256 and violation atomicity@\d+ match/);
    expect(shrunk.code).toBe(0);
  });

  it("finds nothing in 2PC over 50 seeds: it blocks, but never splits", () => {
    const out = tempDir();
    const r = zksim(["fuzz", "fuzz/2pc-fuzz", "--runs", "50", "--workers", "2", "--out", out]);
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("runs=50 failures=0 first_failing_seed=none repro=none");
    expect(r.code).toBe(0);
    expect(readdirSync(out)).toEqual([]);
  });

  // Found by this fuzzer: a 3PC termination round's timer decided a second time while the first
  // decision was still being forced to disk (AssertionError "tx 10 decided twice").
  it("regression: seeds 523 and 931 of 3pc-fuzz run without a crash", () => {
    for (const seed of ["523", "931"]) {
      const r = zksim(["fuzz", "fuzz/3pc-fuzz", "--runs", "1", "--seed-start", seed, "--workers", "1", "--no-shrink", "--out", tempDir()]);
      expect(r.stdout).not.toMatch(/CRASH/);
      expect(r.stdout).toMatch(/^runs=1 failures=0 /m);
    }
  });

  it("gives the same failures and the same repro bytes with 1 and 2 workers", () => {
    const one = tempDir();
    const two = tempDir();
    const a = zksim(["fuzz", "fuzz/3pc-fuzz", "--runs", "30", "--workers", "1", "--out", one]);
    const b = zksim(["fuzz", "fuzz/3pc-fuzz", "--runs", "30", "--workers", "2", "--out", two]);
    const last = (s: string): string => (s.trimEnd().split("\n").pop() ?? "").replace(/repro=\S+\//, "repro=");
    expect(last(b.stdout)).toBe(last(a.stdout));
    expect(a.code).toBe(b.code);
    expect(Object.keys(files(one)).length).toBeGreaterThan(0);
    expect(files(two)).toEqual(files(one));
  });

  it("runs only its shard's seeds", () => {
    const out = tempDir();
    const r = zksim(["fuzz", "fuzz/2pc-fuzz", "--runs", "10", "--shard", "2/3", "--workers", "1", "--out", out, "--verbose"]);
    expect(r.code).toBe(0);
    const seeds = [...r.stdout.matchAll(/^seed=(\d+) pass/gm)].map((x) => Number(x[1])).sort((x, y) => x - y);
    expect(seeds).toEqual([1, 4, 7]);
    expect(r.stdout).toMatch(/^seed=1 pass events=\d+ crash=\d+\/16 partition=/m);
    expect(r.stdout.trimEnd().split("\n").pop()).toBe("runs=3 failures=0 first_failing_seed=none repro=none");
  });

  it("shrinks a repro on demand: zksim shrink writes a smaller one that still replays", () => {
    const out = tempDir();
    const r = zksim(["fuzz", "fuzz/3pc-fuzz", "--runs", "30", "--workers", "2", "--no-shrink", "--out", out]);
    expect(r.code).toBe(1);
    const repro = CAMPAIGN_LINE.exec(r.stdout)?.[4] as string;
    expect(readdirSync(out).some((f) => f.endsWith(".shrunk.json"))).toBe(false);
    const target = join(out, "small.json");
    const s = zksim(["shrink", repro, "--out", target]);
    expect(s.stderr).toBe("");
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/kept the failure: violation:atomicity/);
    const sizes = /faults=(\d+)->(\d+) /.exec(s.stdout);
    expect(Number(sizes?.[2])).toBeLessThan(Number(sizes?.[1]));
    expect(zksim(["replay", target]).code).toBe(0);
  });
});

describe("zksim fuzz and shrink: bad input exits 2 with a message and no stack", () => {
  const cases: [string, string[], RegExp][] = [
    ["a shard that does not exist", ["fuzz", "fuzz/2pc-fuzz", "--runs", "5", "--shard", "3/2"], /--shard.*3\/2.*does not exist/],
    ["zero runs", ["fuzz", "fuzz/2pc-fuzz", "--runs", "0"], /--runs.*at least 1/],
    ["no --runs", ["fuzz", "fuzz/2pc-fuzz"], /--runs/],
    ["an unknown scenario", ["fuzz", "no-such-scenario", "--runs", "5"], /^no-such-scenario:1:1: no such scenario file/m],
    ["zero workers", ["fuzz", "fuzz/2pc-fuzz", "--runs", "5", "--workers", "0"], /--workers.*at least 1/],
    ["a repro that does not exist", ["shrink", "no-such-repro.json"], /^no-such-repro.json:1:1: no such file/m],
  ];
  for (const [what, args, pattern] of cases) {
    it(what, () => {
      const r = zksim(args);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(2);
    });
  }
});
