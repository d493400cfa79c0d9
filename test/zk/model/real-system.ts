// The system under test for the model-based property: one StandaloneServer node and several client
// sessions (one SimClient, each on its own client node) on one simulated World, driven only through
// public APIs (World, standaloneServer, clientNode, SimClient). It records from the trace what a
// test may observe: which txns the server applied while up, the session each client node was
// given, when the server last heard from a client, when a session expired, four-letter answers.
import type { TraceEvent } from "../../../src/sim/trace.js";
import { World } from "../../../src/sim/world.js";
import type { WatchedEvent } from "../../../src/zk/cli/client-api.js";
import { clientNode } from "../../../src/zk/client/client-node.js";
import { SimClient } from "../../../src/zk/client/sim-client.js";
import { DEFAULT_STANDALONE, standaloneServer } from "../../../src/zk/server/standalone-server.js";

export const SERVER = "s1";
export const HOST = "127.0.0.1:2181";
export const EPOCH_MS = 1_700_000_000_000;
export const TICK_MS = 2000;
/** What every client asks for; within [2, 20] x tickTime, so it is what the server grants. */
export const SESSION_TIMEOUT_MS = 6000;
/**
 * zoo.cfg `snapCount`: small, so that a run's few dozen txns take several snapshots and a restart
 * loads one (ZooKeeper's default of 100000 would leave only the start snapshots).
 */
export const SNAP_COUNT = 6;

/** One client seat: the library, its node, its current session, what its default watcher heard. */
export type Slot = {
  client: SimClient;
  nodeId: string;
  session: bigint;
  /** `WatchedEvent`s of a node type (not session states) as "Type path", in delivery order. */
  readonly events: string[];
};

export class RealSystem {
  readonly world: World;
  readonly slots: Slot[] = [];
  /** The session each client node was last told it has (zk-client-state SyncConnected). */
  private readonly sessionOfNode = new Map<string, string>();
  /** Zxids the server applied while it was up (replays during recovery excluded). */
  readonly appliedLive = new Set<string>();
  /** When the server last received anything from each client node (µs). */
  readonly lastHeardUs = new Map<string, number>();
  /** When the server decided each session had expired (µs, its `expiring` event), by session hex. */
  readonly expiredAtUs = new Map<string, number>();
  private serverUp = true;
  /** The snapshot the server's last recovery loaded (its zxid), or null (zk-snapshot-loaded). */
  lastLoadedSnapshot: string | null = null;
  /** The zxids of the snapshots the server took because enough txns were logged. */
  readonly countSnapshots = new Set<string>();
  private readonly fourLetter: string[] = [];
  private nodes = 0;

  constructor(seed: number, slots: number) {
    this.world = new World({ seed, network: { connect: "explicit" }, trace: { sink: { kind: "none" } } });
    this.world.observe((e) => this.record(e));
    this.world.addNode(SERVER, standaloneServer({ ...DEFAULT_STANDALONE, tickTimeMs: TICK_MS, clientPort: 2181, epochMs: EPOCH_MS, snapCount: SNAP_COUNT }));
    this.world.start(SERVER);
    for (let i = 0; i < slots; i++) this.slots.push(this.openSlot());
  }

  private record(e: TraceEvent): void {
    const node = e["node"];
    switch (e.type) {
      case "zk-apply":
        if (node === SERVER && this.serverUp) this.appliedLive.add(e["zxid"] as string);
        return;
      case "crash":
        if (node === SERVER) this.serverUp = false;
        return;
      case "zk-server-up":
        this.serverUp = true;
        return;
      case "zk-snapshot-loaded":
        this.lastLoadedSnapshot = e["zxid"] as string | null;
        return;
      case "zk-snapshot":
        if (e["why"] === "count") this.countSnapshots.add(e["zxid"] as string);
        return;
      case "zk-client-state":
        if (e["state"] === "SyncConnected") this.sessionOfNode.set(node as string, e["session"] as string);
        return;
      case "recv":
        if (e["to"] === SERVER) this.lastHeardUs.set(e["from"] as string, e.t);
        return;
      case "zk-session":
        if (node === SERVER && e["event"] === "expiring") this.expiredAtUs.set(e["session"] as string, e.t);
        return;
      case "zk-4lw":
        if (node === SERVER) this.fourLetter.push(e["answer"] as string);
        return;
      default:
        return;
    }
  }

  /** A new client node and library; the constructor connects and opens a session. */
  private openSlot(): Slot {
    const nodeId = `c${++this.nodes}`;
    this.world.addNode(nodeId, clientNode);
    this.world.start(nodeId);
    const events: string[] = [];
    const client = new SimClient({
      world: this.world,
      clientId: nodeId,
      servers: new Map([[HOST, SERVER]]),
      host: HOST,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
    });
    const slot: Slot = { client, nodeId, session: 0n, events };
    client.setDefaultWatcher((e: WatchedEvent) => {
      if (e.type !== "None") events.push(`${e.type} ${e.path ?? "null"}`);
    });
    slot.session = this.sessionOf(nodeId);
    return slot;
  }

  /** Replaces a seat's client with a new one (new node, new session). */
  reopen(i: number): Slot {
    const slot = this.openSlot();
    this.slots[i] = slot;
    return slot;
  }

  sessionOf(nodeId: string): bigint {
    const hex = this.sessionOfNode.get(nodeId);
    if (hex === undefined) throw new Error(`client node ${nodeId} never connected`);
    return BigInt(hex);
  }

  /** What the server answers to a four-letter word (null when it is down). */
  fourLetterWord(word: string): string | null {
    if (!this.world.isAlive(SERVER)) return null;
    this.fourLetter.length = 0;
    this.world.input(SERVER, { type: "4lw", word });
    return this.fourLetter.shift() ?? null;
  }
}
