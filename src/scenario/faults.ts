/**
 * Faults as data: what a scenario file lists, what a repro file carries and the shrinker prunes.
 * Each entry has a timing (`at`, or `when` a trace pattern matches for the `count`-th time, plus
 * `delay`) and exactly one action.
 */
import { z } from "zod";
import type { DiskFaultKind } from "../sim/disk.js";
import type { NodeId } from "../sim/node.js";
import type { Ratio } from "../sim/random.js";
import type { TraceValue } from "../sim/trace.js";
import type { World } from "../sim/world.js";
import { assertNever } from "../sim/assert.js";
import { duration, probability } from "./schema-types.js";
import { patternSchema, type Pattern } from "./pattern.js";

export type FaultAction =
  | { readonly kind: "crash"; readonly node: NodeId }
  | { readonly kind: "restart"; readonly node: NodeId }
  | { readonly kind: "pause"; readonly node: NodeId; readonly forUs: number | null }
  | { readonly kind: "resume"; readonly node: NodeId }
  | { readonly kind: "partition"; readonly sides: readonly (readonly NodeId[])[] }
  | { readonly kind: "one-way"; readonly from: readonly NodeId[]; readonly to: readonly NodeId[] }
  | { readonly kind: "bridge"; readonly left: readonly NodeId[]; readonly node: NodeId; readonly right: readonly NodeId[] }
  | { readonly kind: "heal" }
  | { readonly kind: "link"; readonly from: NodeId; readonly to: NodeId; readonly loss: Ratio; readonly extraDelayUs: number }
  | { readonly kind: "flap"; readonly a: NodeId; readonly b: NodeId; readonly periodUs: number; readonly downUs: number; readonly untilUs: number }
  | { readonly kind: "clock"; readonly node: NodeId; readonly skewUs: number; readonly driftPpm: number }
  | { readonly kind: "disk-fault"; readonly node: NodeId; readonly fault: DiskFaultKind }
  | { readonly kind: "slow-disk"; readonly node: NodeId; readonly extraUs: number }
  | { readonly kind: "input"; readonly node: NodeId; readonly input: TraceValue };

export type Timing =
  | { readonly atUs: number }
  | { readonly when: Pattern; readonly count: number; readonly delayUs: number };

export type Fault = Timing & { readonly action: FaultAction };

const nodeId = z.string().min(1);
const nodes = z.array(nodeId).min(1);
const json: z.ZodType<TraceValue> = z.lazy(() =>
  z.union([z.string(), z.number().int(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);

const ACTIONS = {
  crash: nodeId.optional().meta({ description: "Crash the node: its memory and timers are lost, its disk keeps what was fsynced" }),
  restart: nodeId.optional().meta({ description: "Restart a crashed node from its disk" }),
  start: nodeId.optional().meta({ description: "Same as restart (reads better for a node that was never started)" }),
  pause: nodeId.optional().meta({ description: "Stop-the-world pause; with `for:` it resumes by itself" }),
  for: duration.optional(),
  resume: nodeId.optional(),
  partition: z.array(nodes).min(2).optional().meta({ description: "Sides that cannot reach each other; unlisted nodes reach everyone" }),
  oneWay: z.strictObject({ from: nodes, to: nodes }).optional(),
  bridge: z.strictObject({ left: nodes, node: nodeId, right: nodes }).optional(),
  heal: z.literal(true).optional(),
  link: z.strictObject({ from: nodeId, to: nodeId, loss: probability.prefault(0), extraDelay: duration.default(0) }).optional(),
  flap: z.strictObject({ a: nodeId, b: nodeId, period: duration, down: duration, until: duration }).optional(),
  clock: z.strictObject({ node: nodeId, skew: z.number().int().default(0), driftPpm: z.number().int().default(0) }).optional(),
  diskFault: z.strictObject({ node: nodeId, kind: z.enum(["torn-write", "lost-tail"]) }).optional(),
  slowDisk: z.strictObject({ node: nodeId, extra: duration }).optional(),
  input: z.strictObject({ node: nodeId, value: json }).optional(),
} as const;

const ACTION_KEYS = Object.keys(ACTIONS).filter((k) => k !== "for");

/** The schema of one `faults:` entry as written in a file. */
export const faultEntrySchema = z
  .strictObject({
    at: duration.optional().meta({ description: "When, in virtual time from the start of the run" }),
    when: patternSchema.optional(),
    count: z.number().int().min(1).default(1).meta({ description: "With `when`: fire on the count-th matching event" }),
    delay: duration.default(0).meta({ description: "With `when`: how long after the matching event" }),
    ...ACTIONS,
  })
  .superRefine((f, ctx) => {
    if ((f.at === undefined) === (f.when === undefined)) {
      ctx.addIssue({ code: "custom", message: "a fault needs exactly one of `at:` (a time) or `when:` (a trace pattern)" });
    }
    const present = ACTION_KEYS.filter((k) => (f as Record<string, unknown>)[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message: present.length === 0 ? `a fault needs one action: ${ACTION_KEYS.join(", ")}` : `a fault has one action, this one has ${present.join(", ")}`,
      });
    }
    if (f.for !== undefined && f.pause === undefined) ctx.addIssue({ code: "custom", path: ["for"], message: "`for:` goes with `pause:`" });
  });

export type FaultEntry = z.output<typeof faultEntrySchema>;

export function toFault(f: FaultEntry): Fault {
  const timing: Timing = f.at !== undefined ? { atUs: f.at } : { when: f.when as Pattern, count: f.count, delayUs: f.delay };
  return { ...timing, action: toAction(f) };
}

function toAction(f: FaultEntry): FaultAction {
  if (f.crash !== undefined) return { kind: "crash", node: f.crash };
  if (f.restart !== undefined) return { kind: "restart", node: f.restart };
  if (f.start !== undefined) return { kind: "restart", node: f.start };
  if (f.pause !== undefined) return { kind: "pause", node: f.pause, forUs: f.for ?? null };
  if (f.resume !== undefined) return { kind: "resume", node: f.resume };
  if (f.partition !== undefined) return { kind: "partition", sides: f.partition };
  if (f.oneWay !== undefined) return { kind: "one-way", from: f.oneWay.from, to: f.oneWay.to };
  if (f.bridge !== undefined) return { kind: "bridge", left: f.bridge.left, node: f.bridge.node, right: f.bridge.right };
  if (f.heal !== undefined) return { kind: "heal" };
  if (f.link !== undefined) return { kind: "link", from: f.link.from, to: f.link.to, loss: f.link.loss, extraDelayUs: f.link.extraDelay };
  if (f.flap !== undefined) return { kind: "flap", a: f.flap.a, b: f.flap.b, periodUs: f.flap.period, downUs: f.flap.down, untilUs: f.flap.until };
  if (f.clock !== undefined) return { kind: "clock", node: f.clock.node, skewUs: f.clock.skew, driftPpm: f.clock.driftPpm };
  if (f.diskFault !== undefined) return { kind: "disk-fault", node: f.diskFault.node, fault: f.diskFault.kind };
  if (f.slowDisk !== undefined) return { kind: "slow-disk", node: f.slowDisk.node, extraUs: f.slowDisk.extra };
  if (f.input !== undefined) return { kind: "input", node: f.input.node, input: f.input.value };
  throw new Error("unreachable: the schema requires one action");
}

/** The node ids an action names, each with the path (inside the entry) where it is written. */
export function actionNodes(f: FaultEntry): { path: (string | number)[]; node: NodeId }[] {
  const out: { path: (string | number)[]; node: NodeId }[] = [];
  for (const k of ["crash", "restart", "start", "pause", "resume"] as const) if (f[k] !== undefined) out.push({ path: [k], node: f[k] });
  f.partition?.forEach((side, i) => side.forEach((n, j) => out.push({ path: ["partition", i, j], node: n })));
  f.oneWay?.from.forEach((n, i) => out.push({ path: ["oneWay", "from", i], node: n }));
  f.oneWay?.to.forEach((n, i) => out.push({ path: ["oneWay", "to", i], node: n }));
  if (f.bridge) {
    f.bridge.left.forEach((n, i) => out.push({ path: ["bridge", "left", i], node: n }));
    f.bridge.right.forEach((n, i) => out.push({ path: ["bridge", "right", i], node: n }));
    out.push({ path: ["bridge", "node"], node: f.bridge.node });
  }
  if (f.link) out.push({ path: ["link", "from"], node: f.link.from }, { path: ["link", "to"], node: f.link.to });
  if (f.flap) out.push({ path: ["flap", "a"], node: f.flap.a }, { path: ["flap", "b"], node: f.flap.b });
  for (const k of ["clock", "diskFault", "slowDisk", "input"] as const) if (f[k] !== undefined) out.push({ path: [k, "node"], node: f[k].node });
  return out;
}

export function applyFault(world: World, a: FaultAction): void {
  switch (a.kind) {
    case "crash":
      return world.crash(a.node);
    case "restart":
      return world.restart(a.node);
    case "pause":
      return world.pause(a.node, a.forUs ?? undefined);
    case "resume":
      return world.resume(a.node);
    case "partition":
      return world.partition(a.sides);
    case "one-way":
      return world.oneWay(a.from, a.to);
    case "bridge":
      return world.bridge(a.left, a.node, a.right);
    case "heal":
      return world.heal();
    case "link":
      return world.setLinkFaults(a.from, a.to, { loss: a.loss, extraDelayUs: a.extraDelayUs });
    case "flap":
      // The kernel traces each change (`link-down`, `link-up`, per direction) when it happens, but
      // not the schedule it was handed: this line says which fault made them, as `link-faults` does.
      world.trace({ type: "flap", a: a.a, b: a.b, periodUs: a.periodUs, downUs: a.downUs, untilUs: a.untilUs });
      return world.flap(a.a, a.b, a.periodUs, a.downUs, a.untilUs);
    case "clock":
      return world.setClock(a.node, a.skewUs, a.driftPpm);
    case "disk-fault":
      return world.armDiskFault(a.node, a.fault);
    case "slow-disk":
      return world.setDiskSlow(a.node, a.extraUs);
    case "input":
      return world.input(a.node, a.input);
    default:
      return assertNever(a, "fault action");
  }
}

/**
 * The action with role names replaced by the nodes they name now (`resolve`); null when a name
 * resolves to no node (the fault is skipped). A single-node action on a name naming several nodes
 * becomes one action per node.
 */
export function resolveAction(a: FaultAction, resolve: (name: NodeId) => readonly NodeId[] | null): FaultAction[] | null {
  const many = (ns: readonly NodeId[]): NodeId[] | null => {
    const out: NodeId[] = [];
    for (const n of ns) {
      const r = resolve(n);
      if (r === null) out.push(n);
      else out.push(...r);
    }
    return out.length === 0 ? null : [...new Set(out)];
  };
  const one = (n: NodeId): NodeId[] | null => many([n]);
  switch (a.kind) {
    case "crash":
    case "restart":
    case "pause":
    case "resume":
    case "clock":
    case "disk-fault":
    case "slow-disk":
    case "input": {
      const ns = one(a.node);
      return ns === null ? null : ns.map((node) => ({ ...a, node }));
    }
    case "partition": {
      const sides = a.sides.map(many);
      if (sides.some((x) => x === null)) return null;
      return [{ ...a, sides: sides as NodeId[][] }];
    }
    case "one-way": {
      const from = many(a.from);
      const to = many(a.to);
      return from === null || to === null ? null : [{ ...a, from, to }];
    }
    case "bridge": {
      const left = many(a.left);
      const right = many(a.right);
      const node = one(a.node);
      return left === null || right === null || node === null ? null : [{ ...a, left, right, node: node[0] as NodeId }];
    }
    case "link": {
      const from = one(a.from);
      const to = one(a.to);
      return from === null || to === null ? null : [{ ...a, from: from[0] as NodeId, to: to[0] as NodeId }];
    }
    case "flap": {
      const x = one(a.a);
      const y = one(a.b);
      return x === null || y === null ? null : [{ ...a, a: x[0] as NodeId, b: y[0] as NodeId }];
    }
    case "heal":
      return [a];
    default:
      return assertNever(a, "fault action");
  }
}
