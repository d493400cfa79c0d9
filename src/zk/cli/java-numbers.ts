/**
 * Java's number parsing as zkCli's commands use it, returning null where Java throws
 * NumberFormatException. Only ASCII digits are accepted (Java also takes other Unicode digits).
 */
const INT_MIN = -2147483648n;
const INT_MAX = 2147483647n;

function parseRadix(s: string, radix: 8 | 10 | 16, min: bigint, max: bigint): number | bigint | null {
  const digits = radix === 16 ? /^[+-]?[0-9a-fA-F]+$/ : radix === 8 ? /^[+-]?[0-7]+$/ : /^[+-]?[0-9]+$/;
  if (!digits.test(s)) return null;
  const neg = s.startsWith("-");
  const body = s.replace(/^[+-]/, "");
  const prefix = radix === 16 ? "0x" : radix === 8 ? "0o" : "";
  const v = BigInt(`${prefix}${body}`) * (neg ? -1n : 1n);
  return v < min || v > max ? null : v;
}

/** `Integer.parseInt`. */
export function javaParseInt(s: string): number | null {
  const v = parseRadix(s, 10, INT_MIN, INT_MAX);
  return v === null ? null : Number(v);
}

/** `Long.parseLong`. */
export function javaParseLong(s: string): bigint | null {
  const v = parseRadix(s, 10, -(1n << 63n), (1n << 63n) - 1n);
  return v === null ? null : BigInt(v);
}

/** `Integer.decode`: optional sign, then `0x`/`0X`/`#` for hex or a leading `0` for octal. */
export function javaDecodeInt(s: string): number | null {
  if (s.length === 0) return null;
  const neg = s.startsWith("-");
  let i = s.startsWith("-") || s.startsWith("+") ? 1 : 0;
  let radix: 8 | 10 | 16 = 10;
  if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
    i += 2;
    radix = 16;
  } else if (s.startsWith("#", i)) {
    i += 1;
    radix = 16;
  } else if (s.startsWith("0", i) && s.length > i + 1) {
    i += 1;
    radix = 8;
  }
  const rest = s.slice(i);
  if (rest.startsWith("-") || rest.startsWith("+")) return null;
  const v = parseRadix(`${neg ? "-" : ""}${rest}`, radix, INT_MIN, INT_MAX);
  return v === null ? null : Number(v);
}
