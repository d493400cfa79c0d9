/** What every Multi-Paxos node is built with. */
import type { BackoffConfig } from "../paxos/backoff.js";
import type { PaxosCluster } from "../paxos/cluster.js";

/** Multi-Paxos settings, times in microseconds. */
export interface MultiPaxosConfig {
  readonly cluster: PaxosCluster;
  /** The proposer that campaigns at start (the others wait until a client turns to them). */
  readonly preferredLeader: string;
  /** How long after start the preferred leader runs phase 1. */
  readonly bootUs: number;
  /** Phase 1 without a majority of promises after this long starts again with a higher ballot. */
  readonly phaseTimeoutUs: number;
  /** Period of ACCEPT resends for unchosen slots, and of CHOSEN resends to learners. */
  readonly resendUs: number;
  /** A follower that learned of a leader this recently forwards requests to it instead of campaigning. */
  readonly leaderLeaseUs: number;
  readonly backoff: BackoffConfig;
  readonly roundBlock: number;
}
