/** Three-Phase Commit as a scenario protocol (`protocol: threepc`): its params, nodes, workload, checkers and figures. */
import { z } from "zod";
import { atomicityChecker } from "../../check/atomicity.js";
import type { ThreePcConfig } from "../../protocols/threepc/config.js";
import { ThreePcCoordinator } from "../../protocols/threepc/coordinator.js";
import { ThreePcParticipant } from "../../protocols/threepc/participant.js";
import { COORDINATOR, participantIds } from "../../protocols/txn/cluster.js";
import type { NodeSpec, ProtocolPlugin } from "../plugin.js";
import { txnMetrics } from "./txn-metrics.js";
import { describeTxnEvent } from "./txn-story.js";
import { beginInputs, checkNoVotes, txnNodeSpecs, noVotesParam, participantsParam, period, transactionsParam } from "./txn-params.js";

/** 3PC params; every field has a default. */
export const threepcParams = z
  .strictObject({
    participants: participantsParam,
    transactions: transactionsParam,
    timeouts: z
      .strictObject({
        voteTimeout: period.prefault("100ms"),
        ackTimeout: period.prefault("100ms"),
        precommitTimeout: period.prefault("300ms"),
        commitTimeout: period.prefault("300ms"),
        retry: period.prefault("50ms"),
      })
      .prefault({}),
    noVotes: noVotesParam,
  })
  .superRefine(checkNoVotes);

/** Parsed 3PC params, defaults filled in, durations in microseconds. */
export type ThreePcParams = z.output<typeof threepcParams>;

/** The node settings the params describe. */
export const threepcConfig = (p: ThreePcParams): ThreePcConfig => ({
  participants: participantIds(p.participants),
  voteTimeoutUs: p.timeouts.voteTimeout,
  ackTimeoutUs: p.timeouts.ackTimeout,
  precommitTimeoutUs: p.timeouts.precommitTimeout,
  commitTimeoutUs: p.timeouts.commitTimeout,
  retryUs: p.timeouts.retry,
  noVotes: p.noVotes,
});

/** Three-Phase Commit: a coordinator `coord` and participants `p1..pN`, with timeouts and a termination protocol. */
export const threepcPlugin: ProtocolPlugin<ThreePcParams> = {
  name: "threepc",
  description: "Three-Phase Commit with a termination protocol (non-blocking under crashes, split by partitions)",
  params: threepcParams,
  nodes(params: ThreePcParams): readonly NodeSpec[] {
    const cfg = threepcConfig(params);
    return txnNodeSpecs(
      cfg.participants,
      () => new ThreePcCoordinator(cfg),
      (id) => new ThreePcParticipant(id, cfg),
    );
  },
  inputs: (params) => beginInputs(params.transactions),
  checkers: () => [atomicityChecker()],
  metrics: () => txnMetrics(COORDINATOR),
  describe: describeTxnEvent,
};
