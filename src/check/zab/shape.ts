/**
 * What the ZooKeeper checkers must know of the ensemble that no single event says: which nodes are
 * servers, which of them observe, and the zoo.cfg limits the liveness bound is made of. A run
 * traces it once, at the start, as an `ensemble` event, so that `zksim check` of a trace file
 * judges with the very shape the online checkers had (older traces lack it: `defaultShape`).
 */
import type { NodeId } from "../../sim/node.js";
import type { TraceEvent, TraceFields } from "../../sim/trace.js";

export interface EnsembleShape {
  /** Server node ids (s1, s2, ...), voters and observers. */
  readonly servers: readonly NodeId[];
  readonly observers: readonly NodeId[];
  /** zoo.cfg tickTime; null: unknown, the liveness rule reads the tick off the leaders' timers. */
  readonly tickTimeMs: number | null;
  readonly initLimit: number;
  readonly syncLimit: number;
}

export const ENSEMBLE_EVENT = "ensemble";

/** A shape for traces that do not say more: servers are the nodes named s<N>, limits as generated zoo.cfg files have them. */
export const defaultShape = (nodes: readonly NodeId[], observers: readonly NodeId[] = []): EnsembleShape => ({
  servers: nodes.filter((n) => /^s\d+$/.test(n)),
  observers,
  tickTimeMs: null,
  initLimit: 10,
  syncLimit: 5,
});

/** The shape as the run traces it (one canonical line, right after the `scenario` event). */
export function ensembleFact(shape: EnsembleShape): TraceFields {
  return {
    type: ENSEMBLE_EVENT,
    servers: [...shape.servers],
    observers: [...shape.observers],
    tickTimeMs: shape.tickTimeMs,
    initLimit: shape.initLimit,
    syncLimit: shape.syncLimit,
  };
}

/** The shape an `ensemble` event states, or what is wrong with the event. */
export function shapeOfFact(e: TraceEvent): EnsembleShape | string {
  const ids = (key: string): NodeId[] | string => {
    const v = e[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) return `"${key}": expected an array of node ids`;
    return v as NodeId[];
  };
  const positive = (key: string): number | string => {
    const v = e[key];
    return Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : `"${key}": expected a positive integer`;
  };
  const servers = ids("servers");
  if (typeof servers === "string") return servers;
  const observers = ids("observers");
  if (typeof observers === "string") return observers;
  const stray = observers.find((o) => !servers.includes(o));
  if (stray !== undefined) return `"observers": ${stray} is not among the servers`;
  const tickTimeMs = e["tickTimeMs"] === null ? null : positive("tickTimeMs");
  if (typeof tickTimeMs === "string") return tickTimeMs;
  const initLimit = positive("initLimit");
  if (typeof initLimit === "string") return initLimit;
  const syncLimit = positive("syncLimit");
  if (typeof syncLimit === "string") return syncLimit;
  return { servers, observers, tickTimeMs, initLimit, syncLimit };
}
