// Shared by the 2PC and 3PC tests: a world built from a protocol plugin as `zksim run` builds it,
// and readers for the atomic-commit trace events.
import { checkEvents, type Violation } from "../../src/check/checker.js";
import type { ProtocolPlugin } from "../../src/scenario/plugin.js";
import { Stream } from "../../src/sim/random.js";
import type { TraceEvent } from "../../src/sim/trace.js";
import { World } from "../../src/sim/world.js";

export const PARTICIPANTS = ["p1", "p2", "p3"] as const;
export const NODES = ["coord", ...PARTICIPANTS] as const;

export interface Outcome {
  readonly events: readonly TraceEvent[];
  readonly violations: readonly Violation[];
  readonly metrics: Readonly<Record<string, number>>;
  readonly sha256: string | null;
}

/** Runs the plugin's nodes and workload until `untilUs`; `script` adds faults before the run. */
export function runPlugin<P>(
  plugin: ProtocolPlugin<P>,
  rawParams: unknown,
  untilUs: number,
  script: (w: World) => void = () => undefined,
  seed = 1,
): Outcome {
  const params = plugin.params.parse(rawParams);
  const world = new World({ seed, network: { latency: { dist: "uniform", minUs: 1000, maxUs: 3000 } }, trace: { sink: { kind: "memory" } } });
  const nodes = plugin.nodes(params);
  for (const n of nodes) world.addNode(n.id, n.factory);
  for (const i of plugin.inputs(params, new Stream(seed, "workload"))) world.at(i.atUs, () => world.input(i.node, i.input));
  script(world);
  for (const n of nodes) world.start(n.id);
  const reason = world.run({ untilUs });
  const events = world.traceLines().map((l) => JSON.parse(l) as TraceEvent);
  const collector = plugin.metrics?.(params);
  events.forEach((e, i) => collector?.onEvent(e, i));
  const metrics = collector?.result(world.now) ?? {};
  return { events, violations: checkEvents(plugin.checkers(params), events), metrics, sha256: world.end(reason).sha256 };
}

/** Runs `fault` once, right after the `count`-th event matching `match` (as a scenario trigger does). */
export function after(w: World, match: (e: TraceEvent) => boolean, count: number, fault: () => void): void {
  let seen = 0;
  w.observe((e) => {
    if (match(e) && ++seen === count) w.after(0, fault);
  });
}

export const sendOf = (type: string, to?: string) => (e: TraceEvent) =>
  e.type === "send" && (e["msg"] as { type?: string }).type === type && (to === undefined || e["to"] === to);
export const of = (events: readonly TraceEvent[], type: string) => events.filter((e) => e.type === type);
/** `node tx` -> `decision via`, e.g. { "p1 1": "commit coordinator" }. */
export const decisions = (events: readonly TraceEvent[]): Record<string, string> =>
  Object.fromEntries(of(events, "decide").map((e) => [`${e["node"]} ${e["tx"]}`, `${e["decision"]} ${e["via"]}`]));
