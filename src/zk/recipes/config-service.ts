import type { NodeContext, NodeFactory, NodeId } from "../../sim/node.js";
import { CREATE_MODE } from "../create-mode.js";
import { ERR } from "../errors.js";
import type { ZkMessage } from "../server/messages.js";
import { traceRecipe } from "./events.js";
import { RecipeNode, type RecipeClientParams, type RecipeInput } from "./recipe-node.js";

const parentOf = (path: string): string => path.slice(0, path.lastIndexOf("/")) || "/";

export type ConfigWriterParams = RecipeClientParams & {
  /** The config znode (created with the first value if missing). */
  readonly configPath: string;
  /** How many new values to write. */
  readonly writes: number;
  readonly intervalMs: number;
};

/**
 * Publishes configuration: every `intervalMs` a setData of the config znode with a new value
 * (`<node>-<n>`); an acknowledged write is traced with the data version it produced
 * (`config-written`). A write lost with the connection is not retried (its value may or may not be
 * in); the next write supersedes it.
 */
export class ConfigWriter extends RecipeNode {
  private readonly path: string;
  private readonly writes: number;
  private readonly intervalMs: number;
  private written = 0;

  constructor(
    private readonly id: NodeId,
    params: ConfigWriterParams,
  ) {
    super("config-writer", params);
    this.path = params.configPath;
    this.writes = params.writes;
    this.intervalMs = params.intervalMs;
  }

  protected begin(ctx: NodeContext<ZkMessage>): void {
    this.ensurePath(ctx, parentOf(this.path), (c) => this.create(c));
  }

  protected expired(_ctx: NodeContext<ZkMessage>, _session: string): void {}

  private create(ctx: NodeContext<ZkMessage>): void {
    this.zk.create(
      ctx,
      this.path,
      `${this.id}-initial`,
      CREATE_MODE.PERSISTENT,
      this.bound((c, err) => {
        if (this.failed(c, "create", err, (c2) => this.create(c2), [ERR.NodeExists])) return;
        if (err === 0) traceRecipe(c, { type: "config-written", path: this.path, version: 0, value: `${this.id}-initial` });
        this.after(c, "write", this.intervalMs, (c2) => this.write(c2));
      }),
    );
  }

  private write(ctx: NodeContext<ZkMessage>): void {
    if (this.written >= this.writes) return;
    const value = `${this.id}-${++this.written}`;
    this.zk.setData(
      ctx,
      this.path,
      value,
      -1,
      this.bound((c, err, stat) => {
        if (err === 0 && stat !== null) traceRecipe(c, { type: "config-written", path: this.path, version: stat.version, value });
        if (err === ERR.ConnectionLoss) c.mark("recipe config: a write's outcome is unknown");
        if (err !== 0 && err !== ERR.ConnectionLoss && err !== ERR.SessionExpired) {
          traceRecipe(c, { type: "recipe-error", recipe: this.recipe, op: "setData", err, session: this.session });
        }
        if (err === ERR.SessionExpired) return;
        this.after(c, "write", this.intervalMs, (c2) => this.write(c2));
      }),
    );
  }
}

export type ConfigReaderParams = RecipeClientParams & { readonly configPath: string };

/**
 * Follows configuration: reads the config znode with a data watch and reads it again at every
 * change (`config-seen` with the data version); a missing znode is watched for its creation. The
 * watch survives reconnections (the client sets it again with the last zxid it saw, so a change
 * missed meanwhile fires at once); after an expiry the reader starts over.
 */
export class ConfigReader extends RecipeNode {
  private readonly path: string;

  constructor(params: ConfigReaderParams) {
    super("config-reader", params);
    this.path = params.configPath;
  }

  protected begin(ctx: NodeContext<ZkMessage>): void {
    this.read(ctx);
  }

  protected expired(_ctx: NodeContext<ZkMessage>, _session: string): void {}

  private read(ctx: NodeContext<ZkMessage>): void {
    const again = this.bound((c: NodeContext<ZkMessage>) => this.read(c));
    this.zk.getData(
      ctx,
      this.path,
      again,
      this.bound((c, err, got) => {
        if (err === ERR.NoNode) return this.awaitCreation(c);
        if (this.failed(c, "getData", err, (c2) => this.read(c2))) return;
        if (got === null) return;
        traceRecipe(c, { type: "config-seen", path: this.path, version: got.stat.version, value: got.data ?? "", session: this.session });
      }),
    );
  }

  private awaitCreation(ctx: NodeContext<ZkMessage>): void {
    const created = this.bound((c: NodeContext<ZkMessage>) => this.read(c));
    this.zk.exists(
      ctx,
      this.path,
      created,
      this.bound((c, err, stat) => {
        if (this.failed(c, "exists", err, (c2) => this.read(c2))) return;
        if (stat !== null) this.read(c);
      }),
    );
  }
}

export const configWriter =
  (params: ConfigWriterParams): NodeFactory<ZkMessage, RecipeInput> =>
  (id: NodeId) =>
    new ConfigWriter(id, params);

export const configReader =
  (params: ConfigReaderParams): NodeFactory<ZkMessage, RecipeInput> =>
  (_id: NodeId) =>
    new ConfigReader(params);
