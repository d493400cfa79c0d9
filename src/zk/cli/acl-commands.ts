import { aclLines } from "../acl.js";
import { keeperErrorMessage } from "../errors.js";
import { statLines } from "../stat.js";
import { parseAcl } from "./acl-parser.js";
import { hasOption, optionValue } from "./cli-options.js";
import { encodeUtf8, OK, usageError, wrapped, type CliCommand } from "./command.js";
import { parseIntCrash } from "./java-crash.js";
import { javaParseInt } from "./java-numbers.js";
import { parseWith } from "./node-commands.js";
import { visitSubTreeDfs } from "./zk-util.js";

/** `cli/GetAclCommand`: each entry as `Id.toString()` (which ends in a newline) + ": " + perms. */
export const getAclCommand: CliCommand = {
  name: "getAcl",
  optionStr: "[-s] path",
  run(args, ctx) {
    const p = parseWith({ s: { hasArg: false } }, args);
    if ("fail" in p) return p.fail;
    if (p.line.args.length < 2) return usageError(this);
    const r = ctx.zk.getACL(p.line.args[1] ?? "");
    if (!r.ok) return wrapped(r.error);
    for (const a of r.value.acl) aclLines(a).forEach((l) => ctx.out(l));
    if (hasOption(p.line, "s")) statLines(r.value.stat).forEach((l) => ctx.out(l));
    return OK;
  },
};

/**
 * `cli/SetAclCommand`. With -R every node of the subtree gets the ACL, and a failure on one is
 * printed with `out.print` (KeeperException.getMessage, no newline) and the walk goes on.
 */
export const setAclCommand: CliCommand = {
  name: "setAcl",
  optionStr: "[-s] [-v version] [-R] path acl",
  run(args, ctx) {
    const p = parseWith({ s: { hasArg: false }, v: { hasArg: true }, R: { hasArg: false } }, args);
    if ("fail" in p) return p.fail;
    if (p.line.args.length < 3) return usageError(this);
    const path = p.line.args[1] ?? "";
    const acl = parseAcl(p.line.args[2] ?? "", ctx.err);
    let version = -1;
    const vText = optionValue(p.line, "v");
    if (vText !== undefined) {
      const v = javaParseInt(vText);
      if (v === null) return { kind: "crash", trace: parseIntCrash(vText, "SetAclCommand.exec(SetAclCommand.java:76)") };
      version = v;
    }
    if (hasOption(p.line, "R")) {
      const r = visitSubTreeDfs(ctx.zk, path, false, (node) => {
        const s = ctx.zk.setACL(node, acl, version);
        if (!s.ok && s.error.kind === "keeper") ctx.outRaw(keeperErrorMessage(s.error.code, s.error.path));
      });
      return r.ok ? OK : wrapped(r.error);
    }
    const r = ctx.zk.setACL(path, acl, version);
    if (!r.ok) return wrapped(r.error);
    if (hasOption(p.line, "s")) statLines(r.value).forEach((l) => ctx.out(l));
    return OK;
  },
};

/** `cli/AddAuthCommand`: fire and forget; a refused scheme shows up as an AuthFailed event. */
export const addAuthCommand: CliCommand = {
  name: "addauth",
  optionStr: "scheme auth",
  run(args, ctx) {
    const p = parseWith({}, args);
    if ("fail" in p) return p.fail;
    if (p.line.args.length < 2) return usageError(this);
    const auth = p.line.args[2];
    ctx.zk.addAuthInfo(p.line.args[1] ?? "", auth === undefined ? null : encodeUtf8(auth));
    return OK;
  },
};

/** `cli/WhoAmICommand`: takes no options and ignores extra arguments. */
export const whoAmICommand: CliCommand = {
  name: "whoami",
  optionStr: "",
  run(_args, ctx) {
    const r = ctx.zk.whoAmI();
    if (!r.ok) return wrapped(r.error);
    ctx.out("Auth scheme: User");
    for (const c of r.value) ctx.out(`${c.authScheme}: ${c.user}`);
    return OK;
  },
};
