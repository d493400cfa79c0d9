// Hand-built ZooKeeper traces for the checkers' unit tests: each call appends one event, a
// millisecond after the last, in the shape the servers, clients and kernel write it.
import { checkEvents, type Violation } from "../../../src/check/checker.js";
import { zookeeperCheckers } from "../../../src/check/client/index.js";
import { defaultShape } from "../../../src/check/zab/index.js";
import type { TraceEvent, TraceValue } from "../../../src/sim/trace.js";

export const zx = (epoch: number, counter: number): string => `0x${((BigInt(epoch) << 32n) | BigInt(counter)).toString(16)}`;

export class TraceBuilder {
  readonly events: TraceEvent[] = [];
  private t = 0;

  constructor(readonly nodes: readonly string[] = ["s1", "s2", "s3", "c1", "c2"]) {
    this.add({ type: "scenario", name: "unit", protocol: "zookeeper", seed: 1, nodes: [...nodes] });
  }

  add(fields: { readonly type: string; readonly [k: string]: TraceValue }, atMs?: number): this {
    this.t = atMs === undefined ? this.t + 1000 : atMs * 1000;
    this.events.push({ t: this.t, ...fields } as TraceEvent);
    return this;
  }

  start(...nodes: string[]): this {
    for (const node of nodes) this.add({ type: "start", node, inc: 1 }).add({ type: "zk-db-reset", node, why: "start" });
    return this;
  }

  role(node: string, state: string, phase: string, epoch: number): this {
    return this.add({ type: "zab-role", node, state, phase, epoch, zxid: "0x0" });
  }

  /** `leader` leads `epoch` with the others following: discovery, established, active, everyone in BROADCAST. */
  elect(leader: string, followers: readonly string[], epoch: number): this {
    this.role(leader, "LEADING", "DISCOVERY", epoch - 1);
    for (const f of followers) this.role(f, "FOLLOWING", "DISCOVERY", epoch - 1);
    this.add({ type: "zab-established", node: leader, epoch, quorum: [] });
    this.role(leader, "LEADING", "SYNCHRONIZATION", epoch);
    this.add({ type: "zab-active", node: leader, epoch, quorum: [], zxid: "0x0" });
    this.role(leader, "LEADING", "BROADCAST", epoch);
    for (const f of followers) this.role(f, "FOLLOWING", "BROADCAST", epoch);
    return this;
  }

  propose(leader: string, epoch: number, counter: number, session = "0x1", txn = "setData"): this {
    return this.add({ type: "zab-propose", node: leader, epoch, zxid: zx(epoch, counter), session, txn });
  }

  commit(leader: string, epoch: number, counter: number): this {
    return this.add({ type: "zab-commit", node: leader, zxid: zx(epoch, counter), acks: [] });
  }

  apply(node: string, epoch: number, counter: number, session = "0x1", txn = "setData"): this {
    return this.add({ type: "zk-apply", node, zxid: zx(epoch, counter), session, txn });
  }

  /** Propose, commit and apply on the leader and `others`, as a quorum would. */
  write(leader: string, others: readonly string[], epoch: number, counter: number, session = "0x1", txn = "setData"): this {
    this.propose(leader, epoch, counter, session, txn).commit(leader, epoch, counter).apply(leader, epoch, counter, session, txn);
    for (const o of others) this.apply(o, epoch, counter, session, txn);
    return this;
  }

  crash(node: string): this {
    return this.add({ type: "crash", node });
  }

  shutdown(node: string, state: string, epoch: number): this {
    return this.add({ type: "zab-shutdown", node, state, reason: "test" }).role(node, "LOOKING", "ELECTION", epoch);
  }

  check(only?: readonly string[]): Violation[] {
    const set = only === undefined ? null : new Set(only);
    return checkEvents(zookeeperCheckers(defaultShape(this.nodes), set), this.events);
  }

  /** The invariants violated, sorted, each once. */
  fired(only?: readonly string[]): string[] {
    return [...new Set(this.check(only).map((v) => v.invariant))].sort();
  }
}
