/** What every Fast Paxos node is built with. */
import type { MultiPaxosConfig } from "../multipaxos/config.js";

/** Fast Paxos settings: Multi-Paxos's, plus how long a fast round may take. Times in microseconds. */
export interface FastPaxosConfig extends MultiPaxosConfig {
  /** After the first fast vote for an instance, how long the coordinator waits for a fast quorum before recovering. */
  readonly fastTimeoutUs: number;
}
