/** The `params:` pieces the Paxos family shares: cluster size, the clients' workload, timeouts and backoff. */
import { z } from "zod";
import type { BackoffConfig } from "../../protocols/paxos/backoff.js";
import { paxosCluster, type PaxosCluster } from "../../protocols/paxos/cluster.js";
import type { SubmitInput } from "../../protocols/paxos/client.js";
import type { ScheduledInput } from "../plugin.js";
import { duration } from "../schema-types.js";
import { period } from "./txn-params.js";

/** Who runs: acceptors decide, proposers (coordinators, leaders) drive, learners are told, clients ask. */
export const clusterShape = {
  acceptors: z.number().int().min(1).max(25).default(3).meta({ description: "Acceptors (n): classic quorums are majorities" }),
  proposers: z.number().int().min(1).max(9).default(2).meta({ description: "Proposers p1..pP (p1 is asked first)" }),
  learners: z.number().int().min(0).max(9).default(2).meta({ description: "Learners l1..lL, told each chosen value" }),
  clients: z.number().int().min(1).max(9).default(1).meta({ description: "Clients c1..cC; client ci asks proposer p((i-1) mod P + 1) first" }),
};

/** Each client submits commands 1..count, the first at `start`, then one every `every`. */
export const commandsParam = z
  .strictObject({
    count: z.number().int().min(0).max(100_000).default(1),
    // After the preferred leader's phase 1 (about 5ms in): Fast Paxos's clients need its "any".
    start: duration.prefault("20ms"),
    every: duration.prefault("100ms"),
  })
  .prefault({});

export const backoffParam = z
  .strictObject({
    enabled: z.boolean().default(true).meta({ description: "false: a preempted proposer retries at once (duelling proposers can livelock)" }),
    min: duration.prefault("1ms"),
    max: duration.prefault("40ms"),
  })
  .prefault({})
  .refine((b) => b.max >= b.min, { message: "backoff.max must be at least backoff.min" });

/** Rounds a proposer reserves on disk at a time. */
export const roundReservationParam = z.number().int().min(1).max(1_000_000).default(1000);

export const sharedTimeouts = {
  phase: period.prefault("60ms"),
  client: period.prefault("200ms"),
  resend: period.prefault("50ms"),
};

export type CommandsParam = z.output<typeof commandsParam>;

export function clusterOf(p: { readonly acceptors: number; readonly proposers: number; readonly learners: number; readonly clients: number }): PaxosCluster {
  return paxosCluster(p);
}

export const backoffOf = (b: { readonly enabled: boolean; readonly min: number; readonly max: number }): BackoffConfig => ({ enabled: b.enabled, minUs: b.min, maxUs: b.max });

/** Client ci asks proposer p((i-1) mod P + 1) first: with two clients and two proposers, they duel. */
export const preferredProposer = (cluster: PaxosCluster, client: string): string =>
  cluster.proposers[cluster.clients.indexOf(client) % cluster.proposers.length] as string;

/** The workload: every client submits commands 1..count at the same times. */
export function submitInputs(cluster: PaxosCluster, c: CommandsParam): ScheduledInput[] {
  const out: ScheduledInput[] = [];
  for (let k = 1; k <= c.count; k++) {
    for (const client of cluster.clients) {
      const input: SubmitInput = { type: "submit", cmd: k };
      out.push({ atUs: c.start + (k - 1) * c.every, node: client, input });
    }
  }
  return out;
}
