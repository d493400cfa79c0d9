import { hasOption, optionValue } from "./cli-options.js";
import { cliError, OK, usageError, wrapped, type CliCommand } from "./command.js";
import { parseWith } from "./node-commands.js";

const RECONFIG_SPEC = {
  s: { hasArg: false },
  v: { hasArg: true },
  file: { hasArg: true },
  members: { hasArg: true },
  add: { hasArg: true },
  remove: { hasArg: true },
} as const;

/**
 * `cli/ReconfigCommand`: its argument checks in their order, then the request. zksim reads no files,
 * so `-file` always fails as a missing file does in the real one (`FileInputStream`'s message).
 */
export const reconfigCommand: CliCommand = {
  name: "reconfig",
  optionStr:
    "[-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3[,...]*]] | " +
    "[-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]",
  run(args, ctx) {
    const p = parseWith(RECONFIG_SPEC, args);
    if ("fail" in p) return p.fail;
    const has = (o: string): boolean => hasOption(p.line, o);
    if (!(has("file") || has("members")) && !has("add") && !has("remove")) return usageError(this);
    let version = -1n;
    const v = optionValue(p.line, "v");
    if (v !== undefined) {
      if (!/^[+-]?[0-9a-fA-F]+$/.test(v)) return cliError("-v must be followed by a long (configuration version)");
      version = BigInt.asIntN(64, BigInt(`0x${v.replace(/^[+-]/, "")}`) * (v.startsWith("-") ? -1n : 1n));
    }
    if ((has("file") || has("members")) && (has("add") || has("remove"))) {
      return cliError("Can't use -file or -members together with -add or -remove (mixing incremental and non-incremental modes is not allowed)");
    }
    if (has("file") && has("members")) return cliError("Can't use -file and -members together (conflicting non-incremental modes)");
    if (has("file")) {
      const file = optionValue(p.line, "file") ?? "";
      return cliError(`Error processing ${file}${file} (No such file or directory)`);
    }
    const lower = (o: string): string | null => optionValue(p.line, o)?.toLowerCase() ?? null;
    const r = ctx.zk.reconfig(lower("add"), lower("remove"), lower("members"), version);
    if (!r.ok) return wrapped(r.error);
    ctx.out(`Committed new configuration:\n${r.value}`);
    return OK;
  },
};
