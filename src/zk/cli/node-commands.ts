import { OPEN_ACL_UNSAFE, type Acl } from "../acl.js";
import { CREATE_MODE } from "../create-mode.js";
import { TTL_MAX_MS, ttlValid } from "../ephemeral-type.js";
import { statLines } from "../stat.js";
import { parseAcl } from "./acl-parser.js";
import { hasOption, optionValue, parseOptions, type OptionSpec, type ParsedLine } from "./cli-options.js";
import {
  cliError,
  decodeUtf8,
  encodeUtf8,
  OK,
  usageError,
  wrapped,
  type CliCommand,
  type CommandContext,
  type CommandOutcome,
} from "./command.js";
import { parseIntCrash } from "./java-crash.js";
import { javaParseInt, javaParseLong } from "./java-numbers.js";
import { deleteRecursive, visitSubTreeDfs } from "./zk-util.js";

/** Parses with the command's options; a ParseException is the command's error. */
export function parseWith(spec: OptionSpec, args: readonly string[]): { line: ParsedLine } | { fail: CommandOutcome } {
  const r = parseOptions(spec, args);
  return r.ok ? { line: r.line } : { fail: cliError(r.message) };
}

/**
 * get/stat/ls keep their 3.4 form `cmd path watch`: a third argument makes them overwrite the raw
 * token at index 2 with `-w` and parse again, warning first (GetCommand.retainCompatibility). Index
 * 2 of the raw tokens, not of the arguments: `get -s /a x` loses `/a`, as in the real one.
 */
function retainCompatibility(
  spec: OptionSpec,
  raw: readonly string[],
  line: ParsedLine,
  warning: string,
  ctx: CommandContext,
  rewrite = true,
): { line: ParsedLine } | { fail: CommandOutcome } {
  if (line.args.length <= 2) return { line };
  ctx.err(warning);
  const again = rewrite ? raw.map((t, i) => (i === 2 ? "-w" : t)) : raw;
  return parseWith(spec, again);
}

const print = (ctx: CommandContext, lines: readonly string[]): void => lines.forEach((l) => ctx.out(l));

/** `Integer.parseInt(cl.getOptionValue("v"))`, which no command guards: a bad value kills zkCli. */
function versionOf(line: ParsedLine, execFrame: string): number | { crash: string[] } {
  const text = optionValue(line, "v");
  if (text === undefined) return -1;
  const v = javaParseInt(text);
  return v === null ? { crash: parseIntCrash(text, execFrame) } : v;
}

const CREATE_SPEC: OptionSpec = { e: { hasArg: false }, s: { hasArg: false }, c: { hasArg: false }, t: { hasArg: true } };

/** `cli/CreateCommand`: local refusals in its order, then the call; `Created <path>` on stderr. */
export const createCommand: CliCommand = {
  name: "create",
  optionStr: "[-s] [-e] [-c] [-t ttl] path [data] [acl]",
  run(args, ctx) {
    const p = parseWith(CREATE_SPEC, args);
    if ("fail" in p) return p.fail;
    const { line } = p;
    if (line.args.length < 2) return usageError(this);
    const [e, s, c, t] = ["e", "s", "c", "t"].map((o) => hasOption(line, o));
    if (c && (e || s)) return cliError("-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.");
    let ttl = 0n;
    if (t) {
      const parsed = javaParseLong(optionValue(line, "t") ?? "");
      if (parsed === null) return cliError("-t argument must be a long value");
      ttl = parsed;
    }
    if (t && e) return cliError("TTLs cannot be used with Ephemeral znodes");
    if (t && c) return cliError("TTLs cannot be used with Container znodes");
    const flags =
      e && s
        ? CREATE_MODE.EPHEMERAL_SEQUENTIAL
        : e
          ? CREATE_MODE.EPHEMERAL
          : s
            ? t
              ? CREATE_MODE.PERSISTENT_SEQUENTIAL_WITH_TTL
              : CREATE_MODE.PERSISTENT_SEQUENTIAL
            : c
              ? CREATE_MODE.CONTAINER
              : t
                ? CREATE_MODE.PERSISTENT_WITH_TTL
                : CREATE_MODE.PERSISTENT;
    if (t && !ttlValid(ttl)) return cliError(`ttl must be positive and cannot be larger than: ${TTL_MAX_MS}`);
    const path = line.args[1] ?? "";
    const data = line.args[2] === undefined ? null : encodeUtf8(line.args[2]);
    const acl: readonly Acl[] = line.args[3] === undefined ? OPEN_ACL_UNSAFE : parseAcl(line.args[3], ctx.err);
    const r = ctx.zk.create(path, data, acl, flags, t ? ttl : -1n);
    if (!r.ok) {
      // InvalidACLException is printed once plainly, then wrapped (CreateCommand's own catch).
      if (r.error.kind === "keeper" && r.error.code === -114) ctx.err(r.error.path === null ? "KeeperErrorCode = InvalidACL" : `KeeperErrorCode = InvalidACL for ${r.error.path}`);
      return wrapped(r.error);
    }
    ctx.err(`Created ${r.value}`);
    return OK;
  },
};

const GET_SPEC: OptionSpec = { s: { hasArg: false }, w: { hasArg: false } };

export const getCommand: CliCommand = {
  name: "get",
  optionStr: "[-s] [-w] path",
  run(args, ctx) {
    const first = parseWith(GET_SPEC, args);
    if ("fail" in first) return first.fail;
    if (first.line.args.length < 2) return usageError(this);
    const p = retainCompatibility(GET_SPEC, args, first.line, "'get path [watch]' has been deprecated. Please use 'get [-s] [-w] path' instead.", ctx);
    if ("fail" in p) return p.fail;
    const r = ctx.zk.getData(p.line.args[1] ?? "", hasOption(p.line, "w"));
    if (!r.ok) return wrapped(r.error);
    ctx.out(r.value.data === null ? "null" : decodeUtf8(r.value.data));
    if (hasOption(p.line, "s")) print(ctx, statLines(r.value.stat));
    return OK;
  },
};

const SET_SPEC: OptionSpec = { s: { hasArg: false }, v: { hasArg: true } };

export const setCommand: CliCommand = {
  name: "set",
  optionStr: "[-s] [-v version] path data",
  run(args, ctx) {
    const p = parseWith(SET_SPEC, args);
    if ("fail" in p) return p.fail;
    if (p.line.args.length < 3) return usageError(this);
    const version = versionOf(p.line, "SetCommand.exec(SetCommand.java:69)");
    if (typeof version !== "number") return { kind: "crash", trace: version.crash };
    const r = ctx.zk.setData(p.line.args[1] ?? "", encodeUtf8(p.line.args[2] ?? ""), version);
    if (!r.ok) return wrapped(r.error);
    if (hasOption(p.line, "s")) print(ctx, statLines(r.value));
    return OK;
  },
};

const STAT_SPEC: OptionSpec = { w: { hasArg: false } };

export const statCommand: CliCommand = {
  name: "stat",
  optionStr: "[-w] path",
  run(args, ctx) {
    const first = parseWith(STAT_SPEC, args);
    if ("fail" in first) return first.fail;
    if (first.line.args.length < 2) return usageError(this);
    const p = retainCompatibility(STAT_SPEC, args, first.line, "'stat path [watch]' has been deprecated. Please use 'stat [-w] path' instead.", ctx);
    if ("fail" in p) return p.fail;
    const path = p.line.args[1] ?? "";
    const r = ctx.zk.exists(path, hasOption(p.line, "w"));
    if (!r.ok) return wrapped(r.error);
    if (r.value === null) return cliError(`Node does not exist: ${path}`);
    print(ctx, statLines(r.value));
    return OK;
  },
};

const LS_SPEC: OptionSpec = { "?": { hasArg: false }, s: { hasArg: false }, w: { hasArg: false }, R: { hasArg: false } };

/** commons-cli HelpFormatter.printHelp("ls [options] path", options): options sorted by name, ignoring case. */
const LS_HELP: readonly string[] = ["usage: ls [options] path", " -?   help", " -R   recurse", " -s   stat", " -w   watch"];

export const lsCommand: CliCommand = {
  name: "ls",
  optionStr: "[-s] [-w] [-R] path",
  run(args, ctx) {
    const first = parseWith(LS_SPEC, args);
    if ("fail" in first) return first.fail;
    if (hasOption(first.line, "?")) print(ctx, LS_HELP);
    const p = retainCompatibility(LS_SPEC, args, first.line, "'ls path [watch]' has been deprecated. Please use 'ls [-w] path' instead.", ctx);
    if ("fail" in p) return p.fail;
    // LsCommand checks the argument count in exec, after parse (so `ls -?` prints help, then usage).
    if (p.line.args.length < 2) return usageError(this);
    const path = p.line.args[1] ?? "";
    const watch = hasOption(p.line, "w");
    if (hasOption(p.line, "R")) {
      const r = visitSubTreeDfs(ctx.zk, path, watch, (node) => ctx.out(node));
      return r.ok ? OK : wrapped(r.error);
    }
    const r = ctx.zk.getChildren(path, watch);
    if (!r.ok) return wrapped(r.error);
    ctx.out(`[${[...r.value.children].sort().join(", ")}]`);
    if (hasOption(p.line, "s")) print(ctx, statLines(r.value.stat));
    return OK;
  },
};

const DELETE_SPEC: OptionSpec = { v: { hasArg: true } };

export const deleteCommand: CliCommand = {
  name: "delete",
  optionStr: "[-v version] path",
  run(args, ctx) {
    const first = parseWith(DELETE_SPEC, args);
    if ("fail" in first) return first.fail;
    if (first.line.args.length < 2) return usageError(this);
    // DeleteCommand warns about `delete path version` but parses the same tokens again: the version is ignored.
    const p = retainCompatibility(
      DELETE_SPEC,
      args,
      first.line,
      "'delete path [version]' has been deprecated. Please use 'delete [-v version] path' instead.",
      ctx,
      false,
    );
    if ("fail" in p) return p.fail;
    const version = versionOf(p.line, "DeleteCommand.exec(DeleteCommand.java:81)");
    if (typeof version !== "number") return { kind: "crash", trace: version.crash };
    const r = ctx.zk.delete(p.line.args[1] ?? "", version);
    return r.ok ? OK : wrapped(r.error);
  },
};

const DELETEALL_SPEC: OptionSpec = { b: { hasArg: true } };

export const deleteAllCommand: CliCommand = {
  name: "deleteall",
  optionStr: "path [-b batch size]",
  run(args, ctx) {
    const p = parseWith(DELETEALL_SPEC, args);
    if ("fail" in p) return p.fail;
    if (p.line.args.length < 2) return usageError(this);
    let batchSize = 1000;
    if (hasOption(p.line, "b")) {
      const b = javaParseInt(optionValue(p.line, "b") ?? "");
      if (b === null) return cliError("-b argument must be an int value");
      batchSize = b;
    }
    const r = deleteRecursive(ctx.zk, p.line.args[1] ?? "", batchSize);
    if (!r.ok) return wrapped(r.error);
    if (!r.value) ctx.err("Failed to delete some node(s) in the subtree!");
    return OK;
  },
};
