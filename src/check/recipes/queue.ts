/**
 * The distributed queue: each item is consumed at most once (two successful deletes of one item id
 * mean it was enqueued twice or deleted twice), and no acknowledged item is lost. "Lost" needs
 * evidence that the item should have been seen: a consumer's scan that started (with a sync) after
 * the item was acknowledged found the queue empty, and by the end of the run nobody consumed the item
 * or could have (`queue-take-unknown`: a delete lost with its connection or session).
 */
import type { NodeId } from "../../sim/node.js";
import type { TraceEvent } from "../../sim/trace.js";
import type { Checker, Violation } from "../checker.js";
import { int, str } from "./session-ends.js";

type Seen = { readonly node: NodeId; readonly index: number; readonly t: number };

export function queueChecker(): Checker {
  const produced = new Map<string, Seen>();
  const consumed = new Map<string, Seen>();
  const maybeTaken = new Set<string>();
  /** Consumer/queue/scan -> index of the scan's start. */
  const scanStarts = new Map<string, number>();
  /** Queue -> the latest start among scans that found it empty. */
  const emptySince = new Map<string, number>();
  const key = (queue: string, item: string): string => `${queue}\u0000${item}`;

  return {
    name: "queue",
    onEvent(e: TraceEvent, index: number): Violation | null {
      const node = str(e, "node");
      const queue = str(e, "queue");
      if (node === null || queue === null) return null;
      const item = str(e, "item");
      switch (e.type) {
        case "queue-produced":
          if (item !== null) produced.set(key(queue, item), { node, index, t: e.t });
          return null;
        case "queue-take-unknown":
          if (item !== null) maybeTaken.add(key(queue, item));
          return null;
        case "queue-scan":
        case "queue-empty": {
          const scan = int(e, "scan");
          if (scan === null) return null;
          const k = `${node}\u0000${queue}\u0000${scan}`;
          if (e.type === "queue-scan") scanStarts.set(k, index);
          const start = scanStarts.get(k);
          if (e.type === "queue-empty" && start !== undefined) emptySince.set(queue, Math.max(emptySince.get(queue) ?? -1, start));
          return null;
        }
        case "queue-consumed": {
          if (item === null) return null;
          const first = consumed.get(key(queue, item));
          if (first === undefined) {
            consumed.set(key(queue, item), { node, index, t: e.t });
            return null;
          }
          return {
            invariant: "queue-at-most-once",
            eventIndex: index,
            t: e.t,
            nodes: [first.node, node],
            message: `${queue}: item ${item} consumed by ${node} after ${first.node} consumed it at event ${first.index}`,
          };
        }
        default:
          return null;
      }
    },
    finish(lastIndex: number): readonly Violation[] {
      const out: Violation[] = [];
      for (const [k, p] of produced) {
        if (consumed.has(k) || maybeTaken.has(k)) continue;
        const [queue, item] = k.split("\u0000") as [string, string];
        const empty = emptySince.get(queue) ?? -1;
        if (empty <= p.index) continue;
        out.push({
          invariant: "queue-no-loss",
          eventIndex: lastIndex,
          t: p.t,
          nodes: [p.node],
          message: `${queue}: item ${item}, acknowledged to ${p.node} at event ${p.index}, was never consumed though a scan started at event ${empty} found the queue empty`,
        });
      }
      return out;
    },
  };
}
