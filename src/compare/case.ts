/**
 * One case of the lab: a protocol, a fault set and a seed. It builds the scenario document the
 * subject describes, runs it through the ordinary scenario runner (checkers included) and keeps
 * the figures the comparison needs. A case is a function of its spec alone, so the results never
 * depend on how many workers ran them or in what order.
 */
import { stringify } from "yaml";
import { builtinRegistry } from "../scenario/builtins.js";
import { loadScenarioDocument, type Scenario } from "../scenario/load.js";
import { runScenario } from "../scenario/run.js";
import { YamlSource } from "../scenario/yaml-source.js";
import { assert } from "../sim/assert.js";
import type { TraceEvent } from "../sim/trace.js";
import { planOf, type FaultSetName } from "./fault-sets.js";
import type { CompareSubject, SubjectCase } from "./subject.js";
import { subjectNamed } from "./subjects.js";
import { workloadOf } from "./workload.js";

export interface CaseSpec {
  readonly protocol: string;
  readonly fault: FaultSetName;
  readonly seed: number;
  readonly voters: number;
  readonly commands: number;
}

export interface CaseResult {
  readonly spec: CaseSpec;
  readonly commands: number;
  readonly commits: number;
  readonly aborts: number;
  /** Commands with no outcome by the end of the run. */
  readonly undecided: number;
  /** Input to outcome of every committed command, virtual microseconds. */
  readonly commitLatenciesUs: readonly number[];
  /** The longest blocked wait: a participant holding locks, a client waiting (to the end of the run if it never ended). */
  readonly blockedUsMax: number;
  readonly messages: number;
  readonly fsyncs: number;
  /** Invariants the checkers found broken. */
  readonly violations: readonly string[];
  readonly endReason: string;
  readonly events: number;
  readonly traceSha256: string | null;
}

export function subjectFor(name: string): CompareSubject {
  const s = subjectNamed(name);
  assert(s !== undefined && s.available, `no runnable subject ${name}`);
  return s;
}

/** The scenario document of a case, as a YAML file would hold it. */
export function caseDocument(spec: CaseSpec): Record<string, unknown> {
  const subject = subjectFor(spec.protocol);
  const w = workloadOf(spec.seed, spec.commands);
  const c: SubjectCase = { seed: spec.seed, voters: spec.voters, commands: w.commands, plan: planOf(spec.fault, w.target), untilUs: w.untilUs };
  return subject.document(c);
}

export const caseName = (spec: CaseSpec): string => `${spec.protocol}-${spec.fault}-seed${spec.seed}`;

/** The case as a scenario file's text (`zksim run` re-runs it). */
export const caseYaml = (spec: CaseSpec): string => `# ${caseName(spec)}: written by zksim compare\n${stringify(caseDocument(spec))}`;

export async function caseScenario(spec: CaseSpec): Promise<Scenario> {
  const text = caseYaml(spec);
  const yaml = YamlSource.parse(`${caseName(spec)}.yaml`, text);
  return loadScenarioDocument({ yaml, base: [], dir: "." }, yaml.toJS(), builtinRegistry());
}

export async function runCase(spec: CaseSpec): Promise<CaseResult> {
  const subject = subjectFor(spec.protocol);
  const scenario = await caseScenario(spec);
  const submitted = new Map<number, number>();
  const outcome = new Map<number, { readonly t: number; readonly outcome: "commit" | "abort" }>();
  const waitingSince = new Map<string, number>();
  let blocked = 0;
  let messages = 0;
  let fsyncs = 0;
  const observer = (e: TraceEvent): void => {
    const w = subject.waitOf(e);
    if (w !== null) {
      const since = waitingSince.get(w.key);
      if (!w.end && since === undefined) waitingSince.set(w.key, e.t);
      if (w.end && since !== undefined) {
        blocked = Math.max(blocked, e.t - since);
        waitingSince.delete(w.key);
      }
    }
    if (e.type === "send") messages++;
    else if (e.type === "durable") fsyncs++;
    else if (e.type === "input") {
      const cmd = subject.commandOfInput(e);
      if (cmd !== null && !submitted.has(cmd)) submitted.set(cmd, e.t);
    } else {
      const o = subject.outcomeOf(e);
      if (o !== null && submitted.has(o.cmd) && !outcome.has(o.cmd)) outcome.set(o.cmd, { t: e.t, outcome: o.outcome });
    }
  };
  const r = runScenario(scenario, { observer });
  const endUs = r.summary.simUs;
  const latencies: number[] = [];
  for (const [cmd, at] of submitted) {
    const o = outcome.get(cmd);
    if (o?.outcome === "commit") latencies.push(o.t - at);
  }
  for (const since of waitingSince.values()) blocked = Math.max(blocked, endUs - since);
  const outcomes = [...outcome.values()];
  return {
    spec,
    commands: submitted.size,
    commits: outcomes.filter((o) => o.outcome === "commit").length,
    aborts: outcomes.filter((o) => o.outcome === "abort").length,
    undecided: submitted.size - outcome.size,
    commitLatenciesUs: latencies.sort((a, b) => a - b),
    blockedUsMax: blocked,
    messages,
    fsyncs,
    violations: [...new Set(r.violations.map((v) => v.invariant))].sort(),
    endReason: r.summary.reason,
    events: r.summary.events,
    traceSha256: r.summary.sha256,
  };
}
