/**
 * zksim as a library: the kernel and its node API, the scenario runner, the checkers' interface,
 * and the CLI itself (so a user's protocol can be run, replayed and checked with the same commands).
 */
export { assert, assertNever, AssertionError } from "./sim/assert.js";
export type { ConnectionChange, DiskContext, DiskDone, Message, Node, NodeContext, NodeFactory, NodeId, StartKind } from "./sim/node.js";
export { Stream, ratio, ALWAYS, NEVER, type Ratio } from "./sim/random.js";
export { World, type EndReason, type RunSummary, type WorldOptions } from "./sim/world.js";
export type { NetworkConfig, LatencySpec, LinkFaults } from "./sim/network.js";
export type { DiskConfig, DiskFaultKind } from "./sim/disk.js";
export { TraceWriter, canonicalLine, type TraceEvent, type TraceFields, type TraceValue } from "./sim/trace.js";
export { recordingCtx, type Effect, type RecordingContext } from "./sim/testing.js";
export { ms, seconds, formatUs, parseDuration } from "./sim/time.js";
export { checkEvents, type Checker, type Violation } from "./check/checker.js";
export { atomicityChecker } from "./check/atomicity.js";
export type { MetricCollector, NodeSpec, ProtocolPlugin, ProtocolRegistry, ScheduledInput } from "./scenario/plugin.js";
export { duration, probability } from "./scenario/schema-types.js";
export { builtinRegistry } from "./scenario/builtins.js";
export { loadScenarioFile, type Scenario } from "./scenario/load.js";
export { runScenario, type ScenarioRunOptions, type ScenarioRunResult } from "./scenario/run.js";
export { InputError } from "./scenario/errors.js";
export { main } from "./cli/main.js";
export { VERSION } from "./version.js";
