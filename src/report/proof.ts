/**
 * The events that prove a violation: the one its checker names, and every earlier event its message
 * cites ("event 75", "since event 12"). The report shows their trace lines under the violation.
 */
import type { Violation } from "../check/checker.js";

/** At most this many cited events per violation are looked up. */
const CITED_MAX = 8;

/** The proving event first, then the cited ones in the order the message gives them. */
export function proofIndexes(v: Violation): number[] {
  const out = [v.eventIndex];
  for (const m of v.message.matchAll(/\bevents? (\d+)\b/g)) {
    const i = Number(m[1]);
    if (Number.isSafeInteger(i) && !out.includes(i) && out.length <= CITED_MAX) out.push(i);
  }
  return out;
}

/** Every index any violation needs, sorted. */
export function allProofIndexes(vs: readonly Violation[]): number[] {
  return [...new Set(vs.flatMap(proofIndexes))].sort((a, b) => a - b);
}
