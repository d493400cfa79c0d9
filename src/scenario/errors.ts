/** Bad input, located: the file, the line and column, the field, and what was expected. */
export interface Located {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly field: string | null;
  readonly message: string;
}

export function formatLocated(e: Located): string {
  const where = e.field ? `${e.field}: ` : "";
  return `${e.file}:${e.line}:${e.col}: ${where}${e.message}`;
}

/**
 * Thrown at input boundaries (scenario, repro, trace and history files, CLI arguments); the CLI
 * prints every error it carries, one per line, and exits 2 without a stack trace.
 */
export class InputError extends Error {
  override readonly name = "InputError";
  readonly errors: readonly Located[];
  constructor(errors: readonly Located[]) {
    super(errors.map(formatLocated).join("\n"));
    this.errors = errors;
  }
  static at(file: string, message: string, line = 1, col = 1, field: string | null = null): InputError {
    return new InputError([{ file, line, col, field, message }]);
  }
}
