/**
 * What Fast Leader Election puts on the election channel: the notification
 * (`FastLeaderElection.buildMsg`) and the connection handshake (`QuorumCnxManager.startConnection`).
 * Messages carry integers only; a zxid travels as `"0x" + Long.toHexString(zxid)`.
 */
import { assert } from "../../sim/assert.js";
import { longHex, parseLongHex } from "../java-int.js";

/** `QuorumPeer.ServerState`, in its wire order (LOOKING 0, FOLLOWING 1, LEADING 2, OBSERVING 3). */
export type PeerState = "LOOKING" | "FOLLOWING" | "LEADING" | "OBSERVING";

/** The channel every election connection and message uses. */
export const ELECTION_CHANNEL = "election";

/**
 * One notification. `sid` is the sender's id: the real wire format leaves it out because the
 * receiving `RecvWorker` knows its connection's sid; it is kept here so a trace reads on its own,
 * and the receiver checks it against the connection.
 */
export type FleNotificationMessage = {
  readonly type: "fle-notification";
  readonly state: PeerState;
  readonly leader: number;
  readonly zxid: string;
  readonly electionEpoch: number;
  readonly peerEpoch: number;
  readonly sid: number;
};

/** The initiator's first words on a new election connection: its server id (`startConnection`). */
export type FleHelloMessage = { readonly type: "fle-hello"; readonly sid: number };

export type FleMessage = FleNotificationMessage | FleHelloMessage;

/**
 * `Notification.CURRENTVERSION`: every server here speaks the 3.4.6+ format, so every received
 * notification has version 0x2. The version matters only to `Vote.equals` (see fle-vote.ts).
 */
export const NOTIFICATION_VERSION = 2;

/**
 * Long.MIN_VALUE stands in for "no vote" in a non-voter's initial vote (`getInitId`,
 * `getInitLastLoggedZxid`, `getPeerEpoch`). The zxid keeps the real value (a bigint); leader and
 * peerEpoch become -1, which every real sid and epoch exceeds (sids are positive, epochs are not
 * negative), so `totalOrderPredicate` orders them as Java does, and -1 is never a voter.
 */
export const NO_LEADER = -1;
export const NO_EPOCH = -1;
export const NO_ZXID = -(1n << 63n);

/** A notification as `WorkerReceiver` hands it to `lookForLeader` (`FastLeaderElection.Notification`). */
export type Notification = {
  readonly sid: number;
  readonly state: PeerState;
  readonly leader: number;
  readonly zxid: bigint;
  readonly electionEpoch: number;
  readonly peerEpoch: number;
  readonly version: number;
};

export function notificationMessage(
  sid: number,
  state: PeerState,
  leader: number,
  zxid: bigint,
  electionEpoch: number,
  peerEpoch: number,
): FleNotificationMessage {
  assert(Number.isSafeInteger(leader) && Number.isSafeInteger(electionEpoch) && Number.isSafeInteger(peerEpoch), "notification fields are integers");
  return { type: "fle-notification", state, leader, zxid: longHex(zxid), electionEpoch, peerEpoch, sid };
}

/** Reads a notification that arrived on the connection of server `sid`. */
export function readNotification(sid: number, m: FleNotificationMessage): Notification {
  assert(m.sid === sid, `a notification signed by ${m.sid} came from server ${sid}`);
  return { sid, state: m.state, leader: m.leader, zxid: parseLongHex(m.zxid), electionEpoch: m.electionEpoch, peerEpoch: m.peerEpoch, version: NOTIFICATION_VERSION };
}
