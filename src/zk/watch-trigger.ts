import type { Acl } from "./acl.js";

/**
 * The watch triggers DataTree fires while applying a txn, as data: the serving layer turns them
 * into notifications. `manager` names DataTree's dataWatches or childWatches.
 */
export type WatchEventType = "NodeCreated" | "NodeDeleted" | "NodeDataChanged" | "NodeChildrenChanged";

export type WatchTrigger = {
  readonly manager: "data" | "child";
  readonly path: string;
  readonly event: WatchEventType;
  /**
   * The ACL DataTree hands `triggerWatch` with the event: the node's own as it is at that point of
   * the txn (a created node's, a deleted node's last one, a parent's for NodeChildrenChanged). A
   * watcher without READ on it gets no notification (CVE-2024-23944, 3.8.4), and inside a multi
   * this can differ from the node's ACL once the whole txn is applied.
   */
  readonly acl: readonly Acl[];
};
