/**
 * Which value each consensus instance has chosen, worked out from the acceptors' own facts: a value
 * is chosen in a ballot once a quorum of acceptors accepted it in that ballot (a majority; in a
 * Fast Paxos fast round, ⌈3n/4⌉). Reads `accept` events ({node, inst, bal, val, fast}) only, so it
 * does not trust what any proposer or learner believes. The quorum sizes are this model's own, not
 * the protocols'.
 */
import type { NodeId } from "../sim/node.js";
import type { TraceEvent } from "../sim/trace.js";

export interface ConsensusModel {
  /** How many acceptors the run has. */
  readonly acceptors: number;
}

export interface Choice {
  readonly inst: number;
  readonly val: string;
  readonly bal: string;
  /** The accept event that completed the quorum. */
  readonly index: number;
  readonly nodes: readonly NodeId[];
}

export const majorityOf = (n: number): number => Math.floor(n / 2) + 1;
export const fastQuorumOf = (n: number): number => Math.floor((3 * n + 3) / 4);

/** An `accept` event's fields, or null for events of other shapes. */
export function acceptFields(e: TraceEvent): { node: NodeId; inst: number; bal: string; val: string; fast: boolean } | null {
  if (e.type !== "accept") return null;
  const { node, inst, bal, val, fast } = e;
  if (typeof node !== "string" || typeof inst !== "number" || !Array.isArray(bal) || typeof val !== "string") return null;
  return { node, inst, bal: bal.join("."), val, fast: fast === true };
}

/** A `learn` or `chosen` event's fields (someone was told, or saw, that a value is chosen). */
export function reportFields(e: TraceEvent): { node: NodeId; inst: number; val: string } | null {
  if (e.type !== "learn" && e.type !== "chosen") return null;
  const { node, inst, val } = e;
  if (typeof node !== "string" || typeof inst !== "number" || typeof val !== "string") return null;
  return { node, inst, val };
}

export class ChosenValues {
  private readonly voters = new Map<string, Set<NodeId>>();
  /** Every value that became chosen, per instance, in the order they did (more than one: a violation). */
  private readonly choices = new Map<number, Choice[]>();

  constructor(private readonly model: ConsensusModel) {}

  /** Feeds an event; returns the choice it completes, if any (a value already chosen in another ballot counts once). */
  onEvent(e: TraceEvent, index: number): Choice | null {
    const a = acceptFields(e);
    if (a === null) return null;
    const key = `${a.inst}|${a.bal}|${a.val}`;
    let set = this.voters.get(key);
    if (set === undefined) {
      set = new Set();
      this.voters.set(key, set);
    }
    if (set.has(a.node)) return null;
    set.add(a.node);
    const need = a.fast ? fastQuorumOf(this.model.acceptors) : majorityOf(this.model.acceptors);
    if (set.size !== need) return null;
    const list = this.choices.get(a.inst) ?? [];
    if (list.some((c) => c.val === a.val)) return null;
    const c: Choice = { inst: a.inst, val: a.val, bal: a.bal, index, nodes: [...set].sort() };
    list.push(c);
    this.choices.set(a.inst, list);
    return c;
  }

  /** The first value chosen for an instance, if any. */
  first(inst: number): Choice | null {
    return this.choices.get(inst)?.[0] ?? null;
  }

  /** Every value chosen for an instance. */
  all(inst: number): readonly Choice[] {
    return this.choices.get(inst) ?? [];
  }
}
