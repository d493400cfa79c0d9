import type { DataTree } from "./datatree.js";
import { parseStatsTrack, quotaLimitPath, quotaStatPath, statsValue } from "./quota.js";

const textOf = (data: Uint8Array | null): string => new TextDecoder().decode(data ?? new Uint8Array(0));

/**
 * `ZooKeeperServer.checkQuota` (zookeeper.enforceQuota): whether a create (countDiff 1) or setData
 * (countDiff 0, bytesDiff the size change) under the deepest quota root breaks a hard limit. Soft
 * limits are only logged. It reads the applied tree, not in-flight changes, as the real one does.
 */
export function quotaExceeded(tree: DataTree, path: string, bytesDiff: number, countDiff: number): boolean {
  if (!tree.enforceQuota) return false;
  const root = tree.quotaRoots.maxPrefix(path);
  if (root === null) return false;
  const limitNode = tree.node(quotaLimitPath(root));
  if (limitNode === undefined) return false;
  const limits = parseStatsTrack(textOf(limitNode.data));
  const checkCount = countDiff !== 0 && (statsValue(limits, "count") > -1n || statsValue(limits, "countHardLimit") > -1n);
  const checkBytes = bytesDiff !== 0 && (statsValue(limits, "bytes") > -1n || statsValue(limits, "byteHardLimit") > -1n);
  if (!checkCount && !checkBytes) return false;
  const statNode = tree.node(quotaStatPath(root));
  if (statNode === undefined) return false;
  const current = parseStatsTrack(textOf(statNode.data));
  if (checkCount) {
    const hard = statsValue(limits, "countHardLimit");
    if (hard > -1n && statsValue(current, "count") + BigInt(countDiff) > hard) return true;
  }
  if (checkBytes) {
    const hard = statsValue(limits, "byteHardLimit");
    if (hard > -1n && statsValue(current, "bytes") + BigInt(bytesDiff) > hard) return true;
  }
  return false;
}
