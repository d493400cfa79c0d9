/** What every basic-Paxos node is built with: the cluster, the timeouts and the backoff. */
import type { BackoffConfig } from "./backoff.js";
import type { PaxosCluster } from "./cluster.js";

/** Basic Paxos settings, times in microseconds. */
export interface PaxosConfig {
  readonly cluster: PaxosCluster;
  /** A phase that has no quorum after this long starts again with a higher ballot. */
  readonly phaseTimeoutUs: number;
  /** Period of CHOSEN resends to learners that have not confirmed. */
  readonly resendUs: number;
  /** What a preempted (or timed-out) proposer waits before its next ballot. */
  readonly backoff: BackoffConfig;
  /** Rounds reserved on disk at a time (see RoundReservation). */
  readonly roundBlock: number;
}
