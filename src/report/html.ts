/**
 * `index.html`: one self-contained page (inline CSS, JS and SVG; nothing fetched) with the run's
 * header, violations (with the events that prove them), expectations, metrics, the time charts
 * (roles, zxids, operations, traffic) and latencies, the servers' final trees, and the space-time
 * diagram.
 */
import { VERSION } from "../version.js";
import { esc, fmtUs } from "./escape.js";
import { REPORT_FAULT_CONTEXT, REPORT_FAULT_WINDOWS, REPORT_MAX_MESSAGES, REPORT_PREFIX_MESSAGES, REPORT_VIOLATION_CONTEXT } from "./files.js";
import { CHARTS_JS } from "./charts-script.js";
import { renderCharts } from "./charts-html.js";
import type { ReportInput } from "./input.js";
import { proofIndexes } from "./proof.js";
import type { Diagram } from "./svg.js";
import { renderTrees } from "./tree-html.js";

const CSS = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{background:#1d2330;color:#f5f6f8;padding:14px 22px}
header h1{margin:0 0 4px;font-size:20px}
header p{margin:0 0 10px;color:#c9cfdb}
header dl{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:2px 14px;margin:0}
header dt{color:#9aa3b5}header dd{margin:0;font-family:ui-monospace,monospace;overflow-wrap:anywhere}
.badge{display:inline-block;padding:1px 10px;border-radius:10px;font-size:13px;font-weight:600;margin-left:10px;vertical-align:middle}
.pass{background:#2e7d32;color:#fff}.fail{background:#c62828;color:#fff}.unknown{background:#f9a825;color:#000}
main{padding:14px 22px}
.final{font-family:ui-monospace,monospace;background:#fff;border:1px solid #d8dce3;padding:6px 10px;border-radius:4px;overflow-x:auto;white-space:nowrap}
.cards{display:flex;flex-wrap:wrap;gap:14px;margin:14px 0;align-items:flex-start}
#expectations{font-size:13px}
.card{background:#fff;border:1px solid #d8dce3;border-radius:6px;padding:10px 14px;flex:1 1 320px;min-width:0}
.card h2{font-size:15px;margin:0 0 8px}
.card.bad{border-color:#c62828;box-shadow:inset 4px 0 0 #c62828}
ul.checks{list-style:none;padding:0;margin:0}ul.checks li{padding:1px 0}
.ok{color:#2e7d32}.no{color:#c62828;font-weight:600}
table{border-collapse:collapse}td,th{padding:2px 10px 2px 0;text-align:left}td.num{text-align:right;font-family:ui-monospace,monospace}
.viol a{color:#c62828;font-weight:600}
.controls{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;background:#fff;border:1px solid #d8dce3;border-bottom:0;border-radius:6px 6px 0 0;padding:8px 10px}
.controls button{font:inherit;padding:1px 8px}
.controls label{white-space:nowrap;cursor:pointer}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:3px}
.note{background:#fff8e1;border:1px solid #f9a825;padding:6px 10px;border-radius:4px;margin:8px 0}
#scroll{overflow:auto;max-height:82vh;background:#fff;border:1px solid #d8dce3;border-radius:0 0 6px 6px}
#diagram{display:block}
#diagram text{font:11px ui-monospace,monospace;fill:#333}
#diagram .lane{stroke:#9aa3b5;stroke-width:1.5}
#diagram .lane-name{font:bold 13px system-ui,sans-serif;text-anchor:middle;fill:#1d2330}
#diagram .time{text-anchor:end;fill:#7a8296}
#diagram .band{fill:#ff9800;fill-opacity:.10;stroke:#ff9800;stroke-opacity:.5;stroke-dasharray:4 3}
#diagram .crash{fill:#c62828;fill-opacity:.22}
#diagram .pause{fill:#1565c0;fill-opacity:.20}
#diagram .gap{fill:#eceff1}
#diagram .gap-text{text-anchor:middle;fill:#546e7a}
#diagram .msg line{stroke-width:1.4}
#diagram .msg.drop line{stroke-dasharray:5 3}
#diagram .msg .x{font:bold 17px sans-serif;fill:#c62828;text-anchor:middle}
#diagram .mlabel{font-size:9.5px;text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:3px}
#diagram .send{fill:#546e7a}
#diagram .pe text{font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px}
#diagram .net line{stroke:#e65100;stroke-dasharray:6 3}#diagram .net text{fill:#e65100}
#diagram .violation-row line{stroke:#c62828;stroke-width:1.5}#diagram .violation-row text{fill:#c62828;font-weight:bold}
#diagram .viol-marker circle{fill:none;stroke:#c62828;stroke-width:2.5}
#diagram .off{display:none}
#diagram.nolabels .mlabel{display:none}
#diagram .hl circle,#diagram :target circle{stroke:#ffd600;stroke-width:5}
#diagram .hl line{stroke-width:4}
@keyframes pulse{0%{opacity:1}50%{opacity:.25}100%{opacity:1}}
#diagram .hl{animation:pulse .6s ease-in-out 3}
footer{padding:10px 22px 30px;color:#7a8296}
.card.wide{flex-basis:100%}
ol.proof{margin:4px 0 8px;padding-left:18px;font-size:12px}
ol.proof li{margin:2px 0}
ol.proof code{font-family:ui-monospace,monospace;overflow-wrap:anywhere;background:#f5f6f8;padding:0 3px}
ol.proof li.main code{background:#ffebee}
.viol li.shown{background:#fff8e1}
.leaders{background:#fff;border:1px solid #d8dce3;border-radius:6px;padding:6px 10px;margin:8px 0}
.leaders ol{display:inline;padding:0;margin:0;list-style:none}
.leaders li{display:inline;margin-right:14px}
.leaders li:not(:last-child)::after{content:" →";color:#7a8296;margin-left:10px}
#charts{background:#fff;border:1px solid #d8dce3;border-radius:0 0 6px 6px;padding:6px 0;user-select:none}
#timecharts{display:block;cursor:crosshair}
#timecharts text{font:11px system-ui,sans-serif;fill:#333}
#timecharts .ph{font-weight:700;fill:#1d2330}
#timecharts .pl{text-anchor:end;font:12px ui-monospace,monospace}
#timecharts .tl{text-anchor:middle;fill:#7a8296}
#timecharts .tick{stroke:#9aa3b5}
#timecharts .lane-bg{fill:#f5f6f8}
#timecharts .bl{font:600 11px system-ui,sans-serif;fill:#fff;pointer-events:none}
#timecharts .dl{fill:#fff}
#timecharts .down{fill:#c62828;fill-opacity:.55}
#timecharts .ov-bg{fill:#eceff1}#timecharts .ov-bar{fill:#90a4ae}#timecharts .ov-drawn{fill:#37474f}
#timecharts .ov-win{fill:#1e88e5;fill-opacity:.15;stroke:#1e88e5}
#timecharts .ov-viol,#timecharts .viol-line line{stroke:#c62828;stroke-width:1.5}
#timecharts .viol-line text{fill:#c62828;font-weight:700}
#timecharts .zg{stroke:#e0e3e8}#timecharts .zep{stroke:#9aa3b5;stroke-dasharray:3 3}
#timecharts .zl{text-anchor:end;font:10px ui-monospace,monospace;fill:#7a8296}
#timecharts .zx{fill:none;stroke-width:2}#timecharts .zx.l{stroke-dasharray:5 3;stroke-width:1.3}
#timecharts .zlg{font-size:11px}
#timecharts .op.r{fill:#9e9e9e}#timecharts .op.w{fill:#1e88e5}#timecharts .op.err{fill:#c62828}
#timecharts .op.lost{fill:#c62828;fill-opacity:.35;stroke:#c62828;stroke-dasharray:2 2}
#timecharts .drops{fill:#c62828}
#timecharts .sel{fill:#1e88e5;fill-opacity:.15;stroke:#1e88e5}
#diagram text.time.found{fill:#fff;font-weight:700;paint-order:stroke;stroke:#1e88e5;stroke-width:6px}
.hists{display:flex;flex-wrap:wrap;gap:20px}
.hist{margin:0}.hist figcaption{font-size:12px;color:#546e7a}
.histogram .h-ok{fill:#1e88e5}.histogram .h-bad{fill:#c62828}.histogram .hx{font:10px ui-monospace,monospace;fill:#7a8296}.histogram .axis{stroke:#9aa3b5}
table.stats{font-size:12px;margin-top:8px}table.stats th{border-bottom:1px solid #d8dce3}table.stats tr.all td{font-weight:600;border-top:1px solid #eceff1}
.tree-scroll{overflow:auto;max-height:60vh}
table.tree{font-size:12px;border-collapse:collapse}
table.tree th,table.tree td{border:1px solid #e0e3e8;padding:2px 8px;vertical-align:top;white-space:nowrap}
table.tree td.p{font-family:ui-monospace,monospace}
table.tree .d{font-family:ui-monospace,monospace}
table.tree .m{color:#7a8296;font-size:11px}
table.tree tr.differs td.p{color:#c62828;font-weight:700}
table.tree td.odd{background:#ffcdd2}
table.tree td.missing{color:#9aa3b5;font-style:italic}
table.tree.only-diff tr.same{display:none}
`;

const JS = `
(function () {
  var svg = document.getElementById("diagram");
  var scroll = document.getElementById("scroll");
  if (!svg || !scroll) return;
  var W = Number(svg.getAttribute("data-width")), H = Number(svg.getAttribute("data-height")), z = 1;
  var shown = document.getElementById("zoomval");
  function setZoom(nz) {
    z = Math.min(8, Math.max(0.05, nz));
    svg.setAttribute("width", String(W * z));
    svg.setAttribute("height", String(H * z));
    shown.textContent = Math.round(z * 100) + "%";
  }
  document.getElementById("zin").onclick = function () { setZoom(z * 1.25); };
  document.getElementById("zout").onclick = function () { setZoom(z / 1.25); };
  document.getElementById("zreset").onclick = function () { setZoom(1); };
  document.getElementById("zfit").onclick = function () { setZoom(Math.min(scroll.clientWidth / W, scroll.clientHeight / H)); };
  scroll.addEventListener("wheel", function (ev) {
    if (!ev.ctrlKey && !ev.metaKey) return;
    ev.preventDefault();
    setZoom(z * (ev.deltaY < 0 ? 1.15 : 1 / 1.15));
  }, { passive: false });
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  function applyFilter() {
    var off = {};
    boxes.forEach(function (b) { if (!b.checked) off[b.getAttribute("data-filter")] = true; });
    Array.prototype.forEach.call(svg.querySelectorAll("[data-mt]"), function (el) {
      el.classList.toggle("off", off[el.getAttribute("data-mt")] === true);
    });
  }
  boxes.forEach(function (b) { b.addEventListener("change", applyFilter); });
  document.getElementById("fall").onclick = function () { boxes.forEach(function (b) { b.checked = true; }); applyFilter(); };
  document.getElementById("fnone").onclick = function () { boxes.forEach(function (b) { b.checked = false; }); applyFilter(); };
  document.getElementById("labels").addEventListener("change", function (ev) { svg.classList.toggle("nolabels", !ev.target.checked); });
  Array.prototype.forEach.call(document.querySelectorAll("a[data-target]"), function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      Array.prototype.forEach.call(svg.querySelectorAll(".hl"), function (x) { x.classList.remove("hl"); });
      var el = document.getElementById(a.getAttribute("data-target"));
      if (!el) return;
      el.classList.add("hl");
      var ev2 = document.getElementById("ev-" + a.getAttribute("data-event"));
      if (ev2) { ev2.classList.remove("off"); ev2.classList.add("hl"); }
      var li = a.closest("li.v");
      if (li) li.classList.add("shown");
      var t = Number(a.getAttribute("data-t"));
      if (window.zksimShowTime && !isNaN(t)) window.zksimShowTime(t);
      el.scrollIntoView({ block: "center", inline: "center", behavior: "smooth" });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-show-event]"), function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      var li = a.closest("li.v");
      if (li) li.classList.add("shown");
      Array.prototype.forEach.call(svg.querySelectorAll(".hl"), function (x) { x.classList.remove("hl"); });
      var el = document.getElementById("ev-" + a.getAttribute("data-show-event"));
      if (el) { el.classList.remove("off"); el.classList.add("hl"); el.scrollIntoView({ block: "center", inline: "center" }); }
      var t = Number(a.getAttribute("data-t"));
      if (window.zksimShowTime && !isNaN(t)) window.zksimShowTime(t);
    });
  });
})();
(function () {
  var box = document.getElementById("only-diff");
  if (!box) return;
  box.addEventListener("change", function () { document.querySelector("table.tree").classList.toggle("only-diff", box.checked); });
})();
`;

const metricValue = (k: string, v: number): string => (/Us(Max|Min|Total|Mean|P\d+)?$/.test(k) ? `${fmtUs(v)}` : String(v));

export function renderHtml(input: ReportInput, diagram: Diagram): string {
  const { run: r, timeline: tl } = input;
  const res = r.result;
  const dl: [string, string][] = [
    ["protocol", r.scenario.plugin.name],
    ["seed", String(r.seed)],
    ["zksim", VERSION],
    ["source", input.source + (input.reproduced === undefined ? "" : input.reproduced ? " (reproduced)" : " (NOT reproduced)")],
    ["trace sha256", r.summary.sha256 ?? "none"],
    ["events", `${r.summary.events} in ${fmtUs(r.summary.simUs)} simulated, ended by ${r.summary.reason}`],
  ];
  if (tl.nemesis !== null) dl.push(["nemesis", tl.nemesis]);

  const proofOf = (i: number, main: boolean): string => {
    const line = input.proof?.get(i);
    const t = line === undefined ? null : /^\{"t":(\d+)/.exec(line)?.[1];
    return `<li${main ? ' class="main"' : ""}><a href="#ev-${i}" data-show-event="${i}"${t === null || t === undefined ? "" : ` data-t="${t}"`}>event ${i}</a>${main ? " (proves it)" : " (cited)"} ${line === undefined ? "" : `<code>${esc(line)}</code>`}</li>`;
  };
  const violations =
    r.violations.length === 0
      ? `<p class="ok">No violation.</p>`
      : `<ul class="checks viol">${r.violations
          .map((v, k) => {
            const id = esc(diagram.violationIds[k] ?? "");
            const proof = proofIndexes(v).map((i, j) => proofOf(i, j === 0)).join("");
            return `<li class="v"><a href="#${id}" data-target="${id}" data-event="${v.eventIndex}" data-t="${v.t}">${esc(v.invariant)} at event ${v.eventIndex}</a> (${fmtUs(v.t)}, ${esc(v.nodes.join(", "))}): ${esc(v.message)}<ol class="proof">${proof}</ol></li>`;
          })
          .join("")}</ul>`;
  const expectations = `<ul class="checks">${r.expectations.map((x) => `<li class="${x.ok ? "ok" : "no"}">${x.ok ? "✓" : "✗"} ${esc(x.text)}</li>`).join("")}</ul>`;
  const metricRows = Object.entries(r.metrics).sort(([a], [b]) => a.localeCompare(b));
  const marks = Object.entries(r.summary.marks).sort(([a], [b]) => a.localeCompare(b));
  const table = (rows: [string, string][]): string => `<table>${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td class="num">${esc(v)}</td></tr>`).join("")}</table>`;
  const metrics = metricRows.length === 0 ? "<p>none</p>" : table(metricRows.map(([k, v]) => [k, metricValue(k, v)]));
  const marksCard = marks.length === 0 ? "" : `<section class="card"><h2>Marks hit</h2>${table(marks.map(([k, v]) => [k, String(v)]))}</section>`;

  const filters = diagram.messageTypes
    .map((t, k) => `<label><input type="checkbox" checked data-filter="${esc(t)}"><span class="sw" style="background:${diagram.colours[k] ?? "#777"}"></span>${esc(t)}</label>`)
    .join("");
  const windowNote = tl.windowed
    ? `<p class="note">This run sent ${tl.messages} messages, more than ${REPORT_MAX_MESSAGES}: the diagram draws only windows: the first ${REPORT_PREFIX_MESSAGES} messages, ${REPORT_VIOLATION_CONTEXT} events on each side of every violation and ${REPORT_FAULT_CONTEXT} on each side of the first ${REPORT_FAULT_WINDOWS} faults (grey bars mark what is left out; the dark ticks under the time charts' overview show where the windows fall). The time charts above cover the whole run; every event is in trace.jsonl.</p>`
    : "";
  const drawn = `${diagram.arrows} delivered and ${diagram.drops} dropped message${diagram.drops === 1 ? "" : "s"} drawn of ${tl.messages} sent`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`zksim ${r.scenario.name} seed ${r.seed}: ${res}`)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${esc(r.scenario.name)}<span class="badge ${res}">${res}</span>${r.violations.length > 0 ? `<span class="badge fail">${r.violations.length} violation${r.violations.length > 1 ? "s" : ""}${res === "pass" ? " (expected)" : ""}</span>` : ""}</h1>
<p>${esc(r.scenario.description)}</p>
<dl>${dl.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join("")}</dl>
</header>
<main>
<div class="final">${esc(input.finalLine)}</div>
<div class="cards">
<section class="card${r.violations.length > 0 ? " bad" : ""}" id="violations"><h2>Violations (${r.violations.length})</h2>${violations}</section>
<section class="card" id="expectations"><h2>Expectations</h2>${expectations}</section>
<section class="card" id="metrics"><h2>Metrics</h2>${metrics}</section>
${marksCard}
</div>
${input.charts === undefined ? "" : renderCharts(input.charts, tl, r.violations)}
${input.trees === undefined || input.trees === null ? "" : `<div class="cards">${renderTrees(input.trees)}</div>`}
<h2 id="spacetime">Space-time diagram</h2>
<p>One lane per node; trace order flows down, one row per drawn event (virtual time on the left). Arrows are delivered messages, dashed arrows ending in × were dropped; red shading: node down, blue: paused, orange bands: partitions; dots are protocol events. Hover anything for its trace line; ctrl+wheel zooms. ${esc(drawn)}.</p>
${windowNote}
<div class="controls">
<span>zoom <button id="zout" title="zoom out">−</button> <span id="zoomval">100%</span> <button id="zin" title="zoom in">+</button> <button id="zreset">1:1</button> <button id="zfit">fit</button></span>
<label><input type="checkbox" id="labels" checked>message labels</label>
<span>messages: <button id="fall">all</button> <button id="fnone">none</button></span>
${filters}
</div>
<div id="scroll">
${diagram.svg}
</div>
</main>
<footer>zksim ${esc(VERSION)} · files beside this one: <a href="report.md">report.md</a>, <a href="summary.json">summary.json</a>, <a href="trace.jsonl">trace.jsonl</a></footer>
<script>${JS}</script>
${input.charts === undefined ? "" : `<script>${CHARTS_JS}</script>`}
</body>
</html>
`;
}
