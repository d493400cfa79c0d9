import { isAlive, watchedEventText, type WatchedEvent, type ZkClientApi } from "./client-api.js";
import type { CommandContext, CommandOutcome } from "./command.js";
import { findCliCommand, isKnownCommand, usageLines } from "./command-table.js";
import { chrootError } from "../client/connect-string.js";
import { connectChrootCrash, redoDecodeCrash } from "./java-crash.js";
import { javaDecodeInt } from "./java-numbers.js";
import { tokenize } from "./tokenize.js";

export type ShellStream = "out" | "err";
/** Where the shell writes, as raw text per stream (a newline ends each println). */
export type ShellSink = (stream: ShellStream, text: string) => void;

/**
 * zkCli's interactive loop (`ZooKeeperMain`): history, redo, printwatches, connect and quit are its
 * own; everything else goes to a CliCommand when the session is alive, else `Not connected`. The
 * previous command is kept when a line yields no token, so such a line runs it again.
 */
export class ZkShell {
  private readonly zk: ZkClientApi;
  private readonly sink: ShellSink;
  private readonly history = new Map<number, string>();
  private commandCount = 0;
  private printWatches = true;
  private current: readonly string[] | null = null;
  private ended = false;
  private readonly ctx: CommandContext;

  constructor(zk: ZkClientApi, sink: ShellSink) {
    this.zk = zk;
    this.sink = sink;
    this.ctx = {
      zk,
      out: (line) => sink("out", `${line}\n`),
      outRaw: (text) => sink("out", text),
      err: (line) => sink("err", `${line}\n`),
      sticky: { addWatchMode: "PERSISTENT_RECURSIVE" },
    };
    zk.setDefaultWatcher((e) => this.onEvent(e));
  }

  /** True once `quit` ran or the real zkCli would have died; later lines are ignored. */
  get exited(): boolean {
    return this.ended;
  }

  /** `ZooKeeperMain.getPrompt`. */
  prompt(): string {
    return `[zk: ${this.zk.host}(${this.zk.state()}) ${this.commandCount}] `;
  }

  /** MyWatcher.process: printMessage prints a newline before each of its two lines. */
  private onEvent(e: WatchedEvent): void {
    if (!this.printWatches) return;
    this.sink("out", "\nWATCHER::\n");
    this.sink("out", `\n${watchedEventText(e)}\n`);
  }

  /** `ZooKeeperMain.executeLine`: an empty line is skipped and not counted. */
  executeLine(line: string): void {
    if (this.ended || line === "") return;
    const tokens = tokenize(line);
    if (tokens !== null) this.current = tokens;
    this.history.set(this.commandCount, line);
    this.processCmd();
    this.commandCount++;
  }

  private processCmd(): void {
    const args = this.current;
    if (args === null) {
      // No command has ever parsed: MyCommandOptions.getArgArray dereferences a null list.
      this.crash([
        'Exception in thread "main" java.lang.NullPointerException: Cannot invoke "java.util.List.toArray(Object[])" because "this.cmdArgs" is null',
      ]);
      return;
    }
    const outcome = this.processZkCmd(args);
    switch (outcome.kind) {
      case "ok":
        return;
      case "error":
        this.ctx.err(outcome.message);
        return;
      case "crash":
        this.crash(outcome.trace);
        return;
    }
  }

  private crash(trace: readonly string[]): void {
    for (const l of trace) this.ctx.err(l);
    this.ended = true;
  }

  private processZkCmd(args: readonly string[]): CommandOutcome {
    const cmd = args[0] ?? "";
    if (!isKnownCommand(cmd)) {
      usageLines().forEach((l) => this.ctx.err(l));
      // CommandNotFoundException prefixes "Command not found: " to the message it is given.
      return { kind: "error", message: `Command not found: Command not found ${cmd}` };
    }
    if (cmd === "quit") {
      this.zk.close();
      this.ended = true;
      return { kind: "ok" };
    } else if (cmd === "redo" && args.length >= 2) {
      const text = args[1] ?? "";
      const i = javaDecodeInt(text);
      if (i === null) return { kind: "crash", trace: redoDecodeCrash(text) };
      if (this.commandCount <= i || i < 0) return { kind: "error", message: "Command index out of range" };
      const line = this.history.get(i) ?? "";
      const tokens = tokenize(line);
      if (tokens !== null) this.current = tokens;
      if (this.current?.[0] === "redo") return { kind: "error", message: "No redoing redos" };
      this.history.set(this.commandCount, line);
      this.processCmd();
      if (this.ended) return { kind: "ok" };
    } else if (cmd === "history") {
      for (let i = this.commandCount - 10; i <= this.commandCount; ++i) {
        if (i >= 0) this.ctx.out(`${i} - ${this.history.get(i) ?? "null"}`);
      }
    } else if (cmd === "printwatches") {
      if (args.length === 1) this.ctx.out(`printwatches is ${this.printWatches ? "on" : "off"}`);
      else this.printWatches = args[1] === "on";
    } else if (cmd === "connect") {
      const host = args.length >= 2 ? (args[1] ?? "") : this.zk.host;
      const badChroot = chrootError(host);
      if (badChroot !== null) {
        this.zk.close();
        return { kind: "crash", trace: connectChrootCrash(badChroot) };
      }
      this.zk.connect(host);
    }
    if (!isAlive(this.zk.state())) {
      this.ctx.out("Not connected");
      return { kind: "ok" };
    }
    const cli = findCliCommand(cmd);
    return cli === undefined ? { kind: "ok" } : cli.run(args, this.ctx);
  }
}
