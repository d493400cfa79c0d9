/** 2PC and 3PC in the lab: the coordinator `coord` begins transaction k as command k. */
import type { TraceEvent } from "../../sim/trace.js";
import type { CompareSubject, Formula, Outcome, SubjectCase } from "../subject.js";
import { documentOf, faultsOf, type Pattern } from "./common.js";

const participants = (n: number): string[] => Array.from({ length: n }, (_, i) => `p${i + 1}`);

export interface TxnSpec {
  readonly name: string;
  readonly title: string;
  readonly steps: readonly [string, string, string];
  /** The coordinator's message of the second step (partition trigger). */
  readonly secondStep: string;
  step(phase: 1 | 2 | 3, tx: number, n: number): Pattern;
  readonly formula: Formula;
}

export function txnSubject(spec: TxnSpec): CompareSubject {
  return {
    name: spec.name,
    title: spec.title,
    available: true,
    steps: spec.steps,
    formula: spec.formula,
    sizeProblem: (n) =>
      n < 2 || n > 64 ? `${spec.title} runs with 2 to 64 participants (its scenario schema's range; one participant leaves nothing to agree on), not ${n}` : null,
    document(c: SubjectCase): Record<string, unknown> {
      const ps = participants(c.voters);
      const faults = faultsOf(c.plan, {
        leader: "coord",
        step: (phase, tx) => spec.step(phase, tx, c.voters),
        partitionAt: (tx) => ({ type: "send", from: "coord", to: "p1", "msg.type": spec.secondStep, "msg.tx": tx }),
        sides: [["coord", "p1"], ps.slice(1)],
        slowDisks: ["coord", "p1"],
      });
      const inputs = c.commands.map((x) => ({ at: x.atUs, node: "coord", value: { type: "begin", tx: x.cmd } }));
      return documentOf(spec.name, c, { participants: c.voters, transactions: { count: 0 } }, inputs, faults);
    },
    commandOfInput(e: TraceEvent): number | null {
      const input = e["input"] as { readonly type?: unknown; readonly tx?: unknown } | null;
      return e.type === "input" && e["node"] === "coord" && input?.type === "begin" && typeof input.tx === "number" ? input.tx : null;
    },
    /** A participant is blocked from its yes vote until it decides. */
    waitOf(e: TraceEvent): { key: string; end: boolean } | null {
      const node = e["node"];
      if (typeof node !== "string" || node === "coord" || typeof e["tx"] !== "number") return null;
      if (e.type === "vote" && e["vote"] === "yes") return { key: `${node}/${e["tx"]}`, end: false };
      if (e.type === "decide") return { key: `${node}/${e["tx"]}`, end: true };
      return null;
    },
    /** The first node to decide knows the outcome (the coordinator, or participants terminating without it). */
    outcomeOf(e: TraceEvent): Outcome | null {
      if (e.type !== "decide" || typeof e["tx"] !== "number") return null;
      const d = e["decision"];
      return d === "commit" || d === "abort" ? { cmd: e["tx"], outcome: d } : null;
    },
  };
}
