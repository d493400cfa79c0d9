/**
 * Repro files: one JSON file that replays a run byte for byte. It carries the scenario document
 * inline (with its fault schedule spelled out), the seed and run options, and what the run gave:
 * trace hash, event count, violations, and a digest per trace line so that a replay that differs
 * can name the first event where the traces part.
 */
import { renameSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { z } from "zod";
import type { Violation } from "../check/checker.js";
import { InputError } from "../scenario/errors.js";
import { loadScenarioDocument, readText, type Scenario } from "../scenario/load.js";
import type { ProtocolRegistry } from "../scenario/plugin.js";
import type { ScenarioRunResult } from "../scenario/run.js";
import { YamlSource } from "../scenario/yaml-source.js";
import { VERSION } from "../version.js";

export const REPRO_FORMAT = 1;

/** Digests are kept for runs up to this many events (4 bytes each, base64 in the file). */
export const MAX_DIGESTS = 2_000_000;

const reproSchema = z.strictObject({
  zksim: z.string(),
  format: z.literal(REPRO_FORMAT),
  made: z.string(),
  scenarioFile: z.string(),
  scenario: z.record(z.string(), z.unknown()),
  seed: z.number().int().min(0),
  buggify: z.boolean(),
  stopOnViolation: z.boolean(),
  expected: z.strictObject({
    traceSha256: z.string().regex(/^[0-9a-f]{64}$/),
    events: z.number().int().min(0),
    result: z.enum(["pass", "fail"]),
    violations: z.array(z.strictObject({ invariant: z.string(), eventIndex: z.number().int(), message: z.string() })),
  }),
  lineDigests: z.string().nullable(),
});

export type ReproFile = z.output<typeof reproSchema>;

export interface LoadedRepro {
  readonly file: ReproFile;
  readonly scenario: Scenario;
  readonly digests: readonly number[] | null;
}

export function encodeDigests(d: readonly number[]): string {
  const buf = Buffer.alloc(d.length * 4);
  d.forEach((x, i) => buf.writeUInt32LE(x, i * 4));
  return buf.toString("base64");
}

export function decodeDigests(s: string): number[] {
  const buf = Buffer.from(s, "base64");
  const out: number[] = [];
  for (let i = 0; i + 4 <= buf.length; i += 4) out.push(buf.readUInt32LE(i));
  return out;
}

/** The scenario document as a repro carries it: named, and with `module:` valid from the repro's folder. */
function portableDocument(r: ScenarioRunResult, reproPath: string): Record<string, unknown> {
  const doc: Record<string, unknown> = { ...r.scenario.document, name: r.scenario.name };
  const mod = doc["module"];
  if (typeof mod === "string") {
    const absolute = resolve(dirname(resolve(r.scenario.file)), mod);
    doc["module"] = relative(dirname(resolve(reproPath)), absolute) || absolute;
  }
  return doc;
}

export function makeRepro(
  r: ScenarioRunResult,
  reproPath: string,
  made: string,
  opts: { stopOnViolation: boolean },
): ReproFile {
  const digests = r.lineDigests !== null && r.lineDigests.length <= MAX_DIGESTS ? encodeDigests(r.lineDigests) : null;
  return {
    zksim: VERSION,
    format: REPRO_FORMAT,
    made,
    scenarioFile: r.scenario.file,
    scenario: portableDocument(r, reproPath),
    seed: r.seed,
    buggify: r.buggify,
    stopOnViolation: opts.stopOnViolation,
    expected: {
      traceSha256: r.summary.sha256 ?? "",
      events: r.summary.events,
      result: r.result,
      violations: r.violations.map((v: Violation) => ({ invariant: v.invariant, eventIndex: v.eventIndex, message: v.message })),
    },
    lineDigests: digests,
  };
}

/** Writes atomically (temporary file, then rename): a killed process never leaves half a repro. */
export function writeRepro(path: string, repro: ReproFile): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(repro, null, 1)}\n`);
  renameSync(tmp, path);
}

export async function loadRepro(path: string, registry: ProtocolRegistry): Promise<LoadedRepro> {
  const yaml = YamlSource.parse(path, readText(path));
  const raw = yaml.toJS();
  if (typeof raw !== "object" || raw === null || !("zksim" in raw)) {
    throw InputError.at(path, "not a zksim repro file (expected a JSON object with zksim, format, scenario, seed, expected)");
  }
  const version = (raw as Record<string, unknown>)["zksim"];
  if (version !== VERSION) {
    throw InputError.at(
      path,
      `this repro was made by zksim ${String(version)}; this is zksim ${VERSION}: traces differ between versions, so it cannot replay exactly. Re-run the scenario or fuzz seed with zksim ${VERSION}, or replay with zksim ${String(version)}.`,
    );
  }
  const parsed = reproSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(
      parsed.error.issues.map((i) => yaml.error(i.path as (string | number)[], `damaged repro file: ${i.message.replace(/^Invalid input: /, "")}`)),
    );
  }
  const file = parsed.data;
  const scenario = await loadScenarioDocument({ yaml, base: ["scenario"], dir: dirname(resolve(path)) }, file.scenario, registry);
  return { file, scenario, digests: file.lineDigests === null ? null : decodeDigests(file.lineDigests) };
}

/** The first index where two digest lists differ (or where one ends), or -1 when identical. */
export function firstDivergence(expected: readonly number[], actual: readonly number[]): number {
  const n = Math.min(expected.length, actual.length);
  for (let i = 0; i < n; i++) if (expected[i] !== actual[i]) return i;
  return expected.length === actual.length ? -1 : n;
}
