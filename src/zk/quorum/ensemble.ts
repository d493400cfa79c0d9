import type { NetworkConfig } from "../../sim/network.js";
import type { TraceEvent } from "../../sim/trace.js";
import { World, type WorldOptions } from "../../sim/world.js";
import { hex } from "../server/wire.js";
import { generatedZooCfg, nodeOfSid, parseQuorumCfg, type QuorumConfig } from "./config.js";
import { QuorumPeer, quorumPeer } from "./peer.js";

/**
 * The network an ensemble runs on unless told otherwise: explicit connections (servers dial as the
 * real ones do), LAN latency, and a broken connection noticed after 50 ms (a TCP reset or a read
 * error; the real server's read timeouts catch silent partitions later).
 */
export const ENSEMBLE_NETWORK: Partial<NetworkConfig> = { connect: "explicit", breakDetectUs: 50_000 };

export type EnsembleOptions = {
  readonly seed: number;
  /** A literal zoo.cfg, or generated from servers/observers. */
  readonly zooCfg?: string;
  readonly servers?: number;
  readonly observers?: number;
  readonly network?: Partial<NetworkConfig>;
  readonly trace?: WorldOptions["trace"];
  readonly limits?: WorldOptions["limits"];
  /** Start every server at time 0 (default), or leave them to the caller. */
  readonly startAll?: boolean;
};

export type ServerStatus = {
  readonly sid: number;
  readonly alive: boolean;
  readonly state: string;
  readonly phase: string;
  readonly epoch: number;
  readonly lastZxid: string;
  readonly committedZxid: string;
};

/** An ensemble of quorum peers on one world: what the shell, the scenarios and the tests drive. */
export class Ensemble {
  readonly world: World;
  readonly cfg: QuorumConfig;
  private readonly answers: string[] = [];
  private listening = false;

  constructor(opts: EnsembleOptions) {
    const text = opts.zooCfg ?? generatedZooCfg(opts.servers ?? 3, opts.observers ?? 0);
    const parsed = parseQuorumCfg(text);
    if (!parsed.ok) throw new Error(`zoo.cfg line ${parsed.line}: ${parsed.message}`);
    this.cfg = parsed.cfg;
    this.world = new World({
      seed: opts.seed,
      network: { ...ENSEMBLE_NETWORK, ...opts.network },
      trace: opts.trace ?? {},
      ...(opts.limits === undefined ? {} : { limits: opts.limits }),
    });
    for (const s of this.cfg.servers) this.world.addNode(nodeOfSid(s.sid), quorumPeer(this.cfg));
    if (opts.startAll !== false) for (const s of this.cfg.servers) this.world.start(nodeOfSid(s.sid));
  }

  get sids(): number[] {
    return this.cfg.servers.map((s) => s.sid);
  }

  peer(sid: number): QuorumPeer | null {
    const n = this.world.isAlive(nodeOfSid(sid)) ? this.world.inspect(nodeOfSid(sid)) : null;
    return n instanceof QuorumPeer ? n : null;
  }

  status(sid: number): ServerStatus {
    const p = this.peer(sid);
    if (p === null) return { sid, alive: false, state: "DOWN", phase: "-", epoch: -1, lastZxid: "-", committedZxid: "-" };
    const s = p.status;
    return { sid, alive: true, state: s.state, phase: s.phase, epoch: s.epoch, lastZxid: hex(s.lastZxid), committedZxid: hex(s.committedZxid) };
  }

  /** The sid serving as leader in broadcast, if exactly one does. */
  leader(): number | null {
    const leaders = this.sids.filter((sid) => {
      const s = this.peer(sid)?.status;
      return s !== undefined && s.state === "LEADING" && s.phase === "BROADCAST";
    });
    return leaders.length === 1 ? (leaders[0] as number) : null;
  }

  /** True when a leader is in broadcast and every live voter and observer serves under it. */
  settled(): boolean {
    const l = this.leader();
    if (l === null) return false;
    return this.sids.every((sid) => {
      const p = this.peer(sid);
      return p === null || p.status.phase === "BROADCAST";
    });
  }

  run(untilUs: number, stopWhen?: () => boolean): void {
    this.world.run(stopWhen === undefined ? { untilUs } : { untilUs, stopWhen });
  }

  /** Runs until `settled()`, at most `forMs` of virtual time; returns whether it settled. */
  settle(forMs: number): boolean {
    this.run(this.world.now + forMs * 1000, () => this.settled());
    return this.settled();
  }

  fourLetterWord(sid: number, word: string): string | null {
    if (!this.world.isAlive(nodeOfSid(sid))) return null;
    // Observing the trace slows every later event down, so it starts with the first question.
    if (!this.listening) {
      this.listening = true;
      this.world.observe((e: TraceEvent) => {
        if (e.type === "zk-4lw") this.answers.push(e["answer"] as string);
      });
    }
    this.answers.length = 0;
    this.world.input(nodeOfSid(sid), { type: "4lw", word });
    return this.answers.shift() ?? null;
  }
}
