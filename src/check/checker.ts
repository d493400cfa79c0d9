/**
 * One interface for every checker: fed trace events as they are written (online, can stop the run
 * at the first violation) or read back from a trace file (offline). Checkers read facts from the
 * trace, never node internals.
 */
import type { NodeId } from "../sim/node.js";
import type { TraceEvent } from "../sim/trace.js";

export interface Violation {
  /** The invariant's name, e.g. `atomicity`. */
  readonly invariant: string;
  /** Index (0-based line number) of the trace event that proves it. */
  readonly eventIndex: number;
  readonly t: number;
  readonly nodes: readonly NodeId[];
  /** One line saying what went wrong. */
  readonly message: string;
}

export interface Checker {
  readonly name: string;
  /** Returns the violation this event completes, if any. */
  onEvent(e: TraceEvent, index: number): Violation | null;
  /** Called once at the end of the run: violations only visible then (liveness, completeness). */
  finish?(lastIndex: number): readonly Violation[];
}

/** Feeds a sequence of events to checkers; used offline (`zksim check`) and by tests. */
export function checkEvents(checkers: readonly Checker[], events: Iterable<TraceEvent>): Violation[] {
  const found: Violation[] = [];
  let index = -1;
  for (const e of events) {
    index++;
    for (const c of checkers) {
      const v = c.onEvent(e, index);
      if (v !== null) found.push(v);
    }
  }
  for (const c of checkers) found.push(...(c.finish?.(index) ?? []));
  return found;
}
