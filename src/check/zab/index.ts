/**
 * The ZAB checkers (zab.md §4) behind the Checker interface. One suite derives the model from the
 * trace once; each invariant is a rule of it, and `only` picks which ones judge (all by default).
 */
import type { Checker } from "../checker.js";
import type { NodeId } from "../../sim/node.js";
import { agreementRule } from "./agreement.js";
import { commitCompletenessRule } from "./commit-completeness.js";
import { durabilityRule } from "./durability.js";
import { epochMonotonicityRule } from "./epochs.js";
import { integrityRule } from "./integrity.js";
import { leadershipRule } from "./leadership.js";
import { livenessRule } from "./liveness.js";
import { prefixConsistencyRule } from "./prefix-consistency.js";
import { globalPrimaryOrderRule, localPrimaryOrderRule } from "./primary-order.js";
import { primaryIntegrityRule } from "./primary-integrity.js";
import { totalOrderRule } from "./total-order.js";
import type { ZabRule } from "./rule.js";
import type { EnsembleShape } from "./shape.js";
import { ZabSuite } from "./suite.js";

export const ZAB_INVARIANTS = [
  "integrity",
  "total-order",
  "agreement",
  "local-primary-order",
  "global-primary-order",
  "primary-integrity",
  "leadership",
  "prefix-consistency",
  "committed-log-durability",
  "commit-completeness",
  "epoch-monotonicity",
  "liveness",
] as const;

export type ZabInvariant = (typeof ZAB_INVARIANTS)[number];

export { defaultShape, ENSEMBLE_EVENT, ensembleFact, shapeOfFact, type EnsembleShape } from "./shape.js";

/** The rules of the ZAB invariants (or of those in `only`). */
export function zabRules(shape: EnsembleShape, only: ReadonlySet<string> | null = null): ZabRule[] {
  const servers = new Set(shape.servers);
  const observers = new Set(shape.observers);
  const isServer = (n: NodeId): boolean => servers.has(n);
  const all: Record<ZabInvariant, () => ZabRule> = {
    integrity: integrityRule,
    "total-order": totalOrderRule,
    agreement: agreementRule,
    "local-primary-order": localPrimaryOrderRule,
    "global-primary-order": globalPrimaryOrderRule,
    "primary-integrity": primaryIntegrityRule,
    leadership: leadershipRule,
    "prefix-consistency": prefixConsistencyRule,
    "committed-log-durability": durabilityRule,
    "commit-completeness": commitCompletenessRule,
    "epoch-monotonicity": epochMonotonicityRule,
    liveness: () =>
      livenessRule({
        isServer,
        observers,
        voters: shape.servers.filter((n) => !observers.has(n)).length,
        initLimit: shape.initLimit,
        syncLimit: shape.syncLimit,
        tickUs: shape.tickTimeMs === null ? null : shape.tickTimeMs * 1000,
      }),
  };
  return ZAB_INVARIANTS.filter((name) => only === null || only.has(name)).map((name) => all[name]());
}

/** The suite as one Checker: each event's violations come out one per call, in order. */
export function suiteChecker(name: string, suite: ZabSuite): Checker {
  return {
    name,
    onEvent(e, i) {
      suite.advance(e, i);
      return suite.take();
    },
    finish(last) {
      return suite.finish(last);
    },
  };
}

/** The ZAB invariants alone, as one checker named `zab`. */
export function zabCheckers(shape: EnsembleShape, only: ReadonlySet<string> | null = null): Checker[] {
  const servers = new Set(shape.servers);
  return [suiteChecker("zab", new ZabSuite(zabRules(shape, only), (n) => servers.has(n)))];
}
