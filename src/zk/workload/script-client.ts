import type { NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import type { SessionEvent } from "../client/session.js";
import { ZkClientNode } from "../client/zk-client-node.js";
import { ZkHandle } from "../client/zk-handle.js";
import { CREATE_MODE } from "../create-mode.js";
import { errName } from "../errors.js";
import type { ZkMessage } from "../server/messages.js";

/**
 * One step of a scripted client: a command in a small zkCli-like language, run when the previous
 * step has completed and not before `atUs` (if set).
 *
 *   create [-e] [-s] PATH [DATA]   set PATH DATA [VERSION]   get PATH   exists PATH
 *   delete PATH [VERSION]          ls PATH                   sync PATH  close
 */
export type ScriptStep = { readonly atUs: number | null; readonly cmd: string };

export type ScriptClientParams = {
  readonly servers: readonly NodeId[];
  readonly sessionTimeoutMs: number;
  readonly steps: readonly ScriptStep[];
};

export type ParsedCommand =
  | { readonly op: "create"; readonly path: string; readonly data: string | null; readonly flags: number }
  | { readonly op: "set"; readonly path: string; readonly data: string; readonly version: number }
  | { readonly op: "get" | "exists" | "ls" | "sync"; readonly path: string }
  | { readonly op: "delete"; readonly path: string; readonly version: number }
  | { readonly op: "close" };

/** Parses one script command; returns a message saying what was expected when it is malformed. */
export function parseScriptCommand(cmd: string): ParsedCommand | string {
  const words = cmd.trim().split(/\s+/);
  const [op, ...rest] = words;
  const path = (w: string | undefined): string | null => (w !== undefined && w.startsWith("/") ? w : null);
  const version = (w: string | undefined): number | null => (w === undefined ? -1 : /^-?\d+$/.test(w) ? Number(w) : null);
  switch (op) {
    case "create": {
      let flags = 0;
      while (rest[0] === "-e" || rest[0] === "-s") {
        const f = rest.shift();
        if (f === "-e") flags |= CREATE_MODE.EPHEMERAL;
        if (f === "-s") flags |= CREATE_MODE.PERSISTENT_SEQUENTIAL;
      }
      const p = path(rest[0]);
      if (p === null || rest.length > 2) return "create [-e] [-s] PATH [DATA]";
      return { op, path: p, data: rest[1] ?? null, flags };
    }
    case "set": {
      const p = path(rest[0]);
      const v = version(rest[2]);
      if (p === null || rest[1] === undefined || v === null || rest.length > 3) return "set PATH DATA [VERSION]";
      return { op, path: p, data: rest[1], version: v };
    }
    case "delete": {
      const p = path(rest[0]);
      const v = version(rest[1]);
      if (p === null || v === null || rest.length > 2) return "delete PATH [VERSION]";
      return { op, path: p, version: v };
    }
    case "get":
    case "exists":
    case "ls":
    case "sync": {
      const p = path(rest[0]);
      if (p === null || rest.length > 1) return `${op} PATH`;
      return { op, path: p };
    }
    case "close":
      if (rest.length > 0) return "close";
      return { op };
    default:
      return "one of create, set, get, exists, delete, ls, sync, close";
  }
}

const STEP = "script/step";

/**
 * A client that runs a script of ZooKeeper calls through the asynchronous client library, one
 * after the other, tracing each as `client-invoke` and `client-complete` (with the error name and
 * what it read): the facts expectations and history checkers read. Session events are traced as
 * `client-session`.
 */
export class ScriptClient extends ZkClientNode<never> {
  protected readonly zk: ZkHandle;
  private next = 0;
  private busy = false;

  constructor(private readonly params: ScriptClientParams) {
    super();
    this.zk = new ZkHandle((ctx, event: SessionEvent, session) => ctx.trace({ type: "client-session", event, session }));
  }

  onStart(ctx: NodeContext<ZkMessage>, _how: StartKind): void {
    this.zk.open(ctx, this.params.servers, this.params.sessionTimeoutMs);
    this.advance(ctx);
  }



  protected override onOwnTimer(ctx: NodeContext<ZkMessage>, name: string): void {
    if (name === STEP) this.advance(ctx);
  }

  /** Runs the next step if it is due, else waits for its time. */
  private advance(ctx: NodeContext<ZkMessage>): void {
    if (this.busy) return;
    const step = this.params.steps[this.next];
    if (step === undefined) return;
    if (step.atUs !== null && step.atUs > ctx.now()) {
      ctx.setTimer(STEP, step.atUs - ctx.now());
      return;
    }
    this.next++;
    const cmd = parseScriptCommand(step.cmd);
    if (typeof cmd === "string") throw new Error(`script step ${JSON.stringify(step.cmd)}: expected ${cmd}`);
    this.busy = true;
    ctx.trace({ type: "client-invoke", op: cmd.op, path: "path" in cmd ? cmd.path : null, arg: "data" in cmd ? cmd.data : null });
    this.run(ctx, cmd);
  }

  private complete(ctx: NodeContext<ZkMessage>, cmd: ParsedCommand, err: number, value: TraceValue): void {
    ctx.trace({ type: "client-complete", op: cmd.op, path: "path" in cmd ? cmd.path : null, err: err === 0 ? "ok" : (errName(err) ?? String(err)), value });
    this.busy = false;
    this.advance(ctx);
  }

  private run(ctx: NodeContext<ZkMessage>, cmd: ParsedCommand): void {
    const zk = this.zk;
    switch (cmd.op) {
      case "create":
        return zk.create(ctx, cmd.path, cmd.data, cmd.flags, (c, err, path) => this.complete(c, cmd, err, path));
      case "set":
        return zk.setData(ctx, cmd.path, cmd.data, cmd.version, (c, err, stat) => this.complete(c, cmd, err, stat === null ? null : stat.version));
      case "get":
        return zk.getData(ctx, cmd.path, null, (c, err, v) => this.complete(c, cmd, err, v === null ? null : v.data));
      case "exists":
        return zk.exists(ctx, cmd.path, null, (c, err, stat) => this.complete(c, cmd, err, stat !== null));
      case "delete":
        return zk.delete(ctx, cmd.path, cmd.version, (c, err) => this.complete(c, cmd, err, null));
      case "ls":
        return zk.getChildren(ctx, cmd.path, null, (c, err, children) => this.complete(c, cmd, err, [...children].sort()));
      case "sync":
        return zk.sync(ctx, cmd.path, (c, err) => this.complete(c, cmd, err, null));
      case "close":
        zk.close(ctx);
        return this.complete(ctx, cmd, 0, null);
    }
  }
}
