/** Virtual time is an integer count of microseconds. These helpers keep units explicit. */
export type Us = number;

export const US_PER_MS = 1_000;
export const US_PER_S = 1_000_000;

export const ms = (n: number): Us => Math.round(n * US_PER_MS);
export const seconds = (n: number): Us => Math.round(n * US_PER_S);

const DURATION = /^(\d+)(us|ms|s|m)?$/;
const UNIT_US: Record<string, number> = { us: 1, ms: US_PER_MS, s: US_PER_S, m: 60 * US_PER_S };

/** Parses "250ms", "2s", "1500us", "3m" or a bare integer (microseconds). Returns null when malformed. */
export function parseDuration(text: string | number): Us | null {
  if (typeof text === "number") return Number.isSafeInteger(text) && text >= 0 ? text : null;
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  const value = Number(m[1]) * (UNIT_US[m[2] ?? "us"] ?? 1);
  return Number.isSafeInteger(value) ? value : null;
}

/** Virtual microseconds as whole milliseconds, rounded down (what the CLI's `sim_ms` shows). */
export const toMs = (us: Us): number => Math.floor(us / US_PER_MS);

/** A readable duration: "1.250s", "40ms", "7us". Integer arithmetic only. */
export function formatUs(us: Us): string {
  if (us >= US_PER_S) {
    const whole = Math.floor(us / US_PER_S);
    const frac = Math.floor((us % US_PER_S) / US_PER_MS);
    return `${whole}.${String(frac).padStart(3, "0")}s`;
  }
  if (us >= US_PER_MS) return `${Math.floor(us / US_PER_MS)}ms`;
  return `${us}us`;
}
