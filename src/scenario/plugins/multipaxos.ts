/** Multi-Paxos as a scenario protocol (`protocol: multipaxos`): a stable leader, one log, phase 1 once per leadership. */
import { z } from "zod";
import { LogAcceptor } from "../../protocols/multipaxos/acceptor.js";
import type { MultiPaxosConfig } from "../../protocols/multipaxos/config.js";
import { MultiPaxosLeader } from "../../protocols/multipaxos/leader.js";
import type { Message, NodeFactory } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import type { NodeSpec, ProtocolPlugin } from "../plugin.js";
import { backoffOf, backoffParam, clusterOf, clusterShape, commandsParam, roundReservationParam, sharedTimeouts, submitInputs } from "./paxos-params.js";
import { paxosMetrics } from "./paxos-metrics.js";
import { consensusCheckers, paxosNodeSpecs } from "./paxos-nodes.js";
import { describePaxosEvent } from "./paxos-story.js";
import { period } from "./txn-params.js";

export const leaderTimeouts = {
  ...sharedTimeouts,
  boot: period.prefault("5ms"),
  leaderLease: period.prefault("500ms"),
};

export const multipaxosParams = z.strictObject({
  ...clusterShape,
  commands: commandsParam,
  timeouts: z.strictObject(leaderTimeouts).prefault({}),
  backoff: backoffParam,
  roundReservation: roundReservationParam,
});

export type MultiPaxosParams = z.output<typeof multipaxosParams>;

export const multipaxosConfig = (p: MultiPaxosParams): MultiPaxosConfig => {
  const cluster = clusterOf(p);
  return {
    cluster,
    preferredLeader: cluster.proposers[0] as string,
    bootUs: p.timeouts.boot,
    phaseTimeoutUs: p.timeouts.phase,
    resendUs: p.timeouts.resend,
    leaderLeaseUs: p.timeouts.leaderLease,
    backoff: backoffOf(p.backoff),
    roundBlock: p.roundReservation,
  };
};

type Factory = NodeFactory<Message, TraceValue>;

/** Multi-Paxos: p1 leads from the start; a client that gets no answer turns to another proposer, which takes over. */
export const multipaxosPlugin: ProtocolPlugin<MultiPaxosParams> = {
  name: "multipaxos",
  description: "Multi-Paxos: a stable leader runs phase 1 once for all slots; a new leader re-proposes and fills gaps with no-ops",
  params: multipaxosParams,
  nodes(params: MultiPaxosParams): readonly NodeSpec[] {
    const cfg = multipaxosConfig(params);
    return paxosNodeSpecs(
      cfg.cluster,
      "proposer",
      ((id: string) => new MultiPaxosLeader(id, cfg)) as unknown as Factory,
      ((id: string) => new LogAcceptor(id, { cluster: cfg.cluster, fast: false })) as unknown as Factory,
      { retryUs: params.timeouts.client, fast: false },
    );
  },
  inputs: (params) => submitInputs(clusterOf(params), params.commands),
  checkers: (params) => consensusCheckers(params.acceptors),
  metrics: () => paxosMetrics(),
  describe: describePaxosEvent,
};
