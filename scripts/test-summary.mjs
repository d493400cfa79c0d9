// Prints the suite's closing line in the plain form any CI reads: "N passed, N failed, N skipped".
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? "reports/vitest-results.json";
const r = JSON.parse(readFileSync(file, "utf8"));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
process.stdout.write(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped\n`);
process.exitCode = r.numFailedTests === 0 && r.numTotalTests > 0 ? 0 : 1;
