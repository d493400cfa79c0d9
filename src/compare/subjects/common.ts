/** Pieces every subject's scenario document shares: the network, the disk and the fault entries. */
import { assertNever } from "../../sim/assert.js";
import type { FaultPlan } from "../fault-sets.js";
import type { TraceEvent } from "../../sim/trace.js";
import type { CompareSubject, SubjectCase } from "../subject.js";

/** The lab's network: TCP-like links, 1-3ms a message; the loss fault set switches to datagrams. */
export function networkOf(plan: FaultPlan): Record<string, unknown> {
  const latency = { dist: "uniform", min: "1ms", max: "3ms" };
  if (plan.kind === "loss") return { mode: "datagram", latency, loss: plan.loss, duplicate: plan.duplicate };
  return { mode: "tcp", latency };
}

export type Pattern = Readonly<Record<string, string | number | boolean>>;

/** What a subject says about its own nodes and messages, for the fault entries. */
export interface FaultHooks {
  /** The coordinator or leader the crash and partition sets aim at. */
  readonly leader: string;
  /** The event right after which step 1, 2 or 3 of command `cmd` has happened. */
  step(phase: 1 | 2 | 3, cmd: number): Pattern;
  /** When the partition falls: as command `cmd`'s second step starts. */
  partitionAt(cmd: number): Pattern;
  /** The two sides: {leader, first voter} and {other voters, standby proposers}. */
  readonly sides: readonly (readonly string[])[];
  /** The nodes whose disks the slow-disk set slows. */
  readonly slowDisks: readonly string[];
}

export function faultsOf(plan: FaultPlan, h: FaultHooks): Record<string, unknown>[] {
  switch (plan.kind) {
    case "none":
    case "loss":
      return [];
    case "crash": {
      const when = h.step(plan.phase, plan.cmd);
      return [
        { when, crash: h.leader },
        { when, delay: plan.outageUs, restart: h.leader },
      ];
    }
    case "partition": {
      const when = h.partitionAt(plan.cmd);
      return [
        { when, partition: h.sides.map((s) => [...s]) },
        { when, delay: plan.outageUs, heal: true },
      ];
    }
    case "slow-disk":
      return h.slowDisks.map((node) => ({ at: 0, slowDisk: { node, extra: plan.extra } }));
    default:
      return assertNever(plan, "fault plan");
  }
}

/** The scenario document, as a YAML file would hold it. */
export function documentOf(name: string, c: SubjectCase, params: Record<string, unknown>, inputs: Record<string, unknown>[], faults: Record<string, unknown>[]): Record<string, unknown> {
  return {
    description: `zksim compare: ${name}, ${c.plan.kind}, seed ${c.seed}`,
    protocol: name,
    seed: c.seed,
    params,
    network: networkOf(c.plan),
    inputs,
    faults,
    run: { until: c.untilUs },
  };
}

/**
 * For a subject whose client node `client` takes `{type: submit, cmd}` inputs and traces `submit`
 * and `reply {cmd}`: which input starts a command, and the client's wait from submission to answer.
 */
export function submittingClient(client: string): Pick<CompareSubject, "commandOfInput" | "waitOf"> {
  return {
    commandOfInput(e: TraceEvent): number | null {
      const input = e["input"] as { readonly type?: unknown; readonly cmd?: unknown } | null;
      return e.type === "input" && e["node"] === client && input?.type === "submit" && typeof input.cmd === "number" ? input.cmd : null;
    },
    waitOf(e: TraceEvent): { key: string; end: boolean } | null {
      if (e["node"] !== client || typeof e["cmd"] !== "number") return null;
      if (e.type === "submit") return { key: String(e["cmd"]), end: false };
      if (e.type === "reply") return { key: String(e["cmd"]), end: true };
      return null;
    },
  };
}
