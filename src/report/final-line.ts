/** The one line every `zksim run` ends with; CI greps it, so its words never change. Reports quote it. */
import type { ScenarioRunResult } from "../scenario/run.js";
import { toMs } from "../sim/time.js";

export function finalLine(r: ScenarioRunResult): string {
  return `seed=${r.seed} events=${r.summary.events} sim_ms=${toMs(r.summary.simUs)} trace_sha256=${r.summary.sha256 ?? "none"} violations=${r.violations.length} result=${r.result}`;
}
