/**
 * The client library's BUGGIFY points (`ctx.buggify`, live only in fuzz runs that drew them): each
 * makes something happen more often that a real client does or meets anyway, so that the recovery
 * paths behind it run under the checkers. docs/zab.md lists every point with the others.
 */
export const CLIENT_BUGGIFY = Object.freeze({
  /** A reconnect skips a server of the connect string, as after an attempt that failed at once. */
  reconnectElsewhere: "zk.client.reconnect-elsewhere",
  /** The connection breaks right after a write went out: ConnectionLoss, whether it was applied unknown. */
  dropAfterWrite: "zk.client.drop-after-write",
  /** The handle asks for a quarter of its session timeout; the server raises it to its minimum if need be. */
  shortSessionTimeout: "zk.client.short-session-timeout",
} as const);
