/** Exit codes everywhere (DESIGN.md): scripts and CI depend on them. */
export const EXIT = { pass: 0, fail: 1, badInput: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
