/** Basic Paxos as a scenario protocol (`protocol: paxos`): one single-decree instance per command. */
import { z } from "zod";
import { PaxosAcceptor } from "../../protocols/paxos/acceptor.js";
import type { PaxosConfig } from "../../protocols/paxos/config.js";
import { PaxosProposer } from "../../protocols/paxos/proposer.js";
import type { Message, NodeFactory } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import type { NodeSpec, ProtocolPlugin } from "../plugin.js";
import { backoffOf, backoffParam, clusterOf, clusterShape, commandsParam, roundReservationParam, sharedTimeouts, submitInputs } from "./paxos-params.js";
import { paxosMetrics } from "./paxos-metrics.js";
import { consensusCheckers, paxosNodeSpecs } from "./paxos-nodes.js";
import { describePaxosEvent } from "./paxos-story.js";

export const paxosParams = z.strictObject({
  ...clusterShape,
  commands: commandsParam,
  timeouts: z.strictObject(sharedTimeouts).prefault({}),
  backoff: backoffParam,
  roundReservation: roundReservationParam,
});

export type PaxosParams = z.output<typeof paxosParams>;

export const paxosConfig = (p: PaxosParams): PaxosConfig => ({
  cluster: clusterOf(p),
  phaseTimeoutUs: p.timeouts.phase,
  resendUs: p.timeouts.resend,
  backoff: backoffOf(p.backoff),
  roundBlock: p.roundReservation,
});

type Factory = NodeFactory<Message, TraceValue>;

/** Basic Paxos: proposers p*, acceptors a* (durable), learners l*, clients c*; instance k decides command k. */
export const paxosPlugin: ProtocolPlugin<PaxosParams> = {
  name: "paxos",
  description: "Basic (single-decree) Paxos, one instance per command: proposers, durable acceptors, learners; backoff cures duelling proposers",
  params: paxosParams,
  nodes(params: PaxosParams): readonly NodeSpec[] {
    const cfg = paxosConfig(params);
    return paxosNodeSpecs(
      cfg.cluster,
      "proposer",
      ((id: string) => new PaxosProposer(id, cfg)) as unknown as Factory,
      ((id: string) => new PaxosAcceptor(id)) as unknown as Factory,
      { retryUs: params.timeouts.client, fast: false },
    );
  },
  inputs: (params) => submitInputs(clusterOf(params), params.commands),
  checkers: (params) => consensusCheckers(params.acceptors),
  metrics: () => paxosMetrics(),
  describe: describePaxosEvent,
};
