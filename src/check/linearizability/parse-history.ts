/**
 * Reads a Jepsen history in JSON Lines (`{"process":3,"type":"invoke","f":"write","value":1}`) into
 * operations. Pure: the caller reads the file and turns the located problems into an InputError.
 */
import { NULL_VALUE, type History, type OpF, type Operation, type Outcome } from "./operation.js";

export interface HistoryProblem {
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

export type ParsedHistory = { readonly kind: "ok"; readonly history: History } | { readonly kind: "error"; readonly problem: HistoryProblem };

const TYPES = ["invoke", "ok", "fail", "info"] as const;
const FS: readonly OpF[] = ["read", "write", "cas"];

type Scalar = string | number | boolean | null;

interface Draft {
  id: number;
  process: string;
  f: OpF;
  arg: number;
  arg2: number;
  result: number;
  outcome: Outcome;
  invokeIndex: number;
  completeIndex: number;
  line: number;
}

class Bad extends Error {
  constructor(
    readonly col: number,
    message: string,
  ) {
    super(message);
  }
}

function isScalar(v: unknown): v is Scalar {
  return v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
}

/** V8 names the offending offset in its message; it becomes the column. */
function jsonErrorCol(message: string): number {
  const m = /position (\d+)/.exec(message);
  return m ? Number(m[1]) + 1 : 1;
}

export function parseHistory(text: string): ParsedHistory {
  // Interning: equal JSON texts (after parsing, so 1.0 and 1 agree) get one id; id 0 is null.
  const valueIds = new Map<string, number>([["null", NULL_VALUE]]);
  const values: string[] = ["null"];
  const intern = (v: Scalar): number => {
    const key = JSON.stringify(v);
    const known = valueIds.get(key);
    if (known !== undefined) return known;
    valueIds.set(key, values.length);
    values.push(key);
    return values.length - 1;
  };
  const scalar = (v: unknown, what: string): number => {
    if (!isScalar(v)) throw new Bad(1, `${what}: expected a JSON scalar (string, number, boolean or null), got ${JSON.stringify(v)}`);
    return intern(v);
  };

  const drafts: Draft[] = [];
  // process key -> the draft of its pending operation. An `info` completion closes it: Jepsen
  // retires such a process, and a later invoke under the same name starts a new logical process.
  const pending = new Map<string, Draft>();
  const lines = text.split("\n");
  let eventIndex = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? "").replace(/\r$/, "");
    if (raw.trim() === "") continue;
    const lineNo = i + 1;
    try {
      let e: unknown;
      try {
        e = JSON.parse(raw);
      } catch (err) {
        const msg = (err as Error).message;
        throw new Bad(jsonErrorCol(msg), `not JSON: ${msg}`);
      }
      if (typeof e !== "object" || e === null || Array.isArray(e)) throw new Bad(1, "expected a JSON object per line");
      const o = e as Record<string, unknown>;
      if (!("process" in o)) throw new Bad(1, 'missing "process"');
      if (!("type" in o)) throw new Bad(1, 'missing "type"');
      if (!("f" in o)) throw new Bad(1, 'missing "f"');
      const p = o.process;
      if (!(typeof p === "string" || (typeof p === "number" && Number.isSafeInteger(p)))) throw new Bad(1, `process: expected an integer or a string, got ${JSON.stringify(p)}`);
      const type = o.type;
      if (!TYPES.includes(type as (typeof TYPES)[number])) throw new Bad(1, `type: expected one of ${TYPES.join("|")}, got ${JSON.stringify(type)}`);
      const f = o.f as OpF;
      if (!FS.includes(f)) throw new Bad(1, `f: expected one of ${FS.join("|")}, got ${JSON.stringify(o.f)}`);
      const process = String(p);
      const key = JSON.stringify(p);
      const open = pending.get(key);
      if (type === "invoke") {
        if (open) throw new Bad(1, `process ${process} invokes again while its ${open.f} invoked on line ${open.line} is pending`);
        let arg = NULL_VALUE;
        let arg2 = NULL_VALUE;
        if (f === "write") {
          if (!("value" in o)) throw new Bad(1, "value: a write needs the value written");
          arg = scalar(o.value, "value");
        } else if (f === "cas") {
          const v = o.value;
          if (!Array.isArray(v) || v.length !== 2) throw new Bad(1, `value: a cas needs [expected, new], got ${JSON.stringify(v)}`);
          arg = scalar(v[0], "value[0]");
          arg2 = scalar(v[1], "value[1]");
        }
        const d: Draft = { id: drafts.length, process, f, arg, arg2, result: NULL_VALUE, outcome: "pending", invokeIndex: eventIndex, completeIndex: -1, line: lineNo };
        drafts.push(d);
        pending.set(key, d);
      } else {
        if (!open) throw new Bad(1, `${type as string} without a preceding invoke by process ${process}`);
        if (open.f !== f) throw new Bad(1, `f: ${f} completes process ${process}'s ${open.f} invoked on line ${open.line}`);
        // A read's ok carries the value read; null or absent means it read the initial null.
        if (type === "ok" && f === "read") open.result = "value" in o ? scalar(o.value, "value") : NULL_VALUE;
        open.outcome = type as Outcome;
        open.completeIndex = eventIndex;
        pending.delete(key);
      }
      eventIndex++;
    } catch (err) {
      if (!(err instanceof Bad)) throw err;
      return { kind: "error", problem: { line: lineNo, col: err.col, message: err.message } };
    }
  }
  const ops: Operation[] = drafts.map((d) => ({ ...d }));
  return { kind: "ok", history: { ops, eventCount: eventIndex, values } };
}
