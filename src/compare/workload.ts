/**
 * The lab's workload, the same for every protocol: `commands` commands, one every 50ms with a seeded
 * jitter of up to 10ms, the first at 30ms (after Multi-Paxos and Fast Paxos have elected at start),
 * and the command a fault aims at, drawn from the same seed. Every protocol in a seed sees exactly
 * the same arrivals and the same target.
 */
import { Stream } from "../sim/random.js";

export interface Command {
  /** 1-based: the transaction number in 2PC/3PC, the client's command number in Paxos. */
  readonly cmd: number;
  readonly atUs: number;
}

export const FIRST_US = 30_000;
export const EVERY_US = 50_000;
export const JITTER_US = 10_000;
/** The run lasts this long after the last arrival: room for a 1s outage and the recovery after it. */
export const TAIL_US = 3_000_000;

export interface Workload {
  readonly commands: readonly Command[];
  /** The command faults aim at: one in the second quarter of the run. */
  readonly target: number;
  readonly untilUs: number;
}

export function workloadOf(seed: number, count: number): Workload {
  const r = new Stream(seed, "compare/workload");
  const commands = Array.from({ length: count }, (_, i) => ({ cmd: i + 1, atUs: FIRST_US + i * EVERY_US + r.between(0, JITTER_US) }));
  const lo = Math.max(1, Math.floor(count / 4) + 1);
  const hi = Math.max(lo, Math.floor(count / 2));
  const target = new Stream(seed, "compare/target").between(lo, hi);
  const last = commands[commands.length - 1]?.atUs ?? 0;
  return { commands, target, untilUs: last + TAIL_US };
}
