/**
 * What a protocol hands the scenario layer so that `zksim run`, `fuzz` and `replay` can drive it:
 * a schema for its `params:` section, the nodes it runs, the inputs its workload makes, the checkers
 * that judge every run and the metrics it reports. Built-in protocols and user protocols (loaded with
 * `module:` in a scenario) are the same kind of object.
 */
import type { z } from "zod";
import type { Checker } from "../check/checker.js";
import type { Message, NodeFactory, NodeId } from "../sim/node.js";
import type { Stream } from "../sim/random.js";
import type { TraceEvent, TraceValue } from "../sim/trace.js";

export interface NodeSpec {
  readonly id: NodeId;
  /** A role name for summaries and role-based fault targets ("coordinator", "participant"). */
  readonly role: string;
  readonly factory: NodeFactory<Message, TraceValue>;
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
  metrics?(params: P): MetricCollector;
  /** A one-line story for a protocol event worth showing in a run summary (null: not worth it). */
  describe?(e: TraceEvent): string | null;
}

/** Protocols by name: the CLI builds one with the built-ins, and a library user can add their own. */
export type ProtocolRegistry = ReadonlyMap<string, ProtocolPlugin<any>>;
