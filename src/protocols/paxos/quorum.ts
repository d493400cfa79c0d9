/**
 * Quorum sizes. Classic quorums are majorities: any two intersect. Fast Paxos also needs any two
 * fast quorums and any classic quorum to share an acceptor (Lamport 2006); with majority classic
 * quorums the smallest fast quorum that guarantees it is ⌈3n/4⌉ (n=4: 3, n=5: 4).
 */
import { assert } from "../../sim/assert.js";

export function majority(n: number): number {
  assert(Number.isSafeInteger(n) && n >= 1, `acceptor count must be a positive integer, got ${n}`);
  return Math.floor(n / 2) + 1;
}

export function fastQuorum(n: number): number {
  assert(Number.isSafeInteger(n) && n >= 1, `acceptor count must be a positive integer, got ${n}`);
  const q = Math.floor((3 * n + 3) / 4);
  // Two fast quorums overlap in at least 2q - n acceptors; a classic quorum must meet that overlap.
  assert(2 * q - n + majority(n) > n, `fast quorum ${q} of ${n} does not meet every classic quorum`);
  return q;
}
