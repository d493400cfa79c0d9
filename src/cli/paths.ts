/** Where the CLI finds scenarios: a path as given, or a name under the project's `scenarios/`. */
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../scenario/errors.js";

/** The package root (this file is dist/src/cli/paths.js or src/cli/paths.ts). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), existsSync(join(dirname(fileURLToPath(import.meta.url)), "../../package.json")) ? "../.." : "../../..");

export const SCENARIO_DIR = join(PACKAGE_ROOT, "scenarios");

export function resolveScenario(arg: string): string {
  if (existsSync(arg) && statSync(arg).isFile()) return arg;
  for (const dir of [join(process.cwd(), "scenarios"), SCENARIO_DIR]) {
    for (const candidate of [join(dir, arg), join(dir, `${arg}.yaml`), join(dir, `${arg}.yml`)]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) return relative(process.cwd(), candidate) || candidate;
    }
  }
  throw InputError.at(arg, "no such scenario file (give a path, or a name from `zksim list`)");
}

/** Scenario files under a directory, recursively, sorted. */
export function scenarioFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...scenarioFiles(p));
    else if (/\.ya?ml$/.test(entry.name)) out.push(p);
  }
  return out.sort();
}
