/**
 * One operation of a Jepsen-style history: an `invoke` paired with the next event of the same
 * process. Values are interned to small integers (see `ValueTable`) so model states and memo keys
 * stay integers; `NULL_VALUE` is JSON null, the register's initial value.
 */

export type OpF = "read" | "write" | "cas";

/**
 * `ok`: it happened (a read's ok carries the value read). `fail`: it certainly did not happen.
 * `info`: indeterminate, it may take effect at any time after its invocation. `pending`: the
 * history ended before it completed, which Jepsen treats like `info`.
 */
export type Outcome = "ok" | "fail" | "info" | "pending";

export const NULL_VALUE = 0;

export interface Operation {
  /** Position in invocation order; `History.ops[id]` is this operation. */
  readonly id: number;
  /** The process as written in the file (a number or a string), for display. */
  readonly process: string;
  readonly f: OpF;
  /** write: the value written; cas: the expected value; read: unused (`NULL_VALUE`). */
  readonly arg: number;
  /** cas: the new value; otherwise unused (`NULL_VALUE`). */
  readonly arg2: number;
  /** read with outcome ok: the value read; otherwise unused (`NULL_VALUE`). */
  readonly result: number;
  readonly outcome: Outcome;
  /** 0-based index of the invoke event among the history's events. */
  readonly invokeIndex: number;
  /** 0-based index of the completing event, -1 when the history ended first. */
  readonly completeIndex: number;
  /** 1-based line of the invoke in the file, to point at an operation a model cannot run. */
  readonly line: number;
}

export interface History {
  readonly ops: readonly Operation[];
  /** Number of events (non-blank lines). */
  readonly eventCount: number;
  /** Value id to its canonical JSON text. */
  readonly values: readonly string[];
}

/** An indeterminate operation: it may or may not have taken effect. */
export function isIndeterminate(op: Operation): boolean {
  return op.outcome === "info" || op.outcome === "pending";
}

/** `process f value -> result [invoke index, complete index]`, e.g. `3 cas [1,2] -> ok [10, 14]`. */
export function formatOperation(op: Operation, values: readonly string[]): string {
  const v = (id: number): string => values[id] ?? "?";
  const arg = op.f === "read" ? "null" : op.f === "write" ? v(op.arg) : `[${v(op.arg)},${v(op.arg2)}]`;
  const result = op.outcome !== "ok" ? op.outcome : op.f === "read" ? v(op.result) : "ok";
  const done = op.completeIndex < 0 ? "-" : String(op.completeIndex);
  return `${op.process} ${op.f} ${arg} -> ${result} [${op.invokeIndex}, ${done}]`;
}
