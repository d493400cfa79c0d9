import { ADD_WATCH_MODES, type AddWatchMode, type WatcherType } from "./client-api.js";
import { hasOption, optionValue } from "./cli-options.js";
import { OK, usageError, wrapped, type CliCommand } from "./command.js";
import { addWatchPathCrash } from "./java-crash.js";
import { parseWith } from "./node-commands.js";

/**
 * `cli/AddWatchCommand`: exactly one path; `-m` is matched upper-cased against AddWatchMode and, as
 * in the real one, stays in force for later addWatch commands without `-m`. A bad
 * path is an IllegalArgumentException the command does not catch, so the real zkCli dies there.
 */
export const addWatchCommand: CliCommand = {
  name: "addWatch",
  optionStr: `[-m mode] path # optional mode is one of [${ADD_WATCH_MODES.join(", ")}] - default is PERSISTENT_RECURSIVE`,
  run(args, ctx) {
    const p = parseWith({ m: { hasArg: true } }, args);
    if ("fail" in p) return p.fail;
    if (p.line.args.length !== 2) return usageError(this);
    const m = optionValue(p.line, "m");
    if (m !== undefined) {
      const upper = m.toUpperCase() as AddWatchMode;
      if (!ADD_WATCH_MODES.includes(upper)) return usageError(this);
      ctx.sticky.addWatchMode = upper;
    }
    const r = ctx.zk.addWatch(p.line.args[1] ?? "", ctx.sticky.addWatchMode);
    if (r.ok) return OK;
    return r.error.kind === "illegalArgument" ? { kind: "crash", trace: addWatchPathCrash(r.error.message) } : wrapped(r.error);
  },
};

/** `cli/RemoveWatchesCommand`: -c before -d before -a; none means Any. */
export const removeWatchesCommand: CliCommand = {
  name: "removewatches",
  optionStr: "path [-c|-d|-a] [-l]",
  run(args, ctx) {
    const p = parseWith({ c: { hasArg: false }, d: { hasArg: false }, a: { hasArg: false }, l: { hasArg: false } }, args);
    if ("fail" in p) return p.fail;
    if (p.line.args.length < 2) return usageError(this);
    const type: WatcherType = hasOption(p.line, "c") ? "Children" : hasOption(p.line, "d") ? "Data" : "Any";
    const r = ctx.zk.removeAllWatches(p.line.args[1] ?? "", type, hasOption(p.line, "l"));
    return r.ok ? OK : wrapped(r.error);
  },
};
