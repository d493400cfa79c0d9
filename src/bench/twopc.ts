/** The 2PC throughput workload: many back-to-back transactions, no faults, trace on. */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export function twopcThroughputScenario(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ["../..", "../../.."]) {
    const p = join(here, up, "scenarios/bench/2pc-throughput.yaml");
    if (existsSync(p)) return p;
  }
  throw new Error("scenarios/bench/2pc-throughput.yaml is missing");
}
