/**
 * What the Java client checks before a request leaves it (PathUtils.validatePath, ZooKeeper.validateACL,
 * `ClientCnxn.queuePacket`'s state gate, the jute.maxbuffer refusal), shared by every ZkClientApi
 * implementation: the in-process one and the one over the simulated network.
 */
import type { Acl } from "../acl.js";
import { createModeInfo } from "../create-mode.js";
import { ERR } from "../errors.js";
import { createPathError, pathError } from "../path.js";
import { illegalArgument, keeperFailure, type ClientState, type EventType, type KeeperState, type ZkResult } from "./client-api.js";
import { packetBytes } from "./packet-size.js";

export abstract class GatedClient {
  protected current: ClientState = "CONNECTING";
  /** A refused addauth: the next request fails with AuthFailed and the client stays AUTH_FAILED. */
  protected authFailPending = false;
  /** The connect string's chroot (`ConnectStringParser`), or null: prepended to every path sent, stripped from paths received. */
  protected chroot: string | null = null;

  protected constructor(private readonly juteMaxBufferBytes: number) {}

  /** Hands a connection-state or watch event to the default watcher. */
  protected abstract event(state: KeeperState, type: EventType, path: string | null): void;

  /** The client's gate before a request goes out (`ClientCnxn.queuePacket`, `conLossPacket`). */
  protected gate(clientPath: string | null): ZkResult<never> | null {
    if (this.authFailPending) {
      this.authFailPending = false;
      this.current = "AUTH_FAILED";
      return keeperFailure(ERR.AuthFailed, clientPath);
    }
    switch (this.current) {
      case "AUTH_FAILED":
        return keeperFailure(ERR.AuthFailed, clientPath);
      case "CLOSED":
        return keeperFailure(ERR.SessionExpired, clientPath);
      case "CONNECTED":
      case "CONNECTEDREADONLY":
        return null;
      default:
        return keeperFailure(ERR.ConnectionLoss, clientPath);
    }
  }

  /**
   * NIOServerCnxn.readLength refuses a packet longer than jute.maxbuffer by closing the connection:
   * the client sees Disconnected, the request fails with ConnectionLoss, and the session reconnects
   * at once (SyncConnected) with nothing applied and no zxid spent (transcript 78).
   */
  protected overMaxBuffer(packetLength: number): boolean {
    if (packetLength <= this.juteMaxBufferBytes) return false;
    this.event("Disconnected", "None", null);
    this.event("SyncConnected", "None", null);
    return true;
  }

  /** `ZooKeeper.prependChroot`: the server's view of a client path. */
  protected toServer(clientPath: string): string {
    if (this.chroot === null) return clientPath;
    return clientPath.length === 1 ? this.chroot : this.chroot + clientPath;
  }

  /**
   * The client's view of a path the server sent (ClientCnxn strips the chroot from event paths,
   * `ZooKeeper.create` from the created name): the chroot itself is `/`.
   */
  protected toClient(serverPath: string): string {
    if (this.chroot === null) return serverPath;
    if (serverPath === this.chroot) return "/";
    return serverPath.length > this.chroot.length ? serverPath.slice(this.chroot.length) : serverPath;
  }

  /** PathUtils.validatePath, then the connection gate, then the call. */
  protected checked<T>(path: string, call: () => ZkResult<T>): ZkResult<T> {
    const bad = pathError(path);
    if (bad !== null) return illegalArgument(bad);
    return this.gate(path) ?? call();
  }

  /** Everything `ZooKeeper.create` checks before sending; null when the request may go out. */
  protected createRefusal(path: string, data: Uint8Array | null, acl: readonly Acl[], flags: number): ZkResult<never> | null {
    const mode = createModeInfo(flags);
    const bad = createPathError(path, mode?.sequential ?? false);
    if (bad !== null) return illegalArgument(bad);
    if (acl.length === 0) return keeperFailure(ERR.InvalidACL, null); // ZooKeeper.validateACL
    const gated = this.gate(path);
    if (gated !== null) return gated;
    if (this.overMaxBuffer(packetBytes(path, data, acl, mode?.ttl === true ? 12 : 4))) return keeperFailure(ERR.ConnectionLoss, path);
    return null;
  }

  /** Everything `ZooKeeper.setACL` checks before sending. */
  protected setAclRefusal(path: string, acl: readonly Acl[]): ZkResult<never> | null {
    const bad = pathError(path);
    if (bad !== null) return illegalArgument(bad);
    if (acl.length === 0) return keeperFailure(ERR.InvalidACL, null);
    return this.gate(path);
  }
}
