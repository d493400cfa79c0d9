import type { TraceValue } from "../../sim/trace.js";

/**
 * Requests, replies and txn-log records carry bigints (zxids, session ids, stat fields) and byte
 * arrays (znode data), which JSON cannot. On the simulated wire and disk they travel tagged:
 * `{ "$n": "<hex>" }` for a bigint, `{ "$b": [bytes...] }` for a byte array. Everything else is
 * already plain data.
 */
export function toWire(v: unknown): TraceValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return { $n: (v < 0n ? "-0x" + (-v).toString(16) : "0x" + v.toString(16)) };
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return v;
  if (v instanceof Uint8Array) return { $b: [...v] };
  if (Array.isArray(v)) return v.map(toWire);
  if (typeof v === "object") {
    const out: Record<string, TraceValue> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toWire(x);
    return out;
  }
  throw new Error(`cannot put a ${typeof v} on the wire`);
}

export function fromWire<T>(v: TraceValue): T {
  return decode(v) as T;
}

function decode(v: TraceValue): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return (v as readonly TraceValue[]).map(decode);
  const o = v as { readonly [key: string]: TraceValue };
  const n = o["$n"];
  if (typeof n === "string" && Object.keys(o).length === 1) return n.startsWith("-") ? -BigInt(n.slice(1)) : BigInt(n);
  const b = o["$b"];
  if (Array.isArray(b) && Object.keys(o).length === 1) return Uint8Array.from(b as number[]);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = decode(x);
  return out;
}

/** Zxids and session ids as the trace shows them. */
export const hex = (v: bigint): string => `0x${v.toString(16)}`;
