/**
 * `zksim compare`: every protocol against every fault set for K seeds, the same workload and the
 * same fault aimed at the same command in every protocol of a seed. Runs cases on worker threads
 * (or in this thread with one worker) and folds them into rows.
 */
import { aggregate, type Row } from "./aggregate.js";
import { runCase, type CaseResult, type CaseSpec } from "./case.js";
import type { FaultSetName } from "./fault-sets.js";
import type { CompareOptions } from "./options.js";
import { runOnWorkers, type CaseOutcome } from "./pool.js";

export interface Comparison {
  readonly options: CompareOptions;
  readonly rows: readonly Row[];
  readonly results: readonly CaseResult[];
  /** Cases that threw: bugs in zksim, each with its spec to re-run. */
  readonly crashes: readonly { readonly spec: CaseSpec; readonly message: string }[];
}

/** Every case, in a fixed order: protocol, fault set, seed. */
export function caseSpecs(o: CompareOptions): CaseSpec[] {
  const specs: CaseSpec[] = [];
  for (const s of o.subjects) {
    if (!s.available) continue;
    for (const fault of o.faults) {
      for (let seed = o.seedStart; seed < o.seedStart + o.seeds; seed++) specs.push({ protocol: s.name, fault, seed, voters: o.voters, commands: o.commands });
    }
  }
  return specs;
}

export async function runComparison(o: CompareOptions, workers: number, onDone: (o: CaseOutcome) => void = () => undefined): Promise<Comparison> {
  const specs = caseSpecs(o);
  let outcomes: CaseOutcome[];
  if (workers <= 1) {
    outcomes = [];
    for (const spec of specs) {
      let oc: CaseOutcome;
      try {
        oc = { ok: true, result: await runCase(spec) };
      } catch (e) {
        oc = { ok: false, spec, message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
      }
      outcomes.push(oc);
      onDone(oc);
    }
  } else outcomes = await runOnWorkers(specs, workers, onDone);
  const results = outcomes.flatMap((x) => (x.ok ? [x.result] : []));
  const rows: Row[] = [];
  for (const s of o.subjects) {
    if (!s.available) continue;
    for (const fault of o.faults) rows.push(aggregate(s.name, fault, results.filter((r) => r.spec.protocol === s.name && r.spec.fault === fault)));
  }
  return { options: o, rows, results, crashes: outcomes.flatMap((x) => (x.ok ? [] : [{ spec: x.spec, message: x.message }])) };
}

export const rowOf =
  (c: Comparison) =>
  (protocol: string, fault: FaultSetName): Row | null =>
    c.rows.find((r) => r.protocol === protocol && r.fault === fault) ?? null;
