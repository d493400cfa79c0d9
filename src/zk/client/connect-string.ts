/** `ConnectStringParser.DEFAULT_PORT`: a host without a port means 2181. */
export const DEFAULT_CLIENT_PORT = 2181;

export type ConnectString = {
  /** `host:port` per entry, in the order written (the host provider shuffles them). */
  readonly addresses: readonly string[];
  /** The chroot suffix (`/app`), or null; `/` alone counts as none. */
  readonly chroot: string | null;
};

/**
 * `ConnectStringParser`: `h1:p1,h2:p2[/chroot]`. Everything from the first `/` is the chroot; each
 * comma-separated entry is `host[:port]` (a trailing `:` keeps the default port). Entries are
 * normalised to `host:port` so they can be looked up in a simulated address book.
 */
export function parseConnectString(text: string): ConnectString {
  const slash = text.indexOf("/");
  const hosts = slash >= 0 ? text.slice(0, slash) : text;
  const chrootText = slash >= 0 ? text.slice(slash) : "";
  const addresses = hosts
    .split(",")
    .map((h) => h.trim())
    .filter((h) => h !== "")
    .map((h) => {
      const colon = h.lastIndexOf(":");
      if (colon < 0) return `${h}:${DEFAULT_CLIENT_PORT}`;
      if (colon === h.length - 1) return `${h.slice(0, colon)}:${DEFAULT_CLIENT_PORT}`;
      return h;
    });
  return { addresses, chroot: chrootText.length > 1 ? chrootText : null };
}
