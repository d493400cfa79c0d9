/** How a quorum peer configures Fast Leader Election and what it hears back (see fle.ts). */
import type { NodeContext, NodeId } from "../../sim/node.js";
import type { FleMessage } from "./fle-messages.js";

/** The outcome of one round: `lookForLeader`'s end vote and the state it put the peer in. */
export type Decision = {
  readonly state: "FOLLOWING" | "LEADING" | "OBSERVING";
  readonly leader: number;
  readonly zxid: bigint;
  readonly electionEpoch: number;
  readonly peerEpoch: number;
};

/** What the peer's disk says when it starts looking: `getLastLoggedZxid()` and `currentEpoch`. */
export type ElectionInput = { readonly lastZxid: bigint; readonly currentEpoch: number };

/** The vote a serving peer stands by (`QuorumPeer.currentVote`). */
export type ServingVote = { readonly leader: number; readonly zxid: bigint; readonly peerEpoch: number };

export type FleConfig = {
  readonly myId: number;
  /** Participant sids (`getCurrentAndNextConfigVoters`; no reconfig). */
  readonly voters: readonly number[];
  readonly observers: readonly number[];
  /** The simulator node of a sid (e.g. "s3"). */
  readonly nodeOf: (sid: number) => NodeId;
  /** The sid of a simulator node, or undefined for a node outside the ensemble. */
  readonly sidOf: (node: NodeId) => number | undefined;
  /** `finalizeWait`: 200 ms. */
  readonly finalizeWaitMs?: number;
  /** `zookeeper.fastleader.minNotificationInterval`: 200 ms. */
  readonly minNotificationIntervalMs?: number;
  /** `zookeeper.fastleader.maxNotificationInterval`: 60 000 ms. */
  readonly maxNotificationIntervalMs?: number;
  /** Called once per round, when the round decides. FLE has already set its state to `d.state`. */
  readonly onDecided: (ctx: NodeContext<FleMessage>, d: Decision) => void;
};
