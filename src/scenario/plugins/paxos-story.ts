/** One-line stories of Paxos-family events, for run summaries. */
import chalk from "chalk";
import type { TraceEvent } from "../../sim/trace.js";

const bal = (v: unknown): string => (Array.isArray(v) ? v.join(".") : String(v));
const q = (v: unknown): string => JSON.stringify(v);

export function describePaxosEvent(e: TraceEvent): string | null {
  const node = String(e["node"]);
  const inst = String(e["inst"]);
  switch (e.type) {
    case "submit":
      return `${node} submits ${q(e["val"])}`;
    case "retry":
      return chalk.yellow(`${node} heard nothing about command ${String(e["cmd"])}: asks ${String(e["to"])} (attempt ${String(e["attempt"])})`);
    case "reply": {
      const text = `${node} hears instance ${inst} chose ${q(e["val"])}`;
      return e["ok"] === true ? chalk.green(`${text}: committed`) : chalk.red(`${text}: its command lost the instance`);
    }
    case "prepare":
      return `${node} runs phase 1 for instance ${inst} with ballot ${bal(e["bal"])}`;
    case "campaign":
      return `${node} campaigns with ballot ${bal(e["bal"])} for every instance from ${String(e["from"])}`;
    case "leader":
      return chalk.cyan(`${node} leads with ballot ${bal(e["bal"])}: re-proposes ${String(e["reproposed"])}, fills ${String(e["noops"])} gap(s) with no-ops`);
    case "step-down":
      return chalk.yellow(`${node} steps down: ballot ${bal(e["by"])} beats its ${bal(e["bal"])}`);
    case "propose":
      return `${node} proposes ${q(e["val"])} for instance ${inst} in ballot ${bal(e["bal"])}`;
    case "preempted":
      return chalk.yellow(`${node} is preempted on instance ${inst}: ballot ${bal(e["by"])} beats its ${bal(e["bal"])}`);
    case "phase-timeout":
      return chalk.yellow(`${node} found no quorum in time for instance ${inst} (ballot ${bal(e["bal"])})`);
    case "chosen":
      return chalk.green(`${node} sees ${q(e["val"])} chosen for instance ${inst} (ballot ${bal(e["bal"])})`);
    case "collision":
      return chalk.red(`${node} sees a collision on instance ${inst}: votes ${(e["votes"] as [string, string][]).map(([a, v]) => `${a}=${v}`).join(" ")}`);
    case "recover":
      return chalk.cyan(`${node} recovers instance ${inst} with ${q(e["val"])} in classic ballot ${bal(e["bal"])}${e["coordinated"] === true ? " (coordinated: no phase 1)" : ""}`);
    case "learn":
      return `${node} learns instance ${inst} = ${q(e["val"])}`;
    default:
      return null;
  }
}
