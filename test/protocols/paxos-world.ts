// Shared by the Paxos-family tests: a world built from a plugin as `zksim run` builds it, on either
// network mode, and readers for the family's trace events.
import type { ProtocolPlugin } from "../../src/scenario/plugin.js";
import type { NetworkConfig } from "../../src/sim/network.js";
import { Stream, ratio } from "../../src/sim/random.js";
import type { TraceEvent } from "../../src/sim/trace.js";
import { World } from "../../src/sim/world.js";
import { checkEvents, type Violation } from "../../src/check/checker.js";

export interface PaxosOutcome {
  readonly events: readonly TraceEvent[];
  readonly violations: readonly Violation[];
  readonly metrics: Readonly<Record<string, number>>;
  readonly sha256: string | null;
}

export const TCP: Partial<NetworkConfig> = { latency: { dist: "uniform", minUs: 1000, maxUs: 3000 } };
/** Datagrams: 1 in 10 lost, 1 in 10 duplicated, latencies spread enough to reorder. */
export const LOSSY: Partial<NetworkConfig> = { mode: "datagram", latency: { dist: "uniform", minUs: 500, maxUs: 8000 }, loss: ratio(1, 10), duplicate: ratio(1, 10) };

export function runPaxos<P>(
  plugin: ProtocolPlugin<P>,
  rawParams: unknown,
  untilUs: number,
  opts: { network?: Partial<NetworkConfig>; script?: (w: World) => void; seed?: number } = {},
): PaxosOutcome {
  const params = plugin.params.parse(rawParams);
  const seed = opts.seed ?? 1;
  const world = new World({ seed, network: opts.network ?? TCP, trace: { sink: { kind: "memory" } } });
  const nodes = plugin.nodes(params);
  for (const n of nodes) world.addNode(n.id, n.factory);
  for (const i of plugin.inputs(params, new Stream(seed, "workload"))) world.at(i.atUs, () => world.input(i.node, i.input));
  opts.script?.(world);
  for (const n of nodes) world.start(n.id);
  const reason = world.run({ untilUs });
  const events = world.traceLines().map((l) => JSON.parse(l) as TraceEvent);
  const collector = plugin.metrics?.(params);
  events.forEach((e, i) => collector?.onEvent(e, i));
  return { events, violations: checkEvents(plugin.checkers(params), events), metrics: collector?.result(world.now) ?? {}, sha256: world.end(reason).sha256 };
}

export const of = (events: readonly TraceEvent[], type: string): TraceEvent[] => events.filter((e) => e.type === type);
export const sent = (events: readonly TraceEvent[], type: string): number => events.filter((e) => e.type === "send" && (e["msg"] as { type: string }).type === type).length;
/** `inst` -> value, from what a learner learned. */
export const learned = (events: readonly TraceEvent[], learner: string): Record<number, string> =>
  Object.fromEntries(of(events, "learn").filter((e) => e["node"] === learner).map((e) => [e["inst"] as number, e["val"] as string]));
