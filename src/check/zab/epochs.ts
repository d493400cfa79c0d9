/**
 * Monotonic epochs on disk (zab.md §4 "Epoch sanity", first half): per server, the durable
 * acceptedEpoch and currentEpoch never decrease, across crashes too, and acceptedEpoch >=
 * currentEpoch at every point a crash could strike; a restart reads back exactly the durable ones.
 *
 * Only durable writes count: a `zab-epoch` write becomes durable at the kernel's `durable` event
 * of that file (the disk completes writes in issue order, so they pair first-in first-out), and a
 * crash forgets the writes still pending. A disk fault that loses an epoch file's durable record
 * (`disk-loss`, a disk that lied about fsync) is a broken disk, not a broken protocol: the file's
 * value is then unknown and judged afresh from its next write.
 *
 * Not judged: currentEpoch >= epoch(last logged zxid). ZooKeeper 3.8.6's learner logs the sync's
 * proposals before it writes currentEpoch at NEWLEADER, so a crash between the two leaves the log
 * ahead (the ZOOKEEPER-1653 situation, which the server handles at start).
 */
import type { NodeId } from "../../sim/node.js";
import type { TraceEvent } from "../../sim/trace.js";
import type { ZabRule } from "./rule.js";

const FILES = ["acceptedEpoch", "currentEpoch"] as const;
type EpochFile = (typeof FILES)[number];

interface Disk {
  readonly pending: Record<EpochFile, number[]>;
  readonly durable: Record<EpochFile, number | null>;
}

const isEpochFile = (f: unknown): f is EpochFile => f === "acceptedEpoch" || f === "currentEpoch";

export function epochMonotonicityRule(): ZabRule {
  const disks = new Map<NodeId, Disk>();
  const disk = (node: NodeId): Disk => {
    let d = disks.get(node);
    if (d === undefined) {
      d = { pending: { acceptedEpoch: [], currentEpoch: [] }, durable: { acceptedEpoch: null, currentEpoch: null } };
      disks.set(node, d);
    }
    return d;
  };
  return {
    invariant: "epoch-monotonicity",
    eventTypes: ["zab-epoch", "durable", "crash", "disk-loss", "zab-start"],
    onEvent(_m, e: TraceEvent) {
      const node = e["node"];
      if (typeof node !== "string") return null;
      switch (e.type) {
        case "zab-epoch": {
          const epoch = e["epoch"];
          if (typeof epoch !== "number") return null;
          disk(node).pending[e["which"] === "accepted" ? "acceptedEpoch" : "currentEpoch"].push(epoch);
          return null;
        }
        case "durable": {
          const file = e["file"];
          if (!isEpochFile(file)) return null;
          const d = disk(node);
          const v = d.pending[file].shift();
          if (v === undefined) return null;
          const before = d.durable[file];
          d.durable[file] = v;
          if (before !== null && v < before) return { nodes: [node], message: `${node}'s durable ${file} went back from ${before} to ${v}` };
          const a = d.durable.acceptedEpoch;
          const c = d.durable.currentEpoch;
          if (a !== null && c !== null && a < c) return { nodes: [node], message: `${node}'s durable acceptedEpoch ${a} is below its durable currentEpoch ${c}` };
          return null;
        }
        case "crash": {
          const d = disks.get(node);
          if (d !== undefined) for (const f of FILES) d.pending[f].length = 0;
          return null;
        }
        case "disk-loss": {
          const file = e["file"];
          if (isEpochFile(file)) disk(node).durable[file] = null;
          return null;
        }
        case "zab-start": {
          const d = disks.get(node);
          if (d === undefined) return null;
          for (const f of FILES) {
            const read = e[f];
            const durable = d.durable[f];
            if (durable !== null && read !== durable) return { nodes: [node], message: `${node} started with ${f} ${String(read)}, but ${durable} was durable` };
          }
          return null;
        }
        default:
          return null;
      }
    },
  };
}
