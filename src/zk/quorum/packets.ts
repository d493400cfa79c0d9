import type { TraceValue } from "../../sim/trace.js";

/**
 * The quorum packets of `Leader` / `Learner` (zab.md §2), on the peers' `zab` channel. Zxids are hex
 * strings; a txn travels as its encoded log record (txn-log.ts). `origin` and `xid` name the server
 * and client request a txn answers (the real Request's cxid rides with the txn through the leader).
 */
export type ZabPacket =
  | { readonly type: "FOLLOWERINFO" | "OBSERVERINFO"; readonly sid: number; readonly acceptedEpoch: number }
  | { readonly type: "LEADERINFO"; readonly epoch: number }
  /** currentEpoch -1: the learner had already accepted this epoch (not an ack). */
  | { readonly type: "ACKEPOCH"; readonly lastZxid: string; readonly currentEpoch: number }
  | { readonly type: "DIFF" | "TRUNC"; readonly zxid: string }
  /** The leader's state as a snapshot: every txn of its history, replayed by the learner. */
  | { readonly type: "SNAP"; readonly zxid: string; readonly history: readonly TraceValue[] }
  | { readonly type: "PROPOSAL" | "INFORM"; readonly zxid: string; readonly rec: TraceValue; readonly origin: number; readonly xid: number | null }
  | { readonly type: "COMMIT" | "NEWLEADER" | "ACK"; readonly zxid: string }
  | { readonly type: "UPTODATE" }
  /** Leader -> learner: a heartbeat; learner -> leader: its sessions' touches [session hex, timeout ms]. */
  | { readonly type: "PING"; readonly touches: readonly (readonly [string, number])[] }
  /** A write (or global session change) forwarded by a learner, with the session's auth ids. */
  | { readonly type: "REQUEST"; readonly session: string; readonly xid: number | null; readonly req: TraceValue; readonly auth: TraceValue }
  /** `sync`: learner -> leader asks; leader -> learner answers once what it had proposed is committed. */
  | { readonly type: "SYNC"; readonly session: string; readonly xid: number };

export type ZabPacketType = ZabPacket["type"];
