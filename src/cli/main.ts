/** `zksim`: argument parsing and exit codes. Bad input exits 2 with a located message, never a stack. */
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { InputError } from "../scenario/errors.js";
import { builtinRegistry } from "../scenario/builtins.js";
import type { ProtocolPlugin } from "../scenario/plugin.js";
import { VERSION } from "../version.js";
import { listCommand, replayCommand, runCommand, schemaCommand, type Io } from "./commands.js";
import { checkHistoryCommand, modelArg } from "./check-history.js";
import { checkCommand, collectInvariant } from "./check-command.js";
import { countArg, durationArg, fuzzCommand, positiveArg, shardArg, type FuzzFlags } from "./fuzz-command.js";
import { shrinkCommand } from "./shrink-command.js";
import { compareCommand, type CompareFlags } from "./compare-command.js";
import { goldenCommand } from "./golden.js";
import { showcaseCommand } from "./showcase.js";
import { shellCommand, type ShellFlags } from "./shell.js";
import { EXIT, type ExitCode } from "./exit.js";

const io: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

function seedArg(v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new InvalidArgumentError("expected a non-negative integer");
  return Number(v);
}

/** Builds the program; `plugins` adds user protocols (the library's way to reuse this CLI). */
export function program(plugins: readonly ProtocolPlugin<any>[], setExit: (code: ExitCode) => void): Command {
  const registry = builtinRegistry(plugins);
  const p = new Command("zksim")
    .description("Deterministic simulator for ZooKeeper, ZAB, 2PC, 3PC and Paxos: every run replays byte for byte from its seed.")
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  p.command("run")
    .description("run a scenario; ends with: seed=N events=E sim_ms=T trace_sha256=H violations=V result=pass|fail")
    .argument("<scenario>", "a scenario file, or a name from `zksim list`")
    .option("--seed <n>", "seed (default: the scenario's)", seedArg)
    .option("--trace <file>", "write the trace (JSON Lines) to this file")
    .option("--repro-out <file>", "write a repro file that `zksim replay` re-runs exactly")
    .option("--stop-on-violation", "end the run at the first violation")
    .option("--quiet", "print only the final line")
    .option("--json", "print the result as one JSON object, then the final line")
    .option("--report <dir>", "write a report: index.html (space-time diagram), report.md, summary.json, trace.jsonl")
    .action(async (scenario: string, flags) => setExit(await runCommand(io, registry, scenario, flags)));

  p.command("replay")
    .description("re-run a repro file; exit 0 when the trace hash and violations are reproduced exactly")
    .argument("<repro>", "a repro file written by `zksim run --repro-out` or `zksim fuzz`")
    .option("--trace <file>", "write the replayed trace to this file")
    .option("--report <dir>", "write a report of the replay: index.html, report.md, summary.json, trace.jsonl")
    .action(async (repro: string, flags) => setExit(await replayCommand(io, registry, repro, flags)));

  p.command("list")
    .description("list scenarios with a one-line description each")
    .argument("[dir]", "a directory of scenario files (default: the project's scenarios/)")
    .action(async (dir?: string) => setExit(await listCommand(io, registry, dir)));

  p.command("schema")
    .description("print the JSON Schema of scenario files (for editor autocompletion)")
    .action(() => setExit(schemaCommand(io, registry)));

  p.command("check-history")
    .description("check a Jepsen-style history (JSON Lines of invoke/ok/fail/info) for linearizability; exit 0 linearizable, 1 not")
    .argument("<file>", "the history, one event per line")
    .requiredOption("--model <model>", "the object's sequential specification: register | cas-register", modelArg)
    .action((file: string, flags: { model: ReturnType<typeof modelArg> }) => setExit(checkHistoryCommand(io, file, flags.model)));

  p.command("check")
    .description("run a protocol's checkers over a trace file (the protocol comes from its scenario event); exit 0 no violation, 1 violations, 2 bad input")
    .argument("<trace>", "a trace written by `zksim run --trace` (JSON Lines)")
    .option("--invariant <name>", "check only this invariant (repeatable)", collectInvariant, [])
    .action((file: string, flags: { invariant: string[] }) => setExit(checkCommand(io, registry, file, flags.invariant)));

  p.command("fuzz")
    .description("fuzz a scenario over seeds with a seeded nemesis; ends with: runs=N failures=F first_failing_seed=S|none repro=PATH|none")
    .argument("<scenario>", "a scenario file, or a name from `zksim list` (e.g. fuzz/3pc-fuzz)")
    .requiredOption("--runs <n>", "how many seeds, from --seed-start", positiveArg)
    .option("--seed-start <s>", "the first seed (default 0)", seedArg)
    .option("--workers <k>", "worker threads (default: os.availableParallelism()); results do not depend on it", positiveArg)
    .option("--shard <i/n>", "run only the seeds s with (s mod n) + 1 = i", shardArg)
    .option("--time-budget <seconds>", "hand out no more seeds after this much wall time", positiveArg)
    .option("--out <dir>", "where repro files go (default fuzz-out/)")
    .option("--no-shrink", "do not shrink failures")
    .option("--fault-window <duration>", "faults fall in [0, this] (default: 60% of run.until)", durationArg)
    .option("--lost-tail", "let disk faults lose fsynced records (a disk that lies about fsync)")
    .option("--verbose", "print every seed with its drawn fault settings")
    .action(async (scenario: string, flags: FuzzFlags) => setExit(await fuzzCommand(io, registry, scenario, flags, process.stdout.isTTY === true)));

  p.command("shrink")
    .description("shrink a failing repro: fewer faults, a shorter run, fewer transactions, the same failure")
    .argument("<repro>", "a repro file written by `zksim fuzz` or `zksim run --repro-out`")
    .option("--out <file>", "where the shrunk repro goes (default: beside it, .shrunk.json)")
    .action(async (repro: string, flags: { out?: string }) => setExit(await shrinkCommand(io, registry, repro, flags)));

  p.command("compare")
    .description("the protocol lab: 2PC, 3PC, Paxos, Multi-Paxos, Fast Paxos (and ZAB) on the same seeded workload and faults, as a table and a report")
    .option("--protocols <list>", "comma-separated: twopc,threepc,paxos,multipaxos,fastpaxos,zab (default: all)")
    .option("--faults <list>", "comma-separated: none,crash-phase1,crash-phase2,crash-phase3,partition,loss,slow-disk; crash = the three crash sets (default: all)")
    .option("--seeds <k>", "seeds per protocol and fault set (default 10)", positiveArg)
    .option("--seed-start <s>", "the first seed (default 1)", seedArg)
    .option("--nodes <n>", "voters: participants in 2PC/3PC, acceptors in Paxos (default 3)", positiveArg)
    .option("--commands <c>", "commands (transactions) a run (default 20)", positiveArg)
    .option("--workers <w>", "worker threads (default: os.availableParallelism()); results do not depend on it", positiveArg)
    .option("--report <dir>", "write compare.md, index.html (charts) and summary.json")
    .action(async (flags: CompareFlags) => setExit(await compareCommand(io, flags, process.stdout.isTTY === true)));

  p.command("showcase")
    .description("the stories `npm start` tells, each with its report: a ZooKeeper leader dies mid-broadcast and no acknowledged write is lost; 2PC blocks when its coordinator dies, 3PC does not, and 3PC splits under a partition")
    .option("--report <dir>", "where the stories' reports go (default reports/showcase)")
    .action(async (flags: { report?: string }) => setExit(await showcaseCommand(io, registry, flags)));

  p.command("shell")
    .description(
      "zkCli.sh on a simulated ZooKeeper: zkCli commands plus advance MS, crash N, restart N, partition 1,2|3, heal, pause N MS, status, 4lw N WORD; reads stdin",
    )
    .option("--servers <n>", "participants (1: a standalone server; more: an ensemble)", positiveArg)
    .option("--observers <n>", "observers in the ensemble (default 0)", countArg)
    .option("--seed <n>", "seed (default 0)", seedArg)
    .option("--cfg <file>", "zoo.cfg lines for the server (tickTime, min/maxSessionTimeout, clientPort, extendedTypesEnabled, enforceQuota, superDigest)")
    .action(async (flags: ShellFlags) => setExit(await shellCommand(io, flags)));

  p.command("golden", { hidden: true })
    .description("check (or with --update rewrite) the golden trace hash of every scenario")
    .option("--update", "rewrite test/golden/scenario-hashes.json")
    .action(async (flags: { update?: boolean }) => setExit(await goldenCommand(io, registry, flags.update ?? false)));

  return p;
}

export async function main(argv: readonly string[], plugins: readonly ProtocolPlugin<any>[] = []): Promise<ExitCode> {
  let code: ExitCode = EXIT.pass;
  const p = program(plugins, (c) => {
    code = c;
  });
  try {
    await p.parseAsync(argv as string[], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return e.exitCode === 0 ? EXIT.pass : EXIT.badInput;
    }
    if (e instanceof InputError) {
      io.err(`${e.message}\n`);
      return EXIT.badInput;
    }
    throw e;
  }
}
