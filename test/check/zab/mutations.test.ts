// The checkers can fail: each deliberate protocol bug (params.mutations) is caught by its named
// checker, in a scenario built to reach it, and the same scenario without the bug passes. Plus
// bounded fuzz runs that find a mutation by themselves, run as `zksim fuzz` runs each seed.
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultFaultWindowUs } from "../../../src/fuzz/campaign.js";
import { formatSettings, planFaults, toFaults } from "../../../src/fuzz/nemesis.js";
import { builtinRegistry } from "../../../src/scenario/builtins.js";
import { loadScenarioDocument, loadScenarioFile, type Scenario } from "../../../src/scenario/load.js";
import { runScenario } from "../../../src/scenario/run.js";
import { YamlSource } from "../../../src/scenario/yaml-source.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const registry = builtinRegistry();

/** The scenario with its params and expectations changed (as a repro or the fuzzer would load it). */
async function variant(s: Scenario, change: (doc: Record<string, unknown>) => Record<string, unknown>): Promise<Scenario> {
  const doc = change(structuredClone(s.document) as Record<string, unknown>);
  return loadScenarioDocument({ yaml: YamlSource.parse(s.file, JSON.stringify(doc)), base: [], dir: dirname(s.file) }, doc, registry);
}

const withoutMutations = (doc: Record<string, unknown>): Record<string, unknown> => ({
  ...doc,
  params: { ...(doc["params"] as Record<string, unknown>), mutations: [] },
  expect: { violations: [] },
});

const CAUGHT: readonly (readonly [string, string])[] = [
  ["commit-without-quorum", "committed-log-durability"],
  ["skip-trunc", "prefix-consistency"],
  ["follower-expires-sessions", "session-expiry"],
  ["no-step-down", "liveness"],
  ["out-of-order-commit", "total-order"],
];

describe("mutations are caught by their checker", () => {
  for (const [mutation, invariant] of CAUGHT) {
    it(`${mutation}: ${invariant} fires, and not without the mutation`, async () => {
      const s = await loadScenarioFile(join(ROOT, "scenarios/mutations", `${mutation}.yaml`), registry);
      expect((s.params as { cfg: { mutations: readonly string[] } }).cfg.mutations).toEqual([mutation]);
      const r = runScenario(s);
      expect(r.violations.map((v) => v.invariant)).toContain(invariant);
      expect(r.result).toBe("pass");
      const clean = runScenario(await variant(s, withoutMutations));
      expect(clean.violations.map((v) => `${v.invariant}: ${v.message}`)).toEqual([]);
      expect(clean.result).toBe("pass");
    });
  }
});

/** At most this many seeds of the default fuzz scenario (1..N, as `zksim fuzz --seed-start 1` runs them) find each mutation. */
const FUZZ_SEEDS = 12;

/** The invariants a seed violates, the seed run as `zksim fuzz` runs it: the nemesis's schedule, BUGGIFY as the seed switches it. */
function fuzzSeed(s: Scenario, seed: number): string[] {
  const servers = s.nodes.filter((n) => n.role !== "client").map((n) => n.id);
  const clients = s.nodes.filter((n) => n.role === "client").map((n) => n.id);
  const plan = planFaults(seed, { nodes: servers, clients, faultWindowUs: defaultFaultWindowUs(s) });
  const r = runScenario(s, { seed, faults: toFaults(plan.entries), stopOnViolation: true, nemesis: formatSettings(plan.settings), buggify: plan.settings.buggify });
  return r.violations.map((v) => v.invariant);
}

describe("the fuzzer finds each mutation by itself", () => {
  for (const [mutation, invariant] of CAUGHT) {
    it(`${mutation}: ${invariant} is the first violation of a seed among the first ${FUZZ_SEEDS} of the default fuzz scenario`, async () => {
      const base = await loadScenarioFile(join(ROOT, "scenarios/fuzz/zk-fuzz.yaml"), registry);
      const s = await variant(base, (doc) => ({ ...doc, params: { ...(doc["params"] as Record<string, unknown>), mutations: [mutation] } }));
      let found: string[] = [];
      for (let seed = 1; seed <= FUZZ_SEEDS && found.length === 0; seed++) found = fuzzSeed(s, seed);
      expect(found[0]).toBe(invariant);
    });
  }
});
