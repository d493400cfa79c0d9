/**
 * Ensemble benchmarks: `zab3_commits_per_s` (three servers, closed-loop writers, trace on: commits
 * per wall second) and `failover_wall_ms` (three servers start and elect, 1000 writes, the leader is
 * killed, a new one is elected: the wall time of the whole story).
 */
import type { NodeId } from "../sim/node.js";
import { Ensemble } from "../zk/quorum/ensemble.js";
import { LoadClient } from "../zk/workload/load-client.js";

type Run = { readonly commits: number; readonly seconds: number; readonly simMs: number };

function addWriters(e: Ensemble, clients: number, writes: number, inFlight: number): string[] {
  const servers: NodeId[] = e.sids.map((s) => `s${s}`);
  const ids: string[] = [];
  for (let i = 1; i <= clients; i++) {
    const id = `c${i}`;
    e.world.addNode(id, () => new LoadClient({ servers, sessionTimeoutMs: 30_000, writes, inFlight }));
    e.world.start(id);
    ids.push(id);
  }
  return ids;
}

/** Txns the leader has committed in its epoch (read off the node: a trace observer would slow the run). */
function committed(e: Ensemble): number {
  const l = e.leader();
  const st = l === null ? undefined : e.peer(l)?.status;
  return st === undefined ? 0 : Number(st.committedZxid & 0xffffffffn);
}

/** Three servers, `clients` writers with `inFlight` requests each, `writes` per writer; trace hashed, not kept. */
export function zab3Commits(seed: number, clients: number, writes: number, inFlight: number): Run {
  const e = new Ensemble({ seed, servers: 3, trace: { sink: { kind: "none" } }, limits: { maxEvents: 50_000_000 } });
  e.settle(10_000);
  const before = committed(e);
  const ids = addWriters(e, clients, writes, inFlight);
  const done = (): boolean => ids.every((id) => (e.world.inspect(id) as LoadClient | null)?.completed === writes);
  const start = performance.now();
  e.run(e.world.now + 600_000_000, done);
  const seconds = (performance.now() - start) / 1000;
  return { commits: committed(e) - before, seconds, simMs: Math.floor(e.world.now / 1000) };
}

/** Start and elect, 1000 writes, kill the leader, re-elect: wall milliseconds for all of it. */
export function failoverWallMs(seed: number): { readonly wallMs: number; readonly simMs: number; readonly newLeader: number | null } {
  const start = performance.now();
  const e = new Ensemble({ seed, servers: 3, trace: { sink: { kind: "none" } }, limits: { maxEvents: 50_000_000 } });
  e.settle(10_000);
  const ids = addWriters(e, 10, 100, 1);
  e.run(e.world.now + 600_000_000, () => ids.every((id) => (e.world.inspect(id) as LoadClient | null)?.completed === 100));
  const old = e.leader();
  if (old !== null) e.world.crash(`s${old}`);
  e.run(e.world.now + 60_000_000, () => {
    const l = e.leader();
    return l !== null && l !== old;
  });
  return { wallMs: performance.now() - start, simMs: Math.floor(e.world.now / 1000), newLeader: e.leader() };
}
