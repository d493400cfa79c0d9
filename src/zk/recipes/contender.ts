import { assert } from "../../sim/assert.js";
import type { NodeContext } from "../../sim/node.js";
import { CREATE_MODE } from "../create-mode.js";
import { ERR } from "../errors.js";
import type { ZkMessage } from "../server/messages.js";
import { baseName, RecipeNode, type RecipeClientParams } from "./recipe-node.js";
import { bySequence } from "./sequence.js";

export type ContenderParams = RecipeClientParams & {
  /** The parent of the contenders' znodes (created if missing). */
  readonly path: string;
  /** How long the winner holds before it lets go; null: until its session ends. */
  readonly holdMs: number | null;
  /** The pause between letting go and contending again. */
  readonly idleMs: number;
  /** How many wins before the client stops contending; 0: no limit. */
  readonly rounds: number;
};

type Phase = "idle" | "contending" | "holding" | "releasing" | "done";

/**
 * The pattern behind the lock and the leader election of the ZooKeeper recipes (`WriteLock`): each
 * contender creates an ephemeral sequential znode under the path, named with its session id; the
 * lowest wins. A loser watches only the znode just before its own (no herd effect: a release wakes
 * one client), and looks again when it goes.
 *
 * After a ConnectionLoss on the create, the znode may exist without the client knowing its name: it
 * lists the children and takes the one carrying its session id, creating a new one only if there is
 * none (`findPrefixInChildren`, Curator's protected mode). After an expiry the znode is gone with the
 * session; the client says it lost what it held and contends again on a new session.
 */
export abstract class Contender extends RecipeNode {
  private readonly path: string;
  private readonly holdMs: number | null;
  private readonly idleMs: number;
  private readonly maxRounds: number;
  private phase: Phase = "idle";
  private mine: string | null = null;
  private wins = 0;

  protected constructor(recipe: string, params: ContenderParams) {
    super(recipe, params);
    assert(params.path.startsWith("/") && !params.path.endsWith("/"), `${recipe}: bad path ${params.path}`);
    this.path = params.path;
    this.holdMs = params.holdMs;
    this.idleMs = params.idleMs;
    this.maxRounds = params.rounds;
  }

  /** The name the contender's znodes start with, before the session id. */
  protected abstract readonly namePrefix: string;
  /** Now the winner (trace it). */
  protected abstract won(ctx: NodeContext<ZkMessage>, znode: string): void;
  /** The winner lets go; called before the delete is sent. */
  protected abstract lettingGo(ctx: NodeContext<ZkMessage>, znode: string): void;
  /** The winner's session expired. */
  protected abstract lost(ctx: NodeContext<ZkMessage>, session: string, znode: string): void;

  /** How many times this client has won (and let go or lost). */
  get completed(): number {
    return this.wins;
  }

  get holding(): boolean {
    return this.phase === "holding";
  }

  private get ownPrefix(): string {
    return `${this.namePrefix}-${this.session}-`;
  }

  protected begin(ctx: NodeContext<ZkMessage>): void {
    this.mine = null;
    if (this.maxRounds > 0 && this.wins >= this.maxRounds) {
      this.phase = "done";
      return;
    }
    this.ensurePath(ctx, this.path, (c) => this.contend(c));
  }

  protected expired(ctx: NodeContext<ZkMessage>, session: string): void {
    if (this.phase === "holding" && this.mine !== null) this.lost(ctx, session, this.mine);
    // A release under way is complete: the session's ephemerals are gone.
    if (this.phase === "holding" || this.phase === "releasing") this.wins++;
    this.mine = null;
    this.phase = this.phase === "done" ? "done" : "idle";
  }

  private contend(ctx: NodeContext<ZkMessage>): void {
    this.phase = "contending";
    this.zk.create(
      ctx,
      `${this.path}/${this.ownPrefix}`,
      null,
      CREATE_MODE.EPHEMERAL_SEQUENTIAL,
      this.bound((c, err, created) => {
        if (err === ERR.NoNode) return this.ensurePath(c, this.path, (c2) => this.contend(c2));
        if (this.failed(c, "create", err, (c2) => this.findOwn(c2))) return;
        this.mine = created;
        this.look(c);
      }),
    );
  }

  /** After a lost create: our znode, if the create was applied, carries our session id. */
  private findOwn(ctx: NodeContext<ZkMessage>): void {
    this.zk.getChildren(
      ctx,
      this.path,
      null,
      this.bound((c, err, children) => {
        if (this.failed(c, "getChildren", err, (c2) => this.findOwn(c2))) return;
        const own = children.find((n) => n.startsWith(this.ownPrefix));
        if (own === undefined) return this.contend(c);
        c.mark(`recipe ${this.recipe}: found own znode after ConnectionLoss`);
        this.mine = `${this.path}/${own}`;
        this.look(c);
      }),
    );
  }

  /** Lists the contenders: lowest wins; otherwise watch the one just before ours. */
  private look(ctx: NodeContext<ZkMessage>): void {
    const mine = this.mine;
    assert(mine !== null && this.phase === "contending", "looking needs our own znode");
    this.zk.getChildren(
      ctx,
      this.path,
      null,
      this.bound((c, err, children) => {
        if (this.failed(c, "getChildren", err, (c2) => this.look(c2))) return;
        const sorted = bySequence(children);
        const at = sorted.indexOf(baseName(mine));
        if (at < 0) {
          // Our znode is gone (deleted by someone else): contend afresh.
          c.mark(`recipe ${this.recipe}: own znode vanished`);
          this.mine = null;
          return this.contend(c);
        }
        if (at === 0) return this.win(c);
        const before = `${this.path}/${sorted[at - 1] as string}`;
        const watcher = this.bound((c2: NodeContext<ZkMessage>) => {
          if (this.phase === "contending" && this.mine === mine) this.look(c2);
        });
        this.zk.exists(
          c,
          before,
          watcher,
          this.bound((c2, err2, stat) => {
            if (this.failed(c2, "exists", err2, (c3) => this.look(c3))) return;
            // Gone already: look again at once; otherwise the watch wakes us.
            if (stat === null) this.look(c2);
          }),
        );
      }),
    );
  }

  private win(ctx: NodeContext<ZkMessage>): void {
    assert(this.mine !== null, "a winner has its znode");
    this.phase = "holding";
    this.won(ctx, this.mine);
    if (this.holdMs !== null) this.after(ctx, "hold", this.holdMs, (c) => this.letGo(c));
  }

  private letGo(ctx: NodeContext<ZkMessage>): void {
    assert(this.mine !== null && this.phase === "holding", "only the holder lets go");
    this.phase = "releasing";
    this.lettingGo(ctx, this.mine);
    this.deleteOwn(ctx);
  }

  private deleteOwn(ctx: NodeContext<ZkMessage>): void {
    assert(this.mine !== null, "deleting needs our znode");
    this.zk.delete(
      ctx,
      this.mine,
      -1,
      this.bound((c, err) => {
        if (this.failed(c, "delete", err, (c2) => this.deleteOwn(c2), [ERR.NoNode])) return;
        this.mine = null;
        this.wins++;
        if (this.maxRounds > 0 && this.wins >= this.maxRounds) {
          this.phase = "done";
          return;
        }
        this.phase = "idle";
        this.after(c, "again", this.idleMs, (c2) => this.contend(c2));
      }),
    );
  }
}
