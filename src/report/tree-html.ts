/**
 * The final data tree of each server side by side: one row per path, one column per server, each
 * cell the znode's data, version and the zxids that created and last changed it. Where the servers
 * disagree (a znode missing on one, other data, another version or mzxid) the row is marked and the
 * cells that differ from the most common value are highlighted.
 */
import { esc } from "./escape.js";
import type { ServerTree, TreeEntry } from "./input.js";

/** Rows drawn at most; rows where servers differ come first. */
export const TREE_ROWS_MAX = 2_000;
/** Characters of data shown in a cell (the whole value is in its tooltip, up to a limit). */
const DATA_SHOWN = 40;
const DATA_TITLE = 2_000;

export interface TreeDiff {
  readonly paths: number;
  /** Paths whose entries are not the same on every live server. */
  readonly differing: readonly string[];
}

const key = (e: TreeEntry | undefined): string => (e === undefined ? "(missing)" : JSON.stringify([e.data, e.version, e.czxid, e.mzxid, e.ephemeralOwner]));

/** Compares the live servers' trees path by path. */
export function diffTrees(trees: readonly ServerTree[]): { readonly diff: TreeDiff; readonly rows: readonly { readonly path: string; readonly cells: readonly (TreeEntry | undefined)[]; readonly odd: readonly boolean[] }[] } {
  const up = trees.filter((t) => t.state === "up");
  const maps = up.map((t) => new Map(t.entries.map((e) => [e.path, e])));
  const paths = [...new Set(up.flatMap((t) => t.entries.map((e) => e.path)))].sort();
  const rows = paths.map((path) => {
    const cells = maps.map((m) => m.get(path));
    const keys = cells.map(key);
    const votes = new Map<string, number>();
    for (const k of keys) votes.set(k, (votes.get(k) ?? 0) + 1);
    let best = keys[0] ?? "";
    for (const [k, n] of votes) if (n > (votes.get(best) ?? 0)) best = k;
    return { path, cells, odd: keys.map((k) => votes.size > 1 && k !== best) };
  });
  return { diff: { paths: paths.length, differing: rows.filter((r) => r.odd.some((x) => x)).map((r) => r.path) }, rows };
}

function cell(e: TreeEntry | undefined, odd: boolean): string {
  if (e === undefined) return `<td class="${odd ? "odd " : ""}missing">(missing)</td>`;
  const data = e.data === null ? "null" : e.data;
  const shown = data.length > DATA_SHOWN ? `${data.slice(0, DATA_SHOWN - 1)}…` : data;
  const title = `${e.path}\ndata: ${data.length > DATA_TITLE ? `${data.slice(0, DATA_TITLE)}… (${data.length} characters)` : data}\nversion ${e.version}, czxid ${e.czxid}, mzxid ${e.mzxid}${e.ephemeralOwner === null ? "" : `, ephemeral of session ${e.ephemeralOwner}`}`;
  const meta = `v${e.version} c=${e.czxid} m=${e.mzxid}${e.ephemeralOwner === null ? "" : " ephemeral"}`;
  return `<td class="${odd ? "odd" : ""}" title="${esc(title)}"><span class="d">${esc(shown)}</span> <span class="m">${esc(meta)}</span></td>`;
}

export function renderTrees(trees: readonly ServerTree[]): string {
  if (trees.length === 0) return "";
  const { diff, rows } = diffTrees(trees);
  const up = trees.filter((t) => t.state === "up");
  const down = trees.filter((t) => t.state === "down").map((t) => t.node);
  const differing = new Set(diff.differing);
  // /zookeeper and its children are the same on every server unless something is badly wrong.
  const shown = [...rows.filter((r) => differing.has(r.path)), ...rows.filter((r) => !differing.has(r.path) && !r.path.startsWith("/zookeeper"))];
  const cut = shown.slice(0, TREE_ROWS_MAX);
  const verdict =
    up.length === 0
      ? "Every server was down at the end: no tree to show."
      : diff.differing.length === 0
        ? `The ${up.length} live server${up.length > 1 ? "s" : ""} hold the same ${diff.paths} znodes.`
        : `${diff.differing.length} of ${diff.paths} paths differ between the live servers (highlighted).`;
  const head = `<tr><th>path</th>${up.map((t) => `<th>${esc(t.node)} <span class="m">at ${esc(t.lastZxid ?? "")}</span></th>`).join("")}</tr>`;
  const body = cut
    .map((r) => `<tr class="${differing.has(r.path) ? "differs" : "same"}" data-path="${esc(r.path)}"><td class="p">${esc(r.path)}</td>${r.cells.map((c, k) => cell(c, r.odd[k] === true)).join("")}</tr>`)
    .join("");
  const more = shown.length > cut.length ? `<p class="note">${shown.length - cut.length} more paths are not listed (the differing ones come first).</p>` : "";
  return `<section class="card wide${diff.differing.length > 0 ? " bad" : ""}" id="trees"><h2>Final data tree per server</h2>
<p id="tree-verdict">${esc(verdict)}${down.length > 0 ? ` Down at the end (nothing to read): ${esc(down.join(", "))}.` : ""} Each cell: data, then version (v), czxid (c) and mzxid (m); hover for the whole value. /zookeeper is left out unless it differs.</p>
${up.length > 0 ? `<label><input type="checkbox" id="only-diff"${diff.differing.length > 0 ? " checked" : ""}> only paths that differ</label>` : ""}
<div class="tree-scroll"><table class="tree${diff.differing.length > 0 ? " only-diff" : ""}">${head}${body}</table></div>${more}</section>`;
}
