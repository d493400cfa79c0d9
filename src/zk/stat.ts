import { javaDateString } from "./java-date.js";
import { longHex } from "./java-int.js";

/**
 * What a node stores (`StatPersisted` in zookeeper.jute). `cversion` here is the stored count of
 * child creates, not what clients see; `ephemeralOwner` is the raw encoding (see ephemeral-type.ts).
 */
export type StatPersisted = {
  czxid: bigint;
  mzxid: bigint;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  pzxid: bigint;
};

/** What a client sees (`Stat` in zookeeper.jute), as DataNode.copyStat builds it. */
export type Stat = {
  readonly czxid: bigint;
  readonly mzxid: bigint;
  readonly ctime: number;
  readonly mtime: number;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: bigint;
  readonly dataLength: number;
  readonly numChildren: number;
  readonly pzxid: bigint;
};

/** `DataTree.createStat`: a new node's stat at zxid and time. */
export const createStat = (zxid: bigint, timeMs: number, ephemeralOwner: bigint): StatPersisted => ({
  czxid: zxid,
  mzxid: zxid,
  ctime: timeMs,
  mtime: timeMs,
  version: 0,
  cversion: 0,
  aversion: 0,
  ephemeralOwner,
  pzxid: zxid,
});

/** The all-zero stat of the built-in nodes (`new StatPersisted()` in the DataTree constructor). */
export const zeroStat = (): StatPersisted => createStat(0n, 0, 0n);

/**
 * zkCli's StatPrinter lines, in its order (cZxid, ctime, mZxid, mtime, pZxid, cversion, dataVersion,
 * aclVersion, ephemeralOwner, dataLength, numChildren); times as Java Date.toString in UTC.
 */
export function statLines(s: Stat): string[] {
  return [
    `cZxid = ${longHex(s.czxid)}`,
    `ctime = ${javaDateString(s.ctime)}`,
    `mZxid = ${longHex(s.mzxid)}`,
    `mtime = ${javaDateString(s.mtime)}`,
    `pZxid = ${longHex(s.pzxid)}`,
    `cversion = ${s.cversion}`,
    `dataVersion = ${s.version}`,
    `aclVersion = ${s.aversion}`,
    `ephemeralOwner = ${longHex(s.ephemeralOwner)}`,
    `dataLength = ${s.dataLength}`,
    `numChildren = ${s.numChildren}`,
  ];
}
