import { ERR, type ErrCode } from "./errors.js";

/**
 * ACLs as ZooKeeper stores them (`ZooDefs.Perms`, `ZooDefs.Ids`, `data/ACL`), the zkCli text form,
 * and the hook the request pipeline calls for permission checks. Full auth schemes (digest hashing,
 * ip subnets, super) belong to the later ACL piece; `checkAcl` below matches ids by exact string.
 */
export const PERM = { READ: 1, WRITE: 2, CREATE: 4, DELETE: 8, ADMIN: 16, ALL: 31 } as const;

export type Id = { readonly scheme: string; readonly id: string };
export type Acl = { readonly perms: number; readonly id: Id };

export const ANYONE_ID_UNSAFE: Id = Object.freeze({ scheme: "world", id: "anyone" });
/** `Ids.OPEN_ACL_UNSAFE`: what zkCli's create uses when no ACL is given. */
export const OPEN_ACL_UNSAFE: readonly Acl[] = Object.freeze([Object.freeze({ perms: PERM.ALL, id: ANYONE_ID_UNSAFE })]);
/** `Ids.READ_ACL_UNSAFE`: the ACL of /zookeeper/config (ZOOKEEPER-2014). */
export const READ_ACL_UNSAFE: readonly Acl[] = Object.freeze([Object.freeze({ perms: PERM.READ, id: ANYONE_ID_UNSAFE })]);

/** `ZKUtil.getPermString`: letters in the order c d r w a. */
export function permString(perms: number): string {
  let s = "";
  if (perms & PERM.CREATE) s += "c";
  if (perms & PERM.DELETE) s += "d";
  if (perms & PERM.READ) s += "r";
  if (perms & PERM.WRITE) s += "w";
  if (perms & PERM.ADMIN) s += "a";
  return s;
}

/** jute's ToStringOutputArchive.escapeString, which `Id.toString()` applies to both fields. */
function juteString(s: string): string {
  const esc: Readonly<Record<string, string>> = { "\0": "%00", "\n": "%0A", "\r": "%0D", ",": "%2C", "}": "%7D", "%": "%25" };
  let out = "'";
  for (const c of s) out += esc[c] ?? c;
  return out;
}

/**
 * zkCli getAcl prints `acl.getId() + ": " + getPermString(perms)`; jute's Id.toString ends the record
 * with a newline, hence `'world,'anyone` and `: cdrwa` on two lines. Returns those two lines.
 */
export const aclLines = (a: Acl): [string, string] => [`${juteString(a.id.scheme)},${juteString(a.id.id)}`, `: ${permString(a.perms)}`];

const sameAcl = (a: Acl, b: Acl): boolean => a.perms === b.perms && a.id.scheme === b.id.scheme && a.id.id === b.id.id;

/** Java `String.split(":")`: trailing empty strings are dropped. */
const javaSplitCount = (s: string, sep: string): number => {
  const parts = s.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts.length;
};

/** Whether a scheme's provider accepts an id (`ServerAuthenticationProvider.isValid`). */
function idValid(scheme: string, id: string): boolean {
  switch (scheme) {
    case "digest":
      return javaSplitCount(id, ":") === 2; // DigestAuthenticationProvider.isValid
    case "ip":
      return ipIdValid(id);
    default:
      return false; // world ids other than anyone, unknown schemes, sasl/x509 when not configured
  }
}

/** IPAuthenticationProvider.isValid for IPv4 `a.b.c.d[/bits]` (IPv6 ids are the ACL piece's job). */
function ipIdValid(id: string): boolean {
  const slash = id.indexOf("/");
  const addr = slash < 0 ? id : id.slice(0, slash);
  const parts = addr.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255)) return false;
  if (slash < 0) return true;
  const bits = id.slice(slash + 1);
  return /^[0-9]+$/.test(bits) && Number(bits) <= 32;
}

/** Schemes whose session ids the `auth` pseudo-scheme may expand to (ip is not "authenticated"). */
const AUTHENTICATED_SCHEMES: readonly string[] = Object.freeze(["digest", "sasl", "x509"]);

/**
 * `PrepRequestProcessor.fixupACL`: de-duplicate; empty → InvalidACL; world:anyone kept; `auth`
 * becomes one entry per authenticated id of the session (none → InvalidACL); other schemes must pass
 * their provider's isValid. Perms are not checked (0 is allowed).
 */
export function fixupAcl(acls: readonly Acl[] | null, authIds: readonly Id[]): { ok: true; acl: Acl[] } | { ok: false; code: ErrCode } {
  const uniq: Acl[] = [];
  for (const a of acls ?? []) if (!uniq.some((u) => sameAcl(u, a))) uniq.push(a);
  if (uniq.length === 0) return { ok: false, code: ERR.InvalidACL };
  const out: Acl[] = [];
  for (const a of uniq) {
    if (a.id.scheme === "world" && a.id.id === "anyone") {
      out.push(a);
    } else if (a.id.scheme === "auth") {
      const ids = authIds.filter((cid) => AUTHENTICATED_SCHEMES.includes(cid.scheme));
      if (ids.length === 0) return { ok: false, code: ERR.InvalidACL };
      for (const cid of ids) out.push({ perms: a.perms, id: cid });
    } else if (idValid(a.id.scheme, a.id.id)) {
      out.push(a);
    } else {
      return { ok: false, code: ERR.InvalidACL };
    }
  }
  return { ok: true, acl: out };
}

/**
 * `ZooKeeperServer.checkACL` without super, skipACL and ip subnet matching: an empty ACL allows
 * everything; otherwise some entry sharing a bit with `perm` must be world:anyone or equal one of the
 * session's ids.
 */
export function checkAcl(acl: readonly Acl[], perm: number, authIds: readonly Id[]): boolean {
  if (acl.length === 0) return true;
  return acl.some(
    (a) =>
      (a.perms & perm) !== 0 &&
      ((a.id.scheme === "world" && a.id.id === "anyone") || authIds.some((cid) => cid.scheme === a.id.scheme && cid.id === a.id.id)),
  );
}

/** The permission check a request makes; PrepRequestProcessor / FinalRequestProcessor. */
export type AclHook = (acl: readonly Acl[], perm: number, path: string) => boolean;

/** A hook that checks against a session's ids with `checkAcl` (the default: `aclHookFor([])` is an unauthenticated client). */
export const aclHookFor =
  (authIds: readonly Id[]): AclHook =>
  (acl, perm) =>
    checkAcl(acl, perm, authIds);

/** Allows everything (`zookeeper.skipACL=yes`). */
export const skipAcl: AclHook = () => true;

/**
 * The permission each request needs and on which node (PrepRequestProcessor, FinalRequestProcessor):
 * creates and deletes are checked on the parent; getACL needs READ or ADMIN; exists needs nothing in
 * 3.8.0 (READ from 3.8.4); getEphemerals, sync and addWatch need nothing.
 */
export const PERM_NEEDED = Object.freeze({
  create: { perm: PERM.CREATE, on: "parent" },
  delete: { perm: PERM.DELETE, on: "parent" },
  setData: { perm: PERM.WRITE, on: "node" },
  setACL: { perm: PERM.ADMIN, on: "node" },
  check: { perm: PERM.READ, on: "node" },
  getData: { perm: PERM.READ, on: "node" },
  getChildren: { perm: PERM.READ, on: "node" },
  getChildren2: { perm: PERM.READ, on: "node" },
  getAllChildrenNumber: { perm: PERM.READ, on: "node" },
  getACL: { perm: PERM.READ | PERM.ADMIN, on: "node" },
  exists: { perm: 0, on: "node" },
  getEphemerals: { perm: 0, on: "node" },
  sync: { perm: 0, on: "node" },
} as const);
