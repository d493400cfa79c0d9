import type { NodeContext, NodeFactory, NodeId } from "../../sim/node.js";
import type { ZkMessage } from "../server/messages.js";
import { Contender } from "./contender.js";
import { traceRecipe } from "./events.js";
import type { RecipeClientParams, RecipeInput } from "./recipe-node.js";

export type LockParams = RecipeClientParams & {
  /** The lock's znode; holders' children go under it. */
  readonly lockPath: string;
  /** How long a holder keeps the lock. */
  readonly holdMs: number;
  /** The pause between a release and the next attempt. */
  readonly idleMs: number;
  /** How many acquisitions before the client stops; 0: no limit. */
  readonly rounds: number;
};

/**
 * The exclusive lock of the ZooKeeper recipes: a client takes the lock when its ephemeral sequential
 * child of the lock node is the lowest, holds it for `holdMs`, releases it by deleting the child, and
 * tries again after `idleMs`. Traces `lock-acquired`, `lock-released` (as the delete is sent: the
 * holder stops using the lock first) and `lock-lost` (its session expired while it held the lock).
 */
export class LockClient extends Contender {
  protected readonly namePrefix = "x";
  private readonly lockPath: string;

  constructor(params: LockParams) {
    super("lock", { ...params, path: params.lockPath });
    this.lockPath = params.lockPath;
  }

  protected won(ctx: NodeContext<ZkMessage>, znode: string): void {
    traceRecipe(ctx, { type: "lock-acquired", lock: this.lockPath, session: this.session, znode });
  }

  protected lettingGo(ctx: NodeContext<ZkMessage>, znode: string): void {
    traceRecipe(ctx, { type: "lock-released", lock: this.lockPath, session: this.session, znode });
  }

  protected lost(ctx: NodeContext<ZkMessage>, session: string, znode: string): void {
    traceRecipe(ctx, { type: "lock-lost", lock: this.lockPath, session, znode });
  }
}

export const lockClient =
  (params: LockParams): NodeFactory<ZkMessage, RecipeInput> =>
  (_id: NodeId) =>
    new LockClient(params);
