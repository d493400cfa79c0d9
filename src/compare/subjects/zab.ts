/**
 * ZAB in the lab: a ZooKeeper ensemble of n voters s1..sn started together (so sn leads), and one
 * client `cmd1` connected to the leader that turns command k into a create of `/cmd-k`. A command's
 * outcome is known the moment the leader commits its txn. ZAB needs FIFO channels, so the loss set
 * keeps TCP and makes every server link lossy (a lost segment costs a retransmission, never a gap).
 */
import type { TraceEvent } from "../../sim/trace.js";
import type { CompareSubject, Outcome, SubjectCase } from "../subject.js";
import { documentOf, faultsOf, submittingClient, type Pattern } from "./common.js";

const CLIENT = "cmd1";
/**
 * The lab's arrivals assume a protocol ready within 30 ms; an ensemble elects for about 210 ms
 * (FLE's 200 ms finalize wait). ZAB's runs start a second earlier, so its commands meet an elected
 * leader as the others' do; all times of the case move by this much.
 */
const WARMUP_US = 1_000_000;
const RETRANSMIT = "200ms";

const path = (cmd: number): string => `/cmd-${cmd}`;

export const zabSubject: CompareSubject = {
  name: "zab",
  title: "ZAB",
  available: true,
  steps: ["PROPOSAL sent", "committed on a quorum of ACKs", "client answered"],
  formula: {
    messagesText: "3(n-1) + 2 (+1 via a follower)",
    fsyncsText: "n",
    // Request and Reply with the client; PROPOSAL, ACK, COMMIT with each follower (plus the
    // REQUEST a follower forwards when the client's shuffled connect string put it there).
    messages: (n) => 3 * (n - 1) + 2,
    // Every server logs the txn (group fsync: one each when commands do not overlap).
    fsyncs: (n) => n,
    // Election, discovery, sync, heartbeats and the client's session are time-driven, not per command.
    setupMessages: () => 0,
    setupFsyncs: () => 0,
  },
  sizeProblem: (n) =>
    n < 3
      ? `ZAB needs at least 3 voters to survive a failure: a quorum is a majority, and with ${n} one failure leaves none`
      : n > 15
        ? `the ensemble runs with at most 15 voters, not ${n}`
        : null,
  document(c: SubjectCase): Record<string, unknown> {
    const n = c.voters;
    const leader = `s${n}`;
    const others = Array.from({ length: n - 1 }, (_, i) => `s${i + 1}`);
    const step = (phase: 1 | 2 | 3, cmd: number): Pattern =>
      phase === 1
        ? { type: "zab-propose", node: leader, path: path(cmd) }
        : phase === 2
          ? { type: "zab-commit", node: leader, path: path(cmd) }
          : { type: "reply", node: CLIENT, cmd };
    const faults = faultsOf(c.plan, {
      leader,
      step,
      partitionAt: (cmd) => step(1, cmd),
      sides: [
        [leader, "s1"],
        others.filter((s) => s !== "s1"),
      ],
      slowDisks: [leader, "s1"],
    });
    const inputs = c.commands.map((x) => ({ at: x.atUs + WARMUP_US, node: CLIENT, value: { type: "submit", cmd: x.cmd } }));
    // The client starts once the ensemble serves (zkCli against a running ensemble).
    const params = { servers: n, commandClient: { start: "600ms" } };
    const doc: Record<string, unknown> = { ...documentOf("zookeeper", c, params, inputs, faults), run: { until: c.untilUs + WARMUP_US } };
    if (c.plan.kind !== "loss") return { ...doc, network: { ...(doc["network"] as object), connect: "explicit", breakDetect: "50ms" } };
    const servers = [...others, leader];
    const links = servers.flatMap((a) => servers.filter((b) => b !== a).map((b) => ({ at: 0, link: { from: a, to: b, loss: c.plan.kind === "loss" ? c.plan.loss : "0" } })));
    return {
      ...doc,
      network: { mode: "tcp", connect: "explicit", breakDetect: "50ms", retransmit: RETRANSMIT, latency: { dist: "uniform", min: "1ms", max: "3ms" } },
      faults: [...links, ...faults],
    };
  },
  ...submittingClient(CLIENT),
  /**
   * A leader's COMMIT of the command's txn; or, for a txn that a new leader's epoch took over
   * (committed by NEWLEADER, with no COMMIT of its own), the client's answer.
   */
  outcomeOf(e: TraceEvent): Outcome | null {
    if (e.type === "reply" && e["node"] === CLIENT && typeof e["cmd"] === "number") return { cmd: e["cmd"], outcome: e["outcome"] === "abort" ? "abort" : "commit" };
    if (e.type !== "zab-commit" || typeof e["path"] !== "string") return null;
    const m = /^\/cmd-(\d+)$/.exec(e["path"]);
    return m === null ? null : { cmd: Number(m[1]), outcome: "commit" };
  },
};
