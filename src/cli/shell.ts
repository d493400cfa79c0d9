/**
 * `zksim shell`: zkCli.sh over a simulated ZooKeeper. zkCli commands print exactly what zkCli.sh
 * prints (ZkShell over the simulated client library); simulator commands move virtual time, crash
 * and restart the server and ask it four-letter words. Lines come from stdin; a prompt is shown only
 * when stdin is a terminal, as zkCli.sh does.
 */
import { existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { ZkShell } from "../zk/cli/shell.js";
import { StandaloneSim } from "../zk/client/standalone-sim.js";
import type { StandaloneConfig } from "../zk/server/standalone-server.js";
import { parseZooCfg } from "../zk/server/zoo-cfg.js";
import type { Io } from "./commands.js";
import { EXIT, type ExitCode } from "./exit.js";

export type ShellFlags = { readonly servers?: number; readonly seed?: number; readonly cfg?: string };

export const SIMULATOR_COMMANDS: readonly string[] = Object.freeze(["advance", "crash", "restart", "status", "4lw"]);

/** Runs one simulator command; returns the text to print. */
export function simulatorCommand(sim: StandaloneSim, args: readonly string[]): string {
  const [cmd, a1, a2] = args;
  const server = (): string | null => (a1 === "1" ? null : `no server ${a1 ?? "(missing)"}: this shell runs 1 server, numbered 1\n`);
  switch (cmd) {
    case "advance": {
      if (a1 === undefined || !/^\d+$/.test(a1) || !Number.isSafeInteger(Number(a1))) return "usage: advance MS (a non-negative integer of virtual milliseconds)\n";
      sim.advance(Number(a1));
      return "";
    }
    case "crash":
      if (server() !== null) return server() as string;
      sim.crash();
      return "";
    case "restart":
      if (server() !== null) return server() as string;
      sim.restart();
      return "";
    case "status": {
      const zxid = sim.lastZxid();
      const rows = [
        ["server", "role", "last zxid"],
        ["1", zxid === null ? "down" : "standalone", zxid ?? "-"],
      ];
      // Fixed columns, wide enough for every role, so the table reads the same whatever state it shows.
      const widths = [8, 12];
      return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("")).join("\n") + "\n";
    }
    case "4lw": {
      if (server() !== null) return server() as string;
      if (a2 === undefined) return "usage: 4lw 1 WORD (ruok, srvr, stat, conf, envi, isro, mntr, cons, wchs)\n";
      const answer = sim.fourLetterWord(a2);
      if (answer === null) return "server 1 is down: connection refused\n";
      return answer.endsWith("\n") ? answer : `${answer}\n`;
    }
    default:
      return `unknown simulator command ${cmd ?? ""}\n`;
  }
}

export async function shellCommand(io: Io, flags: ShellFlags): Promise<ExitCode> {
  const servers = flags.servers ?? 1;
  if (servers !== 1) {
    io.err(`zksim shell: --servers ${servers}: only a standalone server (--servers 1) is built so far; the ensemble is not built yet\n`);
    return EXIT.badInput;
  }
  let server: Partial<StandaloneConfig> = {};
  if (flags.cfg !== undefined) {
    if (!existsSync(flags.cfg)) {
      io.err(`zksim shell: --cfg ${flags.cfg}: no such file\n`);
      return EXIT.badInput;
    }
    const parsed = parseZooCfg(readFileSync(flags.cfg, "utf8"));
    if (!parsed.ok) {
      io.err(`${flags.cfg}:${parsed.line}: ${parsed.message}\n`);
      return EXIT.badInput;
    }
    server = parsed.cfg;
  }
  const sim = new StandaloneSim({ seed: flags.seed ?? 0, server, host: `127.0.0.1:${server.clientPort ?? 21801}` });
  const shell = new ZkShell(sim.client, (stream, text) => (stream === "out" ? io.out(text) : io.err(text)));
  const terminal = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, terminal, historySize: terminal ? 1000 : 0 });
  const prompt = (): void => {
    if (!terminal) return;
    rl.setPrompt(shell.prompt());
    rl.prompt();
  };
  prompt();
  for await (const line of rl) {
    const args = line.trim().split(/\s+/);
    if (SIMULATOR_COMMANDS.includes(args[0] ?? "")) io.out(simulatorCommand(sim, args));
    else shell.executeLine(line);
    if (shell.exited) break;
    prompt();
  }
  rl.close();
  return EXIT.pass;
}
