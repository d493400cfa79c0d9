import type { NodeContext, NodeFactory, NodeId } from "../../sim/node.js";
import { CREATE_MODE } from "../create-mode.js";
import { ERR } from "../errors.js";
import type { ZkMessage } from "../server/messages.js";
import { traceRecipe } from "./events.js";
import { RecipeNode, type RecipeClientParams, type RecipeInput } from "./recipe-node.js";

export type GroupMemberParams = RecipeClientParams & {
  /** The group's znode; members' ephemeral children go under it. */
  readonly groupPath: string;
  /** Leave the group for good (close the session) after this long; null: stay. */
  readonly leaveAfterMs: number | null;
};

/**
 * Group membership: each member joins with an ephemeral child of the group named after itself and
 * its session (`<member>-<session>`), so a create lost with the connection is settled by trying it
 * again (NodeExists: it is ours). Every member also watches the group's children and reports each
 * new view (`group-view`, the sorted names). The child goes when the member's session ends, so the
 * views follow the live sessions; after an expiry the member joins again on its new session.
 */
export class GroupMember extends RecipeNode {
  private readonly path: string;
  private readonly leaveAfterMs: number | null;
  private lastView: string | null = null;
  private leaveArmed = false;

  constructor(
    private readonly member: NodeId,
    params: GroupMemberParams,
  ) {
    super("membership", params);
    this.path = params.groupPath;
    this.leaveAfterMs = params.leaveAfterMs;
  }

  protected begin(ctx: NodeContext<ZkMessage>): void {
    this.lastView = null;
    this.ensurePath(ctx, this.path, (c) => this.join(c));
    if (this.leaveAfterMs !== null && !this.leaveArmed) {
      this.leaveArmed = true;
      ctx.setTimer("group/leave", this.leaveAfterMs * 1000);
    }
  }

  protected expired(_ctx: NodeContext<ZkMessage>, _session: string): void {}

  override onTimer(ctx: NodeContext<ZkMessage>, name: string): void {
    if (name !== "group/leave") return super.onTimer(ctx, name);
    if (this.stopped) return;
    traceRecipe(ctx, { type: "group-leaving", group: this.path, member: this.member, session: this.session });
    this.stop(ctx);
  }

  private join(ctx: NodeContext<ZkMessage>): void {
    const znode = `${this.path}/${this.member}-${this.session}`;
    this.zk.create(
      ctx,
      znode,
      this.member,
      CREATE_MODE.EPHEMERAL,
      this.bound((c, err) => {
        if (this.failed(c, "create", err, (c2) => this.join(c2), [ERR.NodeExists])) return;
        traceRecipe(c, { type: "group-joined", group: this.path, member: this.member, session: this.session, znode });
        this.watch(c);
      }),
    );
  }

  private watch(ctx: NodeContext<ZkMessage>): void {
    const changed = this.bound((c: NodeContext<ZkMessage>) => this.watch(c));
    this.zk.getChildren(
      ctx,
      this.path,
      changed,
      this.bound((c, err, children) => {
        if (this.failed(c, "getChildren", err, (c2) => this.watch(c2))) return;
        const members = [...children].sort();
        const view = members.join(",");
        if (view === this.lastView) return;
        this.lastView = view;
        traceRecipe(c, { type: "group-view", group: this.path, members, session: this.session });
      }),
    );
  }
}

export const groupMember =
  (params: GroupMemberParams): NodeFactory<ZkMessage, RecipeInput> =>
  (id: NodeId) =>
    new GroupMember(id, params);
