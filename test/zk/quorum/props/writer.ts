// A client node that writes throughout a property run and remembers which writes the ensemble
// acknowledged, with the zxid each acknowledgement carried: the facts "no acknowledged write is lost"
// is judged on. It is test code (a workload), so it may be as blunt as it likes: one create at a
// time, a fresh path per attempt, a new session whenever the old one expired.
import type { ConnectionChange, Node, NodeContext, NodeId, StartKind } from "../../../../src/sim/node.js";
import { OPEN_ACL_UNSAFE } from "../../../../src/zk/acl.js";
import { ClientSession, type SessionReply } from "../../../../src/zk/client/session.js";
import { errName } from "../../../../src/zk/errors.js";
import type { ZkMessage } from "../../../../src/zk/server/messages.js";
import { toWire } from "../../../../src/zk/server/wire.js";

export type WriteOutcome = { readonly path: string; readonly err: string; readonly zxid: bigint; readonly session: string; readonly atUs: number };

export type WriterParams = {
  readonly servers: readonly NodeId[];
  readonly sessionTimeoutMs: number;
  /** Pause between one reply and the next create. */
  readonly gapUs: number;
  /** No create starts at or after this time (replies to earlier ones still count). */
  readonly stopAtUs: number;
};

const NEXT = "writer/next";
const REOPEN = "writer/reopen";
const utf8 = new TextEncoder();

export class Writer implements Node<ZkMessage, never> {
  readonly outcomes: WriteOutcome[] = [];
  private readonly session: ClientSession;
  private n = 0;
  private busy = false;

  constructor(
    private readonly id: string,
    private readonly params: WriterParams,
  ) {
    this.session = new ClientSession({
      onSessionEvent: (ctx, event) => {
        // A new handle after expiry, as an application would make one.
        if (event === "Expired") ctx.setTimer(REOPEN, 100_000);
      },
      onNotification: () => undefined,
    });
  }

  /** The writes acknowledged with success. */
  get acked(): WriteOutcome[] {
    return this.outcomes.filter((o) => o.err === "ok");
  }

  /** True when no create is waiting for its answer. */
  get idle(): boolean {
    return !this.busy;
  }

  onStart(ctx: NodeContext<ZkMessage>, _how: StartKind): void {
    this.session.open(ctx, this.params.servers, this.params.sessionTimeoutMs);
    ctx.setTimer(NEXT, this.params.gapUs);
  }

  onConnection(ctx: NodeContext<ZkMessage>, change: ConnectionChange): void {
    this.session.onConnection(ctx, change);
  }

  onMessage(ctx: NodeContext<ZkMessage>, from: NodeId, msg: ZkMessage): void {
    this.session.onMessage(ctx, from, msg);
  }

  onTimer(ctx: NodeContext<ZkMessage>, name: string): void {
    if (this.session.onTimer(ctx, name)) return;
    if (name === REOPEN) {
      this.session.open(ctx, this.params.servers, this.params.sessionTimeoutMs);
      return;
    }
    if (name === NEXT) this.write(ctx);
  }

  private write(ctx: NodeContext<ZkMessage>): void {
    if (this.busy || ctx.now() >= this.params.stopAtUs) return;
    if (this.session.state === "closed") {
      ctx.setTimer(NEXT, this.params.gapUs);
      return;
    }
    const path = `/${this.id}-${this.n++}`;
    const req = { type: "create", path, data: utf8.encode(path), acl: OPEN_ACL_UNSAFE, flags: 0, ttlMs: -1n } as const;
    this.busy = true;
    this.session.request(ctx, toWire({ op: "write", req }), (c, r: SessionReply) => {
      this.busy = false;
      this.outcomes.push({ path, err: r.err === 0 ? "ok" : (errName(r.err) ?? String(r.err)), zxid: BigInt(r.zxid), session: this.session.sessionId, atUs: c.now() });
      c.setTimer(NEXT, this.params.gapUs);
    });
  }
}
