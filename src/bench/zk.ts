/**
 * The standalone ZooKeeper workload: creates, setData and getData (a third each) through the whole
 * simulated pipeline (client connection, network, server validation, txn log fsync on the simulated
 * disk, apply, reply), with the trace on, from closed-loop sessions that each keep one request
 * outstanding (zk-load.ts). Returns how many operations completed.
 */
import { zkClosedLoop } from "./zk-load.js";

/** Sessions in the closed loop: enough for the server's group commit to matter, as under real load. */
export const ZK_BENCH_SESSIONS = 8;

export function zkStandaloneOps(ops: number): number {
  return zkClosedLoop(ops, ZK_BENCH_SESSIONS).ops;
}
