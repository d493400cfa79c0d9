/**
 * Ballots of the Paxos family. A ballot is a tuple of integers compared lexicographically:
 * `[round, proposer]` in Paxos and Multi-Paxos (the proposer's 1-based index makes ballots of two
 * proposers distinct), and `[round, proposer, kind]` in Fast Paxos, where kind 0 is the
 * coordinator's fast round and kind 1 the classic round right after it (nothing lies between them,
 * which is what makes coordinated recovery safe). `[0, 0]` is below every ballot a proposer uses.
 */
import { assert } from "../../sim/assert.js";

export type Ballot = readonly number[];

/** Below every real ballot: what an acceptor that promised nothing has promised. */
export const NO_BALLOT: Ballot = [0, 0];

/** Negative, zero or positive as `a` is below, equal to or above `b`. */
export function compareBallots(a: Ballot, b: Ballot): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export const ballotAbove = (a: Ballot, b: Ballot): boolean => compareBallots(a, b) > 0;
export const sameBallot = (a: Ballot, b: Ballot): boolean => compareBallots(a, b) === 0;
export const maxBallot = (a: Ballot, b: Ballot): Ballot => (compareBallots(a, b) >= 0 ? a : b);

/** The round of a ballot (its first component). */
export const roundOf = (b: Ballot): number => b[0] ?? 0;

/** The 1-based index of the proposer that owns a ballot (0 for NO_BALLOT). */
export const ownerOf = (b: Ballot): number => b[1] ?? 0;

/** A classic ballot `[round, proposer]`. */
export function ballot(round: number, proposer: number): Ballot {
  assert(Number.isSafeInteger(round) && round >= 1, `ballot round must be a positive integer, got ${round}`);
  assert(Number.isSafeInteger(proposer) && proposer >= 1, `ballot proposer must be a positive index, got ${proposer}`);
  return [round, proposer];
}

/** `3.1` for [3, 1]: how stories and messages in prose show a ballot. */
export const ballotText = (b: Ballot): string => b.join(".");

/** Reads a ballot back from a message or a disk record; a malformed one is a bug. */
export function asBallot(v: unknown, what: string): Ballot {
  assert(Array.isArray(v) && v.length >= 2 && v.every((x) => Number.isSafeInteger(x) && (x as number) >= 0), `${what} is not a ballot: ${JSON.stringify(v)}`);
  return v as Ballot;
}
