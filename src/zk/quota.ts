/**
 * Quota bookkeeping of the data tree (`DataTree.pTrie`, `updateQuotaStat`, `updateQuotaForPath`,
 * `Quotas`, `StatsTrack`): creating `/zookeeper/quota<path>/zookeeper_limits` marks `<path>` as a
 * quota root; creating its `zookeeper_stats` sibling fills it with the subtree's count and bytes;
 * afterwards every create, delete and setData below the deepest quota root rewrites that stats
 * node's data in place (no zxid, no version change).
 */
export const QUOTA_ROOT = "/zookeeper/quota";
export const LIMIT_NODE = "zookeeper_limits";
export const STAT_NODE = "zookeeper_stats";

export const quotaLimitPath = (path: string): string => `${QUOTA_ROOT}${path}/${LIMIT_NODE}`;
export const quotaStatPath = (path: string): string => `${QUOTA_ROOT}${path}/${STAT_NODE}`;

/** `String.split(regex)` with limit 0: trailing empty strings removed. */
function javaSplit(text: string, sep: RegExp | string): string[] {
  const parts = text.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** `StatsTrack`'s text: 3.8 puts a stray "=" before the hard limits, and reads that back. */
export function parseStatsTrack(text: string): Map<string, bigint> {
  const stats = new Map<string, bigint>();
  if (text.length === 0) return stats;
  for (const pair of javaSplit(text, /[,;]+/)) {
    const kv = pair.split("=");
    while (kv.length > 1 && kv[kv.length - 1] === "") kv.pop();
    const value = kv[1] ?? "";
    stats.set(kv[0] ?? "", /^[+-]?\d+$/.test(value) ? BigInt(value) : -1n);
  }
  return stats;
}

/**
 * What `new StatsTrack(text)` (3.8.0) throws, or null: `kv[0]`/`kv[1]` of a pair with nothing after
 * `=` (Java's split drops trailing empty strings) is an ArrayIndexOutOfBoundsException, a value
 * Long.parseLong refuses a NumberFormatException.
 */
export type StatsTrackFault =
  | { readonly kind: "index"; readonly index: number; readonly length: number }
  | { readonly kind: "number"; readonly input: string };

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

export function statsTrackFault(text: string): StatsTrackFault | null {
  if (text.length === 0) return null;
  for (const pair of javaSplit(text, /[,;]+/)) {
    const kv = javaSplit(pair, "=");
    if (pair === "") kv.push(""); // no separator found: the whole (empty) string
    if (kv.length < 2) return { kind: "index", index: kv.length === 0 ? 0 : 1, length: kv.length };
    const value = kv[1] ?? "";
    if (value === "") continue;
    const ok = /^[+-]?\d+$/.test(value) && BigInt(value) >= LONG_MIN && BigInt(value) <= LONG_MAX;
    if (!ok) return { kind: "number", input: value };
  }
  return null;
}

export const statsValue = (s: ReadonlyMap<string, bigint>, key: string): bigint => s.get(key) ?? -1n;

export function statsTrackText(s: ReadonlyMap<string, bigint>): string {
  const rest = [...s.keys()].filter((k) => k !== "count" && k !== "bytes").sort();
  const head = `count=${statsValue(s, "count")},bytes=${statsValue(s, "bytes")}`;
  return rest.length === 0 ? head : `${head}=${rest.map((k) => `;${k}=${s.get(k) ?? -1n}`).join("")}`;
}

/** The quota roots (`PathTrie` with a property on each), as paths. */
export class QuotaRoots {
  private readonly roots = new Set<string>();

  add(path: string): void {
    this.roots.add(path);
  }

  delete(path: string): void {
    this.roots.delete(path);
  }

  /**
   * `DataTree.getMaxPrefixWithQuota`: the deepest quota root that is `path` or a component-wise
   * ancestor of it, or null (PathTrie.findMaxPrefix's "/" means none).
   */
  maxPrefix(path: string): string | null {
    if (this.roots.size === 0) return null;
    let best: string | null = null;
    let prefix = "";
    for (const part of path.split("/").filter((p) => p !== "")) {
      prefix = `${prefix}/${part}`;
      if (this.roots.has(prefix)) best = prefix;
    }
    return best;
  }
}
