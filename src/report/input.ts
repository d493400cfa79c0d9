/** What a report is made of: a finished run, what was watched during it, and how it was made. */
import type { ScenarioRunResult } from "../scenario/run.js";
import type { TreeEntry } from "../zk/server/tree-dump.js";
import type { ClientOps } from "./client-ops.js";
import type { Roles } from "./roles.js";
import type { Timeline } from "./timeline.js";
import type { Traffic } from "./traffic.js";
import type { Zxids } from "./zxids.js";

/** The time charts over the whole run (all bounded in size, whatever the run's length). */
export interface Charts {
  readonly endUs: number;
  readonly roles: Roles;
  readonly zxids: Zxids;
  readonly ops: ClientOps;
  readonly traffic: Traffic;
}

/** One znode as a server holds it at the end (plain data, made by `src/zk/server/tree-dump.ts`). */
export type { TreeEntry };

export interface ServerTree {
  readonly node: string;
  readonly state: "up" | "down";
  readonly lastZxid: string | null;
  readonly entries: readonly TreeEntry[];
}

export interface ReportInput {
  /** `zksim run`, `zksim replay` or a fuzz failure. */
  readonly source: "run" | "replay" | "fuzz";
  readonly run: ScenarioRunResult;
  readonly timeline: Timeline;
  /** The run's final line, as the CLI prints it. */
  readonly finalLine: string;
  /** For a replay: whether the trace hash and violations matched the repro file. */
  readonly reproduced?: boolean;
  /** The time charts; absent, the page shows the diagram only. */
  readonly charts?: Charts;
  /** The servers' final data trees (ZooKeeper runs). */
  readonly trees?: readonly ServerTree[] | null;
  /** Trace lines by index: the events that prove each violation (`readTraceLines`). */
  readonly proof?: ReadonlyMap<number, string>;
}
