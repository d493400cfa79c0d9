// The four properties of issue 5 over one run's result, each a list of findings (empty = holds).
// They read only the run's outcome (histories, acknowledgements, timings), never the protocol code.
import type { Applied, RunResult } from "./run.js";
import { describeSchedule } from "./schedule.js";

const epochOf = (z: string): number => Number(BigInt(z) >> 32n);
const counterOf = (z: string): number => Number(BigInt(z) & 0xffffffffn);

/** (1) Exactly one leader, every server synced to it, within the bound, and still so after the writers finished. */
export function oneLeaderInBound(r: RunResult): string[] {
  const out: string[] = [];
  if (r.settleUs === null) out.push(`no single leader with every server in broadcast within ${r.boundUs / 1000} ms of the heal`);
  else if (r.leader === null) out.push("settled without exactly one leader");
  if (r.settleUs !== null && !r.stable) out.push(`the ensemble did not stay settled under leader ${String(r.leader)} after the writers finished`);
  if (!r.writersIdle) out.push("a writer's create was never answered (neither success nor an error)");
  return out;
}

/** (2) Every server holds the same history, and its database agrees with what the trace says it applied. */
export function sameHistory(r: RunResult): string[] {
  const out: string[] = [];
  const entries = [...r.histories.entries()].sort((a, b) => a[0] - b[0]);
  const [refSid, ref] = (r.leader !== null ? entries.find(([sid]) => sid === r.leader) : entries[0]) ?? [0, []];
  for (const [sid, h] of entries) {
    const d = firstDifference(ref, h);
    if (d !== null) out.push(`s${sid} differs from s${refSid} at position ${d.i}: s${refSid} has ${d.a ?? "nothing"}, s${sid} has ${d.b ?? "nothing"}`);
    const traced = r.traced.get(sid) ?? [];
    const zxids = h.map((x) => x.zxid);
    if (traced.join() !== zxids.join()) {
      const i = zxids.findIndex((z, k) => traced[k] !== z);
      out.push(`s${sid}: the zk-apply trace since its last reset (${traced.length} txns) differs from its database (${zxids.length}) at ${i < 0 ? traced.length : i}`);
    }
  }
  return out;
}

function firstDifference(a: readonly Applied[], b: readonly Applied[]): { i: number; a: string | null; b: string | null } | null {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i]?.rec !== b[i]?.rec) return { i, a: a[i]?.rec ?? null, b: b[i]?.rec ?? null };
  }
  return null;
}

/** (3) Every create acknowledged to a client is in the final history, at the zxid the reply carried. */
export function noAckedWriteLost(r: RunResult): string[] {
  const out: string[] = [];
  const ref = r.leader !== null ? r.histories.get(r.leader) : r.histories.values().next().value;
  const byZxid = new Map((ref ?? []).map((x) => [BigInt(x.zxid), x]));
  for (const o of r.outcomes) {
    if (o.err !== "ok") continue;
    const x = byZxid.get(o.zxid);
    const rec = x === undefined ? null : (JSON.parse(x.rec) as { txn: { type: string; path?: string }; session: string });
    if (rec === null || rec.txn.type !== "create" || rec.txn.path !== o.path) {
      out.push(`${o.client}: create ${o.path} acknowledged at 0x${o.zxid.toString(16)} (t=${o.atUs}us, session ${o.session}) but the final history has ${x?.rec ?? "nothing"} there`);
    }
  }
  return out;
}

/** (4) Epochs never go down along the history; within an epoch counters run 1, 2, 3, ... without gaps. */
export function zxidsWellFormed(r: RunResult): string[] {
  const out: string[] = [];
  for (const [sid, h] of [...r.histories.entries()].sort((a, b) => a[0] - b[0])) {
    let prev: string | null = null;
    for (const x of h) {
      const ok =
        prev === null
          ? counterOf(x.zxid) === 1
          : epochOf(x.zxid) > epochOf(prev)
            ? counterOf(x.zxid) === 1
            : epochOf(x.zxid) === epochOf(prev) && counterOf(x.zxid) === counterOf(prev) + 1;
      if (!ok) {
        out.push(`s${sid}: ${x.zxid} follows ${prev ?? "nothing"}`);
        break;
      }
      prev = x.zxid;
    }
  }
  return out;
}

export const PROPERTIES = { oneLeaderInBound, sameHistory, noAckedWriteLost, zxidsWellFormed } as const;

/** All findings, each prefixed with its property. */
export function findings(r: RunResult, which: readonly (keyof typeof PROPERTIES)[] = Object.keys(PROPERTIES) as (keyof typeof PROPERTIES)[]): string[] {
  return which.flatMap((k) => PROPERTIES[k](r).map((m) => `${k}: ${m}`));
}

/** The failure report: schedule, what fired, the findings, and (if kept) the protocol's story. */
export function report(r: RunResult, found: readonly string[]): string {
  const acked = r.outcomes.filter((o) => o.err === "ok").length;
  return [
    describeSchedule(r.schedule),
    `fired: ${r.fired.join("; ")}`,
    `settled ${r.settleUs === null ? "never" : `${r.settleUs / 1000} ms`} after the heal (bound ${r.boundUs / 1000} ms), leader ${String(r.leader)}, ${acked}/${r.outcomes.length} writes acknowledged`,
    ...found.map((f) => `  ✗ ${f}`),
    ...(r.story.length > 0 ? ["story:", ...r.story.slice(-300)] : []),
  ].join("\n");
}
