/**
 * `npm run bench -- --mutations`: how fast the fuzzer finds each deliberate protocol bug and how
 * small shrinking gets what it finds. For each mutation, the default fuzz scenario with that bug
 * switched on runs seed after seed (as `zksim fuzz` runs them, BUGGIFY as each seed draws it) until
 * one fails; that failure is shrunk. The bench harness may read the host clock.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SeedRunner, type FuzzSettings } from "../fuzz/campaign.js";
import type { SeedOutcome } from "../fuzz/pool.js";
import { builtinRegistry } from "../scenario/builtins.js";
import { loadScenarioDocument, loadScenarioFile } from "../scenario/load.js";
import { YamlSource } from "../scenario/yaml-source.js";
import { MUTATIONS } from "../zk/quorum/config.js";

/** Seeds tried per mutation before giving up. */
export const MUTATION_SEEDS_MAX = 50;

export interface MutationFigure {
  readonly mutation: string;
  /** The first failing seed (1-based, as `--seed-start 1` counts), or null when none failed. */
  readonly seed: number | null;
  readonly failure: string | null;
  readonly fuzzSeconds: number;
  readonly shrinkSeconds: number;
  /** `formatSizes` of the shrink: faults, run length, events, BUGGIFY before -> after. */
  readonly sizes: string | null;
}

export async function mutationFigures(scenarioFile: string, onFigure: (f: MutationFigure) => void = () => {}): Promise<MutationFigure[]> {
  const registry = builtinRegistry();
  const base = await loadScenarioFile(scenarioFile, registry);
  const out: MutationFigure[] = [];
  const outDir = mkdtempSync(join(tmpdir(), "zksim-bench-mutations-"));
  try {
    for (const mutation of MUTATIONS) {
      const doc = { ...(structuredClone(base.document) as Record<string, unknown>) };
      doc["params"] = { ...(doc["params"] as Record<string, unknown>), mutations: [mutation] };
      const s = await loadScenarioDocument({ yaml: YamlSource.parse(base.file, JSON.stringify(doc)), base: [], dir: dirname(base.file) }, doc, registry);
      const settings: FuzzSettings = { scenarioFile: base.file, seedStart: 1, runs: MUTATION_SEEDS_MAX, shard: null, faultWindowUs: null, lostTail: false, shrink: true, outDir: join(outDir, mutation) };
      const runner = new SeedRunner(s, settings, registry);
      let found: Extract<SeedOutcome, { kind: "fail" }> | null = null;
      let sizes: string | null = null;
      let failedAt = 0;
      const start = performance.now();
      for (let seed = 1; seed <= MUTATION_SEEDS_MAX && found === null; seed++) {
        await runner.run(seed, (o) => {
          if (o.kind === "fail") {
            found = o;
            failedAt = performance.now();
          } else if (o.kind === "shrunk") sizes = o.sizes;
        });
      }
      const end = performance.now();
      const f = found as Extract<SeedOutcome, { kind: "fail" }> | null;
      const figure: MutationFigure = {
        mutation,
        seed: f?.seed ?? null,
        failure: f?.failure ?? null,
        fuzzSeconds: ((f === null ? end : failedAt) - start) / 1000,
        shrinkSeconds: f === null ? 0 : (end - failedAt) / 1000,
        sizes,
      };
      out.push(figure);
      onFigure(figure);
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return out;
}
