/**
 * The Paxos family in the lab: proposers p1 (asked first, the leader or coordinator) and p2,
 * acceptors a1..an, two learners and one client c1 that submits command k. A command's outcome is
 * known the moment a proposer sees its value chosen.
 */
import type { TraceEvent } from "../../sim/trace.js";
import type { CompareSubject, Formula, Outcome, SubjectCase } from "../subject.js";
import { documentOf, faultsOf, submittingClient, type Pattern } from "./common.js";

export const LEARNERS = 2;
const CLIENT = "c1";

export interface PaxosSpec {
  readonly name: string;
  readonly title: string;
  readonly steps: readonly [string, string, string];
  step(phase: 1 | 2 | 3, cmd: number): Pattern;
  /** Basic and Fast Paxos run instance k for command k; Multi-Paxos's leader picks the slot. */
  readonly instancePerCommand: boolean;
  readonly formula: Formula;
}

const value = (cmd: number): string => `${CLIENT}:${cmd}`;

export function paxosSubject(spec: PaxosSpec): CompareSubject {
  return {
    name: spec.name,
    title: spec.title,
    available: true,
    steps: spec.steps,
    formula: spec.formula,
    sizeProblem: (n) =>
      n < 3
        ? `${spec.title} needs at least 3 acceptors: a majority quorum survives f failures only with 2f + 1 acceptors, and with ${n} a single failure leaves no majority`
        : n > 25
          ? `${spec.title} runs with at most 25 acceptors (its scenario schema's range), not ${n}`
          : null,
    document(c: SubjectCase): Record<string, unknown> {
      const acceptors = Array.from({ length: c.voters }, (_, i) => `a${i + 1}`);
      const faults = faultsOf(c.plan, {
        leader: "p1",
        step: spec.step,
        partitionAt: (cmd) => spec.step(2, cmd),
        sides: [
          ["p1", "a1"],
          ["p2", ...acceptors.slice(1)],
        ],
        slowDisks: ["p1", "a1"],
      });
      const inputs = c.commands.map((x) => ({ at: x.atUs, node: CLIENT, value: { type: "submit", cmd: x.cmd } }));
      const params = { acceptors: c.voters, proposers: 2, learners: LEARNERS, clients: 1, commands: { count: 0 } };
      return documentOf(spec.name, c, params, inputs, faults);
    },
    /** The client waits from its submission until it hears the outcome. */
    ...submittingClient(CLIENT),
    outcomeOf(e: TraceEvent): Outcome | null {
      if (e.type !== "chosen" || typeof e["val"] !== "string" || typeof e["inst"] !== "number") return null;
      const m = /^c1:(\d+)$/.exec(e["val"]);
      if (m !== null) return { cmd: Number(m[1]), outcome: "commit" };
      // Another value took the command's own instance: the command is lost.
      return spec.instancePerCommand ? { cmd: e["inst"], outcome: "abort" } : null;
    },
  };
}

export { value as commandValueOf };
