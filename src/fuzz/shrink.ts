/**
 * Shrinking a failing repro: delta debugging over its scenario document, deterministic (the same
 * repro always shrinks to the same bytes) and keeping the same failure: the same first invariant
 * violated, or, for a failure without violations, the same expectations failed.
 *
 * Steps, each kept only if the run still fails the same way: switch the BUGGIFY fault points off
 * (one cause of the failure fewer to read), cut `run.until` to just past the
 * failure, drop faults that never fire, drop chunks of fault entries (halves, quarters, ... single
 * entries), shorten pauses and bring restarts, heals and resumes earlier, run fewer transactions
 * (`params.transactions.count`, for the protocols that have it), and cut `run.until` again.
 * Every candidate goes through the scenario loader, as `zksim replay` will load the result.
 */
import { dirname, resolve } from "node:path";
import { InputError } from "../scenario/errors.js";
import { loadScenarioDocument, type Scenario } from "../scenario/load.js";
import type { ProtocolRegistry } from "../scenario/plugin.js";
import { runScenario, type ScenarioRunResult } from "../scenario/run.js";
import { YamlSource } from "../scenario/yaml-source.js";
import { assert } from "../sim/assert.js";
import { parseDuration } from "../sim/time.js";
import { makeRepro, type ReproFile } from "./repro.js";

/** Candidate runs a shrink may spend before it settles for what it has. */
export const SHRINK_RUNS_MAX = 400;

type Doc = Record<string, unknown>;
type Entry = Record<string, unknown>;

export interface ShrinkSizes {
  readonly faults: number;
  readonly untilUs: number;
  readonly transactions: number | null;
  readonly events: number;
  /** Whether the `ctx.buggify` fault points are live. */
  readonly buggify: boolean;
}

export interface ShrinkResult {
  readonly repro: ReproFile;
  readonly before: ShrinkSizes;
  readonly after: ShrinkSizes;
  /** The failure kept: `violation:<invariant>` or `expectations:<texts>`. */
  readonly failure: string;
  readonly runs: number;
}

/** What a run failed with, as a string two runs can be compared by. */
export function failureOf(r: ScenarioRunResult): string | null {
  if (r.result === "pass") return null;
  const first = r.violations[0];
  if (first !== undefined) return `violation:${first.invariant}`;
  return `expectations:${r.expectations
    .filter((x) => !x.ok)
    .map((x) => x.text)
    .join(" | ")}`;
}

/** One line: `faults=12->2 until_ms=4000->1311 transactions=10->3 events=1840->402 buggify=on->off`. */
export function formatSizes(before: ShrinkSizes, after: ShrinkSizes): string {
  const tx = before.transactions === null ? "" : ` transactions=${before.transactions}->${after.transactions}`;
  const ms = (us: number): number => Math.ceil(us / 1_000);
  const onOff = (b: boolean): string => (b ? "on" : "off");
  const buggify = before.buggify ? ` buggify=${onOff(before.buggify)}->${onOff(after.buggify)}` : "";
  return `faults=${before.faults}->${after.faults} until_ms=${ms(before.untilUs)}->${ms(after.untilUs)}${tx} events=${before.events}->${after.events}${buggify}`;
}

/**
 * Shrinks `original` (read from `reproPath`) and returns the shrunk repro, made for `outPath`.
 * Throws InputError when the repro does not fail: there is nothing to keep.
 */
export async function shrinkRepro(
  original: ReproFile,
  reproPath: string,
  outPath: string,
  registry: ProtocolRegistry,
  opts: { readonly runsMax?: number } = {},
): Promise<ShrinkResult> {
  const runsMax = opts.runsMax ?? SHRINK_RUNS_MAX;
  const dir = dirname(resolve(reproPath));
  let runs = 0;
  let buggify = original.buggify;

  const load = async (doc: Doc): Promise<Scenario | null> => {
    try {
      return await loadScenarioDocument({ yaml: YamlSource.parse(reproPath, JSON.stringify(doc)), base: [], dir }, doc, registry);
    } catch (e) {
      // A candidate the loader rejects (say, a restart left without its node) is simply not kept.
      if (e instanceof InputError) return null;
      throw e;
    }
  };
  const run = (s: Scenario, lineDigests = false): ScenarioRunResult => {
    runs++;
    return runScenario(s, { seed: original.seed, buggify, stopOnViolation: original.stopOnViolation, lineDigests });
  };

  const start = await load(original.scenario);
  if (start === null) throw InputError.at(reproPath, "the repro's scenario does not load");
  const first = run(start);
  const failure = failureOf(first);
  if (failure === null) throw InputError.at(reproPath, "the repro passes: there is no failure to shrink");

  let doc: Doc = original.scenario;
  let last = first;
  const before = sizesOf(doc, first);
  /** Keeps `cand` when it still fails the same way; false once the budget is spent. */
  const tryDoc = async (cand: Doc): Promise<boolean> => {
    if (runs >= runsMax) return false;
    const s = await load(cand);
    if (s === null) return false;
    const r = run(s);
    if (failureOf(r) !== failure) return false;
    doc = cand;
    last = r;
    return true;
  };

  if (buggify) {
    buggify = false;
    if (!(await tryDoc(withBuggifyOff(doc)))) buggify = true;
  }
  await shrinkUntil(doc, () => last, tryDoc, () => doc);
  await tryDoc(withFaults(doc, entriesOf(doc).filter((e) => atUs(e) === null || (atUs(e) as number) <= untilOf(doc))));
  await dropChunks(() => doc, tryDoc);
  await shorten(() => doc, tryDoc);
  await dropChunks(() => doc, tryDoc, 1);
  await fewerTransactions(() => doc, tryDoc);
  await shrinkUntil(doc, () => last, tryDoc, () => doc);

  const final = await load(doc);
  assert(final !== null, "the shrunk scenario loaded while shrinking");
  const r = run(final, true);
  assert(failureOf(r) === failure, "the shrunk scenario fails as it did while shrinking");
  const repro: ReproFile = { ...makeRepro(r, outPath, "zksim shrink", { stopOnViolation: original.stopOnViolation }), scenarioFile: original.scenarioFile };
  return { repro, before, after: sizesOf(doc, r), failure, runs };
}

function sizesOf(doc: Doc, r: ScenarioRunResult): ShrinkSizes {
  return { faults: entriesOf(doc).length, untilUs: untilOf(doc), transactions: transactionsOf(doc), events: r.summary.events, buggify: r.buggify };
}

/** The fault settings line says what the run does: with the fault points off it says `buggify=off`. */
function withBuggifyOff(doc: Doc): Doc {
  const nemesis = doc["nemesis"];
  return typeof nemesis === "string" ? { ...doc, nemesis: nemesis.replace(/(^| )buggify=on( |$)/, "$1buggify=off$2") } : doc;
}

function entriesOf(doc: Doc): Entry[] {
  const f = doc["faults"];
  return Array.isArray(f) ? (f as Entry[]) : [];
}

const withFaults = (doc: Doc, faults: readonly Entry[]): Doc => ({ ...doc, faults: [...faults] });

function atUs(e: Entry): number | null {
  const at = e["at"];
  return typeof at === "string" || typeof at === "number" ? parseDuration(at) : null;
}

function untilOf(doc: Doc): number {
  const run = doc["run"] as Record<string, unknown> | undefined;
  const us = parseDuration((run?.["until"] as string | number | undefined) ?? "");
  assert(us !== null, "a loaded scenario has a valid run.until");
  return us;
}

const withUntil = (doc: Doc, us: number): Doc => ({ ...doc, run: { ...(doc["run"] as Doc), until: `${Math.ceil(us / 1_000)}ms` } });

function transactionsOf(doc: Doc): number | null {
  const tx = (doc["params"] as Doc | undefined)?.["transactions"] as Doc | undefined;
  const count = tx?.["count"];
  return typeof count === "number" ? count : null;
}

type Try = (cand: Doc) => Promise<boolean>;

/** The run ends at its failure (or at `until`): try ending it just past the failure, then halve what is left. */
async function shrinkUntil(doc0: Doc, last: () => ScenarioRunResult, tryDoc: Try, doc: () => Doc): Promise<void> {
  const until = untilOf(doc0);
  const end = last().summary.simUs + 1_000;
  if (end < until) await tryDoc(withUntil(doc(), end));
  // A failure found at the end of the run (by a checker's finish) needs the run's length: halve towards it.
  for (let i = 0; i < 8; i++) {
    const now = untilOf(doc());
    const half = Math.ceil(now / 2_000) * 1_000;
    if (half >= now || half < 1_000 || !(await tryDoc(withUntil(doc(), half)))) break;
  }
}

/** ddmin's first half: remove chunks of size n/2, n/4, ... `minSize`, keeping every removal that still fails. */
async function dropChunks(doc: () => Doc, tryDoc: Try, sizeFrom?: number): Promise<void> {
  let size = sizeFrom ?? Math.max(1, Math.ceil(entriesOf(doc()).length / 2));
  for (;;) {
    for (let i = 0; i < entriesOf(doc()).length; ) {
      const entries = entriesOf(doc());
      const cand = [...entries.slice(0, i), ...entries.slice(i + size)];
      if (!(await tryDoc(withFaults(doc(), cand)))) i += size;
    }
    if (size === 1) return;
    size = Math.ceil(size / 2);
  }
}

const CLOSERS = ["restart", "start", "heal", "resume"] as const;

/** Shorter outages: halve pauses, bring restarts, heals and resumes halfway to the entry before them. */
async function shorten(doc: () => Doc, tryDoc: Try): Promise<void> {
  for (let i = 0; i < entriesOf(doc()).length; i++) {
    for (let round = 0; round < 6; round++) {
      const entries = entriesOf(doc());
      const e = entries[i] as Entry;
      const at = atUs(e);
      let changed: Entry | null = null;
      if (e["pause"] !== undefined && typeof e["for"] !== "undefined") {
        const forUs = parseDuration(e["for"] as string | number);
        if (forUs !== null && forUs >= 2_000) changed = { ...e, for: Math.floor(forUs / 2) };
      } else if (at !== null && CLOSERS.some((k) => e[k] !== undefined)) {
        const prev = i === 0 ? 0 : (atUs(entries[i - 1] as Entry) ?? at);
        const mid = prev + Math.floor((at - prev) / 2);
        if (mid < at) changed = { ...e, at: mid };
      }
      if (changed === null) break;
      const cand = entries.slice();
      cand[i] = changed;
      if (!(await tryDoc(withFaults(doc(), cand)))) break;
    }
  }
}

/**
 * Fewer transactions, for protocols with a `transactions: {count, start, every}` param: drop them
 * from the end (1, then halves, then one less), then from the front, by starting later, which keeps
 * the remaining ones at the times the faults were drawn against.
 */
async function fewerTransactions(doc: () => Doc, tryDoc: Try): Promise<void> {
  const withTx = (tx: Doc): Doc => {
    const params = doc()["params"] as Doc;
    return { ...doc(), params: { ...params, transactions: { ...(params["transactions"] as Doc), ...tx } } };
  };
  const shrinkBy = async (make: (n: number, count: number) => Doc | null): Promise<void> => {
    for (let round = 0; round < 20; round++) {
      const count = transactionsOf(doc());
      if (count === null || count <= 1) return;
      let kept = false;
      for (const n of [...new Set([1, Math.floor(count / 2), count - 1])].filter((n) => n >= 1 && n < count)) {
        const cand = make(n, count);
        if (cand !== null && (await tryDoc(cand))) {
          kept = true;
          break;
        }
      }
      if (!kept) return;
    }
  };
  await shrinkBy((n) => withTx({ count: n }));
  await shrinkBy((n, count) => {
    const tx = (doc()["params"] as Doc)["transactions"] as Doc;
    const start = parseDuration((tx["start"] as string | number | undefined) ?? "10ms");
    const every = parseDuration((tx["every"] as string | number | undefined) ?? "100ms");
    if (start === null || every === null) return null;
    return withTx({ count: n, start: start + (count - n) * every });
  });
}
