/** Expectations of a scenario, watched online over the trace and judged at the end of the run. */
import type { Violation } from "../check/checker.js";
import type { TraceEvent } from "../sim/trace.js";
import type { EndReason } from "../sim/world.js";
import type { Expectations } from "./load.js";
import { compilePattern, describePattern } from "./pattern.js";

export interface ExpectationResult {
  readonly ok: boolean;
  /** What was expected, and what happened, in one line. */
  readonly text: string;
}

/** Watches the trace for `trace:` and `noTrace:` patterns. */
export class ExpectationWatch {
  private readonly wanted: { readonly match: (e: TraceEvent) => boolean; readonly text: string; firstIndex: number }[];
  private readonly forbidden: { readonly match: (e: TraceEvent) => boolean; readonly text: string; firstIndex: number }[];

  constructor(private readonly expect: Expectations) {
    this.wanted = expect.trace.map((p) => ({ match: compilePattern(p), text: describePattern(p), firstIndex: -1 }));
    this.forbidden = expect.noTrace.map((p) => ({ match: compilePattern(p), text: describePattern(p), firstIndex: -1 }));
  }

  onEvent(e: TraceEvent, index: number): void {
    for (const w of this.wanted) if (w.firstIndex < 0 && w.match(e)) w.firstIndex = index;
    for (const f of this.forbidden) if (f.firstIndex < 0 && f.match(e)) f.firstIndex = index;
  }

  judge(violations: readonly Violation[], reason: EndReason, metrics: Readonly<Record<string, number>>): ExpectationResult[] {
    const out: ExpectationResult[] = [];
    const found = [...new Set(violations.map((v) => v.invariant))].sort();
    const expected = [...new Set(this.expect.violations)].sort();
    const same = found.length === expected.length && found.every((v, i) => v === expected[i]);
    out.push({
      ok: same,
      text: expected.length === 0 ? `no violation (found: ${found.join(", ") || "none"})` : `violations [${expected.join(", ")}] (found: ${found.join(", ") || "none"})`,
    });
    if (this.expect.endReason !== undefined) {
      out.push({ ok: reason === this.expect.endReason, text: `run ends by ${this.expect.endReason} (ended by ${reason})` });
    } else if (reason === "event-budget" || reason === "time-bound") {
      // Running out of budget is a livelock or a runaway unless the scenario says it expects one.
      out.push({ ok: false, text: `run ends within its budget (ended by ${reason}; expect endReason: ${reason} if that is the story)` });
    }
    for (const w of this.wanted) {
      out.push({ ok: w.firstIndex >= 0, text: `trace has ${w.text}${w.firstIndex >= 0 ? ` (event ${w.firstIndex})` : " (never seen)"}` });
    }
    for (const f of this.forbidden) {
      out.push({ ok: f.firstIndex < 0, text: `trace never has ${f.text}${f.firstIndex >= 0 ? ` (seen at event ${f.firstIndex})` : ""}` });
    }
    for (const [name, b] of Object.entries(this.expect.metrics)) {
      const v = metrics[name];
      const bounds = [b.min !== undefined ? `>= ${b.min}` : "", b.max !== undefined ? `<= ${b.max}` : "", b.equals !== undefined ? `= ${b.equals}` : ""]
        .filter(Boolean)
        .join(" and ");
      const ok = v !== undefined && (b.min === undefined || v >= b.min) && (b.max === undefined || v <= b.max) && (b.equals === undefined || v === b.equals);
      out.push({ ok, text: `metric ${name} ${bounds} (${v === undefined ? "not reported" : `was ${v}`})` });
    }
    return out;
  }
}
