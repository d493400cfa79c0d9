import { OPEN_ACL_UNSAFE } from "../acl.js";
import { CREATE_MODE } from "../create-mode.js";
import { ERR } from "../errors.js";
import type { ZkClientApi, ZkResult } from "./client-api.js";
import { hasOption, optionValue, parseOptions, type OptionGroupSpec, type OptionSpec } from "./cli-options.js";
import { cliError, decodeUtf8, encodeUtf8, OK, usageError, wrapped, type CliCommand, type CommandContext, type CommandOutcome } from "./command.js";
import { listQuotaIndexCrash } from "./java-crash.js";
import { javaParseInt, javaParseLong } from "./java-numbers.js";
import {
  LIMIT_NODE,
  parseStatsTrack,
  statsTrackFault,
  QUOTA_ROOT,
  STAT_NODE,
  quotaLimitPath as limitPath,
  quotaStatPath as statPath,
  statsTrackText,
  statsValue as statValue,
} from "../quota.js";

type StatsTrack = Map<string, bigint>;
import { visitSubTreeDfs } from "./zk-util.js";


const QUOTA_GROUP_MEMBERS = [
  { name: "n", description: "num soft quota" },
  { name: "b", description: "bytes soft quota" },
  { name: "N", description: "num hard quota" },
  { name: "B", description: "bytes hard quota" },
] as const;

/** A thrown IllegalArgumentException / KeeperException inside the quota helpers, as a value. */
type Thrown = { readonly kind: "illegal"; readonly message: string } | { readonly kind: "keeper"; readonly result: ZkResult<never> };

function fromResult<T>(r: ZkResult<T>): { value: T } | { thrown: Thrown } {
  if (r.ok) return { value: r.value };
  return { thrown: r.error.kind === "illegalArgument" ? { kind: "illegal", message: r.error.message } : { kind: "keeper", result: r } };
}

const thrownOutcome = (t: Thrown): CommandOutcome => (t.kind === "illegal" ? cliError(t.message) : t.result.ok ? OK : wrapped(t.result.error));

const readStats = (zk: ZkClientApi, path: string): { value: StatsTrack } | { thrown: Thrown } => {
  const r = fromResult(zk.getData(path, false));
  return "thrown" in r ? r : { value: parseStatsTrack(r.value.data === null ? "" : decodeUtf8(r.value.data)) };
};

/** SetQuotaCommand.checkQuota: warnings on stdout when the existing usage is over the new limit. */
function checkQuota(ctx: CommandContext, quota: StatsTrack, stats: StatsTrack): void {
  const over = (limit: bigint, used: bigint): boolean => limit > -1n && limit < used;
  const count = statValue(stats, "count");
  const bytes = statValue(stats, "bytes");
  if (over(statValue(quota, "count"), count) || over(statValue(quota, "countHardLimit"), count)) {
    ctx.out(`[Warning]: the count quota you create is less than the existing count:${count}`);
  }
  if (over(statValue(quota, "bytes"), bytes) || over(statValue(quota, "byteHardLimit"), bytes)) {
    ctx.out(`[Warning]: the bytes quota you create is less than the existing bytes:${bytes}`);
  }
}

/** Java `String.split("/")`: the leading empty string kept, trailing ones dropped. */
function javaSplitSlash(path: string): string[] {
  const parts = path.split("/");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** SetQuotaCommand.checkIfChildQuota: a limits node anywhere below the path's quota node refuses. */
function checkIfChildQuota(zk: ZkClientApi, path: string): Thrown | null {
  let thrown: Thrown | null = null;
  const realPath = `${QUOTA_ROOT}${path}`;
  const r = visitSubTreeDfs(zk, realPath, false, (quotaPath) => {
    if (thrown !== null) return;
    const c = zk.getChildren(quotaPath, false);
    if (!c.ok) return;
    for (const child of c.value.children) {
      if (quotaPath !== realPath && child === LIMIT_NODE) {
        thrown = { kind: "illegal", message: `${path} has a child ${quotaPath.slice(QUOTA_ROOT.length)} which has a quota` };
        return;
      }
    }
  });
  if (thrown !== null) return thrown;
  // A missing quota node means no quota below; visitSubTreeDFS's NoNode is swallowed.
  if (r.ok || (r.error.kind === "keeper" && r.error.code === ERR.NoNode)) return null;
  const t = fromResult(r);
  return "thrown" in t ? t.thrown : null;
}

/** SetQuotaCommand.checkIfParentQuota: a limits node on a proper ancestor's quota node refuses. */
function checkIfParentQuota(zk: ZkClientApi, path: string): Thrown | null {
  const splits = javaSplitSlash(path);
  let quotaPath = QUOTA_ROOT;
  for (let i = 1; i < splits.length - 1; i++) {
    quotaPath = `${quotaPath}/${splits[i] ?? ""}`;
    const c = zk.getChildren(quotaPath, false);
    if (!c.ok) {
      if (c.error.kind === "keeper" && c.error.code === ERR.NoNode) return null;
      const t = fromResult(c);
      return "thrown" in t ? t.thrown : null;
    }
    if (c.value.children.length === 0) return null;
    for (const child of c.value.children) {
      if (quotaPath !== `${QUOTA_ROOT}${path}` && child === LIMIT_NODE) {
        return { kind: "illegal", message: `${path} has a parent ${quotaPath.slice(QUOTA_ROOT.length)} which has a quota` };
      }
    }
  }
  return null;
}

const createIfMissing = (zk: ZkClientApi, path: string, data: string | null): Thrown | null => {
  const e = fromResult(zk.exists(path, false));
  if ("thrown" in e) return e.thrown;
  if (e.value !== null) return null;
  const c = zk.create(path, data === null ? null : encodeUtf8(data), OPEN_ACL_UNSAFE, CREATE_MODE.PERSISTENT, -1n);
  if (!c.ok && !(c.error.kind === "keeper" && c.error.code === ERR.NodeExists)) return (fromResult(c) as { thrown: Thrown }).thrown;
  return null;
};

/** `SetQuotaCommand.createQuota`. */
function createQuota(ctx: CommandContext, path: string, quota: StatsTrack): Thrown | null {
  const { zk } = ctx;
  const init = fromResult(zk.exists(path, false));
  if ("thrown" in init) return init.thrown;
  if (init.value === null) return { kind: "illegal", message: `${path} does not exist.` };
  const child = checkIfChildQuota(zk, path);
  if (child !== null) return child;
  const parent = checkIfParentQuota(zk, path);
  if (parent !== null) return parent;
  // Under a chroot /zookeeper/quota may be missing: /zookeeper then /zookeeper/quota are created in
  // one try block, so a NodeExists on the first skips the second.
  const root = fromResult(zk.exists(QUOTA_ROOT, false));
  if ("thrown" in root) return root.thrown;
  if (root.value === null) {
    for (const p of [QUOTA_ROOT.slice(0, QUOTA_ROOT.lastIndexOf("/")), QUOTA_ROOT]) {
      const c = zk.create(p, null, OPEN_ACL_UNSAFE, CREATE_MODE.PERSISTENT, -1n);
      if (!c.ok && c.error.kind === "keeper" && c.error.code === ERR.NodeExists) break;
      if (!c.ok) return (fromResult(c) as { thrown: Thrown }).thrown;
    }
  }
  let quotaPath = QUOTA_ROOT;
  for (const part of javaSplitSlash(path).slice(1)) {
    quotaPath = `${quotaPath}/${part}`;
    const t = createIfMissing(zk, quotaPath, null);
    if (t !== null) return t;
  }
  const limits = `${quotaPath}/${LIMIT_NODE}`;
  const stats = `${quotaPath}/${STAT_NODE}`;
  const hasLimits = fromResult(zk.exists(limits, false));
  if ("thrown" in hasLimits) return hasLimits.thrown;
  if (hasLimits.value === null) {
    for (const [p, text] of [
      [limits, statsTrackText(quota)],
      [stats, "count=0,bytes=0"],
    ] as const) {
      const c = zk.create(p, encodeUtf8(text), OPEN_ACL_UNSAFE, CREATE_MODE.PERSISTENT, -1n);
      if (!c.ok) return (fromResult(c) as { thrown: Thrown }).thrown;
    }
    const q = readStats(zk, limits);
    if ("thrown" in q) return q.thrown;
    const s = readStats(zk, stats);
    if ("thrown" in s) return s.thrown;
    checkQuota(ctx, q.value, s.value);
    return null;
  }
  const q = readStats(zk, limits);
  if ("thrown" in q) return q.thrown;
  for (const key of ["count", "bytes", "countHardLimit", "byteHardLimit"]) {
    const v = statValue(quota, key);
    if (v > -1n) q.value.set(key, v);
  }
  const s = readStats(zk, stats);
  if ("thrown" in s) return s.thrown;
  checkQuota(ctx, q.value, s.value);
  const w = fromResult(zk.setData(limits, encodeUtf8(statsTrackText(q.value)), -1));
  return "thrown" in w ? w.thrown : null;
}

const SET_QUOTA_SPEC: OptionSpec = { n: { hasArg: true }, b: { hasArg: true }, N: { hasArg: true }, B: { hasArg: true } };
const SET_QUOTA_GROUP: OptionGroupSpec = { members: QUOTA_GROUP_MEMBERS, required: true };

/** `cli/SetQuotaCommand`: its checks print on stderr and end the command without an error. */
export const setQuotaCommand: CliCommand = {
  name: "setquota",
  optionStr: "-n|-b|-N|-B val path",
  run(args, ctx) {
    const p = parseOptions(SET_QUOTA_SPEC, args, SET_QUOTA_GROUP);
    if (!p.ok) return cliError(p.message);
    const { line } = p;
    if (line.args.length < 2) return usageError(this);
    const path = line.args[1] ?? "";
    if (path.startsWith(QUOTA_ROOT)) {
      ctx.err(`cannot set a quota under the path: ${QUOTA_ROOT}`);
      return OK;
    }
    const quota: StatsTrack = new Map([
      ["count", -1n],
      ["bytes", -1n],
      ["countHardLimit", -1n],
      ["byteHardLimit", -1n],
    ]);
    const checks = [
      { opt: "n", key: "count", int: true },
      { opt: "b", key: "bytes", int: false },
      { opt: "N", key: "countHardLimit", int: true },
      { opt: "B", key: "byteHardLimit", int: false },
    ] as const;
    for (const c of checks) {
      if (!hasOption(line, c.opt)) continue;
      const text = optionValue(line, c.opt) ?? "";
      const v = c.int ? javaParseInt(text) : javaParseLong(text);
      if (v === null) {
        ctx.err("NumberFormatException happens when parsing the option value");
        return OK;
      }
      const n = BigInt(v);
      if (c.int ? n <= 0n : n < 0n) {
        ctx.err(c.int ? "the num quota must be greater than zero" : "the bytes quota must be greater than or equal to zero");
        return OK;
      }
      quota.set(c.key, n);
    }
    const t = createQuota(ctx, path, quota);
    return t === null ? OK : thrownOutcome(t);
  },
};

export const listQuotaCommand: CliCommand = {
  name: "listquota",
  optionStr: "path",
  run(args, ctx) {
    const p = parseOptions({}, args);
    if (!p.ok) return cliError(p.message);
    if (p.line.args.length < 2) return usageError(this);
    const path = p.line.args[1] ?? "";
    ctx.err(`absolute path is ${limitPath(path)}`);
    const tracks: StatsTrack[] = [];
    for (const node of [limitPath(path), statPath(path)]) {
      const raw = ctx.zk.getData(node, false);
      // A hand-written quota node: an index fault is uncaught, a NumberFormatException is an
      // IllegalArgumentException, which exec turns into MalformedPathException (its message alone).
      const fault = raw.ok ? statsTrackFault(raw.value.data === null ? "" : decodeUtf8(raw.value.data)) : null;
      if (fault?.kind === "index") return { kind: "crash", trace: listQuotaIndexCrash(fault.index, fault.length, node === statPath(path)) };
      if (fault?.kind === "number") return cliError(`For input string: "${fault.input}"`);
      const r = fromResult(raw);
      if ("thrown" in r) {
        const t = r.thrown;
        if (t.kind === "keeper" && !t.result.ok && t.result.error.kind === "keeper" && t.result.error.code === ERR.NoNode) {
          ctx.err(`quota for ${path} does not exist.`);
          return OK;
        }
        return thrownOutcome(t);
      }
      tracks.push(parseStatsTrack(r.value.data === null ? "" : decodeUtf8(r.value.data)));
    }
    tracks.forEach((st, i) => ctx.out(`Output ${i === 0 ? "quota" : "stat"} for ${path} ${statsTrackText(st)}`));
    return OK;
  },
};

const DEL_QUOTA_SPEC: OptionSpec = { n: { hasArg: false }, b: { hasArg: false }, N: { hasArg: false }, B: { hasArg: false } };

/** `DelQuotaCommand.trimProcQuotas`: remove now-empty quota nodes up to /zookeeper/quota. */
function trimProcQuotas(zk: ZkClientApi, path: string): Thrown | null {
  if (path === QUOTA_ROOT) return null;
  const c = fromResult(zk.getChildren(path, false));
  if ("thrown" in c) return c.thrown;
  if (c.value.children.length !== 0) return null;
  const d = fromResult(zk.delete(path, -1));
  if ("thrown" in d) return d.thrown;
  return trimProcQuotas(zk, path.slice(0, path.lastIndexOf("/")));
}

export const delQuotaCommand: CliCommand = {
  name: "delquota",
  optionStr: "[-n|-b|-N|-B] path",
  run(args, ctx) {
    const p = parseOptions(DEL_QUOTA_SPEC, args, { members: QUOTA_GROUP_MEMBERS, required: false });
    if (!p.ok) return cliError(p.message);
    const { line } = p;
    if (line.args.length < 2) return usageError(this);
    const path = line.args[1] ?? "";
    const flags = ["n", "b", "N", "B"].filter((o) => hasOption(line, o));
    const noNode = (t: Thrown): boolean => t.kind === "keeper" && !t.result.ok && t.result.error.kind === "keeper" && t.result.error.code === ERR.NoNode;
    const finish = (t: Thrown | null): CommandOutcome => {
      if (t === null) return OK;
      if (noNode(t)) {
        ctx.err(`quota for ${path} does not exist.`);
        return OK;
      }
      return thrownOutcome(t);
    };
    const limits = limitPath(path);
    const e = fromResult(ctx.zk.exists(limits, false));
    if ("thrown" in e) return finish(e.thrown);
    if (e.value === null) {
      ctx.out(`Quota does not exist for ${path}`);
      return OK;
    }
    const q = readStats(ctx.zk, limits);
    if ("thrown" in q) return finish(q.thrown);
    if (flags.length === 0) {
      const parent = `${QUOTA_ROOT}${path}`;
      const c = fromResult(ctx.zk.getChildren(parent, false));
      if ("thrown" in c) return finish(c.thrown);
      for (const child of c.value.children) {
        const d = fromResult(ctx.zk.delete(`${parent}/${child}`, -1));
        if ("thrown" in d) return finish(d.thrown);
      }
      return finish(trimProcQuotas(ctx.zk, parent));
    }
    const keyOf: Readonly<Record<string, string>> = { n: "count", b: "bytes", N: "countHardLimit", B: "byteHardLimit" };
    for (const f of flags) q.value.set(keyOf[f] ?? "", -1n);
    const w = fromResult(ctx.zk.setData(limits, encodeUtf8(statsTrackText(q.value)), -1));
    return finish("thrown" in w ? w.thrown : null);
  },
};
