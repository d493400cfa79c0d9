/**
 * The wire messages of basic Paxos, and the client and learner messages the whole family shares.
 * `inst` names a Paxos instance (Multi-Paxos calls it a slot); ballots are integer tuples.
 */
import type { Ballot } from "./ballot.js";

/** One chosen value, as a leader announces it: `[instance, value]`. */
export type Entry = readonly [number, string];

/** Between clients and the proposers (or, on the fast path, the acceptors). */
export type ClientMessage =
  /** A client asks a proposer to get its command chosen; `attempt` counts the client's retries. */
  | { readonly type: "REQUEST"; readonly cmd: number; readonly val: string; readonly attempt: number }
  /** What was chosen for the instance the command went to (another client's value if it lost). */
  | { readonly type: "REPLY"; readonly cmd: number; readonly inst: number; readonly val: string }
  /** Fast Paxos: a client proposes straight to the acceptors. */
  | { readonly type: "PROPOSE"; readonly inst: number; readonly val: string };

/** Between the proposer that saw a value chosen and the learners. */
export type LearnerMessage =
  | { readonly type: "CHOSEN"; readonly entries: readonly Entry[] }
  | { readonly type: "LEARNED"; readonly insts: readonly number[] };

/** Basic (single-decree) Paxos, one instance per command. */
export type PaxosMessage =
  | ClientMessage
  | LearnerMessage
  | { readonly type: "PREPARE"; readonly inst: number; readonly bal: Ballot }
  /** `vbal`/`val`: the highest-ballot proposal this acceptor accepted for the instance (NO_BALLOT/null: none). */
  | { readonly type: "PROMISE"; readonly inst: number; readonly bal: Ballot; readonly vbal: Ballot; readonly val: string | null }
  | { readonly type: "ACCEPT"; readonly inst: number; readonly bal: Ballot; readonly val: string }
  | { readonly type: "ACCEPTED"; readonly inst: number; readonly bal: Ballot }
  /** The acceptor has promised a higher ballot: the proposer is preempted. */
  | { readonly type: "NACK"; readonly inst: number; readonly bal: Ballot; readonly promised: Ballot };
