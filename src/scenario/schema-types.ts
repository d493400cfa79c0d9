/** Schema pieces shared by the scenario file and protocol `params:` sections. */
import { z } from "zod";
import { parseDuration } from "../sim/time.js";
import { ratio, type Ratio } from "../sim/random.js";

/** A duration: "250ms", "2s", "1500us", "3m", or an integer count of microseconds. Parsed to integer us. */
export const duration = z
  .union([z.string(), z.number()], { error: "expected a duration like 250ms, 2s or 1500us" })
  .transform((v, ctx) => {
    const us = parseDuration(v);
    if (us === null) {
      ctx.addIssue({ code: "custom", message: `expected a duration like 250ms, 2s or 1500us (no negatives), got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return us;
  })
  .meta({ description: 'A duration: "250ms", "2s", "1500us", "3m", or integer microseconds', type: "string" });

const RATIO = /^(\d+)\s*\/\s*(\d+)$/;

/** A probability written as a ratio of integers, "1/100", or 0 / 1. */
export const probability = z
  .union([z.string(), z.literal(0), z.literal(1)], { error: 'expected a probability as a ratio like "1/100"' })
  .transform((v, ctx): Ratio => {
    if (v === 0) return ratio(0, 1);
    if (v === 1) return ratio(1, 1);
    const m = RATIO.exec(v);
    const num = m ? Number(m[1]) : NaN;
    const den = m ? Number(m[2]) : NaN;
    if (!m || den === 0 || num > den) {
      ctx.addIssue({ code: "custom", message: `expected a probability as a ratio like "1/100", got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return ratio(num, den);
  });

export const latency = z
  .strictObject({
    dist: z.enum(["fixed", "uniform", "bell"]).default("uniform"),
    min: duration,
    max: duration.optional(),
    tail: z.strictObject({ ratio: probability, min: duration, max: duration }).optional(),
  })
  .transform((l) => ({
    dist: l.dist,
    minUs: l.min,
    maxUs: l.max ?? l.min,
    ...(l.tail ? { tail: { ratio: l.tail.ratio, minUs: l.tail.min, maxUs: l.tail.max } } : {}),
  }));
