// Every scenario file's expectations hold (benchmarks excepted: they are measured by npm run bench),
// with the trace checked strictly: integers only, every hand-built kernel line equal to the canonical one.
import { describe, expect, it } from "vitest";
import { goldenScenarioFiles } from "../src/cli/golden.js";
import { builtinRegistry } from "../src/scenario/builtins.js";
import { loadScenarioFile } from "../src/scenario/load.js";
import { runScenario } from "../src/scenario/run.js";

describe("scenario files", () => {
  const registry = builtinRegistry();
  for (const file of goldenScenarioFiles()) {
    it(`${file.replace(/^.*scenarios\//, "scenarios/")} meets its expectations`, async () => {
      const r = runScenario(await loadScenarioFile(file, registry), { strictTrace: true });
      expect(r.expectations.filter((x) => !x.ok).map((x) => x.text)).toEqual([]);
      expect(r.result).toBe("pass");
    });
  }
});
