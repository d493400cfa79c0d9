/** Patterns over trace events, for triggers and expectations: `{type: send, msg.type: PREPARE}`. */
import { z } from "zod";
import type { TraceEvent, TraceValue } from "../sim/trace.js";

export type Scalar = string | number | boolean | null;
export type Pattern = Readonly<Record<string, Scalar>>;

export const patternSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .refine((p) => Object.keys(p).length > 0, "a pattern needs at least one field, e.g. { type: crash }")
  .meta({ description: "Fields a trace event must have; dotted keys reach into nested values (msg.type)" });

function field(e: TraceEvent, path: string): TraceValue | undefined {
  if (!path.includes(".")) return e[path];
  let v: TraceValue | undefined = e as TraceValue;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;
    v = (v as Record<string, TraceValue>)[part];
  }
  return v;
}

/** A compiled pattern: the checks in a fixed order, `type` first because it rejects most events. */
export function compilePattern(p: Pattern): (e: TraceEvent) => boolean {
  const entries = Object.entries(p).sort(([a], [b]) => (a === "type" ? -1 : b === "type" ? 1 : a < b ? -1 : 1));
  return (e) => entries.every(([k, v]) => field(e, k) === v);
}

export function describePattern(p: Pattern): string {
  return `{ ${Object.entries(p)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join(", ")} }`;
}
