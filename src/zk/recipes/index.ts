/**
 * The ZooKeeper recipes as client nodes, one factory each: a scenario places them with the servers of
 * the connect string, the paths they work on, counts and timing. Their trace events are listed in
 * events.ts; src/check/recipes judges them.
 */
export { barrierMember, BarrierMember, type BarrierParams } from "./barrier.js";
export { configReader, ConfigReader, configWriter, ConfigWriter, type ConfigReaderParams, type ConfigWriterParams } from "./config-service.js";
export { electionCandidate, ElectionCandidate, type ElectionParams } from "./election.js";
export type { RecipeEvent } from "./events.js";
export { lockClient, LockClient, type LockParams } from "./lock.js";
export { groupMember, GroupMember, type GroupMemberParams } from "./membership.js";
export { queueConsumer, QueueConsumer, queueProducer, QueueProducer, type QueueConsumerParams, type QueueProducerParams } from "./queue.js";
export { DEFAULT_RECIPE_SESSION_TIMEOUT_MS, type RecipeClientParams, type RecipeInput } from "./recipe-node.js";
