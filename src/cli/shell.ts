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
import { EnsembleSim } from "../zk/quorum/ensemble-sim.js";
import type { StandaloneConfig } from "../zk/server/standalone-server.js";
import { FOUR_LETTER_WORDS } from "../zk/server/four-letter-words.js";
import { parseZooCfg } from "../zk/server/zoo-cfg.js";
import type { Io } from "./commands.js";
import { EXIT, type ExitCode } from "./exit.js";

export type ShellFlags = { readonly servers?: number; readonly observers?: number; readonly seed?: number; readonly cfg?: string };

export const SIMULATOR_COMMANDS: readonly string[] = Object.freeze(["advance", "crash", "restart", "status", "4lw", "partition", "heal", "pause"]);

/** The words the usage line lists: those the server answers as the real one does (`stmk MASK` sets the trace mask). */
const WORDS = FOUR_LETTER_WORDS.join(", ");

/** The word and, for stmk, its mask: everything after the server number. */
const wordOf = (args: readonly string[]): string | undefined => (args.length > 2 ? args.slice(2).join(" ") : undefined);

const isCount = (a: string | undefined): a is string => a !== undefined && /^\d+$/.test(a) && Number.isSafeInteger(Number(a));

/** A fixed-column table, wide enough for every value a column takes, so it reads the same whatever it shows. */
function table(rows: readonly (readonly string[])[], widths: readonly number[]): string {
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("").trimEnd()).join("\n") + "\n";
}

/** Simulator commands against an ensemble (`zksim shell --servers N`). */
export function ensembleCommand(sim: EnsembleSim, args: readonly string[]): string {
  const [cmd, a1, a2] = args;
  const sids = sim.sids;
  const sidOf = (a: string | undefined): number | string => {
    if (a !== undefined && /^\d+$/.test(a) && sids.includes(Number(a))) return Number(a);
    return `no server ${a ?? "(missing)"}: this ensemble has servers ${sids.join(", ")}\n`;
  };
  switch (cmd) {
    case "advance":
      if (!isCount(a1)) return "usage: advance MS (a non-negative integer of virtual milliseconds)\n";
      sim.advance(Number(a1));
      return "";
    case "crash":
    case "restart": {
      const sid = sidOf(a1);
      if (typeof sid === "string") return sid;
      if (cmd === "crash") {
        if (!sim.alive(sid)) return `server ${sid} is already down\n`;
        sim.crash(sid);
      } else {
        if (sim.alive(sid)) return `server ${sid} is running; crash it first\n`;
        sim.restart(sid);
      }
      return "";
    }
    case "pause": {
      const sid = sidOf(a1);
      if (typeof sid === "string") return sid;
      if (!isCount(a2)) return "usage: pause N MS (server N stops the world for MS virtual milliseconds)\n";
      sim.pause(sid, Number(a2));
      return "";
    }
    case "heal":
      sim.heal();
      return "";
    case "partition": {
      const spec = args.slice(1).join("");
      const usage = "usage: partition 1,2|3 (sides that cannot reach each other) or partition 1->2,3 (messages from 1 to 2 and 3 are lost)\n";
      const list = (t: string): number[] | null => {
        const out = t.split(",").map((x) => sidOf(x.trim()));
        return out.every((x): x is number => typeof x === "number") && out.length > 0 ? out : null;
      };
      if (spec.includes("->")) {
        const [from, to] = spec.split("->", 2).map((t) => list(t ?? ""));
        if (from == null || to == null) return usage;
        sim.oneWay(from, to);
        return "";
      }
      const sides = spec.split("|").map(list);
      if (sides.length < 2 || sides.some((x) => x === null)) return usage;
      sim.partition(sides as number[][]);
      return "";
    }
    case "status": {
      const roles: Record<string, string> = { LEADING: "leader", FOLLOWING: "follower", OBSERVING: "observer", LOOKING: "looking", DOWN: "down" };
      const rows = [["server", "role", "phase", "epoch", "last zxid", "committed zxid"]];
      for (const st of sim.status()) {
        rows.push([String(st.sid), roles[st.state] ?? st.state, st.alive ? st.phase.toLowerCase() : "-", st.alive ? String(st.epoch) : "-", st.lastZxid, st.committedZxid]);
      }
      return table(rows, [8, 10, 17, 7, 14, 14]);
    }
    case "4lw": {
      const sid = sidOf(a1);
      if (typeof sid === "string") return sid;
      const word = wordOf(args);
      if (word === undefined) return `usage: 4lw N WORD (${WORDS})\n`;
      const answer = sim.fourLetterWord(sid, word);
      if (answer === null) return `server ${sid} is down: connection refused\n`;
      return answer.endsWith("\n") ? answer : `${answer}\n`;
    }
    default:
      return `unknown simulator command ${cmd ?? ""}\n`;
  }
}

/** Runs one simulator command; returns the text to print. */
export function simulatorCommand(sim: StandaloneSim, args: readonly string[]): string {
  const [cmd, a1] = args;
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
    case "partition":
    case "heal":
    case "pause":
      return `${cmd}: this shell runs one standalone server; start it with --servers 3 for an ensemble\n`;
    case "4lw": {
      if (server() !== null) return server() as string;
      const word = wordOf(args);
      if (word === undefined) return `usage: 4lw 1 WORD (${WORDS})\n`;
      const answer = sim.fourLetterWord(word);
      if (answer === null) return "server 1 is down: connection refused\n";
      return answer.endsWith("\n") ? answer : `${answer}\n`;
    }
    default:
      return `unknown simulator command ${cmd ?? ""}\n`;
  }
}

export async function shellCommand(io: Io, flags: ShellFlags): Promise<ExitCode> {
  const servers = flags.servers ?? 1;
  const observers = flags.observers ?? 0;
  if (!Number.isSafeInteger(servers) || servers < 1 || servers > 15 || !Number.isSafeInteger(observers) || observers < 0 || observers > 15) {
    io.err(`zksim shell: --servers ${servers} --observers ${observers}: expected 1 to 15 servers and 0 to 15 observers\n`);
    return EXIT.badInput;
  }
  if (servers > 1 || observers > 0) {
    if (flags.cfg !== undefined) {
      io.err("zksim shell: --cfg applies to the standalone server (--servers 1); an ensemble's zoo.cfg is generated\n");
      return EXIT.badInput;
    }
    const sim = new EnsembleSim({ seed: flags.seed ?? 0, servers, observers });
    const shell = new ZkShell(sim.client, (stream, text) => (stream === "out" ? io.out(text) : io.err(text)));
    return readLines(shell, (args) => ensembleCommand(sim, args), io);
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
  return readLines(shell, (args) => simulatorCommand(sim, args), io);
}

/** The read loop: zkCli lines to the shell, simulator commands to `simulate`; a prompt only on a terminal. */
async function readLines(shell: ZkShell, simulate: (args: readonly string[]) => string, io: Io): Promise<ExitCode> {
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
    if (SIMULATOR_COMMANDS.includes(args[0] ?? "")) io.out(simulate(args));
    else shell.executeLine(line);
    if (shell.exited) break;
    prompt();
  }
  rl.close();
  return EXIT.pass;
}
