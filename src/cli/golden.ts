/**
 * Golden trace hashes: one per scenario file, so that an unintended change of behaviour fails
 * loudly. `npm run golden:update` rewrites them; review the diff of what changed before committing.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { loadScenarioFile } from "../scenario/load.js";
import type { ProtocolRegistry } from "../scenario/plugin.js";
import { runScenario } from "../scenario/run.js";
import type { Io } from "./commands.js";
import { EXIT, type ExitCode } from "./exit.js";
import { PACKAGE_ROOT, SCENARIO_DIR, scenarioFiles } from "./paths.js";

export const GOLDEN_FILE = join(PACKAGE_ROOT, "test/golden/scenario-hashes.json");

/** Scenario files that get a golden hash (benchmarks are measured, not pinned). */
export function goldenScenarioFiles(): string[] {
  return scenarioFiles(SCENARIO_DIR).filter((f) => !relative(SCENARIO_DIR, f).startsWith("bench/"));
}

export async function computeGolden(registry: ProtocolRegistry): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of goldenScenarioFiles()) {
    const r = runScenario(await loadScenarioFile(file, registry));
    out[relative(PACKAGE_ROOT, file)] = `seed=${r.seed} events=${r.summary.events} sha256=${r.summary.sha256 ?? "none"}`;
  }
  return out;
}

export function readGolden(): Record<string, string> {
  return existsSync(GOLDEN_FILE) ? (JSON.parse(readFileSync(GOLDEN_FILE, "utf8")) as Record<string, string>) : {};
}

export async function goldenCommand(io: Io, registry: ProtocolRegistry, update: boolean): Promise<ExitCode> {
  const now = await computeGolden(registry);
  const before = readGolden();
  const names = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort();
  let changed = 0;
  for (const n of names) {
    if (before[n] === now[n]) continue;
    changed++;
    io.out(`${n}\n  was: ${before[n] ?? "(none)"}\n  now: ${now[n] ?? "(removed)"}\n`);
  }
  if (update) {
    writeFileSync(GOLDEN_FILE, `${JSON.stringify(now, null, 2)}\n`);
    io.out(`${changed} golden hash(es) changed; wrote ${relative(process.cwd(), GOLDEN_FILE)}. Read the diff before committing it.\n`);
    return EXIT.pass;
  }
  io.out(changed === 0 ? `all ${names.length} golden hashes match\n` : `${changed} golden hash(es) differ (npm run golden:update rewrites them)\n`);
  return changed === 0 ? EXIT.pass : EXIT.fail;
}
