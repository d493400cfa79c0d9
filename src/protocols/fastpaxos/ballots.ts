/**
 * Fast Paxos ballots are `[round, coordinator, kind]`: kind 0 is a coordinator's fast round (the
 * acceptors take client values directly), kind 1 the classic round right after it. No ballot lies
 * between `[r, c, 0]` and `[r, c, 1]`, so an acceptor's vote in the fast round is also what it would
 * report in phase 1 of the classic one: coordinated recovery needs no phase 1 (Lamport 2006, §3.3).
 */
import type { Ballot } from "../paxos/ballot.js";
import { ballot } from "../paxos/ballot.js";
import type { PickRule } from "../paxos/pick-value.js";
import { fastQuorum } from "../paxos/quorum.js";

export const fastBallot = (round: number, coordinator: number): Ballot => [...ballot(round, coordinator), 0];
export const classicBallot = (round: number, coordinator: number): Ballot => [...ballot(round, coordinator), 1];
export const isFast = (b: Ballot): boolean => b.length === 3 && b[2] === 0 && (b[0] ?? 0) > 0;

/** The value-picking rule for `n` acceptors with fast quorums of ⌈3n/4⌉. */
export const fastRule = (n: number): PickRule => ({ n, fastQuorum: fastQuorum(n), isFast });
