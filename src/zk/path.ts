import { int32Inc } from "./java-int.js";

/**
 * Znode path rules, as `org.apache.zookeeper.common.PathUtils.validatePath` states them (client and
 * server share it). Returns the IllegalArgumentException message, or null when the path is valid.
 * Positions are UTF-16 indexes, as Java's `charAt`; surrogates fall in the banned U+D800–F8FF range,
 * so no character outside the BMP is ever valid.
 */
export function pathError(path: string | null): string | null {
  if (path === null) return "Path cannot be null";
  if (path.length === 0) return "Path length must be > 0";
  if (path[0] !== "/") return "Path must start with / character";
  if (path.length === 1) return null;
  if (path[path.length - 1] === "/") return "Path must not end with / character";
  const reason = badCharReason(path);
  return reason === null ? null : `Invalid path string "${path}" caused by ${reason}`;
}

function badCharReason(path: string): string | null {
  let last = "/";
  for (let i = 1; i < path.length; last = path.charAt(i), i++) {
    const ch = path.charAt(i);
    const c = path.charCodeAt(i);
    const endsComponent = i + 1 === path.length || path[i + 1] === "/";
    if (c === 0) return `null character not allowed @${i}`;
    if (ch === "/" && last === "/") return `empty node name specified @${i}`;
    if (ch === "." && last === ".") {
      // A component that is exactly "..": ".a", "..." and "a.." are all legal names.
      if (path[i - 2] === "/" && endsComponent) return `relative paths not allowed @${i}`;
    } else if (ch === ".") {
      if (path[i - 1] === "/" && endsComponent) return `relative paths not allowed @${i}`;
    } else if (isBannedChar(c)) {
      return `invalid character @${i}`;
    }
  }
  return null;
}

const isBannedChar = (c: number): boolean =>
  (c > 0x0000 && c <= 0x001f) || (c >= 0x007f && c <= 0x009f) || (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0 && c <= 0xffff);

/**
 * `PathUtils.validatePath(path, isSequential)`: the client checks `path + "1"` for sequential
 * creates so that `create -s /p/` is legal and becomes `/p/0000000000`.
 */
export const createPathError = (path: string | null, sequential: boolean): string | null =>
  pathError(sequential && path !== null ? `${path}1` : path);

/**
 * Parent as DataTree and PrepRequestProcessor compute it: everything before the last "/". The root's
 * children have parent "" which the tree aliases to "/"; callers that need a displayable path use
 * `parentPath`.
 */
export function rawParent(path: string): string {
  const i = path.lastIndexOf("/");
  if (i < 0) throw new RangeError(`no "/" in ${JSON.stringify(path)}`);
  return path.slice(0, i);
}

/** Parent for display and watch triggers ("" becomes "/", as DataTree.createNode does). */
export function parentPath(path: string): string {
  const p = rawParent(path);
  return p === "" ? "/" : p;
}

/** The last component ("" for "/"). */
export const basename = (path: string): string => path.slice(path.lastIndexOf("/") + 1);

/** Joins a parent and a child name ("/" + "a" is "/a"). */
export const childPath = (parent: string, name: string): string => (parent === "/" ? `/${name}` : `${parent}/${name}`);

/**
 * `String.format(Locale.ENGLISH, "%010d", c)` as PrepRequestProcessor.pRequest2TxnCreate appends it:
 * zero padded to ten characters, sign first, so -5 is "-000000005" and -2147483648 needs eleven.
 */
export function sequenceSuffix(counter: number): string {
  if (!Number.isInteger(counter) || counter !== (counter | 0)) throw new RangeError(`sequence counter ${counter} is not a Java int`);
  const digits = Math.abs(counter).toString();
  return counter < 0 ? `-${digits.padStart(9, "0")}` : digits.padStart(10, "0");
}

/**
 * The counter after `stored` child creates: the parent's stored cversion is an int, so the number
 * after 2147483647 is -2147483648 (zookeeperProgrammers.md, "Sequence Nodes").
 */
export const nextSequenceCounter = (stored: number): number => int32Inc(stored);
