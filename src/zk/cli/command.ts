import { cliErrorMessage } from "../errors.js";
import type { AddWatchMode, ClientError, ZkClientApi } from "./client-api.js";

/**
 * The shape every zkCli command has here (`cli/CliCommand`): a name and option string (which make
 * the usage text), and a run that parses the tokens and executes. Output goes through the context,
 * as CliCommand's `out` and `err` PrintStreams; the outcome is what ZooKeeperMain does next.
 */
export type CommandContext = {
  readonly zk: ZkClientApi;
  /** println to stdout. */
  readonly out: (line: string) => void;
  /** print to stdout without a newline (setAcl -R prints its errors so). */
  readonly outRaw: (text: string) => void;
  /** println to stderr. */
  readonly err: (line: string) => void;
  /** State the real command objects keep between runs (one instance each per ZooKeeperMain). */
  readonly sticky: StickyCommandState;
};

/**
 * ZooKeeperMain's CliCommands are singletons with fields, and AddWatchCommand sets `mode` only when
 * `-m` is given: after `addWatch -m PERSISTENT /p`, a plain `addWatch /r` is PERSISTENT too, not
 * the advertised PERSISTENT_RECURSIVE default (transcripts 40, 77).
 */
export type StickyCommandState = { addWatchMode: AddWatchMode };

export type CommandOutcome =
  | { readonly kind: "ok" }
  /** A CliException: ZooKeeperMain prints its message on stderr and carries on. */
  | { readonly kind: "error"; readonly message: string }
  /** An uncaught Java exception: the real zkCli prints this stack trace and exits. */
  | { readonly kind: "crash"; readonly trace: readonly string[] };

export type CliCommand = {
  readonly name: string;
  readonly optionStr: string;
  run(args: readonly string[], ctx: CommandContext): CommandOutcome;
};

export const OK: CommandOutcome = Object.freeze({ kind: "ok" });
export const cliError = (message: string): CommandOutcome => ({ kind: "error", message });

/** CliParseException(getUsageStr()): the command name, a space, the option string. */
export const usageError = (cmd: { readonly name: string; readonly optionStr: string }): CommandOutcome => cliError(`${cmd.name} ${cmd.optionStr}`);

/**
 * How a failed call surfaces: a KeeperException through CliWrapperException's wording, an
 * IllegalArgumentException (bad path) as MalformedPathException, i.e. its bare message.
 */
export const clientErrorMessage = (e: ClientError): string => (e.kind === "keeper" ? cliErrorMessage(e.code, e.path) : e.message);
export const wrapped = (e: ClientError): CommandOutcome => cliError(clientErrorMessage(e));

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();
/** `String.getBytes(UTF_8)` / `new String(bytes, UTF_8)`. */
export const encodeUtf8 = (s: string): Uint8Array => utf8.encode(s);
export const decodeUtf8 = (b: Uint8Array): string => utf8Decoder.decode(b);

/** `List.toString`. */
export const javaList = (xs: readonly string[]): string => `[${xs.join(", ")}]`;
