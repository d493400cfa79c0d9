/** Inline SVG bar charts for the comparison report: no script, no external asset. */
import { esc } from "../report/escape.js";

export interface Series {
  readonly name: string;
  readonly colour: string;
}

export interface BarChart {
  readonly title: string;
  /** The x-axis groups (fault sets), each with one bar per series (protocols). */
  readonly groups: readonly string[];
  readonly series: readonly Series[];
  /** `values[g][s]`; null draws "n/a". Integers, in `unit`s of 1/scale. */
  readonly values: readonly (readonly (number | null)[])[];
  /** How a value is written on its bar and in its tooltip. */
  readonly label: (v: number) => string;
  /** The axis maximum (default: the largest value). */
  readonly max?: number;
}

export const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#17becf", "#e377c2"];

const BAR = 16;
const GAP = 22;
const LEFT = 56;
const TOP = 34;
const PLOT = 170;
const BOTTOM = 44;

/** A grouped bar chart, as one `<svg>` element. */
export function barChart(c: BarChart): string {
  const groupW = c.series.length * BAR + GAP;
  // Wide enough for the bars, the title (about 7px a character) and a row of four legend entries.
  const width = Math.max(LEFT + c.groups.length * groupW + 10, 16 + c.title.length * 7, LEFT + Math.min(4, c.series.length) * 150);
  const height = TOP + PLOT + BOTTOM + 18 * Math.ceil(c.series.length / 4);
  const seen = c.values.flat().filter((v): v is number => v !== null);
  const max = Math.max(1, c.max ?? Math.max(0, ...seen));
  const y = (v: number): number => TOP + PLOT - Math.round((Math.min(v, max) * PLOT) / max);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(c.title)}">`);
  out.push(`<text x="${LEFT}" y="18" class="ctitle">${esc(c.title)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = Math.round((max * i) / 4);
    out.push(`<line x1="${LEFT - 4}" x2="${width - 6}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${LEFT - 8}" y="${y(v) + 4}" class="tick">${esc(c.label(v))}</text>`);
  }
  c.groups.forEach((g, gi) => {
    const x0 = LEFT + gi * groupW + GAP / 2;
    c.series.forEach((s, si) => {
      const v = c.values[gi]?.[si] ?? null;
      const x = x0 + si * BAR;
      if (v === null) {
        out.push(`<text x="${x + BAR / 2}" y="${TOP + PLOT - 4}" class="na">n/a</text>`);
        return;
      }
      const top = y(v);
      out.push(
        `<rect x="${x}" y="${top}" width="${BAR - 2}" height="${Math.max(1, TOP + PLOT - top)}" fill="${s.colour}"><title>${esc(`${s.name}, ${g}: ${c.label(v)}`)}</title></rect>`,
      );
    });
    out.push(`<text x="${x0 + (c.series.length * BAR) / 2}" y="${TOP + PLOT + 16}" class="group">${esc(g)}</text>`);
  });
  c.series.forEach((s, si) => {
    const lx = LEFT + (si % 4) * 150;
    const ly = TOP + PLOT + 34 + 18 * Math.floor(si / 4);
    out.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${s.colour}"/><text x="${lx + 16}" y="${ly}" class="legend">${esc(s.name)}</text>`);
  });
  out.push("</svg>");
  return out.join("");
}
