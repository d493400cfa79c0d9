/**
 * The space-time (Lamport) diagram: one lane per node, trace order flowing down (one row per drawn
 * event, so causality reads top to bottom whatever the virtual-time gaps), one arrow per delivered
 * message, dropped messages ending in an x, crashes and pauses shaded on their lane, partitions as
 * bands. Every element carries a `<title>` with its trace line for hover.
 */
import type { Violation } from "../check/checker.js";
import { canonicalLine, type TraceEvent } from "../sim/trace.js";
import { esc, fmtUs } from "./escape.js";
import { FAULTS, partitionLabel, type Row, type Timeline } from "./timeline.js";

export interface Diagram {
  readonly svg: string;
  readonly messageTypes: readonly string[];
  /** The colour of each message type, in the order of `messageTypes`. */
  readonly colours: readonly string[];
  /** Delivered-message arrows drawn (one per recv whose send is drawn). */
  readonly arrows: number;
  /** Dropped-message arrows drawn. */
  readonly drops: number;
  /** Element ids of each violation's marker, in the order of `violations`. */
  readonly violationIds: readonly string[];
  readonly width: number;
  readonly height: number;
}

const ROW = 18;
const TOP = 46;
const GUTTER = 92;
const LANE = 170;
const NOTES = 560;
const PALETTE = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#ff7f0e", "#3949ab"];

/** FNV-1a: a protocol event type keeps its colour from run to run. */
function hashColour(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return PALETTE[(h >>> 0) % PALETTE.length] as string;
}

function messageType(e: TraceEvent): string {
  const msg = e["msg"];
  const type = msg !== null && typeof msg === "object" && !Array.isArray(msg) ? (msg as { readonly type?: unknown }).type : undefined;
  return typeof type === "string" ? type : "(untyped)";
}

type Slot = { readonly kind: "row"; readonly row: Row } | { readonly kind: "gap"; readonly omitted: number; readonly index: number };

const str = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** A protocol event's label: its type and the values of its other fields. */
export function eventLabel(e: TraceEvent): string {
  const parts = Object.keys(e)
    .filter((k) => k !== "t" && k !== "type" && k !== "node")
    .sort()
    .map((k) => (typeof e[k] === "string" && k !== "via" ? str(e[k]) : `${k}=${str(e[k])}`));
  const text = [e.type, ...parts].join(" ");
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

export function renderDiagram(tl: Timeline, violations: readonly Violation[]): Diagram {
  const slots: Slot[] = [];
  let prevSeq = -1;
  for (const row of tl.rows) {
    if (row.seq !== prevSeq + 1) slots.push({ kind: "gap", omitted: row.seq - prevSeq - 1, index: row.index });
    slots.push({ kind: "row", row });
    prevSeq = row.seq;
  }
  if (tl.drawable > prevSeq + 1) slots.push({ kind: "gap", omitted: tl.drawable - prevSeq - 1, index: tl.lastIndex + 1 });
  const slotIndex = slots.map((s) => (s.kind === "row" ? s.row.index : s.index));
  const yOfSlot = (i: number): number => TOP + i * ROW + ROW / 2;
  /** The row of the first drawn slot at or after trace index `index`. */
  const slotAt = (index: number): number => {
    let lo = 0;
    let hi = slotIndex.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((slotIndex[mid] as number) < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lanes = new Map(tl.nodes.map((n, i) => [n, GUTTER + LANE / 2 + i * LANE]));
  const laneX = (n: unknown): number => lanes.get(String(n)) ?? GUTTER;
  const notesX = GUTTER + tl.nodes.length * LANE + 10;
  const width = notesX + NOTES;
  const height = TOP + slots.length * ROW + ROW;
  const bottom = height - ROW / 2;

  const back: string[] = [];
  const fore: string[] = [];
  const labels: string[] = [];
  // Message types take palette colours in sorted order, so the first ten never share one.
  const types = [...new Set(tl.rows.filter((r) => r.e.type === "send").map((r) => messageType(r.e)))].sort();
  const colourIndex = (t: string): number => Math.max(0, types.indexOf(t)) % PALETTE.length;
  const colourOf = (t: string): string => PALETTE[colourIndex(t)] as string;
  const sends = new Map<number, { slot: number; from: string; to: string; type: string }>();
  let arrows = 0;
  let drops = 0;

  // Shading first, so arrows and dots draw over it.
  for (const iv of tl.intervals) {
    const y0 = yOfSlot(slotAt(iv.from)) - ROW / 2;
    const y1 = iv.to === null ? bottom : yOfSlot(slotAt(iv.to)) - ROW / 2;
    const title = `<title>${esc(`${iv.label} (events ${iv.from}–${iv.to ?? "end"})`)}</title>`;
    if (iv.kind === "partition") {
      back.push(`<rect class="band" x="${GUTTER}" y="${y0}" width="${width - GUTTER}" height="${Math.max(y1 - y0, 2)}">${title}</rect>`);
    } else {
      const x = laneX(iv.node);
      back.push(`<rect class="${iv.kind}" x="${x - 9}" y="${y0}" width="18" height="${Math.max(y1 - y0, 2)}">${title}</rect>`);
    }
  }
  for (const [n, x] of lanes) {
    back.push(`<line class="lane" x1="${x}" y1="${TOP - 6}" x2="${x}" y2="${bottom}"/>`);
    labels.push(`<text class="lane-name" x="${x}" y="${TOP - 14}">${esc(n)}</text>`);
  }

  let lastLabelT = -1;
  let lastLabelSlot = -10;
  slots.forEach((slot, i) => {
    const y = yOfSlot(i);
    if (slot.kind === "gap") {
      back.push(`<rect class="gap" x="0" y="${y - ROW / 2}" width="${width}" height="${ROW}"/>`);
      labels.push(`<text class="gap-text" x="${width / 2}" y="${y + 4}">⋯ ${slot.omitted} events not drawn ⋯</text>`);
      lastLabelSlot = -10;
      return;
    }
    const { e, index } = slot.row;
    if (e.t !== lastLabelT && i - lastLabelSlot >= 2) {
      labels.push(`<text class="time" data-t="${e.t}" x="${GUTTER - 8}" y="${y + 4}">${fmtUs(e.t)}</text>`);
      lastLabelT = e.t;
      lastLabelSlot = i;
    }
    const title = `<title>#${index} ${esc(canonicalLine(e))}</title>`;
    switch (e.type) {
      case "send": {
        const type = messageType(e);
        sends.set(Number(e["id"]), { slot: i, from: String(e["from"]), to: String(e["to"]), type });
        fore.push(`<circle class="send" data-mt="${esc(type)}" cx="${laneX(e["from"])}" cy="${y}" r="2.5">${title}</circle>`);
        return;
      }
      case "recv":
      case "drop": {
        const s = sends.get(Number(e["id"]));
        const type = s?.type ?? "(untyped)";
        const x1 = laneX(e["from"]);
        const y1 = s === undefined ? y : yOfSlot(s.slot);
        const x2 = laneX(e["to"]);
        if (e.type === "recv") {
          if (s === undefined) return; // its send lies in an omitted stretch
          arrows++;
          const mx = (x1 + x2) / 2;
          const my = (y1 + y) / 2;
          fore.push(
            `<g class="msg" id="ev-${index}" data-mt="${esc(type)}">${title}<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y}" stroke="${colourOf(type)}" marker-end="url(#arrow-${colourIndex(type)})"/><text class="mlabel" x="${mx}" y="${my - 2}">${esc(type)}</text></g>`,
          );
        } else {
          drops++;
          // A dropped message stops part way, at the row where the network gave up on it.
          const xe = x1 + (x2 - x1) * 0.6 + (x1 === x2 ? 24 : 0);
          fore.push(
            `<g class="msg drop" id="ev-${index}" data-mt="${esc(type)}">${title}<line x1="${x1}" y1="${y1}" x2="${xe}" y2="${y}" stroke="${colourOf(type)}"/><text class="x" x="${xe}" y="${y + 5}">×</text><text class="mlabel" x="${xe}" y="${y - 6}">${esc(`${type} (${str(e["reason"])})`)}</text></g>`,
          );
        }
        return;
      }
      case "partition":
      case "partition-one-way":
      case "partition-bridge":
      case "heal":
      case "link-faults": {
        const text = e.type === "link-faults" ? eventLabel(e) : partitionLabel(e);
        fore.push(`<g class="net" id="ev-${index}">${title}<line x1="${GUTTER}" y1="${y}" x2="${notesX}" y2="${y}"/><text x="${notesX + 4}" y="${y + 4}">${esc(text)}</text></g>`);
        return;
      }
      case "violation": {
        const text = `VIOLATION ${str(e["invariant"])}: ${str(e["message"])}`;
        fore.push(`<g class="violation-row" id="ev-${index}">${title}<line x1="${GUTTER}" y1="${y}" x2="${notesX}" y2="${y}"/><text x="${notesX + 4}" y="${y + 4}">${esc(text.length > 88 ? `${text.slice(0, 87)}…` : text)}</text></g>`);
        return;
      }
      default: {
        const x = laneX(e["node"]);
        const fault = FAULTS.includes(e.type);
        const colour = fault ? "#c62828" : hashColour(e.type);
        fore.push(
          `<g class="pe${fault ? " fault" : ""}" id="ev-${index}" data-type="${esc(e.type)}">${title}<circle cx="${x}" cy="${y}" r="5" fill="${colour}"/><text x="${x + 9}" y="${y + 4}" fill="${colour}">${esc(eventLabel(e))}</text></g>`,
        );
        return;
      }
    }
  });

  const violationIds = violations.map((v, k) => {
    const id = `violation-${k}`;
    const i = slotAt(v.eventIndex);
    const slot = slots[i];
    const node = slot?.kind === "row" && typeof slot.row.e["node"] === "string" ? slot.row.e["node"] : v.nodes[0];
    const x = laneX(node);
    const y = yOfSlot(i);
    fore.push(`<g class="viol-marker" id="${id}" data-event="${v.eventIndex}"><title>${esc(`${v.invariant}: ${v.message} (event ${v.eventIndex})`)}</title><circle cx="${x}" cy="${y}" r="11"/></g>`);
    return id;
  });

  const svg = [
    `<svg id="diagram" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" data-width="${width}" data-height="${height}">`,
    `<defs>${PALETTE.map((c, k) => `<marker id="arrow-${k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${c}"/></marker>`).join("")}</defs>`,
    `<g class="back">${back.join("")}</g>`,
    `<g class="labels">${labels.join("")}</g>`,
    `<g class="fore">${fore.join("")}</g>`,
    `</svg>`,
  ].join("\n");
  return { svg, messageTypes: types, colours: types.map(colourOf), arrows, drops, violationIds, width, height };
}
