/**
 * 3PC's termination protocol (Skeen 1981; Bernstein, Hadzilacos, Goodman ch. 7): when the
 * coordinator is gone, the lowest-id participant it can reach collects the states of the others and
 * applies one rule. A recovering coordinator runs the same round. The rule is sound when failures
 * are crashes that everyone detects; a partition gives each side its own leader and its own rule,
 * which is how 3PC loses atomicity.
 */
import { assertNever } from "../../sim/assert.js";
import type { NodeContext, NodeId } from "../../sim/node.js";
import type { Decision } from "../txn/decision.js";
import { keyOf } from "../txn/keys.js";
import type { PeerState, ThreePcMessage } from "./messages.js";

/** One participant's answer to STATE_REQ. */
export interface Report {
  readonly state: PeerState;
  /** Read back from the log after a crash: an `uncertain` such site may have missed a PreCommit. */
  readonly recovered: boolean;
}

/** What the rule says to do with the reports collected. */
export type Verdict = "commit" | "abort" | "precommit" | "wait";

/**
 * Any aborted => abort; any committed => commit; any precommitted => everyone voted yes and nobody
 * aborted, so precommit the uncertain ones, then commit; all uncertain => abort, provided one of them
 * never crashed: a commit needs every live participant precommitted first, so such a site proves
 * nobody committed. If every report comes from a recovered site (a total failure), wait for more.
 */
export function terminationRule(reports: readonly Report[]): Verdict {
  if (reports.some((r) => r.state === "aborted")) return "abort";
  if (reports.some((r) => r.state === "committed")) return "commit";
  if (reports.some((r) => r.state === "precommitted")) return "precommit";
  if (reports.some((r) => !r.recovered)) return "abort";
  return "wait";
}

/** The lowest-id participant among those reachable (`ids` in canonical order): the termination leader. */
export function electLeader(ids: readonly NodeId[], reachable: (id: NodeId) => boolean): NodeId | null {
  return ids.find(reachable) ?? null;
}

/** What the node running a round does next. */
export type RoundStep = { readonly kind: "decide"; readonly decision: Decision } | { readonly kind: "pending" } | { readonly kind: "retry" };

const PENDING: RoundStep = { kind: "pending" };

/** The name of the timer a round uses (collect timeout, then PreCommit-ACK timeout). */
export const roundTimer = (tx: number): string => keyOf("term", tx);

/**
 * One round, run by the leader: STATE_REQ to every reachable participant, a verdict once all have
 * answered or the retry period is over, and for `precommit` a PreCommit phase before committing.
 */
export class TerminationRound {
  private readonly reports = new Map<NodeId, Report>();
  private stage: "collect" | "precommit" = "collect";
  private targets: readonly NodeId[] = [];
  private readonly preAcked = new Set<NodeId>();

  /** `own`: the leader's report when it is a participant itself (a recovering coordinator has none). */
  constructor(
    private readonly tx: number,
    readonly asked: readonly NodeId[],
    self: NodeId,
    own: Report | null,
    private readonly periodUs: number,
  ) {
    if (own !== null) this.reports.set(self, own);
  }

  start(ctx: NodeContext<ThreePcMessage>): RoundStep {
    if (this.asked.length === 0) return this.conclude(ctx);
    ctx.setTimer(roundTimer(this.tx), this.periodUs);
    for (const p of this.asked) ctx.send(p, { type: "STATE_REQ", tx: this.tx });
    return PENDING;
  }

  onReport(ctx: NodeContext<ThreePcMessage>, from: NodeId, report: Report): RoundStep {
    if (this.stage !== "collect" || !this.asked.includes(from)) return PENDING;
    this.reports.set(from, report);
    return this.asked.every((p) => this.reports.has(p)) ? this.conclude(ctx) : PENDING;
  }

  onPreAck(from: NodeId): RoundStep {
    if (this.stage !== "precommit" || !this.targets.includes(from)) return PENDING;
    this.preAcked.add(from);
    return this.targets.every((p) => this.preAcked.has(p)) ? { kind: "decide", decision: "commit" } : PENDING;
  }

  /** Out of time: decide on the answers in hand; a target silent about PreCommit has crashed and learns on recovery. */
  onTimer(ctx: NodeContext<ThreePcMessage>): RoundStep {
    return this.stage === "collect" ? this.conclude(ctx) : { kind: "decide", decision: "commit" };
  }

  private conclude(ctx: NodeContext<ThreePcMessage>): RoundStep {
    ctx.cancelTimer(roundTimer(this.tx));
    const verdict = terminationRule([...this.reports.values()]);
    switch (verdict) {
      case "commit":
      case "abort":
        return { kind: "decide", decision: verdict };
      case "wait":
        return { kind: "retry" };
      case "precommit":
        // The leader's own state does not matter: it decides commit itself after the others are precommitted.
        this.targets = this.asked.filter((p) => this.reports.get(p)?.state === "uncertain");
        if (this.targets.length === 0) return { kind: "decide", decision: "commit" };
        this.stage = "precommit";
        ctx.setTimer(roundTimer(this.tx), this.periodUs);
        for (const p of this.targets) ctx.send(p, { type: "PRE_COMMIT", tx: this.tx });
        return PENDING;
      default:
        return assertNever(verdict, "termination verdict");
    }
  }
}
