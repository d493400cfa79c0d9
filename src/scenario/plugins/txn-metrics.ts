/**
 * Figures of an atomic-commit run, read from the trace: outcomes, and how long participants sat
 * prepared without a decision (holding locks; the cost 2PC pays when its coordinator fails).
 */
import type { MetricCollector } from "../plugin.js";
import type { NodeId } from "../../sim/node.js";
import type { TraceEvent } from "../../sim/trace.js";

/** A collector for commits, aborts, blocked time and participants left undecided. */
export function txnMetrics(coordinator: NodeId): MetricCollector {
  /** First decision per tx by the coordinator, and by any participant (used if the coordinator never decided). */
  const coordDecision = new Map<number, string>();
  const participantDecision = new Map<number, string>();
  /** When each (participant, tx) voted yes and is still undecided: the start of its blocked time. */
  const waitingSince = new Map<string, number>();
  const decided = new Set<string>();
  let blockedUsMax = 0;
  let blockedUsTotal = 0;
  let txs = 0;
  let messages = 0;

  const block = (us: number): void => {
    blockedUsMax = Math.max(blockedUsMax, us);
    blockedUsTotal += us;
  };

  return {
    onEvent(e: TraceEvent): void {
      const node = typeof e["node"] === "string" ? e["node"] : null;
      const tx = typeof e["tx"] === "number" ? e["tx"] : null;
      if (e.type === "send") messages++;
      if (node === null || tx === null) return;
      const key = `${node}/${tx}`;
      if (e.type === "tx-begin") {
        txs++;
      } else if (e.type === "vote") {
        if (node !== coordinator && e["vote"] === "yes" && !decided.has(key) && !waitingSince.has(key)) waitingSince.set(key, e.t);
      } else if (e.type === "decide") {
        const d = e["decision"];
        if (d !== "commit" && d !== "abort") return;
        if (node === coordinator) {
          if (!coordDecision.has(tx)) coordDecision.set(tx, d);
          return;
        }
        if (!participantDecision.has(tx)) participantDecision.set(tx, d);
        if (decided.has(key)) return;
        decided.add(key);
        const since = waitingSince.get(key);
        if (since !== undefined) block(e.t - since);
        waitingSince.delete(key);
      }
    },
    result(endUs: number): Record<string, number> {
      let commits = 0;
      let aborts = 0;
      for (const tx of new Set([...coordDecision.keys(), ...participantDecision.keys()])) {
        const d = coordDecision.get(tx) ?? participantDecision.get(tx);
        if (d === "commit") commits++;
        else aborts++;
      }
      // Still-undecided participants count as blocked up to the end of the run.
      let maxUs = blockedUsMax;
      let totalUs = blockedUsTotal;
      for (const since of waitingSince.values()) {
        maxUs = Math.max(maxUs, endUs - since);
        totalUs += endUs - since;
      }
      return { txs, commits, aborts, undecided: waitingSince.size, blockedUsMax: maxUs, blockedUsTotal: totalUs, messages };
    },
  };
}
