/** `zksim shrink <repro> [--out FILE]`: a smaller repro that fails the same way, written beside the original. */
import { loadRepro, writeRepro } from "../fuzz/repro.js";
import { shrunkPath } from "../fuzz/campaign.js";
import { formatSizes, shrinkRepro } from "../fuzz/shrink.js";
import type { ProtocolRegistry } from "../scenario/plugin.js";
import type { Io } from "./commands.js";
import { EXIT, type ExitCode } from "./exit.js";

export async function shrinkCommand(io: Io, registry: ProtocolRegistry, path: string, flags: { out?: string }): Promise<ExitCode> {
  const repro = await loadRepro(path, registry);
  const out = flags.out ?? shrunkPath(path);
  const r = await shrinkRepro(repro.file, path, out, registry);
  writeRepro(out, r.repro);
  io.out(`kept the failure: ${r.failure} (${r.runs} runs)\n`);
  io.out(`before: faults=${r.before.faults} until_ms=${Math.ceil(r.before.untilUs / 1_000)} transactions=${r.before.transactions ?? "-"} events=${r.before.events}\n`);
  io.out(`after:  faults=${r.after.faults} until_ms=${Math.ceil(r.after.untilUs / 1_000)} transactions=${r.after.transactions ?? "-"} events=${r.after.events}\n`);
  io.out(`${formatSizes(r.before, r.after)} repro=${out}\n`);
  return EXIT.pass;
}
