// `zksim shell --servers 1` end to end: every recorded zkCli session (test/oracle/zkcli) is piped
// through the built CLI (stdin = the script + "quit", stdout and stderr together, as record.sh kept
// them) and compared as the oracle's compare.py does. The list of known failures may only shrink.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { differences, normalise } from "../zk/cli/oracle-compare.js";

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "dist/src/cli/bin.js");
const DIR = join(ROOT, "test/oracle/zkcli");

/** Script name -> one-line reason it does not match yet through the real shell. */
const KNOWN_FAILING: Readonly<Record<string, string>> = {};

type Run = { readonly code: number | null; readonly out: string; readonly stderr: string };

/** Runs `zksim shell` with stdin `input`; `merged` sends stderr into stdout (as `2>&1` would). */
function runShell(args: readonly string[], input: string, merged = true): Promise<Run> {
  return new Promise((done, fail) => {
    // One pipe for both streams keeps their interleaving, as the recording's `2>&1` did.
    const argv = [process.execPath, BIN, "shell", ...args];
    const child = merged ? spawn("/bin/sh", ["-c", 'exec "$0" "$@" 2>&1', ...argv]) : spawn(argv[0] as string, argv.slice(1));
    let out = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", fail);
    child.on("close", (code) => done({ code, out, stderr }));
    child.stdin.end(input);
  });
}

const read = (path: string): string => readFileSync(path, "utf8");
const scripts = readdirSync(DIR)
  .filter((f) => f.endsWith(".zk"))
  .map((f) => f.slice(0, -3))
  .sort();

describe("zksim shell --servers 1 replays the recorded zkCli sessions", () => {
  const outputs = new Map<string, Run>();
  beforeAll(async () => {
    expect(existsSync(BIN), "run `npm run build` first").toBe(true);
    const queue = [...scripts];
    const worker = async (): Promise<void> => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const cfg = join(DIR, `${name}.cfg`);
        const script = read(join(DIR, `${name}.zk`));
        const input = `${script}${script.endsWith("\n") || script === "" ? "" : "\n"}quit\n`;
        outputs.set(name, await runShell(["--servers", "1", ...(existsSync(cfg) ? ["--cfg", cfg] : [])], input));
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }, 120_000);

  it("has every listed known failure on disk", () => {
    expect(Object.keys(KNOWN_FAILING).filter((n) => !scripts.includes(n))).toEqual([]);
  });

  for (const name of scripts) {
    const reason = KNOWN_FAILING[name];
    it(reason === undefined ? name : `${name} (known failing: ${reason})`, () => {
      const run = outputs.get(name);
      expect(run?.code).toBe(0);
      const diffs = differences(normalise(read(join(DIR, `${name}.out`))), normalise(run?.out ?? ""));
      if (reason === undefined) expect(diffs).toEqual([]);
      else expect(diffs, `${name} now passes: take it off KNOWN_FAILING`).not.toEqual([]);
    });
  }
});

describe("zksim shell simulator commands", () => {
  it("hands 4lw the rest of the line, so stmk takes its mask; a bare 4lw lists every word", async () => {
    const run = await runShell([], "4lw 1 stmk 250\n4lw 1 gtmk\n4lw 1 stmk 0x10\n4lw 1 gtmk\n4lw 1\nquit\n");
    const lines = run.out.split("\n");
    expect(lines.slice(0, 4)).toEqual(["250", "250", "16", "16"]);
    expect(run.out).toContain("usage: 4lw 1 WORD (ruok, srvr, stat, conf, envi, isro, mntr, cons, wchs, wchc, wchp, dirs, dump, gtmk, stmk, crst, srst, hash)");
  });

  it("answers srvr in the real standalone format", async () => {
    const run = await runShell([], "create /a x\n4lw 1 srvr\nquit\n");
    const from = run.out.indexOf("Zookeeper version:");
    const srvr = run.out.slice(from, run.out.indexOf("\n", run.out.indexOf("Node count:", from)) + 1);
    const keys = srvr
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => l.replace(/: .*/, ":"));
    const real = read("/work/shared/oracle/fourlw/standalone.srvr");
    expect(keys).toEqual(
      real
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.replace(/: .*/, ":")),
    );
    expect(srvr).toContain("Zxid: 0x2\nMode: standalone\nNode count: 6\n");
  });

  it("shows status, crashes and restarts the server, and recovers the tree from its log", async () => {
    const run = await runShell([], "create /a x\nstatus\ncrash 1\nstatus\nls /\nrestart 1\nadvance 3000\nget /a\nquit\n");
    expect(run.code).toBe(0);
    expect(run.out).toContain("server  role        last zxid\n1       standalone  0x2\n");
    expect(run.out).toContain("1       down        -\n");
    expect(run.out).toContain("KeeperErrorCode = ConnectionLoss for /");
    expect(run.out).toContain("SyncConnected type:None path:null\nx\n");
  });

  it("runs an ensemble: 3 leads, and after crash 3 and enough advance, 2 leads epoch 2", async () => {
    const run = await runShell(["--servers", "3"], "status\n4lw 3 srvr\ncrash 3\nadvance 2000\nstatus\n4lw 2 srvr\n", false);
    expect(run.code).toBe(0);
    const [before, after] = run.out.split("server  role").slice(1);
    expect(before).toMatch(/\n3 +leader +broadcast +1 /);
    expect(before).toMatch(/\n1 +follower +broadcast +1 /);
    expect(after).toMatch(/\n2 +leader +broadcast +2 /);
    expect(after).toMatch(/\n3 +down /);
    expect(run.out).toContain("Mode: leader");
  });

  it("refuses a bad ensemble size or a zoo.cfg for an ensemble with exit code 2", async () => {
    expect((await runShell(["--servers", "16"], "", false)).code).toBe(2);
    const cfg = await runShell(["--servers", "3", "--cfg", "package.json"], "", false);
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toContain("--cfg applies to the standalone server");
  });
});
