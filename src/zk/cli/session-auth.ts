import { createHash } from "node:crypto";
import type { Acl, AclHook, Id } from "../acl.js";
import { javaStringHash } from "../java-int.js";

/**
 * A session's authentication as the server keeps it: its ids (`ServerCnxn.authInfo`), the providers
 * that add them (`server/auth/DigestAuthenticationProvider`, `IPAuthenticationProvider`) and the
 * permission check over them (`ZooKeeperServer.checkACL`).
 */

/** `DigestAuthenticationProvider.generateDigest`: `user:BASE64(SHA1("user:password"))`. */
export function digestId(userPassword: string): string {
  const user = userPassword.split(":", 1)[0] ?? "";
  const sha1 = createHash("sha1").update(userPassword, "utf8").digest("base64");
  return `${user}:${sha1}`;
}

/** jute's generated `Id.hashCode`. */
function idHash(id: Id): number {
  const r = (Math.imul(37, 17) + javaStringHash(id.scheme)) | 0;
  return (Math.imul(37, r) + javaStringHash(id.id)) | 0;
}

/**
 * `authInfo` is a ConcurrentHashMap-backed set, so whoami and the `auth` ACL scheme see its ids in
 * bucket order ((h ^ h>>>16) & (capacity-1)), insertion order within a bucket. Sessions hold a few
 * ids, below the first resize at 12, so the capacity is 16 unless more were added.
 */
export function authInfoOrder(ids: readonly Id[]): Id[] {
  // One id (a session's ip, before any addauth) has one order; every write asks, so skip the hashing.
  if (ids.length < 2) return ids.slice();
  let capacity = 16;
  while (ids.length >= (capacity * 3) / 4) capacity *= 2;
  const bucket = (id: Id): number => {
    const h = idHash(id);
    return ((h ^ (h >>> 16)) & 0x7fffffff) & (capacity - 1);
  };
  return ids.map((id, i) => ({ id, i, b: bucket(id) })).sort((x, y) => x.b - y.b || x.i - y.i).map((x) => x.id);
}

/** `IPAuthenticationProvider.addr2Bytes` for IPv4 dotted quads; null when not one. */
function ipv4Bytes(addr: string): number[] | null {
  const parts = addr.split(".");
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^[0-9]{1,3}$/.test(p) ? Number(p) : -1));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : null;
}

/** `IPAuthenticationProvider.matches`: the address and the ACL's `a.b.c.d[/bits]` agree on `bits` bits. */
export function ipMatches(address: string, aclExpr: string): boolean {
  const slash = aclExpr.indexOf("/");
  const acl = ipv4Bytes(slash < 0 ? aclExpr : aclExpr.slice(0, slash));
  const remote = ipv4Bytes(address);
  if (acl === null || remote === null) return false;
  let bits = 32;
  if (slash >= 0) {
    const text = aclExpr.slice(slash + 1);
    if (!/^[+-]?[0-9]+$/.test(text)) return false;
    bits = Number(text);
    if (bits < 0 || bits > 32) return false;
  }
  for (let i = 0; i < 4; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    const mask = (0xff << (8 - keep)) & 0xff;
    if (((acl[i] ?? 0) & mask) !== ((remote[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** `ZooKeeperServer.checkACL`: super passes; an empty ACL allows; else an entry with a shared bit must match. */
export function sessionAclHook(authIds: readonly Id[]): AclHook {
  return (acl: readonly Acl[], perm: number): boolean => {
    if (authIds.some((id) => id.scheme === "super")) return true;
    if (acl.length === 0) return true;
    return acl.some((a) => {
      if ((a.perms & perm) === 0) return false;
      if (a.id.scheme === "world" && a.id.id === "anyone") return true;
      return authIds.some((cid) => {
        if (cid.scheme !== a.id.scheme) return false;
        if (cid.scheme === "ip") return ipMatches(cid.id, a.id.id);
        return cid.scheme === "digest" && cid.id === a.id.id;
      });
    });
  };
}

/** The user name whoami shows (`ServerAuthenticationProvider.getUserName`). */
export const userOf = (id: Id): string => (id.scheme === "digest" ? (id.id.split(":", 1)[0] ?? "") : id.id);
