import { CREATE_MODE } from "../../src/zk/create-mode.js";
import { OPEN_ACL_UNSAFE } from "../../src/zk/acl.js";
import type { CreateRequest } from "../../src/zk/validate.js";

const enc = new TextEncoder();

export const bytes = (s: string): Uint8Array => enc.encode(s);

export const SESSION = 0x1000024dfb70000n;

/** A create request as zkCli sends it (OPEN_ACL_UNSAFE, no TTL). */
export const create = (path: string, opts: { data?: string; flags?: number; ttlMs?: bigint } = {}): CreateRequest => ({
  type: "create",
  path,
  data: opts.data === undefined ? null : bytes(opts.data),
  acl: OPEN_ACL_UNSAFE,
  flags: opts.flags ?? CREATE_MODE.PERSISTENT,
  ttlMs: opts.ttlMs ?? -1n,
});
