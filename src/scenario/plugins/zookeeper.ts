/** A ZooKeeper ensemble as a scenario protocol (`protocol: zookeeper`): servers, roles as fault targets, election figures. */
import { z } from "zod";
import type { Message, NodeFactory, NodeId } from "../../sim/node.js";
import type { TraceEvent, TraceValue } from "../../sim/trace.js";
import type { World } from "../../sim/world.js";
import { generatedZooCfg, MUTATIONS, nodeOfSid, parseQuorumCfg, type QuorumConfig } from "../../zk/quorum/config.js";
import { ENSEMBLE_NETWORK } from "../../zk/quorum/ensemble.js";
import { QuorumPeer, quorumPeer } from "../../zk/quorum/peer.js";
import { CommandClient } from "../../zk/workload/command-client.js";
import { parseScriptCommand, ScriptClient, type ScriptStep } from "../../zk/workload/script-client.js";
import { RegisterClient, type RegisterClientParams } from "../../zk/workload/register-client.js";
import { recipeCheckersFor, recipeNodes, recipeSchema } from "./zk-recipes.js";
import { zookeeperCheckers } from "../../check/client/index.js";
import { ensembleFact, type EnsembleShape } from "../../check/zab/index.js";
import type { MetricCollector, NodeSpec, ProtocolPlugin } from "../plugin.js";
import { duration } from "../schema-types.js";

const clientSchema = z.strictObject({
  id: z.string().regex(/^c\w*$/, "a client id starts with c (c1, cWriter)").optional(),
  servers: z.array(z.number().int().min(1)).min(1).optional().meta({ description: "Its connect string (server ids); default all" }),
  sessionTimeout: duration.prefault("10s"),
  start: duration.default(0).meta({ description: "When the client starts (opens its session)" }),
  script: z
    .array(z.union([z.string(), z.strictObject({ at: duration, do: z.string() })]))
    .default([])
    .meta({ description: "create [-e] [-s] PATH [DATA], set PATH DATA [VERSION], get, exists, delete, ls, sync PATH, close; `{at, do}` waits for a time" }),
  repeat: z
    .strictObject({ times: z.number().int().min(0).max(100_000), do: z.string() })
    .prefault({ times: 0, do: "sync /" })
    .meta({ description: "After the script: a command run `times` times; {i} is the count" }),
});

const registerSchema = z.strictObject({
  clients: z.number().int().min(1).max(50).default(3).meta({ description: "Client nodes reg1, reg2, ..." }),
  keys: z.number().int().min(1).max(100).default(3).meta({ description: "Registers /r0 .. /r<keys-1>" }),
  ops: z.number().int().min(0).max(100_000).default(100).meta({ description: "Operations per client" }),
  period: duration.prefault("50ms").meta({ description: "Pause after each operation" }),
  sessionTimeout: duration.prefault("4s"),
  start: duration.default(0),
});

const workloadSchema = z
  .strictObject({
    register: registerSchema.optional().meta({
      description: "A Jepsen-style CAS register over setData with versions (read, write, cas on a few keys), with a watch, an ephemeral per session, and listings",
    }),
  })
  .default({});

type ClientSpec = { readonly id: string; readonly servers: readonly number[]; readonly sessionTimeoutMs: number; readonly steps: readonly ScriptStep[]; readonly startAtUs: number };

export const zookeeperParams = z
  .strictObject({
    servers: z.number().int().min(1).max(15).default(3).meta({ description: "Participants, server ids 1..servers" }),
    observers: z.number().int().min(0).max(15).default(0).meta({ description: "Observers, ids after the participants" }),
    zooCfg: z.string().optional().meta({ description: "A literal zoo.cfg (server.N lines and all); replaces servers/observers" }),
    config: z
      .record(z.string(), z.union([z.number().int(), z.string()]))
      .default({})
      .meta({ description: "zoo.cfg keys for the generated config (tickTime, initLimit, syncLimit, ...)" }),
    start: z
      .array(z.strictObject({ server: z.number().int().min(1), at: duration }))
      .default([])
      .meta({ description: "Start times of servers that do not start at 0" }),
    clients: z.array(clientSchema).default([]).meta({ description: "Scripted clients (node ids c1, c2, ... unless named)" }),
    commandClient: z
      .strictObject({ servers: z.array(z.number().int().min(1)).min(1).optional(), retry: duration.prefault("100ms"), start: duration.default(0) })
      .optional()
      .meta({ description: "A client node `cmd1` that creates /cmd-N for each `{type: submit, cmd: N}` input (the protocol lab's client)" }),
    recipes: z.array(recipeSchema).default([]).meta({ description: "Recipes from the ZooKeeper documentation, as client nodes, with their checkers" }),
    workload: workloadSchema.meta({ description: "Generated client workloads" }),
    mutations: z
      .array(z.enum(MUTATIONS))
      .default([])
      .meta({ description: "Deliberate protocol bugs, to see a checker catch them (never on in a real scenario)" }),
  })
  .transform((p, ctx) => {
    const text = p.zooCfg ?? generatedZooCfg(p.servers, p.observers, p.config);
    const parsed = parseQuorumCfg(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", path: [p.zooCfg === undefined ? "config" : "zooCfg"], message: `zoo.cfg line ${parsed.line}: ${parsed.message}` });
      return z.NEVER;
    }
    for (const s of p.start) {
      if (!parsed.cfg.servers.some((x) => x.sid === s.server)) {
        ctx.addIssue({ code: "custom", path: ["start"], message: `server ${s.server} is not in the ensemble` });
        return z.NEVER;
      }
    }
    const clients: ClientSpec[] = [];
    for (const [i, c] of p.clients.entries()) {
      const id = c.id ?? `c${i + 1}`;
      const servers = c.servers ?? parsed.cfg.servers.map((x) => x.sid);
      const unknown = servers.find((sid) => !parsed.cfg.servers.some((x) => x.sid === sid));
      if (unknown !== undefined) {
        ctx.addIssue({ code: "custom", path: ["clients", i, "servers"], message: `server ${unknown} is not in the ensemble` });
        return z.NEVER;
      }
      const steps: ScriptStep[] = [];
      for (const [j, step] of c.script.entries()) {
        const st = typeof step === "string" ? { atUs: null, cmd: step } : { atUs: step.at, cmd: step.do };
        const parsedCmd = parseScriptCommand(st.cmd);
        if (typeof parsedCmd === "string") {
          ctx.addIssue({ code: "custom", path: ["clients", i, "script", j], message: `expected ${parsedCmd}, got ${JSON.stringify(st.cmd)}` });
          return z.NEVER;
        }
        steps.push(st);
      }
      for (let k = 0; k < c.repeat.times; k++) steps.push({ atUs: null, cmd: c.repeat.do.replaceAll("{i}", String(k)) });
      clients.push({ id, servers, sessionTimeoutMs: Math.floor(c.sessionTimeout / 1000), steps, startAtUs: c.start });
    }
    const commandClient =
      p.commandClient === undefined ? null : { servers: p.commandClient.servers ?? parsed.cfg.servers.map((x) => x.sid), retryMs: Math.floor(p.commandClient.retry / 1000), startAtUs: p.commandClient.start };
    return { cfg: { ...parsed.cfg, mutations: p.mutations }, start: p.start, clients, recipes: p.recipes, workload: p.workload, commandClient };
  });

export type ZookeeperParams = z.output<typeof zookeeperParams>;

/** What the ZooKeeper checkers need to know of the ensemble. */
export function ensembleShape(cfg: QuorumConfig): EnsembleShape {
  return {
    servers: cfg.servers.map((s) => nodeOfSid(s.sid)),
    observers: cfg.servers.filter((s) => s.type === "observer").map((s) => nodeOfSid(s.sid)),
    tickTimeMs: cfg.serving.tickTimeMs,
    initLimit: cfg.initLimit,
    syncLimit: cfg.syncLimit,
  };
}

const ROLE_NAMES = ["leader", "follower", "followers", "observer", "observers", "others", "lookers", "holder:"] as const;

function peers(world: World, cfg: QuorumConfig): { sid: number; node: NodeId; peer: QuorumPeer | null }[] {
  return cfg.servers.map((s) => {
    const node = nodeOfSid(s.sid);
    const p = world.isAlive(node) ? world.inspect(node) : null;
    return { sid: s.sid, node, peer: p instanceof QuorumPeer ? p : null };
  });
}

/** The leader now: a live LEADING server, the one in the newest epoch if a stale one lingers. */
function leaderOf(world: World, cfg: QuorumConfig): NodeId | null {
  let best: { node: NodeId; epoch: number } | null = null;
  for (const { node, peer } of peers(world, cfg)) {
    const st = peer?.status;
    if (st === undefined || st.state !== "LEADING") continue;
    if (best === null || st.epoch > best.epoch) best = { node, epoch: st.epoch };
  }
  return best?.node ?? null;
}

/** Resolves the role names a fault may use, against the ensemble as it is when the fault fires. */
export function resolveRole(world: World, cfg: QuorumConfig, name: string): NodeId[] {
  const all = peers(world, cfg);
  const leader = leaderOf(world, cfg);
  const inState = (state: string): NodeId[] => all.filter((p) => p.peer?.status.state === state).map((p) => p.node);
  if (name === "leader") return leader === null ? [] : [leader];
  if (name === "followers") return inState("FOLLOWING");
  if (name === "follower") return inState("FOLLOWING").slice(0, 1);
  if (name === "observers") return inState("OBSERVING");
  if (name === "observer") return inState("OBSERVING").slice(0, 1);
  if (name === "lookers") return inState("LOOKING");
  if (name === "others") return all.map((p) => p.node).filter((n) => n !== leader);
  if (name.startsWith("holder:")) {
    const zxid = BigInt(name.slice("holder:".length));
    return all.filter((p) => p.peer?.holds(zxid) === true).map((p) => p.node);
  }
  return [];
}

/** Election and replication figures from the trace. */
export function zookeeperMetrics(): MetricCollector {
  const role = new Map<string, { state: string; phase: string }>();
  let electedUs = -1;
  let lastElectedUs = -1;
  let leaderChanges = 0;
  let epoch = 0;
  let commits = 0;
  let stepDowns = 0;
  let leaderlessSince = -1;
  let leaderlessUsMax = 0;
  const syncs: Record<string, number> = { DIFF: 0, TRUNC: 0, "TRUNC+DIFF": 0, SNAP: 0 };
  const activeLeader = (): boolean => [...role.values()].some((r) => r.state === "LEADING" && r.phase === "BROADCAST");
  const note = (t: number): void => {
    if (electedUs < 0) return;
    const active = activeLeader();
    if (!active && leaderlessSince < 0) leaderlessSince = t;
    if (active && leaderlessSince >= 0) {
      leaderlessUsMax = Math.max(leaderlessUsMax, t - leaderlessSince);
      leaderlessSince = -1;
    }
  };
  return {
    onEvent(e: TraceEvent): void {
      const node = e["node"] as string;
      switch (e.type) {
        case "zab-role":
          role.set(node, { state: e["state"] as string, phase: e["phase"] as string });
          break;
        case "crash":
          role.delete(node);
          break;
        case "zab-active":
          if (electedUs < 0) electedUs = e.t;
          lastElectedUs = e.t;
          leaderChanges++;
          epoch = Math.max(epoch, e["epoch"] as number);
          break;
        case "zab-commit":
          commits++;
          break;
        case "zab-sync":
          syncs[e["mode"] as string] = (syncs[e["mode"] as string] ?? 0) + 1;
          break;
        case "zab-shutdown":
          if (e["state"] === "LEADING") stepDowns++;
          break;
        default:
          return;
      }
      note(e.t);
    },
    result(endUs: number): Record<string, number> {
      if (leaderlessSince >= 0) leaderlessUsMax = Math.max(leaderlessUsMax, endUs - leaderlessSince);
      let leader = 0;
      for (const [node, r] of role) if (r.state === "LEADING" && r.phase === "BROADCAST") leader = Number(node.slice(1));
      return {
        electedUs,
        lastElectedUs,
        leader,
        leaderChanges,
        epoch,
        commits,
        stepDowns,
        leaderlessUsMax,
        syncDiff: syncs["DIFF"] ?? 0,
        syncTrunc: syncs["TRUNC"] ?? 0,
        syncTruncDiff: syncs["TRUNC+DIFF"] ?? 0,
        syncSnap: syncs["SNAP"] ?? 0,
      };
    },
  };
}

function describeZk(e: TraceEvent): string | null {
  switch (e.type) {
    case "zab-elected":
      return `${String(e["node"])} decides ${String(e["state"])} (leader ${String(e["leader"])}, round ${String(e["round"])})`;
    case "zab-active":
      return `${String(e["node"])} leads epoch ${String(e["epoch"])} with ${JSON.stringify(e["quorum"])}`;
    case "zab-sync":
      return `${String(e["node"])} syncs s${String(e["learner"])} by ${String(e["mode"])} (learner at ${String(e["peerZxid"])}, leader at ${String(e["leaderZxid"])})`;
    case "zab-shutdown":
      return `${String(e["node"])} leaves ${String(e["state"])}: ${String(e["reason"])}`;
    case "client-complete":
      return `${String(e["node"])} ${String(e["op"])} ${String(e["path"] ?? "")} -> ${String(e["err"])}${e["value"] === null ? "" : ` ${JSON.stringify(e["value"])}`}`;
    default:
      return null;
  }
}

/** ZooKeeper 3.8 ensemble: FLE, Zab discovery / sync / broadcast, observers. */
export const zookeeperPlugin: ProtocolPlugin<ZookeeperParams> = {
  name: "zookeeper",
  description: "A ZooKeeper 3.8 ensemble: Fast Leader Election, Zab discovery / sync / broadcast, observers, sessions",
  params: zookeeperParams,
  network: ENSEMBLE_NETWORK,
  nodes(params: ZookeeperParams): readonly NodeSpec[] {
    const factory = quorumPeer(params.cfg) as unknown as NodeFactory<Message, TraceValue>;
    const servers: NodeSpec[] = params.cfg.servers.map((s) => {
      const at = params.start.find((x) => x.server === s.sid)?.at;
      return { id: nodeOfSid(s.sid), role: s.type === "observer" ? "observer" : "participant", factory, ...(at === undefined ? {} : { startAtUs: at }) };
    });
    const clients: NodeSpec[] = params.clients.map((c) => ({
      id: c.id,
      role: "client",
      factory: (() => new ScriptClient({ servers: c.servers.map(nodeOfSid), sessionTimeoutMs: c.sessionTimeoutMs, steps: c.steps })) as unknown as NodeFactory<Message, TraceValue>,
      ...(c.startAtUs === 0 ? {} : { startAtUs: c.startAtUs }),
    }));
    const recipes = recipeNodes(
      params.recipes,
      params.cfg.servers.map((s) => nodeOfSid(s.sid)),
    );
    const register = params.workload.register;
    const registers: NodeSpec[] = [];
    for (let i = 1; register !== undefined && i <= register.clients; i++) {
      const rp: RegisterClientParams = {
        servers: params.cfg.servers.map((s) => nodeOfSid(s.sid)),
        sessionTimeoutMs: Math.floor(register.sessionTimeout / 1000),
        keys: register.keys,
        ops: register.ops,
        periodUs: register.period,
      };
      registers.push({
        id: `reg${i}`,
        role: "client",
        factory: (() => new RegisterClient(rp)) as unknown as NodeFactory<Message, TraceValue>,
        ...(register.start === 0 ? {} : { startAtUs: register.start }),
      });
    }
    const cc = params.commandClient;
    const commands: NodeSpec[] =
      cc === null
        ? []
        : [
            {
              id: "cmd1",
              role: "client",
              factory: (() => new CommandClient({ servers: cc.servers.map(nodeOfSid), sessionTimeoutMs: 10_000, retryMs: cc.retryMs })) as unknown as NodeFactory<Message, TraceValue>,
              ...(cc.startAtUs === 0 ? {} : { startAtUs: cc.startAtUs }),
            },
          ];
    return [...servers, ...clients, ...recipes, ...registers, ...commands];
  },
  inputs: () => [],
  checkers: (params) => [...zookeeperCheckers(ensembleShape(params.cfg)), ...recipeCheckersFor(params.recipes)],
  // `zksim check` of the trace builds the same checkers from this line (check-command.ts).
  startFacts: (params) => [ensembleFact(ensembleShape(params.cfg))],
  metrics: () => zookeeperMetrics(),
  targets: {
    names: ROLE_NAMES,
    resolve: (world, name, params) => resolveRole(world, params.cfg, name),
  },
  describe: describeZk,
};
