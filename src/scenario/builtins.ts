/** The protocols zksim ships. A library user builds their own registry from this one plus theirs. */
import { fastpaxosPlugin } from "./plugins/fastpaxos.js";
import { multipaxosPlugin } from "./plugins/multipaxos.js";
import { paxosPlugin } from "./plugins/paxos.js";
import { threepcPlugin } from "./plugins/threepc.js";
import { twopcPlugin } from "./plugins/twopc.js";
import { zookeeperPlugin } from "./plugins/zookeeper.js";
import type { ProtocolPlugin, ProtocolRegistry } from "./plugin.js";

export function builtinRegistry(extra: readonly ProtocolPlugin<any>[] = []): ProtocolRegistry {
  const all: ProtocolPlugin<any>[] = [twopcPlugin, threepcPlugin, paxosPlugin, multipaxosPlugin, fastpaxosPlugin, zookeeperPlugin, ...extra];
  return new Map(all.map((p) => [p.name, p]));
}
