/**
 * The part of commons-cli 1.4's `DefaultParser` that zkCli's commands use: single-letter options,
 * with or without one value, parsed anywhere on the line (stopAtNonOption is false), `--` ending the
 * options. A ParseException comes back as the text zkCli prints for it: CliParseException wraps it,
 * so `Throwable.toString` gives the class name before the message.
 */
export type OptionSpec = Readonly<Record<string, { readonly hasArg: boolean }>>;

export type ParsedLine = {
  /** Non-option tokens, the command name first (`CommandLine.getArgs`). */
  readonly args: readonly string[];
  /** Each option given, with its values in order (a repeated option collects them all). */
  readonly options: ReadonlyMap<string, readonly string[]>;
};

/**
 * An `OptionGroup`: at most one member per line (AlreadySelectedException), and with `required`
 * at least one (MissingOptionException, which names the group by its `toString`).
 */
export type OptionGroupSpec = {
  readonly members: readonly { readonly name: string; readonly description: string }[];
  readonly required: boolean;
};

export type ParseOutcome = { readonly ok: true; readonly line: ParsedLine } | { readonly ok: false; readonly message: string };

const unrecognized = (token: string): ParseOutcome => ({
  ok: false,
  message: `org.apache.commons.cli.UnrecognizedOptionException: Unrecognized option: ${token}`,
});
const missingArgument = (opt: string): ParseOutcome => ({
  ok: false,
  message: `org.apache.commons.cli.MissingArgumentException: Missing argument for option: ${opt}`,
});

/** `Double.parseDouble` accepts it (DefaultParser.isNegativeNumber only asks of "-" tokens). */
const JAVA_DOUBLE = /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)$/;

/** `Util.stripLeadingAndTrailingQuotes` (1.4): one pair of double quotes with none inside. */
function stripQuotes(s: string): string {
  return s.length > 1 && s.startsWith('"') && s.endsWith('"') && !s.slice(1, -1).includes('"') ? s.slice(1, -1) : s;
}

export function parseOptions(spec: OptionSpec, tokens: readonly string[], group?: OptionGroupSpec): ParseOutcome {
  const has = (name: string): boolean => Object.hasOwn(spec, name);
  const args: string[] = [];
  const options = new Map<string, string[]>();
  /**
   * The occurrence being parsed: commons-cli clones the Option per occurrence, so a repeated `-v`
   * takes its own value (`start`: how many values earlier occurrences gave); getOptionValue is the first.
   */
  type Pending = { name: string; values: string[]; start: number };
  const st: { current: Pending | null } = { current: null };
  let skipParsing = false;

  const isShortOption = (token: string): boolean => {
    if (!token.startsWith("-") || token.length === 1) return false;
    const pos = token.indexOf("=");
    const name = pos === -1 ? token.slice(1) : token.slice(1, pos);
    return has(name) || (name.length > 0 && has(name.charAt(0)));
  };
  const isArgument = (token: string): boolean => !isShortOption(token) || JAVA_DOUBLE.test(token.trim());
  const acceptsArg = (c: Pending): boolean => (spec[c.name]?.hasArg ?? false) && c.values.length === c.start;

  const inGroup = (name: string): boolean => group?.members.some((m) => m.name === name) ?? false;
  const grp: { selected: string | null; error: string | null } = { selected: null, error: null };

  /**
   * handleOption: a pending option that still needs its value is an error first; then the option's
   * group records it (updateRequiredOptions).
   */
  const handleOption = (name: string): string | null => {
    if (st.current !== null && acceptsArg(st.current)) return st.current.name;
    if (inGroup(name)) {
      if (grp.selected !== null && grp.selected !== name) {
        grp.error =
          "org.apache.commons.cli.AlreadySelectedException: The option '" +
          name +
          "' was specified but an option from this group has already been selected: '" +
          grp.selected +
          "'";
        return "";
      }
      grp.selected = name;
    }
    const values = options.get(name) ?? [];
    options.set(name, values);
    st.current = spec[name]?.hasArg === true ? { name, values, start: values.length } : null;
    return null;
  };

  for (const token of tokens) {
    if (skipParsing) {
      args.push(token);
    } else if (token === "--") {
      skipParsing = true;
    } else if (st.current !== null && acceptsArg(st.current) && isArgument(token)) {
      st.current.values.push(stripQuotes(token));
    } else if (token.startsWith("--")) {
      return unrecognized(token); // no zkCli option has a long name
    } else if (token.startsWith("-") && token !== "-") {
      const t = token.slice(1);
      const pos = t.indexOf("=");
      if (t.length === 1 || (pos === -1 && has(t))) {
        if (!has(t)) return unrecognized(token);
        const missing = handleOption(t);
        if (missing !== null) return grp.error !== null ? { ok: false, message: grp.error } : missingArgument(missing);
      } else if (pos === -1) {
        // handleConcatenatedOptions: -sw, or -t5 (the rest is the value).
        for (let i = 1; i < token.length; i++) {
          const ch = token.charAt(i);
          if (!has(ch)) return unrecognized(token);
          const missing = handleOption(ch);
          if (missing !== null) return grp.error !== null ? { ok: false, message: grp.error } : missingArgument(missing);
          const c = st.current;
          if (c !== null && i + 1 !== token.length) {
            c.values.push(token.slice(i + 1));
            break;
          }
        }
      } else {
        const name = t.slice(0, pos);
        if (name.length !== 1 || spec[name]?.hasArg !== true) return unrecognized(token);
        const missing = handleOption(name);
        if (missing !== null) return grp.error !== null ? { ok: false, message: grp.error } : missingArgument(missing);
        options.get(name)?.push(t.slice(pos + 1));
        st.current = null;
      }
    } else {
      args.push(token);
    }
    if (st.current !== null && !acceptsArg(st.current)) st.current = null;
  }
  const pending = st.current;
  if (pending !== null && acceptsArg(pending)) return missingArgument(pending.name);
  if (group?.required === true && grp.selected === null) {
    const members = group.members.map((m) => `-${m.name} ${m.description}`).join(", ");
    return { ok: false, message: `org.apache.commons.cli.MissingOptionException: Missing required option: [${members}]` };
  }
  return { ok: true, line: { args, options } };
}

/** `CommandLine.getOptionValue`: the first value given. */
export const optionValue = (line: ParsedLine, name: string): string | undefined => line.options.get(name)?.[0];
export const hasOption = (line: ParsedLine, name: string): boolean => line.options.has(name);
