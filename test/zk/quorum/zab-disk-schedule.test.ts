import { describe, expect, it } from "vitest";
import { recordingCtx } from "../../../src/sim/testing.js";
import type { ZkMessage } from "../../../src/zk/server/messages.js";
import type { LoggedTxn } from "../../../src/zk/server/zkdb.js";
import { ZabDisk } from "../../../src/zk/quorum/zab-disk.js";

/** The txn counts between snapshots a peer's log takes over `txns` appends with this seed. */
function gaps(snapCount: number, seed: number, txns: number): number[] {
  const ctx = recordingCtx<ZkMessage>({ seed });
  const disk = new ZabDisk();
  const at: number[] = [];
  let n = 0;
  disk.snapDue = () => void at.push(n);
  disk.rollSnapshots(ctx, snapCount);
  for (n = 1; n <= txns; n++) {
    const t: LoggedTxn = { hdr: { zxid: BigInt(n), sessionId: 1n, timeMs: 0 }, txn: { type: "delete", path: "/a" } };
    disk.append(ctx, t);
  }
  return at.map((x, i) => x - (at[i - 1] ?? 0));
}

// SyncRequestProcessor: a snapshot when logCount > snapCount/2 + nextInt(snapCount/2), integer halves.
describe("an ensemble peer's snapshot schedule", () => {
  it.each([
    [6, 4, 6],
    [5, 3, 4],
    [2, 2, 2],
  ])("snapCount %i: every gap between snapshots is in [%i, %i], and both ends occur", (snapCount, lo, hi) => {
    const all = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) => gaps(snapCount, seed, 200));
    expect(all.length).toBeGreaterThan(100);
    expect(Math.min(...all)).toBe(lo);
    expect(Math.max(...all)).toBe(hi);
  });
});
