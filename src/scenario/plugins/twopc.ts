/** Two-Phase Commit as a scenario protocol (`protocol: twopc`): its params, nodes, workload, checkers and figures. */
import { z } from "zod";
import { atomicityChecker } from "../../check/atomicity.js";
import type { TwoPcConfig } from "../../protocols/twopc/config.js";
import { TwoPcCoordinator } from "../../protocols/twopc/coordinator.js";
import { TwoPcParticipant } from "../../protocols/twopc/participant.js";
import { COORDINATOR, participantIds } from "../../protocols/txn/cluster.js";
import type { NodeSpec, ProtocolPlugin } from "../plugin.js";
import { txnMetrics } from "./txn-metrics.js";
import { describeTxnEvent } from "./txn-story.js";
import { beginInputs, checkNoVotes, txnNodeSpecs, noVotesParam, participantsParam, period, transactionsParam } from "./txn-params.js";

/** 2PC params; every field has a default. */
export const twopcParams = z
  .strictObject({
    participants: participantsParam,
    transactions: transactionsParam,
    timeouts: z
      .strictObject({
        voteTimeout: period.prefault("100ms"),
        decisionTimeout: period.prefault("200ms"),
        retry: period.prefault("100ms"),
      })
      .prefault({}),
    noVotes: noVotesParam,
  })
  .superRefine(checkNoVotes);

/** Parsed 2PC params, defaults filled in, durations in microseconds. */
export type TwoPcParams = z.output<typeof twopcParams>;

/** The node settings the params describe. */
export const twopcConfig = (p: TwoPcParams): TwoPcConfig => ({
  participants: participantIds(p.participants),
  voteTimeoutUs: p.timeouts.voteTimeout,
  decisionTimeoutUs: p.timeouts.decisionTimeout,
  retryUs: p.timeouts.retry,
  noVotes: p.noVotes,
});

/** Two-Phase Commit: a coordinator `coord` and participants `p1..pN`, presumed abort, cooperative termination. */
export const twopcPlugin: ProtocolPlugin<TwoPcParams> = {
  name: "twopc",
  description: "Two-Phase Commit with presumed abort and cooperative termination (blocks while the coordinator is down)",
  params: twopcParams,
  nodes(params: TwoPcParams): readonly NodeSpec[] {
    const cfg = twopcConfig(params);
    return txnNodeSpecs(
      cfg.participants,
      () => new TwoPcCoordinator(cfg),
      (id) => new TwoPcParticipant(id, cfg),
    );
  },
  inputs: (params) => beginInputs(params.transactions),
  checkers: () => [atomicityChecker()],
  metrics: () => txnMetrics(COORDINATOR),
  describe: describeTxnEvent,
};
