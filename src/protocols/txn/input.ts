/** The workload's only input: start transaction `tx` at the coordinator. */
import { assert } from "../../sim/assert.js";

/** The input a plugin schedules at `coord` for each transaction. */
export type BeginInput = { readonly type: "begin"; readonly tx: number };

/** Checks an input handed to `onInput`; the plugin builds them, so a bad one is a bug. */
export function parseBegin(input: unknown): BeginInput {
  assert(typeof input === "object" && input !== null, "coordinator input must be an object");
  const { type, tx } = input as { readonly type?: unknown; readonly tx?: unknown };
  assert(type === "begin", `coordinator input must be {type:"begin"}, got ${String(type)}`);
  assert(typeof tx === "number" && Number.isSafeInteger(tx) && tx >= 1, `begin input needs a positive integer tx`);
  return { type, tx };
}
