/**
 * The wire messages of Multi-Paxos, which Fast Paxos extends. A leader's PREPARE covers a range of
 * instances: every instance from `from` on (`to` = 0: phase 1 once per leadership), or one instance
 * (`from` = `to`: a Fast Paxos coordinator's classic round for that instance).
 */
import type { Ballot } from "../paxos/ballot.js";
import type { ClientMessage, Entry, LearnerMessage } from "../paxos/messages.js";

/** What an acceptor reports in a promise: `[instance, accepted ballot, accepted value]`. */
export type Vote = readonly [number, Ballot, string];

export type LogMessage =
  | ClientMessage
  | LearnerMessage
  | { readonly type: "PREPARE"; readonly bal: Ballot; readonly from: number; readonly to: number }
  /** `acc`: what the acceptor accepted in the range; `high`: the highest ballot it promised anywhere. */
  | { readonly type: "PROMISE"; readonly bal: Ballot; readonly from: number; readonly to: number; readonly acc: readonly Vote[]; readonly high: Ballot }
  | { readonly type: "ACCEPT"; readonly bal: Ballot; readonly entries: readonly Entry[] }
  | { readonly type: "ACCEPTED"; readonly bal: Ballot; readonly entries: readonly Entry[] }
  /** A higher ballot was promised; `insts`: the instances refused (empty for a PREPARE of every instance). */
  | { readonly type: "NACK"; readonly bal: Ballot; readonly promised: Ballot; readonly insts: readonly number[] }
  /** Fast Paxos: phase 2a with any value, for every instance from `from` on except `except`. */
  | { readonly type: "ANY"; readonly bal: Ballot; readonly from: number; readonly except: readonly number[] };
