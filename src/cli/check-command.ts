/**
 * `zksim check trace.jsonl [--invariant NAME]...`: the checkers a scenario runs online, run again
 * over a trace file. The protocol comes from the trace's `scenario` event. Exit 0 when no
 * invariant is violated, 1 when some are (each printed with its event), 2 for bad input: a file
 * that cannot be read, a line that is not a trace event (named by its line), no `scenario` event,
 * an unknown protocol or invariant.
 *
 * A ZooKeeper run traces its ensemble's shape (servers, observers, tickTime, initLimit,
 * syncLimit) in an `ensemble` event after the `scenario` one, and the checkers here are built from
 * it, as the run built its online ones. A trace made before that event existed is judged with
 * guesses: the servers are its nodes named s<N>, observers those seen OBSERVING, initLimit/syncLimit
 * those of a generated zoo.cfg (10/5), and the tick is read off the leaders' timers.
 */
import { readFileSync } from "node:fs";
import { checkEvents, type Checker, type Violation } from "../check/checker.js";
import { CLIENT_INVARIANTS, zookeeperCheckers } from "../check/client/index.js";
import { recipeCheckers } from "../check/recipes/index.js";
import { defaultShape, ENSEMBLE_EVENT, shapeOfFact, ZAB_INVARIANTS, type EnsembleShape } from "../check/zab/index.js";
import { InputError } from "../scenario/errors.js";
import type { ProtocolRegistry } from "../scenario/plugin.js";
import type { TraceEvent } from "../sim/trace.js";
import type { Io } from "./commands.js";
import { EXIT, type ExitCode } from "./exit.js";

/** `--invariant` may be given several times. */
export const collectInvariant = (v: string, acc: string[]): string[] => [...acc, v];

export function readTrace(file: string): TraceEvent[] {
  return readTraceLines(file).events;
}

/** The events, and each one's line number in the file (blank lines are skipped). */
function readTraceLines(file: string): { events: TraceEvent[]; lines: number[] } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw InputError.at(file, code === "ENOENT" ? "no such trace file" : `cannot read the trace file (${code ?? "error"})`);
  }
  const events: TraceEvent[] = [];
  const numbers: number[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? "").replace(/\r$/, "");
    if (raw.trim() === "") continue;
    let e: unknown;
    try {
      e = JSON.parse(raw);
    } catch (err) {
      const m = /position (\d+)/.exec((err as Error).message);
      throw InputError.at(file, `not JSON: ${(err as Error).message}`, i + 1, m ? Number(m[1]) + 1 : 1);
    }
    if (typeof e !== "object" || e === null || Array.isArray(e)) throw InputError.at(file, "expected a trace event (a JSON object) per line", i + 1);
    const o = e as Record<string, unknown>;
    if (!Number.isSafeInteger(o["t"]) || (o["t"] as number) < 0) throw InputError.at(file, `expected "t", a non-negative integer time in microseconds`, i + 1, 1, "t");
    if (typeof o["type"] !== "string") throw InputError.at(file, `expected "type", the event's type`, i + 1, 1, "type");
    events.push(o as TraceEvent);
    numbers.push(i + 1);
  }
  return { events, lines: numbers };
}

interface CheckSetup {
  readonly protocol: string;
  readonly invariants: readonly string[];
  readonly build: (only: ReadonlySet<string> | null) => Checker[];
}

/** The shape the run traced in its `ensemble` event, else the guesses older traces get. */
function shapeFor(file: string, events: readonly TraceEvent[], lines: readonly number[], scenario: TraceEvent): EnsembleShape {
  const at = events.findIndex((e) => e.type === ENSEMBLE_EVENT);
  const fact = events[at];
  if (fact !== undefined) {
    const shape = shapeOfFact(fact);
    if (typeof shape === "string") throw InputError.at(file, `the ensemble event: ${shape}`, lines[at] ?? at + 1);
    return shape;
  }
  const nodes = Array.isArray(scenario["nodes"]) ? scenario["nodes"].filter((n): n is string => typeof n === "string") : [];
  const observers = new Set<string>();
  for (const e of events) if ((e.type === "zab-role" || e.type === "zab-elected") && e["state"] === "OBSERVING" && typeof e["node"] === "string") observers.add(e["node"]);
  return defaultShape(nodes, [...observers].sort());
}

function setupFor(file: string, events: readonly TraceEvent[], lines: readonly number[], registry: ProtocolRegistry): CheckSetup {
  const scenario = events.find((e) => e.type === "scenario");
  const protocol = scenario?.["protocol"];
  if (scenario === undefined || typeof protocol !== "string") throw InputError.at(file, "no scenario event: the trace does not say which protocol it ran");
  if (protocol === "zookeeper") {
    const shape = shapeFor(file, events, lines, scenario);
    const recipes = recipeCheckers().map((c) => c.name);
    return {
      protocol,
      invariants: [...ZAB_INVARIANTS, ...CLIENT_INVARIANTS, ...recipes],
      build: (only) => [...zookeeperCheckers(shape, only), ...recipeCheckers().filter((c) => only === null || only.has(c.name))],
    };
  }
  const plugin = registry.get(protocol);
  if (plugin === undefined) throw InputError.at(file, `the trace's protocol ${JSON.stringify(protocol)} is not one zksim knows (${[...registry.keys()].sort().join(", ")})`);
  const params = plugin.params.safeParse({});
  if (!params.success) throw InputError.at(file, `protocol ${protocol}: its checkers need the scenario's params, which a trace does not carry`);
  const names = plugin.checkers(params.data).map((c) => c.name);
  return { protocol, invariants: names, build: (only) => plugin.checkers(params.data).filter((c) => only === null || only.has(c.name)) };
}

export function formatViolation(v: Violation): string {
  const nodes = v.nodes.length === 0 ? "" : ` [${v.nodes.join(", ")}]`;
  return `violation ${v.invariant} at event ${v.eventIndex} (t=${Math.floor(v.t / 1000)} ms)${nodes}: ${v.message}`;
}

export function checkCommand(io: Io, registry: ProtocolRegistry, file: string, invariants: readonly string[]): ExitCode {
  const { events, lines } = readTraceLines(file);
  const setup = setupFor(file, events, lines, registry);
  const unknown = invariants.find((n) => !setup.invariants.includes(n));
  if (unknown !== undefined) {
    throw InputError.at("--invariant", `unknown invariant ${JSON.stringify(unknown)} for protocol ${setup.protocol}; expected one of ${setup.invariants.join(", ")}`);
  }
  const only = invariants.length === 0 ? null : new Set(invariants);
  const violations = checkEvents(setup.build(only), events).filter((v) => only === null || only.has(v.invariant));
  for (const v of violations) io.out(`${formatViolation(v)}\n`);
  const checked = only === null ? setup.invariants.length : only.size;
  io.out(`events=${events.length} invariants=${checked} violations=${violations.length} result=${violations.length === 0 ? "pass" : "fail"}\n`);
  return violations.length === 0 ? EXIT.pass : EXIT.fail;
}
