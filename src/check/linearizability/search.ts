/**
 * The Wing–Gong search as Lowe improved it and Porcupine implements it: walk the history's call
 * and return entries as a doubly linked list, linearize ("lift") an operation whose call comes
 * before the first outstanding return, backtrack when a return is reached with its operation not
 * yet linearized, and never revisit a configuration (model state, set of linearized operations).
 *
 * What keeps 10,000-operation histories fast:
 * - The memo key is canonical and small: the earliest required operation not yet linearized, the
 *   required ones after it that are, and the state. Everything before that operation is implied,
 *   so a key costs O(concurrency), not O(history), to build and compare.
 * - A read that sees the current state is linearized at once with no alternative tried (the
 *   configuration with it dominates the one without), a partial-order reduction.
 * - Dominance, not just equality: a configuration is skipped when a visited one with the same
 *   state and the same writes linearized has linearized at least its reads (reads only constrain)
 *   and used at most its optional operations (those are options, not obligations).
 * - Optional operations (indeterminate, or cut off by the end of the history) never have to be
 *   linearized, so they are tried only after every required choice (Lowe's just-in-time idea
 *   applied to `info` operations), and of several with the same effect only the earliest unused.
 * - A step budget: past it the answer is "unknown" (then `check-history.ts` tries the frontier).
 */
import { IMPOSSIBLE, type Model } from "./model.js";
import type { Operation } from "./operation.js";
import { insertSorted, isSubset } from "./sorted.js";

export interface SearchItem {
  readonly op: Operation;
  /** Required items must be linearized before `ret`; optional ones may never be. */
  readonly required: boolean;
  /** Event index of the call. */
  readonly call: number;
  /** Event index of the return; meaningful for required items only. */
  readonly ret: number;
}

export interface SearchProblem {
  readonly model: Model;
  readonly initial: number;
  /** Sorted by `call`. */
  readonly items: readonly SearchItem[];
  /** Loop iterations before giving up with "unknown". */
  readonly stepBudget: number;
}

export type SearchResult =
  | { readonly kind: "linearizable"; readonly steps: number }
  /**
   * No linearization of the history up to `failEvent` completes `failItem`. When `earliest`, the
   * history before that event is linearizable (the longest linearizable prefix ends there).
   */
  | { readonly kind: "not-linearizable"; readonly failItem: number; readonly failEvent: number; readonly earliest: boolean; readonly steps: number }
  | { readonly kind: "unknown"; readonly steps: number };

const WRITES = 0;
const READS = 1;
const OPTIONAL = 2;

/** The reads-and-optional part of a visited configuration (see the memo in `search`). */
interface Seen {
  readonly hR: number;
  readonly afterR: readonly number[];
  readonly used: readonly number[];
}

/**
 * `a` has linearized every read `b` has (reads below a.hR are all in) and used no optional item
 * `b` has not: from the same state with the same writes, `a` can do whatever `b` can.
 */
function dominates(a: Seen, b: Seen): boolean {
  if (a.hR < b.hR) return false;
  let j = 0;
  for (const x of b.afterR) {
    if (x < a.hR) continue;
    while (j < a.afterR.length && (a.afterR[j] as number) < x) j++;
    if (j === a.afterR.length || a.afterR[j] !== x) return false;
  }
  return isSubset(a.used, b.used);
}

export function search(problem: SearchProblem): SearchResult {
  const { model, items, stepBudget } = problem;
  const n = items.length;
  for (let k = 1; k < n; k++) if ((items[k - 1] as SearchItem).call > (items[k] as SearchItem).call) throw new Error("search: items must be sorted by call");

  // Main list: call and return entries of required items, ordered by event index. Entry e is
  // item e >> 1, a return iff e & 1. Positions 0..m-1, sentinel m (circular).
  const entries: number[] = [];
  const optional: number[] = [];
  for (let k = 0; k < n; k++) {
    const it = items[k] as SearchItem;
    if (it.required) entries.push(k << 1, (k << 1) | 1);
    else optional.push(k);
  }
  const eventOf = (e: number): number => {
    const it = items[e >> 1] as SearchItem;
    return e & 1 ? it.ret : it.call;
  };
  entries.sort((a, b) => eventOf(a) - eventOf(b));
  const m = entries.length;
  const next = new Int32Array(m + 1);
  const prev = new Int32Array(m + 1);
  const callPos = new Int32Array(n).fill(-1);
  const retPos = new Int32Array(n).fill(-1);
  for (let i = 0; i <= m; i++) {
    next[i] = i === m ? (m === 0 ? m : 0) : i + 1;
    prev[i] = i === 0 ? m : i - 1;
  }
  prev[m] = m === 0 ? m : m - 1;
  for (let i = 0; i < m; i++) {
    const e = entries[i] as number;
    if (e & 1) retPos[e >> 1] = i;
    else callPos[e >> 1] = i;
  }
  const unlink = (nx: Int32Array, pv: Int32Array, x: number): void => {
    nx[pv[x] as number] = nx[x] as number;
    pv[nx[x] as number] = pv[x] as number;
  };
  const relink = (nx: Int32Array, pv: Int32Array, x: number): void => {
    nx[pv[x] as number] = x;
    pv[nx[x] as number] = x;
  };

  // Each class of items (required writes, required reads) is summarised by `h`, its earliest
  // item not yet linearized, and `after`, its linearized items beyond h (ascending): all before h
  // are linearized. `nextSame[k]` is the next item of k's class.
  const classOf = (k: number): number => {
    const it = items[k] as SearchItem;
    return !it.required ? OPTIONAL : model.readOnly(it.op) ? READS : WRITES;
  };
  const nextSame = new Int32Array(n).fill(n);
  const firstOf = [n, n, n];
  for (let k = n - 1; k >= 0; k--) {
    const c = classOf(k);
    nextSame[k] = firstOf[c] as number;
    firstOf[c] = k;
  }
  // Optional items with the same effect are interchangeable once invoked, so only the earliest
  // unused one of each kind is tried: the used ones of a kind are always its first usedOf[kind].
  // Kinds are ordered by their first call, which lets the scan stop at the first one not yet called.
  const kindOf = new Int32Array(n).fill(-1);
  const kinds: number[][] = [];
  const kindIds = new Map<string, number>();
  for (const k of optional) {
    const op = (items[k] as SearchItem).op;
    const key = `${op.f}|${op.arg}|${op.arg2}`;
    let id = kindIds.get(key);
    if (id === undefined) {
      id = kinds.length;
      kindIds.set(key, id);
      kinds.push([]);
    }
    (kinds[id] as number[]).push(k);
    kindOf[k] = id;
  }
  const usedOf = new Int32Array(kinds.length);

  const linearized = new Uint8Array(n);
  let hW = firstOf[WRITES] as number;
  let afterW: readonly number[] = [];
  let hR = firstOf[READS] as number;
  let afterR: readonly number[] = [];
  let used: readonly number[] = []; // optional items linearized, ascending
  let state = problem.initial;
  let remaining = m / 2;
  // Key: state and the writes part, which must match exactly. Under it, an antichain of the
  // (reads, used) parts seen: more reads linearized and fewer optional items used is better.
  const memo = new Map<string, Seen[]>();

  interface Frame {
    readonly k: number;
    readonly forced: boolean;
    readonly state: number;
    readonly hW: number;
    readonly afterW: readonly number[];
    readonly hR: number;
    readonly afterR: readonly number[];
    readonly used: readonly number[];
    readonly boundary: number;
  }
  const stack: Frame[] = [];
  let fromOptional = false;
  let pos = m; // main-list position, or a kind of optional items when fromOptional
  let boundary = -1; // event of the first outstanding return while trying optional items
  let failEvent = -1;
  let failItem = -1;
  let steps = 0;

  /** The class summary (h, after) once k, of that class, is linearized too. */
  const advance = (h: number, after: readonly number[], k: number): [number, readonly number[]] => {
    if (k !== h) return [h, insertSorted(after, k)];
    let nh = nextSame[k] as number;
    let drop = 0;
    while (nh < n && linearized[nh] === 1) {
      nh = nextSame[nh] as number;
      drop++;
    }
    return [nh, drop === 0 ? after : after.slice(drop)];
  };

  /** Linearizes item k if its step is possible and no visited configuration dominates the result. */
  const tryLinearize = (k: number, forced: boolean): boolean => {
    const it = items[k] as SearchItem;
    const ns = model.step(state, it.op);
    if (ns === IMPOSSIBLE) return false;
    let nhW = hW;
    let nAfterW = afterW;
    let nhR = hR;
    let nAfterR = afterR;
    let nUsed = used;
    const c = classOf(k);
    if (c === WRITES) [nhW, nAfterW] = advance(hW, afterW, k);
    else if (c === READS) [nhR, nAfterR] = advance(hR, afterR, k);
    else nUsed = insertSorted(used, k);
    const key = `${ns}|${nhW}|${nAfterW.join(",")}`;
    const mine: Seen = { hR: nhR, afterR: nAfterR, used: nUsed };
    const seen = memo.get(key);
    if (seen === undefined) memo.set(key, [mine]);
    else {
      if (seen.some((o) => dominates(o, mine))) return false;
      const kept = seen.filter((o) => !dominates(mine, o));
      kept.push(mine);
      memo.set(key, kept);
    }
    stack.push({ k, forced, state, hW, afterW, hR, afterR, used, boundary });
    linearized[k] = 1;
    state = ns;
    hW = nhW;
    afterW = nAfterW;
    hR = nhR;
    afterR = nAfterR;
    used = nUsed;
    if (it.required) {
      unlink(next, prev, callPos[k] as number);
      unlink(next, prev, retPos[k] as number);
      remaining--;
    } else {
      const kd = kindOf[k] as number;
      usedOf[kd] = (usedOf[kd] as number) + 1;
    }
    return true;
  };

  /** Undoes frames up to and including the latest one that was a real choice; false if none. */
  const backtrack = (): boolean => {
    for (;;) {
      const f = stack.pop();
      if (f === undefined) return false;
      const k = f.k;
      linearized[k] = 0;
      state = f.state;
      hW = f.hW;
      afterW = f.afterW;
      hR = f.hR;
      afterR = f.afterR;
      used = f.used;
      boundary = f.boundary;
      if ((items[k] as SearchItem).required) {
        relink(next, prev, retPos[k] as number);
        relink(next, prev, callPos[k] as number);
        remaining++;
      } else {
        const kd = kindOf[k] as number;
        usedOf[kd] = (usedOf[kd] as number) - 1;
      }
      // A forced read was no choice: its configuration fails exactly when the one before it does.
      if (f.forced) continue;
      fromOptional = !(items[k] as SearchItem).required;
      pos = fromOptional ? (kindOf[k] as number) + 1 : (next[callPos[k] as number] as number);
      return true;
    }
  };

  /**
   * A read that sees the current state is linearized at once, with no alternative tried: the
   * configuration with it dominates the one without. Returns "none" when no such read is callable,
   * "pushed", or "covered" when a visited configuration dominates the result.
   */
  const forceRead = (): "none" | "pushed" | "covered" => {
    for (let p = next[m] as number; p !== m; p = next[p] as number) {
      const e = entries[p] as number;
      if (e & 1) return "none";
      const k = e >> 1;
      const it = items[k] as SearchItem;
      if (model.readOnly(it.op) && model.step(state, it.op) === state) return tryLinearize(k, true) ? "pushed" : "covered";
    }
    return "none";
  };

  let fresh = true; // a configuration not scanned yet
  for (;;) {
    if (remaining === 0) return { kind: "linearizable", steps };
    if (++steps > stepBudget) return { kind: "unknown", steps };
    if (fresh) {
      const r = forceRead();
      if (r === "pushed") continue;
      fresh = false;
      fromOptional = false;
      pos = next[m] as number;
      if (r === "covered" && !backtrack()) return { kind: "not-linearizable", failItem, failEvent, earliest: true, steps };
      continue;
    }
    if (!fromOptional) {
      if (pos === m) throw new Error("search: required operations remain but the entry list is empty");
      const e = entries[pos] as number;
      if ((e & 1) === 0) {
        if (tryLinearize(e >> 1, false)) fresh = true;
        else pos = next[pos] as number;
        continue;
      }
      // The first outstanding return: no required choice is left, so try the optional ones.
      boundary = eventOf(e);
      if (boundary > failEvent) {
        failEvent = boundary;
        failItem = e >> 1;
      }
      fromOptional = true;
      pos = 0;
      continue;
    }
    const same = kinds[pos];
    if (same !== undefined && (items[same[0] as number] as SearchItem).call < boundary) {
      const k = same[usedOf[pos] as number];
      if (k !== undefined && (items[k] as SearchItem).call < boundary && tryLinearize(k, false)) fresh = true;
      else pos++;
      continue;
    }
    if (!backtrack()) return { kind: "not-linearizable", failItem, failEvent, earliest: true, steps };
  }
}
