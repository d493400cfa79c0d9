/** `zksim check-history`: is a Jepsen-style JSON Lines history linearizable under a model? */
import { InvalidArgumentError } from "commander";
import { readFileSync } from "node:fs";
import { checkHistory, type Verdict } from "../check/linearizability/check-history.js";
import { MODEL_NAMES, modelByName, type ModelName } from "../check/linearizability/models.js";
import { formatOperation, type History } from "../check/linearizability/operation.js";
import { parseHistory } from "../check/linearizability/parse-history.js";
import { InputError } from "../scenario/errors.js";
import type { Io } from "./commands.js";
import { EXIT, type ExitCode } from "./exit.js";

/** Indeterminate operations from before the window can be many in a long crashy run. */
const EARLIER_SHOWN_MAX = 10;

export function modelArg(v: string): ModelName {
  const name = MODEL_NAMES.find((m) => m === v);
  if (name === undefined) throw new InvalidArgumentError(`expected one of ${MODEL_NAMES.join(" | ")}`);
  return name;
}

export function loadHistory(file: string): History {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw InputError.at(file, code === "ENOENT" ? "no such history file" : `cannot read the history file (${code ?? "error"})`);
  }
  const parsed = parseHistory(text);
  if (parsed.kind === "error") throw InputError.at(file, parsed.problem.message, parsed.problem.line, parsed.problem.col);
  return parsed.history;
}

export function checkHistoryCommand(io: Io, file: string, modelName: ModelName): ExitCode {
  const history = loadHistory(file);
  const model = modelByName(modelName);
  const unsupported = history.ops.find((op) => !model.supports(op.f));
  if (unsupported) throw InputError.at(file, `${unsupported.f} is not an operation of --model ${model.name} (use --model cas-register)`, unsupported.line, 1, "f");
  const v = checkHistory(history, model);
  io.out(renderVerdict(v, history));
  return v.kind === "linearizable" ? EXIT.pass : EXIT.fail;
}

export function renderVerdict(v: Verdict, history: History): string {
  const counts = `${v.operations} operations (${v.indeterminate} indeterminate)`;
  switch (v.kind) {
    case "linearizable":
      return `linearizable: ${counts}\n`;
    case "unknown":
      // Never a pass: the search gave up, so nothing was shown either way.
      return `unknown: the search gave up after ${v.steps} steps on ${counts}\n`;
    case "not-linearizable": {
      const w = v.window;
      const fmt = (op: (typeof w.ops)[number]): string => `  ${formatOperation(op, history.values)}\n`;
      const earlier = w.ops.filter((op) => op.invokeIndex < w.fromEvent);
      const inside = w.ops.filter((op) => op.invokeIndex >= w.fromEvent);
      const start = w.fromInitialValue ? `from the initial value null` : `from any value (every operation before event ${w.fromEvent} completed before it)`;
      const lines = [`failing window: events ${w.fromEvent}..${w.toEvent}, starting ${start}; operations still running at event ${w.toEvent} may or may not have taken effect:\n`];
      if (earlier.length > 0) {
        lines.push(`  indeterminate operations invoked earlier, which may take effect at any time:\n`);
        lines.push(...earlier.slice(0, EARLIER_SHOWN_MAX).map(fmt));
        if (earlier.length > EARLIER_SHOWN_MAX) lines.push(`  ... and ${earlier.length - EARLIER_SHOWN_MAX} more\n`);
        lines.push(`  operations in the window:\n`);
      }
      lines.push(...inside.map(fmt));
      const op = formatOperation(v.failOp, history.values);
      lines.push(
        v.earliest
          ? `linearizable up to event ${v.failEvent - 1}; no linearization lets this operation complete at event ${v.failEvent}: ${op}\n`
          : `no linearization lets this operation complete at event ${v.failEvent}, even with indeterminate operations taking effect more than once: ${op}\n`,
      );
      lines.push(`not linearizable: ${w.ops.length} operations in events ${w.fromEvent}..${w.toEvent} cannot be linearized (history: ${counts})\n`);
      return lines.join("");
    }
  }
}
