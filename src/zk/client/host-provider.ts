import { assert } from "../../sim/assert.js";
import type { Stream } from "../../sim/random.js";

/** The pause `ClientCnxn` asks of `hostProvider.next(1000)` once every server has been tried. */
export const SPIN_DELAY_MS = 1000;

/** What the next connection attempt should do: which host, and whether a full cycle ends here. */
export type NextHost<H> = { readonly host: H; readonly spin: boolean };

/**
 * `StaticHostProvider` without reconfiguration: the connect string's hosts are shuffled once, then
 * tried round-robin. The provider remembers the host of the last successful connection
 * (`onConnected`); coming back round to it means every host was tried, and the caller pauses
 * `SPIN_DELAY_MS` before trying again. The very first attempt of a handle never pauses.
 */
export class HostProvider<H> {
  private readonly hosts: readonly H[];
  private current = -1;
  /** -1 until the first `next`; then the index of the last host that took a connection (0 at first). */
  private last = -1;

  constructor(hosts: readonly H[], random: Stream) {
    assert(hosts.length > 0, "a host provider needs at least one host");
    // Java shuffles with its own Random; here the node's seeded stream decides, once per handle.
    this.hosts = random.shuffled(hosts);
  }

  get size(): number {
    return this.hosts.length;
  }

  /** The shuffled order, for tests and traces. */
  order(): readonly H[] {
    return this.hosts;
  }

  next(): NextHost<H> {
    this.current = (this.current + 1) % this.hosts.length;
    const spin = this.last !== -1 && this.current === this.last;
    if (this.last === -1) this.last = 0;
    return { host: this.hosts[this.current] as H, spin };
  }

  onConnected(): void {
    assert(this.current >= 0, "connected before any host was tried");
    this.last = this.current;
  }
}
