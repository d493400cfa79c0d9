import type { NodeContext, NodeFactory, NodeId } from "../../sim/node.js";
import type { ZkMessage } from "../server/messages.js";
import { Contender } from "./contender.js";
import { traceRecipe } from "./events.js";
import type { RecipeClientParams, RecipeInput } from "./recipe-node.js";

export type ElectionParams = RecipeClientParams & {
  /** The election's znode; candidates' children go under it. */
  readonly electionPath: string;
  /** How long a leader leads before it resigns and volunteers again; null: until its session ends. */
  readonly termMs: number | null;
};

/**
 * Leader election from the ZooKeeper recipes: every candidate volunteers with an ephemeral
 * sequential child of the election node; the lowest leads; each other candidate watches the one
 * just before it. A leader serves `termMs`, then resigns (deletes its child) and volunteers again
 * at the back of the line. Traces `election-leader`, `election-resigned` (as the delete is sent)
 * and `election-lost` (its session expired while it led).
 */
export class ElectionCandidate extends Contender {
  protected readonly namePrefix = "n";
  private readonly electionPath: string;

  constructor(params: ElectionParams) {
    super("election", { ...params, path: params.electionPath, holdMs: params.termMs, idleMs: 0, rounds: 0 });
    this.electionPath = params.electionPath;
  }

  protected won(ctx: NodeContext<ZkMessage>, znode: string): void {
    traceRecipe(ctx, { type: "election-leader", election: this.electionPath, session: this.session, znode });
  }

  protected lettingGo(ctx: NodeContext<ZkMessage>, znode: string): void {
    traceRecipe(ctx, { type: "election-resigned", election: this.electionPath, session: this.session, znode });
  }

  protected lost(ctx: NodeContext<ZkMessage>, session: string, znode: string): void {
    traceRecipe(ctx, { type: "election-lost", election: this.electionPath, session, znode });
  }
}

export const electionCandidate =
  (params: ElectionParams): NodeFactory<ZkMessage, RecipeInput> =>
  (_id: NodeId) =>
    new ElectionCandidate(params);
