import type { NodeContext, NodeId, StartKind } from "../../sim/node.js";
import { ZkClientNode } from "../client/zk-client-node.js";
import { ZkHandle } from "../client/zk-handle.js";
import { ERR } from "../errors.js";
import type { ZkMessage } from "../server/messages.js";

/** A command to carry out: `submit` creates `/cmd-<cmd>` (the protocol lab's unit of work). */
export type CommandInput = { readonly type: "submit"; readonly cmd: number };

export type CommandClientParams = {
  readonly servers: readonly NodeId[];
  readonly sessionTimeoutMs: number;
  /** The pause before a command lost with the connection is tried again. */
  readonly retryMs: number;
};

const RETRY = "command/retry";

/**
 * The protocol lab's client on ZooKeeper: each submitted command becomes a create of
 * `/cmd-<n>` with data `c1:<n>`. A ConnectionLoss leaves it unknown, so the client tries again
 * after `retryMs`; NodeExists on a retry means the lost attempt had committed. Traces `submit` and
 * `reply {cmd, outcome}`, the events the lab reads.
 */
export class CommandClient extends ZkClientNode<CommandInput> {
  protected readonly zk: ZkHandle;
  private readonly retrying: number[] = [];
  private readonly tried = new Set<number>();

  constructor(private readonly params: CommandClientParams) {
    super();
    this.zk = new ZkHandle(() => undefined);
  }

  onStart(ctx: NodeContext<ZkMessage>, _how: StartKind): void {
    this.zk.open(ctx, this.params.servers, this.params.sessionTimeoutMs);
  }

  onInput(ctx: NodeContext<ZkMessage>, input: CommandInput): void {
    ctx.trace({ type: "submit", cmd: input.cmd });
    this.attempt(ctx, input.cmd);
  }

  private attempt(ctx: NodeContext<ZkMessage>, cmd: number): void {
    const again = this.tried.has(cmd);
    this.tried.add(cmd);
    this.zk.create(ctx, `/cmd-${cmd}`, `${ctx.id}:${cmd}`, 0, (c, err) => {
      if (err === 0 || (again && err === ERR.NodeExists)) {
        c.trace({ type: "reply", cmd, outcome: "commit" });
        return;
      }
      if (err === ERR.ConnectionLoss || err === ERR.SessionExpired) {
        if (err === ERR.SessionExpired) this.zk.open(c, this.params.servers, this.params.sessionTimeoutMs);
        this.retrying.push(cmd);
        if (!c.hasTimer(RETRY)) c.setTimer(RETRY, this.params.retryMs * 1000);
        return;
      }
      c.trace({ type: "reply", cmd, outcome: "abort" });
    });
  }



  protected override onOwnTimer(ctx: NodeContext<ZkMessage>, name: string): void {
    if (name !== RETRY) return;
    for (const cmd of this.retrying.splice(0)) this.attempt(ctx, cmd);
  }
}
