// Unit checks of the zkCli layer's pieces, each tied to the transcript that shows the behaviour.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseOptions } from "../../../src/zk/cli/cli-options.js";
import { javaDecodeInt, javaParseInt, javaParseLong } from "../../../src/zk/cli/java-numbers.js";
import { authInfoOrder, digestId, ipMatches } from "../../../src/zk/cli/session-auth.js";
import { tokenize } from "../../../src/zk/cli/tokenize.js";
import { differences, normalise } from "./oracle-compare.js";
import { parseCfg, runScript } from "./run-script.js";

const ORACLE = resolve(import.meta.dirname, "../../oracle");

describe("tokenize (ZooKeeperMain.MyCommandOptions.parseCommand)", () => {
  it("strips matching quotes and keeps quotes inside words (25)", () => {
    expect(tokenize(`create /q1 "hello world"`)).toEqual(["create", "/q1", "hello world"]);
    expect(tokenize(`create /q3 a"b`)).toEqual(["create", "/q3", 'a"b']);
    expect(tokenize(`create /q5 ""`)).toEqual(["create", "/q5", ""]);
    expect(tokenize(`create /q10 'dq "inside" sq'`)).toEqual(["create", "/q10", 'dq "inside" sq']);
  });
  it("resumes after an unclosed quote, so its words become arguments (25)", () => {
    expect(tokenize(`create /q7 "a b`)).toEqual(["create", "/q7", "a", "b"]);
  });
  it("splits on tabs and ASCII whitespace only", () => {
    expect(tokenize("create\t/q13\ttabs")).toEqual(["create", "/q13", "tabs"]);
    expect(tokenize("ls\u00a0/")).toEqual(["ls\u00a0/"]);
  });
  it("finds no token in a lone quote, and one blank token in blanks (26)", () => {
    expect(tokenize(`"`)).toBeNull();
    expect(tokenize(`'`)).toBeNull();
    expect(tokenize("   ")).toEqual([" "]);
  });
});

describe("parseOptions (commons-cli DefaultParser)", () => {
  const spec = { s: { hasArg: false }, v: { hasArg: true } };
  const ok = (tokens: string[]) => {
    const r = parseOptions(spec, tokens);
    if (!r.ok) throw new Error(r.message);
    return { args: r.line.args, options: Object.fromEntries(r.line.options) };
  };
  it("takes options anywhere and the next token as a value, even a path (18)", () => {
    expect(ok(["set", "/a", "-s", "x"])).toEqual({ args: ["set", "/a", "x"], options: { s: [] } });
    expect(ok(["set", "-v", "/a", "x"])).toEqual({ args: ["set", "x"], options: { v: ["/a"] } });
    expect(ok(["delete", "-v", "-1", "/a"])).toEqual({ args: ["delete", "/a"], options: { v: ["-1"] } });
    expect(ok(["set", "-sv3", "/a", "x"])).toEqual({ args: ["set", "/a", "x"], options: { s: [], v: ["3"] } });
    expect(ok(["set", "--", "-s", "x"])).toEqual({ args: ["set", "-s", "x"], options: {} });
  });
  it("words errors as zkCli prints them (11, 68)", () => {
    expect(parseOptions(spec, ["get", "-x", "/"])).toEqual({ ok: false, message: "org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: -x" });
    expect(parseOptions(spec, ["get", "--s", "/"])).toEqual({ ok: false, message: "org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: --s" });
    expect(parseOptions(spec, ["set", "-v"])).toEqual({ ok: false, message: "org.apache.commons.cli.MissingArgumentException: Missing argument for option: v" });
    expect(parseOptions(spec, ["set", "-v", "-s"])).toEqual({ ok: false, message: "org.apache.commons.cli.MissingArgumentException: Missing argument for option: v" });
  });
  it("enforces option groups (70)", () => {
    const quota = { n: { hasArg: true }, b: { hasArg: true } };
    const group = { members: [{ name: "n", description: "num soft quota" }, { name: "b", description: "bytes soft quota" }], required: true };
    expect(parseOptions(quota, ["setquota", "-n", "1", "-b", "1", "/q"], group)).toEqual({
      ok: false,
      message: "org.apache.commons.cli.AlreadySelectedException: The option 'b' was specified but an option from this group has already been selected: 'n'",
    });
    expect(parseOptions(quota, ["setquota", "/q"], group)).toEqual({
      ok: false,
      message: "org.apache.commons.cli.MissingOptionException: Missing required option: [-n num soft quota, -b bytes soft quota]",
    });
  });
});

describe("Java number parsing", () => {
  it("Integer.decode takes hex and octal (61)", () => {
    expect(javaDecodeInt("0x2")).toBe(2);
    expect(javaDecodeInt("010")).toBe(8);
    expect(javaDecodeInt("-1")).toBe(-1);
    expect(javaDecodeInt("abc")).toBeNull();
    expect(javaDecodeInt("-+1")).toBeNull();
  });
  it("parseInt and parseLong refuse overflow and non-digits", () => {
    expect(javaParseInt("2147483647")).toBe(2147483647);
    expect(javaParseInt("2147483648")).toBeNull();
    expect(javaParseInt("1.5")).toBeNull();
    expect(javaParseLong("1099511627776")).toBe(1099511627776n);
  });
});

describe("session auth", () => {
  it("digest ids are user:base64(sha1(user:password)) (56)", () => {
    expect(digestId("bob:secret")).toBe("bob:fyVmFCwVbTJYrznoSu1koqYEYF0=");
    expect(digestId("carol:with:colons")).toBe("carol:9HrsHEj8NpDxdCY8J49PnnHGKBk=");
  });
  it("whoami lists ids in ConcurrentHashMap order, not insertion order (56)", () => {
    const ids = ["127.0.0.1", "bob:secret", "alice:pw", "carol:with:colons", "dave:"].map((x, i) =>
      i === 0 ? { scheme: "ip", id: x } : { scheme: "digest", id: digestId(x) },
    );
    expect(authInfoOrder(ids).map((id) => id.id.split(":")[0])).toEqual(["bob", "carol", "127.0.0.1", "alice", "dave"]);
  });
  it("ip ACLs match by prefix bits (47)", () => {
    expect(ipMatches("127.0.0.1", "127.0.0.1")).toBe(true);
    expect(ipMatches("127.0.0.1", "127.0.0.0/8")).toBe(true);
    expect(ipMatches("127.0.0.1", "10.0.0.1")).toBe(false);
    expect(ipMatches("127.0.0.1", "10.0.0.0/0")).toBe(true);
  });
});

describe("the oracle comparison", () => {
  it("reports a differing reply and a differing event, and masks times and session ids", () => {
    const a = normalise("Created /a\nctime = Mon Nov 23 12:08:12 UTC 2026\nephemeralOwner = 0x1000024dfb70000\nWatchedEvent state:SyncConnected type:NodeCreated path:/a\n");
    const b = normalise("[zk: x(CONNECTED) 1] Created /a   \nctime = Tue Nov 24 00:00:00 UTC 2026\nephemeralOwner = 0x1\n\nWATCHER::\n");
    expect(differences(a, b)).toEqual(['event line 1: expected "WatchedEvent state:SyncConnected type:NodeCreated path:/a", got "<end>"']);
    expect(differences(normalise("x\n"), normalise("y\n"))).toEqual(['reply line 1: expected "x", got "y"']);
  });
});

describe("the shell over the store client", () => {
  const noCfg = parseCfg("");
  it("prints a watch event before the reply of the write that fired it", () => {
    const out = runScript("create /a x\nget -w /a\nset -s /a y\n", noCfg);
    const event = out.indexOf("\nWATCHER::\n\nWatchedEvent state:SyncConnected type:NodeDataChanged path:/a\n");
    expect(event).toBeGreaterThan(0);
    expect(event).toBeLessThan(out.indexOf("cZxid = 0x2"));
  });
  it("stops at a crash and ignores later lines", () => {
    const out = runScript("set -v abc /a y\nls /\n", noCfg);
    expect(out).toContain('java.lang.NumberFormatException: For input string: "abc"');
    expect(out).not.toContain("[zookeeper]");
  });
  it("matches one of the racy recordings of deleteall on special nodes (zkcli-racy/r01)", () => {
    const dir = resolve(ORACLE, "zkcli-racy");
    const expected = normalise(readFileSync(resolve(dir, "r01-deleteall-special-nodes.out"), "utf8"));
    const actual = normalise(runScript(readFileSync(resolve(dir, "r01-deleteall-special-nodes.zk"), "utf8"), noCfg));
    // The recording lacks one "Failed to delete" line half the time (ZKUtil.deleteInBatch's race).
    const failed = "Failed to delete some node(s) in the subtree!";
    const strip = (lines: string[]): string[] => lines.filter((l) => l !== failed);
    expect(differences({ replies: strip(expected.replies), events: expected.events }, { replies: strip(actual.replies), events: actual.events })).toEqual([]);
    expect(actual.replies.filter((l) => l === failed).length).toBe(2);
  });
});
