/**
 * The time charts' part of the page: the data the page script draws from (compact JSON, embedded),
 * the toolbar of the time window, the list of leader terms, and the latency distribution (drawn
 * here, as it does not change with the window).
 */
import type { Violation } from "../check/checker.js";
import type { ClientOps, LatencyHistogram, OpStats } from "./client-ops.js";
import { esc, fmtUs } from "./escape.js";
import type { Charts } from "./input.js";
import type { Timeline } from "./timeline.js";

/** Contiguous stretches of the run that the space-time diagram draws, as [from, to] times. */
export function drawnSpans(tl: Timeline): [number, number][] {
  const out: [number, number][] = [];
  let prevSeq = -2;
  for (const row of tl.rows) {
    const last = out[out.length - 1];
    if (last !== undefined && row.seq === prevSeq + 1) last[1] = row.e.t;
    else out.push([row.e.t, row.e.t]);
    prevSeq = row.seq;
  }
  return out;
}

/** A string table: values by first appearance, each given its index. */
function interner(): { readonly list: string[]; readonly id: (s: string) => number } {
  const list: string[] = [];
  const ids = new Map<string, number>();
  return {
    list,
    id: (s) => {
      let k = ids.get(s);
      if (k === undefined) {
        k = list.length;
        ids.set(s, k);
        list.push(s);
      }
      return k;
    },
  };
}

/** The JSON the page script reads; arrays of numbers rather than objects keep big runs small. */
export function chartData(c: Charts, tl: Timeline, violations: readonly Violation[]): string {
  const servers = [...c.roles.servers];
  const serverIx = (n: string): number => {
    const k = servers.indexOf(n);
    if (k >= 0) return k;
    servers.push(n);
    return servers.length - 1;
  };
  const states = interner();
  const phases = interner();
  const bands = c.roles.bands.map((b) => [serverIx(b.node), b.from, b.to ?? -1, states.id(b.state), phases.id(b.phase), b.epoch]);
  const downs = c.roles.downs.map((d) => [serverIx(d.node), d.from, d.to ?? -1]);
  // Zxids become ranks: the chart's y axis is the order of every zxid the run drew.
  const all = new Set<string>(["0x0"]);
  for (const s of c.zxids.series) for (const p of s.points) all.add(p.logged).add(p.committed);
  const labels = [...all].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  const rank = new Map(labels.map((z, k) => [z, k]));
  const series = c.zxids.series.map((s) => ({ node: s.node, pts: s.points.flatMap((p) => [p.t, rank.get(p.logged) ?? 0, rank.get(p.committed) ?? 0]) }));
  const names = interner();
  const results = interner();
  const laneIx = new Map(c.ops.lanes.map((l, k) => [`${l.kind} ${l.lane}`, k]));
  const ops = c.ops.drawn.map((o) => [laneIx.get(`${o.kind} ${o.lane}`) ?? 0, names.id(o.op), o.from, o.to, results.id(o.result), o.path ?? ""]);
  const doc = {
    endUs: c.endUs,
    servers,
    states: states.list,
    phases: phases.list,
    bands,
    downs,
    zxid: { labels, series },
    ops: { lanes: c.ops.lanes.map((l) => [l.kind, l.lane]), names: names.list, results: results.list, ops },
    traffic: c.traffic,
    violations: violations.map((v) => [v.t, v.invariant, v.eventIndex]),
    drawn: drawnSpans(tl),
  };
  // Inside <script>, "</" would end the element early; \u003c reads back as the same JSON.
  return JSON.stringify(doc).replace(/</g, "\\u003c");
}

function leaderList(c: Charts): string {
  const terms = c.roles.leaders;
  if (terms.length === 0) return c.roles.servers.length === 0 ? "" : `<p id="leaders" class="note">No server ever led with a quorum in this run.</p>`;
  const items = terms.map((l) => {
    const end = l.to === null ? "the end of the run" : fmtUs(l.to);
    return `<li data-node="${esc(l.node)}" data-epoch="${l.epoch}"><b>${esc(l.node)}</b> led epoch ${l.epoch} from ${fmtUs(l.from)} to ${end}</li>`;
  });
  return `<div class="leaders"><b>Leaders</b> (serving with a quorum): <ol id="leaders">${items.join("")}</ol></div>`;
}

const KIND_TITLE = { client: "client calls (end to end)", server: "requests as servers served them" } as const;

function statsTable(stats: readonly OpStats[]): string {
  const us = (v: number | null): string => (v === null ? "–" : fmtUs(v));
  const rows = stats.map(
    (s) =>
      `<tr class="${s.op === "all" ? "all" : ""}"><td>${esc(s.kind)}</td><td>${esc(s.op)}</td><td class="num">${s.count}</td><td class="num">${s.failed}</td><td class="num">${s.lost}</td><td class="num">${us(s.p50)}</td><td class="num">${us(s.p90)}</td><td class="num">${us(s.p99)}</td><td class="num">${us(s.max)}</td></tr>`,
  );
  return `<table class="stats"><tr><th>seen by</th><th>op</th><th>count</th><th>failed</th><th>lost</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr>${rows.join("")}</table>`;
}

/** A histogram of latencies on power-of-two buckets: ok stacked under failed. */
function histogramSvg(h: LatencyHistogram): string {
  const used = h.ok.map((v, k) => v + (h.failed[k] ?? 0));
  let lo = used.findIndex((v) => v > 0);
  let hi = used.length - 1 - [...used].reverse().findIndex((v) => v > 0);
  if (lo < 0) return "";
  lo = Math.max(0, lo - 1);
  hi = Math.min(used.length - 1, hi + 1);
  const n = hi - lo + 1;
  const bw = Math.max(14, Math.min(36, Math.floor(460 / n)));
  const H = 110;
  const max = Math.max(...used);
  const parts: string[] = [];
  for (let k = lo; k <= hi; k++) {
    const x = 40 + (k - lo) * bw;
    const ok = h.ok[k] ?? 0;
    const bad = h.failed[k] ?? 0;
    const hOk = Math.round((ok * H) / max);
    const hBad = Math.round((bad * H) / max);
    const range = `${fmtUs(2 ** k)}–${fmtUs(2 ** (k + 1))}`;
    if (ok > 0) parts.push(`<rect class="h-ok" x="${x}" y="${10 + H - hOk}" width="${bw - 2}" height="${hOk}"><title>${esc(`${ok} ok in ${range}`)}</title></rect>`);
    if (bad > 0) parts.push(`<rect class="h-bad" x="${x}" y="${10 + H - hOk - hBad}" width="${bw - 2}" height="${hBad}"><title>${esc(`${bad} failed in ${range}`)}</title></rect>`);
    if ((k - lo) % 2 === 0) parts.push(`<text class="hx" x="${x}" y="${H + 24}">${esc(shortUs(2 ** k))}</text>`);
  }
  const w = 40 + n * bw + 30;
  return `<figure class="hist"><figcaption>${esc(KIND_TITLE[h.kind])}</figcaption><svg class="histogram" data-kind="${h.kind}" width="${w}" height="${H + 32}" viewBox="0 0 ${w} ${H + 32}"><text class="hx" x="0" y="18">${max}</text><line class="axis" x1="38" y1="${10 + H}" x2="${w - 20}" y2="${10 + H}"/>${parts.join("")}</svg></figure>`;
}

/** A bucket edge in a few characters: 64µs, 2ms, 1s. */
function shortUs(us: number): string {
  if (us >= 1_000_000 && us % 1_000_000 === 0) return `${us / 1_000_000}s`;
  if (us >= 1_000_000) return `${Math.floor(us / 100_000) / 10}s`;
  if (us >= 1_000) return `${Math.floor(us / 1_000)}ms`;
  return `${us}µs`;
}

function latencySection(ops: ClientOps): string {
  if (ops.stats.length === 0) return "";
  const thinned = (["client", "server"] as const)
    .filter((k) => ops.stride[k] > 1)
    .map((k) => `${KIND_TITLE[k]}: 1 in ${ops.stride[k]} of ${ops.total[k]} drawn, every failed one up to a limit`);
  return `<section class="card wide" id="latency"><h2>Operation latencies</h2>
<p>Each answered operation counts; failed ones are stacked in red above the successes of the same bucket (buckets double: 2<sup>k</sup> µs). Lost: no answer came (the server crashed, the run ended).${thinned.length > 0 ? ` The timeline draws a sample: ${esc(thinned.join("; "))}.` : ""}</p>
<div class="hists">${ops.histograms.map(histogramSvg).join("")}</div>
${statsTable(ops.stats)}</section>`;
}

const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The time-charts section (with its toolbar and data), the leaders and the latency card. */
export function renderCharts(c: Charts, tl: Timeline, violations: readonly Violation[]): string {
  const parts = [
    ...(c.roles.servers.length > 0
      ? ["the role of each server (amber LOOKING, blue FOLLOWING, green LEADING, purple OBSERVING; paler while discovering or synchronising; labels give the epoch; red: down)"]
      : []),
    ...(c.zxids.series.length > 0 ? ["the zxid each server last logged (dashed) and last applied (solid)"] : []),
    ...(c.ops.lanes.length > 0 ? ["operations as bars from call to answer (grey reads, blue writes, red failed, pale red lost)"] : []),
    "the messages sent, by type",
  ];
  return `<h2 id="time">Over virtual time</h2>
<p>${esc(capitalized(parts.join("; ")))}. Drag on a chart or on the overview to pick a window, ctrl+wheel to zoom; a click finds that moment in the space-time diagram below, whose drawn stretches are the dark ticks under the overview.</p>
${leaderList(c)}
<div class="controls"><span>window <b id="window-label"></b></span><button id="w-all">whole run</button><button id="w-in" title="zoom in">+</button><button id="w-out" title="zoom out">−</button><button id="w-left" title="earlier">◀</button><button id="w-right" title="later">▶</button></div>
<div id="charts"><svg id="timecharts" width="900" height="200"></svg></div>
<script type="application/json" id="report-data">${chartData(c, tl, violations)}</script>
${latencySection(c.ops)}`;
}
