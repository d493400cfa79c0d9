/**
 * Writes are linearizable: the register workload's operations on each key (a Jepsen-style CAS
 * register: a write is setData with any version, a cas reads the value and setData's it with the
 * version it read, a create is a cas from null) form a history the existing checker judges against
 * Knossos' cas-register, one key at a time (Jepsen's `independent`). `info` (ConnectionLoss, a
 * session that expired with the request in flight) may take effect at any time after its
 * invocation; `fail` (NodeExists, BadVersion, NoNode, a cas whose read saw another value) never
 * took effect.
 *
 * Reads are left out by default: ZooKeeper promises sequentially consistent reads, not
 * linearizable ones. A follower answers from its own state; a leader that lost its quorum answers
 * until it notices (syncLimit ticks, longer after a stop-the-world pause), sync included, since
 * sync is not a quorum operation. A cas's read is safe to include: it only picks the version the
 * setData must still find, so a stale read makes the cas fail, never succeed wrongly.
 *
 * Judged at the end of the run. A history the search gives up on (its step budget) is reported as
 * `unknown`, a failure too: a verdict nobody reached is not a pass.
 */
import { checkHistory } from "../linearizability/check-history.js";
import { casRegisterModel } from "../linearizability/cas-register.js";
import { formatOperation } from "../linearizability/operation.js";
import { parseHistory } from "../linearizability/parse-history.js";
import type { TraceEvent, TraceValue } from "../../sim/trace.js";
import type { Finding, ZabRule } from "../zab/rule.js";

interface Line {
  readonly json: string;
  readonly index: number;
  readonly t: number;
}

export interface LinearizabilityOptions {
  /** Judge reads too (they are not linearizable in ZooKeeper: see above). */
  readonly reads: boolean;
}

export function linearizabilityRule(opts: LinearizabilityOptions = { reads: false }): ZabRule {
  const byKey = new Map<string, Line[]>();
  return {
    invariant: "linearizability",
    eventTypes: ["register-invoke", "register-complete"],
    onEvent(_m, e: TraceEvent, index) {
      if (e.type !== "register-invoke" && e.type !== "register-complete") return null;
      const key = e["key"];
      const f = e["f"];
      const process = e["process"];
      if (typeof key !== "string" || typeof process !== "string" || (f !== "read" && f !== "write" && f !== "cas")) return null;
      if (f === "read" && !opts.reads) return null;
      const type = e.type === "register-invoke" ? "invoke" : e["outcome"];
      if (type !== "invoke" && type !== "ok" && type !== "fail" && type !== "info") return null;
      const value: TraceValue = type === "invoke" ? (f === "read" ? null : (e["value"] ?? null)) : f === "read" ? (e["value"] ?? null) : null;
      let lines = byKey.get(key);
      if (lines === undefined) {
        lines = [];
        byKey.set(key, lines);
      }
      lines.push({ json: JSON.stringify({ process, type, f, value }), index, t: e.t });
      return null;
    },
    finish() {
      const out: Finding[] = [];
      for (const key of [...byKey.keys()].sort()) {
        const lines = byKey.get(key) as Line[];
        const parsed = parseHistory(lines.map((l) => l.json).join("\n"));
        if (parsed.kind === "error") {
          out.push({ nodes: [], message: `${key}: the register history is malformed at its event ${parsed.problem.line}: ${parsed.problem.message}` });
          continue;
        }
        const v = checkHistory(parsed.history, casRegisterModel());
        if (v.kind === "linearizable") continue;
        const nodes = [...new Set(parsed.history.ops.map((op) => op.process))].sort();
        if (v.kind === "unknown") {
          out.push({ nodes, message: `${key}: unknown, the search gave up after ${v.steps} steps on ${v.operations} operations (${v.indeterminate} indeterminate)` });
          continue;
        }
        const at = lines[v.failEvent];
        const window = v.window.ops.map((op) => formatOperation(op, parsed.history.values)).join("; ");
        out.push({
          nodes: [v.failOp.process],
          message: `${key}: not linearizable: ${formatOperation(v.failOp, parsed.history.values)} cannot complete; failing window (register events ${v.window.fromEvent}..${v.window.toEvent}): ${window}`,
          ...(at === undefined ? {} : { at: { index: at.index, t: at.t } }),
        });
      }
      return out;
    },
  };
}
