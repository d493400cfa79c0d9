import type { Acl } from "../acl.js";
import type { ErrCode } from "../errors.js";
import type { Stat } from "../stat.js";

/**
 * What zkCli needs from a ZooKeeper client (`org.apache.zookeeper.ZooKeeper`), synchronously: each
 * call returns its result or the failure the Java client would throw. The command layer talks only to
 * this, so the same commands run over the in-process store adapter (store-client.ts) and, later, over
 * the simulated client library.
 */

/** `Watcher.Event.KeeperState` names as WatchedEvent.toString prints them. */
export type KeeperState = "SyncConnected" | "Disconnected" | "Expired" | "AuthFailed" | "ConnectedReadOnly" | "SaslAuthenticated" | "Closed";

/** `Watcher.Event.EventType` names. */
export type EventType =
  | "None"
  | "NodeCreated"
  | "NodeDeleted"
  | "NodeDataChanged"
  | "NodeChildrenChanged"
  | "DataWatchRemoved"
  | "ChildWatchRemoved"
  | "PersistentWatchRemoved";

export type WatchedEvent = { readonly state: KeeperState; readonly type: EventType; readonly path: string | null };

/** `WatchedEvent.toString`. */
export const watchedEventText = (e: WatchedEvent): string => `WatchedEvent state:${e.state} type:${e.type} path:${e.path ?? "null"}`;

/** `ZooKeeper.States`; zkCli treats all but CLOSED and AUTH_FAILED as alive (`States.isAlive`). */
export type ClientState = "CONNECTING" | "ASSOCIATING" | "CONNECTED" | "CONNECTEDREADONLY" | "CLOSED" | "AUTH_FAILED" | "NOT_CONNECTED";

export const isAlive = (s: ClientState): boolean => s !== "CLOSED" && s !== "AUTH_FAILED";

/** `AddWatchMode`: PERSISTENT 0, PERSISTENT_RECURSIVE 1. */
export type AddWatchMode = "PERSISTENT" | "PERSISTENT_RECURSIVE";
export const ADD_WATCH_MODES: readonly AddWatchMode[] = Object.freeze(["PERSISTENT", "PERSISTENT_RECURSIVE"]);

/** `Watcher.WatcherType`. */
export type WatcherType = "Children" | "Data" | "Any";

/**
 * A failed call: a KeeperException (code and the path it names, null when none) or an
 * IllegalArgumentException the client raises before sending (PathUtils.validatePath).
 */
export type ClientError =
  | { readonly kind: "keeper"; readonly code: ErrCode; readonly path: string | null }
  | { readonly kind: "illegalArgument"; readonly message: string };

export type ZkResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ClientError };

export const okResult = <T>(value: T): ZkResult<T> => ({ ok: true, value });
export const keeperFailure = <T>(code: ErrCode, path: string | null): ZkResult<T> => ({ ok: false, error: { kind: "keeper", code, path } });
export const illegalArgument = <T>(message: string): ZkResult<T> => ({ ok: false, error: { kind: "illegalArgument", message } });

/** `ClientInfo` of whoAmI: the scheme and the user name its provider derives from the id. */
export type ClientInfo = { readonly authScheme: string; readonly user: string };

/** One op of a multi as zkCli's deleteall sends it (`Op.delete`). */
export type MultiDelete = { readonly type: "delete"; readonly path: string; readonly version: number };

export interface ZkClientApi {
  state(): ClientState;
  /** The address the client was built with (zkCli's prompt and `connect` without a host). */
  readonly host: string;
  /** Events reach this watcher synchronously, before the reply of the call that caused them. */
  setDefaultWatcher(watcher: (e: WatchedEvent) => void): void;

  create(path: string, data: Uint8Array | null, acl: readonly Acl[], flags: number, ttlMs: bigint): ZkResult<string>;
  delete(path: string, version: number): ZkResult<null>;
  setData(path: string, data: Uint8Array | null, version: number): ZkResult<Stat>;
  getData(path: string, watch: boolean): ZkResult<{ readonly data: Uint8Array | null; readonly stat: Stat }>;
  /** null for a missing node (a watch is still armed). */
  exists(path: string, watch: boolean): ZkResult<Stat | null>;
  /** Children in the server's order (unsorted) with the node's stat (getChildren2). */
  getChildren(path: string, watch: boolean): ZkResult<{ readonly children: readonly string[]; readonly stat: Stat }>;
  getAllChildrenNumber(path: string): ZkResult<number>;
  /** null prefix: all of the session's ephemerals (`getEphemerals()`, which asks for "/"). */
  getEphemerals(prefixPath: string | null): ZkResult<readonly string[]>;
  getACL(path: string): ZkResult<{ readonly acl: readonly Acl[]; readonly stat: Stat }>;
  setACL(path: string, acl: readonly Acl[], version: number): ZkResult<Stat>;
  getConfig(watch: boolean): ZkResult<{ readonly data: Uint8Array | null; readonly stat: Stat }>;
  multi(ops: readonly MultiDelete[]): ZkResult<null>;
  addWatch(path: string, mode: AddWatchMode): ZkResult<null>;
  removeAllWatches(path: string, type: WatcherType, local: boolean): ZkResult<null>;
  /** The sync callback's result code (0 when OK). */
  sync(path: string): ZkResult<number>;
  /** `ZooKeeperAdmin.reconfigure`: the new config text. */
  reconfig(joining: string | null, leaving: string | null, members: string | null, fromConfig: bigint): ZkResult<string>;
  /** Fire and forget, as `ZooKeeper.addAuthInfo`: a refusal arrives as an AuthFailed event. */
  addAuthInfo(scheme: string, auth: Uint8Array | null): void;
  whoAmI(): ZkResult<readonly ClientInfo[]>;
  close(): void;
  /** zkCli's `connect`: closes a live session and opens a new one to `host`. */
  connect(host: string): void;
}
