import type { NodeContext, NodeId, StartKind } from "../../sim/node.js";
import { ZkClientNode } from "../client/zk-client-node.js";
import { ZkHandle } from "../client/zk-handle.js";
import type { ZkMessage } from "../server/messages.js";

export type LoadClientParams = {
  readonly servers: readonly NodeId[];
  readonly sessionTimeoutMs: number;
  /** Writes to make in all (setData on the client's own node); 0: no limit. */
  readonly writes: number;
  /** Requests kept in flight at once (a closed loop: a new one as each completes). */
  readonly inFlight: number;
};

/**
 * A closed-loop writer, as a load test drives ZooKeeper: creates its own znode, then keeps
 * `inFlight` setData requests outstanding until it has made `writes` of them. It traces only a
 * `load-done` line at the end (the servers' traces carry the rest), so it costs the run little.
 */
export class LoadClient extends ZkClientNode<never> {
  protected readonly zk: ZkHandle;
  private sent = 0;
  private done = 0;
  private failed = 0;
  private path = "";

  constructor(private readonly params: LoadClientParams) {
    super();
    this.zk = new ZkHandle(() => undefined);
  }

  onStart(ctx: NodeContext<ZkMessage>, _how: StartKind): void {
    this.path = `/load-${ctx.id}`;
    this.zk.open(ctx, this.params.servers, this.params.sessionTimeoutMs);
    this.zk.create(ctx, this.path, "0", 0, (c) => {
      for (let i = 0; i < this.params.inFlight; i++) this.next(c);
    });
  }

  private next(ctx: NodeContext<ZkMessage>): void {
    if (this.params.writes > 0 && this.sent >= this.params.writes) return;
    this.sent++;
    this.zk.setData(ctx, this.path, String(this.sent), -1, (c, err) => {
      this.done++;
      if (err !== 0) this.failed++;
      if (this.params.writes > 0 && this.done === this.params.writes) c.trace({ type: "load-done", writes: this.done, failed: this.failed });
      this.next(c);
    });
  }

  get completed(): number {
    return this.done;
  }



}
