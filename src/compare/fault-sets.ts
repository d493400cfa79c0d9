/**
 * The fault sets every protocol in the lab faces, named once here. Each subject turns a plan into
 * its own nodes and messages: "the coordinator or leader dies" is `coord` in 2PC and `p1` in
 * Paxos; "its second step" is PreCommit in 3PC and ACCEPT in Paxos.
 */
import { assertNever } from "../sim/assert.js";

export const FAULT_SETS = ["none", "crash-phase1", "crash-phase2", "crash-phase3", "partition", "loss", "slow-disk"] as const;
export type FaultSetName = (typeof FAULT_SETS)[number];

/** `--faults crash` means the three crash sets. */
export const FAULT_ALIASES: Readonly<Record<string, readonly FaultSetName[]>> = { crash: ["crash-phase1", "crash-phase2", "crash-phase3"], all: FAULT_SETS };

export const FAULT_DESCRIPTIONS: Readonly<Record<FaultSetName, string>> = {
  none: "no fault",
  "crash-phase1": "the coordinator/leader crashes right after its first step (2PC, 3PC, Paxos: for one command; Multi-Paxos, Fast Paxos: its phase 1 at start), restarting 1s later",
  "crash-phase2": "the coordinator/leader crashes right after its second step for one command, restarting 1s later",
  "crash-phase3": "the coordinator/leader crashes right after it learns one command's outcome, restarting 1s later",
  partition: "as one command's second step starts, {coordinator/leader, first voter} are cut off from the other voters and proposers for 1s",
  loss: "datagram network for the whole run: 1 message in 20 lost, 1 in 50 duplicated, reordering",
  "slow-disk": "every fsync of the coordinator/leader and of the first voter takes 20ms longer",
};

export const isFaultSet = (s: string): s is FaultSetName => (FAULT_SETS as readonly string[]).includes(s);

/** What a subject is asked to inject; times in microseconds. */
export type FaultPlan =
  | { readonly kind: "none" }
  /** Crash after step `phase` of command `cmd` (for a leader's one-time phase 1, `cmd` does not matter). */
  | { readonly kind: "crash"; readonly phase: 1 | 2 | 3; readonly cmd: number; readonly outageUs: number }
  | { readonly kind: "partition"; readonly cmd: number; readonly outageUs: number }
  | { readonly kind: "loss"; readonly loss: string; readonly duplicate: string }
  | { readonly kind: "slow-disk"; readonly extra: string };

export const OUTAGE_US = 1_000_000;
export const LOSS = "1/20";
export const DUPLICATE = "1/50";
export const SLOW_DISK_EXTRA = "20ms";

/** The plan for a fault set; `cmd` is the command the fault aims at (drawn from the seed). */
export function planOf(set: FaultSetName, cmd: number): FaultPlan {
  switch (set) {
    case "none":
      return { kind: "none" };
    case "crash-phase1":
      return { kind: "crash", phase: 1, cmd, outageUs: OUTAGE_US };
    case "crash-phase2":
      return { kind: "crash", phase: 2, cmd, outageUs: OUTAGE_US };
    case "crash-phase3":
      return { kind: "crash", phase: 3, cmd, outageUs: OUTAGE_US };
    case "partition":
      return { kind: "partition", cmd, outageUs: OUTAGE_US };
    case "loss":
      return { kind: "loss", loss: LOSS, duplicate: DUPLICATE };
    case "slow-disk":
      return { kind: "slow-disk", extra: SLOW_DISK_EXTRA };
    default:
      return assertNever(set, "fault set");
  }
}
