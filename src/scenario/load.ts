/** Reads and validates scenario files: every problem comes back as `file:line:col: field: message`. */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { z } from "zod";
import type { DiskConfig } from "../sim/disk.js";
import type { NetworkConfig } from "../sim/network.js";
import { InputError, type Located } from "./errors.js";
import { actionNodes, toFault, type Fault } from "./faults.js";
import type { Pattern } from "./pattern.js";
import type { NodeSpec, ProtocolPlugin, ProtocolRegistry, ScheduledInput } from "./plugin.js";
import { scenarioBaseSchema, type END_REASONS } from "./schema.js";
import { YamlSource, type PathKey } from "./yaml-source.js";

export interface MetricBound {
  readonly min?: number;
  readonly max?: number;
  readonly equals?: number;
}

export interface Expectations {
  readonly violations: readonly string[];
  readonly endReason?: (typeof END_REASONS)[number];
  readonly trace: readonly Pattern[];
  readonly noTrace: readonly Pattern[];
  readonly metrics: Readonly<Record<string, MetricBound>>;
}

export interface Scenario {
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly plugin: ProtocolPlugin<unknown>;
  readonly params: unknown;
  readonly nodes: readonly NodeSpec[];
  readonly seed: number;
  /** The fault settings a fuzz run drew (repro files carry them), traced at the start of the run. */
  readonly nemesis: string | null;
  readonly network: Partial<NetworkConfig>;
  readonly disk: Partial<DiskConfig>;
  readonly inputs: readonly ScheduledInput[];
  readonly faults: readonly Fault[];
  readonly run: { readonly untilUs: number; readonly maxEvents: number; readonly stopOnViolation: boolean };
  readonly expect: Expectations;
  /** The document as written, as plain JSON: a repro file carries it so that it stands alone. */
  readonly document: Record<string, unknown>;
}

/** Where to find a scenario's document and how to report on it. */
interface Source {
  readonly yaml: YamlSource;
  /** Path of the scenario document inside the source (a repro file nests it under `scenario`). */
  readonly base: readonly PathKey[];
  /** Directory that `module:` paths are relative to. */
  readonly dir: string;
}

export function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, expected a file" : `cannot be read (${code ?? "error"})`;
    throw InputError.at(file, why);
  }
}

/** Reads, validates and resolves a scenario file; `module:` protocols are imported here. */
export async function loadScenarioFile(file: string, registry: ProtocolRegistry): Promise<Scenario> {
  const yaml = YamlSource.parse(file, readText(file));
  return loadScenarioDocument({ yaml, base: [], dir: dirname(resolve(file)) }, yaml.toJS(), registry);
}

/** Validates a scenario document found at `source.base` (a file, or the `scenario` of a repro). */
export async function loadScenarioDocument(source: Source, raw: unknown, registry: ProtocolRegistry): Promise<Scenario> {
  const withModule = await registryWithModule(source, raw, registry);
  return parseScenario(source, raw, withModule);
}

async function registryWithModule(source: Source, raw: unknown, registry: ProtocolRegistry): Promise<ProtocolRegistry> {
  if (typeof raw !== "object" || raw === null || typeof (raw as Record<string, unknown>)["module"] !== "string") return registry;
  const spec = (raw as Record<string, string>)["module"] as string;
  const fail = (why: string): never => {
    throw new InputError([source.yaml.error([...source.base, "module"], why)]);
  };
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(source.dir, spec)).href)) as Record<string, unknown>;
  } catch (e) {
    return fail(`cannot load protocol module ${spec}: ${(e as Error).message.split("\n")[0]}`);
  }
  const plugin = mod["plugin"] as ProtocolPlugin | undefined;
  if (!plugin || typeof plugin.name !== "string" || typeof plugin.nodes !== "function") {
    return fail(`module ${spec} must export \`plugin\`, a ProtocolPlugin (name, description, params, nodes, inputs, checkers)`);
  }
  return new Map([...registry, [plugin.name, plugin]]);
}

function parseScenario(source: Source, raw: unknown, registry: ProtocolRegistry): Scenario {
  const { yaml, base } = source;
  const at = (path: readonly PathKey[], message: string, keyOf = false): Located => yaml.error([...base, ...path], message, keyOf);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new InputError([at([], "expected a mapping with description, protocol, params, faults, run and expect")]);
  }
  const parsed = scenarioBaseSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(zodErrors(parsed.error, raw, scenarioBaseSchema, at));
  const s = parsed.data;
  const plugin = registry.get(s.protocol);
  if (plugin === undefined) {
    const known = [...registry.keys()].sort().join(", ");
    throw new InputError([at(["protocol"], `unknown protocol "${s.protocol}" (known: ${known}; or name a module: with your own)`)]);
  }
  const params = plugin.params.safeParse(s.params);
  if (!params.success) {
    throw new InputError(zodErrors(params.error, s.params, plugin.params, (p, m, k) => at(["params", ...p], m, k)));
  }
  let nodes: readonly NodeSpec[];
  try {
    nodes = plugin.nodes(params.data);
  } catch (e) {
    throw new InputError([at(["params"], (e as Error).message)]);
  }
  const ids = new Set(nodes.map((n) => n.id));
  const known = [...ids].join(", ");
  const errors: Located[] = [];
  s.faults.forEach((f, i) => {
    for (const ref of actionNodes(f)) {
      if (!ids.has(ref.node) && !isTargetName(plugin.targets?.names ?? [], ref.node)) {
        const roles = plugin.targets === undefined ? "" : `; roles: ${plugin.targets.names.join(", ")}`;
        errors.push(at(["faults", i, ...ref.path], `unknown node "${ref.node}" (nodes: ${known}${roles})`));
      }
    }
  });
  s.inputs.forEach((inp, i) => {
    if (!ids.has(inp.node)) errors.push(at(["inputs", i, "node"], `unknown node "${inp.node}" (nodes: ${known})`));
  });
  if (errors.length > 0) throw new InputError(errors);
  const file = yaml.file;
  const name = s.name ?? file.replace(/^.*\//, "").replace(/\.(ya?ml|json)$/, "");
  return {
    file,
    name,
    description: s.description,
    plugin,
    params: params.data,
    nodes,
    seed: s.seed,
    nemesis: s.nemesis ?? null,
    network: { ...plugin.network, ...(s.network as Partial<NetworkConfig>) },
    disk: s.disk as Partial<DiskConfig>,
    inputs: s.inputs.map((i) => ({ atUs: i.at, node: i.node, input: i.value as ScheduledInput["input"] })),
    faults: s.faults.map(toFault),
    run: { untilUs: s.run.until, maxEvents: s.run.maxEvents, stopOnViolation: s.run.stopOnViolation },
    expect: s.expect as Expectations,
    document: JSON.parse(JSON.stringify(raw)) as Record<string, unknown>,
  };
}

type At = (path: readonly PathKey[], message: string, keyOf?: boolean) => Located;

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** The field names an object schema allows at a path (for "unknown field" messages). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: any = schema;
  const unwrap = (): void => {
    for (let i = 0; i < 10 && s?._zod?.def; i++) {
      const d = s._zod.def;
      if (d.type === "pipe") s = d.in;
      else if (["default", "prefault", "optional", "nullable", "readonly", "catch"].includes(d.type)) s = d.innerType;
      else break;
    }
  };
  unwrap();
  for (const k of path) {
    const d = s?._zod?.def;
    if (d?.type === "object") s = d.shape[k as string];
    else if (d?.type === "array") s = d.element;
    else if (d?.type === "record") s = d.valueType;
    else return [];
    unwrap();
  }
  const d = s?._zod?.def;
  return d?.type === "object" ? Object.keys(d.shape) : [];
}

function zodErrors(error: z.ZodError, raw: unknown, schema: z.ZodType, at: At): Located[] {
  const out: Located[] = [];
  for (const issue of error.issues) {
    const path = issue.path as PathKey[];
    if (issue.code === "unrecognized_keys") {
      const allowed = keysAt(schema, path);
      for (const key of issue.keys) {
        const hint = allowed.length > 0 ? ` (expected one of: ${allowed.join(", ")})` : "";
        out.push(at([...path, key], `unknown field "${key}"${hint}`, true));
      }
      continue;
    }
    if (issue.code === "invalid_type" && valueAt(raw, path) === undefined) {
      out.push(at(path, `required field is missing (expected ${issue.expected})`));
      continue;
    }
    out.push(at(path, issue.message.replace(/^Invalid input: /, "")));
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Whether a fault names a role the protocol resolves at run time (`leader`, or `holder:0x…` for a `holder:` name). */
export function isTargetName(names: readonly string[], node: string): boolean {
  return names.some((n) => (n.endsWith(":") ? node.startsWith(n) && node.length > n.length : node === n));
}
