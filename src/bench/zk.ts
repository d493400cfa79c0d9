/**
 * The standalone ZooKeeper workload: one client doing creates, setData and getData, one at a time,
 * through the whole simulated pipeline (client node, network, server validation, txn log fsync on
 * the simulated disk, reply), with the trace on. Returns how many operations completed.
 */
import { OPEN_ACL_UNSAFE } from "../zk/acl.js";
import { StandaloneSim } from "../zk/client/standalone-sim.js";
import { CREATE_MODE } from "../zk/create-mode.js";

export function zkStandaloneOps(ops: number): number {
  const sim = new StandaloneSim({ seed: 1, trace: { sink: { kind: "none" } } });
  sim.advance(1_000); // connect and create the session
  const data = new TextEncoder().encode("value");
  let done = 0;
  for (let i = 0; done < ops; i++) {
    const path = `/k${i}`;
    if (sim.client.create(path, data, OPEN_ACL_UNSAFE, CREATE_MODE.PERSISTENT, -1n).ok) done++;
    if (sim.client.setData(path, data, -1).ok) done++;
    if (sim.client.getData(path, false).ok) done++;
  }
  return done;
}
