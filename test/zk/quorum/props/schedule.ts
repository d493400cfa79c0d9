// Fault schedules as data (STYLE §7): what fast-check generates and shrinks, what a regression test
// writes down literally, and what a failure prints. Roles ("leader", "follower") are resolved when
// the fault fires, against the ensemble as it is then.
import fc from "fast-check";

/** A server named by id, or by the role it holds when the fault fires. */
export type Target = number | "leader" | "follower";

export type PartitionShape =
  /** These servers on one side, everyone else on the other (minority or majority). */
  | { readonly kind: "split"; readonly side: readonly number[] }
  /** The leader alone (plus `with`, if any) against the rest. */
  | { readonly kind: "leader"; readonly with: readonly number[] }
  /** Every voter alone. */
  | { readonly kind: "all-alone" }
  /** Messages from `from` to everyone else are lost; the other direction works. */
  | { readonly kind: "one-way-out"; readonly from: Target }
  /** Messages from everyone else to `to` are lost; `to` can still send. */
  | { readonly kind: "one-way-in"; readonly to: Target }
  /** Two halves that only `via` reaches both of. */
  | { readonly kind: "bridge"; readonly via: Target };

/** Protocol moments a fault can be armed on: narrow windows a random time would rarely hit. */
export const TRIGGER_EVENTS = ["zab-propose", "zab-commit", "zab-sync", "zab-sync-start", "zab-epoch", "zab-established", "zab-active", "zab-snapshot", "zab-truncate", "zab-elected"] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

export type Fault =
  /**
   * Armed at `atMs`: the next `event` traced by any server fires, after `delayMs`, a crash of the
   * server that traced it ("self") or of the leader, back after `downMs` (or at the end); or cuts
   * that server off from the rest ("isolate", healed after `downMs`).
   */
  | {
      readonly atMs: number;
      readonly kind: "on-event";
      readonly event: TriggerEvent;
      readonly delayMs: number;
      readonly action: "crash-self" | "crash-leader" | "isolate-self";
      readonly downMs: number | null;
    }
  /** Crash; back after `downMs`, or at the end of the fault phase when null. */
  | { readonly atMs: number; readonly kind: "crash"; readonly target: Target; readonly downMs: number | null }
  /** Partition; healed (every partition) after `forMs`, or at the end when null. */
  | { readonly atMs: number; readonly kind: "partition"; readonly shape: PartitionShape; readonly forMs: number | null }
  /** Stop-the-world pause for `forMs` (cut short at the end of the fault phase). */
  | { readonly atMs: number; readonly kind: "pause"; readonly target: Target; readonly forMs: number }
  | { readonly atMs: number; readonly kind: "heal" };

export type Schedule = {
  readonly seed: number;
  readonly servers: number;
  readonly observers: number;
  /** How long a broken connection takes to be noticed: a reset (short) or a silent partition (long). */
  readonly breakDetectMs: number;
  readonly writers: number;
  /** Each writer's pause between an answer and its next create (short: enough txns for a SNAP). */
  readonly writeGapMs: number;
  /** The fault phase: faults fire within [0, faultMs] after the first election; then all heals. */
  readonly faultMs: number;
  readonly faults: readonly Fault[];
};

const target = (sids: readonly number[]): fc.Arbitrary<Target> =>
  fc.oneof({ weight: 2, arbitrary: fc.constantFrom<Target>("leader") }, { weight: 1, arbitrary: fc.constantFrom<Target>("follower") }, { weight: 2, arbitrary: fc.constantFrom<Target>(...sids) });

function shape(voters: readonly number[], all: readonly number[]): fc.Arbitrary<PartitionShape> {
  const t = target(voters);
  return fc.oneof(
    { weight: 3, arbitrary: fc.subarray([...all], { minLength: 1, maxLength: all.length - 1 }).map((side): PartitionShape => ({ kind: "split", side })) },
    { weight: 3, arbitrary: fc.subarray([...voters], { maxLength: Math.floor((voters.length - 1) / 2) }).map((w): PartitionShape => ({ kind: "leader", with: w })) },
    { weight: 1, arbitrary: fc.constant<PartitionShape>({ kind: "all-alone" }) },
    { weight: 2, arbitrary: t.map((from): PartitionShape => ({ kind: "one-way-out", from })) },
    { weight: 2, arbitrary: t.map((to): PartitionShape => ({ kind: "one-way-in", to })) },
    { weight: 1, arbitrary: t.map((via): PartitionShape => ({ kind: "bridge", via })) },
  );
}

/** Faults within [0, faultMs]; durations from 0.1 s to 15 s (pauses beyond syncLimit = 10 s included). */
export function faultArb(voters: readonly number[], all: readonly number[], faultMs: number): fc.Arbitrary<Fault> {
  const at = fc.integer({ min: 0, max: faultMs });
  const dur = fc.integer({ min: 100, max: 15_000 });
  // Half the pauses outlast syncLimit (5 ticks of 2 s): the leader must drop the paused learner.
  const pauseDur = fc.oneof(fc.integer({ min: 100, max: 9_000 }), fc.integer({ min: 10_500, max: 15_000 }));
  const t = target(all);
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ atMs: at, kind: fc.constant("crash" as const), target: t, downMs: fc.option(dur, { freq: 4 }) }) },
    { weight: 4, arbitrary: fc.record({ atMs: at, kind: fc.constant("partition" as const), shape: shape(voters, all), forMs: fc.option(dur, { freq: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ atMs: at, kind: fc.constant("pause" as const), target: t, forMs: pauseDur }) },
    { weight: 1, arbitrary: fc.record({ atMs: at, kind: fc.constant("heal" as const) }) },
    {
      weight: 4,
      arbitrary: fc.record({
        atMs: at,
        kind: fc.constant("on-event" as const),
        event: fc.constantFrom(...TRIGGER_EVENTS),
        delayMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })),
        action: fc.constantFrom("crash-self" as const, "crash-leader" as const, "isolate-self" as const),
        downMs: fc.option(dur, { freq: 4 }),
      }),
    },
  );
}

export function scheduleArb(shapeOf: { readonly servers: number; readonly observers: number }, opts: { readonly maxFaults: number; readonly faultMs: number }): fc.Arbitrary<Schedule> {
  const voters = Array.from({ length: shapeOf.servers }, (_, i) => i + 1);
  const all = Array.from({ length: shapeOf.servers + shapeOf.observers }, (_, i) => i + 1);
  return fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    servers: fc.constant(shapeOf.servers),
    observers: fc.constant(shapeOf.observers),
    breakDetectMs: fc.constantFrom(50, 50, 15_000),
    writers: fc.integer({ min: 1, max: 3 }),
    writeGapMs: fc.constantFrom(60, 60, 60, 5),
    faultMs: fc.constant(opts.faultMs),
    faults: fc.array(faultArb(voters, all, opts.faultMs), { minLength: 1, maxLength: opts.maxFaults }).map((fs) => [...fs].sort((a, b) => a.atMs - b.atMs)),
  });
}

/** One line per fault, for failure reports. */
export function describeSchedule(s: Schedule): string {
  const fs = s.faults.map((f) => `  +${f.atMs}ms ${JSON.stringify(f)}`);
  return [`servers ${s.servers}+${s.observers}, seed ${s.seed}, breakDetect ${s.breakDetectMs}ms, writers ${s.writers} (gap ${s.writeGapMs}ms), faults within ${s.faultMs}ms:`, ...fs].join("\n");
}
