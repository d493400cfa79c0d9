// A world of separate standalone servers and one client node driven by SimClient: enough to exercise
// the client's failover, timeouts and session errors (the servers share nothing).
import type { Node, NodeContext, NodeId, StartKind } from "../../../src/sim/node.js";
import type { NetworkConfig } from "../../../src/sim/network.js";
import type { TraceEvent } from "../../../src/sim/trace.js";
import { World } from "../../../src/sim/world.js";
import { ClientNode, clientNode } from "../../../src/zk/client/client-node.js";
import { PING_XID } from "../../../src/zk/client/session.js";
import { SimClient } from "../../../src/zk/client/sim-client.js";
import type { ZkMessage } from "../../../src/zk/server/messages.js";
import { DEFAULT_STANDALONE, StandaloneServer, type ServerInput } from "../../../src/zk/server/standalone-server.js";
import { hex } from "../../../src/zk/server/wire.js";

export const CLIENT = "c1";

/**
 * A standalone server that surely answers pings, as `FinalRequestProcessor` does (a reply with xid
 * -2 and the last zxid), whether or not the server itself does yet: the client's read timeout is in
 * force.
 */
export class PingingServer implements Node<ZkMessage, ServerInput> {
  readonly inner: StandaloneServer;
  constructor(port: number) {
    this.inner = new StandaloneServer({ ...DEFAULT_STANDALONE, clientPort: port });
  }
  onStart(ctx: NodeContext<ZkMessage>, how: StartKind): void {
    this.inner.onStart(ctx, how);
  }
  onMessage(ctx: NodeContext<ZkMessage>, from: NodeId, msg: ZkMessage): void {
    this.inner.onMessage(ctx, from, msg);
    if (msg.type === "Ping" && ctx.isConnected(from)) ctx.send(from, { type: "Reply", xid: PING_XID, zxid: hex(this.inner.lastZxid), err: 0, body: null });
  }
  onTimer(ctx: NodeContext<ZkMessage>, name: string): void {
    this.inner.onTimer(ctx, name);
  }
  onConnection(ctx: NodeContext<ZkMessage>, change: Parameters<StandaloneServer["onConnection"]>[1]): void {
    this.inner.onConnection(ctx, change);
  }
  onDiskDone(ctx: NodeContext<ZkMessage>, done: Parameters<StandaloneServer["onDiskDone"]>[1]): void {
    this.inner.onDiskDone(ctx, done);
  }
  onInput(ctx: NodeContext<ZkMessage>, input: ServerInput): void {
    this.inner.onInput(ctx, input);
  }
}

/** A standalone server whose ping replies never leave it: the client's read timeout stays off. */
export class SilentServer implements Node<ZkMessage, ServerInput> {
  readonly inner: StandaloneServer;
  constructor(port: number) {
    this.inner = new StandaloneServer({ ...DEFAULT_STANDALONE, clientPort: port });
  }
  private quiet(ctx: NodeContext<ZkMessage>): NodeContext<ZkMessage> {
    const q = Object.create(ctx) as NodeContext<ZkMessage> & { send: NodeContext<ZkMessage>["send"] };
    q.send = (to, msg, channel) => {
      if (msg.type === "Reply" && msg.xid === PING_XID) return;
      ctx.send(to, msg, channel);
    };
    return q;
  }
  onStart(ctx: NodeContext<ZkMessage>, how: StartKind): void {
    this.inner.onStart(this.quiet(ctx), how);
  }
  onMessage(ctx: NodeContext<ZkMessage>, from: NodeId, msg: ZkMessage): void {
    this.inner.onMessage(this.quiet(ctx), from, msg);
  }
  onTimer(ctx: NodeContext<ZkMessage>, name: string): void {
    this.inner.onTimer(this.quiet(ctx), name);
  }
  onConnection(ctx: NodeContext<ZkMessage>, change: Parameters<StandaloneServer["onConnection"]>[1]): void {
    this.inner.onConnection(this.quiet(ctx), change);
  }
  onDiskDone(ctx: NodeContext<ZkMessage>, done: Parameters<StandaloneServer["onDiskDone"]>[1]): void {
    this.inner.onDiskDone(this.quiet(ctx), done);
  }
  onInput(ctx: NodeContext<ZkMessage>, input: ServerInput): void {
    this.inner.onInput(this.quiet(ctx), input);
  }
}

export type ClusterOptions = {
  readonly seed: number;
  readonly servers?: number;
  readonly network?: Partial<NetworkConfig>;
  readonly sessionTimeoutMs?: number;
  /** `answered`: servers surely answer pings (the read timeout applies); `silent`: they never do. */
  readonly pings?: "answered" | "silent";
  /** Build the SimClient (connecting at once); otherwise only the nodes exist. */
  readonly connect?: boolean;
};

export class Cluster {
  readonly world: World;
  readonly ids: readonly NodeId[];
  readonly servers: ReadonlyMap<string, NodeId>;
  readonly connectString: string;
  readonly events: TraceEvent[] = [];
  client: SimClient | null = null;

  constructor(opts: ClusterOptions) {
    const n = opts.servers ?? 3;
    this.world = new World({ seed: opts.seed, network: { connect: "explicit", ...opts.network }, trace: { sink: { kind: "none" }, strict: true } });
    this.world.observe((e) => this.events.push(e));
    this.ids = Array.from({ length: n }, (_, i) => `s${i + 1}`);
    this.servers = new Map(this.ids.map((id, i) => [`127.0.0.1:${21801 + i}`, id]));
    this.connectString = [...this.servers.keys()].join(",");
    this.ids.forEach((id, i) => {
      const port = 21801 + i;
      this.world.addNode(id, () =>
        opts.pings === "answered" ? new PingingServer(port) : opts.pings === "silent" ? new SilentServer(port) : new StandaloneServer({ ...DEFAULT_STANDALONE, clientPort: port }),
      );
      this.world.start(id);
      // Session ids derive from the start time: a millisecond apart, the servers never hand out the same id.
      this.world.run({ untilUs: this.world.now + 1000 });
    });
    this.world.addNode(CLIENT, clientNode);
    this.world.start(CLIENT);
    if (opts.connect !== false) this.connect(opts.sessionTimeoutMs);
  }

  connect(sessionTimeoutMs?: number): SimClient {
    this.client = new SimClient({
      world: this.world,
      clientId: CLIENT,
      servers: this.servers,
      host: this.connectString,
      ...(sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs }),
    });
    return this.client;
  }

  get sim(): SimClient {
    if (this.client === null) throw new Error("no client yet");
    return this.client;
  }

  /** The order the client's current handle tries the servers in. */
  order(): readonly (NodeId | null)[] {
    const node = this.world.inspect(CLIENT);
    if (!(node instanceof ClientNode)) throw new Error("the client node is down");
    return node.hostOrder();
  }

  advance(ms: number): void {
    if (this.client !== null) this.client.pump(this.world.now + ms * 1000);
    else this.world.run({ untilUs: this.world.now + ms * 1000 });
  }

  of(type: string, node: NodeId = CLIENT): TraceEvent[] {
    return this.events.filter((e) => e.type === type && e["node"] === node);
  }

  /** The servers the client tried, in order. */
  attempts(): (string | null)[] {
    return this.of("zk-client-connecting").map((e) => e["server"] as string | null);
  }

  states(): string[] {
    return this.of("zk-client-state").map((e) => e["state"] as string);
  }

  /** A server's last applied zxid. */
  zxidOf(id: NodeId): string {
    const node = this.world.inspect(id);
    const s = node instanceof PingingServer || node instanceof SilentServer ? node.inner : node;
    if (!(s instanceof StandaloneServer)) throw new Error(`${id} is down`);
    return hex(s.lastZxid);
  }
}
