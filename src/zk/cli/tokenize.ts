/**
 * `ZooKeeperMain.MyCommandOptions.parseCommand`: the line is scanned with ARGS_PATTERN
 * `\s*([^"']\S*|"[^"]*"|'[^']*')\s*` (Java's \s is ASCII whitespace only), and a token wrapped in
 * matching quotes loses them (QUOTED_PATTERN). An unclosed quote matches nothing, so the scan resumes
 * after it: `"a b` gives `a` and `b`. Returns null when no token was found, in which case zkCli keeps
 * the previous command and runs it again (transcript 26).
 */
const WS = "[ \\t\\n\\x0B\\f\\r]";
const NON_WS = "[^ \\t\\n\\x0B\\f\\r]";
/** Java's `.` without DOTALL excludes the line terminators. */
const QUOTED = /^(['"])([^\n\r\u0085\u2028\u2029]*)\1$/;

export function tokenize(line: string): string[] | null {
  const re = new RegExp(`${WS}*([^"']${NON_WS}*|"[^"]*"|'[^']*')${WS}*`, "g");
  const args: string[] = [];
  for (const m of line.matchAll(re)) {
    const value = m[1] ?? "";
    args.push(QUOTED.test(value) ? value.slice(1, -1) : value);
  }
  return args.length === 0 ? null : args;
}
