import { assert } from "../../sim/assert.js";
import type { NodeContext, NodeFactory, NodeId } from "../../sim/node.js";
import { CREATE_MODE } from "../create-mode.js";
import { ERR } from "../errors.js";
import type { ZkMessage } from "../server/messages.js";
import { traceRecipe } from "./events.js";
import { RecipeNode, type RecipeClientParams, type RecipeInput } from "./recipe-node.js";
import { bySequence } from "./sequence.js";

const ITEM = "item-";

/** The item id a queue entry's name carries (`item-<id>-<sequence>`), or null for another child. */
export function itemOf(name: string): string | null {
  if (!name.startsWith(ITEM) || name.length < ITEM.length + 12) return null;
  return name.slice(ITEM.length, -11);
}

export type QueueProducerParams = RecipeClientParams & {
  readonly queuePath: string;
  /** How many items to produce (ids `<node>-0`, `<node>-1`, ...). */
  readonly items: number;
  /** The pause between two items. */
  readonly intervalMs: number;
};

/**
 * A producer of the distributed queue recipe: each item is a persistent sequential child of the
 * queue node, `item-<id>-<sequence>`. The id in the name makes a lost create checkable: after a
 * ConnectionLoss (or an expiry) the producer syncs, lists the queue and looks for it. Found, the
 * item is in (`queue-produced`); not found, it cannot tell whether a consumer already took it, so it
 * says so (`queue-produce-unknown`) and never creates that id again: an item is never enqueued
 * twice.
 */
export class QueueProducer extends RecipeNode {
  private readonly queuePath: string;
  private readonly items: number;
  private readonly intervalMs: number;
  private nextItem = 0;
  /** The item whose create is in flight. */
  private inFlight: string | null = null;
  /** An item whose create may or may not have been applied. */
  private uncertain: string | null = null;

  constructor(
    private readonly id: NodeId,
    params: QueueProducerParams,
  ) {
    super("queue-producer", params);
    this.queuePath = params.queuePath;
    this.items = params.items;
    this.intervalMs = params.intervalMs;
  }

  get produced(): number {
    return this.nextItem;
  }

  protected begin(ctx: NodeContext<ZkMessage>): void {
    this.ensurePath(ctx, this.queuePath, (c) => (this.uncertain !== null ? this.resolve(c) : this.produce(c)));
  }

  protected expired(_ctx: NodeContext<ZkMessage>, _session: string): void {
    if (this.inFlight !== null) this.uncertain = this.inFlight;
    this.inFlight = null;
  }

  private produce(ctx: NodeContext<ZkMessage>): void {
    if (this.nextItem >= this.items) return;
    const item = `${this.id}-${this.nextItem}`;
    this.inFlight = item;
    this.zk.create(
      ctx,
      `${this.queuePath}/${ITEM}${item}-`,
      item,
      CREATE_MODE.PERSISTENT_SEQUENTIAL,
      this.bound((c, err, znode) => {
        if (err === ERR.NoNode) return this.ensurePath(c, this.queuePath, (c2) => this.produce(c2));
        if (err === ERR.ConnectionLoss) this.uncertain = item;
        if (this.failed(c, "create", err, (c2) => this.resolve(c2))) return;
        this.done(c, item, znode);
      }),
    );
  }

  private done(ctx: NodeContext<ZkMessage>, item: string, znode: string | null): void {
    if (znode !== null) traceRecipe(ctx, { type: "queue-produced", queue: this.queuePath, item, znode });
    else traceRecipe(ctx, { type: "queue-produce-unknown", queue: this.queuePath, item });
    this.inFlight = null;
    this.uncertain = null;
    this.nextItem++;
    this.after(ctx, "next", this.intervalMs, (c) => this.produce(c));
  }

  /** Was the uncertain item's create applied? Sync, so the listing is at least as new as the create. */
  private resolve(ctx: NodeContext<ZkMessage>): void {
    const item = this.uncertain;
    assert(item !== null, "resolving needs an uncertain item");
    this.inFlight = item;
    ctx.mark("recipe queue: producer looks for an item after a lost create");
    this.zk.sync(
      ctx,
      this.queuePath,
      this.bound((c, err) => {
        if (this.failed(c, "sync", err, (c2) => this.resolve(c2))) return;
        this.zk.getChildren(
          c,
          this.queuePath,
          null,
          this.bound((c2, err2, children) => {
            if (this.failed(c2, "getChildren", err2, (c3) => this.resolve(c3))) return;
            const found = children.find((n) => itemOf(n) === item);
            this.done(c2, item, found === undefined ? null : `${this.queuePath}/${found}`);
          }),
        );
      }),
    );
  }
}

export type QueueConsumerParams = RecipeClientParams & {
  readonly queuePath: string;
  /** The pause after each item taken (the work it stands for). */
  readonly takeMs: number;
};

/**
 * A consumer of the distributed queue recipe (`DistributedQueue.remove`): list the queue, take the
 * lowest item by deleting it (a delete that succeeds means this consumer has it: `queue-consumed`;
 * NoNode means another consumer was first), and wait on a child watch when the queue is empty. A
 * scan syncs first, so an empty listing is at least as new as every write acknowledged before it.
 * A delete lost with the connection is tried again; NoNode then means the item may have been taken
 * by the lost delete (`queue-take-unknown`).
 */
export class QueueConsumer extends RecipeNode {
  private readonly queuePath: string;
  private readonly takeMs: number;
  private scans = 0;
  private waiting = false;
  /** The item whose delete is in flight. */
  private taking: { readonly item: string; readonly znode: string } | null = null;

  constructor(params: QueueConsumerParams) {
    super("queue-consumer", params);
    this.queuePath = params.queuePath;
    this.takeMs = params.takeMs;
  }

  protected begin(ctx: NodeContext<ZkMessage>): void {
    this.waiting = false;
    this.ensurePath(ctx, this.queuePath, (c) => this.scan(c));
  }

  protected expired(ctx: NodeContext<ZkMessage>, _session: string): void {
    this.waiting = false;
    // The delete may have been applied before the session ended: this consumer may have the item.
    if (this.taking !== null) traceRecipe(ctx, { type: "queue-take-unknown", queue: this.queuePath, ...this.taking });
    this.taking = null;
  }

  private scan(ctx: NodeContext<ZkMessage>): void {
    const scan = ++this.scans;
    traceRecipe(ctx, { type: "queue-scan", queue: this.queuePath, scan });
    const wake = this.bound((c: NodeContext<ZkMessage>) => {
      if (!this.waiting) return;
      this.waiting = false;
      this.scan(c);
    });
    this.zk.sync(
      ctx,
      this.queuePath,
      this.bound((c, err) => {
        if (this.failed(c, "sync", err, (c2) => this.scan(c2))) return;
        this.zk.getChildren(
          c,
          this.queuePath,
          wake,
          this.bound((c2, err2, children) => {
            if (this.failed(c2, "getChildren", err2, (c3) => this.scan(c3))) return;
            const items = bySequence(children.filter((n) => itemOf(n) !== null));
            if (items.length === 0) {
              traceRecipe(c2, { type: "queue-empty", queue: this.queuePath, scan });
              this.waiting = true;
              return;
            }
            this.take(c2, items, 0, false);
          }),
        );
      }),
    );
  }

  /** Takes `items[i]`; `retried`: an earlier delete of it was lost with the connection. */
  private take(ctx: NodeContext<ZkMessage>, items: readonly string[], i: number, retried: boolean): void {
    const name = items[i];
    if (name === undefined) return this.scan(ctx);
    const item = itemOf(name) as string;
    const znode = `${this.queuePath}/${name}`;
    this.taking = { item, znode };
    this.zk.delete(
      ctx,
      znode,
      -1,
      this.bound((c, err) => {
        if (err !== ERR.ConnectionLoss) this.taking = null;
        if (this.failed(c, "delete", err, (c2) => this.take(c2, items, i, true), [ERR.NoNode])) return;
        if (err === ERR.NoNode) {
          if (retried) traceRecipe(c, { type: "queue-take-unknown", queue: this.queuePath, item, znode });
          return this.take(c, items, i + 1, false);
        }
        traceRecipe(c, { type: "queue-consumed", queue: this.queuePath, item, znode, session: this.session });
        this.after(c, "take", this.takeMs, (c2) => this.take(c2, items, i + 1, false));
      }),
    );
  }
}

export const queueProducer =
  (params: QueueProducerParams): NodeFactory<ZkMessage, RecipeInput> =>
  (id: NodeId) =>
    new QueueProducer(id, params);

export const queueConsumer =
  (params: QueueConsumerParams): NodeFactory<ZkMessage, RecipeInput> =>
  (_id: NodeId) =>
    new QueueConsumer(params);
