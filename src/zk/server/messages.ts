import type { TraceValue } from "../../sim/trace.js";
import type { AddWatchMode, WatcherType } from "../cli/client-api.js";
import type { WriteRequest } from "../validate.js";
import type { WatchEventType } from "../watch-trigger.js";

/**
 * What a client asks the server, after the client library's own checks. Writes go through the
 * pipeline (prep, txn log, fsync, apply); the rest are answered from the tree in session order.
 */
export type ClientOp =
  | { readonly op: "write"; readonly req: WriteRequest }
  | { readonly op: "getData"; readonly path: string; readonly watch: boolean }
  | { readonly op: "exists"; readonly path: string; readonly watch: boolean }
  | { readonly op: "getChildren"; readonly path: string; readonly watch: boolean }
  | { readonly op: "getAllChildrenNumber"; readonly path: string }
  | { readonly op: "getEphemerals"; readonly path: string }
  | { readonly op: "getACL"; readonly path: string }
  | { readonly op: "addWatch"; readonly path: string; readonly mode: AddWatchMode }
  | { readonly op: "removeWatches"; readonly path: string; readonly type: WatcherType }
  | { readonly op: "sync"; readonly path: string }
  | { readonly op: "whoAmI" }
  | { readonly op: "addAuth"; readonly scheme: string; readonly auth: Uint8Array | null }
  | { readonly op: "reconfig" }
  /** Sent on reconnect (`ClientCnxn.primeConnection`): the watches the client holds, and the last zxid it saw. */
  | {
      readonly op: "setWatches";
      readonly relativeZxid: bigint;
      readonly data: readonly string[];
      readonly exist: readonly string[];
      readonly child: readonly string[];
      readonly persistent: readonly string[];
      readonly persistentRecursive: readonly string[];
    };

/** The op's name as the trace shows it (a write by its request type). */
export const opName = (o: ClientOp): string => (o.op === "write" ? o.req.type : o.op);

/** The path a request names, for the trace. */
export const opPath = (o: ClientOp): string | null => {
  if (o.op === "write") return "path" in o.req ? o.req.path : null;
  return "path" in o ? o.path : null;
};

/** Client -> server and server -> client, on one FIFO connection. Payloads are wire-encoded (wire.ts). */
export type ZkMessage =
  /** `lastZxid`: the newest zxid the client has seen; a server behind it refuses the connection. */
  | { readonly type: "ConnectRequest"; readonly sessionId: string; readonly timeoutMs: number; readonly lastZxid: string }
  /** timeoutMs 0: the session is gone (the client sees Expired). */
  | { readonly type: "ConnectResponse"; readonly sessionId: string; readonly timeoutMs: number }
  | { readonly type: "Request"; readonly xid: number; readonly body: TraceValue }
  | { readonly type: "Reply"; readonly xid: number; readonly zxid: string; readonly err: number; readonly body: TraceValue }
  | { readonly type: "Notification"; readonly event: WatchEventType; readonly path: string }
  | { readonly type: "Ping" };

/** One id in a whoAmI reply. */
export type WhoAmIEntry = { readonly scheme: string; readonly id: string };
