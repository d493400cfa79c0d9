import type { TraceValue } from "../../sim/trace.js";

/**
 * Requests, replies and txn-log records carry bigints (zxids, session ids, stat fields) and byte
 * arrays (znode data), which JSON cannot. On the simulated wire and disk they travel tagged:
 * `{ "$n": "<hex>" }` for a bigint, `{ "$b": [bytes...] }` for a byte array. Everything else is
 * already plain data.
 *
 * Both directions run on every request and reply, so they walk values with plain loops (no
 * `Object.entries` arrays): this pair was a third of the standalone pipeline's time.
 */
export function toWire(v: unknown): TraceValue {
  switch (typeof v) {
    case "string":
    case "boolean":
    case "number":
      return v;
    case "bigint":
      return { $n: v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}` };
    case "undefined":
      return null;
    case "object": {
      if (v === null) return null;
      if (v instanceof Uint8Array) return { $b: Array.from(v) };
      if (Array.isArray(v)) {
        const out: TraceValue[] = new Array<TraceValue>(v.length);
        for (let i = 0; i < v.length; i++) out[i] = toWire(v[i]);
        return out;
      }
      const out: Record<string, TraceValue> = {};
      const o = v as Record<string, unknown>;
      for (const k in o) {
        const x = o[k];
        if (x !== undefined) out[k] = toWire(x);
      }
      return out;
    }
    default:
      throw new Error(`cannot put a ${typeof v} on the wire`);
  }
}

export function fromWire<T>(v: TraceValue): T {
  return decode(v) as T;
}

/** True when `o` has exactly one own key (the tag's). */
function single(o: object): boolean {
  let n = 0;
  for (const _ in o) if (++n > 1) return false;
  return n === 1;
}

function decode(v: TraceValue): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    const a = v as readonly TraceValue[];
    const out: unknown[] = new Array<unknown>(a.length);
    for (let i = 0; i < a.length; i++) out[i] = decode(a[i] as TraceValue);
    return out;
  }
  const o = v as { readonly [key: string]: TraceValue };
  const n = o["$n"];
  if (typeof n === "string" && single(o)) return n.charCodeAt(0) === 45 /* - */ ? -BigInt(n.slice(1)) : BigInt(n);
  const b = o["$b"];
  if (Array.isArray(b) && single(o)) return Uint8Array.from(b as number[]);
  const out: Record<string, unknown> = {};
  for (const k in o) out[k] = decode(o[k] as TraceValue);
  return out;
}

/** Zxids and session ids as the trace shows them. */
export const hex = (v: bigint): string => `0x${v.toString(16)}`;
