/**
 * Figures of a Paxos-family run, read from the trace: what the clients got (a command committed
 * when its own value was chosen, lost when another value took its instance), how hard the
 * proposers had to work (ballots, preemptions, collisions, recoveries), and the costs.
 */
import type { TraceEvent } from "../../sim/trace.js";
import type { MetricCollector } from "../plugin.js";

export function paxosMetrics(): MetricCollector {
  const submittedAt = new Map<string, number>();
  const replied = new Set<string>();
  const chosen = new Set<number>();
  const noops = new Set<number>();
  const counts = { committed: 0, lost: 0, ballots: 0, preemptions: 0, collisions: 0, recoveries: 0, leaders: 0, messages: 0, fsyncs: 0 };
  let commitUsMax = 0;
  return {
    onEvent(e: TraceEvent): void {
      switch (e.type) {
        case "send":
          counts.messages++;
          return;
        case "durable":
          counts.fsyncs++;
          return;
        case "submit":
          submittedAt.set(`${String(e["node"])}/${String(e["cmd"])}`, e.t);
          return;
        case "reply": {
          const key = `${String(e["node"])}/${String(e["cmd"])}`;
          if (replied.has(key)) return;
          replied.add(key);
          if (e["ok"] === true) {
            counts.committed++;
            commitUsMax = Math.max(commitUsMax, e.t - (submittedAt.get(key) ?? e.t));
          } else counts.lost++;
          return;
        }
        case "prepare":
        case "campaign":
          counts.ballots++;
          return;
        case "preempted":
        case "step-down":
          counts.preemptions++;
          return;
        case "collision":
          counts.collisions++;
          return;
        case "recover":
          counts.recoveries++;
          return;
        case "leader":
          counts.leaders++;
          return;
        case "chosen":
          if (typeof e["inst"] === "number") {
            chosen.add(e["inst"]);
            if (e["val"] === "noop") noops.add(e["inst"]);
          }
          return;
        default:
          return;
      }
    },
    result(): Record<string, number> {
      return {
        submitted: submittedAt.size,
        ...counts,
        unanswered: submittedAt.size - replied.size,
        chosen: chosen.size,
        noops: noops.size,
        commitUsMax,
      };
    },
  };
}
