/**
 * Runs a scenario: builds the world, schedules inputs and faults, runs the checkers online, and
 * judges the expectations. The same function serves `zksim run`, `replay` and the fuzzer.
 */
import type { Checker, Violation } from "../check/checker.js";
import { Stream } from "../sim/random.js";
import type { TraceEvent, TraceSink } from "../sim/trace.js";
import { World, type RunSummary } from "../sim/world.js";
import { ExpectationWatch, type ExpectationResult } from "./expect.js";
import { applyFault, resolveAction, type Fault, type FaultAction } from "./faults.js";
import { isTargetName, type Scenario } from "./load.js";
import { compilePattern } from "./pattern.js";

export interface ScenarioRunOptions {
  /** Defaults to the scenario's own seed. */
  readonly seed?: number;
  readonly sink?: TraceSink;
  /** Keep a digest per trace line (repro files carry them to locate divergence). */
  readonly lineDigests?: boolean;
  /** Check every trace event deeply (integers only) and every hand-built line against the canonical one. */
  readonly strictTrace?: boolean;
  /**
   * Keep the trace's SHA-256 (default true). Off with no sink builds no trace line at all (checkers
   * and observers still see every event): the fuzzer's first run of each seed.
   */
  readonly hash?: boolean;
  /** Replaces the scenario's fault list (repro files and the shrinker use this). */
  readonly faults?: readonly Fault[];
  readonly stopOnViolation?: boolean;
  /**
   * Turns on the `ctx.buggify` fault points. Unset: on when the run's fault settings say
   * `buggify=on` (a fuzz seed's scenario document, run again with `zksim run`), else off.
   */
  readonly buggify?: boolean;
  /** The fault settings the fuzzer drew for this seed (overrides the scenario's `nemesis:`). */
  readonly nemesis?: string;
  /** More checkers to run beside the protocol's own. */
  readonly checkers?: readonly Checker[];
  /** Sees every event (progress displays, reports). */
  readonly observer?: (e: TraceEvent, index: number) => void;
  /** Sees the world once the run is over, before the trace closes (reports read final state here). */
  readonly atEnd?: (world: World) => void;
}

export interface ScenarioRunResult {
  readonly scenario: Scenario;
  readonly seed: number;
  /** Whether the `ctx.buggify` points were live (a repro must say so to replay). */
  readonly buggify: boolean;
  readonly summary: RunSummary;
  readonly violations: readonly Violation[];
  readonly expectations: readonly ExpectationResult[];
  readonly metrics: Readonly<Record<string, number>>;
  readonly result: "pass" | "fail";
  readonly lineDigests: readonly number[] | null;
  readonly lines: readonly string[] | null;
}

export function runScenario(s: Scenario, opts: ScenarioRunOptions = {}): ScenarioRunResult {
  const seed = opts.seed ?? s.seed;
  const sink = opts.sink ?? { kind: "none" };
  const nemesis = opts.nemesis ?? s.nemesis;
  const buggify = opts.buggify ?? (nemesis !== null && /(^| )buggify=on( |$)/.test(nemesis));
  const world = new World({
    seed,
    network: s.network,
    disk: s.disk,
    trace: { sink, lineDigests: opts.lineDigests ?? false, strict: opts.strictTrace ?? false, hash: opts.hash ?? true },
    limits: { maxEvents: s.run.maxEvents },
    buggify,
  });
  const checkers = [...s.plugin.checkers(s.params), ...(opts.checkers ?? [])];
  const metrics = s.plugin.metrics?.(s.params);
  const watch = new ExpectationWatch(s.expect);
  const violations: Violation[] = [];
  const stopOnViolation = opts.stopOnViolation ?? s.run.stopOnViolation;
  const record = (v: Violation): void => {
    violations.push(v);
    world.trace({ type: "violation", invariant: v.invariant, at: v.eventIndex, nodes: [...v.nodes], message: v.message });
    if (stopOnViolation) world.stop(`violation: ${v.invariant}`);
  };
  world.observe((e, i) => {
    // Everything else sees the event before the checkers do: a violation they trace comes after it.
    opts.observer?.(e, i);
    metrics?.onEvent(e, i);
    watch.onEvent(e, i);
    for (const c of checkers) {
      const v = c.onEvent(e, i);
      if (v !== null) record(v);
    }
  });

  world.trace({ type: "scenario", name: s.name, protocol: s.plugin.name, seed, nodes: s.nodes.map((n) => n.id) });
  for (const fact of s.plugin.startFacts?.(s.params) ?? []) world.trace(fact);
  if (nemesis !== null) world.trace({ type: "nemesis", settings: nemesis });
  for (const n of s.nodes) world.addNode(n.id, n.factory);
  for (const inp of [...s.inputs, ...s.plugin.inputs(s.params, new Stream(seed, "workload"))]) {
    world.at(inp.atUs, () => world.input(inp.node, inp.input));
  }
  scheduleFaults(world, opts.faults ?? s.faults, (a) => fire(world, s, a));
  for (const n of s.nodes) {
    if (n.startAtUs === undefined || n.startAtUs === 0) world.start(n.id);
    else world.at(n.startAtUs, () => world.start(n.id));
  }

  const reason = world.run({ untilUs: s.run.untilUs });
  const lastIndex = world.traceEvents - 1;
  for (const c of checkers) for (const v of c.finish?.(lastIndex) ?? []) record(v);
  const figures = metrics?.result(world.now) ?? {};
  opts.atEnd?.(world);
  const summary = world.end(reason);
  const expectations = watch.judge(violations, reason, figures);
  return {
    scenario: s,
    seed,
    buggify,
    summary,
    violations,
    expectations,
    metrics: figures,
    result: expectations.every((x) => x.ok) ? "pass" : "fail",
    lineDigests: opts.lineDigests ? world.traceDigests() : null,
    lines: sink.kind === "memory" ? world.traceLines() : null,
  };
}

/** Applies a fault, role names resolved against the world as it is now. */
function fire(world: World, s: Scenario, a: FaultAction): void {
  const targets = s.plugin.targets;
  if (targets === undefined) return applyFault(world, a);
  const roles: Record<string, string[]> = {};
  const resolved = resolveAction(a, (name) => {
    if (!isTargetName(targets.names, name)) return null;
    const nodes = [...targets.resolve(world, name, s.params)];
    roles[name] = nodes;
    return nodes;
  });
  if (Object.keys(roles).length > 0) world.trace({ type: "fault-target", action: a.kind, roles, skipped: resolved === null });
  for (const x of resolved ?? []) applyFault(world, x);
}

function scheduleFaults(world: World, faults: readonly Fault[], apply: (a: FaultAction) => void): void {
  for (const f of faults) {
    if ("atUs" in f) {
      world.at(f.atUs, () => apply(f.action));
      continue;
    }
    const match = compilePattern(f.when);
    let seen = 0;
    // The fault runs after the event that triggers it has been fully handled, never inside it.
    world.observe((e) => {
      if (seen >= f.count || !match(e)) return;
      seen++;
      if (seen === f.count) world.after(f.delayUs, () => apply(f.action));
    });
  }
}
