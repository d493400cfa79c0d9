/** The scenario file's schema (the protocol-independent part; `params:` belongs to the protocol). */
import { z } from "zod";
import type { ProtocolRegistry } from "./plugin.js";
import { duration, latency, probability } from "./schema-types.js";
import { faultEntrySchema } from "./faults.js";
import { patternSchema } from "./pattern.js";

export const END_REASONS = ["quiet", "until", "condition", "stopped", "event-budget", "time-bound"] as const;

const networkSchema = z
  .strictObject({
    mode: z.enum(["tcp", "datagram"]).optional().meta({ description: "tcp: FIFO reliable connections; datagram: loss, duplication, reordering" }),
    connect: z.enum(["auto", "explicit"]).optional().meta({ description: "auto: the kernel connects every pair of live nodes" }),
    latency: latency.optional(),
    breakDetect: duration.optional().meta({ description: "How long after a partition both ends see the connection break" }),
    connectTimeout: duration.optional(),
    retransmit: duration.optional().meta({ description: "TCP: delay a lost segment adds" }),
    loss: probability.optional().meta({ description: 'Datagram loss per message, e.g. "1/100"' }),
    duplicate: probability.optional(),
  })
  .transform((n) => ({
    ...(n.mode !== undefined && { mode: n.mode }),
    ...(n.connect !== undefined && { connect: n.connect }),
    ...(n.latency !== undefined && { latency: n.latency }),
    ...(n.breakDetect !== undefined && { breakDetectUs: n.breakDetect }),
    ...(n.connectTimeout !== undefined && { connectTimeoutUs: n.connectTimeout }),
    ...(n.retransmit !== undefined && { retransmitUs: n.retransmit }),
    ...(n.loss !== undefined && { loss: n.loss }),
    ...(n.duplicate !== undefined && { duplicate: n.duplicate }),
  }));

const diskSchema = z.strictObject({ fsync: latency.optional() }).transform((d) => ({ ...(d.fsync !== undefined && { fsync: d.fsync }) }));

const json = z.unknown();

const bound = z.strictObject({ min: duration.optional(), max: duration.optional(), equals: duration.optional() });

export const expectSchema = z.strictObject({
  violations: z.array(z.string()).default([]).meta({ description: "Exactly the invariants expected to be violated ([] = none)" }),
  endReason: z.enum(END_REASONS).optional(),
  trace: z.array(patternSchema).default([]).meta({ description: "Each pattern must match at least one trace event" }),
  noTrace: z.array(patternSchema).default([]).meta({ description: "No trace event may match any of these" }),
  metrics: z.record(z.string(), bound).default({}).meta({ description: "Bounds on the protocol's figures (integers; durations allowed)" }),
});

export const runSchema = z.strictObject({
  until: duration.meta({ description: "How long the run lasts in virtual time" }),
  maxEvents: z.number().int().min(1).default(10_000_000).meta({ description: "Event budget: a livelock ends the run, never hangs it" }),
  stopOnViolation: z.boolean().default(false),
});

/** Everything but `params`, which is checked against the protocol's own schema afterwards. */
export const scenarioBaseSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().min(1).meta({ description: "One line for `zksim list`" }),
  protocol: z.string().min(1),
  module: z.string().min(1).optional().meta({ description: "A JS module (relative to this file) exporting `plugin`: a user protocol" }),
  seed: z.number().int().min(0).default(1),
  nemesis: z.string().optional().meta({ description: "The fault settings a fuzz run drew for its seed (zksim fuzz writes it; traced first)" }),
  params: z.record(z.string(), json).default({}),
  network: networkSchema.prefault({}),
  disk: diskSchema.prefault({}),
  inputs: z.array(z.strictObject({ at: duration, node: z.string().min(1), value: json })).default([]),
  faults: z.array(faultEntrySchema).default([]),
  run: runSchema,
  expect: expectSchema.prefault({}),
});

export type ScenarioBase = z.output<typeof scenarioBaseSchema>;

/** A JSON Schema of scenario files (for editors), with each registered protocol's params. */
export function scenarioJsonSchema(registry: ProtocolRegistry): unknown {
  const variants = [...registry.values()].map((p) =>
    scenarioBaseSchema.extend({ protocol: z.literal(p.name).meta({ description: p.description }), params: p.params.optional() }),
  );
  const schema = variants.length === 1 ? variants[0] : z.union(variants as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
  return z.toJSONSchema(schema as z.ZodType, { io: "input", unrepresentable: "any", target: "draft-7" });
}
