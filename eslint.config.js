// Lint rules that keep the simulator honest: nothing in the simulated world reads the host's clock,
// randomness, environment or timers, keeps module-level mutable state, or awaits (microtask order
// would be a hidden scheduler). The CLI's progress display and the bench harness are the only
// places allowed to touch the host.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const HOST = "reads the host: go through the simulation context (ctx.now(), ctx.random, ctx.setTimer) instead";

const determinism = {
  "no-restricted-properties": [
    "error",
    { object: "Math", property: "random", message: `Math.random ${HOST}` },
    { object: "Date", property: "now", message: `Date.now ${HOST}` },
    { object: "performance", property: "now", message: `performance.now ${HOST}` },
    { object: "process", property: "hrtime", message: `process.hrtime ${HOST}` },
    { object: "process", property: "env", message: `process.env ${HOST}` },
    { object: "crypto", property: "randomUUID", message: `crypto.randomUUID ${HOST}` },
    { object: "crypto", property: "getRandomValues", message: `crypto.getRandomValues ${HOST}` },
  ],
  "no-restricted-globals": [
    "error",
    { name: "setTimeout", message: `setTimeout ${HOST}` },
    { name: "setInterval", message: `setInterval ${HOST}` },
    { name: "setImmediate", message: `setImmediate ${HOST}` },
    { name: "queueMicrotask", message: `queueMicrotask ${HOST}` },
    { name: "performance", message: `performance ${HOST}` },
  ],
  "no-restricted-imports": [
    "error",
    { paths: [{ name: "node:timers", message: HOST }, { name: "node:perf_hooks", message: HOST }], patterns: [{ group: ["node:worker_threads"], message: "only the fuzz worker pool may use threads" }] },
  ],
  "no-restricted-syntax": [
    "error",
    { selector: "NewExpression[callee.name='Date']", message: `new Date() ${HOST}` },
    { selector: "Program > VariableDeclaration[kind='let']", message: "no module-level `let`: state that outlives one run breaks the next (a fuzz worker runs many worlds)" },
    { selector: "Program > ExportNamedDeclaration > VariableDeclaration[kind='let']", message: "no module-level `let`" },
    { selector: "Program > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet|Array)$/]", message: "no module-level mutable collection (a cache or singleton outlives a run)" },
    { selector: "Program > ExportNamedDeclaration > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet|Array)$/]", message: "no module-level mutable collection" },
  ],
};

const pure = {
  "no-restricted-syntax": [
    ...determinism["no-restricted-syntax"],
    { selector: ":function[async=true]", message: "no async in protocol or kernel code: the kernel's queue is the only scheduler" },
    { selector: "AwaitExpression", message: "no await in protocol or kernel code" },
  ],
};

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "reports/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  { files: ["src/**/*.ts", "examples/**/*.ts"], rules: determinism },
  { files: ["src/sim/**/*.ts", "src/protocols/**/*.ts", "src/zk/**/*.ts", "src/check/**/*.ts", "examples/**/protocol.ts"], rules: pure },
  // The only places that may read the host: the progress display and the benchmark harness.
  { files: ["src/cli/progress.ts", "src/bench/**/*.ts"], rules: { "no-restricted-properties": "off", "no-restricted-globals": "off", "no-restricted-imports": "off" } },
  { files: ["src/fuzz/pool.ts", "src/fuzz/worker.ts"], rules: { "no-restricted-imports": "off" } },
  { files: ["scripts/**/*.mjs"], languageOptions: { globals: { process: "readonly", console: "readonly" } } },
);
