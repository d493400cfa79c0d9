// Project hygiene: the determinism lint really fires, imports point down the layers, and the
// version in repro files is the package's.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { VERSION } from "../src/version.js";

const ROOT = resolve(import.meta.dirname, "..");

/** Top to bottom: a file may import from its own layer or any layer below it. */
const LAYERS = ["cli", "bench", "compare", "fuzz", "report", "scenario", "check", "zk", "protocols", "sim"] as const;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function layerOf(file: string): number {
  const rel = relative(join(ROOT, "src"), file).split("/");
  if (rel.length === 1) return rel[0] === "index.ts" ? -1 : LAYERS.length; // index.ts is the top, version.ts the bottom
  const i = LAYERS.indexOf(rel[0] as (typeof LAYERS)[number]);
  if (i < 0) throw new Error(`${relative(ROOT, file)} is in no known layer; add its folder to LAYERS`);
  return i;
}

describe("determinism lint", () => {
  const eslint = new ESLint({ cwd: ROOT });
  const cases: [string, string][] = [
    ["Math.random", "export const x = Math.random();"],
    ["Date.now", "export const x = Date.now();"],
    ["new Date", "export const x = new Date();"],
    ["performance.now", "export const x = performance.now();"],
    ["process.env", "export const x = process.env.HOME;"],
    ["process.hrtime", "export const x = process.hrtime();"],
    ["setTimeout", "setTimeout(() => undefined, 1);"],
    ["setInterval", "setInterval(() => undefined, 1);"],
    ["module-level let", "export let counter = 0;"],
    ["module-level cache", "const cache = new Map<string, number>();\nexport const get = (k: string) => cache.get(k);"],
  ];
  for (const [what, code] of cases) {
    it(`rejects ${what} in src/sim`, async () => {
      const [res] = await eslint.lintText(code, { filePath: join(ROOT, "src/sim/leak.ts") });
      expect(res?.messages.some((m) => m.ruleId?.startsWith("no-restricted"))).toBe(true);
    });
  }
  it("rejects async code in protocol code", async () => {
    const [res] = await eslint.lintText("export async function f(): Promise<void> { await Promise.resolve(); }", {
      filePath: join(ROOT, "src/protocols/leak.ts"),
    });
    expect(res?.messages.some((m) => m.ruleId === "no-restricted-syntax")).toBe(true);
  });
  it("allows the host clock in the bench harness only", async () => {
    const [res] = await eslint.lintText("export const x = performance.now();", { filePath: join(ROOT, "src/bench/leak.ts") });
    expect(res?.messages.filter((m) => m.ruleId?.startsWith("no-restricted"))).toEqual([]);
  });
  it("finds nothing in the tree as it is", async () => {
    const results = await eslint.lintFiles(["src", "examples"]);
    const problems = results.flatMap((r) => r.messages.map((m) => `${relative(ROOT, r.filePath)}:${m.line}: ${m.message}`));
    expect(problems).toEqual([]);
  });
});

describe("layers", () => {
  it("imports point down only (cli > bench > compare > fuzz > report > scenario > check > zk > protocols > sim)", () => {
    const bad: string[] = [];
    for (const file of tsFiles(join(ROOT, "src"))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+["'](\.[^"']+)["']/g)) {
        const target = resolve(dirname(file), (m[1] as string).replace(/\.js$/, ".ts"));
        if (layerOf(target) < layerOf(file)) bad.push(`${relative(ROOT, file)} imports ${relative(ROOT, target)}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe("version", () => {
  it("matches package.json", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
