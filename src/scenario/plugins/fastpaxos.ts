/** Fast Paxos as a scenario protocol (`protocol: fastpaxos`): clients propose straight to the acceptors. */
import { z } from "zod";
import { FastPaxosCoordinator } from "../../protocols/fastpaxos/coordinator.js";
import type { FastPaxosConfig } from "../../protocols/fastpaxos/config.js";
import { LogAcceptor } from "../../protocols/multipaxos/acceptor.js";
import type { Message, NodeFactory } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import type { NodeSpec, ProtocolPlugin } from "../plugin.js";
import { leaderTimeouts, multipaxosConfig } from "./multipaxos.js";
import { backoffParam, clusterShape, commandsParam, roundReservationParam, submitInputs, clusterOf } from "./paxos-params.js";
import { paxosMetrics } from "./paxos-metrics.js";
import { consensusCheckers, paxosNodeSpecs } from "./paxos-nodes.js";
import { describePaxosEvent } from "./paxos-story.js";
import { period } from "./txn-params.js";

export const fastpaxosParams = z.strictObject({
  ...clusterShape,
  commands: commandsParam,
  timeouts: z.strictObject({ ...leaderTimeouts, fast: period.prefault("30ms") }).prefault({}),
  backoff: backoffParam,
  roundReservation: roundReservationParam,
});

export type FastPaxosParams = z.output<typeof fastpaxosParams>;

export const fastpaxosConfig = (p: FastPaxosParams): FastPaxosConfig => ({ ...multipaxosConfig(p), fastTimeoutUs: p.timeouts.fast });

type Factory = NodeFactory<Message, TraceValue>;

/** Fast Paxos: coordinators p* (p1 first), acceptors a*, learners l*, clients c* that propose to every acceptor. */
export const fastpaxosPlugin: ProtocolPlugin<FastPaxosParams> = {
  name: "fastpaxos",
  description: "Fast Paxos: clients propose straight to the acceptors (fast quorum ⌈3n/4⌉); collisions recover through a classic round",
  params: fastpaxosParams,
  nodes(params: FastPaxosParams): readonly NodeSpec[] {
    const cfg = fastpaxosConfig(params);
    return paxosNodeSpecs(
      cfg.cluster,
      "coordinator",
      ((id: string) => new FastPaxosCoordinator(id, cfg)) as unknown as Factory,
      ((id: string) => new LogAcceptor(id, { cluster: cfg.cluster, fast: true })) as unknown as Factory,
      { retryUs: params.timeouts.client, fast: true },
    );
  },
  inputs: (params) => submitInputs(clusterOf(params), params.commands),
  checkers: (params) => consensusCheckers(params.acceptors),
  metrics: () => paxosMetrics(),
  describe: describePaxosEvent,
};
