// A standalone server and recipe client nodes on one world (explicit connections, as zksim shell's),
// with the faults every recipe test goes through: a server crash and restart, and a client cut off
// long enough for its session to expire.
import type { NodeFactory, NodeId } from "../../../src/sim/node.js";
import type { TraceEvent } from "../../../src/sim/trace.js";
import { World } from "../../../src/sim/world.js";
import { checkEvents, type Checker, type Violation } from "../../../src/check/checker.js";
import type { RecipeInput } from "../../../src/zk/recipes/recipe-node.js";
import type { ZkMessage } from "../../../src/zk/server/messages.js";
import { DEFAULT_STANDALONE, standaloneServer } from "../../../src/zk/server/standalone-server.js";

export const SERVER = "s1";
export const SERVERS: readonly NodeId[] = [SERVER];
/** Short sessions keep the runs short: expiry comes 10-12 s after the last contact (tickTime 2 s). */
export const SESSION_MS = 10_000;

export type Faults = {
  /** Crash the server at this time (ms) and restart it `downMs` later. */
  readonly crashAtMs?: number;
  readonly downMs?: number;
  /** Cut this client off from the server at `isolateAtMs` for `isolateMs` (longer than the session timeout). */
  readonly isolate?: NodeId;
  readonly isolateAtMs?: number;
  readonly isolateMs?: number;
};

export class RecipeWorld {
  readonly world: World;
  readonly events: TraceEvent[] = [];

  constructor(seed: number, clients: readonly (readonly [NodeId, NodeFactory<ZkMessage, RecipeInput>])[]) {
    this.world = new World({ seed, network: { connect: "explicit" }, trace: { sink: { kind: "none" }, strict: true } });
    this.world.observe((e) => this.events.push(e));
    this.world.addNode(SERVER, standaloneServer(DEFAULT_STANDALONE));
    this.world.start(SERVER);
    for (const [id, factory] of clients) {
      this.world.addNode(id, factory);
      this.world.start(id);
    }
  }

  /** Schedules the faults, then runs until `untilMs`. */
  run(untilMs: number, faults: Faults = {}): void {
    const ms = (x: number): number => x * 1000;
    if (faults.crashAtMs !== undefined) {
      this.world.at(ms(faults.crashAtMs), () => this.world.crash(SERVER));
      this.world.at(ms(faults.crashAtMs + (faults.downMs ?? 2000)), () => this.world.restart(SERVER));
    }
    if (faults.isolate !== undefined) {
      const who = faults.isolate;
      const at = faults.isolateAtMs ?? 0;
      this.world.at(ms(at), () => this.world.partition([[who], [SERVER]]));
      this.world.at(ms(at + (faults.isolateMs ?? 20_000)), () => this.world.heal());
    }
    this.world.run({ untilUs: ms(untilMs) });
  }

  /**
   * Once the server answers a request matching `pred`, cuts `client` off before the answer arrives
   * (a partition poisons what is in flight) and heals `healAfterMs` later: the request was applied
   * but the client only sees ConnectionLoss, and reconnects to the same session.
   */
  loseReplyOnce(client: NodeId, pred: (e: TraceEvent) => boolean, healAfterMs = 500): void {
    let done = false;
    this.world.observe((e) => {
      if (done || e.type !== "zk-response" || e["node"] !== SERVER || !pred(e)) return;
      done = true;
      this.world.at(this.world.now, () => this.world.partition([[client], [SERVER]]));
      this.world.at(this.world.now + healAfterMs * 1000, () => this.world.heal());
    });
  }

  check(...checkers: Checker[]): Violation[] {
    return checkEvents(checkers, this.events);
  }

  /** The session a recipe client is on now (its last `recipe-start`). */
  sessionOf(node: NodeId): string | null {
    const starts = this.of("recipe-start", node);
    return (starts[starts.length - 1]?.["session"] as string | undefined) ?? null;
  }

  of(type: string, node?: NodeId): TraceEvent[] {
    return this.events.filter((e) => e.type === type && (node === undefined || e["node"] === node));
  }

  /** The server's session events of one kind (`expired`, `closed`, ...). */
  sessionEvents(event: string): TraceEvent[] {
    return this.events.filter((e) => e.type === "zk-session" && e["event"] === event);
  }
}

/** An event as a checker unit test writes it. */
export const ev = (t: number, type: string, node: string, fields: Record<string, string | number | readonly string[]>): TraceEvent => ({ t, type, node, ...fields });
