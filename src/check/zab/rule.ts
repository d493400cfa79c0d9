/**
 * A ZAB rule: one invariant, told about the facts the suite derives from the trace at the moment
 * they matter (before the model moves on), answering with what it found wrong. The suite turns
 * findings into violations with the event's index and time.
 */
import type { NodeId } from "../../sim/node.js";
import type { TraceEvent } from "../../sim/trace.js";
import type { Entry, ServerState, ZabModel } from "./model.js";

export interface Finding {
  readonly nodes: readonly NodeId[];
  readonly message: string;
  /** For findings at the end of the run: the event that proves it, when it is not the last one. */
  readonly at?: { readonly index: number; readonly t: number };
}

export type Found = Finding | null;

export interface ZabRule {
  readonly invariant: string;
  /** The event types `onEvent` wants (the suite calls it for those only). */
  readonly eventTypes?: readonly string[];
  /** An event of one of `eventTypes`, before the model takes it (rules that read kernel or client facts). */
  onEvent?(m: ZabModel, e: TraceEvent, index: number): Found;
  /** `s` applies `entry` at position `s.history.length` (not yet pushed). */
  onApply?(m: ZabModel, s: ServerState, entry: Entry): Found;
  /** `entry`, at `pos` of `s`'s history, is served by `s` (while serving, or on entering BROADCAST). */
  onServed?(m: ZabModel, s: ServerState, entry: Entry, pos: number): Found;
  /** `s` enters BROADCAST holding `s.history` (before its entries are marked served). */
  onBroadcast?(m: ZabModel, s: ServerState): Found;
  /** `s` is LEADING in SYNCHRONIZATION or BROADCAST with epoch `s.epoch` (after the role change). */
  onLeading?(m: ZabModel, s: ServerState): Found;
  onEstablished?(m: ZabModel, s: ServerState, epoch: number): Found;
  /** Before `Committed` moves to this leader's history. */
  onActive?(m: ZabModel, s: ServerState, epoch: number): Found;
  /** Before the leader's proposal list takes it. */
  onPropose?(m: ZabModel, s: ServerState, epoch: number, entry: Entry): Found;
  /** Before `Committed` and the leader's commit count take it. */
  onCommit?(m: ZabModel, s: ServerState, z: number): Found;
  /** At the end of the run: what only the whole run shows. */
  finish?(m: ZabModel): readonly Finding[];
}
