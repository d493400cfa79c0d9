import type { TraceEvent } from "../../sim/trace.js";
import { World, type WorldOptions } from "../../sim/world.js";
import { DEFAULT_STANDALONE, StandaloneServer, standaloneServer, type StandaloneConfig } from "../server/standalone-server.js";
import { hex } from "../server/wire.js";
import { clientNode } from "./client-node.js";
import { SimClient } from "./sim-client.js";

export const SERVER_ID = "s1";
export const CLIENT_ID = "c1";

export type StandaloneSimOptions = {
  readonly seed: number;
  readonly server?: Partial<StandaloneConfig>;
  /** The address the server answers at, and the client's connect string. */
  readonly host?: string;
  readonly trace?: WorldOptions["trace"];
  readonly sessionTimeoutMs?: number;
};

/**
 * One standalone server and one zkCli client on a simulated world: what `zksim shell --servers 1`
 * runs. The client connects explicitly (no auto-connect between nodes).
 */
export class StandaloneSim {
  readonly world: World;
  readonly client: SimClient;
  readonly host: string;
  private readonly answers: string[] = [];

  constructor(opts: StandaloneSimOptions) {
    this.host = opts.host ?? "127.0.0.1:21801";
    const port = Number(this.host.slice(this.host.lastIndexOf(":") + 1));
    const cfg: StandaloneConfig = { ...DEFAULT_STANDALONE, clientPort: Number.isSafeInteger(port) ? port : 2181, ...opts.server };
    this.world = new World({ seed: opts.seed, network: { connect: "explicit" }, trace: opts.trace ?? {} });
    this.world.observe((e: TraceEvent) => {
      if (e.type === "zk-4lw" && e["node"] === SERVER_ID) this.answers.push(e["answer"] as string);
    });
    this.world.addNode(SERVER_ID, standaloneServer(cfg));
    this.world.addNode(CLIENT_ID, clientNode);
    this.world.start(SERVER_ID);
    this.world.start(CLIENT_ID);
    this.client = new SimClient({
      world: this.world,
      clientId: CLIENT_ID,
      servers: new Map([[this.host, SERVER_ID]]),
      host: this.host,
      ...(opts.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: opts.sessionTimeoutMs }),
    });
  }

  advance(ms: number): void {
    this.client.pump(this.world.now + ms * 1000);
  }

  crash(): void {
    this.world.crash(SERVER_ID);
  }

  restart(): void {
    this.world.restart(SERVER_ID);
  }

  serverAlive(): boolean {
    return this.world.isAlive(SERVER_ID);
  }

  /** What the server answers to a four-letter word, or null when it is down (connection refused). */
  fourLetterWord(word: string): string | null {
    if (!this.world.isAlive(SERVER_ID)) return null;
    this.answers.length = 0;
    this.world.input(SERVER_ID, { type: "4lw", word });
    return this.answers.shift() ?? null;
  }

  /** The last zxid the server applied, or null when it is down. */
  lastZxid(): string | null {
    const node = this.world.inspect(SERVER_ID);
    return node instanceof StandaloneServer ? hex(node.lastZxid) : null;
  }
}
