// fast-check commands for the model-based property: each is drawn as raw choices (which seat,
// which path or "the k-th node that exists now", which version: any, current or stale) and resolved
// against the model when it runs, so a sequence stays meaningful while it shrinks.
import fc from "fast-check";
import type { Harness, WriteSpec } from "./harness.js";
import type { CreateFlags, MAcl, MultiOpSpec } from "./reference-tree.js";

/**
 * A fixed path; the k-th node that exists now (`otherwise` while none does); or a name under the
 * k-th node that exists now (or "/").
 */
export type PathRef = { readonly fixed: string } | { readonly existing: number; readonly otherwise: string } | { readonly under: number; readonly name: string };
export type VersionChoice = "any" | "current" | "stale";

type RawOp =
  | { readonly type: "create"; readonly path: PathRef; readonly data: number; readonly acl: number; readonly flags: CreateFlags }
  | { readonly type: "delete"; readonly target: PathRef; readonly version: VersionChoice }
  | { readonly type: "setData"; readonly target: PathRef; readonly data: number; readonly version: VersionChoice }
  | { readonly type: "check"; readonly target: PathRef; readonly version: VersionChoice };

export type RawWrite =
  | RawOp
  | { readonly type: "setACL"; readonly target: PathRef; readonly acl: number; readonly version: VersionChoice }
  | { readonly type: "multi"; readonly ops: readonly RawOp[] };

const anyone = (perms: number): MAcl => ({ perms, id: { scheme: "world", id: "anyone" } });

/** The ACLs the runs use; index 0 (open) is drawn most. */
export const ACLS: readonly (readonly MAcl[])[] = [
  [anyone(31)],
  [anyone(1)], // read only
  [anyone(30)], // everything but READ
  [anyone(15)], // everything but ADMIN
  [anyone(31), anyone(31)], // a duplicate, dropped by fixupACL
  [anyone(0)], // no permission at all (perms are not checked)
  [{ perms: 31, id: { scheme: "ip", id: "127.0.0.1" } }], // every session comes from there
  [{ perms: 31, id: { scheme: "ip", id: "10.0.0.1" } }], // nobody
  [{ perms: 31, id: { scheme: "world", id: "foo" } }], // InvalidACL
  [{ perms: 31, id: { scheme: "auth", id: "" } }], // InvalidACL: no authenticated user
  [], // refused by the client library
];

const DATA: readonly (Uint8Array | null)[] = [null, new Uint8Array(0), new TextEncoder().encode("x"), new TextEncoder().encode("hello"), Uint8Array.of(0, 255, 128)];

/** Where a run's paths come from: the broad scope roams the tree; the narrow one keeps every op on a few paths, so watches fire. */
export type Scope = "broad" | "narrow";

const SCOPES: Record<Scope, { readonly create: readonly string[]; readonly targets: readonly string[]; readonly names: readonly string[] }> = {
  broad: {
    create: ["/a", "/b", "/a/b", "/a/c", "/b/a", "/a/b/c", "/a/q-", "/q"],
    targets: ["/a", "/b", "/a/b", "/a/c", "/b/a", "/a/b/c", "/", "/zookeeper", "/zookeeper/config", "/zookeeper/quota", "/nope/x"],
    names: ["a", "b", "c", "q-"],
  },
  narrow: { create: ["/w", "/w/a", "/w/b", "/w/q-", "/v"], targets: ["/w", "/w/a", "/w/b", "/v", "/"], names: ["a", "b"] },
};
const BUILTIN = new Set(["/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"]);

const seatArb = (seats: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: seats - 1 });
const versionArb: fc.Arbitrary<VersionChoice> = fc.constantFrom("any", "any", "current", "stale");
const dataArb = fc.nat(DATA.length - 1);
const aclArb = fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.nat(ACLS.length - 1) });
const flagsArb = fc.constantFrom<CreateFlags>(0, 0, 0, 1, 1, 2, 3, 4, 5);

/** The arbitraries of one scope: target paths and writes. */
function arbsFor(scope: Scope): { readonly target: fc.Arbitrary<PathRef>; readonly write: fc.Arbitrary<RawWrite> } {
  const paths = SCOPES[scope];
  const under = fc.record({ under: fc.nat(50), name: fc.constantFrom(...paths.names) });
  const target: fc.Arbitrary<PathRef> = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...paths.targets).map((fixed): PathRef => ({ fixed })) },
    { weight: 4, arbitrary: fc.record({ existing: fc.nat(50), otherwise: fc.constantFrom(...paths.targets) }) },
    { weight: 1, arbitrary: under },
  );
  const createPath: fc.Arbitrary<PathRef> = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...paths.create).map((fixed): PathRef => ({ fixed })) },
    { weight: 3, arbitrary: under },
  );
  const create = fc.record({ type: fc.constant("create" as const), path: createPath, data: dataArb, acl: aclArb, flags: flagsArb });
  const del = fc.record({ type: fc.constant("delete" as const), target, version: versionArb });
  const setData = fc.record({ type: fc.constant("setData" as const), target, data: dataArb, version: versionArb });
  const check = fc.record({ type: fc.constant("check" as const), target, version: versionArb });
  const op: fc.Arbitrary<RawOp> = fc.oneof(create, del, setData, check);
  // Empty multis are left out: SimClient sends them (see the known divergence in model-property.test.ts).
  const write: fc.Arbitrary<RawWrite> = fc.oneof(
    { weight: 5, arbitrary: create },
    { weight: 3, arbitrary: del },
    { weight: 3, arbitrary: setData },
    { weight: 1, arbitrary: fc.record({ type: fc.constant("setACL" as const), target, acl: fc.nat(ACLS.length - 1), version: versionArb }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant("multi" as const), ops: fc.array(op, { minLength: 1, maxLength: 4 }) }) },
  );
  return { target, write };
}

/**
 * The path a reference names now: fixed; the k-th (mod count) node the model holds beyond the
 * built-in ones; or a name under the k-th of "/" and those nodes.
 */
function resolvePath(h: Harness, ref: PathRef): string {
  if ("fixed" in ref) return ref.fixed;
  const made = h.model.paths().filter((p) => !BUILTIN.has(p));
  if ("existing" in ref) return made.length === 0 ? ref.otherwise : (made[ref.existing % made.length] as string);
  const parents = ["/", ...made];
  const parent = parents[ref.under % parents.length] as string;
  return `${parent === "/" ? "" : parent}/${ref.name}`;
}

function resolveVersion(h: Harness, path: string, choice: VersionChoice, field: "version" | "aversion"): number {
  const n = h.model.node(path);
  const current = n === undefined ? 0 : n[field];
  return choice === "any" ? -1 : choice === "current" ? current : current + 1;
}

function resolveOp(h: Harness, op: RawOp): MultiOpSpec {
  switch (op.type) {
    case "create":
      return { type: "create", path: resolvePath(h, op.path), data: DATA[op.data] ?? null, acl: ACLS[op.acl] ?? [], flags: op.flags };
    case "delete": {
      const path = resolvePath(h, op.target);
      return { type: "delete", path, version: resolveVersion(h, path, op.version, "version") };
    }
    case "setData": {
      const path = resolvePath(h, op.target);
      return { type: "setData", path, data: DATA[op.data] ?? null, version: resolveVersion(h, path, op.version, "version") };
    }
    case "check": {
      const path = resolvePath(h, op.target);
      return { type: "check", path, version: resolveVersion(h, path, op.version, "version") };
    }
  }
}

/** A drawn write made concrete against the model as it is now (`check` alone becomes a one-op multi). */
export function resolveWrite(h: Harness, w: RawWrite): WriteSpec {
  switch (w.type) {
    case "multi":
      return { type: "multi", ops: w.ops.map((op) => resolveOp(h, op)) };
    case "setACL": {
      const path = resolvePath(h, w.target);
      return { type: "setACL", path, acl: ACLS[w.acl] ?? [], version: resolveVersion(h, path, w.version, "aversion") };
    }
    case "check":
      return { type: "multi", ops: [resolveOp(h, w)] };
    default:
      return resolveOp(h, w) as WriteSpec;
  }
}

type Cmd = fc.Command<Harness, Harness>;

/** Base: every command is valid in every state; `text` says what it did once it ran (for reports). */
abstract class Base implements Cmd {
  protected text: string;
  constructor(text: string) {
    this.text = text;
  }
  check(): boolean {
    return true;
  }
  abstract run(m: Harness, r: Harness): void;
  toString(): string {
    return this.text;
  }
}

class Write extends Base {
  constructor(
    readonly seat: number,
    readonly w: RawWrite,
  ) {
    super(`write(${seat}, ${JSON.stringify(w)})`);
  }
  run(h: Harness): void {
    h.write(this.seat, resolveWrite(h, this.w));
  }
}

type ReadKind = "getData" | "exists" | "getChildren" | "getACL";

class Read extends Base {
  constructor(
    readonly seat: number,
    readonly kind: ReadKind,
    readonly target: PathRef,
    readonly watch: boolean,
  ) {
    super(`${kind}(${seat}, ${JSON.stringify(target)}, watch=${watch})`);
  }
  run(h: Harness): void {
    const path = resolvePath(h, this.target);
    if (this.kind === "getData") h.getData(this.seat, path, this.watch);
    else if (this.kind === "exists") h.exists(this.seat, path, this.watch);
    else if (this.kind === "getChildren") h.getChildren(this.seat, path, this.watch);
    else h.getAcl(this.seat, path);
  }
}

class Advance extends Base {
  constructor(
    readonly seat: number,
    readonly ms: number,
  ) {
    super(`advance(${seat}, ${ms}ms)`);
  }
  run(h: Harness): void {
    h.advance(this.seat, this.ms);
  }
}

class Close extends Base {
  constructor(readonly seat: number) {
    super(`closeAndReconnect(${seat})`);
  }
  run(h: Harness): void {
    h.closeAndReconnect(this.seat);
  }
}

class Expire extends Base {
  constructor(readonly seat: number) {
    super(`expire(${seat})`);
  }
  run(h: Harness): void {
    h.expire(this.seat);
  }
}

class CrashServer extends Base {
  constructor(
    readonly seat: number,
    readonly w: RawWrite | null,
    readonly delayUs: number,
    readonly torn: boolean,
  ) {
    super(`crashServer(${seat}, ${JSON.stringify(w)}, ${delayUs}us, torn=${torn})`);
  }
  run(h: Harness): void {
    h.crashAndRestart(this.seat, this.w === null ? null : resolveWrite(h, this.w), this.delayUs, this.torn);
  }
}

export type CommandMix = { readonly sessions: boolean; readonly crashes: boolean; readonly scope: Scope };

/** The command arbitraries for `seats` seats; writes and reads dominate, faults are rarer. */
export function commandArbs(seats: number, mix: CommandMix): fc.Arbitrary<Cmd>[] {
  const seat = seatArb(seats);
  const { target, write: writeArb } = arbsFor(mix.scope);
  // The narrow scope reads mostly with watches: that is what it is for.
  const watch = mix.scope === "narrow" ? fc.constantFrom(true, true, true, false) : fc.boolean();
  const arbs: fc.Arbitrary<Cmd>[] = [];
  const write = fc.tuple(seat, writeArb).map(([s, w]): Cmd => new Write(s, w));
  const read = fc
    .tuple(seat, fc.constantFrom<ReadKind>("getData", "exists", "getChildren", "getData", "exists", "getChildren", "getACL"), target, watch)
    .map(([s, k, p, w]): Cmd => new Read(s, k, p, w));
  // The narrow scope reads more: a watch needs a read before the write that fires it.
  for (let i = 0; i < 5; i++) arbs.push(write);
  for (let i = 0; i < (mix.scope === "narrow" ? 7 : 4); i++) arbs.push(read);
  arbs.push(fc.tuple(seat, fc.integer({ min: 10, max: 3000 })).map(([s, ms]): Cmd => new Advance(s, ms)));
  if (mix.sessions) {
    arbs.push(seat.map((s): Cmd => new Close(s)));
    arbs.push(seat.map((s): Cmd => new Expire(s)));
  }
  if (mix.crashes) {
    arbs.push(
      fc
        .tuple(seat, fc.option(writeArb, { nil: null, freq: 4 }), fc.integer({ min: 0, max: 5000 }), fc.boolean())
        .map(([s, w, d, t]): Cmd => new CrashServer(s, w, d, t)),
    );
  }
  return arbs;
}
