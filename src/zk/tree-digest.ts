import type { StatPersisted } from "./stat.js";

/**
 * The data tree's digest (`DigestCalculator`, `NodeHashMapImpl`, `AdHash`; zookeeper.digest.enabled
 * is true by default in 3.8): each node's digest is a CRC32 over its path, its data and 60 bytes
 * of its stat, and the tree's digest is the 64-bit sum of its nodes' digests. Nodes under
 * "/zookeeper/" are left out ("/zookeeper" itself is in), and the root counts once, under "".
 * (This is digest version 2, `DigestCalculator.DIGEST_VERSION`.)
 */

/** `DataTree.DIGEST_LOG_INTERVAL`: the `hash` four-letter word lists the digest of every zxid divisible by it. */
export const DIGEST_LOG_INTERVAL = 128n;

/** `DataTree.DIGEST_LOG_LIMIT`: how many of those the tree keeps (the oldest go first). */
export const DIGEST_LOG_LIMIT = 1024;

/** One entry of `DataTree.getDigestLog()`. */
export type ZxidDigest = { readonly zxid: bigint; readonly digest: bigint };

/** The reflected CRC-32 table (polynomial 0xEDB88320, as java.util.zip.CRC32), built once and frozen. */
const CRC_TABLE: readonly number[] = Object.freeze(
  Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  }),
);

/** Feeds bytes into a running CRC-32 register (start with 0xffffffff, finish with `~c >>> 0`). */
function crcUpdate(c: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return c;
}

/** `java.util.zip.CRC32` over the concatenation of the parts. */
export function crc32(...parts: readonly Uint8Array[]): number {
  let c = 0xffffffff;
  for (const p of parts) c = crcUpdate(c, p);
  return ~c >>> 0;
}

const utf8 = new TextEncoder();

/** Feeds a string's UTF-8 bytes (what Java's `String.getBytes()` gives on a UTF-8 JVM) into a CRC-32 register. */
function crcUpdateString(c: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    // Paths are ASCII almost always; anything else goes through the encoder, whole.
    if (ch >= 0x80) return crcUpdate(c, utf8.encode(s.slice(i)));
    c = (CRC_TABLE[(c ^ ch) & 0xff] as number) ^ (c >>> 8);
  }
  return c;
}

/** Whether a path takes part in the digest (`NodeHashMapImpl.addDigest`: nothing under "/zookeeper/"). */
export const digested = (path: string): boolean => !path.startsWith("/zookeeper/");

/**
 * `DigestCalculator.calculateDigest`: CRC32 of the path ("/" read as ""), the data, then czxid,
 * mzxid, pzxid, ctime, mtime (longs), version, cversion, aversion (ints) and ephemeralOwner (long),
 * big-endian. 0 for a path left out of the digest. One per tree: it reuses its 60-byte buffer.
 */
export class DigestCalculator {
  private readonly stat = new DataView(new ArrayBuffer(60));
  private readonly statBytes = new Uint8Array(this.stat.buffer);

  nodeDigest(path: string, data: Uint8Array | null, st: StatPersisted): number {
    if (!digested(path)) return 0;
    const b = this.stat;
    b.setBigInt64(0, st.czxid);
    b.setBigInt64(8, st.mzxid);
    b.setBigInt64(16, st.pzxid);
    setLong(b, 24, st.ctime);
    setLong(b, 32, st.mtime);
    b.setInt32(40, st.version);
    b.setInt32(44, st.cversion);
    b.setInt32(48, st.aversion);
    b.setBigInt64(52, st.ephemeralOwner);
    let c = crcUpdateString(0xffffffff, path === "/" ? "" : path);
    if (data !== null) c = crcUpdate(c, data);
    return ~crcUpdate(c, this.statBytes) >>> 0;
  }
}

/** A Java long from a safe integer (times in ms), big-endian, without a BigInt. */
function setLong(b: DataView, at: number, x: number): void {
  const hi = Math.floor(x / 0x1_0000_0000);
  b.setInt32(at, hi);
  b.setUint32(at + 4, x - hi * 0x1_0000_0000);
}
