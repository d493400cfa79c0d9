// The BUGGIFY points of the ZooKeeper code: one list, names unique and dotted, and docs/zab.md's
// table lists exactly them (so the docs cannot drift from the code).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ZK_BUGGIFY_POINTS } from "../../../src/zk/quorum/buggify-points.js";

const ROOT = join(import.meta.dirname, "../../..");

describe("BUGGIFY points", () => {
  it("are named once each, as component.role.what", () => {
    expect(new Set(ZK_BUGGIFY_POINTS).size).toBe(ZK_BUGGIFY_POINTS.length);
    for (const name of ZK_BUGGIFY_POINTS) expect(name).toMatch(/^(zab\.(leader|learner|disk)|fle|zk\.client)\.[a-z]+(-[a-z]+)*$/);
  });

  it("are the rows of docs/zab.md's BUGGIFY table", () => {
    const doc = readFileSync(join(ROOT, "docs/zab.md"), "utf8");
    const section = doc.slice(doc.indexOf("## BUGGIFY points"), doc.indexOf("\n## ", doc.indexOf("## BUGGIFY points") + 1));
    const rows = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    expect([...rows].sort()).toEqual([...ZK_BUGGIFY_POINTS].sort());
  });
});
