// `zksim run --report` and `zksim replay --report` write the report's four files; every fuzz failure
// gets a report beside its repro; `npm start` (showcase) writes the stories' reports.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPORT_FILES } from "../../src/report/files.js";
import { FINAL_LINE, tempDir, zksim } from "./cli-helpers.js";

describe("--report", () => {
  it("zksim run 3pc-partition --report DIR writes all four files and exits 0", () => {
    const dir = join(tempDir(), "report");
    const r = zksim(["run", "3pc-partition", "--report", dir]);
    expect(r.code).toBe(0);
    for (const f of REPORT_FILES) expect(existsSync(join(dir, f)), f).toBe(true);
    const line = FINAL_LINE.exec(r.stdout)?.[0] ?? "missing";
    expect(readFileSync(join(dir, "report.md"), "utf8")).toContain(line);
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as { traceSha256: string };
    expect(line).toContain(`trace_sha256=${summary.traceSha256}`);
    expect(readFileSync(join(dir, "trace.jsonl"), "utf8").trim().split("\n")).toHaveLength(Number(FINAL_LINE.exec(r.stdout)?.[2]));
  });

  it("with --trace too, both files hold the same trace", () => {
    const tmp = tempDir();
    const r = zksim(["run", "2pc-happy", "--quiet", "--trace", join(tmp, "t.jsonl"), "--report", join(tmp, "rep")]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(tmp, "rep", "trace.jsonl"), "utf8")).toBe(readFileSync(join(tmp, "t.jsonl"), "utf8"));
  });

  it("zksim replay --report DIR writes the replay's report", () => {
    const tmp = tempDir();
    const repro = join(tmp, "r.json");
    zksim(["run", "3pc-partition", "--quiet", "--repro-out", repro]);
    const dir = join(tmp, "replayed");
    const r = zksim(["replay", repro, "--report", dir]);
    expect(r.code).toBe(0);
    for (const f of REPORT_FILES) expect(existsSync(join(dir, f)), f).toBe(true);
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as { source: string; reproduced: boolean };
    expect(summary).toMatchObject({ source: "replay", reproduced: true });
  });

  it("a ZooKeeper run's report carries the leaders and the servers' final trees", () => {
    const dir = join(tempDir(), "zk");
    const r = zksim(["run", "zk-follower-restart-diff", "--quiet", "--report", dir]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as { leaders: { node: string }[]; trees: { servers: { state: string }[]; differing: string[] } };
    expect(summary.leaders.map((l) => l.node)).toEqual(["s3"]);
    expect(summary.trees.servers.map((s) => s.state)).toEqual(["up", "up", "up"]);
    expect(summary.trees.differing).toEqual([]);
    expect(readFileSync(join(dir, "index.html"), "utf8")).toContain('id="tree-verdict"');
  });
});

describe("reports elsewhere", () => {
  it("zksim fuzz writes a report beside each failure's repro and names it", () => {
    const out = tempDir();
    const r = zksim(["fuzz", "fuzz/3pc-fuzz", "--runs", "30", "--workers", "2", "--no-shrink", "--out", out]);
    expect(r.code).toBe(1);
    const named = [...r.stdout.matchAll(/^FAIL seed=(\d+) .* report=(\S+)$/gm)];
    expect(named.length).toBeGreaterThan(0);
    for (const [, seed, index] of named) {
      expect(index).toBe(join(out, `3pc-fuzz-seed${seed}-report`, "index.html"));
      for (const f of REPORT_FILES) expect(existsSync(join(out, `3pc-fuzz-seed${seed}-report`, f)), f).toBe(true);
      const summary = JSON.parse(readFileSync(join(out, `3pc-fuzz-seed${seed}-report`, "summary.json"), "utf8")) as { source: string; result: string; nemesis: string };
      expect(summary).toMatchObject({ source: "fuzz", result: "fail" });
      expect(summary.nemesis).toMatch(/crash=/);
    }
    // Only failures pay for a report.
    expect(readdirSync(out).filter((f) => f.endsWith("-report"))).toHaveLength(named.length);
  });

  it("zksim showcase tells the ZooKeeper story first and writes its report", () => {
    const out = tempDir();
    const r = zksim(["showcase", "--report", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("ZooKeeper, the leader crashes mid-broadcast");
    expect(r.stdout).toMatch(/all \d+ acknowledged creates are on every live server \(s1, s2, s3\)/);
    expect(r.stdout).toContain(`report: ${join(out, "zk-showcase", "index.html")}`);
    for (const story of ["zk-showcase", "2pc-coordinator-crash", "3pc-coordinator-crash", "3pc-partition"]) expect(existsSync(join(out, story, "index.html")), story).toBe(true);
  });
});
