/**
 * Turns a history's operations into what the search needs, optionally cut to a window of events.
 * Failed operations never happened and an unfinished read constrains nothing, so neither is kept.
 */
import type { History } from "./operation.js";
import type { SearchItem } from "./search.js";

export interface Window {
  /** Operations invoked before this event are dropped unless optional (they may happen later). */
  readonly fromEvent: number;
  /** Events after this one are cut off: operations still running then become optional. */
  readonly toEvent: number;
}

export function wholeHistory(history: History): Window {
  return { fromEvent: 0, toEvent: history.eventCount };
}

export function searchItems(history: History, w: Window): SearchItem[] {
  const items: SearchItem[] = [];
  for (const op of history.ops) {
    if (op.invokeIndex > w.toEvent) break; // ops are in invocation order
    if (op.outcome === "fail") continue;
    const required = op.outcome === "ok" && op.completeIndex <= w.toEvent;
    if (!required && op.f === "read") continue;
    if (op.invokeIndex < w.fromEvent && required) continue;
    items.push({ op, required, call: op.invokeIndex, ret: required ? op.completeIndex : -1 });
  }
  return items;
}

/**
 * Events where a window may start: every required operation invoked earlier has completed.
 * Everything before such a point precedes everything invoked after it in real time, so a window
 * from there that fails from every starting state proves the whole history fails.
 */
export function quiescentPoints(history: History, toEvent: number): number[] {
  const points: number[] = [];
  let lastRequiredComplete = -1;
  for (const op of history.ops) {
    if (op.invokeIndex > toEvent) break;
    if (op.invokeIndex > lastRequiredComplete) points.push(op.invokeIndex);
    const required = op.outcome === "ok" && op.completeIndex <= toEvent;
    if (required) lastRequiredComplete = Math.max(lastRequiredComplete, op.completeIndex);
  }
  return points;
}
