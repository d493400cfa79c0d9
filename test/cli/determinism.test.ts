// Determinism is the product: the same scenario and seed give the same trace bytes in separate
// processes, a different seed gives different ones, and every scenario matches its golden hash.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { computeGolden, readGolden } from "../../src/cli/golden.js";
import { builtinRegistry } from "../../src/scenario/builtins.js";
import { FINAL_LINE, ROOT, tempDir, zksim } from "./cli-helpers.js";

describe("determinism", () => {
  it("two processes give the same trace hash and the same trace bytes", () => {
    const dir = tempDir();
    const a = zksim(["run", "2pc-coordinator-crash", "--quiet", "--trace", join(dir, "a.jsonl")]);
    const b = zksim(["run", "2pc-coordinator-crash", "--quiet", "--trace", join(dir, "b.jsonl")]);
    const ha = FINAL_LINE.exec(a.stdout)?.[4];
    expect(ha).toBeDefined();
    expect(FINAL_LINE.exec(b.stdout)?.[4]).toBe(ha);
    expect(readFileSync(join(dir, "a.jsonl"), "utf8")).toBe(readFileSync(join(dir, "b.jsonl"), "utf8"));
  });

  it("a different seed gives a different trace", () => {
    const a = zksim(["run", "2pc-coordinator-crash", "--quiet", "--seed", "1"]);
    const b = zksim(["run", "2pc-coordinator-crash", "--quiet", "--seed", "2"]);
    expect(FINAL_LINE.exec(a.stdout)?.[4]).not.toBe(FINAL_LINE.exec(b.stdout)?.[4]);
  });

  it("the printed hash is the SHA-256 of the trace file's bytes", async () => {
    const { createHash } = await import("node:crypto");
    const dir = tempDir();
    const r = zksim(["run", "3pc-partition", "--quiet", "--trace", join(dir, "t.jsonl")]);
    const sha = createHash("sha256").update(readFileSync(join(dir, "t.jsonl"))).digest("hex");
    expect(FINAL_LINE.exec(r.stdout)?.[4]).toBe(sha);
  });

  it("every scenario matches its golden trace hash (npm run golden:update after a deliberate change)", async () => {
    const golden = readGolden();
    const now = await computeGolden(builtinRegistry());
    expect(Object.keys(golden).length).toBeGreaterThan(0);
    expect(now).toEqual(golden);
  });

  it("the golden file is where the update script writes it", () => {
    expect(() => readFileSync(join(ROOT, "test/golden/scenario-hashes.json"), "utf8")).not.toThrow();
  });
});
