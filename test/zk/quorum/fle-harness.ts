/**
 * A test-only server that runs nothing but Fast Leader Election: it looks for a leader at start,
 * stays in whatever state the election decides (no Zab), and looks again when the election
 * connection to its leader breaks (crash or partition). Decisions are read back from the trace
 * (`fle-decided`), never from the objects.
 */
import { assert } from "../../../src/sim/assert.js";
import type { ConnectionChange, Message, Node, NodeContext, NodeId } from "../../../src/sim/node.js";
import type { TraceEvent } from "../../../src/sim/trace.js";
import { World, type WorldOptions } from "../../../src/sim/world.js";
import { FastLeaderElection, type Decision, type ElectionInput, type FleMessage } from "../../../src/zk/quorum/fle.js";

export type ServerDisk = { readonly lastZxid?: bigint; readonly currentEpoch?: number };

export type Ensemble = {
  readonly voters: readonly number[];
  readonly observers?: readonly number[];
  /** Per sid: what the server's disk says (default zxid 0, epoch 0). */
  readonly disks?: Readonly<Record<number, ServerDisk>>;
  /**
   * When set, a decided server "finishes sync" this long after deciding and calls
   * `updateElectionVote`, as Zab's leader and followers do. Without Zab the new epoch is a guess:
   * a vote still at the server's own epoch came from a fresh election (epoch + 1); a vote with
   * another epoch came from an ensemble that already moved there (that epoch).
   */
  readonly syncAfterUs?: number;
};

export const nodeOf = (sid: number): NodeId => `s${sid}`;

export function sidOfIn(members: readonly number[]): (node: NodeId) => number | undefined {
  return (node) => {
    const m = /^s(\d+)$/.exec(node);
    const sid = m === null ? undefined : Number(m[1]);
    return sid !== undefined && members.includes(sid) ? sid : undefined;
  };
}

export class ElectionPeer implements Node<FleMessage> {
  readonly fle: FastLeaderElection;
  private me: ElectionInput;
  private leader: number | null = null;
  private decided: Decision | null = null;

  constructor(
    private readonly sid: number,
    private readonly ens: Ensemble,
  ) {
    const observers = ens.observers ?? [];
    const disk = ens.disks?.[sid] ?? {};
    this.me = { lastZxid: disk.lastZxid ?? 0n, currentEpoch: disk.currentEpoch ?? 0 };
    this.fle = new FastLeaderElection({
      myId: sid,
      voters: ens.voters,
      observers,
      nodeOf,
      sidOf: sidOfIn([...ens.voters, ...observers]),
      onDecided: (ctx, d) => this.onDecided(ctx, d),
    });
  }

  onStart(ctx: NodeContext<FleMessage>): void {
    this.fle.start(ctx, this.me);
    this.fle.lookForLeader(ctx, this.me);
  }

  onMessage(ctx: NodeContext<FleMessage>, from: NodeId, msg: Message): void {
    assert(this.fle.onMessage(ctx, from, msg), `not an election message: ${msg.type}`);
  }

  onTimer(ctx: NodeContext<FleMessage>, name: string): void {
    if (this.fle.onTimer(ctx, name)) return;
    assert(name === "harness-sync" && this.decided !== null, `unexpected timer ${name}`);
    const d = this.decided;
    const epoch = d.peerEpoch === this.me.currentEpoch ? d.peerEpoch + 1 : d.peerEpoch;
    this.me = { ...this.me, currentEpoch: epoch };
    this.fle.updateElectionVote(epoch);
    ctx.trace({ type: "harness-synced", epoch });
  }

  onConnection(ctx: NodeContext<FleMessage>, c: ConnectionChange): void {
    assert(this.fle.onConnection(ctx, c), `connection news on channel ${c.channel}`);
    const lost = !c.up && (c.reason === "peer-crashed" || c.reason === "partition");
    if (!lost || this.leader === null || this.leader === this.sid || nodeOf(this.leader) !== c.peer) return;
    ctx.trace({ type: "harness-lost-leader", leader: this.leader });
    this.leader = null;
    this.decided = null;
    ctx.cancelTimer("harness-sync");
    this.fle.lookForLeader(ctx, this.me);
  }

  private onDecided(ctx: NodeContext<FleMessage>, d: Decision): void {
    this.leader = d.leader;
    this.decided = d;
    this.fle.setServing(d.state, { leader: d.leader, zxid: d.zxid, peerEpoch: d.peerEpoch });
    if (this.ens.syncAfterUs !== undefined) ctx.setTimer("harness-sync", this.ens.syncAfterUs);
  }
}

export function electionWorld(seed: number, ens: Ensemble, opts: Partial<WorldOptions> = {}): World {
  const w = new World({
    trace: { sink: { kind: "memory" }, strict: true },
    ...opts,
    seed,
    network: { connect: "explicit", breakDetectUs: 50_000, ...opts.network },
  });
  for (const sid of [...ens.voters, ...(ens.observers ?? [])].sort((a, b) => a - b)) w.addNode(nodeOf(sid), () => new ElectionPeer(sid, ens));
  return w;
}

export function peer(w: World, sid: number): ElectionPeer {
  const n = w.inspect(nodeOf(sid));
  assert(n instanceof ElectionPeer, `s${sid} is not running`);
  return n;
}

export type Decided = { readonly t: number; readonly node: string; readonly state: string; readonly leader: number; readonly round: number; readonly via: string };

export function decisions(w: World): Decided[] {
  return w
    .traceLines()
    .map((l) => JSON.parse(l) as TraceEvent)
    .filter((e) => e.type === "fle-decided")
    .map((e) => ({
      t: e.t,
      node: e["node"] as string,
      state: e["state"] as string,
      leader: e["leader"] as number,
      round: e["round"] as number,
      via: e["via"] as string,
    }));
}

/** Each node's decisions as "STATE leader", in order. */
export function outcomes(w: World): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const d of decisions(w)) (out[d.node] ??= []).push(`${d.state} ${d.leader}`);
  return out;
}
