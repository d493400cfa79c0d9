/**
 * Is a history linearizable under a model? On failure, also the smallest window that still fails
 * on its own: the search names the earliest return no linearization reaches (Porcupine's longest
 * linearizable prefix ends just before it), then a binary search over quiescent points finds the
 * latest start from which the window fails from any starting value.
 */
import { ANY_STATE, type Model } from "./model.js";
import { isIndeterminate, type History, type Operation } from "./operation.js";
import { searchFrontier } from "./frontier.js";
import { search, type SearchItem, type SearchResult } from "./search.js";
import { quiescentPoints, searchItems, wholeHistory } from "./search-items.js";

/**
 * Step budgets. The depth-first search finds a linearization of a linearizable history in a few
 * steps per operation, so it gets a budget linear in the history; past it, the breadth-first
 * frontier, which is steadier on failing histories full of indeterminate operations, decides.
 * Past both the verdict is "unknown". A failing history with hundreds of indeterminate
 * operations can get there: each may or may not have happened, and the frontier keeps every
 * combination that still matters.
 */
export interface Budget {
  readonly depthFirstPerOp: number;
  readonly depthFirstBase: number;
  readonly frontier: number;
}
export const DEFAULT_BUDGET: Budget = { depthFirstPerOp: 60, depthFirstBase: 300_000, frontier: 300_000 };
/** Shrinking runs about log2(operations) window checks; each must stay cheap. */
const WINDOW_BUDGET: Budget = { depthFirstPerOp: 5, depthFirstBase: 50_000, frontier: 50_000 };

/**
 * Depth-first first. If that runs out of steps, the frontier with indeterminate operations
 * allowed to take effect more than once (cheap, and its failures are real), then the exact one.
 */
export function decide(model: Model, initial: number, items: readonly SearchItem[], budget: Budget): SearchResult {
  const problem = { model, initial, items, stepBudget: budget.depthFirstBase + budget.depthFirstPerOp * items.length };
  const first = search(problem);
  if (first.kind !== "unknown") return first;
  const relaxed = searchFrontier({ ...problem, stepBudget: budget.frontier }, true);
  const hasOptional = items.some((it) => !it.required);
  // Without optional items the relaxation is exact; if it ran out, the exact search would too.
  if (relaxed.kind === "not-linearizable" || relaxed.kind === "unknown" || !hasOptional) return { ...relaxed, steps: first.steps + relaxed.steps };
  const exact = searchFrontier({ ...problem, stepBudget: budget.frontier });
  return { ...exact, steps: first.steps + relaxed.steps + exact.steps };
}

export interface FailingWindow {
  /** The window starts at this event; from the history's start it uses the model's initial value. */
  readonly fromEvent: number;
  readonly toEvent: number;
  readonly fromInitialValue: boolean;
  /** Invocation order; the optional ones may or may not have taken effect. */
  readonly ops: readonly Operation[];
}

export type Verdict =
  | { readonly kind: "linearizable"; readonly operations: number; readonly indeterminate: number; readonly steps: number }
  | {
      readonly kind: "not-linearizable";
      readonly operations: number;
      readonly indeterminate: number;
      readonly steps: number;
      /** The operation whose completion no linearization of the history before it can reach. */
      readonly failOp: Operation;
      readonly failEvent: number;
      /** The history before `failEvent` is linearizable (else only: it fails by then). */
      readonly earliest: boolean;
      readonly window: FailingWindow;
    }
  | { readonly kind: "unknown"; readonly operations: number; readonly indeterminate: number; readonly steps: number };

export function checkHistory(history: History, model: Model, budget: Budget = DEFAULT_BUDGET): Verdict {
  for (const op of history.ops) if (!model.supports(op.f)) throw new Error(`checkHistory: model ${model.name} cannot run ${op.f}; reject it at the input`);
  const operations = history.ops.length;
  const indeterminate = history.ops.filter(isIndeterminate).length;
  const r = decide(model, model.initial, searchItems(history, wholeHistory(history)), budget);
  if (r.kind !== "not-linearizable") return { kind: r.kind, operations, indeterminate, steps: r.steps };
  const window = failingWindow(history, model, r.failEvent);
  const failOp = history.ops.find((op) => op.completeIndex === r.failEvent);
  if (failOp === undefined) throw new Error(`checkHistory: no operation completes at event ${r.failEvent}`);
  return { kind: "not-linearizable", operations, indeterminate, steps: r.steps, failOp, failEvent: r.failEvent, earliest: r.earliest, window };
}

/** A window that runs out of budget counts as not failing: the window found is then only larger. */
function windowFails(history: History, model: Model, fromEvent: number, toEvent: number): boolean {
  return decide(model, ANY_STATE, searchItems(history, { fromEvent, toEvent }), WINDOW_BUDGET).kind === "not-linearizable";
}

/**
 * Failing is monotone in the start: a window from an earlier quiescent point contains a later
 * one's, cut at a quiescent point of its own. Gallop back from the end (small windows are cheap
 * to check), then binary search between the last start that passed and the first that failed.
 * The first point is the whole prefix with the model's initial value, known to fail.
 */
function failingWindow(history: History, model: Model, failEvent: number): FailingWindow {
  const points = quiescentPoints(history, failEvent);
  const fails = (i: number): boolean => windowFails(history, model, points[i] as number, failEvent);
  let lo = 0;
  let hi = points.length - 1;
  for (let d = 1; points.length - d > 0; d *= 2) {
    const i = points.length - d;
    if (fails(i)) {
      lo = i;
      break;
    }
    hi = i - 1;
  }
  while (lo < hi) {
    const mid = lo + ((hi - lo + 1) >> 1);
    if (fails(mid)) lo = mid;
    else hi = mid - 1;
  }
  const fromEvent = lo === 0 ? 0 : (points[lo] as number);
  const ops = searchItems(history, { fromEvent, toEvent: failEvent }).map((it) => it.op);
  return { fromEvent, toEvent: failEvent, fromInitialValue: lo === 0, ops };
}
