import type { Stream } from "../../sim/random.js";
import { CLIENT_BUGGIFY } from "../client/buggify-points.js";

/**
 * The ensemble's BUGGIFY points (`ctx.buggify`, FoundationDB's BUGGIFY): false outside fuzz runs;
 * in a fuzz run with BUGGIFY on, the kernel switches each point on or off at its first visit and
 * then fires it at a seeded rate, tracing each firing. Every point does only what a real server
 * may do on its own (a thread running late, a fuller or emptier fsync group, a snapshot at another
 * moment, a connection that fails, forceSnapSync), so ZAB must stay correct with any of them
 * firing at any visit; they make rare timings and recovery paths common. docs/zab.md lists them.
 */
export const QUORUM_BUGGIFY = Object.freeze({
  /** The leader's commit processing runs late: a quorum-acked head is committed up to half a tick later. */
  leaderCommitDelay: "zab.leader.commit-delay",
  /** A LearnerHandler misses one half-tick PING (never two in a row: far within syncLimit). */
  leaderPingLate: "zab.leader.ping-late",
  /** The leader syncs a learner with SNAP where DIFF or TRUNC would do (`forceSnapSync`). */
  leaderForceSnap: "zab.leader.force-snap",
  /** A follower's ACKs of a durable fsync group go out up to half a tick late. */
  learnerAckDelay: "zab.learner.ack-delay",
  /** A learner's first connection attempt to its leader fails as refused; it retries 100 ms later. */
  learnerConnectRefused: "zab.learner.connect-refused",
  /** An fsync group is flushed in two (SyncRequestProcessor's maxBatchSize). */
  diskFsyncSplit: "zab.disk.fsync-split",
  /** The next snapshot comes within 1-8 txns instead of snapCount's (a valid fuzzy snapshot, taken early). */
  diskSnapshotEarly: "zab.disk.snapshot-early",
  /** FLE sends its vote to every voter once more after taking a notification, once a round (a duplicate is harmless). */
  fleExtraNotification: "fle.extra-notification",
  /** FLE's finalize wait lasts twice finalizeWait (the election thread polls late). */
  fleFinalizeLate: "fle.finalize-late",
} as const);

/** Every BUGGIFY point of the ZooKeeper code, server and client. */
export const ZK_BUGGIFY_POINTS: readonly string[] = Object.freeze([...Object.values(QUORUM_BUGGIFY), ...Object.values(CLIENT_BUGGIFY)]);

/** How late a late step runs: 1 ms to half a tick, a bound the protocol's timeouts (ticks) leave room for. */
export function lateByUs(random: Stream, tickTimeMs: number): number {
  return (1 + random.below(Math.max(1, Math.floor(tickTimeMs / 2)))) * 1000;
}
