/** One-line stories of atomic-commit events, for run summaries. */
import chalk from "chalk";
import type { TraceEvent } from "../../sim/trace.js";

export function describeTxnEvent(e: TraceEvent): string | null {
  const node = String(e["node"]);
  const tx = String(e["tx"]);
  switch (e.type) {
    case "tx-begin":
      return `${node} begins tx ${tx}`;
    case "vote":
      return `${node} votes ${String(e["vote"])} on tx ${tx} (logged)`;
    case "precommit":
      return `${node} precommitted tx ${tx}`;
    case "blocked":
      return chalk.yellow(`${node} is blocked on tx ${tx}: prepared, holding locks, no decision`);
    case "decide": {
      const text = `${node} decides ${String(e["decision"])} on tx ${tx} (via ${String(e["via"])})`;
      return e["decision"] === "commit" ? chalk.green(text) : chalk.red(text);
    }
    default:
      return null;
  }
}
