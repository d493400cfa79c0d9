/** The checkers and node list every Paxos-family plugin builds the same way. */
import type { Checker } from "../../check/checker.js";
import { learnerAgreementChecker } from "../../check/learner-agreement.js";
import { singleChoiceChecker } from "../../check/single-choice.js";
import { stableChoiceChecker } from "../../check/stable-choice.js";
import { PaxosClient } from "../../protocols/paxos/client.js";
import type { PaxosCluster } from "../../protocols/paxos/cluster.js";
import { PaxosLearner } from "../../protocols/paxos/learner.js";
import type { Message, NodeFactory } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import type { NodeSpec } from "../plugin.js";
import { preferredProposer } from "./paxos-params.js";

/** The three consensus invariants, for a run with `acceptors` acceptors. */
export function consensusCheckers(acceptors: number): Checker[] {
  return [singleChoiceChecker({ acceptors }), learnerAgreementChecker(), stableChoiceChecker({ acceptors })];
}

type Factory = NodeFactory<Message, TraceValue>;

/** Proposers, acceptors, learners, then clients. */
export function paxosNodeSpecs(
  cluster: PaxosCluster,
  proposerRole: string,
  proposer: Factory,
  acceptor: Factory,
  client: { readonly retryUs: number; readonly fast: boolean },
): NodeSpec[] {
  return [
    ...cluster.proposers.map((id) => ({ id, role: proposerRole, factory: proposer })),
    ...cluster.acceptors.map((id) => ({ id, role: "acceptor", factory: acceptor })),
    ...cluster.learners.map((id) => ({ id, role: "learner", factory: ((lid: string) => new PaxosLearner(lid)) as unknown as Factory })),
    ...cluster.clients.map((id) => ({
      id,
      role: "client",
      factory: ((cid: string) =>
        new PaxosClient(cid, { proposers: cluster.proposers, acceptors: cluster.acceptors, preferred: preferredProposer(cluster, cid), ...client })) as unknown as Factory,
    })),
  ];
}
