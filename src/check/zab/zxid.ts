/**
 * Zxids as the trace writes them (`"0x100000003"`) and as the checkers keep them: a safe integer,
 * epoch << 32 | counter. Epochs stay far below 2^21 in any run, so the integer is exact.
 */

const COUNTER_SPAN = 4_294_967_296;

/** The zxid a trace field holds, or null when the field is not a hex zxid. */
export function parseZxid(v: unknown): number | null {
  if (typeof v !== "string" || !v.startsWith("0x")) return null;
  const n = Number.parseInt(v.slice(2), 16);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

export const epochOf = (z: number): number => Math.floor(z / COUNTER_SPAN);
export const counterOf = (z: number): number => z % COUNTER_SPAN;

/** `0x100000003` as the trace writes it. */
export const hexZxid = (z: number): string => `0x${z.toString(16)}`;

/** `<1,3>`: epoch and counter, the way zab.md writes zxids in prose. */
export const showZxid = (z: number): string => `<${epochOf(z)},${counterOf(z)}>`;
