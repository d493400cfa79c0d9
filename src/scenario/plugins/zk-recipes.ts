/** The `recipes:` section of a zookeeper scenario: the documentation's recipes as client nodes on the ensemble. */
import { z } from "zod";
import type { Checker } from "../../check/checker.js";
import { recipeCheckers } from "../../check/recipes/index.js";
import type { Message, NodeFactory, NodeId } from "../../sim/node.js";
import type { TraceValue } from "../../sim/trace.js";
import {
  barrierMember,
  configReader,
  configWriter,
  electionCandidate,
  groupMember,
  lockClient,
  queueConsumer,
  queueProducer,
  type RecipeClientParams,
} from "../../zk/recipes/index.js";
import type { NodeSpec } from "../plugin.js";
import { duration } from "../schema-types.js";

const ms = (us: number): number => Math.floor(us / 1000);

const common = {
  clients: z.number().int().min(1).max(20).default(3).meta({ description: "How many client nodes run this recipe" }),
  sessionTimeout: duration.prefault("6s"),
  start: duration.default(0),
};

export const recipeSchema = z.discriminatedUnion("recipe", [
  z.strictObject({ recipe: z.literal("lock"), path: z.string().default("/lock"), hold: duration.prefault("200ms"), idle: duration.prefault("100ms"), rounds: z.number().int().min(0).default(0), ...common }),
  z.strictObject({ recipe: z.literal("election"), path: z.string().default("/election"), term: duration.optional(), ...common }),
  z.strictObject({
    recipe: z.literal("queue"),
    path: z.string().default("/queue"),
    items: z.number().int().min(1).default(20),
    interval: duration.prefault("100ms"),
    consumers: z.number().int().min(1).max(20).default(2),
    work: duration.prefault("50ms"),
    ...common,
  }),
  z.strictObject({ recipe: z.literal("barrier"), path: z.string().default("/barrier"), rounds: z.number().int().min(1).default(3), work: duration.prefault("300ms"), ...common }),
  z.strictObject({ recipe: z.literal("config"), path: z.string().default("/config"), writes: z.number().int().min(1).default(10), interval: duration.prefault("300ms"), ...common }),
  z.strictObject({ recipe: z.literal("membership"), path: z.string().default("/group"), leaveAfter: duration.optional(), ...common }),
]);

export type RecipeSpec = z.output<typeof recipeSchema>;

/**
 * The client nodes of the recipes, named `<recipe><n>` (lock1, lock2, ...; queue producers
 * `queue-p<n>` and consumers `queue-c<n>`; the config service's writer `config-w1` and readers).
 */
export function recipeNodes(specs: readonly RecipeSpec[], servers: readonly NodeId[]): NodeSpec[] {
  const out: NodeSpec[] = [];
  specs.forEach((r) => {
    const base: RecipeClientParams = { servers, sessionTimeoutMs: ms(r.sessionTimeout) };
    const add = (id: string, factory: NodeFactory<never, never>): void => {
      out.push({ id, role: "client", factory: factory as unknown as NodeFactory<Message, TraceValue>, ...(r.start === 0 ? {} : { startAtUs: r.start }) });
    };
    for (let i = 1; i <= r.clients; i++) {
      switch (r.recipe) {
        case "lock":
          add(`lock${i}`, lockClient({ ...base, lockPath: r.path, holdMs: ms(r.hold), idleMs: ms(r.idle), rounds: r.rounds }) as never);
          break;
        case "election":
          add(`elect${i}`, electionCandidate({ ...base, electionPath: r.path, termMs: r.term === undefined ? null : ms(r.term) }) as never);
          break;
        case "queue":
          add(`queue-p${i}`, queueProducer({ ...base, queuePath: r.path, items: r.items, intervalMs: ms(r.interval) }) as never);
          break;
        case "barrier":
          add(`barrier${i}`, barrierMember({ ...base, barrierPath: r.path, size: r.clients, rounds: r.rounds, workMs: ms(r.work) }) as never);
          break;
        case "config":
          add(`config-r${i}`, configReader({ ...base, configPath: r.path }) as never);
          break;
        case "membership":
          add(`member${i}`, groupMember({ ...base, groupPath: r.path, leaveAfterMs: r.leaveAfter === undefined ? null : ms(r.leaveAfter) }) as never);
          break;
      }
    }
    if (r.recipe === "queue") for (let i = 1; i <= r.consumers; i++) add(`queue-c${i}`, queueConsumer({ ...base, queuePath: r.path, takeMs: ms(r.work) }) as never);
    if (r.recipe === "config") add("config-w1", configWriter({ ...base, configPath: r.path, writes: r.writes, intervalMs: ms(r.interval) }) as never);
  });
  return out;
}

/** The recipe checkers, when a scenario places any recipe. */
export const recipeCheckersFor = (specs: readonly RecipeSpec[]): Checker[] => (specs.length === 0 ? [] : recipeCheckers());
