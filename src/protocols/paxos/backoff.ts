/**
 * What a preempted proposer waits before trying a higher ballot. Without backoff it retries at
 * once, and two proposers can preempt each other forever (the duelling-proposers livelock of
 * "Paxos Made Simple", §2.4); a randomised wait lets one of them finish first.
 */
import type { Stream } from "../../sim/random.js";

export interface BackoffConfig {
  readonly enabled: boolean;
  readonly minUs: number;
  readonly maxUs: number;
}

export const retryDelayUs = (b: BackoffConfig, random: Stream): number => (b.enabled ? random.between(b.minUs, b.maxUs) : 0);
