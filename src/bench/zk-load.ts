/**
 * A closed-loop load generator for the standalone ZooKeeper server, as real load tests drive one:
 * several sessions, each a client node on its own connection keeping exactly one request
 * outstanding (the next goes out when the reply comes back). It speaks the server's wire protocol
 * directly (ConnectRequest, Request, Reply) and traces nothing itself, so the run's cost is the
 * server's pipeline, the network, the simulated disk and the trace: what the bench means to measure.
 */
import type { ConnectionChange, Node, NodeContext, NodeId } from "../sim/node.js";
import type { TraceValue } from "../sim/trace.js";
import { World } from "../sim/world.js";
import { OPEN_ACL_UNSAFE } from "../zk/acl.js";
import type { ZkMessage } from "../zk/server/messages.js";
import { DEFAULT_STANDALONE, standaloneServer } from "../zk/server/standalone-server.js";
import { toWire } from "../zk/server/wire.js";

const SERVER: NodeId = "s1";

/** The parts of each request body that never change, encoded once (wire.ts tags bigints and bytes). */
type Payload = { readonly data: TraceValue; readonly acl: TraceValue; readonly noTtl: TraceValue };

/**
 * One session: create `/k<n>-<i>`, then setData on it, then getData of it, and again; every reply
 * (error or not) releases the next request. Counts completed operations into `done`.
 */
class LoadClient implements Node<ZkMessage> {
  private step = 0;
  private connected = false;

  constructor(
    private readonly name: string,
    private readonly payload: Payload,
    private readonly done: { count: number; readonly target: number },
  ) {}

  onStart(ctx: NodeContext<ZkMessage>): void {
    ctx.connect(SERVER);
  }

  onConnection(ctx: NodeContext<ZkMessage>, change: ConnectionChange): void {
    if (change.up && change.peer === SERVER) ctx.send(SERVER, { type: "ConnectRequest", sessionId: "0x0", timeoutMs: 30_000, lastZxid: "0x0" });
  }

  onMessage(ctx: NodeContext<ZkMessage>, _from: NodeId, msg: ZkMessage): void {
    if (msg.type === "ConnectResponse") {
      this.connected = true;
      this.next(ctx);
    } else if (msg.type === "Reply" && this.connected) {
      this.done.count++;
      this.next(ctx);
    }
  }

  private next(ctx: NodeContext<ZkMessage>): void {
    if (this.done.count >= this.done.target) return;
    const i = this.step++;
    const path = `/${this.name}-${Math.floor(i / 3)}`;
    const p = this.payload;
    let body: TraceValue;
    switch (i % 3) {
      case 0:
        body = { op: "write", req: { type: "create", path, data: p.data, acl: p.acl, flags: 0, ttlMs: p.noTtl } };
        break;
      case 1:
        body = { op: "write", req: { type: "setData", path, data: p.data, version: -1 } };
        break;
      default:
        body = { op: "getData", path, watch: false };
    }
    ctx.send(SERVER, { type: "Request", xid: i + 1, body });
  }
}

export type ZkLoadResult = { readonly ops: number; readonly simUs: number; readonly traceEvents: number; readonly events: number };

/**
 * Runs `ops` operations from `sessions` closed-loop sessions against one standalone server with
 * its txn log on the simulated disk and the trace on (hashed, kept nowhere); `traced` false turns
 * the trace off, to tell the trace's share of the cost from the rest.
 */
export function zkClosedLoop(ops: number, sessions = 8, traced = true): ZkLoadResult {
  const world = new World({ seed: 1, network: { connect: "explicit" }, trace: traced ? { sink: { kind: "none" } } : false });
  world.addNode(SERVER, standaloneServer(DEFAULT_STANDALONE));
  world.start(SERVER);
  const payload: Payload = { data: toWire(new TextEncoder().encode("value")), acl: toWire(OPEN_ACL_UNSAFE), noTtl: toWire(-1n) };
  const done = { count: 0, target: ops };
  for (let c = 1; c <= sessions; c++) {
    const id = `load${c}`;
    world.addNode(id, () => new LoadClient(`k${c}`, payload, done));
    world.start(id);
  }
  const reason = world.run({ stopWhen: () => done.count >= ops });
  const summary = world.end(reason);
  return { ops: done.count, simUs: summary.simUs, traceEvents: summary.events, events: summary.dispatched };
}
