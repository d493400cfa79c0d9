import { PERM, type Acl } from "../acl.js";

/** Java `String.split(sep)` for a one-character separator: trailing empty strings are dropped. */
function javaSplit(s: string, sep: string): string[] {
  if (s === "") return [""];
  const parts = s.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

const PERM_LETTERS: Readonly<Record<string, number>> = { r: PERM.READ, w: PERM.WRITE, c: PERM.CREATE, d: PERM.DELETE, a: PERM.ADMIN };

/**
 * `cli/AclParser.parse`: comma-separated `scheme:id:perms`, split at the first and last colon; an
 * entry without two colons is reported on stderr and skipped, an unknown perm letter reported and
 * ignored. An empty result makes the Java client refuse the call with InvalidACL.
 */
export function parseAcl(text: string, err: (line: string) => void): Acl[] {
  const out: Acl[] = [];
  for (const a of javaSplit(text, ",")) {
    const first = a.indexOf(":");
    const last = a.lastIndexOf(":");
    if (first === -1 || first === last) {
      err(`${a} does not have the form scheme:id:perm`);
      continue;
    }
    let perms = 0;
    const letters = a.slice(last + 1);
    for (let i = 0; i < letters.length; i++) {
      const c = letters.charAt(i);
      const bit = PERM_LETTERS[c];
      if (bit === undefined) err(`Unknown perm type: ${c}`);
      else perms |= bit;
    }
    out.push({ perms, id: { scheme: a.slice(0, first), id: a.slice(first + 1, last) } });
  }
  return out;
}
