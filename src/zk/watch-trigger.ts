/**
 * The watch triggers DataTree fires while applying a txn, as data: the watch layer (a later piece)
 * turns them into notifications. `manager` names DataTree's dataWatches or childWatches.
 */
export type WatchEventType = "NodeCreated" | "NodeDeleted" | "NodeDataChanged" | "NodeChildrenChanged";

export type WatchTrigger = {
  readonly manager: "data" | "child";
  readonly path: string;
  readonly event: WatchEventType;
};
