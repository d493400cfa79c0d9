/**
 * A client of the Paxos family. It hands each command to a proposer (or, in Fast Paxos, straight to
 * every acceptor) and retries until it hears what was chosen. A retry goes to the next proposer
 * when the one it asked has not answered: clients are what let the family route around a dead
 * leader. The client remembers the proposer that last answered and asks it first next time.
 */
import { assert, assertNever } from "../../sim/assert.js";
import type { Node, NodeContext, NodeId, StartKind } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import { tracePaxos } from "./events.js";
import type { ClientMessage } from "./messages.js";
import { commandValue } from "./value.js";

export interface ClientConfig {
  readonly proposers: readonly NodeId[];
  readonly acceptors: readonly NodeId[];
  /** The proposer asked first. */
  readonly preferred: NodeId;
  /** How long an attempt waits for the outcome before the next one. */
  readonly retryUs: number;
  /** Fast Paxos: the first attempt proposes to the acceptors; retries ask a coordinator. */
  readonly fast: boolean;
}

/** The workload's input at a client: get command `cmd` chosen. */
export type SubmitInput = { readonly type: "submit"; readonly cmd: number };

export function parseSubmit(input: unknown): SubmitInput {
  assert(typeof input === "object" && input !== null, "client input must be an object");
  const { type, cmd } = input as { readonly type?: unknown; readonly cmd?: unknown };
  assert(type === "submit", `client input must be {type:"submit"}, got ${String(type)}`);
  assert(typeof cmd === "number" && Number.isSafeInteger(cmd) && cmd >= 1, "submit input needs a positive integer cmd");
  return { type, cmd };
}

interface Pending {
  readonly val: string;
  attempt: number;
  /** The proposer the last attempt went to (-1: the acceptors, on the fast path). */
  sentTo: number;
}

const RETRY = "retry/";

export class PaxosClient implements Node<ClientMessage, TraceValue> {
  private readonly pending = new Map<number, Pending>();
  private target: number;

  constructor(
    private readonly id: NodeId,
    private readonly cfg: ClientConfig,
  ) {
    this.target = cfg.proposers.indexOf(cfg.preferred);
    assert(this.target >= 0, `preferred proposer ${cfg.preferred} is not a proposer`);
  }

  /** A client keeps nothing on disk: after a restart it has no commands in flight. */
  onStart(_ctx: NodeContext<ClientMessage>, _how: StartKind): void {}

  onInput(ctx: NodeContext<ClientMessage>, input: TraceValue): void {
    const { cmd } = parseSubmit(input);
    assert(!this.pending.has(cmd), `${this.id} submitted command ${cmd} twice`);
    const val = commandValue(this.id, cmd);
    const p: Pending = { val, attempt: 0, sentTo: -1 };
    this.pending.set(cmd, p);
    tracePaxos(ctx, { type: "submit", cmd, val });
    ctx.setTimer(`${RETRY}${cmd}`, this.cfg.retryUs);
    if (this.cfg.fast) {
      for (const a of this.cfg.acceptors) ctx.send(a, { type: "PROPOSE", inst: cmd, val });
      return;
    }
    this.ask(ctx, cmd, p);
  }

  onMessage(ctx: NodeContext<ClientMessage>, from: NodeId, msg: ClientMessage): void {
    switch (msg.type) {
      case "REPLY": {
        const p = this.pending.get(msg.cmd);
        // A late or duplicated reply for a command already answered changes nothing.
        if (p === undefined) return;
        this.pending.delete(msg.cmd);
        ctx.cancelTimer(`${RETRY}${msg.cmd}`);
        const i = this.cfg.proposers.indexOf(from);
        if (i >= 0) this.target = i;
        tracePaxos(ctx, { type: "reply", cmd: msg.cmd, inst: msg.inst, val: msg.val, ok: msg.val === p.val });
        return;
      }
      case "REQUEST":
      case "PROPOSE":
        return assert(false, `client ${this.id} got ${msg.type} from ${from}`);
      default:
        return assertNever(msg, "client message");
    }
  }

  onTimer(ctx: NodeContext<ClientMessage>, name: string): void {
    assert(name.startsWith(RETRY), `unknown client timer ${name}`);
    const cmd = Number(name.slice(RETRY.length));
    const p = this.pending.get(cmd);
    if (p === undefined) return;
    // The proposer last asked did not answer in time: the next attempt goes to the next one.
    if (p.sentTo === this.target) this.target = (this.target + 1) % this.cfg.proposers.length;
    p.attempt++;
    ctx.setTimer(name, this.cfg.retryUs);
    tracePaxos(ctx, { type: "retry", cmd, to: this.cfg.proposers[this.target] as NodeId, attempt: p.attempt });
    this.ask(ctx, cmd, p);
  }

  private ask(ctx: NodeContext<ClientMessage>, cmd: number, p: Pending): void {
    p.sentTo = this.target;
    ctx.send(this.cfg.proposers[this.target] as NodeId, { type: "REQUEST", cmd, val: p.val, attempt: p.attempt });
  }
}
