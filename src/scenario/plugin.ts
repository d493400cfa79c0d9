/**
 * What a protocol hands the scenario layer so that `zksim run`, `fuzz` and `replay` can drive it:
 * a schema for its `params:` section, the nodes it runs, the inputs its workload makes, the checkers
 * that judge every run and the metrics it reports. Built-in protocols and user protocols (loaded with
 * `module:` in a scenario) are the same kind of object.
 */
import type { z } from "zod";
import type { Checker } from "../check/checker.js";
import type { NetworkConfig } from "../sim/network.js";
import type { Message, NodeFactory, NodeId } from "../sim/node.js";
import type { Stream } from "../sim/random.js";
import type { TraceEvent, TraceFields, TraceValue } from "../sim/trace.js";
import type { World } from "../sim/world.js";

export interface NodeSpec {
  readonly id: NodeId;
  /** A role name for summaries and role-based fault targets ("coordinator", "participant"). */
  readonly role: string;
  readonly factory: NodeFactory<Message, TraceValue>;
  /** When the node first starts (default: at time 0 with the others). */
  readonly startAtUs?: number;
}

/**
 * Fault targets named by role and resolved when the fault fires ("leader", "followers", ...): a
 * protocol whose roles change at run time lists the names it understands and resolves them against
 * the world as it is at that moment (an empty answer skips the fault, traced as such).
 */
export interface FaultTargets<P = unknown> {
  /** The names a scenario may use where a node id goes; a name ending in `:` takes an argument (`holder:0x100000002`). */
  readonly names: readonly string[];
  resolve(world: World, name: string, params: P): readonly NodeId[];
}

/** An outside input at a virtual time, delivered through the node's `onInput`. */
export interface ScheduledInput {
  readonly atUs: number;
  readonly node: NodeId;
  readonly input: TraceValue;
}

/** Collects a protocol's figures (blocked time, decisions) from the trace as it is written. */
export interface MetricCollector {
  onEvent(e: TraceEvent, index: number): void;
  /** Integer figures, keyed by name (units last: `blockedUsMax`). */
  result(endUs: number): Record<string, number>;
}

export interface ProtocolPlugin<P = unknown> {
  readonly name: string;
  /** One line for `zksim list` and `--help`. */
  readonly description: string;
  /** The schema of the scenario's `params:` section (defaults filled in by the schema). */
  readonly params: z.ZodType<P>;
  nodes(params: P): readonly NodeSpec[];
  /** The workload the params describe, drawn from the `workload` stream. */
  inputs(params: P, random: Stream): readonly ScheduledInput[];
  checkers(params: P): readonly Checker[];
  /**
   * Facts of the setup that the checkers need and no later event states (the ZooKeeper ensemble's
   * shape and limits): traced right after the `scenario` event, so `zksim check` reads them back.
   */
  startFacts?(params: P): readonly TraceFields[];
  metrics?(params: P): MetricCollector;
  /** Network settings this protocol assumes; the scenario's `network:` overrides them. */
  readonly network?: Partial<NetworkConfig>;
  readonly targets?: FaultTargets<P>;
  /** A one-line story for a protocol event worth showing in a run summary (null: not worth it). */
  describe?(e: TraceEvent): string | null;
}

/** Protocols by name: the CLI builds one with the built-ins, and a library user can add their own. */
export type ProtocolRegistry = ReadonlyMap<string, ProtocolPlugin<any>>;
