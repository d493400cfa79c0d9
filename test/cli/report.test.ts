// `zksim run --report` and `zksim replay --report` write the report's four files.
import { existsSync, readFileSync } from "node:fs";
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
});
