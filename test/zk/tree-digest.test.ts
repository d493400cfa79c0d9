// DigestCalculator's per-node digest: java.util.zip.CRC32 over the path's UTF-8 bytes, the data and
// 60 bytes of the persisted stat, checked against node:zlib's CRC32 on the same bytes.
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { createStat } from "../../src/zk/stat.js";
import { crc32, DigestCalculator } from "../../src/zk/tree-digest.js";

const statBytes = (czxid: bigint, timeMs: number, owner: bigint): Buffer => {
  const b = Buffer.alloc(60);
  b.writeBigInt64BE(czxid, 0);
  b.writeBigInt64BE(czxid, 8);
  b.writeBigInt64BE(czxid, 16);
  b.writeBigInt64BE(BigInt(timeMs), 24);
  b.writeBigInt64BE(BigInt(timeMs), 32);
  b.writeBigInt64BE(owner, 52);
  return b;
};

describe("the tree digest's CRC32", () => {
  it("is java.util.zip.CRC32 (the standard check value)", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32()).toBe(0);
  });

  it("digests a node from its path (UTF-8, the root as \"\"), data and stat; nothing under /zookeeper/", () => {
    const d = new DigestCalculator();
    const st = createStat(0x1_0000_0005n, 1_700_000_000_123, -0x7fn);
    const data = Buffer.from([0, 255, 7]);
    for (const path of ["/a", "/ü/日本", "/zookeeper"]) {
      expect(d.nodeDigest(path, data, st)).toBe(zlib.crc32(Buffer.concat([Buffer.from(path), data, statBytes(0x1_0000_0005n, 1_700_000_000_123, -0x7fn)])));
    }
    expect(d.nodeDigest("/", null, st)).toBe(zlib.crc32(statBytes(0x1_0000_0005n, 1_700_000_000_123, -0x7fn)));
    expect(d.nodeDigest("/zookeeper/quota", data, st)).toBe(0);
  });
});
