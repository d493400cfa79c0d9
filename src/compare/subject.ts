/**
 * What the lab needs from a protocol: how to build one run (a scenario document, as a YAML file
 * would hold it, so any case can be written out and re-run with `zksim run`), which input starts a
 * command, and which trace event is the first moment the system knows a command's outcome.
 * Adding a protocol to the lab is one file exporting one of these (see subjects/zab.ts).
 */
import type { TraceEvent } from "../sim/trace.js";
import type { FaultPlan } from "./fault-sets.js";
import type { Command } from "./workload.js";

export interface SubjectCase {
  readonly seed: number;
  /** Voting nodes: 2PC/3PC participants, Paxos acceptors. */
  readonly voters: number;
  readonly commands: readonly Command[];
  readonly plan: FaultPlan;
  readonly untilUs: number;
}

export type Outcome = { readonly cmd: number; readonly outcome: "commit" | "abort" };

/** Textbook costs of one command in a fault-free steady state, for `n` voters. */
export interface Formula {
  /** The formula as the report prints it, e.g. "4n". */
  readonly messagesText: string;
  readonly fsyncsText: string;
  readonly messages: (n: number) => number;
  readonly fsyncs: (n: number) => number;
  /** One-time costs of a fault-free run (a leader's election at start). */
  readonly setupMessages: (n: number) => number;
  readonly setupFsyncs: (n: number) => number;
}

export interface CompareSubject {
  readonly name: string;
  readonly title: string;
  readonly available: true;
  /** Why the protocol cannot run with `voters` voting nodes, or null when it can. */
  sizeProblem(voters: number): string | null;
  /** The scenario document for one case. */
  document(c: SubjectCase): Record<string, unknown>;
  /** The command a world `input` event hands in (null: not a workload input). */
  commandOfInput(e: TraceEvent): number | null;
  /** The outcome this event reveals, if it is the first moment someone can know it. */
  outcomeOf(e: TraceEvent): Outcome | null;
  /**
   * Whether the event starts or ends a wait that cannot end by itself: a 2PC/3PC participant that
   * voted yes holds its locks until it learns the decision; a Paxos client waits for its reply.
   * The longest such wait is the run's time blocked.
   */
  waitOf(e: TraceEvent): { readonly key: string; readonly end: boolean } | null;
  /** What steps 1, 2 and 3 are in this protocol (the crash fault sets). */
  readonly steps: readonly [string, string, string];
  readonly formula: Formula;
}

/** A protocol the lab lists but cannot run yet: shown as "not available", never faked. */
export interface UnavailableSubject {
  readonly name: string;
  readonly title: string;
  readonly available: false;
  readonly why: string;
}

export type SubjectEntry = CompareSubject | UnavailableSubject;
