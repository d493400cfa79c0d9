/**
 * The values the Paxos family chooses: a client's command as `"<client>:<number>"` (`"c1:3"`), or
 * the no-op a new leader puts in a slot that nobody can have chosen anything for. Values are plain
 * strings so that trace events and checkers compare them byte for byte.
 */
import type { NodeId } from "../../sim/node.js";

export const NOOP = "noop";

export const commandValue = (client: NodeId, cmd: number): string => `${client}:${cmd}`;

/** The client and command number a value stands for, or null for the no-op. */
export function commandOf(value: string): { readonly client: NodeId; readonly cmd: number } | null {
  const colon = value.lastIndexOf(":");
  if (colon <= 0) return null;
  const cmd = Number(value.slice(colon + 1));
  return Number.isSafeInteger(cmd) ? { client: value.slice(0, colon), cmd } : null;
}
