import { assert } from "../../sim/assert.js";
import type { NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { SessionEvent } from "../client/session.js";
import { ZkClientNode } from "../client/zk-client-node.js";
import { ZkHandle } from "../client/zk-handle.js";
import { CREATE_MODE } from "../create-mode.js";
import { ERR } from "../errors.js";
import type { ZkMessage } from "../server/messages.js";
import { traceRecipe } from "./events.js";

/** What every recipe client needs: where the ensemble is and how it keeps its session. */
export type RecipeClientParams = {
  /** The servers of the connect string (the client shuffles them). */
  readonly servers: readonly NodeId[];
  /** The session timeout the client asks for. */
  readonly sessionTimeoutMs?: number;
  /** How long after learning of an expiry the client opens a new session. */
  readonly restartDelayMs?: number;
};

export const DEFAULT_RECIPE_SESSION_TIMEOUT_MS = 10_000;
const DEFAULT_RESTART_DELAY_MS = 100;
/** After an error the recipe does not expect, it tries the step again after this pause. */
const ERROR_RETRY_MS = 1000;

/** `stop`: close the session and do nothing more (a scenario's way to end a client cleanly). */
export type RecipeInput = { readonly type: "stop" };

type Step = (ctx: NodeContext<ZkMessage>) => void;

const TIMER = "recipe/";
const RESTART = "restart";

/**
 * What the recipes share: a `ZkHandle` with a session opened at start; the recipe's `begin` on each
 * new session; retrying a step once the session is back after a ConnectionLoss (the session is the
 * same, so the recipe's ephemerals are still there and it can look for what it did); on Expired, the
 * recipe's `expired` (what it held is gone), then a new session after a short pause.
 *
 * Callbacks are bound to the session they were made in (`bound`): anything that arrives for an older
 * session is dropped, so a recipe never acts on a stale view.
 */
export abstract class RecipeNode extends ZkClientNode<RecipeInput> {
  protected readonly zk: ZkHandle;
  protected readonly servers: readonly NodeId[];
  protected readonly sessionTimeoutMs: number;
  private readonly restartDelayMs: number;
  private epoch = 0;
  private begun = false;
  private resumers: Step[] = [];
  private readonly timers = new Map<string, { readonly epoch: number; readonly step: Step }>();
  protected stopped = false;

  protected constructor(
    protected readonly recipe: string,
    params: RecipeClientParams,
  ) {
    super();
    assert(params.servers.length > 0, `${recipe}: a recipe client needs servers`);
    this.servers = params.servers;
    this.sessionTimeoutMs = params.sessionTimeoutMs ?? DEFAULT_RECIPE_SESSION_TIMEOUT_MS;
    this.restartDelayMs = params.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS;
    this.zk = new ZkHandle((ctx, event, id) => this.onSessionEvent(ctx, event, id));
  }

  /** Called once per session, when it is first connected. */
  protected abstract begin(ctx: NodeContext<ZkMessage>): void;

  /** Called when the client learns that its session expired, before it starts over. */
  protected abstract expired(ctx: NodeContext<ZkMessage>, session: string): void;

  get session(): string {
    return this.zk.sessionId;
  }

  // ---------------------------------------------------------------- the node

  onStart(ctx: NodeContext<ZkMessage>, _how: StartKind): void {
    this.openSession(ctx);
  }

  onInput(ctx: NodeContext<ZkMessage>, input: RecipeInput): void {
    assert(input.type === "stop", `unknown recipe input ${JSON.stringify(input)}`);
    this.stop(ctx);
  }

  /** Ends the recipe: no more steps, the session is closed (its ephemerals go at once). */
  protected stop(ctx: NodeContext<ZkMessage>): void {
    this.stopped = true;
    this.epoch++;
    this.zk.close(ctx);
  }



  protected override onOwnTimer(ctx: NodeContext<ZkMessage>, name: string): void {
    assert(name.startsWith(TIMER), `unknown timer ${name}`);
    const key = name.slice(TIMER.length);
    if (key === RESTART) {
      if (!this.stopped) this.openSession(ctx);
      return;
    }
    const t = this.timers.get(key);
    this.timers.delete(key);
    if (t !== undefined && t.epoch === this.epoch && !this.stopped) t.step(ctx);
  }

  private openSession(ctx: NodeContext<ZkMessage>): void {
    this.epoch++;
    this.begun = false;
    this.resumers = [];
    this.zk.open(ctx, this.servers, this.sessionTimeoutMs);
  }

  private onSessionEvent(ctx: NodeContext<ZkMessage>, event: SessionEvent, session: string): void {
    if (this.stopped) return;
    switch (event) {
      case "SyncConnected": {
        if (!this.begun) {
          this.begun = true;
          traceRecipe(ctx, { type: "recipe-start", recipe: this.recipe, session });
          this.begin(ctx);
          return;
        }
        const waiting = this.resumers;
        this.resumers = [];
        for (const step of waiting) step(ctx);
        return;
      }
      case "Disconnected":
        return;
      case "Expired":
        this.epoch++;
        this.resumers = [];
        for (const key of this.timers.keys()) ctx.cancelTimer(TIMER + key);
        this.timers.clear();
        traceRecipe(ctx, { type: "recipe-expired", recipe: this.recipe, session });
        this.expired(ctx, session);
        ctx.setTimer(TIMER + RESTART, this.restartDelayMs * 1000);
        return;
    }
  }

  // ---------------------------------------------------------------- helpers for the recipes

  /** Wraps a callback so that it runs only while the session it was made in is current. */
  protected bound<A extends unknown[]>(fn: (ctx: NodeContext<ZkMessage>, ...args: A) => void): (ctx: NodeContext<ZkMessage>, ...args: A) => void {
    const epoch = this.epoch;
    return (ctx, ...args) => {
      if (epoch === this.epoch && !this.stopped) fn(ctx, ...args);
    };
  }

  /** Runs a step after `delayMs` (one pending step per name; setting it again replaces it). */
  protected after(ctx: NodeContext<ZkMessage>, name: string, delayMs: number, step: Step): void {
    assert(name !== RESTART, "that timer name is the recipe's own");
    this.timers.set(name, { epoch: this.epoch, step });
    ctx.setTimer(TIMER + name, delayMs * 1000);
  }

  protected cancel(ctx: NodeContext<ZkMessage>, name: string): void {
    this.timers.delete(name);
    ctx.cancelTimer(TIMER + name);
  }

  /**
   * The usual verdict on a reply: false when it succeeded (err 0, or one of `fine`); otherwise the
   * failure is handled and the caller stops. ConnectionLoss: `retry` runs once the session is back
   * (the request may or may not have been applied, so retry steps look before they act).
   * SessionExpired: nothing, the Expired event follows. Anything else is traced and retried later.
   */
  protected failed(ctx: NodeContext<ZkMessage>, op: string, err: number, retry: Step, fine: readonly number[] = []): boolean {
    if (err === 0 || fine.includes(err)) return false;
    if (err === ERR.ConnectionLoss) {
      ctx.mark(`recipe ${this.recipe}: retry after ConnectionLoss`);
      if (this.zk.state === "connected") retry(ctx);
      else this.resumers.push(this.bound(retry));
      return true;
    }
    if (err === ERR.SessionExpired) return true;
    traceRecipe(ctx, { type: "recipe-error", recipe: this.recipe, op, err, session: this.session });
    this.after(ctx, `retry-${op}`, ERROR_RETRY_MS, retry);
    return true;
  }

  /** Creates `path` and its missing ancestors as persistent nodes, then runs `then`. */
  protected ensurePath(ctx: NodeContext<ZkMessage>, path: string, then: Step): void {
    const parts = path.split("/").filter((p) => p !== "");
    const walk = (c: NodeContext<ZkMessage>, i: number): void => {
      if (i > parts.length) return then(c);
      const p = "/" + parts.slice(0, i).join("/");
      this.zk.create(
        c,
        p,
        null,
        CREATE_MODE.PERSISTENT,
        this.bound((c2, err) => {
          if (this.failed(c2, "create", err, (c3) => walk(c3, i), [ERR.NodeExists])) return;
          walk(c2, i + 1);
        }),
      );
    };
    walk(ctx, 1);
  }
}

/** The last path component. */
export const baseName = (path: string): string => path.slice(path.lastIndexOf("/") + 1);
