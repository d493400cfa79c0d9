/**
 * The lab's settings and their validation. Bad input comes back as a list of sentences (the CLI
 * prints them and exits 2): an unknown protocol or fault set, or a cluster size a protocol cannot
 * run with, saying why.
 */
import { FAULT_ALIASES, FAULT_SETS, isFaultSet, type FaultSetName } from "./fault-sets.js";
import type { SubjectEntry } from "./subject.js";
import { SUBJECTS, subjectNamed } from "./subjects.js";

export interface CompareOptions {
  readonly subjects: readonly SubjectEntry[];
  readonly faults: readonly FaultSetName[];
  /** Seeds seedStart .. seedStart + seeds - 1, each run against every protocol and fault set. */
  readonly seeds: number;
  readonly seedStart: number;
  /** Voting nodes: participants in 2PC/3PC, acceptors in the Paxos family. */
  readonly voters: number;
  /** Commands (transactions) per run. */
  readonly commands: number;
}

export const DEFAULTS = { seeds: 10, seedStart: 1, voters: 3, commands: 20 } as const;

export interface RawOptions {
  readonly protocols?: string;
  readonly faults?: string;
  readonly seeds?: number;
  readonly seedStart?: number;
  readonly nodes?: number;
  readonly commands?: number;
}

const list = (s: string): string[] =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

/** Options, or the reasons they are bad. */
export function parseOptions(raw: RawOptions): CompareOptions | { readonly errors: readonly string[] } {
  const errors: string[] = [];
  const known = SUBJECTS.map((s) => s.name);
  let subjects: SubjectEntry[] = [...SUBJECTS];
  if (raw.protocols !== undefined) {
    const names = list(raw.protocols);
    if (names.length === 0) errors.push(`--protocols names no protocol (known: ${known.join(", ")})`);
    for (const n of names) if (subjectNamed(n) === undefined) errors.push(`unknown protocol "${n}" in --protocols (known: ${known.join(", ")})`);
    // Shown in the lab's own order, each once.
    subjects = SUBJECTS.filter((s) => names.includes(s.name));
  }
  let faults: FaultSetName[] = [...FAULT_SETS];
  if (raw.faults !== undefined) {
    const names = list(raw.faults);
    const sets = new Set<FaultSetName>();
    if (names.length === 0) errors.push(`--faults names no fault set (known: ${FAULT_SETS.join(", ")}, or crash for the three crash sets)`);
    for (const n of names) {
      const alias = FAULT_ALIASES[n];
      if (alias !== undefined) for (const f of alias) sets.add(f);
      else if (isFaultSet(n)) sets.add(n);
      else errors.push(`unknown fault set "${n}" in --faults (known: ${FAULT_SETS.join(", ")}; crash = the three crash sets; all)`);
    }
    faults = FAULT_SETS.filter((f) => sets.has(f));
  }
  const voters = raw.nodes ?? DEFAULTS.voters;
  for (const s of subjects) {
    if (!s.available) continue;
    const why = s.sizeProblem(voters);
    if (why !== null) errors.push(`--nodes ${voters}: ${s.name} cannot run: ${why}`);
  }
  const commands = raw.commands ?? DEFAULTS.commands;
  if (commands > 1000) errors.push(`--commands ${commands}: at most 1000 commands a run`);
  if (errors.length > 0) return { errors };
  return { subjects, faults, seeds: raw.seeds ?? DEFAULTS.seeds, seedStart: raw.seedStart ?? DEFAULTS.seedStart, voters, commands };
}
