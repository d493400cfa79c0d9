/** Network settings and the pure parts of the network model (latency draws, partition shapes). */
import { assert } from "./assert.js";
import { NEVER, type Ratio, type Stream } from "./random.js";
import type { NodeId } from "./node.js";

/**
 * A latency distribution in integer microseconds. `bell` sums four uniform draws (a cheap,
 * integer-only approximation of a normal curve between min and max); `tail` adds a rare extra delay.
 */
export interface LatencySpec {
  readonly dist: "fixed" | "uniform" | "bell";
  readonly minUs: number;
  readonly maxUs: number;
  readonly tail?: { readonly ratio: Ratio; readonly minUs: number; readonly maxUs: number };
}

export type NetworkMode = "tcp" | "datagram";

export interface NetworkConfig {
  /** `tcp`: FIFO, reliable while connected, connections break and must be reopened. `datagram`: lossy. */
  readonly mode: NetworkMode;
  /** `auto`: the kernel opens connections between every pair of live nodes (at start, restart, heal). */
  readonly connect: "auto" | "explicit";
  readonly latency: LatencySpec;
  /** How long after a partition both ends learn that their connection broke. */
  readonly breakDetectUs: number;
  /** How long a connect attempt to an unreachable peer takes to fail. */
  readonly connectTimeoutUs: number;
  /** TCP mode: a lost segment is retransmitted after this long (head-of-line blocking, no gap). */
  readonly retransmitUs: number;
  /** Datagram mode: per-message loss and duplication on every link. */
  readonly loss: Ratio;
  readonly duplicate: Ratio;
}

export const DEFAULT_NETWORK: NetworkConfig = {
  mode: "tcp",
  connect: "auto",
  latency: { dist: "uniform", minUs: 200, maxUs: 1_000 },
  breakDetectUs: 0,
  connectTimeoutUs: 5_000_000,
  retransmitUs: 200_000,
  loss: NEVER,
  duplicate: NEVER,
};

/** Faults on one direction of one link. */
export interface LinkFaults {
  readonly loss: Ratio;
  readonly extraDelayUs: number;
}

export function drawLatency(spec: LatencySpec, r: Stream): number {
  let us: number;
  switch (spec.dist) {
    case "fixed":
      us = spec.minUs;
      break;
    case "uniform":
      us = r.between(spec.minUs, spec.maxUs);
      break;
    case "bell": {
      const span = spec.maxUs - spec.minUs;
      let sum = 0;
      for (let i = 0; i < 4; i++) sum += r.between(0, span);
      us = spec.minUs + Math.floor(sum / 4);
      break;
    }
  }
  if (spec.tail && r.chance(spec.tail.ratio)) us += r.between(spec.tail.minUs, spec.tail.maxUs);
  return us;
}

export function validateLatency(spec: LatencySpec): void {
  assert(Number.isSafeInteger(spec.minUs) && spec.minUs >= 0, "latency minUs must be a non-negative integer");
  assert(Number.isSafeInteger(spec.maxUs) && spec.maxUs >= spec.minUs, "latency maxUs must be >= minUs");
}

/** Directed pairs blocked by a partition into sides: every pair across two different sides. */
export function partitionPairs(sides: readonly (readonly NodeId[])[]): [NodeId, NodeId][] {
  const pairs: [NodeId, NodeId][] = [];
  for (let i = 0; i < sides.length; i++) {
    for (let j = 0; j < sides.length; j++) {
      if (i === j) continue;
      for (const a of sides[i] ?? []) for (const b of sides[j] ?? []) pairs.push([a, b]);
    }
  }
  return pairs;
}

/** Directed pairs blocked one way: nothing from `from` reaches `to`. */
export function oneWayPairs(from: readonly NodeId[], to: readonly NodeId[]): [NodeId, NodeId][] {
  const pairs: [NodeId, NodeId][] = [];
  for (const a of from) for (const b of to) if (a !== b) pairs.push([a, b]);
  return pairs;
}

/** Jepsen's bridge: two sides that cannot talk, and one node that talks to both. */
export function bridgePairs(left: readonly NodeId[], bridge: NodeId, right: readonly NodeId[]): [NodeId, NodeId][] {
  assert(!left.includes(bridge) && !right.includes(bridge), "the bridge node must not be on either side");
  return partitionPairs([left, right]);
}

export const linkKey = (from: NodeId, to: NodeId): string => `${from}>${to}`;
