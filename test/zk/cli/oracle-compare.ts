// The oracle's comparison (/work/shared/oracle/compare.py) ported: both sides are normalised the
// same way, replies must match in order, and watch events must match in order among themselves but
// may sit anywhere relative to replies (the real zkCli prints them from another thread).

const NOISE = /^(SLF4J|log4j|Welcome to ZooKeeper|JLine support|Connecting to |WATCHER::|WatchedEvent state:(SyncConnected|Closed) type:None)/;
const PROMPT = /^\[zk: [^\]]*\] ?/;

/** Python's str.isspace for one character (what str.strip and rstrip remove). */
const isPySpace = (c: number): boolean =>
  (c >= 0x09 && c <= 0x0d) ||
  (c >= 0x1c && c <= 0x20) ||
  c === 0x85 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000;
const pyRstrip = (s: string): string => {
  let end = s.length;
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) end--;
  return s.slice(0, end);
};

export type Normalised = { readonly replies: string[]; readonly events: string[] };

/** compare.py's `norm` over a text (Python's universal newlines split on \r\n, \r and \n). */
export function normalise(text: string): Normalised {
  const replies: string[] = [];
  const events: string[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  for (const raw of lines) {
    const line = pyRstrip(raw).replace(PROMPT, "");
    if (pyRstrip(line) === "" || NOISE.test(line)) continue;
    const masked = line
      .replace(/^(ctime|mtime) = (?!Thu Jan 01 00:00:00 UTC 1970).*/s, "$1 = <time>")
      .replace(/^ephemeralOwner = 0x(?!0$)[0-9a-f]+$/, "ephemeralOwner = <session>");
    (masked.startsWith("WatchedEvent ") ? events : replies).push(masked);
  }
  return { replies, events };
}

/** compare.py's report: the first differing reply and event line, or [] when the two agree. */
export function differences(expected: Normalised, actual: Normalised): string[] {
  const out: string[] = [];
  for (const [kind, e, a] of [
    ["reply", expected.replies, actual.replies],
    ["event", expected.events, actual.events],
  ] as const) {
    for (let i = 0; i < Math.max(e.length, a.length); i++) {
      const x = e[i] ?? "<end>";
      const y = a[i] ?? "<end>";
      if (x !== y) {
        out.push(`${kind} line ${i + 1}: expected ${JSON.stringify(x)}, got ${JSON.stringify(y)}`);
        break;
      }
    }
  }
  return out;
}
