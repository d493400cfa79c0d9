/** The size of a request packet as jute serializes it, for the jute.maxbuffer check. */
import type { Acl } from "../acl.js";

const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

/**
 * Length of a create/setData request packet: the request header (xid, type), then each string and
 * buffer with a 4-byte length, ints and longs as 4 and 8 bytes; `extra` is the op's fixed fields.
 */
export function packetBytes(path: string, data: Uint8Array | null, acl: readonly Acl[] | null, extra: number): number {
  const aclBytes = acl === null ? 0 : 4 + acl.reduce((n, a) => n + 4 + 4 + utf8Length(a.id.scheme) + 4 + utf8Length(a.id.id), 0);
  return 8 + 4 + utf8Length(path) + 4 + (data?.length ?? 0) + aclBytes + extra;
}
