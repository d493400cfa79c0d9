import type { NodeContext } from "../../sim/node.js";
import type { ZkMessage } from "../server/messages.js";
import type { ServingCore, WritePath } from "../server/serving.js";
import type { ZkDb } from "../server/zkdb.js";
import type { QuorumConfig } from "./config.js";
import type { FleMessage } from "./fle-messages.js";
import type { ZabPacket } from "./packets.js";
import type { ACCEPTED_EPOCH, CURRENT_EPOCH, ZabDisk } from "./zab-disk.js";

/** Everything a quorum peer's node receives: client traffic, election notifications, Zab packets. */
export type PeerMessage = ZkMessage | FleMessage | ZabPacket;
export type PeerCtx = NodeContext<PeerMessage>;

/** `QuorumPeer.ZabState`. */
export type ZabPhase = "ELECTION" | "DISCOVERY" | "SYNCHRONIZATION" | "BROADCAST";

export const ZAB_CHANNEL = "zab";

/**
 * What a role (Leader, Learner) may use of its peer: the database and disk it shares with the
 * other roles the peer takes over its life, the epochs, the serving core, and the way back to
 * LOOKING. Roles never outlive the peer object; a crash drops all of it.
 */
export interface PeerHost {
  readonly sid: number;
  readonly cfg: QuorumConfig;
  readonly db: ZkDb;
  readonly disk: ZabDisk;
  readonly acceptedEpoch: number;
  readonly currentEpoch: number;
  /**
   * `QuorumPeer.setAcceptedEpoch` / `setCurrentEpoch`: the field moves with the file write (the
   * real peer does both in one call, so nothing runs between); `then` runs once the file is
   * durable. A role that ends before then must not leave the field behind the disk.
   */
  setEpoch(ctx: PeerCtx, file: typeof ACCEPTED_EPOCH | typeof CURRENT_EPOCH, epoch: number, then: () => void): void;
  /** True between a SNAP's arrival and NEWLEADER's snapshot (ZOOKEEPER-3642: distrust the DB). */
  snapInProgress: boolean;
  readonly core: ServingCore | null;
  setPhase(ctx: PeerCtx, phase: ZabPhase): void;
  /** Starts serving clients through this write path. */
  startServing(ctx: PeerCtx, writes: WritePath, expires: boolean): ServingCore;
  /** The role ends: back to LOOKING (`QuorumPeer.run` loop), after the role closed what it owns. */
  shutdown(ctx: PeerCtx, reason: string): void;
  updateElectionVote(epoch: number): void;
  isVoter(sid: number): boolean;
}

/** The `zab-*` timers belong to the current role. */
export const isZabTimer = (name: string): boolean => name.startsWith("zab-");

const ZAB_TYPE_LIST: readonly ZabPacket["type"][] = Object.freeze([
  "FOLLOWERINFO",
  "OBSERVERINFO",
  "LEADERINFO",
  "ACKEPOCH",
  "DIFF",
  "TRUNC",
  "SNAP",
  "PROPOSAL",
  "INFORM",
  "COMMIT",
  "NEWLEADER",
  "ACK",
  "UPTODATE",
  "PING",
  "REQUEST",
  "SYNC",
]);

/** Whether a message is a Zab packet (the peers' `zab` channel). */
export const isZabPacket = (type: string): boolean => (ZAB_TYPE_LIST as readonly string[]).includes(type);
