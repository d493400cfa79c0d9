/**
 * Java's fixed-width integer arithmetic, which ZooKeeper's counters inherit: versions and cversions
 * are `int` (they wrap at 2^31, e.g. the sequential suffix after 2147483647 is -2147483648), while
 * zxids, session ids and ephemeralOwner are `long`.
 *
 * zksim keeps every `long` of the data tree (zxid, session id, ephemeralOwner) as a signed 64-bit
 * bigint: session ids such as 0x1000024dfb70000 and the container/TTL owner encodings do not fit in
 * 2^53. Times are integer milliseconds in plain numbers. Traces get zxids as hex strings from
 * `longHex`, never bigints.
 */

/** Java `x + 1` on an int. */
export const int32Inc = (x: number): number => (x + 1) | 0;

/** Java `a * 2 - b` on ints, as `DataNode.copyStat` computes the client-visible cversion. */
export const int32TwiceMinus = (a: number, b: number): number => (Math.imul(a, 2) - b) | 0;

/** Wraps a bigint to a Java long. */
export const toLong = (x: bigint): bigint => BigInt.asIntN(64, x);

/** `"0x" + Long.toHexString(x)`: lower case, unpadded, two's complement for negatives (StatPrinter, zkCli). */
export const longHex = (x: bigint): string => `0x${BigInt.asUintN(64, x).toString(16)}`;

/** Parses "0x…" (as traces carry zxids) back into a Java long. */
export function parseLongHex(s: string): bigint {
  if (!/^0x[0-9a-fA-F]{1,16}$/.test(s)) throw new RangeError(`not a 64-bit hex value: ${s}`);
  return toLong(BigInt(s));
}

/** Java `String.hashCode` over UTF-16 code units. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
