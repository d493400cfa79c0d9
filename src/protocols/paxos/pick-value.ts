/**
 * Which value a new round may propose, given what a quorum of acceptors reported (their
 * highest-ballot acceptance each, or nothing). Classic Paxos: the value of the highest ballot
 * reported. Fast Paxos (Lamport 2006, the rule behind coordinated recovery): if that highest ballot
 * k was a fast round, acceptors may have accepted different values in it; a value v might have been
 * chosen in k only if every reporter that could belong to a fast quorum accepting v did accept v,
 * that is, if at least fastQuorum + |reporters| - n of them report v. At most one value can pass
 * that test; if none does, nothing was chosen in k and any value may be proposed.
 */
import { assert } from "../../sim/assert.js";
import { compareBallots, sameBallot, type Ballot } from "./ballot.js";

export interface Report {
  readonly bal: Ballot;
  readonly val: string;
}

export type Pick =
  /** Some value may have been chosen: the round must propose it. */
  | { readonly kind: "forced"; readonly val: string }
  /** Nothing can have been chosen; `hint` is the most-reported value of the highest ballot, if any. */
  | { readonly kind: "free"; readonly hint: string | null };

export interface PickRule {
  /** Acceptors in the cluster. */
  readonly n: number;
  readonly fastQuorum: number;
  readonly isFast: (b: Ballot) => boolean;
}

/** `reports` holds one entry per responding acceptor (null: it accepted nothing in the range). */
export function pickValue(reports: readonly (Report | null)[], rule: PickRule): Pick {
  let top: Ballot | null = null;
  for (const r of reports) if (r !== null && (top === null || compareBallots(r.bal, top) > 0)) top = r.bal;
  if (top === null) return { kind: "free", hint: null };
  const counts = new Map<string, number>();
  for (const r of reports) if (r !== null && sameBallot(r.bal, top)) counts.set(r.val, (counts.get(r.val) ?? 0) + 1);
  // Most votes first, then the smaller value: the same reports always give the same pick.
  const ranked = [...counts.entries()].sort(([va, a], [vb, b]) => b - a || (va < vb ? -1 : va > vb ? 1 : 0));
  const [first] = ranked;
  assert(first !== undefined, "a top ballot has a value");
  if (!rule.isFast(top)) {
    assert(ranked.length === 1, `classic ballot ${top.join(".")} carries ${ranked.length} values`);
    return { kind: "forced", val: first[0] };
  }
  const need = rule.fastQuorum + reports.length - rule.n;
  const possible = ranked.filter(([, c]) => c >= need);
  assert(possible.length <= 1, `two values may both have been chosen in fast ballot ${top.join(".")}: the reporters are not a quorum`);
  return possible.length === 1 ? { kind: "forced", val: (possible[0] as [string, number])[0] } : { kind: "free", hint: first[0] };
}

/** The classic rule: any reported value means the highest-ballot one is forced. */
export const CLASSIC = (n: number): PickRule => ({ n, fastQuorum: n, isFast: () => false });
