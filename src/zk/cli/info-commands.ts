import { statLines } from "../stat.js";
import { hasOption } from "./cli-options.js";
import { decodeUtf8, javaList, OK, usageError, wrapped, type CliCommand } from "./command.js";
import { parseWith } from "./node-commands.js";

/** `Version.getFullVersion()` of the Debian 3.8.0 build the oracle was recorded with. */
export const ZKCLI_FULL_VERSION = "3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC";

export const syncCommand: CliCommand = {
  name: "sync",
  optionStr: "path",
  run(args, ctx) {
    const p = parseWith({}, args);
    if ("fail" in p) return p.fail;
    if (p.line.args.length < 2) return usageError(this);
    const r = ctx.zk.sync(p.line.args[1] ?? "");
    if (!r.ok) return wrapped(r.error);
    ctx.out(r.value === 0 ? "Sync is OK" : `Sync has failed. rc=${r.value}`);
    return OK;
  },
};

/**
 * `ConfigUtils.getClientConfigStr`: the `version` value, a space, then the client addresses of the
 * `server.N` entries. A standalone server's config is empty, which gives " ".
 */
function clientConfigStr(config: string): string {
  let version = "";
  const servers: string[] = [];
  for (const raw of config.split("\n")) {
    const eq = raw.indexOf("=");
    if (eq < 0) continue;
    const key = raw.slice(0, eq).trim();
    const value = raw.slice(eq + 1).trim();
    if (key === "version") version = value;
    if (!key.startsWith("server.")) continue;
    const semi = value.lastIndexOf(";");
    if (semi >= 0) servers.push(value.slice(semi + 1));
  }
  return `${version} ${servers.join(",")}`;
}

export const configCommand: CliCommand = {
  name: "config",
  optionStr: "[-c] [-w] [-s]",
  run(args, ctx) {
    const p = parseWith({ s: { hasArg: false }, w: { hasArg: false }, c: { hasArg: false } }, args);
    if ("fail" in p) return p.fail;
    const r = ctx.zk.getConfig(hasOption(p.line, "w"));
    if (!r.ok) return wrapped(r.error);
    const text = r.value.data === null ? "null" : decodeUtf8(r.value.data);
    ctx.out(hasOption(p.line, "c") ? clientConfigStr(text) : text);
    if (hasOption(p.line, "s")) statLines(r.value.stat).forEach((l) => ctx.out(l));
    return OK;
  },
};

export const versionCommand: CliCommand = {
  name: "version",
  optionStr: "",
  run(args, ctx) {
    const p = parseWith({}, args);
    if ("fail" in p) return p.fail;
    if (p.line.args.length > 1) return usageError(this);
    ctx.out(`ZooKeeper CLI version: ${ZKCLI_FULL_VERSION}`);
    return OK;
  },
};

export const getEphemeralsCommand: CliCommand = {
  name: "getEphemerals",
  optionStr: "path",
  run(args, ctx) {
    const p = parseWith({}, args);
    if ("fail" in p) return p.fail;
    const r = ctx.zk.getEphemerals(p.line.args.length < 2 ? null : (p.line.args[1] ?? ""));
    if (!r.ok) return wrapped(r.error);
    ctx.out(javaList(r.value));
    return OK;
  },
};

export const getAllChildrenNumberCommand: CliCommand = {
  name: "getAllChildrenNumber",
  optionStr: "path",
  run(args, ctx) {
    const p = parseWith({}, args);
    if ("fail" in p) return p.fail;
    if (p.line.args.length < 2) return usageError(this);
    const r = ctx.zk.getAllChildrenNumber(p.line.args[1] ?? "");
    if (!r.ok) return wrapped(r.error);
    ctx.out(String(r.value));
    return OK;
  },
};

export const closeCommand: CliCommand = {
  name: "close",
  optionStr: "",
  run(_args, ctx) {
    ctx.zk.close();
    return OK;
  },
};
