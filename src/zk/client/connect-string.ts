import { pathError } from "../path.js";

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

/**
 * An address as the resolver sees it: `localhost` names the loopback address, so `localhost:P` and
 * `127.0.0.1:P` reach the same server (the real zkCli's `connect localhost:21801`, transcript 95).
 */
export function canonicalAddress(address: string): string {
  return address.startsWith("localhost:") ? `127.0.0.1:${address.slice("localhost:".length)}` : address;
}

/**
 * The IllegalArgumentException message `ConnectStringParser` throws for the chroot suffix
 * (PathUtils.validatePath; `/` alone is no chroot), or null when it is acceptable.
 */
export function chrootError(connectString: string): string | null {
  const slash = connectString.indexOf("/");
  if (slash < 0 || connectString.length - slash === 1) return null;
  return pathError(connectString.slice(slash));
}
