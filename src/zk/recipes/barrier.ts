import { assert } from "../../sim/assert.js";
import type { NodeContext, NodeFactory, NodeId } from "../../sim/node.js";
import type { Stat } from "../stat.js";
import { CREATE_MODE } from "../create-mode.js";
import { ERR } from "../errors.js";
import type { ZkMessage } from "../server/messages.js";
import { traceRecipe } from "./events.js";
import { RecipeNode, type RecipeClientParams, type RecipeInput } from "./recipe-node.js";

const READY = "ready";
const MEMBER = "m-";

export type BarrierParams = RecipeClientParams & {
  /** The barrier's znode; each round uses a child `r<round>`. */
  readonly barrierPath: string;
  /** How many members the barrier waits for. */
  readonly size: number;
  /** How many rounds each member goes through. */
  readonly rounds: number;
  /** How long a member works between entering and leaving. */
  readonly workMs: number;
};

type Phase = "entering" | "working" | "leaving" | "done";

/**
 * The double barrier of the ZooKeeper recipes, in rounds. Enter: watch for `ready`, create the
 * member's ephemeral znode (`m-<member>`), list the round; with `size` members present create `ready`
 * (everyone watching wakes); otherwise wait for it. Leave: list the members; none left: done; only
 * ours: delete it, done; ours the lowest: wait for the highest to go; else delete ours and wait for
 * the lowest to go; then look again.
 *
 * The member's znode has a fixed name, so after a ConnectionLoss the member checks whether the znode
 * is there and whose session owns it. After an expiry the znode is gone: a member that had not
 * entered yet joins the round again on its new session; one that had entered goes on leaving.
 */
export class BarrierMember extends RecipeNode {
  private readonly path: string;
  private readonly size: number;
  private readonly rounds: number;
  private readonly workMs: number;
  private round = 0;
  private phase: Phase = "entering";
  /** Our znode in the round exists (as far as we know). */
  private present = false;

  constructor(
    private readonly member: NodeId,
    params: BarrierParams,
  ) {
    super("barrier", params);
    assert(params.size > 0 && params.rounds > 0, "a barrier needs members and rounds");
    this.path = params.barrierPath;
    this.size = params.size;
    this.rounds = params.rounds;
    this.workMs = params.workMs;
  }

  get roundsDone(): number {
    return this.round;
  }

  private get dir(): string {
    return `${this.path}/r${this.round}`;
  }

  private get mine(): string {
    return `${this.dir}/${MEMBER}${this.member}`;
  }

  private fact(type: "barrier-joining" | "barrier-entered" | "barrier-left"): Parameters<typeof traceRecipe>[1] {
    return { type, barrier: this.dir, round: this.round, member: this.member, session: this.session, size: this.size };
  }

  protected begin(ctx: NodeContext<ZkMessage>): void {
    this.present = false;
    switch (this.phase) {
      case "entering":
        return this.ensurePath(ctx, this.dir, (c) => this.enter(c));
      case "working":
        return this.after(ctx, "work", this.workMs, (c) => this.leave(c));
      case "leaving":
        return this.leave(ctx);
      case "done":
        return;
    }
  }

  protected expired(_ctx: NodeContext<ZkMessage>, _session: string): void {
    this.present = false;
  }

  // ---------------------------------------------------------------- enter

  private enter(ctx: NodeContext<ZkMessage>): void {
    traceRecipe(ctx, this.fact("barrier-joining"));
    this.zk.create(
      ctx,
      this.mine,
      this.member,
      CREATE_MODE.EPHEMERAL,
      this.bound((c, err) => {
        if (err === ERR.NodeExists) return this.checkOwn(c);
        if (this.failed(c, "create", err, (c2) => this.checkOwn(c2))) return;
        this.joined(c);
      }),
    );
  }

  /**
   * Our znode may exist already (a create lost with the connection): ours if our session owns it.
   * One left by an older session of ours: wait for that session's end; a missing one is created.
   */
  private checkOwn(ctx: NodeContext<ZkMessage>): void {
    const gone = this.bound((c: NodeContext<ZkMessage>) => {
      if (this.phase === "entering" && !this.present) this.enter(c);
    });
    this.zk.exists(
      ctx,
      this.mine,
      gone,
      this.bound((c, err, stat: Stat | null) => {
        if (this.failed(c, "exists", err, (c2) => this.checkOwn(c2))) return;
        if (stat === null) return this.enter(c);
        if (stat.ephemeralOwner === BigInt(this.session)) return this.joined(c);
        c.mark("recipe barrier: waiting for an older session's znode to go");
      }),
    );
  }

  /** Our znode is in: enter if `ready` exists, make it if the round is full, else wait for it. */
  private joined(ctx: NodeContext<ZkMessage>): void {
    this.present = true;
    const onReady = this.bound((c: NodeContext<ZkMessage>) => {
      if (this.phase === "entering") this.entered(c);
    });
    this.zk.exists(
      ctx,
      `${this.dir}/${READY}`,
      onReady,
      this.bound((c, err, ready) => {
        if (this.failed(c, "exists", err, (c2) => this.joined(c2))) return;
        if (this.phase !== "entering") return;
        if (ready !== null) return this.entered(c);
        this.zk.getChildren(
          c,
          this.dir,
          null,
          this.bound((c2, err2, children) => {
            if (this.failed(c2, "getChildren", err2, (c3) => this.joined(c3))) return;
            if (this.phase !== "entering") return;
            if (children.filter((n) => n.startsWith(MEMBER)).length < this.size) return; // the ready watch wakes us
            this.zk.create(
              c2,
              `${this.dir}/${READY}`,
              null,
              CREATE_MODE.PERSISTENT,
              this.bound((c3, err3) => {
                if (this.failed(c3, "create", err3, (c4) => this.joined(c4), [ERR.NodeExists])) return;
                if (this.phase === "entering") this.entered(c3);
              }),
            );
          }),
        );
      }),
    );
  }

  private entered(ctx: NodeContext<ZkMessage>): void {
    this.phase = "working";
    traceRecipe(ctx, this.fact("barrier-entered"));
    this.after(ctx, "work", this.workMs, (c) => this.leave(c));
  }

  // ---------------------------------------------------------------- leave

  private leave(ctx: NodeContext<ZkMessage>): void {
    this.phase = "leaving";
    this.zk.getChildren(
      ctx,
      this.dir,
      null,
      this.bound((c, err, children) => {
        if (this.failed(c, "getChildren", err, (c2) => this.leave(c2))) return;
        const members = children.filter((n) => n.startsWith(MEMBER)).sort();
        const own = `${MEMBER}${this.member}`;
        this.present = members.includes(own);
        if (members.length === 0) return this.left(c);
        if (this.present && members.length === 1) return this.deleteOwn(c, (c2) => this.left(c2));
        const lowest = members[0] as string;
        const highest = members[members.length - 1] as string;
        if (this.present && lowest === own) return this.waitFor(c, highest);
        if (this.present) return this.deleteOwn(c, (c2) => this.waitFor(c2, lowest));
        this.waitFor(c, lowest);
      }),
    );
  }

  private deleteOwn(ctx: NodeContext<ZkMessage>, then: (ctx: NodeContext<ZkMessage>) => void): void {
    this.zk.delete(
      ctx,
      this.mine,
      -1,
      this.bound((c, err) => {
        if (this.failed(c, "delete", err, (c2) => this.leave(c2), [ERR.NoNode])) return;
        this.present = false;
        then(c);
      }),
    );
  }

  /** Waits for a member's znode to go, then looks again. */
  private waitFor(ctx: NodeContext<ZkMessage>, name: string): void {
    const again = this.bound((c: NodeContext<ZkMessage>) => {
      if (this.phase === "leaving") this.leave(c);
    });
    this.zk.exists(
      ctx,
      `${this.dir}/${name}`,
      again,
      this.bound((c, err, stat) => {
        if (this.failed(c, "exists", err, (c2) => this.leave(c2))) return;
        if (stat === null) this.leave(c);
      }),
    );
  }

  private left(ctx: NodeContext<ZkMessage>): void {
    traceRecipe(ctx, this.fact("barrier-left"));
    this.round++;
    if (this.round >= this.rounds) {
      this.phase = "done";
      return;
    }
    this.phase = "entering";
    this.present = false;
    this.ensurePath(ctx, this.dir, (c) => this.enter(c));
  }
}

export const barrierMember =
  (params: BarrierParams): NodeFactory<ZkMessage, RecipeInput> =>
  (id: NodeId) =>
    new BarrierMember(id, params);
