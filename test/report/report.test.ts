// The report's files: a self-contained page whose diagram draws every message, a violation link
// that lands on an element, and the PR and JSON summaries carrying the verdict.
import { describe, expect, it } from "vitest";
import { builtinRegistry } from "../../src/scenario/builtins.js";
import { loadScenarioFile } from "../../src/scenario/load.js";
import { runScenario, type ScenarioRunResult } from "../../src/scenario/run.js";
import { REPORT_FILES, REPORT_MAX_MESSAGES } from "../../src/report/files.js";
import { renderReport } from "../../src/report/report.js";
import { timelineOf, TimelineBuilder } from "../../src/report/timeline.js";
import { renderDiagram } from "../../src/report/svg.js";
import type { TraceEvent } from "../../src/sim/trace.js";
import { ROOT } from "../cli/cli-helpers.js";

const finalLineOf = (r: ScenarioRunResult): string =>
  `seed=${r.seed} events=${r.summary.events} trace_sha256=${r.summary.sha256 ?? "none"} violations=${r.violations.length} result=${r.result}`;

async function reportOf(name: string) {
  const scenario = await loadScenarioFile(`${ROOT}/scenarios/${name}.yaml`, builtinRegistry([]));
  const timeline = new TimelineBuilder();
  const run = runScenario(scenario, { sink: { kind: "memory" }, observer: timeline.onEvent });
  const events = (run.lines ?? []).map((l) => JSON.parse(l) as TraceEvent);
  const input = { source: "run" as const, run, timeline: timeline.finish(), finalLine: finalLineOf(run) };
  return { run, events, input, ...renderReport(input) };
}

describe("report of 3pc-partition", async () => {
  const { run, events, texts, diagram } = await reportOf("3pc-partition");
  const html = texts["index.html"];

  it("is one self-contained page: nothing fetched from the network", () => {
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i);
    expect(html).toContain("<svg");
    expect(html).toContain("<script>");
  });

  it("draws one arrow per delivered message and one per drop", () => {
    const recvs = events.filter((e) => e.type === "recv").length;
    const drops = events.filter((e) => e.type === "drop").length;
    expect(recvs).toBeGreaterThan(0);
    expect(drops).toBeGreaterThan(0);
    expect(diagram.arrows).toBe(recvs);
    expect(diagram.drops).toBe(drops);
    expect(html.match(/<g class="msg"/g)?.length).toBe(recvs);
    expect(html.match(/<g class="msg drop"/g)?.length).toBe(drops);
  });

  it("offers a filter checkbox per message type", () => {
    const types = new Set(events.filter((e) => e.type === "send").map((e) => (e["msg"] as { type: string }).type));
    expect(diagram.messageTypes).toEqual([...types].sort());
    for (const t of types) expect(html).toContain(`data-filter="${t}"`);
  });

  it("links the violation to an element of the diagram, beside its one-line message", () => {
    expect(run.violations).toHaveLength(1);
    const m = /<a href="#([^"]+)" data-target="([^"]+)" data-event="(\d+)" data-t="\d+">/.exec(html);
    expect(m).not.toBeNull();
    const id = m?.[1] ?? "";
    expect(m?.[2]).toBe(id);
    expect(html.match(new RegExp(`id="${id}"`, "g"))?.length).toBe(1);
    expect(html).toContain("tx 1: p2 decided abort (event 75) but p1 decided commit");
    // The proving event (p1's commit decision) is a labelled dot that the link also highlights.
    expect(html).toContain(`id="ev-${run.violations[0]?.eventIndex}"`);
  });

  it("shades the crash and the partitions, and labels protocol events", () => {
    expect(html).toMatch(/<rect class="crash"/);
    expect(html.match(/<rect class="band"/g)?.length).toBe(2);
    expect(html).toMatch(/decide abort tx=1 via=termination/);
    expect(html).toMatch(/precommit tx=1/);
  });

  it("report.md carries the final line and the violation", () => {
    const md = texts["report.md"];
    expect(md).toContain(finalLineOf(run));
    expect(md).toContain("**atomicity** at event 81");
    expect(md).toContain("tx 1: p2 decided abort (event 75) but p1 decided commit");
  });

  it("summary.json parses and has the verdict, seed and trace hash", () => {
    const s = JSON.parse(texts["summary.json"]) as Record<string, unknown>;
    expect(s).toMatchObject({ scenario: "3pc-partition", result: "pass", seed: 1, traceSha256: run.summary.sha256, files: [...REPORT_FILES] });
    expect(s["traceSha256"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is the same bytes every time (no clock, no host)", async () => {
    const again = await reportOf("3pc-partition");
    expect(again.texts).toEqual(texts);
  });
});

describe("large runs", () => {
  it("draws a window past the message limit and says so", () => {
    const n = REPORT_MAX_MESSAGES + 500;
    const events: TraceEvent[] = [{ t: 0, type: "scenario", name: "big", nodes: ["a", "b"], protocol: "x", seed: 1 }];
    for (let i = 0; i < n; i++) {
      events.push({ t: 10 * i, type: "send", from: "a", id: i, msg: { type: "PING" }, to: "b" });
      events.push({ t: 10 * i + 5, type: "recv", from: "a", id: i, to: "b" });
      if (i === 15_000) events.push({ t: 10 * i + 5, type: "violation", at: events.length - 1, invariant: "inv", message: "boom", nodes: ["b"] });
    }
    const tl = timelineOf(events);
    expect(tl.windowed).toBe(true);
    expect(tl.messages).toBe(n);
    const d = renderDiagram(tl, [{ invariant: "inv", eventIndex: 30_002, t: 150_005, nodes: ["b"], message: "boom" }]);
    expect(d.arrows).toBeLessThan(3_000);
    expect(d.arrows).toBeGreaterThan(2_000);
    expect(d.svg).toContain("events not drawn");
    expect(d.svg).toContain('id="violation-0"');
    expect(d.svg).toContain("VIOLATION inv: boom");
  });
});
