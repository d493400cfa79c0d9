/**
 * The election side of `QuorumCnxManager`: one connection per pair of servers on the "election"
 * channel, a send queue of one message per peer, and the rule that only a connection dialed by the
 * larger sid survives.
 *
 * The kernel gives one connection per pair and channel and does not say who dialed it, so this
 * keeps its own view of each peer. A dial is remembered until a connection comes up; whoever
 * remembers dialing acts as the initiator: it sends `fle-hello` with its sid (`startConnection`)
 * and then keeps the connection only if it has the larger sid. The receiver waits for that hello
 * (`handleConnection`): from a smaller sid it drops the connection and dials back, from a larger
 * one it starts sending. When both ends dial at once the kernel merges the attempts and both think
 * they dialed; the hello settles that the same way (the smaller closes, the larger dials back).
 */
import { assert } from "../../sim/assert.js";
import type { ConnectionChange, NodeContext, NodeId } from "../../sim/node.js";
import { ELECTION_CHANNEL, type FleMessage, type FleNotificationMessage } from "./fle-messages.js";

type Ctx = NodeContext<FleMessage>;

/** What this server knows about its election link to one peer. */
interface PeerLink {
  readonly sid: number;
  readonly node: NodeId;
  /** The peer has a send queue (`queueSendMap` holds its sid): it is in `connectAll`'s list. */
  known: boolean;
  /** The send queue (capacity 1, `SEND_CAPACITY`): only the newest unsent message waits. */
  pending: FleNotificationMessage | null;
  /** `lastMessageSent`: re-sent when a new connection comes up with an empty queue. */
  lastSent: FleNotificationMessage | null;
  /** A kernel connection is up as far as this server knows (told so and not closed by it since). */
  linkUp: boolean;
  /** The handshake settled: a `SendWorker` runs for this peer (`senderWorkerMap` holds it). */
  established: boolean;
  /**
   * Attempts this server made and has not heard the end of (`inprogressConnections`); it dialed
   * while this is above 0. A count, not a flag: an earlier attempt's failure can be reported after
   * a newer attempt started (a pause replays the old news in a burst), and must not make the newer
   * attempt's conn-up look like the peer's dial, or both ends wait for a hello that never comes.
   */
  dialing: number;
}

export class ElectionCnx {
  private readonly links = new Map<number, PeerLink>();

  constructor(
    private readonly myId: number,
    private readonly nodeOf: (sid: number) => NodeId,
  ) {}

  /** `toSend` to another server: onto its queue (newest wins) and, without a connection, dial it. */
  toSend(ctx: Ctx, sid: number, msg: FleNotificationMessage): void {
    assert(sid !== this.myId, "a server's messages to itself loop back inside FastLeaderElection");
    const l = this.link(sid);
    l.known = true;
    if (l.established) {
      this.write(ctx, l, msg);
      return;
    }
    l.pending = msg;
    this.connectOne(ctx, l);
  }

  /**
   * `haveDelivered`: true as soon as one peer's queue is empty. Despite its comment in the source
   * ("all queues are empty") it asks for any, so one live connection is enough to re-send
   * notifications instead of dialing everybody.
   */
  haveDelivered(): boolean {
    for (const l of this.sorted()) if (l.known && l.pending === null) return true;
    return false;
  }

  /** `connectAll`: dial every peer that has a queue and no connection. */
  connectAll(ctx: Ctx): void {
    for (const l of this.sorted()) if (l.known) this.connectOne(ctx, l);
  }

  /** Connection news for the election channel from peer `sid`. */
  onConnection(ctx: Ctx, sid: number, change: ConnectionChange): void {
    const l = this.link(sid);
    if (change.up) {
      // A new connection replaces whatever we had (the kernel may never report an old one's end):
      // nothing is sent on it before the handshake settles.
      l.linkUp = true;
      l.established = false;
      if (l.dialing > 0) {
        l.dialing = 0;
        this.initiated(ctx, l);
      }
      return;
    }
    if (change.reason === "refused" || change.reason === "unreachable") {
      // One of our attempts failed; the next toSend or connectAll tries again.
      l.dialing = Math.max(0, l.dialing - 1);
      return;
    }
    // `SendWorker.finish`: what was handed to the broken connection is gone, the queue stays.
    l.linkUp = false;
    l.established = false;
  }

  /** The receiving half of the handshake (`handleConnection`): the initiator said it is `sid`. */
  onHello(ctx: Ctx, sid: number): void {
    assert(sid !== this.myId, "a connection from a server with our own id (ZOOKEEPER-2164)");
    const l = this.link(sid);
    if (sid < this.myId) {
      // We win the challenge: close the new connection (and any old worker) and dial back.
      l.established = false;
      if (l.linkUp) ctx.disconnect(l.node, ELECTION_CHANNEL);
      l.linkUp = false;
      this.connectOne(ctx, l);
      return;
    }
    if (l.linkUp && !l.established) this.establish(ctx, l);
  }

  /** Peers with a live, settled connection, by sid (for status displays and tests). */
  connectedSids(): number[] {
    return this.sorted()
      .filter((l) => l.established)
      .map((l) => l.sid);
  }

  /** `connectOne`: dial unless a connection is up or being settled (the kernel drops a repeated dial). */
  private connectOne(ctx: Ctx, l: PeerLink): void {
    if (l.established || l.linkUp) return;
    l.dialing++;
    ctx.connect(l.node, ELECTION_CHANNEL);
  }

  /** `startConnection` after our dial came up: announce our sid; lose the challenge to a larger sid. */
  private initiated(ctx: Ctx, l: PeerLink): void {
    ctx.send(l.node, { type: "fle-hello", sid: this.myId }, ELECTION_CHANNEL);
    if (l.sid > this.myId) {
      // The larger sid will dial back once it reads the hello.
      ctx.disconnect(l.node, ELECTION_CHANNEL);
      l.linkUp = false;
      return;
    }
    this.establish(ctx, l);
  }

  /** A `SendWorker` starts: it sends the queued message, or re-sends the last one if none is queued. */
  private establish(ctx: Ctx, l: PeerLink): void {
    l.established = true;
    l.known = true;
    const next = l.pending ?? l.lastSent;
    l.pending = null;
    if (next !== null) this.write(ctx, l, next);
  }

  private write(ctx: Ctx, l: PeerLink, msg: FleNotificationMessage): void {
    ctx.send(l.node, msg, ELECTION_CHANNEL);
    l.lastSent = msg;
  }

  private link(sid: number): PeerLink {
    let l = this.links.get(sid);
    if (l === undefined) {
      l = { sid, node: this.nodeOf(sid), known: false, pending: null, lastSent: null, linkUp: false, established: false, dialing: 0 };
      this.links.set(sid, l);
    }
    return l;
  }

  private sorted(): PeerLink[] {
    return [...this.links.values()].sort((a, b) => a.sid - b.sid);
  }
}
