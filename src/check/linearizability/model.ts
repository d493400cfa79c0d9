/**
 * A sequential specification over integer states (interned values). Besides real values a state
 * may be `ANY_STATE`: "some value we do not know", used when a failing window is checked on its
 * own, cut from the history before it (see `failing-window.ts`).
 */
import type { OpF, Operation } from "./operation.js";

/** The state is some value, unknown; the first read or cas that looks at it pins it down. */
export const ANY_STATE = -1;
/** What `step` returns when the operation cannot happen in this state. */
export const IMPOSSIBLE = -2;

export interface Model {
  readonly name: string;
  readonly initial: number;
  supports(f: OpF): boolean;
  /**
   * The state after `op` took effect in `state`, or IMPOSSIBLE. Only operations that take effect
   * reach here: failed ones are dropped, and an indeterminate cas that is linearized succeeded.
   */
  step(state: number, op: Operation): number;
  /**
   * True when `op` never changes a known state (a read). The search then prefers configurations
   * that have linearized more of them: one fewer obligation, same state, same future.
   */
  readOnly(op: Operation): boolean;
}
