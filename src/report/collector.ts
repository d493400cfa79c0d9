/**
 * Everything a report gathers while a run happens, in one observer: the space-time diagram's
 * timeline, the ensemble's roles, zxid progression, client operations, message traffic, and (at the
 * end of the run) the final data tree of each ZooKeeper server. Memory stays bounded however long
 * the run: each part keeps a window, a thinned series or aggregates.
 */
import type { Scenario } from "../scenario/load.js";
import type { TraceEvent } from "../sim/trace.js";
import type { World } from "../sim/world.js";
import { dumpServerTrees } from "../zk/server/tree-dump.js";
import { ClientOpsBuilder } from "./client-ops.js";
import type { Charts, ServerTree } from "./input.js";
import { RolesBuilder } from "./roles.js";
import { TimelineBuilder, type Timeline } from "./timeline.js";
import { TrafficBuilder } from "./traffic.js";
import { ZxidsBuilder } from "./zxids.js";

export interface Collected {
  readonly timeline: Timeline;
  readonly charts: Charts;
  /** Null when the protocol has no data tree to show. */
  readonly trees: readonly ServerTree[] | null;
}

export class ReportCollector {
  private readonly timeline = new TimelineBuilder();
  private readonly roles = new RolesBuilder();
  private readonly zxids = new ZxidsBuilder();
  private readonly ops = new ClientOpsBuilder();
  private readonly traffic = new TrafficBuilder();
  private trees: ServerTree[] | null = null;
  private endUs = 0;

  /** @param servers the nodes whose data trees the report shows at the end (empty: none). */
  constructor(private readonly servers: readonly string[] = []) {}

  /** For a scenario: the ZooKeeper ensemble's servers, when the scenario runs one. */
  static forScenario(s: Scenario): ReportCollector {
    return new ReportCollector(s.plugin.name === "zookeeper" ? s.nodes.filter((n) => n.role !== "client").map((n) => n.id) : []);
  }

  /** Feed every trace event in order (`runScenario`'s observer). */
  readonly onEvent = (e: TraceEvent, index: number): void => {
    this.endUs = e.t;
    this.timeline.onEvent(e, index);
    this.roles.onEvent(e);
    this.zxids.onEvent(e);
    this.ops.onEvent(e);
    this.traffic.onEvent(e);
  };

  /** `runScenario`'s end-of-run hook: reads the final trees while the servers are still there. */
  readonly atEnd = (world: World): void => {
    if (this.servers.length === 0) return;
    this.trees = dumpServerTrees(this.servers, (n) => (world.isAlive(n) ? world.inspect(n) : null));
  };

  /** The servers' trees read at the end of the run (null before it, or when there are none). */
  get finalTrees(): readonly ServerTree[] | null {
    return this.trees;
  }

  finish(): Collected {
    return {
      timeline: this.timeline.finish(),
      charts: { endUs: this.endUs, roles: this.roles.finish(), zxids: this.zxids.finish(), ops: this.ops.finish(this.endUs), traffic: this.traffic.finish() },
      trees: this.trees,
    };
  }
}
