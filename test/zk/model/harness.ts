// Runs each operation on the real system and on the reference model and compares what a client
// sees: results, error codes, Stats (ctime/mtime against the virtual-time window of the call),
// the watch events each session's default watcher got, zxids, and the whole tree after restarts.
import { expect } from "vitest";
import type { Acl } from "../../../src/zk/acl.js";
import type { MultiDelete, ZkResult } from "../../../src/zk/cli/client-api.js";
import type { Stat } from "../../../src/zk/stat.js";
import { CODE, allowed, PERMS, ReferenceTree, type CreateFlags, type NotificationAcl, type MAcl, type MStat, type MultiOpSpec, type TimeWindow, type WriteOutcome } from "./reference-tree.js";
import { EPOCH_MS, HOST, RealSystem, SERVER, SESSION_TIMEOUT_MS, TICK_MS, type Slot } from "./real-system.js";

const hex = (n: bigint): string => `0x${n.toString(16)}`;
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const sameBytes = (a: Uint8Array | null, b: Uint8Array | null): boolean =>
  a === null || b === null ? a === b : a.length === b.length && a.every((x, i) => x === b[i]);
const bytesText = (b: Uint8Array | null): string => (b === null ? "null" : `[${[...b].join(",")}]`);

/** A TTL create carries a TTL; anything else carries none (-1). */
const ttlFor = (flags: CreateFlags): bigint => (flags === 5 || flags === 6 ? 1000n : -1n);

/** A write as SimClient sends it inside a multi (validate.ts MultiOp). */
function wireOp(op: MultiOpSpec): unknown {
  return op.type === "create" ? { ...op, ttlMs: ttlFor(op.flags) } : op;
}

/** A write as data, so a test can run it now, or with a crash in flight. */
export type WriteSpec =
  | { readonly type: "create"; readonly path: string; readonly data: Uint8Array | null; readonly acl: readonly MAcl[]; readonly flags: CreateFlags }
  | { readonly type: "delete"; readonly path: string; readonly version: number }
  | { readonly type: "setData"; readonly path: string; readonly data: Uint8Array | null; readonly version: number }
  | { readonly type: "setACL"; readonly path: string; readonly acl: readonly MAcl[]; readonly version: number }
  | { readonly type: "multi"; readonly ops: readonly MultiOpSpec[] };

export const writeText = (w: WriteSpec): string => JSON.stringify(w, (_k, v: unknown) => (v instanceof Uint8Array ? bytesText(v) : v));

export class Harness {
  readonly model: ReferenceTree;
  readonly real: RealSystem;
  /** What each seat's client library holds as its last seen zxid (SimClient keeps it across sessions). */
  private readonly lastZxid: bigint[] = [];
  /** What the run went through, so a test can show its rare paths ran (STYLE §6). */
  readonly seen = new Map<string, number>();

  /** `notificationAcl`: ZooKeeper's rule unless a test bends the model to show the property notices. */
  constructor(seed: number, seats: number, notificationAcl: NotificationAcl = "at-trigger") {
    this.model = new ReferenceTree(notificationAcl);
    this.real = new RealSystem(seed, seats);
    for (const s of this.real.slots) {
      this.learnSession(s.session);
      this.lastZxid.push(0n);
    }
  }

  mark(what: string): void {
    this.seen.set(what, (this.seen.get(what) ?? 0) + 1);
  }

  private learnSession(id: bigint): void {
    // Standalone session ids carry server id 1 in their top byte (SessionTrackerImpl).
    expect(id >> 56n, `session ${hex(id)} has server id 1 on top`).toBe(1n);
    expect(this.model.sessions.has(id), `session id ${hex(id)} reused`).toBe(false);
    this.model.createSession(id);
  }

  get seats(): number {
    return this.real.slots.length;
  }

  slot(i: number): Slot {
    return this.real.slots[i] as Slot;
  }

  private get world(): RealSystem["world"] {
    return this.real.world;
  }

  /** Runs a client call and returns its result with the window the server's clock was in meanwhile. */
  private timed<T>(call: () => T): { value: T; window: TimeWindow } {
    const t0 = this.world.now;
    const value = call();
    const t1 = this.world.now;
    return { value, window: { lo: EPOCH_MS + Math.floor(t0 / 1000), hi: EPOCH_MS + Math.floor(t1 / 1000) } };
  }

  /** A reply that came back OK moves the client's last seen zxid (to what the server had then). */
  private saw(i: number, ok: boolean): void {
    if (ok) this.lastZxid[i] = max(this.lastZxid[i] as bigint, this.model.zxid);
  }

  // ------------------------------------------------------------------ comparisons

  private expectStat(path: string, actual: Stat, expected: MStat, what: string): void {
    const n = this.model.node(path);
    const { ctime, mtime, ...rest } = actual;
    const { ctime: _c, mtime: _m, ...want } = expected;
    expect(rest, `${what}: stat of ${path}`).toEqual(want);
    if (n === undefined) return;
    expect(ctime, `${what}: ctime of ${path} within [${n.ctime.lo}, ${n.ctime.hi}]`).toBeGreaterThanOrEqual(n.ctime.lo);
    expect(ctime, `${what}: ctime of ${path} within [${n.ctime.lo}, ${n.ctime.hi}]`).toBeLessThanOrEqual(n.ctime.hi);
    expect(mtime, `${what}: mtime of ${path} within [${n.mtime.lo}, ${n.mtime.hi}]`).toBeGreaterThanOrEqual(n.mtime.lo);
    expect(mtime, `${what}: mtime of ${path} within [${n.mtime.lo}, ${n.mtime.hi}]`).toBeLessThanOrEqual(n.mtime.hi);
    if (n.ctime === n.mtime) expect(mtime, `${what}: ${path} was stamped once, ctime = mtime`).toBe(ctime);
    this.model.pinTimes(path, ctime, mtime);
  }

  private expectError<T>(r: ZkResult<T>, code: number, path: string | null, what: string): void {
    expect(r.ok ? "ok" : r.error, what).toEqual({ kind: "keeper", code, path });
  }

  /**
   * The events seat `i`'s default watcher got since the last check, against those the model has
   * due to its session: the same multiset (each exactly once), and per path in the same order.
   * Called when a call of that seat returns: every notification due by then was sent ahead of
   * that reply on the same connection, so it must have reached the watcher already.
   */
  checkEvents(i: number, what: string): void {
    const s = this.slot(i);
    const got = s.events.splice(0);
    for (const e of got) this.mark(`event ${e.slice(0, e.indexOf(" "))}`);
    const due = this.model.takeDue(s.session);
    expect([...got].sort(), `${what}: watch events of seat ${i} (session ${hex(s.session)})`).toEqual([...due].sort());
    const byPath = (xs: string[]): Record<string, string[]> => {
      const out: Record<string, string[]> = {};
      for (const x of xs) (out[x.slice(x.indexOf(" ") + 1)] ??= []).push(x);
      return out;
    };
    expect(byPath(got), `${what}: per-path order of watch events of seat ${i}`).toEqual(byPath(due));
  }

  // ------------------------------------------------------------------ writes

  /** Sends a write from seat `i` through its client library (the real half). */
  private realWrite(i: number, w: WriteSpec): ZkResult<unknown> {
    const c = this.slot(i).client;
    switch (w.type) {
      case "create":
        return c.create(w.path, w.data, w.acl as readonly Acl[], w.flags, ttlFor(w.flags));
      case "delete":
        return c.delete(w.path, w.version);
      case "setData":
        return c.setData(w.path, w.data, w.version);
      case "setACL":
        return c.setACL(w.path, w.acl as readonly Acl[], w.version);
      case "multi":
        // ZkClientApi.multi is typed for deleteall's deletes; SimClient sends whatever ops it is
        // given as one multi request, so mixed multis go through it cast.
        return c.multi(w.ops.map(wireOp) as MultiDelete[]);
    }
  }

  /**
   * What the client library refuses before sending (no zxid): an empty ACL (ZooKeeper.validateACL),
   * an empty multi (ZooKeeper.multiInternal answers an empty list at once).
   */
  private localOutcome(w: WriteSpec): WriteOutcome | null {
    if ((w.type === "create" || w.type === "setACL") && w.acl.length === 0) return { err: CODE.InvalidACL };
    if (w.type === "multi" && w.ops.length === 0) return { err: CODE.OK };
    return null;
  }

  /** The model half of a write the server received. */
  private modelWrite(i: number, w: WriteSpec, window: TimeWindow): WriteOutcome {
    const session = this.slot(i).session;
    switch (w.type) {
      case "create":
        return this.model.create(session, w.path, w.data, w.acl, w.flags, window);
      case "delete":
        return this.model.delete(session, w.path, w.version, window);
      case "setData":
        return this.model.setData(session, w.path, w.data, w.version, window);
      case "setACL":
        return this.model.setAcl(session, w.path, w.acl, w.version, window);
      case "multi":
        return this.model.multi(session, w.ops, window);
    }
  }

  /** Compares a write's reply with the model's outcome: code and path of a failure, or the created path / new Stat. */
  private compareWrite(i: number, w: WriteSpec, r: ZkResult<unknown>, m: WriteOutcome, local: boolean): void {
    const what = `seat ${i}: ${writeText(w)}`;
    // Local refusals and multi failures name no path; server errors name the caller's path.
    const errPath = local || w.type === "multi" ? null : w.path;
    this.mark(`${w.type} ${m.err}`);
    if (m.err !== CODE.OK) this.expectError(r, m.err, errPath, what);
    else if (!r.ok) expect(r.error, what).toBe("ok");
    else if (w.type === "create" && !local) expect(r.value, `${what}: created path`).toBe(m.path);
    else if ((w.type === "setData" || w.type === "setACL") && !local) this.expectStat(w.path, r.value as Stat, m.stat as MStat, what);
    // A local refusal never reached the server: notifications may still be on their way to it.
    if (local) return;
    this.saw(i, r.ok);
    this.checkEvents(i, what);
  }

  write(i: number, w: WriteSpec): void {
    const { value: r, window } = this.timed(() => this.realWrite(i, w));
    const local = this.localOutcome(w);
    this.compareWrite(i, w, r, local ?? this.modelWrite(i, w, window), local !== null);
  }

  // ------------------------------------------------------------------ reads

  getData(i: number, path: string, watch: boolean): void {
    const s = this.slot(i);
    const what = `seat ${i}: getData ${path} watch=${watch}`;
    const r = s.client.getData(path, watch);
    const m = this.model.getData(s.session, path, watch);
    if (m.err !== CODE.OK) this.expectError(r, m.err, path, what);
    else if (!r.ok) expect(r.error, what).toBe("ok");
    else {
      expect(sameBytes(r.value.data, m.data ?? null), `${what}: data ${bytesText(r.value.data)} vs model ${bytesText(m.data ?? null)}`).toBe(true);
      this.expectStat(path, r.value.stat, m.stat as MStat, what);
    }
    this.saw(i, r.ok);
    this.checkEvents(i, what);
  }

  exists(i: number, path: string, watch: boolean): void {
    const s = this.slot(i);
    const what = `seat ${i}: exists ${path} watch=${watch}`;
    const r = s.client.exists(path, watch);
    const m = this.model.exists(s.session, path, watch);
    if (!r.ok) expect(r.error, what).toBe("ok");
    else if (m.stat == null) expect(r.value, what).toBeNull();
    else {
      expect(r.value, what).not.toBeNull();
      if (r.value !== null) this.expectStat(path, r.value, m.stat, what);
    }
    this.saw(i, r.ok);
    this.checkEvents(i, what);
  }

  getChildren(i: number, path: string, watch: boolean): void {
    const s = this.slot(i);
    const what = `seat ${i}: getChildren ${path} watch=${watch}`;
    const r = s.client.getChildren(path, watch);
    const m = this.model.getChildren(s.session, path, watch);
    if (m.err !== CODE.OK) this.expectError(r, m.err, path, what);
    else if (!r.ok) expect(r.error, what).toBe("ok");
    else {
      expect([...r.value.children].sort(), `${what}: children`).toEqual(m.children);
      this.expectStat(path, r.value.stat, m.stat as MStat, what);
    }
    this.saw(i, r.ok);
    this.checkEvents(i, what);
  }

  getAcl(i: number, path: string): void {
    const s = this.slot(i);
    const what = `seat ${i}: getACL ${path}`;
    const r = s.client.getACL(path);
    const m = this.model.getAcl(path);
    if (m.err !== CODE.OK) this.expectError(r, m.err, path, what);
    else if (!r.ok) expect(r.error, what).toBe("ok");
    else {
      expect(r.value.acl, `${what}: acl`).toEqual(m.acl);
      this.expectStat(path, r.value.stat, m.stat as MStat, what);
    }
    this.saw(i, r.ok);
    this.checkEvents(i, what);
  }

  // ------------------------------------------------------------------ sessions and time

  /**
   * Lets virtual time pass (pings keep every session alive); the seat's library takes what arrived.
   * At least 10 ms, longer than any network latency here: what was sent to it before has arrived.
   */
  advance(i: number, ms: number): void {
    const s = this.slot(i);
    expect(ms).toBeGreaterThanOrEqual(10);
    s.client.pump(this.world.now + ms * 1000);
    this.checkEvents(i, `seat ${i}: advance ${ms}ms`);
  }

  /** `close()`: a closeSession (its own ephemerals' events still reach it), then a new session. */
  closeAndReconnect(i: number): void {
    const s = this.slot(i);
    const what = `seat ${i}: close and connect`;
    s.client.close();
    this.model.closeSession(s.session);
    this.saw(i, true);
    this.checkEvents(i, `${what} (close)`);
    s.client.connect(HOST);
    expect(s.client.state(), `${what}: state after connect`).toBe("CONNECTED");
    s.session = this.real.sessionOf(s.nodeId);
    this.learnSession(s.session);
    this.checkEvents(i, `${what} (connect)`);
  }

  /**
   * The seat's client node crashes (its connection closes; no closeSession), time passes beyond the
   * session timeout, and the server expires the session in its tick bucket: one closeSession txn
   * deletes its ephemerals and fires the other sessions' watches. The seat then gets a new client.
   */
  expire(i: number): void {
    const s = this.slot(i);
    const what = `seat ${i}: expire session ${hex(s.session)}`;
    // Whatever is still in flight to it (at most one network latency) arrives first.
    s.client.pump(this.world.now + 10_000);
    this.checkEvents(i, `${what} (before)`);
    this.world.crash(s.nodeId);
    this.model.disconnect(s.session);
    const crashedUs = this.world.now;
    this.world.run({ untilUs: crashedUs + (SESSION_TIMEOUT_MS + TICK_MS + 500) * 1000 });
    const at = this.real.expiredAtUs.get(hex(s.session));
    expect(at, `${what}: the server expired it`).toBeDefined();
    // ExpiryQueue: the deadline is the tick boundary after last contact + timeout. A new session is
    // also touched when its createSession commits, up to one fsync (<= 2 ms here) after the connect.
    const lastMs = Math.floor((this.real.lastHeardUs.get(s.nodeId) ?? 0) / 1000);
    const atMs = Math.floor((at ?? 0) / 1000);
    expect(atMs % TICK_MS, `${what}: expired on a tick boundary`).toBe(0);
    expect(atMs, `${what}: not before timeout after last contact (${lastMs} ms)`).toBeGreaterThanOrEqual(lastMs + SESSION_TIMEOUT_MS);
    expect(atMs, `${what}: within a tick of the timeout after last contact (${lastMs} ms)`).toBeLessThanOrEqual(lastMs + 2 + SESSION_TIMEOUT_MS + TICK_MS);
    this.mark("session expired");
    this.model.closeSession(s.session);
    const fresh = this.real.reopen(i);
    this.lastZxid[i] = 0n;
    this.learnSession(fresh.session);
    this.checkEvents(i, `${what} (new session)`);
  }

  /**
   * Crashes the server `delayUs` after seat `i` sends `w` (or with nothing in flight), optionally
   * with a torn-write fault armed, then restarts it from its disk. The write survives exactly when
   * the server had applied it (it applies only fsynced txns); a ConnectionLoss reply means the
   * client cannot tell, and the server's own record (its zk-apply trace) settles it. Every seat
   * reconnects and re-sends its watches; then the recovered tree must equal the model's: the tree
   * before the crash minus what was never fsynced.
   */
  crashAndRestart(i: number, w: WriteSpec | null, delayUs: number, torn: boolean): void {
    const what = `server crash ${delayUs}us after seat ${i} sent ${w === null ? "nothing" : writeText(w)}${torn ? " (torn write armed)" : ""}`;
    if (torn) this.world.armDiskFault(SERVER, "torn-write");
    const next = hex(this.model.zxid + 1n);
    const crashAt = this.world.now + delayUs;
    this.world.at(crashAt, () => this.world.crash(SERVER));
    if (w !== null && this.localOutcome(w) === null) {
      const { value: r, window } = this.timed(() => this.realWrite(i, w));
      this.world.run({ untilUs: Math.max(this.world.now, crashAt) });
      const applied = this.real.appliedLive.has(next);
      if (!r.ok && r.error.kind === "keeper" && r.error.code === CODE.ConnectionLoss) {
        this.mark(applied ? "in-flight write applied, reply lost" : "in-flight write lost");
        if (applied) this.modelWrite(i, w, window);
        this.checkEvents(i, what);
      } else {
        this.mark("in-flight write answered before the crash");
        expect(applied, `${what}: a write answered before the crash was applied`).toBe(true);
        this.compareWrite(i, w, r, this.modelWrite(i, w, window), false);
      }
    }
    this.world.run({ untilUs: Math.max(this.world.now, crashAt) });
    expect(this.world.isAlive(SERVER), `${what}: the server is down`).toBe(false);
    this.world.restart(SERVER);
    this.mark("server restarted");
    if (this.real.countSnapshots.size > 0) this.mark("snapshot taken");
    // Loaded one taken after snapCount txns (not only a start snapshot, of what an earlier start recovered).
    if (this.real.countSnapshots.has(this.real.lastLoadedSnapshot ?? "")) this.mark("recovered from a snapshot");
    this.reconnectAll(what);
    this.verifyTree(0, `${what}: recovered tree`);
  }

  private reconnectAll(what: string): void {
    for (let round = 0; round < 20; round++) {
      this.world.run({ untilUs: this.world.now + 500_000 });
      for (const s of this.real.slots) s.client.pump(this.world.now);
      if (this.real.slots.every((s) => s.client.state() === "CONNECTED")) break;
    }
    for (const [i, s] of this.real.slots.entries()) expect(s.client.state(), `${what}: seat ${i} reconnected`).toBe("CONNECTED");
    // The watches each library re-sent (setWatches) are answered; what they found missed fires now.
    this.world.run({ untilUs: this.world.now + 100_000 });
    for (const [i, s] of this.real.slots.entries()) {
      s.client.pump(this.world.now);
      const c = this.model.session(s.session).client;
      if (c.data.size + c.exist.size + c.child.size > 0) this.mark("watches re-sent after a restart");
      this.model.reconnect(s.session, this.lastZxid[i] as bigint);
      this.saw(i, true);
      this.checkEvents(i, `${what}: seat ${i} after reconnecting`);
    }
  }

  // ------------------------------------------------------------------ whole-tree checks

  /** srvr's Zxid and Node count against the model. */
  checkServerCounts(what: string): void {
    const srvr = this.real.fourLetterWord("srvr") ?? "";
    expect(/Zxid: (0x[0-9a-f]+)/.exec(srvr)?.[1], `${what}: srvr Zxid`).toBe(hex(this.model.zxid));
    // The root is counted twice (DataTree keeps it under "" and "/").
    expect(Number(/Node count: (\d+)/.exec(srvr)?.[1]), `${what}: srvr Node count`).toBe(this.model.paths().length + 1);
  }

  /** Every node of the model read back through seat `i`: stat, data, children, ACL, as far as ACLs allow. */
  verifyTree(i: number, what: string): void {
    this.checkServerCounts(what);
    for (const path of this.model.paths()) {
      const n = this.model.node(path);
      if (n === undefined) continue;
      this.exists(i, path, false);
      if (allowed(n.acl, PERMS.READ)) {
        this.getData(i, path, false);
        this.getChildren(i, path, false);
      }
      this.getAcl(i, path);
    }
  }

  /** End of a run: every seat takes what is still on its way, then the whole tree is compared. */
  finish(): void {
    this.world.run({ untilUs: this.world.now + 100_000 });
    for (let i = 0; i < this.seats; i++) {
      this.slot(i).client.pump(this.world.now);
      this.checkEvents(i, `end: seat ${i}`);
    }
    this.verifyTree(0, "end");
  }
}
