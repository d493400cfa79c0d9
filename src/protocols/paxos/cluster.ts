/** Who is who in a Paxos-family run: proposers p1..pP, acceptors a1..aN, learners l1..lL, clients c1..cC. */
import { assert } from "../../sim/assert.js";
import type { NodeId } from "../../sim/node.js";

export interface PaxosCluster {
  readonly proposers: readonly NodeId[];
  readonly acceptors: readonly NodeId[];
  readonly learners: readonly NodeId[];
  readonly clients: readonly NodeId[];
}

const ids = (prefix: string, count: number): NodeId[] => {
  assert(Number.isSafeInteger(count) && count >= 0, `${prefix} count must be a non-negative integer, got ${count}`);
  return Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
};

export function paxosCluster(counts: { readonly proposers: number; readonly acceptors: number; readonly learners: number; readonly clients: number }): PaxosCluster {
  assert(counts.proposers >= 1 && counts.acceptors >= 1, "a Paxos cluster needs a proposer and an acceptor");
  return { proposers: ids("p", counts.proposers), acceptors: ids("a", counts.acceptors), learners: ids("l", counts.learners), clients: ids("c", counts.clients) };
}

/** A proposer's 1-based index: the second component of its ballots. */
export function proposerIndex(cluster: PaxosCluster, id: NodeId): number {
  const i = cluster.proposers.indexOf(id);
  assert(i >= 0, `${id} is not a proposer`);
  return i + 1;
}

/** The proposer with a 1-based index (the owner of a ballot). */
export function proposerAt(cluster: PaxosCluster, index: number): NodeId {
  const id = cluster.proposers[index - 1];
  assert(id !== undefined, `no proposer with index ${index}`);
  return id;
}
