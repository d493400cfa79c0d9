/**
 * Votes and how Fast Leader Election compares and counts them (`quorum/Vote.java`,
 * `FastLeaderElection.totalOrderPredicate`, `getVoteTracker`, `checkLeader`, `QuorumMaj`).
 */
import type { PeerState } from "./fle-messages.js";

/** `quorum/Vote`: a proposed leader with the zxid and epoch it was proposed on. */
export type Vote = {
  readonly id: number;
  readonly zxid: bigint;
  readonly electionEpoch: number;
  readonly peerEpoch: number;
  readonly state: PeerState;
  /** 0 for votes built without a version (most constructors), else the notification's version. */
  readonly version: number;
};

/** A proposal: `proposedLeader`, `proposedZxid`, `proposedEpoch`. */
export type Proposal = { readonly leader: number; readonly zxid: bigint; readonly peerEpoch: number };

/**
 * `totalOrderPredicate(new, cur)`: does the new (leader, zxid, peerEpoch) beat the current one?
 * peerEpoch first, then zxid, then sid (ZOOKEEPER-4643 is why the epoch must dominate). The real
 * method first rejects a leader of weight 0; `QuorumMaj.getWeight` is 1 for every id, so it never does.
 */
export function totalOrderPredicate(n: Proposal, cur: Proposal): boolean {
  if (n.peerEpoch !== cur.peerEpoch) return n.peerEpoch > cur.peerEpoch;
  if (n.zxid !== cur.zxid) return n.zxid > cur.zxid;
  return n.leader > cur.leader;
}

/**
 * `Vote.equals`. When either side is LOOKING every field but the state counts. Between two
 * non-LOOKING votes only (id, peerEpoch) counts (ZOOKEEPER-1805: a running ensemble's votes differ
 * in zxid and round), and only the id when exactly one side has a version (ZOOKEEPER-1732's rolling
 * upgrade rule) — which `receivedFollowingNotification` hits, since its `recvset` entries carry
 * version 0 and the vote it compares them with carries the notification's.
 */
export function voteEquals(a: Vote, b: Vote): boolean {
  if (a.state === "LOOKING" || b.state === "LOOKING") {
    return a.id === b.id && a.zxid === b.zxid && a.electionEpoch === b.electionEpoch && a.peerEpoch === b.peerEpoch;
  }
  if (a.version > 0 !== b.version > 0) return a.id === b.id;
  return a.id === b.id && a.peerEpoch === b.peerEpoch;
}

/**
 * `getVoteTracker(votes, vote).hasAllQuorums()` under a `QuorumMaj`: the voters whose vote equals
 * `vote` are more than half of all voters. Entries of non-voters are never counted
 * (`SyncedLearnerTracker.addAck`).
 */
export function hasQuorum(votes: ReadonlyMap<number, Vote>, vote: Vote, voters: ReadonlySet<number>): boolean {
  let acks = 0;
  for (const [sid, v] of votes) if (voters.has(sid) && voteEquals(vote, v)) acks++;
  return acks > Math.floor(voters.size / 2);
}

/**
 * `checkLeader`: a quorum for someone else counts only once that server's own vote says LEADING
 * (so a crashed leader is not elected over and over); a quorum for me counts only in my current round.
 */
export function checkLeader(votes: ReadonlyMap<number, Vote>, leader: number, electionEpoch: number, myId: number, logicalclock: number): boolean {
  if (leader !== myId) return votes.get(leader)?.state === "LEADING";
  return logicalclock === electionEpoch;
}
