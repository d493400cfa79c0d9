// A throwaway zkCli for replaying the oracle transcripts against src/zk alone, so the data tree's
// stats, errors and orders are checked before the real shell exists. It knows only the commands and
// client-side checks those transcripts use; the project's shell is a later piece and is not this.
import { aclLines, PERM, type Acl } from "../../src/zk/acl.js";
import { CREATE_MODE } from "../../src/zk/create-mode.js";
import { cliErrorMessage, type ZkError } from "../../src/zk/errors.js";
import { ttlValid, TTL_MAX_MS } from "../../src/zk/ephemeral-type.js";
import { createPathError, pathError } from "../../src/zk/path.js";
import { getAcl, getAllChildrenNumber, getChildren2, getData, getEphemerals, exists } from "../../src/zk/reads.js";
import { statLines, type Stat } from "../../src/zk/stat.js";
import { ZkStore } from "../../src/zk/store.js";
import type { WatchTrigger } from "../../src/zk/watch-trigger.js";
import type { WriteRequest } from "../../src/zk/validate.js";

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

function tokenize(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? "");
  return out;
}

const javaList = (xs: readonly string[]): string => `[${xs.join(", ")}]`;
/** Java's String.compareTo: UTF-16 code unit order, which JS's default sort also uses. */
const javaSort = (xs: readonly string[]): string[] => [...xs].sort();

export class MiniCli {
  readonly store: ZkStore;
  private sessionId = 0x1000000000000n;
  private nowMs = 1_700_000_000_000;
  private readonly dataWatches = new Set<string>();
  private readonly childWatches = new Set<string>();
  readonly out: string[] = [];

  constructor(extendedTypesEnabled = false) {
    this.store = new ZkStore({ extendedTypesEnabled });
    this.connect();
  }

  private connected = false;

  /** zkCli's connect closes the current session first (ZooKeeperMain.connectToZK). */
  private connect(): void {
    if (this.connected) this.close();
    this.connected = true;
    this.sessionId += 1n;
    this.write({ type: "createSession", timeoutMs: 30000 });
  }

  private close(): void {
    if (!this.connected) return;
    this.write({ type: "closeSession" });
    this.connected = false;
    this.dataWatches.clear();
    this.childWatches.clear();
  }

  private write(req: WriteRequest): ZkError | null {
    this.nowMs += 1;
    const r = this.store.write(req, { sessionId: this.sessionId, timeMs: this.nowMs });
    this.fire(r.triggers);
    return r.error;
  }

  private fire(triggers: readonly WatchTrigger[]): void {
    const seen = new Set<string>();
    for (const t of triggers) {
      const set = t.manager === "data" ? this.dataWatches : this.childWatches;
      if (!set.has(t.path)) continue;
      set.delete(t.path);
      const key = `${t.event} ${t.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.out.push(`WatchedEvent state:SyncConnected type:${t.event} path:${t.path}`);
    }
  }

  private stat(s: Stat): void {
    this.out.push(...statLines(s));
  }

  private err(e: ZkError): void {
    this.out.push(cliErrorMessage(e.code, e.path));
  }

  run(line: string): void {
    const [cmd, ...rest] = tokenize(line);
    const flags = new Set(rest.filter((a) => /^-[a-zA-Z]$/.test(a)));
    const valueOf = (f: string): string | undefined => {
      const i = rest.indexOf(f);
      return i >= 0 ? rest[i + 1] : undefined;
    };
    const args = rest.filter((a, i) => !/^-[a-zA-Z]$/.test(a) && !["-t", "-v"].includes(rest[i - 1] ?? ""));
    const path = args[0] ?? "";
    const checkPath = (p: string): boolean => {
      const e = pathError(p);
      if (e !== null) this.out.push(e);
      return e === null;
    };
    switch (cmd) {
      case "create": {
        const seq = flags.has("-s");
        const eph = flags.has("-e");
        const cont = flags.has("-c");
        const ttlText = valueOf("-t");
        if (cont && (seq || eph)) return void this.out.push("-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.");
        if (ttlText !== undefined && eph) return void this.out.push("TTLs cannot be used with Ephemeral znodes");
        if (ttlText !== undefined && cont) return void this.out.push("TTLs cannot be used with Container znodes");
        const ttl = ttlText === undefined ? -1n : BigInt(ttlText);
        const e = createPathError(path, seq);
        if (e !== null) return void this.out.push(e);
        if (ttlText !== undefined && !ttlValid(ttl)) return void this.out.push(`ttl must be positive and cannot be larger than: ${TTL_MAX_MS}`);
        const flag = cont
          ? CREATE_MODE.CONTAINER
          : ttlText !== undefined
            ? seq
              ? CREATE_MODE.PERSISTENT_SEQUENTIAL_WITH_TTL
              : CREATE_MODE.PERSISTENT_WITH_TTL
            : (eph ? 1 : 0) + (seq ? 2 : 0);
        const data = args[1] === undefined ? null : utf8.encode(args[1]);
        const acl: Acl[] = [{ perms: PERM.ALL, id: { scheme: "world", id: "anyone" } }];
        this.nowMs += 1;
        const r = this.store.write({ type: "create", path, data, acl, flags: flag, ttlMs: ttl }, { sessionId: this.sessionId, timeMs: this.nowMs });
        this.fire(r.triggers);
        if (r.error !== null) return this.err(r.error);
        this.out.push(`Created ${r.result.path ?? "?"}`);
        return;
      }
      case "get": {
        if (!checkPath(path)) return;
        const r = getData(this.store.tree, path);
        if (!r.ok) return this.err(r.error);
        if (flags.has("-w")) this.dataWatches.add(path);
        this.out.push(r.value.data === null ? "null" : utf8d.decode(r.value.data));
        if (flags.has("-s")) this.stat(r.value.stat);
        return;
      }
      case "stat": {
        if (!checkPath(path)) return;
        const r = exists(this.store.tree, path);
        if (flags.has("-w")) this.dataWatches.add(path);
        if (r.ok && r.value !== null) this.stat(r.value);
        else this.out.push(`Node does not exist: ${path}`);
        return;
      }
      case "set": {
        if (!checkPath(path)) return;
        const data = args[1] === undefined ? null : utf8.encode(args[1]);
        const e = this.write({ type: "setData", path, data, version: Number(valueOf("-v") ?? -1) });
        if (e !== null) return this.err(e);
        if (flags.has("-s")) {
          const r = getData(this.store.tree, path);
          if (r.ok) this.stat(r.value.stat);
        }
        return;
      }
      case "delete": {
        if (!checkPath(path)) return;
        const e = this.write({ type: "delete", path, version: Number(valueOf("-v") ?? -1) });
        if (e !== null) this.err(e);
        return;
      }
      case "ls": {
        if (!checkPath(path)) return;
        const r = getChildren2(this.store.tree, path);
        if (!r.ok) return this.err(r.error);
        if (flags.has("-w")) this.childWatches.add(path);
        if (flags.has("-R")) {
          const queue = [path];
          for (let i = 0; i < queue.length; i++) {
            const p = queue[i] ?? "";
            this.out.push(p);
            const c = getChildren2(this.store.tree, p);
            if (c.ok) for (const name of javaSort(c.value.children)) queue.push(p === "/" ? `/${name}` : `${p}/${name}`);
          }
          return;
        }
        this.out.push(javaList(javaSort(r.value.children)));
        if (flags.has("-s")) this.stat(r.value.stat);
        return;
      }
      case "getEphemerals": {
        if (args.length > 0 && !checkPath(path)) return;
        this.out.push(javaList(getEphemerals(this.store.tree, this.sessionId, args[0] ?? null)));
        return;
      }
      case "getAllChildrenNumber": {
        if (!checkPath(path)) return;
        const r = getAllChildrenNumber(this.store.tree, path);
        this.out.push(r.ok ? String(r.value) : cliErrorMessage(r.error.code, r.error.path));
        return;
      }
      case "getAcl": {
        if (!checkPath(path)) return;
        const r = getAcl(this.store.tree, path);
        if (!r.ok) return this.err(r.error);
        for (const a of r.value.acl) this.out.push(...aclLines(a));
        if (flags.has("-s")) this.stat(r.value.stat);
        return;
      }
      case "setAcl": {
        if (!checkPath(path)) return;
        const [scheme, id, perms] = (args[1] ?? "").split(":");
        const bits = [...(perms ?? "")].reduce((b, c) => b | ({ r: 1, w: 2, c: 4, d: 8, a: 16 }[c] ?? 0), 0);
        const e = this.write({ type: "setACL", path, acl: [{ perms: bits, id: { scheme: scheme ?? "", id: id ?? "" } }], version: -1 });
        if (e !== null) this.err(e);
        return;
      }
      case "sync":
        this.out.push("Sync is OK");
        return;
      case "close":
        this.close();
        return;
      case "connect":
        this.connect();
        return;
      default:
        throw new Error(`mini-cli: no command ${cmd ?? ""}`);
    }
  }
}

/** compare.py's normalisation: blank lines dropped, wall-clock times and session ids masked. */
export function normalise(lines: readonly string[]): { replies: string[]; events: string[] } {
  const replies: string[] = [];
  const events: string[] = [];
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line.trim() === "" || /^WatchedEvent state:(SyncConnected|Closed) type:None/.test(line)) continue;
    const masked = line
      .replace(/^(ctime|mtime) = (?!Thu Jan 01 00:00:00 UTC 1970).*/, "$1 = <time>")
      .replace(/^ephemeralOwner = 0x(?!0$)[0-9a-f]+$/, "ephemeralOwner = <session>");
    (masked.startsWith("WatchedEvent ") ? events : replies).push(masked);
  }
  return { replies, events };
}
