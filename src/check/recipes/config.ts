/**
 * The configuration service: a data version always carries the same value (what was written with
 * it); within one session a reader's versions never go backwards (ZooKeeper's single system image:
 * a client never sees an older state, even after it fails over); and at the end every reader's last
 * read is at least the last acknowledged write (it saw the last write, or a newer one whose
 * acknowledgement was lost).
 */
import type { NodeId } from "../../sim/node.js";
import type { TraceEvent } from "../../sim/trace.js";
import type { Checker, Violation } from "../checker.js";
import { int, str } from "./session-ends.js";

type Seen = { readonly version: number; readonly index: number; readonly t: number };

export function configChecker(): Checker {
  /** Path -> version -> value. */
  const values = new Map<string, Map<number, { readonly value: string; readonly node: NodeId; readonly index: number }>>();
  /** Path -> newest acknowledged version. */
  const lastWritten = new Map<string, Seen>();
  /** Reader/session/path -> last version seen. */
  const bySession = new Map<string, Seen>();
  /** Reader/path -> last read of any session. */
  const lastRead = new Map<string, Seen & { readonly node: NodeId; readonly path: string }>();

  const violation = (invariant: string, e: TraceEvent, index: number, nodes: readonly NodeId[], message: string): Violation => ({
    invariant,
    eventIndex: index,
    t: e.t,
    nodes,
    message,
  });

  return {
    name: "config",
    onEvent(e: TraceEvent, index: number): Violation | null {
      if (e.type !== "config-written" && e.type !== "config-seen") return null;
      const node = str(e, "node");
      const path = str(e, "path");
      const version = int(e, "version");
      const value = str(e, "value");
      if (node === null || path === null || version === null || value === null) return null;
      let known = values.get(path);
      if (known === undefined) {
        known = new Map();
        values.set(path, known);
      }
      const before = known.get(version);
      if (before === undefined) known.set(version, { value, node, index });
      else if (before.value !== value) {
        return violation("config-version-value", e, index, [before.node, node], `${path} version ${version}: ${node} has "${value}" but ${before.node} had "${before.value}" (event ${before.index})`);
      }
      if (e.type === "config-written") {
        if (version > (lastWritten.get(path)?.version ?? -1)) lastWritten.set(path, { version, index, t: e.t });
        return null;
      }
      const session = str(e, "session") ?? "";
      lastRead.set(`${node}\u0000${path}`, { version, index, t: e.t, node, path });
      const k = `${node}\u0000${session}\u0000${path}`;
      const prev = bySession.get(k);
      bySession.set(k, { version, index, t: e.t });
      if (prev === undefined || version >= prev.version) return null;
      return violation("config-monotonic", e, index, [node], `${path}: ${node} (session ${session}) read version ${version} after version ${prev.version} (event ${prev.index})`);
    },
    finish(lastIndex: number): readonly Violation[] {
      const out: Violation[] = [];
      for (const r of lastRead.values()) {
        const w = lastWritten.get(r.path);
        if (w === undefined || r.version >= w.version) continue;
        out.push({
          invariant: "config-converges",
          eventIndex: lastIndex,
          t: r.t,
          nodes: [r.node],
          message: `${r.path}: ${r.node} last read version ${r.version} (event ${r.index}) but version ${w.version} was acknowledged (event ${w.index})`,
        });
      }
      return out;
    },
  };
}
