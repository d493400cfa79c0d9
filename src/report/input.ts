/** What a report is made of: a finished run, the timeline watched during it, and how it was made. */
import type { ScenarioRunResult } from "../scenario/run.js";
import type { Timeline } from "./timeline.js";

export interface ReportInput {
  /** `zksim run` or `zksim replay`. */
  readonly source: "run" | "replay";
  readonly run: ScenarioRunResult;
  readonly timeline: Timeline;
  /** The run's final line, as the CLI prints it. */
  readonly finalLine: string;
  /** For a replay: whether the trace hash and violations matched the repro file. */
  readonly reproduced?: boolean;
}
