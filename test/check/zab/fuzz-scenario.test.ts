// The default ZooKeeper fuzz scenario: its nemesis faults the servers and only partitions the
// clients, and a seed runs clean (the 300-seed campaign is `zksim fuzz scenarios/fuzz/zk-fuzz.yaml
// --runs 300 --seed-start 1`, documented, not a test).
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { planFaults, toFaults } from "../../../src/fuzz/nemesis.js";
import { builtinRegistry } from "../../../src/scenario/builtins.js";
import { loadScenarioFile } from "../../../src/scenario/load.js";
import { runScenario } from "../../../src/scenario/run.js";

const ROOT = resolve(import.meta.dirname, "../../..");

describe("scenarios/fuzz/zk-fuzz.yaml", () => {
  it("has three servers and register clients; the nemesis never crashes or pauses a client, but partitions some", async () => {
    const s = await loadScenarioFile(join(ROOT, "scenarios/fuzz/zk-fuzz.yaml"), builtinRegistry());
    const servers = s.nodes.filter((n) => n.role !== "client").map((n) => n.id);
    const clients = s.nodes.filter((n) => n.role === "client").map((n) => n.id);
    expect(servers).toEqual(["s1", "s2", "s3"]);
    expect(clients.length).toBeGreaterThan(0);
    let partitionedClients = 0;
    for (let seed = 1; seed <= 50; seed++) {
      for (const e of planFaults(seed, { nodes: servers, clients, faultWindowUs: 6_000_000 }).entries) {
        for (const target of [e.crash, e.restart, e.pause, e.resume, e.clock?.node, e.slowDisk?.node, e.diskFault?.node]) {
          if (typeof target === "string") expect(servers).toContain(target);
        }
        if (e.partition !== undefined) partitionedClients += e.partition.flat().filter((n) => clients.includes(n)).length;
      }
    }
    expect(partitionedClients).toBeGreaterThan(0);
  });

  it("runs a faulty seed with every checker and finds nothing", async () => {
    const s = await loadScenarioFile(join(ROOT, "scenarios/fuzz/zk-fuzz.yaml"), builtinRegistry());
    const servers = s.nodes.filter((n) => n.role !== "client").map((n) => n.id);
    const clients = s.nodes.filter((n) => n.role === "client").map((n) => n.id);
    const r = runScenario(s, { seed: 7, faults: toFaults(planFaults(7, { nodes: servers, clients, faultWindowUs: 6_000_000 }).entries) });
    expect(r.violations.map((v) => `${v.invariant}: ${v.message}`)).toEqual([]);
    expect(r.result).toBe("pass");
  });
});
