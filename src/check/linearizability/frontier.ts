/**
 * Lowe's just-in-time linearization, breadth-first (Knossos's `linear` algorithm): walk the events
 * in order keeping every configuration the prefix allows (model state, pending operations already
 * linearized, indeterminate operations used). Nothing is linearized until a return forces it; at
 * the return of x, each configuration that has not linearized x tries every sequence of pending
 * operations ending in x. An empty set of configurations at a return is the earliest failure.
 *
 * Slower than the depth-first search when a history is linearizable (it keeps every possibility,
 * not one), but it never explores a configuration twice across branches: dominated
 * configurations are dropped at each return, whatever order they were found in. That keeps
 * failing histories with many indeterminate operations tractable.
 */
import { IMPOSSIBLE } from "./model.js";
import type { SearchItem, SearchProblem, SearchResult } from "./search.js";
import { insertSorted, isSubset } from "./sorted.js";

interface Config {
  readonly state: number;
  /** Pending required items already linearized, ascending, split by whether they only read. */
  readonly writes: readonly number[];
  readonly reads: readonly number[];
  /** Optional items linearized, ascending. */
  readonly used: readonly number[];
}

/** `a` can do whatever `b` can: same state and writes, at least b's reads, at most b's options used. */
function dominates(a: Config, b: Config): boolean {
  return isSubset(b.reads, a.reads) && isSubset(a.used, b.used);
}

/** Configurations kept as an antichain under `dominates`, grouped by state and writes. */
class Antichain {
  readonly groups = new Map<string, Config[]>();
  /** Adds c unless dominated; drops what c dominates. Returns whether c was added. */
  add(c: Config): boolean {
    const key = `${c.state}|${c.writes.join(",")}`;
    const g = this.groups.get(key);
    if (g === undefined) {
      this.groups.set(key, [c]);
      return true;
    }
    if (g.some((o) => dominates(o, c))) return false;
    const kept = g.filter((o) => !dominates(c, o));
    kept.push(c);
    this.groups.set(key, kept);
    return true;
  }
  *all(): Iterable<Config> {
    for (const g of this.groups.values()) yield* g;
  }
}

const without = (xs: readonly number[], x: number): readonly number[] => xs.filter((y) => y !== x);

/**
 * With `reuseOptional`, an optional operation may take effect any number of times: a relaxation
 * (it only adds behaviours) that needs no record of which were used, so the frontier stays as
 * small as without them. A failure under it is a real failure, though maybe not the earliest.
 */
export function searchFrontier(problem: SearchProblem, reuseOptional = false): SearchResult {
  const { model, items, stepBudget } = problem;
  const n = items.length;
  // Events: call of k is 2k, return of required k is 2k + 1; ordered by event index.
  const events: number[] = [];
  for (let k = 0; k < n; k++) {
    events.push(k << 1);
    if ((items[k] as SearchItem).required) events.push((k << 1) | 1);
  }
  const at = (e: number): number => {
    const it = items[e >> 1] as SearchItem;
    return e & 1 ? it.ret : it.call;
  };
  events.sort((a, b) => at(a) - at(b));
  const readOnly = items.map((it) => model.readOnly(it.op));
  // Optional items with the same effect are interchangeable once invoked: only the earliest
  // unused one of each kind is tried. kindOf[k] indexes `byKind`, which fills as calls happen.
  const kindOf = new Int32Array(n).fill(-1);
  const kindIds = new Map<string, number>();
  for (let k = 0; k < n; k++) {
    const it = items[k] as SearchItem;
    if (it.required) continue;
    const kind = `${it.op.f}|${it.op.arg}|${it.op.arg2}`;
    const id = kindIds.get(kind) ?? kindIds.size;
    kindIds.set(kind, id);
    kindOf[k] = id;
  }
  const byKind: number[][] = [];

  let frontier: Config[] = [{ state: problem.initial, writes: [], reads: [], used: [] }];
  const pending: number[] = []; // required items called and not returned, ascending
  let steps = 0;

  const linearize = (c: Config, k: number, ns: number): Config => {
    if (!(items[k] as SearchItem).required) return { state: ns, writes: c.writes, reads: c.reads, used: reuseOptional ? c.used : insertSorted(c.used, k) };
    if (readOnly[k]) return { state: ns, writes: c.writes, reads: insertSorted(c.reads, k), used: c.used };
    return { state: ns, writes: insertSorted(c.writes, k), reads: c.reads, used: c.used };
  };

  for (const e of events) {
    const k = e >> 1;
    if ((e & 1) === 0) {
      if ((items[k] as SearchItem).required) pending.push(k);
      else {
        const id = kindOf[k] as number;
        if (byKind[id] === undefined) byKind[id] = [];
        (byKind[id] as number[]).push(k);
      }
      continue;
    }
    pending.splice(pending.indexOf(k), 1);
    const next = new Antichain();
    const seen = new Antichain();
    const finish = (c: Config): void => {
      next.add(readOnly[k] ? { ...c, reads: without(c.reads, k) } : { ...c, writes: without(c.writes, k) });
    };
    const todo: Config[] = [];
    for (const c of frontier) {
      if (c.writes.includes(k) || c.reads.includes(k)) finish(c);
      else if (seen.add(c)) todo.push(c);
    }
    // Depth-first within the closure; `seen` keeps it from expanding a dominated configuration.
    while (todo.length > 0) {
      if (++steps > stepBudget) return { kind: "unknown", steps };
      const c = todo.pop() as Config;
      const candidates = [k, ...pending];
      // A read that sees the current state is taken at once: with it, c only gets better.
      const eager = candidates.find((y) => readOnly[y] && !c.reads.includes(y) && model.step(c.state, (items[y] as SearchItem).op) === c.state);
      const choices = eager !== undefined ? [eager] : candidates;
      if (eager === undefined) {
        for (const same of byKind) {
          const y = reuseOptional ? same[0] : same.find((x) => !c.used.includes(x));
          if (y !== undefined) choices.push(y);
        }
      }
      for (const y of choices) {
        const it = items[y] as SearchItem;
        if (it.required && (c.writes.includes(y) || c.reads.includes(y))) continue;
        const ns = model.step(c.state, it.op);
        if (ns === IMPOSSIBLE) continue;
        const d = linearize(c, y, ns);
        if (y === k) finish(d);
        else if (seen.add(d)) todo.push(d);
      }
    }
    frontier = [...next.all()];
    if (frontier.length === 0) return { kind: "not-linearizable", failItem: k, failEvent: (items[k] as SearchItem).ret, earliest: !reuseOptional || byKind.length === 0, steps };
  }
  return { kind: "linearizable", steps };
}
