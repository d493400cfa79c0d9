/**
 * The client-visible checkers, and every ZooKeeper checker as the zookeeper plugin and
 * `zksim check` run them: one suite (check/zab/suite.ts) whose model the client rules read too.
 */
import type { Checker } from "../checker.js";
import type { NodeId } from "../../sim/node.js";
import { suiteChecker, zabRules, type EnsembleShape } from "../zab/index.js";
import type { ZabRule } from "../zab/rule.js";
import { ZabSuite } from "../zab/suite.js";
import { ephemeralsRule } from "./ephemerals.js";
import { linearizabilityRule } from "./linearizability.js";
import { sessionExpiryRule } from "./session-expiry.js";
import { sessionOrderRule } from "./session-order.js";
import { syncFreshnessRule } from "./sync-freshness.js";
import { watchOrderRule } from "./watch-order.js";

export const CLIENT_INVARIANTS = ["session-order", "sync-freshness", "watch-order", "ephemerals", "session-expiry", "linearizability"] as const;
export type ClientInvariant = (typeof CLIENT_INVARIANTS)[number];

export function clientRules(isServer: (n: NodeId) => boolean, only: ReadonlySet<string> | null = null): ZabRule[] {
  const all: Record<ClientInvariant, () => ZabRule> = {
    "session-order": () => sessionOrderRule(isServer),
    "sync-freshness": syncFreshnessRule,
    "watch-order": watchOrderRule,
    ephemerals: ephemeralsRule,
    "session-expiry": sessionExpiryRule,
    linearizability: () => linearizabilityRule(),
  };
  return CLIENT_INVARIANTS.filter((n) => only === null || only.has(n)).map((n) => all[n]());
}

/** Every ZAB and client invariant (or those in `only`) as one checker named `zookeeper`. */
export function zookeeperCheckers(shape: EnsembleShape, only: ReadonlySet<string> | null = null): Checker[] {
  const servers = new Set(shape.servers);
  const isServer = (n: NodeId): boolean => servers.has(n);
  return [suiteChecker("zookeeper", new ZabSuite([...zabRules(shape, only), ...clientRules(isServer, only)], isServer))];
}
